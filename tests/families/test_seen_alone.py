"""When a child was last seen alone: recorded by staff, shown per child on the family
page, and on the supervisor's dashboard for families with an open concern and nobody
seen alone in the last 28 days."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Family, SeenAlone
from families.selectors.case import with_attention
from families.selectors.concerns import SEEN_ALONE_WITHIN_DAYS
from families.services import concerns
from liaison.staff.attention import Attention, attach_attention, needs_attention
from tests.factories import ChildFactory, FamilyFactory
from tests.families.concerns_helpers import NOT_ALLOWED, STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(family, officer):
    return ChildFactory(
        family=family,
        full_name="Noor",
        exploitation_kind="sexual",
        risk_level="high",
        risk_set_on=timezone.localdate(),
        created_by=officer,
    )


def data(chosen, **changes) -> dict:
    return {
        "child": chosen.pk,
        "seen_on": timezone.localdate().isoformat(),
        "seen_by": "Anna de Vries",
        "agency": "Youth care",
        "place": "At school",
        "discussed": "She talked about her phone being taken.",
        **changes,
    }


def add_url(family):
    return reverse("families:seen_alone_add", args=[family.pk])


def record(family, officer, child, days_ago: int) -> SeenAlone:
    return concerns.seen_alone_record(
        family=family,
        created_by=officer,
        child=child,
        seen_on=timezone.localdate() - timedelta(days=days_ago),
        seen_by="Anna de Vries",
        agency="Youth care",
        place="At school",
        discussed="Talked.",
    )


def test_officer_records_it_and_the_family_page_shows_it_per_child(english, officer, family, child):
    sibling = ChildFactory(family=family, full_name="Sami", role="sibling", created_by=officer)
    client = english(officer)
    response = client.post(add_url(family), data(child))
    assert response.status_code == 302
    seen = SeenAlone.objects.get()
    assert seen.child == child and seen.discussed.startswith("She talked")
    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "last seen alone on" in page and "Anna de Vries (Youth care)" in page
    assert f"<strong>{sibling.full_name}</strong>: never seen alone" in page
    listing = client.get(reverse("families:seen_alone", args=[family.pk])).content.decode()
    assert "her phone being taken" in listing and "At school" in listing


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"seen_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "seen_on", "cannot be in the future"),
        ({"seen_on": ""}, "seen_on", "Give the date the child was seen alone."),
        ({"seen_by": ""}, "seen_by", "Give the name of the person who saw the child."),
        ({"agency": ""}, "agency", "Give the agency"),
        ({"place": ""}, "place", "Say where the child was seen."),
        ({"discussed": ""}, "discussed", "Say what it was possible to discuss"),
        ({"discussed": "Talked\x00"}, "discussed", "invisible control character"),
        ({"child": ""}, "child", "Choose the child."),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(english, officer, family, child, change, field, message):
    response = english(officer).post(add_url(family), data(child, **change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not SeenAlone.objects.exists()


def test_a_child_of_another_family_is_refused(english, officer, family, child):
    elsewhere = ChildFactory(family=FamilyFactory(liaison_officer=officer, team=officer.team), created_by=officer)
    response = english(officer).post(add_url(family), data(elsewhere))
    assert response.status_code == 400
    assert not SeenAlone.objects.exists()


@pytest.mark.parametrize("persona", STAFF)
def test_staff_see_and_record_it(request, login, family, child, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:seen_alone", args=[family.pk])).status_code == 200
    assert client.post(add_url(family), data(child)).status_code == 302


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_nobody_else_sees_or_records_it(request, login, family, child, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:seen_alone", args=[family.pk])).status_code == 404
    assert client.post(add_url(family), data(child)).status_code == 404
    assert not SeenAlone.objects.exists()


def flagged(family) -> bool:
    families = list(with_attention(Family.objects.filter(pk=family.pk).select_related("team")))
    attach_attention(families)
    return Attention.NOT_SEEN_ALONE in needs_attention(families[0])


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(None, True), (0, False), (SEEN_ALONE_WITHIN_DAYS, False), (SEEN_ALONE_WITHIN_DAYS + 1, True)],
)
def test_an_open_concern_without_the_child_seen_alone_recently_needs_attention(
    officer, family, child, days_ago, expected
):
    if days_ago is not None:
        record(family, officer, child, days_ago)
    assert not flagged(family), "without a concern nothing is flagged"
    concerns.concern_raise(family=family, raised_by=officer, reason="Afraid at home")
    assert flagged(family) is expected


def test_the_supervisor_sees_it_on_the_dashboard(english, supervisor, officer, family, child):
    concerns.concern_raise(family=family, raised_by=officer, reason="Afraid at home")
    response = english(supervisor).get(reverse("dashboard"))
    lists = {item.kind: item.families for item in response.context["lists"]}
    assert [f.pk for f in lists[Attention.NOT_SEEN_ALONE]] == [family.pk]
    assert "Open concern: see the child alone" in response.content.decode()
