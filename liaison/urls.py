from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest
from django.urls import include, path
from django.views.generic import RedirectView

from liaison import views
from liaison.privacy.views import subject_access, subject_access_json, subject_access_pdf
from liaison.quick_exit import quick_exit


def not_available(request: HttpRequest, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("exit/", quick_exit, name="quick_exit"),
    path("", include("liaison.staff.urls")),
    path("privacy/subject-access/", subject_access, name="subject_access"),
    path("privacy/subject-access/<str:kind>/<int:pk>/pdf/", subject_access_pdf, name="subject_access_pdf"),
    path("privacy/subject-access/<str:kind>/<int:pk>/json/", subject_access_json, name="subject_access_json"),
    path("privacy/", include("liaison.privacy.urls")),
    # No public sign-up and no self-service e-mail changes: accounts come by invitation.
    path("accounts/signup/", not_available),
    path("accounts/email/", not_available),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.language_set, name="set_language"),
    # The admin has no login of its own: everyone signs in through the one login page.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True)),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("", include("liaison.accounts.urls")),
    # The portal before the families: "portal/" is not a family number.
    path("families/portal/", include("portal.urls")),
    path("families/", include("families.urls")),
    path("families/", include("safety_plans.urls")),
]

handler400 = "liaison.views.bad_request"
handler403 = "liaison.views.permission_denied"
handler404 = "liaison.views.page_not_found"
handler500 = "liaison.views.server_error"
# Not one of Django's handlers: allauth looks it up here for its rate limits.
handler429 = "liaison.views.too_many_requests"
