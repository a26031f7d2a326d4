"""The "tell it once" summary a referral carries to another agency, so the parents need
not tell their story again. Only the parts on the allow-list (``SummaryPart``), each
read by its own builder below from what a parent may know: plan statements visible to
the parents in the version they agreed to, the scores (never the evidence) of the latest
review, current agency workers, the kind and date of recent contacts. Nothing police-only,
no people of concern, no screen, no Meldcode step, no note of the staff."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import (
    DIMENSIONS,
    AgencyInvolvement,
    Child,
    ContactEntry,
    Dimension,
    Family,
    ProgressReview,
    Referral,
    SummaryPart,
)
from safety_plans.models import VISIBLE_TO_PARENTS, PlanSection, PlanStatement, PlanStatus

RECENT_CONTACTS = 5


@dataclass
class SummarySection:
    """One part of the summary: a heading and its lines, each a (label, text) pair."""

    part: str
    heading: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    empty: str = ""


def _situation(referral: Referral) -> list[tuple[str, str]]:
    return [("", referral.situation)] if referral.situation else []


def _age(born_on: date | None, today: date) -> str:
    if born_on is None:
        return _("age not known")
    years = today.year - born_on.year - ((today.month, today.day) < (born_on.month, born_on.day))
    return _("%(years)s years") % {"years": years}


def _children(referral: Referral) -> list[tuple[str, str]]:
    today = timezone.localdate()
    children = Child.objects.filter(family_id=referral.family_id, erased_at__isnull=True).order_by("born_on", "pk")
    return [
        (child.full_name.split()[0] if child.full_name.split() else "", _age(child.born_on, today))
        for child in children
    ]


def _safety_plan(referral: Referral) -> list[tuple[str, str]]:
    """The statements the parents can read in the active version, which they agreed to."""
    statements = PlanStatement.objects.filter(
        version__plan__family_id=referral.family_id,
        version__status=PlanStatus.ACTIVE,
        version__agreements__withdrawn_at__isnull=True,
        visibility__in=VISIBLE_TO_PARENTS,
        removed_at__isnull=True,
    ).distinct()
    labels = dict(PlanSection.choices)
    order = list(labels)
    ordered = sorted(
        statements, key=lambda statement: (order.index(statement.section), statement.created_at, statement.pk)
    )
    return [(str(labels[statement.section]), statement.text) for statement in ordered]


def _progress(referral: Referral) -> list[tuple[str, str]]:
    review = ProgressReview.objects.filter(family_id=referral.family_id).order_by("-reviewed_on", "-pk").first()
    if review is None:
        return []
    labels = dict(Dimension.choices)
    lines = [(_("Reviewed on"), review.reviewed_on.strftime("%d-%m-%Y"))]
    lines += [
        (str(labels[dimension]), _("%(score)s of 5") % {"score": getattr(review, f"{dimension}_score")})
        for dimension in DIMENSIONS
    ]
    return lines


def _agencies(referral: Referral) -> list[tuple[str, str]]:
    today = timezone.localdate()
    current = AgencyInvolvement.objects.filter(family_id=referral.family_id, started_on__lte=today).exclude(
        ended_on__lte=today
    )
    return [
        (
            involvement.get_agency_display(),
            ", ".join(filter(None, [involvement.worker_name, involvement.agency_detail])),
        )
        for involvement in current.order_by("agency", "started_on", "pk")
    ]


def _contacts(referral: Referral) -> list[tuple[str, str]]:
    recent = ContactEntry.objects.filter(family_id=referral.family_id).order_by("-occurred_at", "-pk")[:RECENT_CONTACTS]
    return [
        (timezone.localtime(contact.occurred_at).strftime("%d-%m-%Y"), contact.get_kind_display()) for contact in recent
    ]


# The one builder per part on the allow-list: a part without a builder is never shown.
BUILDERS: dict[str, Callable[[Referral], list[tuple[str, str]]]] = {
    SummaryPart.SITUATION: _situation,
    SummaryPart.CHILDREN: _children,
    SummaryPart.SAFETY_PLAN: _safety_plan,
    SummaryPart.PROGRESS: _progress,
    SummaryPart.AGENCIES: _agencies,
    SummaryPart.CONTACTS: _contacts,
}


def _heading(part: str) -> str:
    return {
        SummaryPart.SITUATION: _("The family's situation"),
        SummaryPart.CHILDREN: _("The children"),
        SummaryPart.SAFETY_PLAN: _("What was agreed in the safety plan"),
        SummaryPart.PROGRESS: _("How the family is doing"),
        SummaryPart.AGENCIES: _("Agencies involved"),
        SummaryPart.CONTACTS: _("Recent contacts with the liaison officer"),
    }[part]


def referral_summary(referral: Referral) -> list[SummarySection]:
    """The parts the parents consented to, in the allow-list's order, each with its lines."""
    consented = set(referral.consent.parts)
    return [
        SummarySection(part=part, heading=_heading(part), lines=BUILDERS[part](referral), empty=_("Nothing recorded."))
        for part in referral.summary_parts()
        if part in consented and part in BUILDERS
    ]


def referral_pdf_context(family: Family, referral: Referral) -> dict:
    return {"family": family, "referral": referral, "sections": referral_summary(referral)}
