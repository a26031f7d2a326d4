"""What is overdue, by the database's clock: a follow-up action from the day after its due
date (the day in Europe/Amsterdam), a return conversation 72 hours after the episode
ended. The family overview reads it with a statement compiled once per process, and the
caseload and dashboard with the same rules."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Value
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from families.models import ContactEntry, Family, FollowUpAction, LiaisonAssignment, MissingEpisode
from families.selectors.case import family_overview, with_attention
from liaison.expressions import database_today, local_date
from tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def overview_attention(family) -> dict:
    return family_overview(family, seen_alone=True, contexts=True)["attention"]


def caseload_attention(family) -> dict:
    row = with_attention(Family.objects.filter(pk=family.pk)).get()
    return {"overdue_follow_ups": row.overdue_follow_ups, "overdue_returns": row.overdue_returns}


READERS = pytest.mark.parametrize("attention", [overview_attention, caseload_attention], ids=["overview", "caseload"])


def contact(family, officer) -> ContactEntry:
    return ContactEntry.objects.create(
        family=family, occurred_at=timezone.now(), kind="phone", with_whom="Mother", summary="s", created_by=officer
    )


def follow_up(family, officer, due_on: date, description: str = "Call school") -> FollowUpAction:
    return FollowUpAction.objects.create(
        family=family,
        contact=contact(family, officer),
        description=description,
        owner="Officer",
        due_on=due_on,
        created_by=officer,
    )


@READERS
@pytest.mark.parametrize(("days_ago", "overdue"), [(0, 0), (1, 1)])
def test_a_follow_up_action_is_overdue_from_the_day_after_its_due_date(attention, family, officer, days_ago, overdue):
    overview_attention(family)  # read once before the action exists
    follow_up(family, officer, timezone.localdate() - timedelta(days=days_ago))
    assert attention(family)["overdue_follow_ups"] == overdue


@READERS
@pytest.mark.parametrize(
    ("ended_ago", "overdue"), [(timedelta(hours=72, minutes=-1), 0), (timedelta(hours=72, minutes=1), 1)]
)
def test_a_return_conversation_is_overdue_72_hours_after_the_episode(attention, family, officer, ended_ago, overdue):
    overview_attention(family)
    MissingEpisode.objects.create(
        family=family,
        child=ChildFactory(family=family),
        started_at=timezone.now() - timedelta(days=5),
        ended_at=timezone.now() - ended_ago,
        created_by=officer,
    )
    assert attention(family)["overdue_returns"] == overdue


# Around midnight in Amsterdam, winter (UTC+1) and summer (UTC+2): the day is Amsterdam's,
# not UTC's.
@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 12, 6, 22, 59, 59, tzinfo=UTC), date(2026, 12, 6)),
        (datetime(2026, 12, 6, 23, 0, 0, tzinfo=UTC), date(2026, 12, 7)),
        (datetime(2026, 7, 1, 21, 59, 59, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 7, 1, 22, 0, 0, tzinfo=UTC), date(2026, 7, 2)),
    ],
)
def test_the_databases_day_is_the_day_in_amsterdam(family, moment, day):
    read = Family.objects.filter(pk=family.pk).values_list(local_date(Value(moment)), flat=True).get()
    assert read == day == timezone.localdate(moment)


def test_the_databases_today_is_timezone_localdate(family):
    before = timezone.localdate()
    read = Family.objects.filter(pk=family.pk).values_list(database_today(), flat=True).get()
    assert read in {before, timezone.localdate()}


@pytest.fixture
def compiled():
    """The querysets the ORM compiles while it is active."""
    seen = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        seen.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLCompiler, "as_sql", counting)
        yield seen


@pytest.mark.parametrize("seen_alone", [False, True])
@pytest.mark.parametrize("contexts", [False, True])
def test_the_overview_is_compiled_once(family, officer, compiled, seen_alone, contexts):
    family_overview(family, seen_alone=seen_alone, contexts=contexts)
    follow_up(family, officer, timezone.localdate())
    compiled.clear()
    family_overview(family, seen_alone=seen_alone, contexts=contexts)
    assert compiled == []


def test_the_overview_reads_the_officers_over_time_and_the_first_ten_open_actions(family, officer):
    successor = UserFactory(team=officer.team, full_name="Sam Successor")
    now = timezone.now()
    LiaisonAssignment.objects.filter(family=family).update(
        started_at=now - timedelta(days=30), ended_at=now - timedelta(days=1)
    )
    LiaisonAssignment.objects.create(
        family=family, officer=successor, started_at=now - timedelta(days=1), created_by=officer
    )
    for days in range(12, 0, -1):
        follow_up(family, officer, timezone.localdate() + timedelta(days=days), description=f"Step {days}")
    done = follow_up(family, officer, timezone.localdate() - timedelta(days=3), description="Done")
    FollowUpAction.objects.filter(pk=done.pk).update(completed_at=now)

    overview = family_overview(family)

    expected = list(family.assignments.select_related("officer").order_by("-started_at"))
    assert [(a.pk, a.started_at, a.ended_at, a.officer_id) for a in overview["assignments"]] == [
        (a.pk, a.started_at, a.ended_at, a.officer_id) for a in expected
    ]
    assert [a.officer.full_name for a in overview["assignments"]] == [successor.full_name, officer.full_name]
    actions = overview["open_follow_ups"]
    assert [(a.pk, a.description, a.owner, a.due_on) for a in actions] == [
        (a.pk, a.description, a.owner, a.due_on)
        for a in FollowUpAction.objects.filter(family=family, completed_at__isnull=True).order_by("due_on")[:10]
    ]
    assert [a.description for a in actions] == [f"Step {days}" for days in range(1, 11)]
