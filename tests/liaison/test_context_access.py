"""Access to the families of another unit in a hit (issue 27): a police partner or
analyst asks with a reason, a police partner of the other unit grants or refuses, the
grant runs out after a week, and every step and every read is in the audit trail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import ContextAccessRequest, ContextHit
from families.services import contexts as services
from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

MARKER = "MARKER-B-9034"


@pytest.fixture
def hit(family, officer, other_family, other_officer):
    services.context_link_record(family=family, created_by=officer, kind="vehicle", label="AB-123-C")
    services.context_link_record(
        family=other_family, created_by=other_officer, kind="vehicle", label="ab123c", note=MARKER
    )
    return ContextHit.objects.get()


def hit_url(hit) -> str:
    return reverse("context_hit", args=[hit.pk])


def ask_url(hit, unit) -> str:
    return reverse("context_access_ask", args=[hit.pk, unit.pk])


def decide_url(access) -> str:
    return reverse("context_access_decide", args=[access.pk])


REASON = "The same car was seen near both schools this month."


@pytest.mark.parametrize("asker", ["police", "analyst"])
def test_the_whole_flow_ask_grant_read(request, english, hit, other_unit, other_police, other_family, asker):
    user = request.getfixturevalue(asker)
    client = english(user)
    page = client.get(hit_url(hit)).content.decode()
    assert MARKER not in page and other_family.reference not in page and "Vice unit South" in page
    response = client.post(ask_url(hit, other_unit), {"reason": REASON})
    assert response.status_code == 302
    access = ContextAccessRequest.objects.get()
    assert (access.requested_by, access.unit, access.reason, access.is_open) == (user, other_unit, REASON, True)
    assert MARKER not in client.get(hit_url(hit)).content.decode()

    waiting = english(other_police).get(reverse("context_access_requests"))
    assert user.full_name in waiting.content.decode()
    assert english(other_police).post(decide_url(access), {"grant": "yes", "note": "For a week."}).status_code == 302
    access.refresh_from_db()
    assert access.granted and access.is_valid and access.decided_by == other_police

    page = client.get(hit_url(hit)).content.decode()
    assert MARKER in page and other_family.reference in page
    assert AuditEvent.objects.filter(action=AuditAction.CONTEXT_ACCESS_REQUESTED, actor=user).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CONTEXT_ACCESS_DECIDED, actor=other_police).exists()
    read = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, actor=user, family_id=other_family.pk)
    assert read.exists() and read.first().detail["access"] == "context_access"


def test_a_refusal_shows_nothing_and_a_grant_runs_out(english, police, hit, other_unit, other_police):
    access = services.context_access_request(hit=hit, unit=other_unit, requested_by=police, reason=REASON)
    services.context_access_decide(access=access, decided_by=other_police, grant=False, note="Not needed.")
    assert MARKER not in english(police).get(hit_url(hit)).content.decode()
    second = services.context_access_request(hit=hit, unit=other_unit, requested_by=police, reason=REASON)
    services.context_access_decide(access=second, decided_by=other_police, grant=True)
    assert MARKER in english(police).get(hit_url(hit)).content.decode()
    ContextAccessRequest.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert MARKER not in english(police).get(hit_url(hit)).content.decode()


def test_a_grant_is_for_the_person_who_asked_only(english, police, analyst, hit, other_unit, other_police):
    access = services.context_access_request(hit=hit, unit=other_unit, requested_by=police, reason=REASON)
    services.context_access_decide(access=access, decided_by=other_police, grant=True)
    assert MARKER not in english(analyst).get(hit_url(hit)).content.decode()


@pytest.mark.parametrize("persona", ["police", "analyst", "other_analyst", "officer", "other_officer", "outsider"])
def test_only_a_police_partner_of_the_unit_asked_decides(request, login, police, hit, other_unit, persona):
    access = services.context_access_request(hit=hit, unit=other_unit, requested_by=police, reason=REASON)
    client = login(request.getfixturevalue(persona))
    assert client.post(decide_url(access), {"grant": "yes"}).status_code == 404
    access.refresh_from_db()
    assert access.is_open


def test_a_decided_request_cannot_be_decided_again(login, police, hit, other_unit, other_police):
    access = services.context_access_request(hit=hit, unit=other_unit, requested_by=police, reason=REASON)
    client = login(other_police)
    assert client.post(decide_url(access), {"grant": "no"}).status_code == 302
    assert client.post(decide_url(access), {"grant": "yes"}).status_code == 404
    access.refresh_from_db()
    assert access.granted is False


@pytest.mark.parametrize(
    ("data", "message"),
    [({"reason": ""}, "Give the reason for your request."), ({"reason": "Need it."}, "at least 20 characters")],
)
def test_a_request_needs_a_reason(english, police, hit, other_unit, data, message):
    response = english(police).post(ask_url(hit, other_unit), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ContextAccessRequest.objects.exists()


def test_a_decision_must_be_chosen(english, police, hit, other_unit, other_police):
    access = services.context_access_request(hit=hit, unit=other_unit, requested_by=police, reason=REASON)
    response = english(other_police).post(decide_url(access), {"grant": ""})
    assert response.status_code == 400 and "Choose whether you grant access." in response.content.decode()
    access.refresh_from_db()
    assert access.is_open


def test_nobody_asks_their_own_unit_or_a_unit_outside_the_hit(login, police, hit, police_unit):
    from tests.factories import PoliceUnitFactory

    client = login(police)
    assert client.get(ask_url(hit, police_unit)).status_code == 404
    assert client.get(ask_url(hit, PoliceUnitFactory(name="East"))).status_code == 404


@pytest.mark.parametrize(
    "persona", ["officer", "other_officer", "supervisor", "parent", "suspect_caregiver", "outsider"]
)
def test_staff_of_families_parents_and_other_units_never_reach_a_hit(request, login, hit, persona):
    response = login(request.getfixturevalue(persona)).get(hit_url(hit))
    assert response.status_code == 404 and MARKER not in response.content.decode()
