"""Reads of what is recorded when a parent may be the exploiter, each a fixed number of
queries. For staff pages only: nothing here is ever read for a parent."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from families.models import (
    Child,
    Family,
    FamilyConcern,
    IntrafamilialScreen,
    MeldcodeStep,
    ProgressReview,
    SeenAlone,
)
from liaison.expressions import database_today

# A family with an open concern whose children nobody saw alone for longer needs attention.
SEEN_ALONE_WITHIN_DAYS = 28


def open_concern(family: Family) -> FamilyConcern | None:
    """The family's open concern (at most one), with who raised it."""
    return FamilyConcern.objects.open().filter(family=family).select_related("raised_by").first()


def latest_screen(family: Family) -> IntrafamilialScreen | None:
    return screens_of(family).first()


def screens_of(family: Family | int) -> QuerySet[IntrafamilialScreen]:
    """Every screen of the family, newest first, with the review and who answered it."""
    return IntrafamilialScreen.objects.filter(family=family).select_related("created_by", "review")


def concerns_of(family: Family) -> QuerySet[FamilyConcern]:
    """Every concern of the family, the open one first, with its Meldcode steps and the
    screens that raised or added to it: three queries however many there are."""
    return (
        FamilyConcern.objects.filter(family=family)
        .select_related("raised_by", "closed_by")
        .prefetch_related(
            Prefetch("steps", MeldcodeStep.objects.select_related("created_by").order_by("taken_on", "pk")),
            Prefetch("screens", IntrafamilialScreen.objects.only("pk", "concern_id", "screened_on", "judgement")),
        )
        .order_by("closed_at", "-raised_at")
    )


def concern_of(family: Family, concern_pk: int) -> FamilyConcern | None:
    return FamilyConcern.objects.filter(family=family, pk=concern_pk).select_related("family").first()


def review_of(family: Family, review_pk: int) -> ProgressReview | None:
    """A review of this family that a screen is answered for."""
    return ProgressReview.objects.filter(family=family, pk=review_pk).first()


def screened_reviews_of(family_id: int) -> QuerySet:
    """The reviews of the family a screen was answered for (``review_id`` rows): the
    progress page offers the screen for its newest review when that is not among them."""
    return IntrafamilialScreen.objects.filter(family_id=family_id, review__isnull=False).order_by().values("review_id")


def seen_alone_of(family: Family) -> QuerySet[SeenAlone]:
    return SeenAlone.objects.filter(family=family).select_related("child", "created_by")


def children_seen_alone(family: Family) -> list[Child]:
    """The children with when, by whom and where they were last seen alone (``last_seen_on``,
    ``last_seen_by``, ``last_seen_agency``; None when never), in one query."""
    return list(children_seen_alone_of(family.pk))


# What ``children_seen_alone`` adds to each child.
SEEN_ALONE_COLUMNS = ("last_seen_on", "last_seen_by", "last_seen_agency")


def children_seen_alone_of(family_id: int) -> QuerySet[Child]:
    latest = SeenAlone.objects.filter(child=OuterRef("pk")).order_by("-seen_on", "-pk")
    return (
        Child.objects.filter(family_id=family_id)
        .annotate(
            last_seen_on=Subquery(latest.values("seen_on")[:1]),
            last_seen_by=Subquery(latest.values("seen_by")[:1]),
            last_seen_agency=Subquery(latest.values("agency")[:1]),
        )
        .order_by("role", "born_on", "full_name")
    )


def seen_alone_since() -> date:
    """The first day that still counts as recent for a child seen alone."""
    return timezone.localdate() - timedelta(days=SEEN_ALONE_WITHIN_DAYS)


def concern_attention() -> dict:
    """Annotations of a family queryset for the attention rules (no extra query): an open
    concern without anyone seen alone in the last 28 days, and the next date of the
    newest Meldcode step of the open concern (overdue once past). The days are the
    database's (``today``), so that a query with them can be compiled once."""
    concern = FamilyConcern.objects.open().filter(family=OuterRef("pk"))
    recent = SeenAlone.objects.filter(family=OuterRef("pk"), seen_on__gte=database_today(-SEEN_ALONE_WITHIN_DAYS))
    newest_step = MeldcodeStep.objects.filter(concern__family=OuterRef("pk"), concern__closed_at__isnull=True).order_by(
        "-taken_on", "-pk"
    )
    return {
        "open_concern": Exists(concern),
        "seen_alone_recently": Exists(recent),
        "meldcode_next_on": Subquery(newest_step.values("next_on")[:1]),
    }
