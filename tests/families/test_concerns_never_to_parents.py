"""What is written in the screen, a concern, a note of a child seen alone and the
Meldcode step log never reaches a parent, nor the suspected caregiver: a marker is put in
every text of them, then every portal page, the parents' plan PDF, every e-mail and the
parent's own subject access export are searched for it. Police partners see only that a
concern is open."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from families.services import concerns
from families.services.messages import portal_message_send
from safety_plans import services as plans
from tests.families.concerns_helpers import screen_answers
from tests.safety_plans.conftest import active_plan, agreed_plan, child, draft, filled_draft, shared_plan  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "INFAMILYONLY"
PORTAL_PAGES = [
    "portal:home",
    "portal:about",
    "portal:rating",
    "portal:messages",
    "portal:notifications",
    "portal:shared",
    "portal:share",
    "portal:justice",
    "portal:plan",
    "portal:plan_shared",
    "portal:plan_agree",
]


def m(field: str) -> str:
    return f"{MARKER}{field}"


def markers_in(text: str) -> list[str]:
    return sorted(set(re.findall(rf"{MARKER}\w+", text)))


@pytest.fixture
def marked_case(family, officer, child, active_plan):  # noqa: F811
    """The family with an open concern raised by a screen, a child seen alone and every
    kind of Meldcode step, each text with a marker; and a newer plan shared with the parents."""
    concerns.screen_record(
        family=family, created_by=officer, note=m("screennote"), **screen_answers("serious", child_named_family="yes")
    )
    concern = concerns.open_concern_of(family)
    concerns.seen_alone_record(
        family=family,
        created_by=officer,
        child=child,
        seen_on=timezone.localdate(),
        seen_by=m("seenby"),
        agency=m("agency"),
        place=m("place"),
        discussed=m("discussed"),
    )
    for kind in ("signals", "vt_reported", "board", "police_report"):
        concerns.meldcode_step_record(
            concern=concern,
            created_by=officer,
            kind=kind,
            taken_on=timezone.localdate(),
            taken_by=m("takenby"),
            reference=m("ref"),
            note=m(f"step{kind}"),
            next_on=timezone.localdate() + timedelta(days=3),
        )
    newer = plans.plan_version_start(family=family, created_by=officer)
    plans.plan_share(version=newer, base_revision=newer.revision, actor=officer)
    portal_message_send(family=family, author=officer, text="How are you this week?", from_parent=False)
    return concern


def test_nothing_of_it_reaches_the_parent(login, parent, family, marked_case, mailoutbox):
    client = login(parent)
    for name in PORTAL_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert markers_in(response.content.decode()) == [], name
    pdf = client.get(reverse("portal:plan_pdf"))
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert markers_in(text) == []
    assert mailoutbox, "the parents were told that there is something new"
    for mail in mailoutbox:
        assert markers_in(f"{mail.subject} {mail.body}") == []
        assert "concern" not in mail.body.lower() and "Meldcode" not in mail.body


def test_the_suspected_caregiver_reaches_nothing(login, suspect_caregiver, family, marked_case, mailoutbox):
    client = login(suspect_caregiver)
    for name in [*PORTAL_PAGES, "portal:plan_pdf"]:
        response = client.get(reverse(name))
        assert response.status_code == 404, name
        assert markers_in(response.content.decode()) == []
    suspect_address = suspect_caregiver.email
    assert all(suspect_address not in mail.to for mail in mailoutbox)


def test_the_parents_own_export_holds_none_of_it(login, administrator, parent, marked_case):
    member = parent.household_memberships.get()
    response = login(administrator).get(reverse("subject_access_json", args=["member", member.pk]))
    assert response.status_code == 200
    assert markers_in(response.content.decode()) == []


def test_police_see_that_a_concern_is_open_and_none_of_its_texts(english, police, family, marked_case):
    client = english(police)
    for name in ("families:detail", "families:chronology", "families:agencies", "families:justice"):
        response = client.get(reverse(name, args=[family.pk]))
        assert response.status_code == 200, name
        assert markers_in(response.content.decode()) == [], name
    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "There is an open concern" in page
    for name in ("families:concerns", "families:screens", "families:seen_alone"):
        assert client.get(reverse(name, args=[family.pk])).status_code == 404


def test_staff_see_it_all(english, officer, family, marked_case):
    client = english(officer)
    seen = set()
    for name in ("families:concerns", "families:screens", "families:seen_alone", "families:chronology"):
        seen |= set(markers_in(client.get(reverse(name, args=[family.pk])).content.decode()))
    assert {m("screennote"), m("discussed"), m("stepsignals"), m("ref"), m("seenby")} <= seen
