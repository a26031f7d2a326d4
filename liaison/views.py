from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from liaison.access import PORTAL, VIEW, can, context_hits_unit
from liaison.accounts.services import user_language_set


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    if can(request.user, VIEW):
        return redirect("families:caseload")
    if can(request.user, PORTAL):
        return redirect("portal:home")
    if context_hits_unit(request.user) is not None:
        return redirect("context_patterns")
    return render(request, "liaison/home_administrator.html")


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch; someone signed in also keeps the choice on their account,
    so that every e-mail to them is written in it."""
    response = set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: this app server answers. It is also the trivial page that
    ``make bench`` measures every page against, through the same middleware. It shows
    nothing of the person asking, so its template is rendered without the context of the
    request (whose navigation would read the user and their device)."""
    return HttpResponse(render_to_string("liaison/health.txt"), content_type="text/plain; charset=utf-8")


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; the icon is one of our static files,
    whose name changes with its content, so the way there is not cached for good."""
    return redirect(static("favicon.ico"))


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "error.html", {"status": status}, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500)


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    """allauth's rate limits (sign-in, password reset) answer with this page, in the
    reader's language, instead of allauth's bare English one."""
    return _error_page(request, 429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, 403)
