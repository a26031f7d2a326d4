"""The one access policy: which families a user may see and change.

Deny by default. Every view that shows or changes case data starts from
``families_for`` or ``get_family_or_404``; nothing else decides who sees a family.
Absent and forbidden records both answer 404, so a URL reveals nothing.

Actions
- ``view``: read the staff case file.
- ``change``: record or edit case data.
- ``supervise``: supervisor decisions: hand the family to another officer, lift a suspicion mark.
- ``portal``: the parents' portal view of their own family.
- ``edit_plan``: write the safety plan's draft (police partners: only the police parts).
- ``endorse``: a police partner of the family's unit backs an agreed safety plan.
- ``acknowledge``: a police partner of the family's unit confirms receipt of what the
  parents shared and says what became of it.
- ``archive``: administrators open a closed case in the archive, read only, and may take
  it out again. A closed case is archived at once; from then on nobody else reaches it.
- ``record_justice``: record the criminal cases of a family and their milestones
  (officers, supervisors and police partners of the family's unit).
- ``approve_for_parents``: a police partner of the family's unit decides which milestone
  of a criminal case the parents may read, and whether they see its date.
- ``record_context``: link a context (a person of concern, vehicle, phone number, handle,
  place) to a family, review it, end it (officers, supervisors and police partners of the
  family). Who reads the hits across families: ``liaison.access.contexts``.

Emergency access ("break the glass"): an officer or supervisor who gave a reason may read
one family outside their own work for an hour; never change it. See ``BreakGlassAccess``.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from families.models import Family, FamilyStatus, HouseholdMember
from liaison.access.contexts import (
    context_hits_unit,
    context_hits_unit_or_404,
    context_hits_units,
    may_decide_context_access,
    may_download_patterns,
    shows_family_details,
)
from liaison.access.families import (
    allows_each,
    can_break_glass,
    families_for,
    family_in_reach,
    log_case_read,
    refuse_case_read,
    rows_in_reach,
    visible_families,
)
from liaison.access.meetings import (
    APPROVE_NOTE,
    ASK_PARENTS,
    WRITE_NOTE,
    PackPart,
    agenda_contexts_for,
    agenda_families_for,
    agenda_hits_unit,
    get_meeting_or_404,
    get_parents_item_or_404,
    may_approve_outcome_note,
    may_ask_parents,
    may_schedule_meetings,
    may_work_for_parents,
    may_write_outcome_note,
    meeting_owner_for,
    meeting_rows,
    meetings_for,
    pack_parts_for,
)
from liaison.access.people import (
    People,
    account_shut_out,
    members_of_account,
    people_of,
    people_of_rows,
    portal_users_of,
    shut_out_of_portal,
    trusted_members,
    untrusted_member_rows,
    untrusted_members,
    untrusted_people,
    untrusted_person,
)
from liaison.access.plans import (
    PLAN_PART_WRITERS,
    PLAN_VISIBILITIES,
    plan_parts_writable_by,
    plan_visibilities_for,
    sees_police_only_notes,
)
from liaison.access.protection import (
    PROTECTIVE_MODE_HOLDS,
    check_parents_reachable,
    open_protective_mode,
    parents_see_until,
    parents_see_until_rows,
    parents_to_tell,
    remember_parents_see_until,
)
from liaison.access.roles import (
    ACKNOWLEDGE,
    ACTIONS,
    APPROVE_FOR_PARENTS,
    ARCHIVE,
    BREAK_GLASS_ROLES,
    CHANGE,
    EDIT_PLAN,
    ENDORSE,
    PORTAL,
    RECORD_CONTEXT,
    RECORD_JUSTICE,
    ROLE_ACTIONS,
    SUPERVISE,
    VIEW,
    WRITE_ACTIONS,
    can,
)
from liaison.access.staff import (
    administrators_to_alert,
    invitation_roles_for,
    invitations_for,
    is_verified_administrator,
    keeps_library,
    library_editor_or_404,
    library_reader_or_404,
    may_edit_library,
    reminder_audience,
    supervised_team,
    supervised_team_or_404,
    supervisors_of,
    verified_administrator_or_404,
)
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.compiled import read_compiled

# The rules that live in the modules of this package are part of the one policy.
__all__ = [
    "ACKNOWLEDGE",
    "ACTIONS",
    "APPROVE_FOR_PARENTS",
    "APPROVE_NOTE",
    "ARCHIVE",
    "ASK_PARENTS",
    "BREAK_GLASS_ROLES",
    "CHANGE",
    "EDIT_PLAN",
    "ENDORSE",
    "PLAN_PART_WRITERS",
    "PLAN_VISIBILITIES",
    "PORTAL",
    "PROTECTIVE_MODE_HOLDS",
    "RECORD_CONTEXT",
    "RECORD_JUSTICE",
    "ROLE_ACTIONS",
    "SUPERVISE",
    "VIEW",
    "WRITE_ACTIONS",
    "WRITE_NOTE",
    "PackPart",
    "People",
    "account_shut_out",
    "administrators_to_alert",
    "agenda_contexts_for",
    "agenda_families_for",
    "agenda_hits_unit",
    "allows_each",
    "can",
    "can_break_glass",
    "check_parents_reachable",
    "context_hits_unit",
    "context_hits_unit_or_404",
    "context_hits_units",
    "families_for",
    "family_in_reach",
    "get_meeting_or_404",
    "get_parents_item_or_404",
    "invitation_roles_for",
    "invitations_for",
    "is_verified_administrator",
    "keeps_library",
    "library_editor_or_404",
    "library_reader_or_404",
    "log_case_read",
    "may_approve_outcome_note",
    "may_ask_parents",
    "may_decide_context_access",
    "may_download_patterns",
    "may_edit_library",
    "may_schedule_meetings",
    "may_work_for_parents",
    "may_write_outcome_note",
    "meeting_owner_for",
    "meeting_rows",
    "meetings_for",
    "members_of_account",
    "open_protective_mode",
    "pack_parts_for",
    "parents_see_until",
    "parents_see_until_rows",
    "parents_to_tell",
    "people_of",
    "people_of_rows",
    "plan_parts_writable_by",
    "plan_visibilities_for",
    "portal_users_of",
    "refuse_case_read",
    "remember_parents_see_until",
    "reminder_audience",
    "rows_in_reach",
    "sees_police_only_notes",
    "shows_family_details",
    "shut_out_of_portal",
    "supervised_team",
    "supervised_team_or_404",
    "supervisors_of",
    "trusted_members",
    "untrusted_member_rows",
    "untrusted_members",
    "untrusted_people",
    "untrusted_person",
    "verified_administrator_or_404",
    "visible_families",
]


# Parts of the staff case file. Police partners see only the parts marked for police.
SECTIONS = (
    "household",
    "contacts",
    "agencies",
    # Referrals to other agencies with the summary the parents agreed to: for the staff
    # and the police partners of the family; the consents with their routes for the staff.
    "referrals",
    "consents",
    "incidents",
    "missing",
    "handovers",
    "chronology",
    "progress",
    # The parents' own words about how they are doing (the comment of their rating, who
    # gave it and how): for the staff who work with the family, never for police partners,
    # who see what the parents shared with them explicitly (``shared_information``).
    "parents_words",
    "safety_plan",
    "shared_information",
    "justice",
    "messages",
    "supervision",
    # The library for parents: which articles the officer sent to the family and talked
    # through with them. For the staff who inform the parents; not for police partners.
    "library",
    "access_log",
    # When a parent may be the exploiter: that a concern is open; the concerns with their
    # reasons; the screen; when a child was seen alone; the Meldcode steps. Never for
    # parents (they have no section at all); police partners only learn that a concern is open.
    "concern_open",
    "concerns",
    "screen",
    "seen_alone",
    "meldcode",
    # The parents' own needs (debts, health, housing...) and who helps: for the staff who
    # work with the family. Not for police partners, and not in the parents' portal: the
    # officer's working record of what a parent confided, which a parent sharing the
    # portal with another caregiver should not find there.
    "needs",
    # Contexts (people of concern, vehicles, phones, handles, places) as this family's case
    # names them: for the staff of the family and its police partners. Never for parents.
    "contexts",
)
POLICE_SECTIONS = frozenset(
    {
        "household",
        "agencies",
        "referrals",
        "incidents",
        "missing",
        "chronology",
        "safety_plan",
        "shared_information",
        "justice",
        "concern_open",
        "contexts",
    }
)


def can_see_section(user, section: str, family: Family | None = None) -> bool:
    """Whether the user sees this part of a case. Police see the progress reviews only
    of a family that shares them with the police, and never the parents' own words.
    Who looked at the file is for the supervisors of the family's own team."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown section {section!r}")
    if section == "access_log":
        return can(user, SUPERVISE) and (family is None or family.team_id == user.team_id)
    if can(user, ARCHIVE):
        # Administrators read an archived case as its officer did (they reach it only
        # through the archive, see ``get_archived_family_or_404``).
        return family is not None and family.archived_at is not None
    if user.role == Role.POLICE:
        if section == "progress":
            return family is not None and family.progress_shared_with_police
        return section in POLICE_SECTIONS
    return can(user, VIEW)


def sections_for(user, family: Family) -> frozenset[str]:
    """The parts of this family's case the user sees (``can_see_section`` for each), asked
    once for a page that shows or links many of them."""
    return frozenset(section for section in SECTIONS if can_see_section(user, section, family))


def get_family_or_404(request: HttpRequest, pk: int, action: str = VIEW, *, section: str | None = None) -> Family:
    """The family, if this user may take the action on it (and see that part of the
    case), else 404. The read is logged, and so is a refusal (``refuse_case_read``)."""
    family = family_in_reach(request.user, pk, action)
    if family is None or (section is not None and not can_see_section(request.user, section, family)):
        refuse_case_read(request, pk)
    log_case_read(request, family, action)
    return family


def may_reopen(user, family: Family) -> bool:
    """A supervisor of the family's team may reopen a closed case until it is archived."""
    return (
        can(user, SUPERVISE)
        and family.team_id == user.team_id
        and family.status == FamilyStatus.CLOSED
        and family.archived_at is None
    )


def get_closed_family_or_404(request: HttpRequest, pk: int) -> Family:
    """A closed case (not yet in the archive) of the supervisor's own team, for them to
    reopen, else 404. Closed cases refuse every other change. The read is logged."""
    user = request.user
    family = (
        families_for(user, VIEW)
        .filter(pk=pk, status=FamilyStatus.CLOSED)
        .select_related("team", "liaison_officer", "police_unit")
        .first()
    )
    if family is None or not may_reopen(user, family):
        refuse_case_read(request, pk)
    log_case_read(request, family, SUPERVISE)
    return family


def get_portal_family_or_404(request: HttpRequest) -> Family:
    """The parents' one gate: their own family, if the policy lets them into the portal,
    else 404 (an untrusted person has no portal family at all). The read is logged."""
    family = family_in_reach(request.user, None, PORTAL)
    if family is None:
        refuse_case_read(request, None)
    log_case_read(request, family, PORTAL)
    return family


def get_portal_member_or_404(request: HttpRequest, family: Family) -> HouseholdMember:
    """The signed-in parent as the trusted household member who agrees or comments."""
    member = members_of_account(request.user).filter(family=family).first()
    if member is None:
        raise Http404
    return member


def break_glass_family(user, reference: str) -> Family | None:
    """The family someone asks emergency access to, by its exact reference; None when the
    person may not take emergency access or no family has that reference."""
    reference = reference.strip()
    if not reference or not can_break_glass(user):
        return None
    return Family.objects.filter(reference__iexact=reference, archived_at__isnull=True).select_related("team").first()


def audit_family_pk(user, reference: str) -> int | None:
    """The family an administrator looks up by reference, as its number only."""
    reference = reference.strip()
    if not reference or not is_verified_administrator(user):
        return None
    return Family.objects.filter(reference__iexact=reference).values_list("pk", flat=True).first()


def family_references_for_audit(user, family_ids) -> dict[int, str]:
    """The references of these families, for an administrator's audit pages: nothing of
    the case but its reference. Numbers of no family are left out."""
    if not family_ids or not is_verified_administrator(user):
        return {}
    return dict(Family.objects.filter(pk__in=family_ids).values_list("pk", "reference"))


def family_for_audit_or_404(request: HttpRequest, pk: int) -> Family:
    """The family whose audit rows an administrator may read, with nothing of the case
    loaded but its reference. Administrators never see case data, only who looked."""
    user = request.user
    if not is_verified_administrator(user):
        refuse_case_read(request, pk)
    family = Family.objects.only("pk", "reference").filter(pk=pk).first()
    if family is None:
        refuse_case_read(request, pk)
    audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=user,
        target=family,
        family=family,
        detail={"path": request.path, "access": "audit"},
    )
    return family


def own_rows(user, name: tuple, build: Callable[[QuerySet[Family] | None], QuerySet], values: dict) -> list[dict]:
    """The rows of ``build(own)``, a ``.values()`` queryset, ``own`` being an officer's own
    families (those they may change, for their own attention lists), or None for anyone
    else, with a statement compiled once per process (``rows_in_reach``; ``values`` for
    the stand-ins ``build`` uses)."""
    if not _has_own_families(user):
        return read_compiled((*name, "none of their own"), lambda: build(None), values)
    return rows_in_reach(user, CHANGE, (*name, "own"), build, values)


def _has_own_families(user) -> bool:
    return getattr(user, "role", None) == Role.OFFICER


def allows(user, family: Family, action: str) -> bool:
    """Whether the user may take this action on this one family (for showing buttons),
    with a statement compiled once (``allows_each``)."""
    return allows_each(user, family, (action,))[action]


def invitable_members_for(user) -> QuerySet[HouseholdMember]:
    """The household members this user may invite to the portal: in the families they
    may change, trusted, not erased and without an account yet."""
    if Role.PARENT not in invitation_roles_for(user):
        return HouseholdMember.objects.none()
    return (
        trusted_members()
        .filter(family__in=families_for(user, CHANGE).values("pk"), user__isnull=True, erased_at__isnull=True)
        .select_related("family")
        .order_by("family__reference", "full_name")
    )


def archived_families_for(user) -> QuerySet[Family]:
    """The archive: closed cases, for administrators who passed the second factor."""
    if not is_verified_administrator(user):
        return Family.objects.none()
    return families_for(user, ARCHIVE)


def get_archived_family_or_404(request: HttpRequest, pk: int) -> Family:
    """A case in the archive, read by an administrator; the read is logged."""
    family = archived_families_for(request.user).select_related("team", "liaison_officer", "police_unit")
    family = family.filter(pk=pk).first()
    if family is None:
        refuse_case_read(request, pk)
    log_case_read(request, family, ARCHIVE)
    return family
