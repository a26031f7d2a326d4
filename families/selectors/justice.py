"""Reads of the justice journey: the criminal cases of a family for staff, their status
for the handover pack, and the little the police allow the parents to read. Each list in
a fixed number of queries however many cases and milestones there are."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from families.models import CaseMilestone, CriminalCase, Family, MilestoneKind
from liaison.access import parents_see_until

SECTION = "justice"


def _milestones() -> Prefetch:
    return Prefetch(
        "milestones",
        queryset=CaseMilestone.objects.select_related("approved_by", "created_by").order_by("occurs_on", "pk"),
    )


def criminal_cases_of(family: Family) -> QuerySet[CriminalCase]:
    """Every criminal case of the family with its milestones, newest case first: two queries."""
    return family.criminal_cases.select_related("child", "suspected_caregiver").prefetch_related(_milestones())


def criminal_case_of(family: Family, case_pk: int) -> CriminalCase | None:
    """One case, only through its own family: another family's case is absent."""
    return family.criminal_cases.select_related("child", "suspected_caregiver").filter(pk=case_pk).first()


def milestone_of(family: Family, milestone_pk: int) -> CaseMilestone | None:
    return (
        CaseMilestone.objects.filter(case__family=family, pk=milestone_pk)
        .select_related("case__child", "case__suspected_caregiver", "approved_by")
        .first()
    )


@dataclass(frozen=True)
class CaseStatus:
    """Where a criminal case stands, for the handover pack: the last step taken and the
    next one planned."""

    case: CriminalCase
    last: CaseMilestone | None
    next: CaseMilestone | None


def case_statuses(family: Family) -> list[CaseStatus]:
    statuses = []
    for case in criminal_cases_of(family):
        milestones = list(case.milestones.all())
        done = [milestone for milestone in milestones if not milestone.is_planned]
        planned = [milestone for milestone in milestones if milestone.is_planned]
        statuses.append(CaseStatus(case=case, last=done[-1] if done else None, next=planned[0] if planned else None))
    return statuses


@dataclass(frozen=True)
class ParentsNews:
    """One thing the police allow the parents to read: their text, and the date only
    when the police said the parents may see it."""

    text: str
    on: date | None
    is_hearing: bool
    is_planned: bool


def _for_parents(family: Family, user) -> QuerySet[CaseMilestone]:
    """Approved milestones with a text. Where a caregiver of the family is the suspect of
    a case, only those approved explicitly for the other parent; and never one of a case
    whose suspect is this very person (a second lock behind the portal's own)."""
    return _approved_for_parents(family, user, parents_see_until(family))


def _approved_for_parents(family: Family | int, user, until) -> QuerySet[CaseMilestone]:
    milestones = CaseMilestone.objects.filter(case__family=family, approved_at__isnull=False)
    if until is not None:  # protective mode: nothing approved since reaches the parents
        milestones = milestones.filter(approved_at__lte=until)
    return (
        milestones.exclude(parents_text="")
        .filter(Q(case__suspected_caregiver__isnull=True) | Q(shown_despite_suspect=True))
        .exclude(case__suspected_caregiver__user=user)
        .only("parents_text", "occurs_on", "parents_see_date", "kind", "is_planned")
        .order_by("-occurs_on", "-pk")
    )


def parents_news(family: Family, user) -> list[ParentsNews]:
    """What the parents' portal shows under "Police and court", newest first: one query."""
    return [
        ParentsNews(
            text=milestone.parents_text,
            on=milestone.occurs_on if milestone.parents_see_date else None,
            is_hearing=milestone.kind == MilestoneKind.HEARING,
            is_planned=milestone.is_planned,
        )
        for milestone in _for_parents(family, user)
    ]


def next_hearing_for_parents(family: Family, user) -> date | None:
    """The date of the next hearing, when the police allow the parents to see it."""
    return (
        _for_parents(family, user)
        .filter(kind=MilestoneKind.HEARING, parents_see_date=True, occurs_on__gte=timezone.localdate())
        .order_by("occurs_on")
        .values_list("occurs_on", flat=True)
        .first()
    )


def hearing_rows(family_id: int, user_id: int) -> QuerySet:
    """The dates of the hearings the parents may see, soonest first, as ``.values()`` rows
    (for ``read_together``; ``next_hearing_from`` picks the next one). Only for a family
    outside protective mode: there ``next_hearing_for_parents`` asks with its moment."""
    return (
        _approved_for_parents(family_id, user_id, None)
        .filter(kind=MilestoneKind.HEARING, parents_see_date=True)
        .order_by("occurs_on", "pk")
        .values("occurs_on")
    )


def next_hearing_from(rows: list[dict]) -> date | None:
    """The first of ``hearing_rows`` from today on."""
    today = timezone.localdate()
    return next((row["occurs_on"] for row in rows if row["occurs_on"] >= today), None)
