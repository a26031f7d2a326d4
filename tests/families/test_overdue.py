"""What is overdue, by the database's clock: a follow-up action from the day after its due
date (the day in Europe/Amsterdam), a return conversation 72 hours after the episode
ended, alike on the family overview and on the caseload and dashboard."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Value
from django.utils import timezone

from families.models import ContactEntry, Family, FollowUpAction, MissingEpisode
from families.selectors.case import family_overview, with_attention
from families.selectors.together import database_today, local_date
from tests.factories import ChildFactory

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
