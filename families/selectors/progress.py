"""Reads for the progress view: a fixed number of queries however many reviews."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import RowNumber
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
    talking_points,
    to_talk_about,
)
from families.progress import review_due_on as due_on
from families.progress_scale import PARENT_WORDS
from families.selectors.concerns import screened_reviews_of
from families.selectors.together import read_together
from liaison.compiled import FamiliesRead, as_models, field_names, with_related

# How many of the parents' earlier ratings the progress page lists with their words; the
# rest are a page of their own (``parent_ratings_newest_first``).
EARLIER_RATINGS_SHOWN = 5


@dataclass(frozen=True)
class ReviewedDimension:
    """One dimension of a review as the progress page shows it."""

    name: str
    score: int
    evidence: str
    plan: str


@dataclass(frozen=True)
class RatedDimension:
    """One dimension of the parents' own rating: the score and the answer they chose, in
    the plain words the portal asked it in."""

    dimension: str
    score: int
    answer: str


@dataclass(frozen=True)
class RatingShown:
    """A rating of the parents as staff read it: when, who gave it and how, the three
    scores with the answers chosen, and their own words exactly as written (``comment``)."""

    rating: ParentRating

    @property
    def dimensions(self) -> list[RatedDimension]:
        scores = self.rating.scores()
        return [RatedDimension(d, scores[d], str(PARENT_WORDS[d][scores[d]])) for d in DIMENSIONS]


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

    @property
    def to_talk_about(self) -> list[Position]:
        return to_talk_about(self.positions)

    @cached_property
    def latest_rating(self) -> RatingShown | None:
        return RatingShown(self.parent_ratings[-1]) if self.parent_ratings else None

    @cached_property
    def earlier_ratings(self) -> list[RatingShown]:
        """The parents' ratings before the latest, newest first, as many as the page lists."""
        earlier = self.parent_ratings[-1 - EARLIER_RATINGS_SHOWN : -1]
        return [RatingShown(rating) for rating in reversed(earlier)]

    @property
    def more_earlier_ratings(self) -> bool:
        return len(self.parent_ratings) - 1 > EARLIER_RATINGS_SHOWN


def progress_overview(family: Family) -> ProgressOverview:
    return progress_overview_of(
        family,
        list(review_points_of(family.pk).select_related("created_by")),
        list(parent_ratings_in_order(family.pk)),
    )


def progress_overview_of(
    family: Family, all_reviews: list[ProgressReview], ratings: list[ParentRating]
) -> ProgressOverview:
    """``progress_overview`` of the reviews (in the order they were recorded) and the
    parents' ratings (oldest first) read already."""
    reviews = current_reviews(all_reviews)
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


def parent_ratings_in_order(family_id: int) -> QuerySet[ParentRating]:
    """Every rating the parents gave, oldest first, as the progress page sets them out."""
    return ParentRating.objects.filter(family_id=family_id).order_by("rated_on", "created_at", "pk")


@dataclass(frozen=True)
class ProgressPage:
    overview: ProgressOverview
    # The reviews a screen was answered for; read only when asked (``screens``).
    screened_reviews: frozenset[int]


def progress_page(family: Family, *, screens: bool = False) -> ProgressPage:
    """``progress_overview`` and, with ``screens`` (for those who may answer the screen),
    which reviews have a screen answered for them, read with one statement compiled once
    per process (``_PROGRESS``)."""
    read = read_together(_PROGRESS, ["reviews", "ratings"] + (["screened_reviews"] if screens else []), family.pk)
    # Each review with who recorded it (of whom only the full name is read).
    all_reviews = [with_related(ProgressReview, row, ("created_by",)) for row in read["reviews"]]
    overview = progress_overview_of(family, all_reviews, as_models(ParentRating, read["ratings"]))
    return ProgressPage(
        overview=overview,
        screened_reviews=frozenset(row["review_id"] for row in read.get("screened_reviews", [])),
    )


class ReviewPoint(NamedTuple):
    """What the circle, decline and due-date rules read of a review, without the review's
    words: lists of many families load only these columns. The time of recording is only
    used to order the rows in SQL (``READ_IN_ORDER``), never read. A named tuple: a team's
    dashboard makes one of each of about 1,100 reviews, at a fraction of a frozen
    dataclass's cost."""

    pk: int
    family_id: int
    reviewed_on: date
    supersedes_id: int | None
    understanding_score: int
    empowerment_score: int
    resilience_score: int

    def scores(self) -> dict[str, int]:
        return {dimension: getattr(self, field) for dimension, field in SCORE_FIELDS}


SCORE_FIELDS = tuple((dimension, f"{dimension}_score") for dimension in DIMENSIONS)
REVIEW_POINT_FIELDS = ReviewPoint._fields
READ_IN_ORDER = ("reviewed_on", "created_at")


def attach_progress(families: list[Family], read: FamiliesRead) -> None:
    """Give each family of a caseload page its circle, declining dimensions and review
    due date, with one query for all of them (``read``: how the rows of these families
    are read, ``liaison.compiled.FamiliesRead``)."""
    by_family: dict[int, list] = {family.pk: [] for family in families}
    for row in read(("review points",), _review_points_of):
        review = ReviewPoint(**row)
        if review.family_id in by_family:
            by_family[review.family_id].append(review)
    today = timezone.localdate()
    for family in families:
        summary = _summarise(family, by_family[family.pk], today)
        family.circle = summary.circle
        family.declining = summary.declining
        family.review_due_on = summary.due_on
        family.review_overdue = summary.overdue
        family.review_due_soon = not summary.overdue and (summary.due_on - today).days <= 7


# The circle, the decline and the review due date read no further back than the last
# three reviews that count (``declining_dimensions``): a list of many families reads only
# those, not every review each family ever had.
REVIEWS_THE_RULES_READ = 3


def _review_points_of(families: QuerySet[Family]) -> QuerySet:
    """The last ``REVIEWS_THE_RULES_READ`` reviews that count of each of these families
    (a corrected review is left out: its correction counts), in the order they were
    recorded."""
    return (
        ProgressReview.objects.filter(family__in=families.values("pk"))
        .exclude(Exists(ProgressReview.objects.filter(supersedes=OuterRef("pk"))))
        .annotate(
            place_from_newest=Window(
                RowNumber(),
                partition_by=F("family_id"),
                order_by=[F("reviewed_on").desc(), F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(place_from_newest__lte=REVIEWS_THE_RULES_READ)
        .order_by(*READ_IN_ORDER)
        .values(*REVIEW_POINT_FIELDS)
    )


@dataclass(frozen=True)
class ProgressSummary:
    """Where one family stands, for a page that shows the circle and the next review but
    not the reviews themselves (the family overview)."""

    circle: Circle
    declining: list[str]
    due_on: date
    overdue: bool
    # The scores of the review that counts now, to set beside the parents' own rating.
    latest: ReviewPoint | None = None


def progress_summary(family: Family) -> ProgressSummary:
    """The circle, declining dimensions and review due date of one family, with one
    query that reads the scores only."""
    return progress_summary_of(family, review_points_of(family.pk).values_list(*REVIEW_POINT_FIELDS))


def review_points_of(family_id: int) -> QuerySet[ProgressReview]:
    """The reviews of one family in the order they were recorded, for ``progress_summary_of``
    to read ``REVIEW_POINT_FIELDS`` of."""
    return ProgressReview.objects.filter(family_id=family_id).order_by(*READ_IN_ORDER)


def progress_summary_of(family: Family, rows) -> ProgressSummary:
    """``progress_summary`` of the rows of ``review_points_of`` read already (tuples or
    ``.values()`` rows of ``REVIEW_POINT_FIELDS``)."""
    points = [ReviewPoint(**row) if isinstance(row, dict) else ReviewPoint(*row) for row in rows]
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
        latest=reviews[-1] if reviews else None,
    )


@dataclass(frozen=True)
class ParentsWords:
    """The parents' latest own rating beside the officer's latest review: what the family
    page and the review form show (the progress page has it in ``ProgressOverview``)."""

    latest_rating: RatingShown | None
    positions: list[Position]

    @property
    def to_talk_about(self) -> list[Position]:
        return to_talk_about(self.positions)


def latest_parent_rating(family: Family) -> ParentRating | None:
    return parent_ratings_newest_first(family).first()


def parents_words(family: Family, *, latest_review: ReviewPoint | ProgressReview | None) -> ParentsWords:
    """The parents' latest rating, with one query, and per dimension the gap to the
    officer's ``latest_review`` (from ``progress_summary``: no query of its own)."""
    return parents_words_of(latest_parent_rating(family), latest_review=latest_review)


def parents_words_of(
    rating: ParentRating | None, *, latest_review: ReviewPoint | ProgressReview | None
) -> ParentsWords:
    """``parents_words`` of the parents' latest rating read already."""
    return ParentsWords(
        latest_rating=RatingShown(rating) if rating else None,
        positions=talking_points(latest_review, rating),
    )


def parent_ratings_newest_first(family: Family | int) -> QuerySet[ParentRating]:
    """Every rating the parents gave, newest first, for the page that lists them all."""
    return ParentRating.objects.filter(family=family).order_by("-rated_on", "-created_at", "-pk")


# The progress page read with one statement (``read_together``): every review with who
# recorded it, every rating of the parents, and (``progress_page``) the reviews screened.
_PROGRESS = {
    "reviews": lambda family_id: review_points_of(family_id).values(
        *field_names(ProgressReview), "created_by__id", "created_by__full_name"
    ),
    "ratings": lambda family_id: parent_ratings_in_order(family_id).values(*field_names(ParentRating)),
    "screened_reviews": lambda family_id: screened_reviews_of(family_id),
}
