"""A concern that a caregiver may be involved: raised at any time with a reason, closed
with a reason, at most one open per family; shown to staff on the family page and in the
header of every page of the case; police partners learn only that one is open."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from families.models import FamilyConcern
from families.services import concerns
from liaison.audit.models import AuditEvent
from liaison.validators import CONTROL_CHARACTER
from tests.families.concerns_helpers import NOT_ALLOWED, STAFF

pytestmark = pytest.mark.django_db

REASON = "The child said her stepfather takes her phone at night."


def raise_url(family):
    return reverse("families:concern_raise", args=[family.pk])


@pytest.fixture
def concern(family, officer):
    return concerns.concern_raise(family=family, raised_by=officer, reason=REASON)


def test_officer_raises_a_concern_and_it_shows_on_the_family_page_and_in_the_header(english, officer, family):
    client = english(officer)
    response = client.post(raise_url(family), {"reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("families:concerns", args=[family.pk])
    concern = FamilyConcern.objects.get()
    assert concern.is_open and concern.raised_by == officer and concern.reason == REASON
    assert AuditEvent.objects.filter(detail__what="concern_raised", family_id=family.pk).count() == 1
    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Open concern" in page and "stepfather takes her phone" in page
    assert "There is an open concern that a parent or other caregiver may be involved" in page
    assert "There is an open concern" in client.get(reverse("families:contacts", args=[family.pk])).content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_concern_without_a_reason_is_refused_and_nothing_saved(english, officer, family, reason):
    response = english(officer).post(raise_url(family), {"reason": reason})
    assert response.status_code == 400
    assert "Say why you are concerned." in response.content.decode()
    assert not FamilyConcern.objects.exists()


def test_a_control_character_in_the_reason_is_refused(english, officer, family):
    response = english(officer).post(raise_url(family), {"reason": "Afraid\x00 at home"})
    assert response.status_code == 400
    assert str(CONTROL_CHARACTER) in response.content.decode()
    assert not FamilyConcern.objects.exists()


def test_the_refusal_is_said_in_dutch(login, officer, family):
    response = login(officer).post(raise_url(family), {"reason": ""}, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Schrijf op waarom u zich zorgen maakt." in response.content.decode()


def test_a_family_has_at_most_one_open_concern(english, officer, family, concern):
    response = english(officer).post(raise_url(family), {"reason": "Another worry"})
    assert response.status_code == 400
    assert "There is already an open concern" in response.content.decode()
    assert FamilyConcern.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyConcern.objects.create(family=family, raised_by=officer, reason="Twice")


def test_a_concern_is_closed_with_a_reason_and_kept(english, officer, family, concern):
    url = reverse("families:concern_close", args=[family.pk, concern.pk])
    client = english(officer)
    refused = client.post(url, {"close_reason": ""})
    assert refused.status_code == 400 and "Say why the concern is closed." in refused.content.decode()
    concern.refresh_from_db()
    assert concern.is_open
    assert client.post(url, {"close_reason": "The child was seen alone twice; no signs."}).status_code == 302
    concern.refresh_from_db()
    assert not concern.is_open and concern.closed_by == officer
    page = client.get(reverse("families:concerns", args=[family.pk])).content.decode()
    assert "Closed concerns" in page and "seen alone twice" in page
    assert "There is an open concern" not in client.get(reverse("families:detail", args=[family.pk])).content.decode()
    # A new concern may be raised once the old one is closed.
    assert client.post(raise_url(family), {"reason": "New signs"}).status_code == 302
    assert FamilyConcern.objects.open().count() == 1


@pytest.mark.parametrize("persona", STAFF)
def test_officer_and_supervisor_see_the_concern(request, english, family, concern, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:concerns", args=[family.pk]))
    assert response.status_code == 200
    assert "stepfather takes her phone" in response.content.decode()


@pytest.mark.parametrize("persona", NOT_ALLOWED)
@pytest.mark.parametrize("name", ["families:concerns", "families:concern_raise"])
def test_nobody_else_reaches_the_concern(request, login, family, concern, persona, name):
    assert login(request.getfixturevalue(persona)).get(reverse(name, args=[family.pk])).status_code == 404
    close = reverse("families:concern_close", args=[family.pk, concern.pk])
    assert login(request.getfixturevalue(persona)).post(close, {"close_reason": "x"}).status_code == 404
    concern.refresh_from_db()
    assert concern.is_open


def test_police_learn_that_a_concern_is_open_and_nothing_more(english, police, family, concern):
    page = english(police).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "There is an open concern that a parent or other caregiver may be involved" in page
    assert "stepfather takes her phone" not in page
    assert reverse("families:concerns", args=[family.pk]) not in page
    assert "Screen for exploitation within the family" not in page


def test_the_concern_of_another_family_is_not_reached(login, officer, family, concern):
    from tests.factories import FamilyFactory

    other = FamilyFactory(liaison_officer=officer, team=officer.team)
    url = reverse("families:concern_close", args=[other.pk, concern.pk])
    assert login(officer).get(url).status_code == 404


def test_a_wrong_method_is_refused(login, officer, family, concern):
    client = login(officer)
    assert client.post(reverse("families:concerns", args=[family.pk])).status_code == 405
    assert client.delete(raise_url(family)).status_code == 405


# Consent when a parent may be suspected: the invitation asks the officer to confirm.


@pytest.fixture
def caregiver(family):
    from tests.factories import HouseholdMemberFactory

    return HouseholdMemberFactory(family=family, full_name="Mira Jansen", email="mira@example.org", user=None)


def test_inviting_a_caregiver_while_a_concern_is_open_warns_and_asks_to_confirm(
    english, officer, family, concern, caregiver, mailoutbox
):
    from liaison.accounts.models import Invitation

    client = english(officer)
    url = reverse("invitation_create")
    shown = client.get(f"{url}?member={caregiver.pk}").content.decode()
    assert "There is an open concern that a caregiver in family" in shown
    data = {"member": caregiver.pk, "email": caregiver.email, "role": "parent"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Invite this caregiver only when you are sure it is safe" in refused.content.decode()
    assert not Invitation.objects.exists() and not mailoutbox
    assert client.post(url, {**data, "confirm_despite_concern": "on"}).status_code == 302
    invitation = Invitation.objects.get()
    event = AuditEvent.objects.get(action="invitation_sent")
    assert event.detail["despite_open_concern"] == concern.pk
    assert invitation.member == caregiver


def test_without_a_concern_the_invitation_asks_nothing_more(english, officer, family, caregiver):
    client = english(officer)
    data = {"member": caregiver.pk, "email": caregiver.email, "role": "parent"}
    assert client.post(reverse("invitation_create"), data).status_code == 302
    event = AuditEvent.objects.get(action="invitation_sent")
    assert event.detail["despite_open_concern"] is None


def test_the_service_refuses_an_invitation_without_confirmation_while_a_concern_is_open(
    officer, family, concern, caregiver
):
    from django.core.exceptions import ValidationError

    from liaison.accounts.models import Role
    from liaison.staff.services import invitation_create

    with pytest.raises(ValidationError):
        invitation_create(
            created_by=officer, email=caregiver.email, role=Role.PARENT, member=caregiver, build_url=lambda p: p
        )
