"""A double submit never saves twice: every form page carries a one-time token, and the
second submit of the same form (a double click, a resend after a slow answer) shows the
first result instead of saving again."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    Child,
    ContactEntry,
    HouseholdMember,
    Incident,
    MissingEpisode,
    PortalMessage,
    SharedInformation,
    SupervisionNote,
)
from liaison.accounts.models import FormSubmission
from tests.factories import ChildFactory
from tests.families.test_contacts import contact_post
from tests.families.test_incidents import incident_post
from tests.families.test_missing import missing_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="submission" value="([A-Za-z0-9_-]+)"')


def token_from(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    found = TOKEN.search(page.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def submit_twice(client, url: str, data: dict):
    token = token_from(client, url)
    first = client.post(url, {**data, "submission": token})
    second = client.post(url, {**data, "submission": token})
    return first, second


def child_data():
    return {"full_name": "Sam", "role": "sibling"}


def today() -> str:
    return timezone.localdate().isoformat()


CASES = {
    "contact": ("families:contact_add", ContactEntry, lambda family: contact_post()),
    "incident": ("families:incident_add", Incident, lambda family: incident_post()),
    "missing": ("families:missing_add", MissingEpisode, lambda family: missing_post(ChildFactory(family=family))),
    "child": ("families:child_add", Child, lambda family: child_data()),
    "member": ("families:member_add", HouseholdMember, lambda family: {"full_name": "Jan", "relation": "father"}),
    "agency": (
        "families:agency_add",
        AgencyInvolvement,
        lambda family: {"agency": "school", "worker_name": "Ms de Vries", "started_on": today()},
    ),
    "supervision": (
        "families:supervision_add",
        SupervisionNote,
        lambda family: {"held_on": today(), "officer": family.liaison_officer_id, "note": "Discussed the risk."},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_double_submit_of_a_case_form_saves_once_and_shows_the_first_result(login, supervisor, family, case):
    url_name, model, data = CASES[case]
    client = login(supervisor)
    url = reverse(url_name, args=[family.pk])
    before = model.objects.count()
    first, second = submit_twice(client, url, data(family))
    assert first.status_code == 302, first.content.decode()[:800]
    assert second.status_code == 302 and second.url == first.url
    assert model.objects.count() == before + 1


def test_opening_a_family_twice_opens_one(login, officer, police_unit):
    from families.models import Family

    client = login(officer)
    url = reverse("families:open")
    data = {
        "display_name": "Family Twice",
        "referral_on": today(),
        "referral_source": "police",
        "referral_note": "Referred",
        "police_unit": police_unit.pk,
    }
    first, second = submit_twice(client, url, data)
    assert first.status_code == second.status_code == 302 and second.url == first.url
    assert Family.objects.filter(display_name="Family Twice").count() == 1


def test_a_parent_sending_a_message_twice_sends_it_once(login, parent, family):
    client = login(parent)
    url = reverse("portal:messages")
    first, second = submit_twice(client, url, {"text": "Can we talk tomorrow?"})
    assert first.status_code == 302 and second.url == first.url
    assert PortalMessage.objects.filter(family=family, from_parent=True).count() == 1


def test_a_parent_sharing_twice_shares_once(login, parent, family):
    client = login(parent)
    url = reverse("portal:share")
    data = {"text": "A car waited outside the school.", "happened_on": today(), "happened_where": "School"}
    first, second = submit_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:600]
    assert second.url == first.url
    assert SharedInformation.objects.filter(family=family).count() == 1


def test_without_a_token_every_submit_counts_as_before(login, officer, family):
    client = login(officer)
    url = reverse("families:incident_add", args=[family.pk])
    client.post(url, incident_post())
    client.post(url, incident_post())
    assert Incident.objects.filter(family=family).count() == 2


def test_a_token_is_for_its_own_person_only(login, officer, supervisor, family):
    url = reverse("families:incident_add", args=[family.pk])
    token = token_from(login(officer), url)
    assert login(officer).post(url, {**incident_post(), "submission": token}).status_code == 302
    assert login(supervisor).post(url, {**incident_post(), "submission": token}).status_code == 302
    assert Incident.objects.filter(family=family).count() == 2


def test_a_refused_submit_can_be_corrected_and_sent_with_the_same_token(login, officer, family):
    client = login(officer)
    url = reverse("families:incident_add", args=[family.pk])
    token = token_from(client, url)
    future = incident_post(occurred_at=(timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    assert client.post(url, {**future, "submission": token}).status_code == 400
    assert client.post(url, {**incident_post(), "submission": token}).status_code == 302
    assert Incident.objects.filter(family=family).count() == 1
    assert FormSubmission.objects.count() == 1


@pytest.mark.parametrize("token", ["", "x" * 300, "<script>", "\x00"])
def test_a_strange_token_is_no_token(login, officer, family, token):
    client = login(officer)
    url = reverse("families:incident_add", args=[family.pk])
    assert client.post(url, {**incident_post(), "submission": token}).status_code in (302, 400)
    assert Incident.objects.filter(family=family).count() <= 1
