from django.contrib import admin
from django.http import Http404, HttpRequest
from django.urls import include, path
from django.views.generic import RedirectView

from liaison import views


def not_available(request: HttpRequest, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team_settings, name="team_settings"),
    # No public sign-up and no self-service e-mail changes: accounts come by invitation.
    path("accounts/signup/", not_available),
    path("accounts/email/", not_available),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin has no login of its own: everyone signs in through the one login page.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("liaison.accounts.urls")),
    path("families/", include("families.urls")),
]

handler400 = "liaison.views.bad_request"
handler403 = "liaison.views.permission_denied"
handler404 = "liaison.views.page_not_found"
handler500 = "liaison.views.server_error"
