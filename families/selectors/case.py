"""Reads of family cases: the caseload with what needs attention, and the overview of
one family. Every query starts from the access policy and costs a fixed number of
queries however many families or records there are."""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import attrgetter, or_

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from families.models import (
    CaseMilestone,
    Child,
    ClosureRequest,
    ContactEntry,
    DateToCheck,
    Family,
    FamilyConcern,
    FamilyStatus,
    FollowUpAction,
    Handover,
    HouseholdMember,
    IntrafamilialScreen,
    LiaisonAssignment,
    MissingEpisode,
    ParentNeed,
    ParentRating,
    PortalMessage,
    ProtectiveMode,
)
from families.models.events import RETURN_CONVERSATION_DUE
from families.models.household import RISK_ORDER
from families.selectors.concerns import SEEN_ALONE_COLUMNS, children_seen_alone_of, concern_attention, screens_of
from families.selectors.contexts import police_told
from families.selectors.needs import need_attention, open_needs_of
from families.selectors.progress import (
    REVIEW_POINT_FIELDS,
    parent_ratings_newest_first,
    parents_words_of,
    progress_summary_of,
    review_points_of,
)
from families.selectors.together import read_together
from liaison.access import (
    VIEW,
    People,
    can_see_section,
    families_for,
    own_rows,
    people_of_rows,
    rows_in_reach,
    untrusted_member_rows,
)
from liaison.accounts.models import Invitation
from liaison.compiled import (
    as_models,
    field_names,
    id_places,
    ids_in_places,
    related_values,
    stand_in_ids,
    with_related,
)
from liaison.expressions import database_today

CASELOAD_SORTS = {
    "reference": ["reference"],
    "name": ["display_name", "reference"],
    "status": ["status", "reference"],
    "risk": ["-risk_rank", "reference"],
    "last_contact": ["last_contact_at", "reference"],
    "next_contact": ["next_contact_on", "reference"],
}


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) that does not multiply the family rows."""
    counted = queryset.order_by().values("family").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# What a list of many families never shows: the rows' own timestamps and the officer's
# account details. Left unread, they are also never parsed (a list of 232 families reads
# about 1,400 fewer timestamps).
NOT_LISTED = (
    "created_at",
    "updated_at",
    "team__created_at",
    "liaison_officer__password",
    "liaison_officer__last_login",
    "liaison_officer__created_at",
    "liaison_officer__updated_at",
    "liaison_officer__session_token",
)


def listed(families: QuerySet[Family]) -> QuerySet[Family]:
    """Families with their team and officer, as a page that lists many of them reads them."""
    return families.select_related("team", "liaison_officer").defer(*NOT_LISTED)


def with_attention(families: QuerySet[Family]) -> QuerySet[Family]:
    """Annotate risk, last and next contact, what is overdue, and the team's limit of days
    without contact (``contact_limit_days``). Every day and moment is the database's, so
    that a statement with them can be compiled once."""
    return families.annotate(
        contact_limit_days=F("team__contact_limit_days"),
        risk_rank=_risk_rank(),
        **_contact_and_overdue(),
        pending_handover=Exists(Handover.objects.filter(family=OuterRef("pk"), acknowledged_at__isnull=True)),
        closure_requested=Exists(ClosureRequest.objects.filter(family=OuterRef("pk"), decided_at__isnull=True)),
        protective_mode_due_at=Subquery(
            ProtectiveMode.objects.filter(
                family=OuterRef("pk"), ended_at__isnull=True, confirmed_at__isnull=True
            ).values("confirmation_due_at")[:1]
        ),
        overdue_milestones=_count(_planned_milestones().filter(occurs_on__lt=database_today())),
        milestones_soon=_count(_planned_milestones().filter(_reminder_days())),
        **concern_attention(),
        **need_attention(),
    )


def _risk_rank() -> Subquery:
    """The rank of the highest risk of the family's children (``RISK_ORDER``)."""
    return Subquery(
        Child.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(rank=_highest_child_risk())
        .values("rank"),
        output_field=IntegerField(),
    )


def _contact_and_overdue() -> dict:
    """Last and next contact, overdue follow-up actions and overdue return conversations,
    as annotations of a family queryset (the caseload and the family overview). Overdue
    by the database's clock, so that the overview's statement is compiled once."""
    latest_contact = ContactEntry.objects.filter(family=OuterRef("pk")).order_by("-occurred_at")
    return {
        "last_contact_at": Subquery(latest_contact.values("occurred_at")[:1]),
        "next_contact_on": Subquery(latest_contact.values("next_contact_on")[:1]),
        "overdue_follow_ups": _count(
            FollowUpAction.objects.filter(family=OuterRef("pk"), completed_at__isnull=True, due_on__lt=database_today())
        ),
        "overdue_returns": _count(
            MissingEpisode.objects.filter(
                family=OuterRef("pk"),
                return_conversation_at__isnull=True,
                ended_at__lt=Now() - Value(RETURN_CONVERSATION_DUE),
            )
        ),
    }


# A hearing or planned step of a criminal case is announced a week and a day ahead.
MILESTONE_REMINDER_DAYS = (7, 1)


def _reminder_days() -> Q:
    """A planned step on one of the days it is announced (by the database's clock)."""
    return reduce(or_, (Q(occurs_on=database_today(days)) for days in MILESTONE_REMINDER_DAYS))


def _planned_milestones() -> QuerySet[CaseMilestone]:
    """Planned steps of the family's criminal cases that are still open, counted per family."""
    return CaseMilestone.objects.filter(
        case__family=OuterRef("pk"), is_planned=True, case__ended_on__isnull=True
    ).annotate(family=F("case__family"))


def _highest_child_risk():
    return Max(
        Case(
            *[When(risk_level=level, then=Value(rank)) for level, rank in RISK_ORDER.items()],
            default=Value(0),
            output_field=IntegerField(),
        )
    )


RISK_BY_RANK = {rank: level for level, rank in RISK_ORDER.items()}


def matching(families: QuerySet[Family], search: str) -> QuerySet[Family]:
    """The families whose reference, family name or a child's name holds the words."""
    if not search:
        return families
    by_child = Child.objects.filter(full_name__icontains=search).values("family_id")
    return families.filter(Q(reference__icontains=search) | Q(display_name__icontains=search) | Q(pk__in=by_child))


def caseload(
    user, *, search: str = "", sort: str = "status", visible: QuerySet[Family] | None = None
) -> QuerySet[Family]:
    """The open cases this user may see (closed ones are in the archive), in the asked
    order: only what the order needs is annotated, so that counting and paging through
    them is cheap. ``caseload_rows`` reads what a page of them shows. ``visible`` is
    ``families_for(user, VIEW)`` when the caller has it already."""
    if visible is None:
        visible = families_for(user, VIEW)
    return _open_in_order(matching(visible, search), sort)


def caseload_ids(user, *, search: str = "", sort: str = "status") -> list[int]:
    """The ids of ``caseload``, in its order, read with one query; without a search its
    statement is built and compiled once per process for each order (``rows_in_reach``)."""
    if search:
        return list(caseload(user, search=search, sort=sort).values_list("pk", flat=True))
    sort = sort if sort in CASELOAD_SORTS else "status"
    rows = rows_in_reach(user, VIEW, ("caseload ids", sort), lambda visible: _open_in_order(visible, sort).values("pk"))
    return [row["pk"] for row in rows]


def _open_in_order(families: QuerySet[Family], sort: str) -> QuerySet[Family]:
    families = families.exclude(status=FamilyStatus.CLOSED)
    ordering = CASELOAD_SORTS.get(sort, CASELOAD_SORTS["status"])
    needed = {name.lstrip("-") for name in ordering} & {"risk_rank", "last_contact_at", "next_contact_on"}
    if needed:
        available = {"risk_rank": _risk_rank(), **_contact_and_overdue()}
        families = families.annotate(**{name: available[name] for name in needed})
    return families.order_by(*ordering)


def caseload_rows(user, page: list[int], *, with_own: bool) -> tuple[list[Family], list[Family]]:
    """The families of a page of the caseload (their ids, in order) and, ``with_own``, the
    officer's own families (``liaison.access.own_rows``), with their team, officer
    and what needs attention, read in one query whose statement is compiled once per
    process (``liaison.access.own_rows``); a family in both is one object."""
    places = id_places(len(page))
    messages = can_see_section(user, "messages")

    def build(own: QuerySet[Family] | None) -> QuerySet:
        return _caseload_rows_of(stand_in_ids(places), own if with_own else None, messages=messages)

    rows = own_rows(user, ("caseload rows", places, with_own, messages), build, ids_in_places(page, places))
    by_id = {}
    for row in rows:
        family = with_related(Family, row, ("team", "liaison_officer"))
        for name in row.keys() - _LISTED:
            setattr(family, name, row[name])
        by_id[family.pk] = family
    own = sorted((family for family in by_id.values() if family.is_own), key=attrgetter("reference"))
    return [by_id[pk] for pk in page if pk in by_id], own


# What a list of many families reads of each, its team and its officer (``listed``).
_LISTED_VALUES = tuple(name for name in related_values(Family, ("team", "liaison_officer")) if name not in NOT_LISTED)
_LISTED = frozenset(_LISTED_VALUES)


def _caseload_rows_of(page: list[int], own: QuerySet[Family] | None, *, messages: bool) -> QuerySet:
    families = Family.objects.filter(pk__in=page)
    if own is not None:
        # Both conditions in one WHERE, so that PostgreSQL reads each by its index; an
        # EXISTS per family made it test every family of the database (1.4 s at 20,000).
        families = (families | own).annotate(is_own=Exists(own.filter(pk=OuterRef("pk"))))
    else:
        families = families.annotate(is_own=Value(False))
    families = with_attention(families)
    if messages:
        # Police partners never see the thread, so not even how many messages wait in it.
        families = families.annotate(
            unread_messages=_count(
                PortalMessage.objects.filter(family=OuterRef("pk"), from_parent=True, read_at__isnull=True)
            )
        )
    return families.order_by().values(*_LISTED_VALUES, *families.query.annotations)


def latest_closure_request(family: Family) -> ClosureRequest | None:
    """The newest request to close the case, with who decided: the family page says what
    became of it (a refusal and its reason are the officer's to read), and reads only that."""
    return (
        ClosureRequest.objects.filter(family=family)
        .select_related("decided_by")
        .only("family", "decision", "decision_reason", "decided_at", "decided_by__full_name")
        .first()
    )


def _warnings_of(family_id: int) -> QuerySet:
    """The header's row of one family (``case_warnings``): no parameter but the family's
    id, so that it is built and compiled once per process (``read_together``)."""
    # Joins, not subqueries: a family has at most one pending handover and at most one
    # open protective mode (a constraint each), so the family's row comes once.
    pending = FilteredRelation("handovers", condition=Q(handovers__acknowledged_at__isnull=True))
    open_mode = FilteredRelation("protective_modes", condition=Q(protective_modes__ended_at__isnull=True))
    return (
        Family.objects.filter(pk=family_id)
        .annotate(pending=pending, open_mode=open_mode)
        .values(
            "pending__to_officer_id",
            "pending__from_officer__full_name",
            "pending__to_officer__full_name",
            protected_since=F("open_mode__started_at"),
            protection_confirmed_at=F("open_mode__confirmed_at"),
            protection_due_at=F("open_mode__confirmation_due_at"),
            suspected=Exists(HouseholdMember.objects.filter(family=OuterRef("pk"), is_suspected=True)),
            open_dates_to_check=Exists(DateToCheck.objects.filter(family=OuterRef("pk"), corrected_at__isnull=True)),
            open_concern=Exists(FamilyConcern.objects.open().filter(family=OuterRef("pk"))),
            closure_requested=Exists(ClosureRequest.objects.filter(family=OuterRef("pk"), decided_at__isnull=True)),
        )
    )


_WARNINGS = {"warnings": _warnings_of}


def case_warnings(family: Family) -> dict:
    """What the header of every page of the case warns about, in one query: a caregiver
    marked suspected, the handover not yet acknowledged (a family has at most one), and
    dates found outside their range still to check."""
    (row,) = read_together(_WARNINGS, ["warnings"], family.pk)["warnings"]
    handover = None
    if row["pending__to_officer_id"] is not None:
        handover = PendingHandover(
            from_officer_name=row["pending__from_officer__full_name"],
            to_officer_name=row["pending__to_officer__full_name"],
            to_officer_id=row["pending__to_officer_id"],
        )
    protection = None
    if row["protected_since"] is not None:
        protection = Protection(
            since=row["protected_since"],
            confirmed_at=row["protection_confirmed_at"],
            due_at=row["protection_due_at"],
            overdue=row["protection_confirmed_at"] is None and row["protection_due_at"] < timezone.now(),
        )
    return {
        "suspected": row["suspected"],
        "pending_handover": handover,
        "dates_to_check": row["open_dates_to_check"],
        "protection": protection,
        "open_concern": row["open_concern"],
        "closure_requested": row["closure_requested"],
    }


@dataclass(frozen=True)
class Protection:
    """Protective mode as the header of a case page shows it to staff."""

    since: datetime
    confirmed_at: datetime | None
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class PendingHandover:
    from_officer_name: str
    to_officer_name: str
    to_officer_id: int


def family_overview(
    family: Family,
    *,
    seen_alone: bool = False,
    contexts: bool = False,
    progress: bool = False,
    parents_words: bool = False,
    closure: bool = False,
    open_concern: bool = False,
    screen: bool = False,
    needs: bool = False,
) -> dict:
    """Everything the overview page shows, in a fixed number of queries, reading only
    what it shows. Whether a handover is pending is in ``case_warnings``. With
    ``seen_alone`` (for those the access policy lets see it) each child carries when it
    was last seen alone. With ``contexts`` (likewise) ``police_told`` says whether the
    police were told of a link (``police_told_of_link``), in the query of what needs
    attention. The children, the caregivers, what needs attention, the officers over time
    and the open follow-up actions are read with one statement, compiled once per process
    (``_OVERVIEW``), and so is each part the caller asks for, only when asked: where the
    family stands in its reviews (``progress``, as ``progress_summary``) and the parents'
    latest own rating beside them (``parents_words``, as ``parents_words``), the newest
    request to close the case (``closure``, as ``latest_closure_request``), the open
    concern (``open_concern``, as ``concerns.open_concern``), the latest screen
    (``screen``, as ``concerns.latest_screen``) and the open needs (``needs``, as
    ``open_needs_of``)."""
    children_part = "children_seen_alone" if seen_alone else "children"
    attention_part = "attention_police_told" if contexts else "attention"
    asked = {
        "review_points": progress,
        "latest_rating": progress and parents_words,
        "closure": closure,
        "open_concern": open_concern,
        "latest_screen": screen,
        "open_needs": needs,
    }
    names = [children_part, "household", "untrusted", attention_part, "assignments", "open_follow_ups"]
    read = read_together(_OVERVIEW, names + [name for name, wanted in asked.items() if wanted], family.pk)
    children = as_models(Child, read[children_part])
    (attention,) = read[attention_part]
    told = attention.pop("police_told", False)
    # The highest risk of the children, as the caseload ranks it (None without children).
    attention["risk_rank"] = max((RISK_ORDER.get(child.risk_level, 0) for child in children), default=None)
    summary = progress_summary_of(family, read["review_points"]) if progress else None
    words = None
    if asked["latest_rating"]:
        rating = next(iter(as_models(ParentRating, read["latest_rating"])), None)
        words = parents_words_of(rating, latest_review=summary.latest)
    return {
        "attention": attention,
        "police_told": told,
        "children": children,
        # Who is untrusted anywhere, from the marked members read in the same statement.
        "household": with_trust(as_models(HouseholdMember, read["household"]), people_of_rows(read["untrusted"])),
        # Each with its officer (of whom only the full name is read), as select_related gives them.
        "assignments": [with_related(LiaisonAssignment, row, ("officer",)) for row in read["assignments"]],
        "open_follow_ups": as_models(FollowUpAction, read["open_follow_ups"]),
        "progress": summary,
        "parents": words,
        "closure": _first(ClosureRequest, read.get("closure"), ("decided_by",)),
        "open_concern": _first(FamilyConcern, read.get("open_concern"), ("raised_by",)),
        "latest_screen": _first(IntrafamilialScreen, read.get("latest_screen"), ("created_by", "review")),
        "open_needs": as_models(ParentNeed, read.get("open_needs", [])),
    }


def _first(model, rows: list[dict] | None, relations: tuple[str, ...]):
    """The one row of a part read with ``[:1]`` as an instance with its ``relations``, as
    ``select_related(...).first()`` gives it; None when the part was not read or is empty."""
    return with_related(model, rows[0], relations) if rows else None


def with_trust(members: list[HouseholdMember], untrusted: People) -> list[HouseholdMember]:
    """The caregivers, each with ``trusted``: false when this person is untrusted here or
    anywhere else (then no account of theirs reaches any family, ``untrusted``)."""
    for member in members:
        member.trusted = not untrusted.holds(member)
    return members


def household_with_accounts(family_id: int) -> QuerySet[HouseholdMember]:
    """The caregivers with what they hold in the portal: ``account_email`` of the account
    linked to them and ``invited_email`` of an open invitation for them (whether each is
    trusted is asked anew: ``with_trust``)."""
    open_invitation = Invitation.objects.open().filter(member=OuterRef("pk")).order_by("-created_at")
    return (
        HouseholdMember.objects.filter(family_id=family_id)
        .annotate(
            account_email=F("user__email"),
            invited_email=Subquery(open_invitation.values("email")[:1]),
        )
        .order_by("full_name")
    )


def _attention_of(family_id: int, **more) -> QuerySet:
    return Family.objects.filter(pk=family_id).order_by().values(**_contact_and_overdue(), **more)


# What the overview reads of the newest request to close the case (``latest_closure_request``).
_CLOSURE_SHOWN = (
    "id",
    "family_id",
    "decision",
    "decision_reason",
    "decided_at",
    "decided_by__id",
    "decided_by__full_name",
)


# The overview of a family read with one statement (``read_together``): the children (with
# when each was last seen alone, for those who may see it), the caregivers, what needs
# attention (with whether the police were told of a link, for those who may know it), the
# liaison officers over time, and the first ten open follow-up actions.
_OVERVIEW = {
    "children": lambda family_id: (
        Child.objects.filter(family_id=family_id).order_by("role", "born_on", "full_name").values(*field_names(Child))
    ),
    "children_seen_alone": lambda family_id: children_seen_alone_of(family_id).values(
        *field_names(Child), *SEEN_ALONE_COLUMNS
    ),
    "household": lambda family_id: household_with_accounts(family_id).values(
        *field_names(HouseholdMember), "account_email", "invited_email"
    ),
    # Every member marked suspected anywhere (not of this family alone): a person is
    # untrusted here when untrusted anywhere (``liaison.access.people``).
    "untrusted": lambda family_id: untrusted_member_rows(),
    "attention": _attention_of,
    "attention_police_told": lambda family_id: _attention_of(family_id, police_told=police_told()),
    "assignments": lambda family_id: (
        LiaisonAssignment.objects.filter(family_id=family_id)
        .order_by("-started_at")
        .values("id", "family_id", "officer_id", "started_at", "ended_at", "officer__id", "officer__full_name")
    ),
    "open_follow_ups": lambda family_id: (
        FollowUpAction.objects.filter(family_id=family_id, completed_at__isnull=True)
        .order_by("due_on")
        .values("id", "description", "owner", "due_on")[:10]
    ),
    # Only for those who see each part (``family_overview``):
    "review_points": lambda family_id: review_points_of(family_id).values(*REVIEW_POINT_FIELDS),
    "latest_rating": lambda family_id: parent_ratings_newest_first(family_id).values(*field_names(ParentRating))[:1],
    "closure": lambda family_id: (
        ClosureRequest.objects.filter(family_id=family_id)
        .order_by(*ClosureRequest._meta.ordering)
        .values(*_CLOSURE_SHOWN)[:1]
    ),
    "open_concern": lambda family_id: (
        FamilyConcern.objects.open()
        .filter(family_id=family_id)
        .order_by(*FamilyConcern._meta.ordering)
        .values(*field_names(FamilyConcern), "raised_by__id", "raised_by__full_name")[:1]
    ),
    # Of the screen's review only whether there is one.
    "latest_screen": lambda family_id: (
        screens_of(family_id)
        .order_by(*IntrafamilialScreen._meta.ordering)
        .values(*field_names(IntrafamilialScreen), "created_by__id", "created_by__full_name", "review__id")[:1]
    ),
    # The open needs without their notes, which the page does not show.
    "open_needs": lambda family_id: open_needs_of(family_id).values(
        *(name for name in field_names(ParentNeed) if name != "note")
    ),
}
