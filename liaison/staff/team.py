"""A supervisor's settings for their own team."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison.access import supervised_team_or_404
from liaison.accounts.models import Team
from liaison.staff.forms import TeamSettingsForm
from liaison.staff.services import team_settings_update


@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest) -> HttpResponse:
    """A supervisor's settings for their own team."""
    team = supervised_team_or_404(request)
    form = TeamSettingsForm(request.POST if request.method == "POST" else None, instance=Team.objects.get(pk=team.pk))
    if request.method == "POST" and form.is_valid():
        team_settings_update(team=team, supervisor=request.user, **form.cleaned_data)
        messages.success(request, _("The team settings are saved."))
        return redirect("team_settings")
    status = 400 if form.errors else 200
    return render(request, "liaison/team_settings.html", {"form": form, "team": team}, status=status)
