"""Reads of contexts: one family's links for its staff and police partners, whether the
police were told of a link (all its officer learns of other families), and the hits and
patterns across the families of one police unit, for its police partners and analysts.

The hit pages show a context in the words of a family of the reader's own unit; of the
families of other units they show only how many there are."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from families.models import (
    ContextAccessRequest,
    ContextHit,
    ContextKey,
    ContextLink,
    ContextMention,
    ContextSource,
    Family,
    Incident,
    MissingEpisode,
    SharedInformation,
)

# The window of the patterns page.
PATTERN_DAYS = 90
NEW_HIT_DAYS = 7


def contexts_of(family: Family) -> QuerySet[ContextLink]:
    """The family's contexts, current ones first, with who recorded and ended them and
    where the case names them (``mentions``, unlinked ones included)."""
    namings = ContextMention.objects.select_related("created_by", "ended_by").order_by("created_at", "pk")
    return (
        ContextLink.objects.filter(family=family)
        .select_related("created_by", "updated_by", "ended_by")
        .prefetch_related(Prefetch("mentions", queryset=namings))
        .order_by(F("ended_at").asc(nulls_first=True), "kind", "-pk")
    )


def context_of(family: Family, pk: int) -> ContextLink | None:
    """One context of this family (None for one of another family)."""
    return ContextLink.objects.filter(family=family, pk=pk).select_related("family").first()


SOURCE_MODELS = {
    ContextSource.INCIDENT: Incident,
    ContextSource.MISSING_EPISODE: MissingEpisode,
    ContextSource.SHARED_INFORMATION: SharedInformation,
}


def context_source_of(family: Family, source: str, pk: int):
    """One incident, missing episode or shared item of this family (None for one of
    another family or an unknown kind of source)."""
    model = SOURCE_MODELS.get(source)
    return model.objects.filter(family=family, pk=pk).first() if model else None


def contexts_to_mention(family: Family, source: str, source_pk: int) -> QuerySet[ContextLink]:
    """The family's current contexts not yet linked to this incident, missing episode or
    shared item."""
    linked = ContextMention.objects.current().filter(**{f"{source}_id": source_pk}).values("link_id")
    return ContextLink.objects.current().filter(family=family).exclude(pk__in=linked).order_by("kind", "pk")


def with_mentions(family: Family, source: str, items) -> list:
    """The incidents, missing episodes or shared items given, as a list, each with its
    current contexts as ``context_mentions``: one query however many items."""
    items = list(items)
    field = f"{source}_id"
    by_item: dict[int, list[ContextMention]] = {}
    if items:
        mentions = (
            ContextMention.objects.current()
            .filter(link__family=family, **{f"{field}__in": [item.pk for item in items]})
            .select_related("link")
            .order_by("link__kind", "pk")
        )
        for mention in mentions:
            by_item.setdefault(getattr(mention, field), []).append(mention)
    for item in items:
        item.context_mentions = by_item.get(item.pk, [])
    return items


def mention_of(family: Family, pk: int) -> ContextMention | None:
    """One current mention of a context of this family (None otherwise)."""
    return ContextMention.objects.current().filter(link__family=family, pk=pk).select_related("link__family").first()


def _hits_on_current_contexts(family) -> QuerySet[ContextHit]:
    """The hits on a current context of the family (a family, or a reference to one)."""
    keys = ContextKey.objects.filter(link__family=family, link__ended_at__isnull=True).values("match_key")
    return ContextHit.objects.filter(match_key__in=keys)


def police_told_of_link(family: Family) -> bool:
    """Whether a current context of this family is part of a hit: the one thing its officer
    learns, never which context, how many families or which."""
    return _hits_on_current_contexts(family).exists()


def police_told() -> Exists:
    """``police_told_of_link`` as an annotation of a family queryset (no query of its own)."""
    return Exists(_hits_on_current_contexts(OuterRef(OuterRef("pk"))))


def _matching_keys(today=None) -> QuerySet[ContextKey]:
    today = today or timezone.localdate()
    return ContextKey.objects.filter(link__ended_at__isnull=True, link__review_on__gte=today)


def _family_count(keys: QuerySet[ContextKey]):
    counts = (
        keys.filter(match_key=OuterRef("match_key"))
        .order_by()
        .values("match_key")
        .annotate(families=Count("link__family_id", distinct=True))
        .values("families")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _unit_ids(units: int | Collection[int]) -> list[int]:
    return [units] if isinstance(units, int) else sorted(set(units))


def hits_for_unit(
    units: int | Collection[int], *, kind: str = "", since: datetime | None = None
) -> QuerySet[ContextHit]:
    """The hits that concern at least one family of this unit (or of these units) now, with
    how many families link the context now (``families``) and how many of them in the last
    90 days (``recent_families``); the most families first."""
    keys = _matching_keys()
    in_unit = keys.filter(match_key=OuterRef("match_key"), link__family__police_unit_id__in=_unit_ids(units))
    recent = keys.filter(link__created_at__gte=timezone.now() - timedelta(days=PATTERN_DAYS))
    hits = (
        ContextHit.objects.filter(Exists(in_unit))
        .annotate(families=_family_count(keys), recent_families=_family_count(recent))
        .filter(families__gte=2)
    )
    if kind:
        hits = hits.filter(kind=kind)
    if since is not None:
        hits = hits.filter(first_seen_at__gte=since)
    return hits.order_by("-families", "-first_seen_at", "pk")


def new_hits_for_unit(units: int | Collection[int], *, kind: str = "") -> QuerySet[ContextHit]:
    """The hits first seen this week."""
    since = timezone.now() - timedelta(days=NEW_HIT_DAYS)
    return hits_for_unit(units, kind=kind, since=since).order_by("-first_seen_at", "pk")


@dataclass(frozen=True)
class HitRow:
    """A hit as its reader sees it: the context in the words of a family of their unit."""

    hit: ContextHit
    label: str
    families: int
    recent_families: int
    unit_families: list[Family]


def hit_rows_of(units: int | Collection[int], *pages) -> list[list[HitRow]]:
    """The rows of one or more pages of hits (the patterns page shows two): one query for
    all of them, however many hits they hold."""
    pages = [list(hits) for hits in pages]
    wanted = {hit.match_key for hits in pages for hit in hits}
    keys = (
        _matching_keys()
        .filter(match_key__in=sorted(wanted), link__family__police_unit_id__in=_unit_ids(units))
        .select_related("link__family")
        .order_by("link_id")
    )
    by_key: dict[str, list[ContextLink]] = {}
    for key in keys if wanted else ():
        by_key.setdefault(key.match_key, []).append(key.link)
    rows = []
    for hits in pages:
        rows.append([])
        for hit in hits:
            own = by_key.get(hit.match_key, [])
            rows[-1].append(
                HitRow(
                    hit=hit,
                    label=own[0].label if own else "",
                    families=hit.families,
                    recent_families=hit.recent_families,
                    unit_families=list({link.family_id: link.family for link in own}.values()),
                )
            )
    return rows


def hit_rows(units: int | Collection[int], hits) -> list[HitRow]:
    """The rows of a page of hits: one query, however many hits the page holds."""
    return hit_rows_of(units, hits)[0]


def matching_family_count(match_key: str) -> int:
    """How many families link a context with this key now (one indexed lookup)."""
    return _matching_keys().filter(match_key=match_key).values("link__family_id").distinct().count()


def hit_in_unit(unit_id: int, pk: int) -> ContextHit | None:
    """One hit that concerns a family of this unit (None otherwise)."""
    return hits_for_unit(unit_id).filter(pk=pk).first()


@dataclass(frozen=True)
class HitUnit:
    """A police unit with families in a hit, and how many."""

    unit_id: int
    name: str
    families: int


def hit_units(hit: ContextHit) -> list[HitUnit]:
    """The units whose families link the context of this hit now, with their counts."""
    rows = (
        _matching_keys()
        .filter(match_key=hit.match_key)
        .order_by()
        .values("link__family__police_unit_id", "link__family__police_unit__name")
        .annotate(families=Count("link__family_id", distinct=True))
        .order_by("link__family__police_unit__name")
    )
    return [
        HitUnit(row["link__family__police_unit_id"], row["link__family__police_unit__name"] or "", row["families"])
        for row in rows
    ]


def links_of_hit_in_unit(hit: ContextHit, unit_id: int) -> QuerySet[ContextLink]:
    """The links of this hit in the families of one unit, with their families."""
    return (
        ContextLink.objects.matching()
        .filter(keys__match_key=hit.match_key, family__police_unit_id=unit_id)
        .select_related("family")
        .order_by("family__reference", "pk")
        .distinct()
    )


def granted_units(user, hit: ContextHit) -> set[int]:
    """The units whose families of this hit the user may read now, by a granted request."""
    return set(
        ContextAccessRequest.objects.filter(
            hit=hit, requested_by=user, granted=True, expires_at__gt=timezone.now()
        ).values_list("unit_id", flat=True)
    )


def open_request(user, hit: ContextHit, unit_id: int) -> ContextAccessRequest | None:
    return ContextAccessRequest.objects.filter(
        hit=hit, requested_by=user, unit_id=unit_id, decided_at__isnull=True
    ).first()


def access_requests_to_decide(unit_id: int) -> QuerySet[ContextAccessRequest]:
    """The requests waiting for a decision of this unit, oldest first."""
    return (
        ContextAccessRequest.objects.filter(unit_id=unit_id, decided_at__isnull=True)
        .select_related("hit", "requested_by", "requested_by__police_unit")
        .order_by("requested_at", "pk")
    )


def access_requests_of(user) -> QuerySet[ContextAccessRequest]:
    """The requests this person made, newest first."""
    return (
        ContextAccessRequest.objects.filter(requested_by=user)
        .select_related("hit", "unit", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def access_request_to_decide(unit_id: int, pk: int) -> ContextAccessRequest | None:
    return access_requests_to_decide(unit_id).filter(pk=pk).first()
