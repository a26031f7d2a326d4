"""The attention rules at their boundaries: exactly the limit is still fine, one more
day is not; working days skip the weekend; 72 hours for the return conversation."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from liaison.staff.attention import add_working_days, confirmation_overdue, no_contact_for_too_long

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 11, 16)
FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("days_ago", "overdue"),
    [(13, False), (14, False), (15, True)],
)
def test_no_contact_counts_days_after_the_last_contact(days_ago, overdue):
    last = datetime.combine(MONDAY - timedelta(days=days_ago), datetime.min.time(), AMSTERDAM).replace(hour=23)
    assert (
        no_contact_for_too_long(last_contact_at=last, referral_on=date(2026, 1, 1), limit_days=14, today=MONDAY)
        is overdue
    )


@pytest.mark.parametrize(("days_ago", "overdue"), [(14, False), (15, True)])
def test_without_any_contact_the_referral_date_counts(days_ago, overdue):
    referral = MONDAY - timedelta(days=days_ago)
    assert no_contact_for_too_long(last_contact_at=None, referral_on=referral, limit_days=14, today=MONDAY) is overdue


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (MONDAY, 5, MONDAY + timedelta(days=7)),
        (FRIDAY, 1, FRIDAY + timedelta(days=3)),
        (FRIDAY, 5, FRIDAY + timedelta(days=7)),
        (FRIDAY + timedelta(days=1), 1, FRIDAY + timedelta(days=3)),
        (MONDAY, 0, MONDAY),
    ],
)
def test_working_days_skip_the_weekend(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (FRIDAY + timedelta(days=6), False),  # Thursday: 4 working days
        (FRIDAY + timedelta(days=7), False),  # the next Friday: exactly 5
        (FRIDAY + timedelta(days=10), True),  # Monday after: 6
    ],
)
def test_police_confirmation_over_a_weekend(today, overdue):
    shared_at = datetime.combine(FRIDAY, datetime.min.time(), AMSTERDAM).replace(hour=16)
    assert confirmation_overdue(shared_at=shared_at, limit_working_days=5, today=today) is overdue
