"""What needs attention: the drift supervisors cannot see until it is too late. The
rules are small pure functions, tested at their boundaries; ``attach_attention`` puts
the answers on a page of families in a fixed number of queries, and
``attention_lists`` groups a team's families by what needs doing.

- No contact: the last contact (or, without any, the referral) is more than the team's
  limit in days ago (default 14); exactly the limit is still fine.
- Return conversation: due within 72 hours after a missing child came back.
- What waits for the police (``police_waiting``): shared information to confirm, an
  agreed safety plan to endorse, a text for the parents to approve; each within the
  limit of the family's police unit in working days (default 5; Saturdays and Sundays do
  not count). The unit's limit is the one source of truth: the police see the due
  dates, the officers and supervisors see what is overdue, and all are reminded.
- Criminal cases: a planned step (a hearing, say) whose date has passed without being
  recorded as happened; and a planned step a week or a day ahead, so that the officer is
  reminded in time.
- A concern that a caregiver may be involved is open and no child of the family was
  seen alone in the last 28 days (``SEEN_ALONE_WITHIN_DAYS``); and the next date of the
  newest Meldcode step of the open concern has passed.
- The parents' own needs: an open need without a next step, or whose next step's date
  has passed (``families.selectors.needs``).
- The rest comes from the progress rules, the safety plan and the case itself.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import CaseMilestone, Family, FamilyStatus, SharedInformation, SharedStatus
from families.progress import Circle
from families.selectors.progress import attach_progress
from families.selectors.together import read_together
from liaison.access import rows_in_reach
from liaison.compiled import FamiliesRead, read_for_ids
from safety_plans.models import PlanAgreement, PlanStatus, PlanVersion
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
    ENDORSEMENT_OVERDUE = "endorsement_overdue", _("Agreed safety plan not endorsed by the police in time")
    APPROVAL_OVERDUE = "approval_overdue", _("Text for the parents not approved by the police in time")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Follow-up actions past their due date")
    MILESTONE_OVERDUE = "milestone_overdue", _("Planned police or court steps past their date")
    MILESTONE_SOON = "milestone_soon", _("A hearing or planned police or court step in a week or tomorrow")
    NOT_SEEN_ALONE = "not_seen_alone", _("Concern about a caregiver, and no child seen alone in the last 28 days")
    MELDCODE_OVERDUE = "meldcode_overdue", _("Next Meldcode step past its date")
    NEEDS_WITHOUT_NEXT_STEP = "needs_without_next_step", _("Open needs of the parents without a next step, or past it")


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
    return today > due_on(shared_at, limit_working_days)


def meldcode_overdue(*, next_on: date | None, today: date) -> bool:
    """The next step of the Meldcode was planned for a day that has passed."""
    return next_on is not None and next_on < today


def read_ids(ids) -> FamiliesRead:
    """Read the rows of these families (their ids) with statements compiled once per
    process (``liaison.compiled.read_for_ids``): a page of them, say."""
    ids = list(dict.fromkeys(ids))
    return lambda name, build: read_for_ids(name, lambda stand_ins: build(Family.objects.filter(pk__in=stand_ins)), ids)


def read_in_reach(user, action: str) -> FamiliesRead:
    """Read the rows of every family within this person's reach for ``action`` (a
    supervisor's team, say), with statements compiled once per process
    (``liaison.access.rows_in_reach``)."""
    return lambda name, build: rows_in_reach(user, action, ("attention", *name), build)


def read_among(families: QuerySet[Family]) -> FamiliesRead:
    """Read the rows of the families of this queryset (every open family, say), built anew."""
    return lambda _name, build: list(build(families))


def _attach_police_overdue(families: list[Family], read: FamiliesRead, today: date) -> list["Waiting"]:
    """How many things wait for the police longer than their unit allows, per family, in
    one query (``police_waiting``); returns what waits in the families ``read`` reads."""
    waiting = _waiting(read(("police waiting",), _waiting_rows), today)
    overdue = overdue_by_family(waiting)
    # The same family may come twice (the page and the officer's own lists): both get it.
    for family in families:
        family.unconfirmed_shared = overdue[PoliceTask.ACKNOWLEDGE][family.pk]
        family.endorsement_overdue = overdue[PoliceTask.ENDORSE][family.pk]
        family.approvals_overdue = overdue[PoliceTask.APPROVE][family.pk]
    return waiting


def attach_attention(
    families: list[Family], *, today: date | None = None, read: FamiliesRead | None = None
) -> list["Waiting"]:
    """Families annotated by ``families.selectors.case.with_attention`` get every
    attention flag; three queries for the whole page. A family may be in the list more
    than once (as different objects): each gets the flags. ``read``: how the rows of
    these families are read (``read_in_reach``, a team's, say, or ``read_among``); by
    default by their ids (``read_ids``). Returns what waits for the police in them
    (``police_waiting``)."""
    today = today or timezone.localdate()
    read = read or read_ids(family.pk for family in families)
    attach_progress(families, read)
    attach_plan_status(families, read)
    waiting = _attach_police_overdue(families, read, today)
    for family in families:
        family.no_contact = no_contact_for_too_long(
            last_contact_at=family.last_contact_at,
            referral_on=family.referral_on,
            limit_days=family.contact_limit_days,
            today=today,
        )
        family.meldcode_overdue = meldcode_overdue(next_on=family.meldcode_next_on, today=today)
    return waiting


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
    Attention.ENDORSEMENT_OVERDUE: lambda family: family.endorsement_overdue > 0,
    Attention.APPROVAL_OVERDUE: lambda family: family.approvals_overdue > 0,
    Attention.FOLLOW_UP_OVERDUE: lambda family: family.overdue_follow_ups > 0,
    Attention.MILESTONE_OVERDUE: lambda family: family.overdue_milestones > 0,
    Attention.MILESTONE_SOON: lambda family: family.milestones_soon > 0,
    Attention.NOT_SEEN_ALONE: lambda family: family.open_concern and not family.seen_alone_recently,
    Attention.MELDCODE_OVERDUE: lambda family: family.meldcode_overdue,
    Attention.NEEDS_WITHOUT_NEXT_STEP: lambda family: family.stalled_needs > 0,
}


@dataclass(frozen=True)
class AttentionList:
    """The families of one kind of attention (perhaps only the first of them) and how many
    there are in all."""

    kind: Attention
    families: list[Family]
    total: int = 0


def families_needing(kind: Attention, families: list[Family]) -> list[Family]:
    """The families, in their order, that need this kind of attention (after ``attach_attention``)."""
    rule = RULES[kind]
    return [family for family in families if rule(family)]


def attention_lists(families: list[Family], *, first: int | None = None) -> list[AttentionList]:
    """Every kind of attention with the families it applies to (after ``attach_attention``),
    in their order; with ``first``, only that many of each, and the true total."""
    lists = []
    for kind in RULES:
        matching = families_needing(kind, families)
        lists.append(AttentionList(kind, matching[:first] if first is not None else matching, len(matching)))
    return lists


def needs_attention(family: Family) -> list[Attention]:
    return [kind for kind, rule in RULES.items() if rule(family)]


# What waits for the police. Parents hand the police what they found, agree to a safety
# plan the police must back, and wait for news of the criminal case that the police
# approve before they read it. The due date of shared information is the unit's
# acknowledgement limit after the day it was shared; of an agreed plan, the endorsement
# limit after the day the parents agreed; of a parents' text, the approval limit after
# the day its step was last changed (a change of the text takes the approval back). An
# item is due from its due date on, and overdue the day after.


class PoliceTask:
    """What the police are asked to do; the key is part of a reminder's items."""

    ACKNOWLEDGE = "acknowledge"
    ENDORSE = "endorse"
    APPROVE = "approve"

    LABELS = {
        ACKNOWLEDGE: _("Confirm what the parents shared"),
        ENDORSE: _("Endorse the safety plan the parents agreed to"),
        APPROVE: _("Approve a text for the parents"),
    }


@dataclass(frozen=True)
class Waiting:
    """One thing that waits for the police of a family's unit."""

    task: str
    pk: int
    family_id: int
    family_reference: str
    family_name: str
    since: date
    due_on: date
    today: date
    # The version of a plan, or the criminal case of a step, to link to.
    number: int | None = None

    @property
    def label(self) -> str:
        return str(PoliceTask.LABELS[self.task])

    @property
    def overdue(self) -> bool:
        return self.today > self.due_on

    @property
    def due(self) -> bool:
        """Due today or overdue: what a reminder counts."""
        return self.today >= self.due_on


def due_on(since: datetime, limit_working_days: int) -> date:
    """The day by which the police answer something that started waiting at ``since``."""
    return add_working_days(timezone.localtime(since).date(), limit_working_days)


def waiting_families(families: QuerySet[Family]) -> QuerySet[Family]:
    """Of these families, those whose police may be waited for: open, with a police unit."""
    return families.exclude(status=FamilyStatus.CLOSED).filter(archived_at__isnull=True, police_unit__isnull=False)


def police_waiting(
    families: QuerySet[Family], *, today: date | None = None, tasks: tuple[str, ...] | None = None
) -> list[Waiting]:
    """Everything that waits for the police in these (open, linked) families, the first
    due first, in one query. The caller decides whose families."""
    return _waiting(_waiting_rows(families, tasks), today)


def _waiting_rows(families: QuerySet[Family], tasks: tuple[str, ...] | None = None) -> QuerySet:
    """The rows of ``police_waiting``, as one ``.values()`` queryset."""
    family_ids = waiting_families(families).values("pk")
    first, *rest = [read(family_ids) for task, read in READERS.items() if tasks is None or task in tasks]
    return first.union(*rest, all=True) if rest else first


def police_waiting_for_family(family_id: int, *, today: date | None = None) -> list[Waiting]:
    """``police_waiting`` of one family (its page), with one statement compiled once per
    process (``read_together``)."""
    rows = read_together(_ONE_FAMILY, list(_ONE_FAMILY), family_id)
    return _waiting([row for task in _ONE_FAMILY for row in rows[task]], today)


def _waiting(rows, today: date | None) -> list[Waiting]:
    today = today or timezone.localdate()
    items = [
        Waiting(
            row["task"],
            row["item"],
            row["family_number"],
            row["reference"],
            row["name"],
            _day(row["since"]),
            due_on(row["since"], row["limit"]),
            today,
            row["link_number"],
        )
        for row in rows
    ]
    return sorted(items, key=lambda item: (item.due_on, item.since, item.family_reference, item.task, item.pk))


def police_waiting_count(families: QuerySet[Family]) -> int:
    """How many things wait for the police in these families, in one query (the header)."""
    family_ids = waiting_families(families).values("pk")
    shared = SharedInformation.objects.filter(family__in=family_ids, status=SharedStatus.SENT)
    plans = PlanVersion.objects.filter(plan__family__in=family_ids, status=PlanStatus.AGREED)
    texts = CaseMilestone.objects.filter(case__family__in=family_ids, approved_at__isnull=True).exclude(parents_text="")
    shared, plans, texts = (queryset.order_by().values("pk") for queryset in (shared, plans, texts))
    return shared.union(plans, texts, all=True).count()


def attach_due_dates(items: list[SharedInformation], *, today: date | None = None) -> None:
    """Shared items (with ``family__police_unit`` loaded) get ``due_on`` and ``overdue``."""
    today = today or timezone.localdate()
    for item in items:
        unit = item.family.police_unit
        item.due_on = due_on(item.created_at, unit.acknowledgement_limit_working_days) if unit else None
        item.overdue = item.due_on is not None and today > item.due_on


# Each task's rows have the same columns, so that the three are read as one query
# (``_columns``): the task, the item's pk, the family's id, reference and name, since when
# it waits, the unit's limit and the number to link to.


def _columns(task: str, *, family: str, since, limit: str, link) -> dict:
    """The columns of one task's rows; ``family`` is the path from the item to its family."""
    return {
        "task": Value(task, output_field=models.CharField()),
        "item": F("pk"),
        "family_number": F(f"{family}_id"),
        "reference": F(f"{family}__reference"),
        "name": F(f"{family}__display_name"),
        "since": since,
        "limit": F(f"{family}__police_unit__{limit}"),
        "link_number": link,
    }


def _shared(family_ids) -> QuerySet:
    return (
        SharedInformation.objects.filter(family__in=family_ids, status=SharedStatus.SENT)
        .order_by()
        .values(
            **_columns(
                PoliceTask.ACKNOWLEDGE,
                family="family",
                since=F("created_at"),
                limit="acknowledgement_limit_working_days",
                link=Cast(Value(None), models.IntegerField()),
            )
        )
    )


def _plans(family_ids) -> QuerySet:
    standing = PlanAgreement.objects.filter(version=OuterRef("pk"), withdrawn_at__isnull=True).order_by("-agreed_at")
    return (
        PlanVersion.objects.filter(plan__family__in=family_ids, status=PlanStatus.AGREED)
        .order_by()
        .values(
            **_columns(
                PoliceTask.ENDORSE,
                family="plan__family",
                since=Coalesce(Subquery(standing.values("agreed_at")[:1]), "updated_at"),
                limit="endorsement_limit_working_days",
                link=F("number"),
            )
        )
    )


def _texts(family_ids) -> QuerySet:
    return (
        CaseMilestone.objects.filter(case__family__in=family_ids, approved_at__isnull=True)
        .exclude(parents_text="")
        .order_by()
        .values(
            **_columns(
                PoliceTask.APPROVE,
                family="case__family",
                since=F("updated_at"),
                limit="approval_limit_working_days",
                link=F("case_id"),
            )
        )
    )


READERS = {PoliceTask.ACKNOWLEDGE: _shared, PoliceTask.ENDORSE: _plans, PoliceTask.APPROVE: _texts}
# What waits for the police of one family, by task (``police_waiting_for_family``).
_ONE_FAMILY = {
    task: (lambda family_id, read=read: read(waiting_families(Family.objects.filter(pk=family_id)).values("pk")))
    for task, read in READERS.items()
}


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def overdue_by_family(items: list[Waiting]) -> dict[str, Counter]:
    """How many items of each task are overdue, per family id."""
    counts: dict[str, Counter] = {task: Counter() for task in PoliceTask.LABELS}
    for item in items:
        if item.overdue:
            counts[item.task][item.family_id] += 1
    return counts
