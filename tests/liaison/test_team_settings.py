import pytest
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_supervisor_turns_team_view_on_and_off(login, supervisor, team):
    client = login(supervisor)
    assert client.get(reverse("team_settings")).status_code == 200
    limits = {
        "contact_limit_days": 14,
        "protective_mode_confirm_hours": 24,
        "closed_readable_months": 12,
    }
    assert client.post(reverse("team_settings"), {"team_view": "on", **limits}).status_code == 302
    team.refresh_from_db()
    assert team.team_view
    assert AuditEvent.objects.filter(action=AuditAction.TEAM_CHANGED, detail__team_view=True).exists()
    client.post(reverse("team_settings"), limits)
    team.refresh_from_db()
    assert not team.team_view


def test_supervisor_sets_the_attention_limits(login, supervisor, team):
    client = login(supervisor)
    response = client.post(
        reverse("team_settings"),
        {
            "contact_limit_days": 21,
            "protective_mode_confirm_hours": 8,
            "closed_readable_months": 12,
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.contact_limit_days == 21
    assert team.protective_mode_confirm_hours == 8


@pytest.mark.parametrize("days", ["0", "91", "", "x"])
def test_a_limit_out_of_range_is_refused(login, supervisor, team, days):
    response = login(supervisor).post(
        reverse("team_settings"),
        {
            "contact_limit_days": days,
            "protective_mode_confirm_hours": 24,
            "closed_readable_months": 12,
        },
    )
    assert response.status_code == 400
    assert "contact_limit_days" in response.context["form"].errors
    team.refresh_from_db()
    assert team.contact_limit_days == 14


@pytest.mark.parametrize("persona", ["officer", "police", "parent", "administrator"])
def test_only_supervisors_reach_team_settings(request, login, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("team_settings")).status_code == 404
    assert client.post(reverse("team_settings"), {"team_view": "on"}).status_code == 404


def test_team_settings_refuses_other_methods(login, supervisor):
    assert login(supervisor).put(reverse("team_settings")).status_code == 405
