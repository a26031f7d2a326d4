from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from liaison.access import PORTAL, SUPERVISE, VIEW, can
from liaison.forms import GovukFormMixin
from liaison.services import team_set_team_view


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    if can(request.user, VIEW):
        return redirect("families:caseload")
    if can(request.user, PORTAL):
        return redirect("families:portal_home")
    return render(request, "liaison/home_administrator.html")


class TeamSettingsForm(GovukFormMixin, forms.Form):
    team_view = forms.BooleanField(
        label=gettext_lazy("Officers may read the team's other families"),
        required=False,
        help_text=gettext_lazy(
            "For cover during leave or illness. Officers can read, not change, their colleagues' families."
        ),
    )


@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest) -> HttpResponse:
    """A supervisor's settings for their own team."""
    if not can(request.user, SUPERVISE) or request.user.team is None:
        raise Http404
    team = request.user.team
    form = TeamSettingsForm(request.POST if request.method == "POST" else None, initial={"team_view": team.team_view})
    if request.method == "POST" and form.is_valid():
        team_set_team_view(team=team, supervisor=request.user, enabled=form.cleaned_data["team_view"])
        messages.success(request, _("The team settings are saved."))
        return redirect("team_settings")
    return render(request, "liaison/team_settings.html", {"form": form, "team": team})


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, 403)
