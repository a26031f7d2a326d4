"""What needs attention: the drift supervisors cannot see until it is too late. The
rules are small pure functions, tested at their boundaries; ``attach_attention`` puts
the answers on a page of families in a fixed number of queries, and
``attention_lists`` groups a team's families by what needs doing.

- No contact: the last contact (or, without any, the referral) is more than the team's
  limit in days ago (default 14); exactly the limit is still fine.
- Return conversation: due within 72 hours after a missing child came back.
- Shared information: the police confirm it within the team's limit in working days
  (default 5; Saturdays and Sundays do not count).
- Criminal cases: a planned step (a hearing, say) whose date has passed without being
  recorded as happened; and a planned step a week or a day ahead, so that the officer is
  reminded in time.
- A concern that a caregiver may be involved is open and no child of the family was
  seen alone in the last 28 days (``SEEN_ALONE_WITHIN_DAYS``); and the next date of the
  newest Meldcode step of the open concern has passed.
- The rest comes from the progress rules, the safety plan and the case itself.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Family, SharedInformation, SharedStatus
from families.progress import Circle
from families.selectors.progress import attach_progress
from safety_plans.selectors import attach_plan_status

SATURDAY = 5


class Attention(models.TextChoices):
    PROTECTIVE_MODE = "protective_mode", _("Protective mode awaiting a supervisor's confirmation")
    CLOSURE_REQUESTED = "closure_requested", _("Asked to close, awaiting a supervisor's decision")
    CIRCLE = "circle", _("Vicious circle or declining two reviews in a row")
    NO_CONTACT = "no_contact", _("No contact for too long")
    REVIEW_OVERDUE = "review_overdue", _("Progress review overdue")
    PLAN_NOT_ENDORSED = "plan_not_endorsed", _("Safety plan not endorsed")
    PLAN_REVIEW_OVERDUE = "plan_review_overdue", _("Safety plan past its review date")
    HANDOVER_PENDING = "handover_pending", _("Handover not yet acknowledged")
    RETURN_CONVERSATION = "return_conversation", _("Return conversation overdue after a missing episode")
    SHARED_UNCONFIRMED = "shared_unconfirmed", _("Shared information not confirmed by the police")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Follow-up actions past their due date")
    MILESTONE_OVERDUE = "milestone_overdue", _("Planned police or court steps past their date")
    MILESTONE_SOON = "milestone_soon", _("A hearing or planned police or court step in a week or tomorrow")
    NOT_SEEN_ALONE = "not_seen_alone", _("Concern about a caregiver, and no child seen alone in the last 28 days")
    MELDCODE_OVERDUE = "meldcode_overdue", _("Next Meldcode step past its date")


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (weekends skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < SATURDAY:
            days -= 1
    return current


def no_contact_for_too_long(
    *, last_contact_at: datetime | None, referral_on: date, limit_days: int, today: date
) -> bool:
    last = timezone.localtime(last_contact_at).date() if last_contact_at else referral_on
    return (today - last).days > limit_days


def confirmation_overdue(*, shared_at: datetime, limit_working_days: int, today: date) -> bool:
    return today > add_working_days(timezone.localtime(shared_at).date(), limit_working_days)


def meldcode_overdue(*, next_on: date | None, today: date) -> bool:
    """The next step of the Meldcode was planned for a day that has passed."""
    return next_on is not None and next_on < today


def _attach_unconfirmed(families: list[Family], today: date) -> None:
    """How many items the parents shared wait longer than the team allows, in one query."""
    overdue: dict[int, int] = {family.pk: 0 for family in families}
    limits = {family.pk: family.team.acknowledgement_limit_working_days for family in families}
    waiting = SharedInformation.objects.filter(family__in=overdue, status=SharedStatus.SENT)
    for family_id, shared_at in waiting.values_list("family_id", "created_at"):
        if confirmation_overdue(shared_at=shared_at, limit_working_days=limits[family_id], today=today):
            overdue[family_id] += 1
    # The same family may come twice (the page and the officer's own lists): both get it.
    for family in families:
        family.unconfirmed_shared = overdue[family.pk]


def attach_attention(families: list[Family]) -> None:
    """Families annotated by ``families.selectors.case.with_attention`` (and with their
    team loaded) get every attention flag; three queries for the whole page. A family may
    be in the list more than once (as different objects): each gets the flags."""
    today = timezone.localdate()
    attach_progress(families)
    attach_plan_status(families)
    _attach_unconfirmed(families, today)
    for family in families:
        family.no_contact = no_contact_for_too_long(
            last_contact_at=family.last_contact_at,
            referral_on=family.referral_on,
            limit_days=family.team.contact_limit_days,
            today=today,
        )
        family.meldcode_overdue = meldcode_overdue(next_on=family.meldcode_next_on, today=today)


RULES = {
    Attention.PROTECTIVE_MODE: lambda family: family.protective_mode_due_at is not None,
    Attention.CLOSURE_REQUESTED: lambda family: family.closure_requested,
    Attention.CIRCLE: lambda family: family.circle == Circle.VICIOUS or bool(family.declining),
    Attention.NO_CONTACT: lambda family: family.no_contact,
    Attention.REVIEW_OVERDUE: lambda family: family.review_overdue,
    Attention.PLAN_NOT_ENDORSED: lambda family: family.plan_not_endorsed or family.plan_awaiting_endorsement,
    Attention.PLAN_REVIEW_OVERDUE: lambda family: family.plan_review_overdue,
    Attention.HANDOVER_PENDING: lambda family: family.pending_handover,
    Attention.RETURN_CONVERSATION: lambda family: family.overdue_returns > 0,
    Attention.SHARED_UNCONFIRMED: lambda family: family.unconfirmed_shared > 0,
    Attention.FOLLOW_UP_OVERDUE: lambda family: family.overdue_follow_ups > 0,
    Attention.MILESTONE_OVERDUE: lambda family: family.overdue_milestones > 0,
    Attention.MILESTONE_SOON: lambda family: family.milestones_soon > 0,
    Attention.NOT_SEEN_ALONE: lambda family: family.open_concern and not family.seen_alone_recently,
    Attention.MELDCODE_OVERDUE: lambda family: family.meldcode_overdue,
}


@dataclass(frozen=True)
class AttentionList:
    kind: Attention
    families: list[Family]


def attention_lists(families: list[Family]) -> list[AttentionList]:
    """Every kind of attention with the families it applies to (after ``attach_attention``)."""
    return [AttentionList(kind, [family for family in families if rule(family)]) for kind, rule in RULES.items()]


def needs_attention(family: Family) -> list[Attention]:
    return [kind for kind, rule in RULES.items() if rule(family)]
