"""A list of many families (caseload, dashboard, reminders) reads of each family only the
reviews its circle, decline and due date need: the last three that count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from families.models import Family, ProgressReview
from families.selectors.progress import REVIEWS_THE_RULES_READ, _review_points_of, attach_progress, progress_summary
from liaison.access import SUPERVISE
from liaison.staff.attention import read_ids, read_in_reach
from tests.factories import FamilyFactory, progress_review

pytestmark = pytest.mark.django_db


def review(family, officer, days_ago, scores, supersedes=None):
    on = timezone.localdate() - timedelta(days=days_ago)
    return progress_review(family, on, scores, corrects=supersedes, created_by=officer)


@pytest.fixture
def second_family(officer, police_unit):
    return FamilyFactory(liaison_officer=officer, team=officer.team, police_unit=police_unit)


@pytest.fixture
def histories(family, officer, second_family):
    """Two families with long histories: declining in the last three reviews, a correction
    of the newest that takes the decline away, a correction of an older one, and two
    reviews on one day."""
    family.referral_on = timezone.localdate() - timedelta(days=400)
    family.save()
    for days_ago, scores in [(300, (5, 5, 5)), (250, (4, 4, 4)), (200, (5, 5, 5)), (150, (4, 4, 4)), (100, (3, 3, 3))]:
        review(family, officer, days_ago, scores)
    newest = review(family, officer, 50, (2, 2, 2))
    review(family, officer, 50, (3, 3, 3), supersedes=newest)
    second_family.referral_on = timezone.localdate() - timedelta(days=400)
    second_family.save()
    older = review(second_family, officer, 300, (1, 1, 1))
    review(second_family, officer, 300, (5, 5, 5), supersedes=older)
    for days_ago, scores in [(200, (5, 4, 5)), (100, (4, 3, 4)), (100, (3, 2, 3)), (10, (2, 1, 2))]:
        review(second_family, officer, days_ago, scores)
    return [family, second_family]


def test_only_the_last_three_reviews_that_count_are_read(histories):
    rows = list(_review_points_of(Family.objects.filter(pk__in=[f.pk for f in histories])))
    superseded = set(ProgressReview.objects.filter(supersedes__isnull=False).values_list("supersedes_id", flat=True))
    for family in histories:
        read = [row["pk"] for row in rows if row["family_id"] == family.pk]
        counted = [
            r.pk
            for r in ProgressReview.objects.filter(family=family).order_by("reviewed_on", "created_at", "pk")
            if r.pk not in superseded
        ]
        assert read == counted[-REVIEWS_THE_RULES_READ:]


@pytest.mark.parametrize("reader", ["ids", "reach"])
def test_the_list_tells_what_the_whole_history_tells(histories, supervisor, reader):
    families = list(Family.objects.filter(pk__in=[f.pk for f in histories]).order_by("pk"))
    read = read_ids(f.pk for f in families) if reader == "ids" else read_in_reach(supervisor, SUPERVISE)
    attach_progress(families, read)
    for family in families:
        whole = progress_summary(family)
        assert (family.circle, family.declining, family.review_due_on, family.review_overdue) == (
            whole.circle,
            whole.declining,
            whole.due_on,
            whole.overdue,
        )
    assert families[1].declining  # the history does show a decline, so the comparison says something
