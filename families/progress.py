"""The rules that read a family's progress: where it stands, which way it moves, and
whether it is in the virtuous or the vicious circle. Pure functions over reviews, so the
rules are tested on their own and explained on the page in the same words.

- A score of 2 or less is at the lower (vicious) end, 4 or more at the upper (virtuous) end.
- A dimension is *declining* when it fell in each of the last two reviews.
- The circle is **vicious** when two or more dimensions are at the lower end or declining;
  **virtuous** when two or more are at the upper end and none fell since the previous
  review; **mixed** otherwise. Without a review it is not assessed yet.
- A difference of two points or more between the officer's score and the parents' own
  rating is something to talk about.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from django.db import models
from django.utils.translation import gettext_lazy as _

from families.models import DIMENSIONS

LOWER_END = 2
UPPER_END = 4
GAP_TO_TALK_ABOUT = 2
INTAKE_DUE_AFTER = timedelta(days=14)


class Circle(models.TextChoices):
    VIRTUOUS = "virtuous", _("Virtuous circle")
    VICIOUS = "vicious", _("Vicious circle")
    MIXED = "mixed", _("Mixed")
    NOT_ASSESSED = "not_assessed", _("Not assessed yet")


def current_reviews(reviews: list, *, recorded_in_order: bool = False) -> list:
    """The reviews that count, oldest first: a corrected review is replaced by its correction.
    Reviews of the same date count in the order they were recorded. ``recorded_in_order``
    says the list already comes in that order (read ordered by date and time of recording),
    so only the date is sorted on and the time of recording need not be read at all."""
    superseded = {review.supersedes_id for review in reviews if review.supersedes_id}
    order = attrgetter("reviewed_on") if recorded_in_order else attrgetter("reviewed_on", "created_at")
    return sorted((review for review in reviews if review.pk not in superseded), key=order)


def declining_dimensions(reviews: list) -> list[str]:
    """Dimensions that fell in each of the last two reviews (needs three reviews)."""
    if len(reviews) < 3:
        return []
    before, previous, latest = (review.scores() for review in reviews[-3:])
    return [d for d in DIMENSIONS if before[d] > previous[d] > latest[d]]


def fallen_since_previous(reviews: list) -> list[str]:
    if len(reviews) < 2:
        return []
    previous, latest = reviews[-2].scores(), reviews[-1].scores()
    return [d for d in DIMENSIONS if latest[d] < previous[d]]


def circle_status(reviews: list) -> Circle:
    if not reviews:
        return Circle.NOT_ASSESSED
    latest = reviews[-1].scores()
    declining = set(declining_dimensions(reviews))
    vicious = [d for d in DIMENSIONS if latest[d] <= LOWER_END or d in declining]
    if len(vicious) >= 2:
        return Circle.VICIOUS
    virtuous = [d for d in DIMENSIONS if latest[d] >= UPPER_END]
    if len(virtuous) >= 2 and not fallen_since_previous(reviews):
        return Circle.VIRTUOUS
    return Circle.MIXED


@dataclass(frozen=True)
class Position:
    """Where the family stands on one dimension, and which way it moves."""

    dimension: str
    score: int
    since_intake: int | None
    since_previous: int | None
    parent_score: int | None

    @property
    def gap(self) -> int | None:
        return None if self.parent_score is None else self.parent_score - self.score

    @property
    def talk_about(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_TO_TALK_ABOUT

    @property
    def points_apart(self) -> int | None:
        """How many points the parents' own rating and the officer's score differ, either way."""
        return None if self.gap is None else abs(self.gap)


def positions(reviews: list, latest_parent_rating=None) -> list[Position]:
    if not reviews:
        return []
    intake, latest = reviews[0].scores(), reviews[-1].scores()
    previous = reviews[-2].scores() if len(reviews) > 1 else None
    parent = latest_parent_rating.scores() if latest_parent_rating else {}
    return [
        Position(
            dimension=d,
            score=latest[d],
            since_intake=latest[d] - intake[d] if len(reviews) > 1 else None,
            since_previous=latest[d] - previous[d] if previous else None,
            parent_score=parent.get(d),
        )
        for d in DIMENSIONS
    ]


def talking_points(latest_review, latest_parent_rating) -> list[Position]:
    """The officer's latest scores beside the parents' latest own rating, per dimension:
    where they differ by ``GAP_TO_TALK_ABOUT`` or more, ``talk_about`` says so. Empty
    until there is both a review and a rating."""
    if latest_review is None or latest_parent_rating is None:
        return []
    return positions([latest_review], latest_parent_rating)


def to_talk_about(standing: list[Position]) -> list[Position]:
    """Every dimension whose gap between the officer's score and the parents' own rating is
    something to talk about."""
    return [position for position in standing if position.talk_about]


def review_due_on(*, referral_on: date, every_weeks: int, last_reviewed_on: date | None) -> date:
    """The intake baseline is due two weeks after referral; later reviews on the cadence."""
    if last_reviewed_on is None:
        return referral_on + INTAKE_DUE_AFTER
    return last_reviewed_on + timedelta(weeks=every_weeks)
