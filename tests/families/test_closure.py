"""Closing a case is a supervisor's decision; a closed case stays readable for the team
for the team's months and a supervisor may reopen it; then it moves to the archive."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from families.models import ClosureDecision, ClosureRequest, Family, FamilyStatus
from families.services.closure import (
    _months_after,
    closed_families_archive,
    closure_decide,
    closure_request,
)
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

REASON = "The child is safe at a new school and the parents need no more support."


def ask(client, family, reason=REASON):
    return client.post(reverse("families:close", args=[family.pk]), {"closing_reason": reason})


def decide(client, family, approve: str, reason: str):
    return client.post(reverse("families:closure_decide", args=[family.pk]), {"approve": approve, "reason": reason})


def test_an_officer_asks_and_the_case_stays_open_until_a_supervisor_decides(english, officer, supervisor, family):
    response = ask(english(officer), family)
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status != FamilyStatus.CLOSED
    request = ClosureRequest.objects.get(family=family)
    assert request.pending and request.requested_by == officer
    page = english(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "The officer asked to close this case." in page
    dashboard = english(supervisor).get(reverse("dashboard")).content.decode()
    assert reverse("families:closure_decide", args=[family.pk]) in dashboard


def test_asking_twice_is_refused_and_saves_nothing(english, officer, family):
    ask(english(officer), family)
    response = ask(english(officer), family, "Again.")
    assert response.status_code == 400
    assert "already been asked" in response.content.decode()
    assert ClosureRequest.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "  ", "x\x00", "x" * 2001])
def test_asking_without_a_clear_reason_saves_nothing(english, officer, family, reason):
    assert ask(english(officer), family, reason).status_code == 400
    assert not ClosureRequest.objects.exists()


def test_the_supervisor_approves_and_the_team_still_reads_the_case(english, officer, supervisor, police, family):
    ask(english(officer), family)
    assert decide(english(supervisor), family, "yes", "Agreed: the goals are met.").status_code == 302
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED and family.closed_on == timezone.localdate()
    assert family.archived_at is None
    request = ClosureRequest.objects.get()
    assert request.decision == ClosureDecision.APPROVED and request.decided_by == supervisor
    for persona in (officer, supervisor, police):
        page = english(persona).get(reverse("families:detail", args=[family.pk]))
        assert page.status_code == 200
        assert "read only for the team" in page.content.decode()
    assert english(officer).get(reverse("families:edit", args=[family.pk])).status_code == 404
    assert english(officer).get(reverse("families:contact_add", args=[family.pk])).status_code == 404


def test_the_supervisor_refuses_with_a_reason_the_officer_reads(english, officer, supervisor, police, family):
    ask(english(officer), family)
    assert decide(english(supervisor), family, "no", "").status_code == 400
    assert ClosureRequest.objects.get().pending
    assert decide(english(supervisor), family, "no", "REFUSALREASON: the hearing is next month.").status_code == 302
    family.refresh_from_db()
    assert family.status != FamilyStatus.CLOSED
    assert "REFUSALREASON" in english(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "REFUSALREASON" not in english(police).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert ask(english(officer), family, "Now it can close.").status_code == 302


def test_a_decision_cannot_be_taken_twice(officer, supervisor, family):
    request = closure_request(family=family, requested_by=officer, closing_reason=REASON)
    closure_decide(closure=request, supervisor=supervisor, approve=False, reason="Not yet.")
    with pytest.raises(ValidationError):
        closure_decide(closure=request, supervisor=supervisor, approve=True, reason="Yes.")


def test_a_supervisor_who_closes_decides_at_once(english, supervisor, family):
    assert ask(english(supervisor), family).status_code == 302
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED
    request = ClosureRequest.objects.get()
    assert request.requested_by == request.decided_by == supervisor


@pytest.mark.parametrize("persona", ["officer", "police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_only_a_supervisor_of_the_team_decides(request, login, officer, family, persona):
    closure_request(family=family, requested_by=officer, closing_reason=REASON)
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:closure_decide", args=[family.pk])).status_code == 404
    assert decide(client, family, "yes", "Fine.").status_code == 404
    assert ClosureRequest.objects.get().pending


def test_a_supervisor_of_another_team_neither_decides_nor_reopens(login, officer, other_team, family):
    other = UserFactory(role="supervisor", team=other_team)
    confirmed_totp(other)
    closure_request(family=family, requested_by=officer, closing_reason=REASON)
    assert login(other).get(reverse("families:closure_decide", args=[family.pk])).status_code == 404


def test_the_supervisor_reopens_a_closed_case_with_a_reason(english, officer, supervisor, family):
    closure_request(family=family, requested_by=supervisor, closing_reason=REASON)
    url = reverse("families:reopen", args=[family.pk])
    assert english(officer).get(url).status_code == 404
    assert english(supervisor).post(url, {"reason": ""}).status_code == 400
    assert english(supervisor).post(url, {"reason": "The child went missing again."}).status_code == 302
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE and family.closed_on is None
    assert AuditEvent.objects.filter(action=AuditAction.CASE_REOPENED, family_id=family.pk, actor=supervisor).exists()
    assert english(officer).get(reverse("families:edit", args=[family.pk])).status_code == 200
    assert english(supervisor).get(url).status_code == 404  # open again: nothing to reopen


def test_an_open_case_and_an_archived_case_cannot_be_reopened(login, supervisor, family):
    assert login(supervisor).get(reverse("families:reopen", args=[family.pk])).status_code == 404
    closure_request(family=family, requested_by=supervisor, closing_reason=REASON)
    Family.objects.filter(pk=family.pk).update(archived_at=timezone.now())
    assert login(supervisor).get(reverse("families:reopen", args=[family.pk])).status_code == 404


def test_closed_cases_move_to_the_archive_after_the_team_s_months(supervisor, team):
    today = timezone.localdate()
    due = FamilyFactory(team=team)
    kept = FamilyFactory(team=team)
    for family in (due, kept):
        closure_request(family=family, requested_by=supervisor, closing_reason=REASON)
    Family.objects.filter(pk=due.pk).update(closed_on=_months_after(today, -12))
    Family.objects.filter(pk=kept.pk).update(closed_on=_months_after(today, -11))
    output = StringIO()
    call_command("archive_closed_cases", stdout=output)
    assert "1" in output.getvalue()
    due.refresh_from_db()
    kept.refresh_from_db()
    assert due.archived_at is not None and kept.archived_at is None
    team.closed_readable_months = 3
    team.save()
    assert closed_families_archive() == 1
    assert closed_families_archive() == 0


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 12, 6), 12, date(2027, 12, 6)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 15), 60, date(2031, 5, 15)),
    ],
)
def test_months_after(day, months, expected):
    assert _months_after(day, months) == expected


@pytest.mark.parametrize("months", ["0", "61", "x", ""])
def test_the_team_s_readable_months_are_checked(login, supervisor, team, months):
    data = {
        "contact_limit_days": 14,
        "protective_mode_confirm_hours": 24,
        "closed_readable_months": months,
    }
    assert login(supervisor).post(reverse("team_settings"), data).status_code == 400
    team.refresh_from_db()
    assert team.closed_readable_months == 12
