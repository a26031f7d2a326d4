"""Opening, editing and closing a case; one liaison officer at every moment; handovers."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from families.models import Family, FamilyStatus, Handover, LiaisonAssignment
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

REFERRAL = {
    "display_name": "Family de Boer",
    "referral_on": "2026-10-01",
    "referral_source": "veilig_thuis",
    "referral_note": "Mother worried about older boys on scooters.",
    "police_unit": "",
}


@pytest.fixture
def colleague(team):
    user = UserFactory(role=Role.OFFICER, team=team, full_name="Chris Colleague")
    confirmed_totp(user)
    return user


def test_officer_opens_a_case_for_themselves(login, officer, police_unit):
    response = login(officer).post(reverse("families:open"), {**REFERRAL, "police_unit": police_unit.pk})
    family = Family.objects.get()
    assert response.status_code == 302 and response.url == reverse("families:detail", args=[family.pk])
    assert family.reference.startswith(f"PL-{timezone.localdate().year}-")
    assert family.liaison_officer == officer and family.team == officer.team
    assert LiaisonAssignment.objects.get(family=family, ended_at__isnull=True).officer == officer
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CREATED, family_id=family.pk).exists()


def test_supervisor_opens_a_case_for_an_officer_of_the_team(login, supervisor, officer, other_officer):
    client = login(supervisor)
    refused = client.post(reverse("families:open"), {**REFERRAL, "liaison_officer": other_officer.pk})
    assert refused.status_code == 400 and not Family.objects.exists()
    client.post(reverse("families:open"), {**REFERRAL, "liaison_officer": officer.pk})
    assert Family.objects.get().liaison_officer == officer


def test_references_are_unique_and_running(login, officer):
    client = login(officer)
    client.post(reverse("families:open"), REFERRAL)
    client.post(reverse("families:open"), {**REFERRAL, "display_name": "Family Two"})
    first, second = Family.objects.order_by("pk")
    assert int(second.reference[-5:]) == int(first.reference[-5:]) + 1


def test_bad_referral_gets_clear_errors_and_saves_nothing(english, officer):
    response = english(officer).post(
        reverse("families:open"), {**REFERRAL, "display_name": "", "referral_on": "2999-01-01"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "display_name" in errors and "future" in errors["referral_on"][0]
    assert not Family.objects.exists()


@pytest.mark.parametrize("persona", ["police", "parent", "administrator"])
def test_only_officers_and_supervisors_open_cases(request, login, persona, family):
    assert login(request.getfixturevalue(persona)).get(reverse("families:open")).status_code == 404


def test_edit_the_case(login, officer, family):
    client = login(officer)
    assert client.get(reverse("families:edit", args=[family.pk])).status_code == 200
    data = {"display_name": "Family J.", "status": "active", "referral_on": "2026-09-01", "referral_source": "school"}
    assert client.post(reverse("families:edit", args=[family.pk]), data).status_code == 302
    family.refresh_from_db()
    assert (family.display_name, family.referral_source) == ("Family J.", "school")


def test_setting_closing_without_a_reason_is_refused(login, officer, family):
    data = {"display_name": "F", "status": "closing", "referral_on": "2026-09-01", "referral_source": "school"}
    response = login(officer).post(reverse("families:edit", args=[family.pk]), data)
    assert response.status_code == 400
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE


@pytest.mark.parametrize("persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_who_may_not_edit_or_close(request, login, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:edit", args=[family.pk])).status_code == 404
    assert client.post(reverse("families:close", args=[family.pk]), {"closing_reason": "x"}).status_code == 404
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE


def test_closing_needs_a_reason_and_confirms(login, supervisor, family):
    client = login(supervisor)
    assert client.get(reverse("families:close", args=[family.pk])).status_code == 200
    assert client.post(reverse("families:close", args=[family.pk]), {"closing_reason": ""}).status_code == 400
    client.post(reverse("families:close", args=[family.pk]), {"closing_reason": "Child is safe."})
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED and family.closed_on == timezone.localdate()
    assert client.get(reverse("families:edit", args=[family.pk])).status_code == 404


def test_the_database_refuses_closing_without_a_reason(family):
    with pytest.raises(IntegrityError), transaction.atomic():
        Family.objects.filter(pk=family.pk).update(status=FamilyStatus.CLOSED, closing_reason="")


def test_the_database_refuses_two_active_assignments(family, colleague):
    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonAssignment.objects.create(
            family=family, officer=colleague, started_at=timezone.now(), created_by=colleague
        )


def _hand_over(client, family, to_officer, **extra):
    data = {
        "to_officer": to_officer.pk,
        "reason": "Caseload balance",
        "note": "Mother prefers calls after 10.",
        **extra,
    }
    return client.post(reverse("families:handover_create", args=[family.pk]), data)


def test_supervisor_hands_over_without_a_gap(login, supervisor, officer, colleague, family):
    client = login(supervisor)
    assert client.get(reverse("families:handover_create", args=[family.pk])).status_code == 200
    assert _hand_over(client, family, colleague).status_code == 302
    family.refresh_from_db()
    assert family.liaison_officer == colleague
    old, new = LiaisonAssignment.objects.filter(family=family).order_by("started_at")
    assert (old.officer, new.officer) == (officer, colleague)
    assert old.ended_at == new.started_at and new.ended_at is None
    handover = Handover.objects.get()
    assert handover.is_pending and handover.from_officer == officer
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, detail__what="handed_over").exists()


def test_a_handover_needs_a_note_and_another_officer_of_the_team(login, supervisor, officer, other_officer, family):
    client = login(supervisor)
    assert _hand_over(client, family, other_officer).status_code == 400
    assert _hand_over(client, family, officer).status_code == 400
    assert Handover.objects.count() == 0


def test_a_handover_without_a_note_is_refused(login, supervisor, colleague, family):
    assert _hand_over(login(supervisor), family, colleague, note="").status_code == 400
    assert Handover.objects.count() == 0


@pytest.mark.parametrize("persona", ["officer", "police", "other_officer", "parent"])
def test_only_the_supervisor_hands_over(request, login, family, colleague, persona):
    response = _hand_over(login(request.getfixturevalue(persona)), family, colleague)
    assert response.status_code == 404
    assert not Handover.objects.exists()


def test_pending_handover_shows_to_both_officers_and_the_previous_loses_access_after(
    login, supervisor, officer, colleague, family
):
    _hand_over(login(supervisor), family, colleague)
    previous, new = login(officer), login(colleague)
    for client in (previous, new, login(supervisor)):
        body = client.get(reverse("families:detail", args=[family.pk])).content.decode()
        assert "Pending handover" in body or "Overdracht" in body
    assert previous.get(reverse("families:edit", args=[family.pk])).status_code == 404
    assert previous.get(reverse("families:handover_acknowledge", args=[family.pk])).status_code == 404
    assert new.get(reverse("families:handover_acknowledge", args=[family.pk])).status_code == 200
    assert new.post(reverse("families:handover_acknowledge", args=[family.pk])).status_code == 302
    assert Handover.objects.get().acknowledged_at is not None
    assert previous.get(reverse("families:detail", args=[family.pk])).status_code == 404
    assert new.get(reverse("families:edit", args=[family.pk])).status_code == 200


def test_a_second_handover_waits_for_the_first_acknowledgement(login, supervisor, officer, colleague, family):
    client = login(supervisor)
    _hand_over(client, family, colleague)
    response = _hand_over(client, family, officer)
    assert response.status_code == 400
    assert Handover.objects.count() == 1


def test_handover_pack_is_a_pdf_with_a_neutral_name(login, supervisor, colleague, family):
    _hand_over(login(supervisor), family, colleague)
    response = login(colleague).get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert family.display_name not in response["Content-Disposition"]
    assert family.reference not in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_handover_pack_is_404_for_others(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 404


# Made anew: session, user (with their second factor and the reminder count of the menu,
# one statement), the family (the gate), its read in the audit trail (one statement),
# the header, whether the officer may change or supervise the case (the buttons, one
# statement), then one statement for the children, caregivers, what needs attention
# (with whether the police were told of a link), officers over time, follow-up actions,
# and what else the persona sees: progress, the newest request to close, the parents'
# words, the open concern, the screen, the parents' needs; what waits for the police.
FAMILY_PAGE_QUERIES = 8


def _long_history(family, officer, n: int) -> None:
    from families.models import ContactEntry, FollowUpAction
    from tests.factories import ChildFactory, HouseholdMemberFactory

    ChildFactory.create_batch(n, family=family)
    HouseholdMemberFactory.create_batch(n, family=family)
    for i in range(n):
        contact = ContactEntry.objects.create(
            family=family,
            occurred_at=timezone.now(),
            kind="phone",
            with_whom="Mother",
            summary=f"Call {i}",
            created_by=officer,
        )
        FollowUpAction.objects.create(
            family=family,
            contact=contact,
            description=f"Step {i}",
            owner="Officer",
            due_on=timezone.localdate(),
            created_by=officer,
        )


def test_family_page_costs_the_same_queries_with_a_long_history(login, officer, family, django_assert_num_queries):
    from django.core.cache import caches

    client = login(officer)
    detail = reverse("families:detail", args=[family.pk])
    _long_history(family, officer, 2)
    client.get(detail)  # the first request after signing in does more
    caches["fragments"].clear()
    with django_assert_num_queries(FAMILY_PAGE_QUERIES):
        assert client.get(detail).status_code == 200
    _long_history(family, officer, 30)
    caches["fragments"].clear()  # made anew, not the part kept from the first request
    with django_assert_num_queries(FAMILY_PAGE_QUERIES):
        assert client.get(detail).status_code == 200


def test_the_overview_names_a_pending_handover_and_asks_only_the_new_officer(
    login, supervisor, officer, colleague, family
):
    _hand_over(login(supervisor), family, colleague)
    detail = reverse("families:detail", args=[family.pk])
    acknowledge = reverse("families:handover_acknowledge", args=[family.pk])
    new_body = login(colleague).get(detail).content.decode()
    previous_body = login(officer).get(detail).content.decode()
    for body in (new_body, previous_body):
        assert f"Overdracht van {officer.full_name} aan {colleague.full_name}" in body
    assert acknowledge in new_body
    assert acknowledge not in previous_body
