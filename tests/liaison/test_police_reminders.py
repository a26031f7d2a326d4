"""What waits for the police, with the due dates of the family's police unit: who sees
it, who is reminded of it (a count and the sign-in link, nothing of the case), the count
in the police header, the unit's limits (set by an administrator, audited), and the
team's attention lists reading the same limit."""

import re
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from families.models import CaseMilestone, CriminalCase, SharedInformation, SharedStatus
from families.selectors.case import listed, with_attention
from families.services.shared import shared_information_acknowledge
from liaison.accounts.models import PoliceUnit, Reminder, Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.staff.attention import (
    Attention,
    PoliceTask,
    attach_attention,
    due_on,
    needs_attention,
    police_waiting,
    police_waiting_count,
    police_waiting_for_family,
)
from liaison.staff.services import police_unit_settings_update
from safety_plans.models import PlanAgreement, PlanStatus, PlanVersion, SafetyPlan
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    HouseholdMemberFactory,
    PoliceUnitFactory,
    UserFactory,
    as_a_request_reads,
    confirmed_totp,
)

pytestmark = pytest.mark.django_db

SHARED_TEXT = "Rico waits at the school gate in a grey Golf."
PARENTS_TEXT = "The hearing about Rico is planned."
WAITING = reverse("families:shared_waiting")
FRIDAY = date(2026, 3, 6)


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


def share(family, *, at: datetime) -> SharedInformation:
    member = family.household_members.first() or HouseholdMemberFactory(family=family)
    item = SharedInformation.objects.create(
        family=family, text=SHARED_TEXT, created_by=member.user or family.liaison_officer
    )
    SharedInformation.objects.filter(pk=item.pk).update(created_at=at)
    return item


def agreed_plan(family, *, at: datetime) -> PlanVersion:
    officer = family.liaison_officer
    plan = SafetyPlan.objects.create(family=family, created_by=officer)
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=PlanStatus.AGREED,
        review_on=timezone.localdate() + timedelta(weeks=12),
        created_by=officer,
        updated_by=officer,
    )
    PlanAgreement.objects.create(
        version=version, agreed_by=HouseholdMemberFactory(family=family), agreed_at=at, recorded_by=officer
    )
    return version


def text_to_approve(family, *, at: datetime) -> CaseMilestone:
    case = CriminalCase.objects.create(
        family=family,
        child=ChildFactory(family=family),
        opened_on=timezone.localdate(),
        created_by=family.liaison_officer,
    )
    milestone = CaseMilestone.objects.create(
        case=case,
        kind="report_made",
        occurs_on=timezone.localdate(),
        parents_text=PARENTS_TEXT,
        created_by=family.liaison_officer,
    )
    CaseMilestone.objects.filter(pk=milestone.pk).update(updated_at=at)
    return milestone


@pytest.fixture
def police_of_another_unit():
    user = UserFactory(role=Role.POLICE, police_unit=PoliceUnitFactory(name="Vice unit South"), full_name="Pim South")
    confirmed_totp(user)
    return user


@pytest.fixture
def overdue(family, parent):
    """Three things wait for the police of the family's unit, each two weeks already."""
    return {
        "shared": share(family, at=days_ago(14)),
        "plan": agreed_plan(family, at=days_ago(14)),
        "text": text_to_approve(family, at=days_ago(14)),
    }


def send(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, language="en", stdout=out)
    return out.getvalue()


# Due dates over weekends


@pytest.mark.parametrize(
    ("shared_on", "limit", "expected"),
    [
        (FRIDAY, 5, date(2026, 3, 13)),  # Friday + 5 working days: the next Friday
        (FRIDAY, 1, date(2026, 3, 9)),  # Friday + 1: Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # shared on Saturday: Monday
        (date(2026, 3, 8), 5, date(2026, 3, 13)),  # shared on Sunday: Friday
        (date(2026, 3, 4), 3, date(2026, 3, 9)),  # Wednesday + 3: Monday
    ],
)
def test_due_dates_skip_the_weekend(shared_on, limit, expected):
    assert due_on(moment(shared_on), limit) == expected


def test_an_item_is_due_on_its_day_and_overdue_the_working_day_after(family):
    share(family, at=moment(FRIDAY))
    on_the_day = police_waiting(family.__class__.objects.filter(pk=family.pk), today=date(2026, 3, 13))
    after = police_waiting(family.__class__.objects.filter(pk=family.pk), today=date(2026, 3, 16))
    before = police_waiting(family.__class__.objects.filter(pk=family.pk), today=date(2026, 3, 12))
    assert (before[0].due, before[0].overdue) == (False, False)
    assert (on_the_day[0].due, on_the_day[0].overdue) == (True, False)
    assert (after[0].due, after[0].overdue) == (True, True)


def test_each_task_uses_its_own_limit_of_the_unit(family, police_unit):
    police_unit.acknowledgement_limit_working_days = 1
    police_unit.endorsement_limit_working_days = 2
    police_unit.approval_limit_working_days = 3
    police_unit.save()
    share(family, at=moment(FRIDAY))
    agreed_plan(family, at=moment(FRIDAY))
    text_to_approve(family, at=moment(FRIDAY))
    items = police_waiting(family.__class__.objects.filter(pk=family.pk), today=FRIDAY)
    assert [(item.task, item.due_on) for item in items] == [
        (PoliceTask.ACKNOWLEDGE, date(2026, 3, 9)),
        (PoliceTask.ENDORSE, date(2026, 3, 10)),
        (PoliceTask.APPROVE, date(2026, 3, 11)),
    ]


def test_answered_items_closed_cases_and_families_without_a_unit_wait_for_no_one(family, officer, police):
    answered = share(family, at=days_ago(14))
    shared_information_acknowledge(item=answered, officer=police, status=SharedStatus.RECEIVED)
    approved = text_to_approve(family, at=days_ago(14))
    CaseMilestone.objects.filter(pk=approved.pk).update(approved_at=timezone.now(), approved_by=police)
    no_unit = FamilyFactory(liaison_officer=officer, team=officer.team, police_unit=None)
    share(no_unit, at=days_ago(14))
    closed = FamilyFactory(liaison_officer=officer, team=officer.team, police_unit=family.police_unit)
    share(closed, at=days_ago(14))
    closed.status = "closed"
    closed.closing_reason = "Done"
    closed.save()
    assert police_waiting(family.__class__.objects.all()) == []


# The team's attention lists read the unit's limit


@pytest.mark.parametrize(("limit", "overdue_for_the_team"), [(3, True), (10, False)])
def test_the_officers_attention_list_uses_the_police_units_limit(family, police_unit, limit, overdue_for_the_team):
    police_unit.acknowledgement_limit_working_days = limit
    police_unit.save()
    share(family, at=days_ago(7))  # five working days ago, whatever the weekday
    families = list(with_attention(listed(family.__class__.objects.filter(pk=family.pk))))
    attach_attention(families)
    assert (Attention.SHARED_UNCONFIRMED in needs_attention(families[0])) is overdue_for_the_team


def test_overdue_plans_and_texts_need_the_teams_attention(family, overdue):
    families = list(with_attention(listed(family.__class__.objects.filter(pk=family.pk))))
    attach_attention(families)
    kinds = needs_attention(families[0])
    assert {Attention.SHARED_UNCONFIRMED, Attention.ENDORSEMENT_OVERDUE, Attention.APPROVAL_OVERDUE} <= set(kinds)


# Who is reminded of what


def test_each_police_partner_of_the_unit_is_reminded_of_what_is_due(
    family, overdue, police, police_of_another_unit, officer, supervisor, parent, outsider, mailoutbox
):
    colleague = UserFactory(role=Role.POLICE, police_unit=police.police_unit)
    send()
    assert Reminder.objects.get(user=police).count == 3
    assert Reminder.objects.get(user=colleague).count == 3
    for nobody in (police_of_another_unit, parent, outsider):
        assert not Reminder.objects.filter(user=nobody).exists()
    # The officer and supervisor hear of the same overdue things among their attention items.
    assert Reminder.objects.filter(user=officer).exists()
    assert Reminder.objects.filter(user=supervisor).exists()
    police_mails = [mail for mail in mailoutbox if mail.to == [police.email]]
    assert len(police_mails) == 1


def test_nothing_not_yet_due_is_reminded(family, parent, police):
    share(family, at=timezone.now())
    send()
    assert not Reminder.objects.filter(user=police).exists()


def test_reminding_twice_on_a_day_reminds_no_one_twice(family, overdue, police, mailoutbox):
    send()
    first = len(mailoutbox)
    send()
    assert Reminder.objects.filter(user=police).count() == 1
    assert len(mailoutbox) == first


def test_a_new_due_item_later_the_same_day_makes_a_new_reminder(family, overdue, police):
    send()
    share(family, at=days_ago(14))
    send()
    assert sorted(Reminder.objects.filter(user=police).values_list("count", flat=True)) == [3, 4]


def test_the_police_reminder_names_nothing_of_the_case(family, overdue, police, officer, parent, mailoutbox):
    send()
    (mail,) = [mail for mail in mailoutbox if mail.to == [police.email]]
    text = f"{mail.subject}\n{mail.body}"
    assert "3 punten" in text
    assert reverse("account_login") in text
    for detail in (
        family.reference,
        family.display_name,
        SHARED_TEXT,
        PARENTS_TEXT,
        "Rico",
        officer.full_name,
        police.full_name,
        parent.full_name,
        police.police_unit.name,
    ):
        assert detail not in text


# What the police see: their list, the count in the header


def header_count(response) -> str | None:
    found = re.search(r'id="police-waiting-count">(\d+) items?<', response.content.decode())
    return found.group(1) if found else None


def test_the_police_header_counts_what_waits_for_them(english, family, overdue, police):
    response = english(police).get(reverse("families:caseload"))
    assert header_count(response) == "3"


@pytest.mark.parametrize("persona", ["police_of_another_unit", "outsider", "officer", "supervisor"])
def test_no_one_else_sees_the_police_count(request, english, family, overdue, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:caseload"))
    assert response.status_code == 200
    assert header_count(response) is None


def test_the_count_costs_one_query_whatever_the_number(family, overdue, police, django_assert_num_queries):
    from liaison.access import ACKNOWLEDGE, families_for

    for _ in range(5):
        share(family, at=days_ago(1))
    police = as_a_request_reads(police)
    with django_assert_num_queries(1):
        assert police_waiting_count(families_for(police, ACKNOWLEDGE)) == 8


def test_the_police_see_their_list_with_due_dates_and_overdue_flagged(english, family, overdue, police):
    Reminder.objects.create(user=police, key="attention:x", count=3)
    response = english(police).get(WAITING)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Overdue") == 3
    assert len(response.context["plans"]) == 1 and len(response.context["texts"]) == 1
    assert reverse("families:shared_acknowledge", args=[family.pk, overdue["shared"].pk]) in body
    assert PARENTS_TEXT not in body and SHARED_TEXT not in body
    # Opening the list reads the police partner's reminders.
    assert Reminder.objects.get(user=police).read_at is not None


@pytest.mark.parametrize("persona", ["police_of_another_unit", "outsider"])
def test_police_of_another_unit_see_nothing_of_it(request, english, family, overdue, persona):
    response = english(request.getfixturevalue(persona)).get(WAITING)
    assert response.status_code == 200
    assert response.context["plans"] == [] and response.context["texts"] == []
    assert family.reference not in response.content.decode()


def test_parents_get_404_for_the_list(english, family, overdue, parent):
    assert english(parent).get(WAITING).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_see_what_the_police_left_waiting_without_the_answer_link(request, english, family, overdue, persona):
    body = english(request.getfixturevalue(persona)).get(WAITING).content.decode()
    assert body.count("Overdue") == 3
    assert reverse("families:shared_acknowledge", args=[family.pk, overdue["shared"].pk]) not in body


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_the_family_page_shows_what_waits_for_the_police(request, english, family, overdue, persona):
    body = english(request.getfixturevalue(persona)).get(reverse("families:detail", args=[family.pk])).content.decode()
    section = body[body.index('id="police-waiting"') :]
    assert "Endorse the safety plan the parents agreed to" in section
    assert "Approve a text for the parents" in section
    assert "Overdue" in section


def test_the_caseload_flags_overdue_police_work(english, family, overdue, officer):
    body = english(officer).get(reverse("families:caseload")).content.decode()
    assert "Plan endorsement overdue" in body
    assert "1 text for the parents not approved in time" in body


def test_acknowledging_lowers_the_count(english, family, overdue, police):
    client = english(police)
    shared_information_acknowledge(item=overdue["shared"], officer=police, status=SharedStatus.RECEIVED)
    assert header_count(client.get(WAITING)) == "2"


# The unit's limits: an administrator sets them in the admin, audited


def admin_change(unit) -> str:
    return reverse("admin:accounts_policeunit_change", args=[unit.pk])


def limits(**values) -> dict:
    return {
        "name": "Vice unit North",
        "acknowledgement_limit_working_days": 5,
        "endorsement_limit_working_days": 5,
        "approval_limit_working_days": 5,
        **values,
    }


def test_an_administrator_sets_the_units_limits_and_it_is_audited(english, administrator, police_unit):
    response = english(administrator).post(admin_change(police_unit), limits(endorsement_limit_working_days=10))
    assert response.status_code == 302
    police_unit.refresh_from_db()
    assert police_unit.endorsement_limit_working_days == 10
    event = AuditEvent.objects.get(action=AuditAction.POLICE_UNIT_CHANGED)
    assert event.detail == {
        "before": {"endorsement_limit_working_days": 5},
        "after": {"endorsement_limit_working_days": 10},
    }
    assert event.actor_id == administrator.pk


@pytest.mark.parametrize("value", ["0", "31", "", "x", "-1"])
def test_a_limit_out_of_range_is_refused_and_nothing_is_saved(english, administrator, police_unit, value):
    response = english(administrator).post(admin_change(police_unit), limits(approval_limit_working_days=value))
    assert response.status_code == 200
    assert "approval_limit_working_days" in response.context["adminform"].form.errors
    police_unit.refresh_from_db()
    assert police_unit.approval_limit_working_days == 5
    assert not AuditEvent.objects.filter(action=AuditAction.POLICE_UNIT_CHANGED).exists()


@pytest.mark.parametrize("value", [0, 31])
def test_the_service_refuses_a_limit_out_of_range(administrator, police_unit, value):
    with pytest.raises(ValidationError):
        police_unit_settings_update(
            unit=police_unit, administrator=administrator, acknowledgement_limit_working_days=value
        )
    assert PoliceUnit.objects.get(pk=police_unit.pk).acknowledgement_limit_working_days == 5


@pytest.mark.parametrize("persona", ["police", "officer", "supervisor", "parent", "outsider"])
def test_no_one_else_changes_the_units_limits(request, english, police_unit, persona):
    client = english(request.getfixturevalue(persona))
    response = client.post(admin_change(police_unit), limits(acknowledgement_limit_working_days=1))
    assert response.status_code in (302, 404)
    assert PoliceUnit.objects.get(pk=police_unit.pk).acknowledgement_limit_working_days == 5


def test_the_team_settings_no_longer_hold_the_acknowledgement_limit(english, supervisor):
    response = english(supervisor).get(reverse("team_settings"))
    assert "acknowledgement_limit_working_days" not in response.context["form"].fields
    assert "set for each police unit by an administrator" in response.content.decode()


def test_everything_that_waits_is_read_in_one_query(family, overdue, django_assert_num_queries):
    with django_assert_num_queries(1):
        items = police_waiting(family.__class__.objects.filter(pk=family.pk))
    assert sorted(item.task for item in items) == sorted(PoliceTask.LABELS)
    assert {item.task: item.number for item in items} == {
        PoliceTask.ACKNOWLEDGE: None,
        PoliceTask.ENDORSE: overdue["plan"].number,
        PoliceTask.APPROVE: overdue["text"].case_id,
    }


def test_one_familys_page_reads_the_same_with_a_statement_compiled_once(
    family, other_family, overdue, django_assert_num_queries
):
    share(other_family, at=days_ago(30))
    for today in (date(2026, 3, 13), timezone.localdate()):
        with django_assert_num_queries(1):
            items = police_waiting_for_family(family.pk, today=today)
        assert items == police_waiting(family.__class__.objects.filter(pk=family.pk), today=today)
        assert sorted(item.task for item in items) == sorted(PoliceTask.LABELS)
    assert {item.family_id for item in police_waiting_for_family(other_family.pk)} == {other_family.pk}


def test_a_closed_or_unlinked_family_has_nothing_waiting_on_its_page(family, overdue):
    family.__class__.objects.filter(pk=family.pk).update(police_unit=None)
    assert police_waiting_for_family(family.pk) == []
