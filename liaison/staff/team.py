"""A supervisor's settings for their own team."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison.access import supervised_team_or_404
from liaison.accounts.models import Team
from liaison.forms import form_page
from liaison.staff.forms import TeamSettingsForm
from liaison.staff.services import team_settings_update


@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest) -> HttpResponse:
    """A supervisor's settings for their own team."""
    team = supervised_team_or_404(request)
    form = TeamSettingsForm(request.POST if request.method == "POST" else None, instance=Team.objects.get(pk=team.pk))
    return form_page(
        request,
        form,
        save=partial(team_settings_update, team=team, supervisor=request.user),
        success=_("The team settings are saved."),
        redirect_to="team_settings",
        show=lambda form: render(request, "liaison/team_settings.html", {"form": form, "team": team}),
    )
