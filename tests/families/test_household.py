"""Children and caregivers, and the suspicion mark that cuts a caregiver off."""

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import CaregiverSuspicion, Child, HouseholdMember
from families.services.household import suspicion_mark
from liaison.access import PORTAL, families_for
from liaison.accounts.models import Invitation, Role
from liaison.audit.models import AuditEvent
from tests.factories import FamilyFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

CHILD = {
    "full_name": "Lisa",
    "born_on": "2011-04-02",
    "school": "Noorderpoort",
    "role": "exploited",
    "exploitation_kind": "sexual",
    "risk_level": "high",
}


def test_officer_adds_an_exploited_child_with_risk_dated_today(login, officer, family):
    response = login(officer).post(reverse("families:child_add", args=[family.pk]), CHILD)
    assert response.status_code == 302
    child = Child.objects.get()
    assert (child.risk_level, child.risk_set_on) == ("high", timezone.localdate())
    assert AuditEvent.objects.filter(detail__what="child_added", family_id=family.pk).exists()


def test_an_exploited_child_needs_kind_and_risk(english, officer, family):
    data = {**CHILD, "exploitation_kind": "", "risk_level": ""}
    response = english(officer).post(reverse("families:child_add", args=[family.pk]), data)
    assert response.status_code == 400
    assert "risk level" in str(response.context["form"].errors["risk_level"])
    assert not Child.objects.exists()


def test_a_sibling_needs_no_risk(login, officer, family):
    data = {"full_name": "Tom", "role": "sibling"}
    assert login(officer).post(reverse("families:child_add", args=[family.pk]), data).status_code == 302


def test_a_birth_date_in_the_future_is_refused(login, officer, family):
    response = login(officer).post(reverse("families:child_add", args=[family.pk]), {**CHILD, "born_on": "2999-01-01"})
    assert response.status_code == 400 and not Child.objects.exists()


def test_changing_the_risk_level_dates_it(login, officer, family):
    client = login(officer)
    client.post(reverse("families:child_add", args=[family.pk]), {**CHILD, "risk_set_on": "2026-01-01"})
    child = Child.objects.get()
    client.post(reverse("families:child_edit", args=[family.pk, child.pk]), {**CHILD, "risk_level": "very_high"})
    child.refresh_from_db()
    assert (child.risk_level, child.risk_set_on) == ("very_high", timezone.localdate())


@pytest.mark.parametrize("persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_who_may_not_add_children(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).post(reverse("families:child_add", args=[family.pk]), CHILD)
    assert response.status_code == 404
    assert not Child.objects.exists()


def test_a_child_of_another_family_is_404(login, officer, family, other_officer):
    from tests.factories import ChildFactory

    stranger = ChildFactory()
    response = login(officer).get(reverse("families:child_edit", args=[family.pk, stranger.pk]))
    assert response.status_code == 404


def test_add_a_caregiver_with_safe_contact_preferences(login, officer, family):
    data = {
        "full_name": "Anna de Boer",
        "relation": "mother",
        "phone": "0612345678",
        "safe_times": "Weekdays 9-12",
        "safe_channel": "text",
        "never_call_number": "0698765432",
        "needs_interpreter": "on",
        "language": "Arabic",
    }
    assert login(officer).post(reverse("families:member_add", args=[family.pk]), data).status_code == 302
    member = HouseholdMember.objects.get(full_name="Anna de Boer")
    assert member.needs_interpreter and member.never_call_number == "0698765432"


def test_a_caregiver_without_name_is_refused(login, officer, family):
    response = login(officer).post(reverse("families:member_add", args=[family.pk]), {"relation": "mother"})
    assert response.status_code == 400 and not HouseholdMember.objects.filter(relation="mother").exists()


def test_marking_a_caregiver_as_suspected_cuts_them_off_and_warns_staff(login, officer, family, parent):
    member = parent.household_memberships.get()
    Invitation.objects.create(
        email="new@example.org",
        full_name="x",
        role=Role.PARENT,
        family=family,
        token_hash="h",
        created_by=officer,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    member.email = "new@example.org"
    member.save()
    client = login(officer)
    assert client.get(reverse("families:suspicion_mark", args=[family.pk, member.pk])).status_code == 200
    response = client.post(
        reverse("families:suspicion_mark", args=[family.pk, member.pk]), {"reason": "Child disclosed."}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_suspected
    assert not families_for(parent, PORTAL).exists()
    parent.refresh_from_db()  # marking ended their sessions; even a fresh one reaches nothing
    assert login(parent).get(reverse("portal:home")).status_code == 404
    assert Invitation.objects.get().revoked_at is not None
    assert "govuk-warning-text" in client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert AuditEvent.objects.filter(detail__what="caregiver_marked_suspected").exists()


def test_marking_needs_a_reason(login, officer, family, parent):
    member = parent.household_memberships.get()
    response = login(officer).post(reverse("families:suspicion_mark", args=[family.pk, member.pk]), {"reason": ""})
    assert response.status_code == 400
    member.refresh_from_db()
    assert not member.is_suspected


def test_only_a_supervisor_lifts_the_mark_with_a_reason(login, officer, supervisor, family, suspect_caregiver):
    member = suspect_caregiver.household_memberships.get()
    CaregiverSuspicion.objects.create(member=member, reason="x", marked_by=officer)
    url = reverse("families:suspicion_lift", args=[family.pk, member.pk])
    assert login(officer).post(url, {"reason": "Cleared"}).status_code == 404
    assert login(supervisor).post(url, {"reason": ""}).status_code == 400
    assert login(supervisor).post(url, {"reason": "Police cleared him."}).status_code == 302
    member.refresh_from_db()
    assert not member.is_suspected
    suspicion = CaregiverSuspicion.objects.get()
    assert suspicion.lifted_by == supervisor and suspicion.lift_reason == "Police cleared him."
    assert AuditEvent.objects.filter(detail__what="suspicion_lifted").exists()


def test_suspect_caregiver_reaches_no_page_of_the_family(login, family, suspect_caregiver):
    client = login(suspect_caregiver)
    for url in [
        reverse("portal:home"),
        reverse("families:detail", args=[family.pk]),
        reverse("families:child_add", args=[family.pk]),
        reverse("families:handover_pack", args=[family.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_household_member_factory_default_is_not_suspected(family):
    assert not HouseholdMemberFactory(family=family).is_suspected


# Changing a caregiver's details.

MEMBER = {
    "full_name": "Mia Parent-Jansen",
    "relation": "mother",
    "phone": "0612345678",
    "email": "mia@example.org",
    "safe_times": "Weekdays 9-12",
    "safe_channel": "text",
    "never_call_number": "0698765432",
    "language": "Dutch",
}


def member_edit_url(family, member) -> str:
    return reverse("families:member_edit", args=[family.pk, member.pk])


@pytest.fixture
def member(parent):
    return parent.household_memberships.get()


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_who_change_the_case_correct_a_caregivers_details(request, login, family, member, persona):
    client = login(request.getfixturevalue(persona))
    page = client.get(member_edit_url(family, member))
    assert page.status_code == 200 and b"Mia Parent" in page.content
    response = client.post(member_edit_url(family, member), MEMBER)
    assert response.status_code == 302 and response.url == reverse("families:detail", args=[family.pk])
    member.refresh_from_db()
    assert (member.full_name, member.phone, member.safe_channel) == ("Mia Parent-Jansen", "0612345678", "text")
    assert member.never_call_number == "0698765432" and not member.needs_interpreter
    assert AuditEvent.objects.filter(detail__what="caregiver_updated", family_id=family.pk).exists()


@pytest.mark.parametrize(
    "persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver", "administrator"]
)
def test_who_may_not_change_a_caregiver(request, login, family, member, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(member_edit_url(family, member)).status_code == 404
    assert client.post(member_edit_url(family, member), MEMBER).status_code == 404
    member.refresh_from_db()
    assert member.full_name == "Mia Parent"


def test_a_caregiver_of_another_family_is_404(login, officer, family):
    stranger = HouseholdMemberFactory(full_name="Stan Stranger")
    assert login(officer).post(member_edit_url(family, stranger), MEMBER).status_code == 404
    stranger.refresh_from_db()
    assert stranger.full_name == "Stan Stranger"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_changing_a_caregiver_refuses_other_methods(login, officer, family, member, method):
    assert getattr(login(officer), method)(member_edit_url(family, member)).status_code == 405


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"full_name": ""}, "full_name", "Fill in “Full name”."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"safe_channel": "pigeon"}, "safe_channel", "Select a valid choice."),
        ({"phone": "0" * 41}, "phone", "at most 40 characters"),
    ],
)
def test_bad_caregiver_details_are_refused_and_nothing_is_saved(
    english, officer, family, member, overrides, field, message
):
    response = english(officer).post(member_edit_url(family, member), {**MEMBER, **overrides})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    member.refresh_from_db()
    assert (member.full_name, member.phone) == ("Mia Parent", "")
    assert not AuditEvent.objects.filter(detail__what="caregiver_updated").exists()


def test_an_address_already_recorded_in_the_household_is_refused(english, officer, family, member):
    HouseholdMemberFactory(family=family, full_name="Piet Parent", relation="father", email="piet@example.org")
    response = english(officer).post(member_edit_url(family, member), {**MEMBER, "email": "Piet@example.org"})
    assert response.status_code == 400
    assert "already recorded for someone in this household" in response.content.decode()
    member.refresh_from_db()
    assert member.email == ""


def test_changing_a_suspects_address_does_not_let_their_account_back_in(login, officer, family, parent):
    """The same person is a parent here and a suspected caregiver in another family."""
    elsewhere = FamilyFactory(liaison_officer=officer, display_name="Family Elsewhere")
    suspect = HouseholdMemberFactory(
        family=elsewhere, full_name="Mia P.", relation="aunt", email=parent.email, user=None
    )
    suspicion_mark(member=suspect, marked_by=officer, reason="The child disclosed.")
    parent.refresh_from_db()
    assert login(parent).get(reverse("portal:home")).status_code == 404

    data = {**MEMBER, "full_name": "Mia P.", "relation": "aunt", "email": "other@example.org"}
    login(officer).post(member_edit_url(elsewhere, suspect), data)

    parent.refresh_from_db()
    assert login(parent).get(reverse("portal:home")).status_code == 404
