"""The handover pack carries where things stand when a parent may be the exploiter, so the
next officer need not ask again: whether protective mode holds and why, the open concern,
its Meldcode steps with their next dates, the latest screen and when each child was last
seen alone. It stays a staff document: the same people as before may download it."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader

from families.models import Family, FamilyConcern, MeldcodeStep, SeenAlone
from families.services import concerns
from families.services.protection import protective_mode_start
from tests.factories import ChildFactory
from tests.families.concerns_helpers import screen_answers

pytestmark = pytest.mark.django_db


def pack_text(client, family) -> str:
    """The pack's words with all white space removed, so a line break cannot hide one."""
    response = client.get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def short(day) -> str:
    return squeeze(formats.date_format(day, "SHORT_DATE_FORMAT"))


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def children(family, officer):
    noor = ChildFactory(family=family, full_name="Noor Jansen", created_by=officer)
    sem = ChildFactory(family=family, full_name="Sem Jansen", role="sibling", exploitation_kind="", created_by=officer)
    return noor, sem


@pytest.fixture
def concern_case(family, officer, children):
    """A concern raised by the intake screen five weeks ago, two Meldcode steps (the
    newest with its next date passed), Noor seen alone a week ago, Sem never, and
    protective mode started by the officer and not yet confirmed."""
    noor, _sem = children
    Family.objects.filter(pk=family.pk).update(referral_on=days(-60))
    family.refresh_from_db()
    concerns.screen_record(
        family=family,
        created_by=officer,
        occasion="intake",
        note="PACK-screen-note",
        **screen_answers("concern", afraid_at_home="yes") | {"screened_on": days(-35)},
    )
    concern = FamilyConcern.objects.get()
    FamilyConcern.objects.filter(pk=concern.pk).update(raised_at=timezone.now() - timedelta(days=35))
    for kind, taken, next_on, reference in (
        ("signals", -34, -20, ""),
        ("vt_consulted", -20, -2, "VT-PACK-4471"),
    ):
        concerns.meldcode_step_record(
            concern=concern,
            created_by=officer,
            kind=kind,
            taken_on=days(taken),
            taken_by="Olivia Officer",
            reference=reference,
            note=f"PACK-step-{kind}",
            next_on=days(next_on),
        )
    concerns.seen_alone_record(
        family=family,
        created_by=officer,
        child=noor,
        seen_on=days(-7),
        seen_by="Anna de Vries",
        agency="Youth care",
        place="At school",
        discussed="PACK-discussed",
    )
    protective_mode_start(family=family, started_by=officer, reason="PACK-protective-reason")
    return concern


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_the_pack_says_where_the_concern_stands(request, english, family, concern_case, persona):
    text = pack_text(english(request.getfixturevalue(persona)), family)
    assert "Concernaboutacaregiver" in text
    # Protective mode: that it holds, since when, why, and that it still waits for a supervisor.
    assert "Protectivemode" in text and "Holdssince" in text and "nothingnewreachestheparents" in text
    assert "PACK-protective-reason" in text
    assert "Notyetconfirmed" in text
    # The open concern and its reason.
    assert "Openconcern" in text and "Raisedon" in text
    assert "PACK-screen-note" in text
    # Every Meldcode step with its next date; the passed one said to be overdue.
    steps = MeldcodeStep.objects.order_by("taken_on")
    for step in steps:
        assert squeeze(step.get_kind_display()) in text
        assert short(step.next_on) in text
    assert "PACK-step-signals" in text and "PACK-step-vt_consulted" in text
    assert "ReferenceVT-PACK-4471" in text
    # Only the newest step's next date is still open: it passed, so it is overdue.
    assert text.count("overdue") == 1
    assert f"{short(days(-2))}overdue" in text
    assert f"Nextstepwasdueon{short(days(-2))}" in text
    # The latest screen with its answers and judgement.
    assert "Screenforexploitationwithinthefamily" in text and "Aconcern" in text
    assert "Isthechildafraidathome,orunwillingtogohome?Yes" in text
    # When each child was last seen alone, never what was discussed (that is on its page).
    assert f"NoorJansen:lastseenaloneon{short(days(-7))}byAnnadeVries(Youthcare)" in text
    assert "SemJansen:neverseenalone" in text
    assert "notseenaloneinthelast28days" not in text  # Noor was, a week ago


def test_a_child_not_seen_alone_for_too_long_is_pointed_out(english, officer, family, concern_case):
    SeenAlone.objects.update(seen_on=days(-40))
    text = pack_text(english(officer), family)
    seen = f"NoorJansen:lastseenaloneon{short(days(-40))}byAnnadeVries(Youthcare)"
    assert f"{seen}\N{EN DASH}notseenaloneinthelast28days" in text


def test_the_pack_of_a_family_without_a_concern_says_so(english, officer, family, children):
    text = pack_text(english(officer), family)
    assert "Protectivemode" in text and "Doesnothold." in text
    assert "Noopenconcern." in text
    assert "Thescreenhasnotbeenansweredyet." in text
    assert "NoorJansen:neverseenalone" in text
    assert "notseenaloneinthelast28days" not in text  # that matters while a concern is open
    assert "Meldcodesteps" not in text


def test_a_next_date_still_to_come_is_planned_not_overdue(english, officer, family, concern_case):
    concerns.meldcode_step_record(
        concern=concern_case,
        created_by=officer,
        kind="talk",
        taken_on=days(0),
        taken_by="Olivia Officer",
        next_on=days(10),
    )
    text = pack_text(english(officer), family)
    assert "overdue" not in text
    assert f"Thenextstepisplannedfor{squeeze(formats.date_format(days(10), 'DATE_FORMAT'))}." in text


def test_the_confirmed_mode_names_the_supervisor(english, officer, supervisor, family, concern_case):
    from families.services.protection import protective_mode_confirm

    protective_mode_confirm(family=family, supervisor=supervisor)
    text = pack_text(english(officer), family)
    assert f"by{squeeze(supervisor.full_name)}." in text and "Confirmedon" in text
    assert "Notyetconfirmed" not in text


def test_a_closed_concern_leaves_only_its_history(english, officer, supervisor, family, concern_case):
    concerns.concern_close(concern=concern_case, closed_by=supervisor, close_reason="PACK-closed")
    text = pack_text(english(officer), family)
    assert "Noopenconcern." in text
    assert "overdue" not in text and "Thenextstepisplannedfor" not in text
    assert "PACK-screen-note" in text  # the latest screen stays what it was


@pytest.mark.parametrize("persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_only_the_familys_staff_may_download_it(request, login, family, concern_case, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 404
    assert b"PACK-" not in response.content
