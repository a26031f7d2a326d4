"""Reads of the parents' own needs, each a fixed number of queries however many needs
and versions a family has. Staff pages only (the access policy's ``needs`` section)."""

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from families.models import Family, NeedVersion, ParentNeed
from families.models.needs import OPEN_STATUSES
from liaison.expressions import database_today


def open_needs_of(family: Family | int) -> QuerySet[ParentNeed]:
    """The needs still worked on, the first next step first (those without one last)."""
    return (
        ParentNeed.objects.open()
        .filter(family=family)
        .select_related("updated_by")
        .order_by("next_on", "since_on", "pk")
    )


def needs_of(family: Family) -> QuerySet[ParentNeed]:
    """Every need of the family, open ones first, each with its versions and who saved
    them: two queries."""
    versions = NeedVersion.objects.select_related("created_by").order_by("-revision")
    return (
        ParentNeed.objects.filter(family=family)
        .select_related("created_by", "updated_by")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .annotate(closed=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1)))
        .order_by("closed", "-since_on", "-pk")
    )


def need_of(family: Family, pk: int) -> ParentNeed | None:
    """One need of this family (None for a need of another family)."""
    return ParentNeed.objects.filter(family=family, pk=pk).select_related("family").first()


def stalled() -> Q:
    """An open need without a next date, or whose next date has passed (by the
    database's clock, ``today``)."""
    return Q(status__in=OPEN_STATUSES) & (Q(next_on__isnull=True) | Q(next_on__lt=database_today()))


def need_attention() -> dict:
    """Annotations of a family queryset: how many needs are open, and how many of them
    have no next step or one past its date (``families.selectors.case.with_attention``)."""
    counts = (
        ParentNeed.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(
            open_count=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            stalled_count=Count("pk", filter=stalled()),
        )
    )
    return {
        "open_needs": Coalesce(Subquery(counts.values("open_count")), 0, output_field=IntegerField()),
        "stalled_needs": Coalesce(Subquery(counts.values("stalled_count")), 0, output_field=IntegerField()),
    }
