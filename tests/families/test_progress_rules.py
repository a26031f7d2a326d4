"""The circle status, decline and gap rules over their edge cases (no database)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import product

import pytest

from families.progress import (
    Circle,
    circle_status,
    current_reviews,
    declining_dimensions,
    positions,
    review_due_on,
)


@dataclass
class Review:
    u: int
    e: int
    r: int
    pk: int = 0
    supersedes_id: int | None = None
    reviewed_on: date = date(2026, 1, 1)
    created_at: datetime = field(default_factory=datetime.now)

    def scores(self) -> dict[str, int]:
        return {"understanding": self.u, "empowerment": self.e, "resilience": self.r}


def series(*scores: tuple[int, int, int]) -> list[Review]:
    return [Review(*s, pk=i + 1, reviewed_on=date(2026, 1, 1) + timedelta(weeks=6 * i)) for i, s in enumerate(scores)]


def test_no_review_is_not_assessed():
    assert circle_status([]) == Circle.NOT_ASSESSED
    assert positions([]) == []
    assert declining_dimensions([]) == []


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((1, 2, 3), Circle.VICIOUS),  # first review, two at the lower end
        ((2, 3, 3), Circle.MIXED),  # first review, one at the lower end
        ((4, 4, 2), Circle.VIRTUOUS),  # first review: two at the upper end, nothing can have fallen
        ((3, 3, 3), Circle.MIXED),
        ((5, 5, 5), Circle.VIRTUOUS),
    ],
)
def test_first_review_is_judged_on_its_levels(scores, expected):
    assert circle_status(series(scores)) == expected


def test_equal_scores_are_not_a_decline():
    reviews = series((4, 4, 4), (4, 4, 4), (4, 4, 4))
    assert declining_dimensions(reviews) == []
    assert circle_status(reviews) == Circle.VIRTUOUS


def test_a_single_dimension_falling_twice_is_flagged_but_not_vicious_alone():
    reviews = series((3, 5, 4), (3, 4, 4), (3, 3, 4))
    assert declining_dimensions(reviews) == ["empowerment"]
    assert circle_status(reviews) == Circle.MIXED


def test_one_fall_is_not_declining():
    reviews = series((3, 4, 4), (3, 4, 4), (3, 3, 4))
    assert declining_dimensions(reviews) == []


def test_declining_plus_a_low_score_is_vicious():
    reviews = series((2, 5, 4), (2, 4, 4), (2, 3, 4))
    assert circle_status(reviews) == Circle.VICIOUS


def test_a_fall_since_the_previous_review_keeps_a_high_family_out_of_virtuous():
    reviews = series((5, 5, 5), (5, 4, 5))
    assert circle_status(reviews) == Circle.MIXED


def test_two_reviews_cannot_decline_twice():
    assert declining_dimensions(series((5, 5, 5), (4, 4, 4))) == []


def test_trend_since_intake_and_previous():
    reviews = series((1, 2, 3), (2, 2, 2), (4, 3, 2))
    by_dimension = {p.dimension: p for p in positions(reviews)}
    assert (by_dimension["understanding"].since_intake, by_dimension["understanding"].since_previous) == (3, 2)
    assert by_dimension["resilience"].since_previous == 0


def test_first_review_has_no_trend():
    (position, *_) = positions(series((3, 3, 3)))
    assert position.since_intake is None and position.since_previous is None


def test_missing_parent_rating_has_no_gap():
    assert all(p.gap is None and not p.talk_about for p in positions(series((3, 3, 3))))


def test_a_gap_of_two_is_something_to_talk_about():
    parent = Review(5, 3, 2)
    by_dimension = {p.dimension: p for p in positions(series((3, 3, 3)), parent)}
    assert by_dimension["understanding"].talk_about and by_dimension["understanding"].gap == 2
    assert not by_dimension["empowerment"].talk_about
    assert not by_dimension["resilience"].talk_about


def test_a_correction_replaces_the_review_it_corrects():
    original, later = series((1, 1, 1), (3, 3, 3))
    correction = Review(4, 4, 4, pk=99, supersedes_id=later.pk, reviewed_on=later.reviewed_on)
    assert [r.pk for r in current_reviews([original, later, correction])] == [original.pk, correction.pk]


def test_review_due_dates():
    assert review_due_on(referral_on=date(2026, 1, 1), every_weeks=6, last_reviewed_on=None) == date(2026, 1, 15)
    assert review_due_on(referral_on=date(2026, 1, 1), every_weeks=6, last_reviewed_on=date(2026, 2, 1)) == date(
        2026, 3, 15
    )


def test_reviews_of_the_same_date_count_in_the_order_they_were_recorded():
    day = date(2026, 3, 1)
    first = Review(2, 2, 2, pk=1, reviewed_on=day, created_at=datetime(2026, 3, 1, 9))
    second = Review(4, 4, 4, pk=2, reviewed_on=day, created_at=datetime(2026, 3, 1, 15))
    earlier = Review(1, 1, 1, pk=3, reviewed_on=date(2026, 2, 1), created_at=datetime(2026, 3, 2))

    assert [r.pk for r in current_reviews([second, earlier, first])] == [3, 1, 2]


def test_reviews_read_in_the_order_of_recording_are_sorted_on_the_date_alone():
    """As the lists of many families read them: ordered in SQL, the time never loaded."""
    day = date(2026, 3, 1)
    recorded = [Review(1, 1, 1, pk=7, reviewed_on=day), Review(3, 3, 3, pk=5, reviewed_on=day)]
    recorded[0].created_at = recorded[1].created_at = None  # not read

    assert [r.pk for r in current_reviews(recorded, recorded_in_order=True)] == [7, 5]


def _circle_as_written(reviews: list[Review]) -> tuple[Circle, list[str]]:
    """The rules exactly as the module's docstring words them, review by review."""
    dimensions = ["understanding", "empowerment", "resilience"]
    if not reviews:
        return Circle.NOT_ASSESSED, []
    scores = [review.scores() for review in reviews]
    declining = [d for d in dimensions if len(scores) >= 3 and scores[-3][d] > scores[-2][d] > scores[-1][d]]
    fell = [d for d in dimensions if len(scores) >= 2 and scores[-1][d] < scores[-2][d]]
    latest = scores[-1]
    if sum(latest[d] <= 2 or d in declining for d in dimensions) >= 2:
        return Circle.VICIOUS, declining
    if sum(latest[d] >= 4 for d in dimensions) >= 2 and not fell:
        return Circle.VIRTUOUS, declining
    return Circle.MIXED, declining


# Every history of up to three reviews over scores that cross both ends of the scale.
SCORES = [(1, 3, 5), (2, 4, 4), (3, 3, 2), (4, 5, 1), (5, 2, 3)]
HISTORIES = [series(*scores) for length in range(4) for scores in product(SCORES, repeat=length)]


def test_the_circle_and_the_decline_follow_the_rules_as_written_for_every_short_history():
    for reviews in HISTORIES:
        assert (circle_status(reviews), declining_dimensions(reviews)) == _circle_as_written(reviews), [
            review.scores() for review in reviews
        ]
