"""What a team achieved in a chosen period, in numbers a supervisor can report upwards:
referrals, closures, movement on the three dimensions, endorsed safety plans, how long
families waited for a first contact and a first plan, and how often the workers of other
agencies changed. Only counts and timings leave this module, never a family.

A fixed number of queries whatever the size of the team: each measure is one aggregate
or one list of small rows.
"""

from dataclasses import dataclass
from datetime import date
from statistics import mean, median

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from families.models import (
    DIMENSIONS,
    AgencyInvolvement,
    CaseMilestone,
    ContactEntry,
    Dimension,
    Family,
    FamilyStatus,
    MilestoneKind,
    ProgressReview,
    ReferralSource,
)
from families.progress import current_reviews
from liaison.accounts.models import Team
from safety_plans.models import PlanEndorsement

# How many changes of worker the distribution shows separately; more are grouped.
WORKER_CHANGE_BUCKETS = (0, 1, 2, 3)


@dataclass(frozen=True)
class ReferralSourceCount:
    source: str
    label: str
    count: int


@dataclass(frozen=True)
class ClosingReason:
    """One reason as staff wrote it, with how many closed cases gave it. Not tied to a family."""

    text: str
    count: int


@dataclass(frozen=True)
class DimensionMovement:
    dimension: str
    label: str
    improved: int
    stayed: int
    declined: int


@dataclass(frozen=True)
class Waiting:
    """Days from referral to a first step, over the families referred in the period."""

    days: tuple[int, ...]
    not_yet: int

    @property
    def reached(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return float(median(self.days)) if self.days else None

    @property
    def mean(self) -> float | None:
        return round(float(mean(self.days)), 1) if self.days else None


@dataclass(frozen=True)
class WorkerChangeBucket:
    changes: int
    label: str
    families: int


@dataclass(frozen=True)
class JusticeCounts:
    """The justice journey in the period, from steps that happened (not planned ones)."""

    families_with_report: int
    reports_withdrawn: int
    cases_reaching_court: int
    hearings_with_parent: int


@dataclass(frozen=True)
class TeamReport:
    team: Team
    start: date
    end: date
    referrals_by_source: list[ReferralSourceCount]
    closed: int
    closing_reasons: list[ClosingReason]
    families_with_movement: int
    movement: list[DimensionMovement]
    plans_endorsed: int
    to_first_contact: Waiting
    to_first_endorsed_plan: Waiting
    open_families: int
    worker_changes: list[WorkerChangeBucket]
    justice: JusticeCounts

    @property
    def referrals(self) -> int:
        return sum(row.count for row in self.referrals_by_source)


def team_report(team: Team, start: date, end: date) -> TeamReport:
    """The report of one team for the days from ``start`` to ``end``, both included."""
    families = Family.objects.filter(team=team)
    referred = families.filter(referral_on__range=(start, end))
    # Open at some moment in the period: referred by its end and not closed before its start.
    open_in_period = families.filter(referral_on__lte=end).exclude(closed_on__lt=start)
    closed, reasons = _closures(families, start, end)
    with_movement, movement = _movement(open_in_period, end)
    open_count, worker_changes = _worker_changes(open_in_period, start, end)
    to_contact, to_plan = _waiting(referred, end)
    return TeamReport(
        team=team,
        start=start,
        end=end,
        referrals_by_source=_referrals_by_source(referred),
        closed=closed,
        closing_reasons=reasons,
        families_with_movement=with_movement,
        movement=movement,
        plans_endorsed=PlanEndorsement.objects.filter(
            version__plan__family__team=team, endorsed_at__date__range=(start, end)
        ).count(),
        to_first_contact=to_contact,
        to_first_endorsed_plan=to_plan,
        open_families=open_count,
        worker_changes=worker_changes,
        justice=_justice(team, start, end),
    )


def _justice(team: Team, start: date, end: date) -> JusticeCounts:
    """Families with a report made, reports withdrawn, criminal cases with a hearing held,
    and hearings a parent attended, in the period: one aggregate."""
    steps = CaseMilestone.objects.filter(
        case__family__team=team, is_planned=False, occurs_on__range=(start, end)
    ).order_by()
    hearing = Q(kind=MilestoneKind.HEARING)
    counted = steps.aggregate(
        families_with_report=Count("case__family", distinct=True, filter=Q(kind=MilestoneKind.REPORT_MADE)),
        reports_withdrawn=Count("pk", filter=Q(kind=MilestoneKind.REPORT_WITHDRAWN)),
        cases_reaching_court=Count("case", distinct=True, filter=hearing),
        hearings_with_parent=Count("pk", filter=hearing & Q(parent_attends=True)),
    )
    return JusticeCounts(**counted)


def _referrals_by_source(referred: QuerySet[Family]) -> list[ReferralSourceCount]:
    counts = dict(referred.order_by().values_list("referral_source").annotate(count=Count("pk")))
    return [
        ReferralSourceCount(source=source.value, label=str(source.label), count=counts.get(source.value, 0))
        for source in ReferralSource
    ]


def _closures(families: QuerySet[Family], start: date, end: date) -> tuple[int, list[ClosingReason]]:
    """Cases closed in the period, and their reasons grouped where staff wrote the same words.
    Sorted by frequency and then alphabetically, so the order says nothing about which family."""
    reasons = (
        families.filter(status=FamilyStatus.CLOSED, closed_on__range=(start, end))
        .order_by()
        .values_list("closing_reason", flat=True)
    )
    grouped: dict[str, list[str]] = {}
    for reason in reasons:
        text = " ".join(reason.split())
        grouped.setdefault(text.casefold(), []).append(text)
    listed = [ClosingReason(text=min(texts), count=len(texts)) for texts in grouped.values() if texts[0]]
    listed.sort(key=lambda reason: (-reason.count, reason.text.casefold()))
    return len(reasons), listed


def _movement(open_in_period: QuerySet[Family], end: date) -> tuple[int, list[DimensionMovement]]:
    """From the intake review to the latest review up to the end of the period, for the
    families with at least two reviews by then. A correction replaces what it corrects."""
    reviews = ProgressReview.objects.filter(family__in=open_in_period).only(
        "pk", "family_id", "reviewed_on", "created_at", "supersedes_id", *(f"{d}_score" for d in DIMENSIONS)
    )
    by_family: dict[int, list[ProgressReview]] = {}
    for review in reviews.order_by():
        by_family.setdefault(review.family_id, []).append(review)
    tally = {d: {"improved": 0, "stayed": 0, "declined": 0} for d in DIMENSIONS}
    counted = 0
    for family_reviews in by_family.values():
        standing = [review for review in current_reviews(family_reviews) if review.reviewed_on <= end]
        if len(standing) < 2:
            continue
        counted += 1
        intake, latest = standing[0].scores(), standing[-1].scores()
        for d in DIMENSIONS:
            way = "improved" if latest[d] > intake[d] else "declined" if latest[d] < intake[d] else "stayed"
            tally[d][way] += 1
    movement = [DimensionMovement(dimension=d, label=str(Dimension(d).label), **tally[d]) for d in DIMENSIONS]
    return counted, movement


def _waiting(referred: QuerySet[Family], end: date) -> tuple[Waiting, Waiting]:
    """Days from referral to the first contact and to the first endorsed plan, counting
    only what happened by the end of the period, so the report reads the same later."""
    first_contact = (
        ContactEntry.objects.filter(family=OuterRef("pk"), occurred_at__date__lte=end)
        .order_by()
        .values("family")
        .annotate(first=Min("occurred_at"))
        .values("first")
    )
    first_endorsement = (
        PlanEndorsement.objects.filter(version__plan__family=OuterRef("pk"), endorsed_at__date__lte=end)
        .order_by()
        .values("version__plan__family")
        .annotate(first=Min("endorsed_at"))
        .values("first")
    )
    rows = referred.order_by().annotate(
        first_contact_at=Subquery(first_contact), first_endorsed_at=Subquery(first_endorsement)
    )
    contact_days, plan_days = [], []
    contact_missing = plan_missing = 0
    for referral_on, contact_at, endorsed_at in rows.values_list(
        "referral_on", "first_contact_at", "first_endorsed_at"
    ):
        if contact_at is None:
            contact_missing += 1
        else:
            contact_days.append(_days_between(referral_on, contact_at))
        if endorsed_at is None:
            plan_missing += 1
        else:
            plan_days.append(_days_between(referral_on, endorsed_at))
    return (
        Waiting(days=tuple(contact_days), not_yet=contact_missing),
        Waiting(days=tuple(plan_days), not_yet=plan_missing),
    )


def _days_between(referral_on: date, moment) -> int:
    """Whole days; a contact logged before the referral date counts as the same day."""
    return max(0, (timezone.localdate(moment) - referral_on).days)


def _worker_changes(open_in_period: QuerySet[Family], start: date, end: date) -> tuple[int, list[WorkerChangeBucket]]:
    """How many families saw the worker at an agency change 0, 1, 2 or 3+ times in the
    period. A change is a new named worker at an agency where the family already had one."""
    earlier_at_same_agency = AgencyInvolvement.objects.filter(
        family=OuterRef("family"), agency=OuterRef("agency")
    ).filter(Q(started_on__lt=OuterRef("started_on")) | Q(started_on=OuterRef("started_on"), pk__lt=OuterRef("pk")))
    changes = (
        AgencyInvolvement.objects.filter(family=OuterRef("pk"), started_on__range=(start, end))
        .filter(Exists(earlier_at_same_agency))
        .order_by()
        .values("family")
        .annotate(changes=Count("pk"))
        .values("changes")
    )
    counted = (
        open_in_period.order_by()
        .annotate(changes=Coalesce(Subquery(changes, output_field=IntegerField()), Value(0)))
        .aggregate(
            total=Count("pk"),
            **{f"changes_{n}": Count("pk", filter=Q(changes=n)) for n in WORKER_CHANGE_BUCKETS[:-1]},
            more=Count("pk", filter=Q(changes__gte=WORKER_CHANGE_BUCKETS[-1])),
        )
    )
    buckets = [
        WorkerChangeBucket(changes=n, label=_worker_change_label(n), families=counted[f"changes_{n}"])
        for n in WORKER_CHANGE_BUCKETS[:-1]
    ]
    most = WORKER_CHANGE_BUCKETS[-1]
    buckets.append(
        WorkerChangeBucket(changes=most, label=_worker_change_label(most, or_more=True), families=counted["more"])
    )
    return counted["total"], buckets


def _worker_change_label(changes: int, *, or_more: bool = False) -> str:
    if or_more:
        return _("%(count)s or more changes") % {"count": changes}
    if changes == 0:
        return _("No change")
    return ngettext("%(count)s change", "%(count)s changes", changes) % {"count": changes}
