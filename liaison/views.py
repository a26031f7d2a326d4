from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from liaison.access import PORTAL, SUPERVISE, VIEW, can
from liaison.accounts.models import Team
from liaison.forms import GovukFormMixin
from liaison.services import team_settings_update


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    if can(request.user, VIEW):
        return redirect("families:caseload")
    if can(request.user, PORTAL):
        return redirect("families:portal_home")
    return render(request, "liaison/home_administrator.html")


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: this app server answers. It is also the trivial page that
    ``make bench`` measures every page against, through the same middleware."""
    return render(request, "liaison/health.txt", content_type="text/plain; charset=utf-8")


class TeamSettingsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["team_view", "contact_limit_days", "acknowledgement_limit_working_days"]
        labels = {"team_view": gettext_lazy("Officers may read the team's other families")}
        help_texts = {
            "team_view": gettext_lazy(
                "For cover during leave or illness. Officers can read, not change, their colleagues' families."
            ),
            "contact_limit_days": gettext_lazy("A family without contact for longer shows as needing attention."),
            "acknowledgement_limit_working_days": gettext_lazy(
                "What the parents shared and the police did not confirm within this time shows as needing attention."
            ),
        }


@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest) -> HttpResponse:
    """A supervisor's settings for their own team."""
    if not can(request.user, SUPERVISE) or request.user.team is None:
        raise Http404
    team = request.user.team
    form = TeamSettingsForm(request.POST if request.method == "POST" else None, instance=Team.objects.get(pk=team.pk))
    if request.method == "POST" and form.is_valid():
        team_settings_update(team=team, supervisor=request.user, **form.cleaned_data)
        messages.success(request, _("The team settings are saved."))
        return redirect("team_settings")
    status = 400 if form.errors else 200
    return render(request, "liaison/team_settings.html", {"form": form, "team": team}, status=status)


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
