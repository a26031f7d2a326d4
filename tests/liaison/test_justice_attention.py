"""The justice journey in the attention lists, the reminders and the team report: planned
steps past their date on the caseload and the dashboard, a reminder a week and a day
before each hearing or planned step, and four counts in the report (and its CSV, which
names no family and no reference)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Family
from families.selectors.case import with_attention
from families.services import justice
from liaison.staff.attention import Attention, attach_attention
from liaison.staff.reminders import items_by_person, reminders_due
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def case(family, police):
    child = ChildFactory(family=family, full_name="Noor Jansen")
    return justice.criminal_case_record(
        family=family, created_by=police, child=child, police_reference="ZP-REF-9", opened_on=days(-100)
    )


def planned(case, police, on, kind="hearing"):
    extra = {"court": "Court A", "hearing_kind": "trial"} if kind == "hearing" else {}
    return justice.milestone_record(case=case, created_by=police, kind=kind, occurs_on=on, is_planned=True, **extra)


def held(case, police, on, kind, **extra):
    return justice.milestone_record(case=case, created_by=police, kind=kind, occurs_on=on, **extra)


def items_for(user) -> set[str]:
    """The kinds of attention this person would be reminded of today."""
    families = list(with_attention(Family.objects.select_related("team")))
    attach_attention(families)
    return {kind for kind, _family in items_by_person([user], families)[user.pk]}


def test_an_overdue_planned_step_shows_on_the_caseload_and_the_dashboard(
    login, english, officer, supervisor, case, police
):
    planned(case, police, days(-2), kind="sent_to_prosecutor")
    client = english(officer)
    caseload = client.get(reverse("families:caseload"))
    kinds = {attention.kind for attention in caseload.context["my_attention"]}
    assert Attention.MILESTONE_OVERDUE in kinds
    assert "1 court or police step overdue" in caseload.content.decode()
    dashboard = login(supervisor).get(reverse("dashboard"))
    (overdue,) = [item for item in dashboard.context["lists"] if item.kind == Attention.MILESTONE_OVERDUE]
    assert [family.pk for family in overdue.families] == [case.family_id]


def test_a_step_that_happened_or_a_closed_case_is_not_overdue(officer, case, police):
    step = planned(case, police, days(-2), kind="arrested")
    values = {name: getattr(step, name) for name in justice.MILESTONE_FIELDS}
    justice.milestone_update(milestone=step, changed_by=officer, **(values | {"is_planned": False}))
    assert Attention.MILESTONE_OVERDUE.value not in items_for(officer)


@pytest.mark.parametrize("ahead, reminded", [(8, False), (7, True), (3, False), (1, True), (0, False)])
def test_the_officer_is_reminded_a_week_and_a_day_before_a_hearing(officer, supervisor, case, police, ahead, reminded):
    planned(case, police, days(ahead))
    assert (Attention.MILESTONE_SOON.value in items_for(officer)) is reminded
    if reminded:
        due = {reminder.user.pk for reminder in reminders_due(timezone.localdate())}
        assert officer.pk in due and supervisor.pk in due


def test_the_report_counts_the_justice_journey_and_the_csv_names_nothing(english, supervisor, case, police, family):
    held(case, police, days(-40), "report_made")
    held(case, police, days(-30), "report_withdrawn")
    held(case, police, days(-20), "hearing", court="Court A", hearing_kind="trial", parent_attends=True)
    held(case, police, days(-10), "hearing", court="Court A", hearing_kind="trial")
    planned(case, police, days(10))
    client = english(supervisor)
    period = {"start": days(-60).isoformat(), "end": timezone.localdate().isoformat()}
    response = client.get(reverse("report"), period)
    counts = response.context["report"].justice
    assert (counts.families_with_report, counts.reports_withdrawn) == (1, 1)
    assert (counts.cases_reaching_court, counts.hearings_with_parent) == (1, 1)
    assert "Hearings attended by a parent" in response.content.decode()
    csv = client.get(reverse("report_csv"), period).content.decode()
    assert "Reports withdrawn,1" in csv
    for secret in ("ZP-REF-9", "Noor", family.reference, family.display_name, "Court A"):
        assert secret not in csv
