"""The Meldcode step log of a concern: the five steps with the five weighing questions
in step 4, Veilig Thuis, the child protection board and the police report; who, when and
the next date; in the chronology for staff only, and overdue on the dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import MeldcodeStep
from families.services import concerns
from liaison.staff.attention import Attention
from tests.families.concerns_helpers import NOT_ALLOWED, STAFF, step_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(family, officer):
    return concerns.concern_raise(family=family, raised_by=officer, reason="The child is afraid to go home.")


def add_url(family, concern) -> str:
    return reverse("families:meldcode_step_add", args=[family.pk, concern.pk])


def test_officer_walks_the_five_steps_and_they_show_on_the_concern(english, officer, family, concern):
    client = english(officer)
    for kind, extra in [
        ("signals", {}),
        ("consult", {}),
        ("vt_consulted", {"reference": "VT-ADV-12"}),
        ("talk", {}),
        ("weigh", {}),
        ("decide", {}),
        ("vt_reported", {"reference": "VT-2026-889"}),
        ("board", {}),
        ("police_report", {"reference": "PL-2026-1"}),
    ]:
        response = client.post(add_url(family, concern), step_data(kind, **extra))
        assert response.status_code == 302, (kind, response.context and response.context["form"].errors)
    steps = list(MeldcodeStep.objects.order_by("pk"))
    assert [step.kind for step in steps][:6] == ["signals", "consult", "vt_consulted", "talk", "weigh", "decide"]
    weigh = steps[4]
    assert [answer for _question, answer in weigh.weighing()] == ["Yes"] * 5
    assert steps[5].decision == "both"
    assert steps[0].reference == ""
    page = client.get(reverse("families:concerns", args=[family.pk])).content.decode()
    assert "Step 4: weigh the violence or abuse" in page and "VT-2026-889" in page
    assert "Report to Veilig Thuis and offer help" in page


@pytest.mark.parametrize(
    ("kind", "change", "field", "message"),
    [
        ("signals", {"taken_on": "2999-01-01"}, "taken_on", "The date cannot be in the future."),
        ("signals", {"taken_on": ""}, "taken_on", "Give the date of the step."),
        ("signals", {"taken_by": ""}, "taken_by", "Give the name of the person who took the step."),
        ("signals", {"kind": ""}, "kind", "Choose the step."),
        ("weigh", {"weigh_lasting": ""}, "weigh_lasting", "Answer yes, no or not known."),
        ("decide", {"decision": ""}, "decision", "Choose the decision."),
        ("vt_reported", {}, "reference", "Give the reference of the report."),
        ("police_report", {"reference": ""}, "reference", "Give the reference of the report."),
        (
            "signals",
            {"next_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "next_on",
            "The next step cannot be before this one.",
        ),
        ("signals", {"note": "Asked\x00"}, "note", "invisible control character"),
    ],
)
def test_bad_steps_are_refused_and_nothing_saved(english, officer, family, concern, kind, change, field, message):
    response = english(officer).post(add_url(family, concern), step_data(kind, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors or not response.context["form"].is_valid()
    assert not MeldcodeStep.objects.exists()


def test_a_step_before_the_concern_was_raised_is_refused(english, officer, family, concern):
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = english(officer).post(add_url(family, concern), step_data(taken_on=day))
    assert response.status_code == 400
    assert "The step cannot be before the concern was raised." in response.content.decode()


def test_weighing_answers_are_kept_only_in_step_four(officer, concern):
    step = concerns.meldcode_step_record(
        concern=concern,
        created_by=officer,
        kind="talk",
        taken_on=timezone.localdate(),
        taken_by="Olivia",
        weigh_suspicion="yes",
        decision="report",
    )
    assert step.weigh_suspicion == "" and step.decision == ""


def test_a_closed_concern_takes_no_new_steps(login, officer, family, concern):
    concerns.concern_close(concern=concern, closed_by=officer, close_reason="No signs after three talks alone.")
    assert login(officer).get(add_url(family, concern)).status_code == 404
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        concerns.meldcode_step_record(
            concern=concern, created_by=officer, kind="signals", taken_on=timezone.localdate(), taken_by="Olivia"
        )


@pytest.mark.parametrize("persona", STAFF)
def test_staff_record_steps(request, login, family, concern, persona):
    client = login(request.getfixturevalue(persona))
    assert client.post(add_url(family, concern), step_data()).status_code == 302


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_nobody_else_records_steps(request, login, family, concern, persona):
    assert login(request.getfixturevalue(persona)).post(add_url(family, concern), step_data()).status_code == 404
    assert not MeldcodeStep.objects.exists()


def test_the_chronology_shows_the_steps_to_staff_and_not_to_the_police(
    english, officer, supervisor, police, family, concern
):
    concerns.meldcode_step_record(
        concern=concern,
        created_by=officer,
        kind="vt_consulted",
        taken_on=timezone.localdate(),
        taken_by="Olivia",
        reference="VT-ADV-77",
        note="STEPNOTE advised to talk with the child alone",
    )
    url = reverse("families:chronology", args=[family.pk])
    for staff in (officer, supervisor):
        page = english(staff).get(url).content.decode()
        assert "Meldcode: Veilig Thuis consulted" in page and "STEPNOTE" in page
        assert "Concern raised that a caregiver may be involved" in page
    page = english(police).get(url).content.decode()
    assert "STEPNOTE" not in page and "Meldcode" not in page and "afraid to go home" not in page


def test_an_overdue_next_step_is_on_the_dashboard(english, supervisor, officer, family, concern):
    step = concerns.meldcode_step_record(
        concern=concern,
        created_by=officer,
        kind="signals",
        taken_on=timezone.localdate(),
        taken_by="Olivia",
        next_on=timezone.localdate(),
    )
    lists = {item.kind: item.families for item in english(supervisor).get(reverse("dashboard")).context["lists"]}
    assert lists[Attention.MELDCODE_OVERDUE] == []
    # The planned date passes.
    MeldcodeStep.objects.filter(pk=step.pk).update(
        taken_on=timezone.localdate() - timedelta(days=10), next_on=timezone.localdate() - timedelta(days=1)
    )
    from django.core.cache import caches

    caches["fragments"].clear()
    response = english(supervisor).get(reverse("dashboard"))
    lists = {item.kind: item.families for item in response.context["lists"]}
    assert [f.pk for f in lists[Attention.MELDCODE_OVERDUE]] == [family.pk]
    assert "Next step was due on" in response.content.decode()
    # A newer step with a later date takes its place.
    concerns.meldcode_step_record(
        concern=concern,
        created_by=officer,
        kind="consult",
        taken_on=timezone.localdate(),
        taken_by="Olivia",
        next_on=timezone.localdate() + timedelta(days=7),
    )
    lists = {item.kind: item.families for item in english(supervisor).get(reverse("dashboard")).context["lists"]}
    assert lists[Attention.MELDCODE_OVERDUE] == []
