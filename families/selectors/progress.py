"""Reads for the progress view: a fixed number of queries however many reviews."""

from dataclasses import dataclass, fields
from datetime import date
from functools import cached_property

from django.utils import timezone

from families.models import Dimension, Family, ParentRating, ProgressReview
from families.progress import (
    DIMENSIONS,
    Circle,
    Position,
    circle_status,
    current_reviews,
    declining_dimensions,
    positions,
)
from families.progress import review_due_on as due_on


@dataclass(frozen=True)
class ReviewedDimension:
    """One dimension of a review as the progress page shows it."""

    name: str
    score: int
    evidence: str
    plan: str


@dataclass(frozen=True)
class ProgressOverview:
    all_reviews: list[ProgressReview]
    reviews: list[ProgressReview]
    parent_ratings: list[ParentRating]
    positions: list[Position]
    circle: Circle
    declining: list[str]
    due_on: object
    overdue: bool

    @cached_property
    def superseded_ids(self) -> set[int]:
        return {review.supersedes_id for review in self.all_reviews if review.supersedes_id}

    @cached_property
    def cards(self) -> list[tuple[ProgressReview, list["ReviewedDimension"]]]:
        """Every review, newest first, with its dimensions in the order of the scale."""
        names = {dimension: str(Dimension(dimension).label) for dimension in DIMENSIONS}
        return [
            (
                review,
                [
                    ReviewedDimension(
                        name=names[dimension],
                        score=getattr(review, f"{dimension}_score"),
                        evidence=getattr(review, f"{dimension}_evidence"),
                        plan=getattr(review, f"{dimension}_plan"),
                    )
                    for dimension in DIMENSIONS
                ],
            )
            for review in reversed(self.all_reviews)
        ]

    @property
    def decline_reviews(self) -> list[ProgressReview]:
        return self.reviews[-3:] if self.declining else []


def progress_overview(family: Family) -> ProgressOverview:
    all_reviews = list(
        ProgressReview.objects.filter(family=family).select_related("created_by").order_by("reviewed_on", "created_at")
    )
    reviews = current_reviews(all_reviews)
    ratings = list(ParentRating.objects.filter(family=family).order_by("rated_on", "created_at"))
    due = due_on(
        referral_on=family.referral_on,
        every_weeks=family.review_every_weeks,
        last_reviewed_on=reviews[-1].reviewed_on if reviews else None,
    )
    return ProgressOverview(
        all_reviews=all_reviews,
        reviews=reviews,
        parent_ratings=ratings,
        positions=positions(reviews, ratings[-1] if ratings else None),
        circle=circle_status(reviews),
        declining=declining_dimensions(reviews),
        due_on=due,
        overdue=due < timezone.localdate(),
    )


@dataclass(frozen=True)
class ReviewPoint:
    """What the circle, decline and due-date rules read of a review, without the review's
    words: lists of many families load only these columns. The time of recording is only
    used to order the rows in SQL (``READ_IN_ORDER``), never read."""

    pk: int
    family_id: int
    reviewed_on: date
    supersedes_id: int | None
    understanding_score: int
    empowerment_score: int
    resilience_score: int

    def scores(self) -> dict[str, int]:
        return {dimension: getattr(self, f"{dimension}_score") for dimension in DIMENSIONS}


REVIEW_POINT_FIELDS = tuple(field.name for field in fields(ReviewPoint))
READ_IN_ORDER = ("reviewed_on", "created_at")


def attach_progress(families: list[Family]) -> None:
    """Give each family of a caseload page its circle, declining dimensions and review
    due date, with one query for all of them."""
    by_family: dict[int, list] = {family.pk: [] for family in families}
    rows = ProgressReview.objects.filter(family__in=by_family).order_by(*READ_IN_ORDER)
    for row in rows.values_list(*REVIEW_POINT_FIELDS):
        review = ReviewPoint(*row)
        by_family[review.family_id].append(review)
    today = timezone.localdate()
    for family in families:
        summary = _summarise(family, by_family[family.pk], today)
        family.circle = summary.circle
        family.declining = summary.declining
        family.review_due_on = summary.due_on
        family.review_overdue = summary.overdue
        family.review_due_soon = not summary.overdue and (summary.due_on - today).days <= 7


@dataclass(frozen=True)
class ProgressSummary:
    """Where one family stands, for a page that shows the circle and the next review but
    not the reviews themselves (the family overview)."""

    circle: Circle
    declining: list[str]
    due_on: date
    overdue: bool


def progress_summary(family: Family) -> ProgressSummary:
    """The circle, declining dimensions and review due date of one family, with one
    query that reads the scores only."""
    rows = ProgressReview.objects.filter(family=family).order_by(*READ_IN_ORDER)
    points = [ReviewPoint(*row) for row in rows.values_list(*REVIEW_POINT_FIELDS)]
    return _summarise(family, points, timezone.localdate())


def _summarise(family: Family, points: list[ReviewPoint], today: date) -> ProgressSummary:
    reviews = current_reviews(points, recorded_in_order=True)
    review_due_on = due_on(
        referral_on=family.referral_on,
        every_weeks=family.review_every_weeks,
        last_reviewed_on=reviews[-1].reviewed_on if reviews else None,
    )
    return ProgressSummary(
        circle=circle_status(reviews),
        declining=declining_dimensions(reviews),
        due_on=review_due_on,
        overdue=review_due_on < today,
    )
