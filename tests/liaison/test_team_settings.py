import pytest
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_supervisor_turns_team_view_on_and_off(login, supervisor, team):
    client = login(supervisor)
    assert client.get(reverse("team_settings")).status_code == 200
    assert client.post(reverse("team_settings"), {"team_view": "on"}).status_code == 302
    team.refresh_from_db()
    assert team.team_view
    assert AuditEvent.objects.filter(action=AuditAction.TEAM_CHANGED, detail__team_view=True).exists()
    client.post(reverse("team_settings"), {})
    team.refresh_from_db()
    assert not team.team_view


@pytest.mark.parametrize("persona", ["officer", "police", "parent", "administrator"])
def test_only_supervisors_reach_team_settings(request, login, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("team_settings")).status_code == 404
    assert client.post(reverse("team_settings"), {"team_view": "on"}).status_code == 404


def test_team_settings_refuses_other_methods(login, supervisor):
    assert login(supervisor).put(reverse("team_settings")).status_code == 405
