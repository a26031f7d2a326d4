"""The chronology of a case: everything that happened in it, newest first, in one list.
When a worker changes, the next one reads the story here instead of asking the parents
to tell it again.

Each kind of record is read with one query (its people joined in), turned into small
entries and merged in Python, so the cost is fixed however long the history is. Which
kinds a user gets follows the access policy's sections: police partners never receive
contacts, follow-up actions, handovers or supervision notes."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial

from django.db.models import Choices, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from families.models import (
    AgencyInvolvement,
    CaregiverSuspicion,
    CaseMilestone,
    Child,
    ContactEntry,
    Family,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    LiaisonAssignment,
    MissingEpisode,
    SupervisionNote,
)
from families.models.agencies import Agency
from families.models.concerns import (
    Decision,
    FamilyConcern,
    IntrafamilialScreen,
    Judgement,
    MeldcodeStep,
    MeldcodeStepKind,
    ScreenOccasion,
    SeenAlone,
)
from families.models.contacts import ContactKind
from families.models.events import IncidentKind, return_conversation_due
from families.models.household import ChildRole
from families.models.justice import HearingKind, MilestoneKind
from families.models.library import ArticleDiscussion, ArticleSent
from families.models.needs import NeedKind, NeedStatus, NeedVersion
from families.models.referrals import Consent, ConsentPurpose, ConsentRoute, ReferralStatus, ReferralStatusChange
from families.selectors.together import read_together
from liaison.access import can_see_section, sees_police_only_notes


@dataclass(frozen=True)
class ChronologyEntry:
    when: datetime
    kind: str
    title: str
    detail: str = ""
    who: str = ""
    items: tuple[str, ...] = field(default_factory=tuple)
    date_only: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


# (kind, section of the case it belongs to, label for the filter)
KINDS: list[tuple[str, str, str]] = [
    ("contact", "contacts", gettext_lazy("Contacts")),
    ("follow_up", "contacts", gettext_lazy("Follow-up actions done")),
    ("agency", "agencies", gettext_lazy("Agencies")),
    ("referral", "referrals", gettext_lazy("Referrals")),
    ("consent", "consents", gettext_lazy("Consents")),
    ("incident", "incidents", gettext_lazy("Incidents and threats")),
    ("missing", "missing", gettext_lazy("Missing episodes")),
    ("handover", "handovers", gettext_lazy("Liaison officer and handovers")),
    ("supervision", "supervision", gettext_lazy("Supervision")),
    ("household", "household", gettext_lazy("Children and caregivers")),
    ("justice", "justice", gettext_lazy("Police and court")),
    ("concern", "concerns", gettext_lazy("Concerns about a caregiver")),
    ("screen", "screen", gettext_lazy("Screens for exploitation within the family")),
    ("seen_alone", "seen_alone", gettext_lazy("Children seen alone")),
    ("meldcode", "meldcode", gettext_lazy("Meldcode steps")),
    ("need", "needs", gettext_lazy("Parents' needs")),
    ("library", "library", gettext_lazy("Library for parents")),
]

KIND_LABELS = {kind: label for kind, _section, label in KINDS}


def kinds_for(user, family: Family | None = None) -> list[tuple[str, str]]:
    """The kinds of entries this user may see (of this family), as (kind, label) choices."""
    return [(kind, label) for kind, section, label in KINDS if can_see_section(user, section, family)]


def _day(value: date) -> datetime:
    """Records kept by date sort at the start of that day."""
    return timezone.make_aware(datetime.combine(value, time.min))


def _short(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _police(reported: bool, reference: str) -> str:
    if reported and reference:
        return _("Reported to the police, reference %(reference)s") % {"reference": reference}
    return _("Reported to the police") if reported else _("Not reported to the police")


def _choice_label(choices: type[Choices], value: str) -> str:
    """A choice's label as ``get_FOO_display`` gives it, translating only that label
    (``get_FOO_display`` translates every choice of the field on each call)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# What each kind reads: one .values() queryset each (only the columns shown, the people
# joined in), all read with one statement (families.selectors.together). Built for a family
# id; the police-only note is read only for police partners.

PERSON = ("full_name", "email")
Rows = dict[str, list[dict]]


def _person_columns(relation: str) -> list[str]:
    return [f"{relation}__{column}" for column in PERSON]


def _person_in(row: dict, relation: str) -> str:
    """The person's name (or, without one, e-mail) read as columns of a row."""
    return row[f"{relation}__full_name"] or row[f"{relation}__email"] or ""


MILESTONE_COLUMNS = (
    "kind",
    "occurs_on",
    "hearing_kind",
    "court",
    "staff_detail",
    "case__police_reference",
    "case__child__full_name",
    *_person_columns("created_by"),
)


def _milestones(family_id: int):
    """The steps of the criminal cases that happened (planned ones show once recorded)."""
    return CaseMilestone.objects.filter(case__family_id=family_id, is_planned=False).order_by("occurs_on", "pk")


# The reasons of a suspicion are never read: the chronology says only that it happened and by whom.
QUERIES: dict[str, Callable[[int], QuerySet]] = {
    "follow_ups": lambda family_id: (
        FollowUpAction.objects.filter(family_id=family_id)
        .order_by("due_on", "pk")
        .values("contact_id", "description", "owner", "due_on", "completed_at", *_person_columns("completed_by"))
    ),
    "contacts": lambda family_id: ContactEntry.objects.filter(family_id=family_id).values(
        "pk", "occurred_at", "kind", "with_whom", "summary", *_person_columns("created_by")
    ),
    "agencies": lambda family_id: AgencyInvolvement.objects.filter(family_id=family_id).values(
        "agency", "agency_detail", "worker_name", "started_on", "ended_on", *_person_columns("created_by")
    ),
    "referral_changes": lambda family_id: ReferralStatusChange.objects.filter(referral__family_id=family_id).values(
        "referral__agency", "status", "changed_on", "note", *_person_columns("created_by")
    ),
    "consents": lambda family_id: Consent.objects.filter(family_id=family_id).values(
        "purpose", "route", "given_on", "given_by__full_name", *_person_columns("created_by")
    ),
    "incidents": lambda family_id: Incident.objects.filter(family_id=family_id).values(
        "occurred_at",
        "kind",
        "description",
        "person_of_concern",
        "reported_to_police",
        "police_reference",
        *_person_columns("created_by"),
    ),
    "missing_episodes": lambda family_id: MissingEpisode.objects.filter(family_id=family_id).values(
        "child__full_name",
        "started_at",
        "ended_at",
        "reported_to_police",
        "police_reference",
        "where_found",
        "return_conversation_at",
        "return_conversation_note",
        *_person_columns("created_by"),
    ),
    "assignments": lambda family_id: LiaisonAssignment.objects.filter(family_id=family_id).values(
        "started_at", *_person_columns("officer"), *_person_columns("created_by")
    ),
    "handovers": lambda family_id: Handover.objects.filter(family_id=family_id).values(
        "created_at",
        "reason",
        "acknowledged_at",
        *_person_columns("from_officer"),
        *_person_columns("to_officer"),
        *_person_columns("created_by"),
    ),
    "supervision_notes": lambda family_id: SupervisionNote.objects.filter(family_id=family_id).values(
        "held_on", "note", *_person_columns("officer"), *_person_columns("created_by")
    ),
    "children": lambda family_id: Child.objects.filter(family_id=family_id).values(
        "role", "full_name", "created_at", *_person_columns("created_by")
    ),
    "members": lambda family_id: HouseholdMember.objects.filter(family_id=family_id).values(
        "full_name", "relation", "created_at", *_person_columns("created_by")
    ),
    "suspicions": lambda family_id: CaregiverSuspicion.objects.filter(member__family_id=family_id).values(
        "member__full_name", "marked_at", "lifted_at", *_person_columns("marked_by"), *_person_columns("lifted_by")
    ),
    "milestones": lambda family_id: _milestones(family_id).values(*MILESTONE_COLUMNS),
    "milestones_with_police_notes": lambda family_id: _milestones(family_id).values(*MILESTONE_COLUMNS, "police_note"),
    "concerns": lambda family_id: FamilyConcern.objects.filter(family_id=family_id).values(
        "raised_at", "reason", "closed_at", "close_reason", *_person_columns("raised_by"), *_person_columns("closed_by")
    ),
    "screens": lambda family_id: IntrafamilialScreen.objects.filter(family_id=family_id).values(
        "screened_on", "occasion", "judgement", "note", *_person_columns("created_by")
    ),
    "seen_alone": lambda family_id: SeenAlone.objects.filter(family_id=family_id).values(
        "seen_on", "seen_by", "agency", "place", "discussed", "child__full_name", *_person_columns("created_by")
    ),
    "meldcode_steps": lambda family_id: MeldcodeStep.objects.filter(concern__family_id=family_id).values(
        "kind", "taken_on", "taken_by", "reference", "note", "decision", "next_on"
    ),
    "need_versions": lambda family_id: NeedVersion.objects.filter(need__family_id=family_id).values(
        "revision",
        "kind",
        "status",
        "agency",
        "helper",
        "next_step",
        "next_on",
        "note",
        "created_at",
        *_person_columns("created_by"),
    ),
    "articles_sent": lambda family_id: ArticleSent.objects.filter(family_id=family_id).values(
        "created_at", "version__title_nl", "version__title_en", *_person_columns("created_by")
    ),
    "articles_discussed": lambda family_id: ArticleDiscussion.objects.filter(family_id=family_id).values(
        "discussed_on", "note", "version__title_nl", "version__title_en", *_person_columns("created_by")
    ),
}


@dataclass(frozen=True)
class Moment:
    """When something happened in the case, and how to write it as an entry. The history
    is sorted by its moments; only the entries a page shows are written (translated and
    formatted)."""

    when: datetime
    write: Callable[[], ChronologyEntry]


def _at(when: datetime, write: Callable[..., ChronologyEntry], *row) -> Moment:
    """The moment ``when``, written by ``write(when, *row)`` once it is shown."""
    return Moment(when, partial(write, when, *row))


def _each(
    query: str, field: str, write: Callable[..., ChronologyEntry], *, by_day: bool = False
) -> Callable[[Rows], Iterator[Moment]]:
    """The moments of a kind with one entry for each row of ``query``: at its ``field``
    (a date, with ``by_day``, sorts at the start of that day)."""

    def moments(rows: Rows) -> Iterator[Moment]:
        for row in rows[query]:
            yield _at(_day(row[field]) if by_day else row[field], write, row)

    return moments


def _contact_moments(rows: Rows) -> Iterator[Moment]:
    agreed = defaultdict(list)
    for action in rows["follow_ups"]:
        agreed[action["contact_id"]].append(action)
    for contact in rows["contacts"]:
        yield _at(contact["occurred_at"], _contact, contact, agreed[contact["pk"]])


def _contact(when: datetime, contact: dict, actions: list[dict]) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="contact",
        title=_("%(kind)s with %(with_whom)s")
        % {"kind": _choice_label(ContactKind, contact["kind"]), "with_whom": contact["with_whom"]},
        detail=contact["summary"],
        who=_person_in(contact, "created_by"),
        items=tuple(
            _("Agreed: %(action)s (%(owner)s, due %(due)s)")
            % {"action": action["description"], "owner": action["owner"], "due": _short(action["due_on"])}
            for action in actions
        ),
    )


def _follow_up_moments(rows: Rows) -> Iterator[Moment]:
    for action in rows["follow_ups"]:
        if action["completed_at"] is not None:
            yield _at(action["completed_at"], _follow_up_done, action)


def _follow_up_done(when: datetime, action: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="follow_up",
        title=_("Follow-up action done: %(action)s") % {"action": action["description"]},
        detail=_("Agreed for %(owner)s, due %(due)s") % {"owner": action["owner"], "due": _short(action["due_on"])},
        who=_person_in(action, "completed_by"),
    )


def _agency_moments(rows: Rows) -> Iterator[Moment]:
    for involvement in rows["agencies"]:
        yield _at(_day(involvement["started_on"]), _agency_involved, involvement)
        if involvement["ended_on"]:
            yield _at(_day(involvement["ended_on"]), _agency_ended, involvement)


def _agency_names(involvement: dict) -> dict:
    return {"agency": _choice_label(Agency, involvement["agency"]), "worker": involvement["worker_name"]}


def _agency_involved(when: datetime, involvement: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="agency",
        title=_("%(agency)s involved, named worker %(worker)s") % _agency_names(involvement),
        detail=involvement["agency_detail"],
        who=_person_in(involvement, "created_by"),
        date_only=True,
    )


def _agency_ended(when: datetime, involvement: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="agency",
        title=_("%(agency)s: %(worker)s no longer involved") % _agency_names(involvement),
        date_only=True,
    )


def _referral_change(when: datetime, change: dict) -> ChronologyEntry:
    names = {
        "agency": _choice_label(Agency, change["referral__agency"]),
        "status": _choice_label(ReferralStatus, change["status"]),
    }
    return ChronologyEntry(
        when=when,
        kind="referral",
        title=_("Referral to %(agency)s: %(status)s") % names,
        detail=change["note"],
        who=_person_in(change, "created_by"),
        date_only=True,
    )


def _consent(when: datetime, consent: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="consent",
        title=_("Consent for %(purpose)s: %(route)s")
        % {
            "purpose": _choice_label(ConsentPurpose, consent["purpose"]).lower(),
            "route": _choice_label(ConsentRoute, consent["route"]).lower(),
        },
        detail=consent["given_by__full_name"] or "",
        who=_person_in(consent, "created_by"),
        date_only=True,
    )


def _incident(when: datetime, incident: dict) -> ChronologyEntry:
    items = [_police(incident["reported_to_police"], incident["police_reference"])]
    if incident["person_of_concern"]:
        items.insert(0, _("Person of concern: %(who)s") % {"who": incident["person_of_concern"]})
    return ChronologyEntry(
        when=when,
        kind="incident",
        title=_("Incident: %(kind)s") % {"kind": _choice_label(IncidentKind, incident["kind"])},
        detail=incident["description"],
        who=_person_in(incident, "created_by"),
        items=tuple(items),
    )


def _missing_moments(rows: Rows) -> Iterator[Moment]:
    for episode in rows["missing_episodes"]:
        yield _at(episode["started_at"], _went_missing, episode)
        if episode["ended_at"]:
            yield _at(episode["ended_at"], _returned, episode)
        if episode["return_conversation_at"]:
            yield _at(episode["return_conversation_at"], _return_conversation, episode)


def _went_missing(when: datetime, episode: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="missing",
        title=_("%(child)s went missing") % {"child": episode["child__full_name"]},
        who=_person_in(episode, "created_by"),
        items=(_police(episode["reported_to_police"], episode["police_reference"]),),
    )


def _returned(when: datetime, episode: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="missing",
        title=_("%(child)s returned") % {"child": episode["child__full_name"]},
        detail=_("Found: %(where)s") % {"where": episode["where_found"]} if episode["where_found"] else "",
    )


def _return_conversation(when: datetime, episode: dict) -> ChronologyEntry:
    late = when > return_conversation_due(episode["ended_at"])
    return ChronologyEntry(
        when=when,
        kind="missing",
        title=_("Return conversation with %(child)s") % {"child": episode["child__full_name"]},
        detail=episode["return_conversation_note"],
        items=(_("Held later than 72 hours after the return."),) if late else (),
    )


def _handover_moments(rows: Rows) -> Iterator[Moment]:
    for assignment in rows["assignments"]:
        yield _at(assignment["started_at"], _assigned, assignment)
    for handover in rows["handovers"]:
        yield _at(handover["created_at"], _handed_over, handover)
        if handover["acknowledged_at"]:
            yield _at(handover["acknowledged_at"], _handover_acknowledged, handover)


def _assigned(when: datetime, assignment: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="handover",
        title=_("%(officer)s became the liaison officer") % {"officer": _person_in(assignment, "officer")},
        who=_person_in(assignment, "created_by"),
    )


def _officers(handover: dict) -> dict:
    return {"from": _person_in(handover, "from_officer"), "to": _person_in(handover, "to_officer")}


def _handed_over(when: datetime, handover: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="handover",
        title=_("Handed over from %(from)s to %(to)s") % _officers(handover),
        detail=_("Reason: %(reason)s") % {"reason": handover["reason"]},
        who=_person_in(handover, "created_by"),
    )


def _handover_acknowledged(when: datetime, handover: dict) -> ChronologyEntry:
    officers = _officers(handover)
    return ChronologyEntry(
        when=when,
        kind="handover",
        title=_("%(to)s acknowledged the handover") % officers,
        who=officers["to"],
    )


def _supervision(when: datetime, supervision: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="supervision",
        title=_("Supervision with %(officer)s") % {"officer": _person_in(supervision, "officer")},
        detail=supervision["note"],
        who=_person_in(supervision, "created_by"),
        date_only=True,
    )


def _household_moments(rows: Rows) -> Iterator[Moment]:
    for child in rows["children"]:
        yield _at(child["created_at"], _child_added, child)
    for member in rows["members"]:
        yield _at(member["created_at"], _caregiver_added, member)
    # The reasons are never read: the chronology says only that it happened and by whom.
    for suspicion in rows["suspicions"]:
        yield _at(suspicion["marked_at"], _suspicion_marked, suspicion)
        if suspicion["lifted_at"]:
            yield _at(suspicion["lifted_at"], _suspicion_lifted, suspicion)


def _child_added(when: datetime, child: dict) -> ChronologyEntry:
    title = _("Sibling added: %(name)s") if child["role"] == ChildRole.SIBLING else _("Child added: %(name)s")
    return ChronologyEntry(
        when=when,
        kind="household",
        title=title % {"name": child["full_name"]},
        who=_person_in(child, "created_by"),
    )


def _caregiver_added(when: datetime, member: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="household",
        title=_("Caregiver added: %(name)s (%(relation)s)")
        % {"name": member["full_name"], "relation": member["relation"]},
        who=_person_in(member, "created_by"),
    )


def _suspicion_marked(when: datetime, suspicion: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="household",
        title=_("%(name)s marked as suspected of exploitation or abuse") % {"name": suspicion["member__full_name"]},
        who=_person_in(suspicion, "marked_by"),
    )


def _suspicion_lifted(when: datetime, suspicion: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="household",
        title=_("Suspicion mark on %(name)s lifted") % {"name": suspicion["member__full_name"]},
        who=_person_in(suspicion, "lifted_by"),
    )


def _justice_moments(rows: Rows, *, police_notes: bool) -> Iterator[Moment]:
    """The steps of the criminal cases; the police-only note (read at all only for
    police partners). Planned steps show once they are recorded as happened."""
    for milestone in rows["milestones_with_police_notes" if police_notes else "milestones"]:
        yield _at(_day(milestone["occurs_on"]), _milestone, milestone)


def _milestone(when: datetime, milestone: dict) -> ChronologyEntry:
    items = []
    if milestone["case__police_reference"]:
        items.append(_("Police reference %(reference)s") % {"reference": milestone["case__police_reference"]})
    if milestone["kind"] == MilestoneKind.HEARING:
        items.append(
            _("%(kind)s at %(court)s")
            % {"kind": _choice_label(HearingKind, milestone["hearing_kind"]), "court": milestone["court"]}
        )
    if milestone.get("police_note"):
        items.append(_("Police only: %(note)s") % {"note": milestone["police_note"]})
    return ChronologyEntry(
        when=when,
        kind="justice",
        title=_("%(step)s (case about %(child)s)")
        % {"step": _choice_label(MilestoneKind, milestone["kind"]), "child": milestone["case__child__full_name"]},
        detail=milestone["staff_detail"],
        who=_person_in(milestone, "created_by"),
        items=tuple(items),
        date_only=True,
    )


def _concern_moments(rows: Rows) -> Iterator[Moment]:
    for concern in rows["concerns"]:
        yield _at(concern["raised_at"], _concern_raised, concern)
        if concern["closed_at"]:
            yield _at(concern["closed_at"], _concern_closed, concern)


def _concern_raised(when: datetime, concern: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="concern",
        title=_("Concern raised that a caregiver may be involved"),
        detail=concern["reason"],
        who=_person_in(concern, "raised_by"),
    )


def _concern_closed(when: datetime, concern: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="concern",
        title=_("Concern about a caregiver closed"),
        detail=concern["close_reason"],
        who=_person_in(concern, "closed_by"),
    )


def _screen(when: datetime, screen: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="screen",
        title=_("Screen for exploitation within the family (%(occasion)s): %(judgement)s")
        % {
            "occasion": _choice_label(ScreenOccasion, screen["occasion"]),
            "judgement": _choice_label(Judgement, screen["judgement"]),
        },
        detail=screen["note"],
        who=_person_in(screen, "created_by"),
        date_only=True,
    )


def _seen_alone(when: datetime, seen: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="seen_alone",
        title=_("%(child)s seen alone by %(who)s (%(agency)s), %(place)s")
        % {"child": seen["child__full_name"], "who": seen["seen_by"], "agency": seen["agency"], "place": seen["place"]},
        detail=seen["discussed"],
        who=_person_in(seen, "created_by"),
        date_only=True,
    )


def _meldcode_step(when: datetime, step: dict) -> ChronologyEntry:
    items = []
    if step["reference"]:
        items.append(_("Reference %(reference)s") % {"reference": step["reference"]})
    if step["decision"]:
        items.append(_("Decision: %(decision)s") % {"decision": _choice_label(Decision, step["decision"])})
    if step["next_on"]:
        items.append(_("Next step on %(date)s") % {"date": _short(step["next_on"])})
    return ChronologyEntry(
        when=when,
        kind="meldcode",
        title=_("Meldcode: %(step)s") % {"step": _choice_label(MeldcodeStepKind, step["kind"])},
        detail=step["note"],
        who=step["taken_by"],
        items=tuple(items),
        date_only=True,
    )


def _need_version(when: datetime, version: dict) -> ChronologyEntry:
    """Each saved version of a need: the first is the need recorded, the others changes."""
    labels = {
        "kind": _choice_label(NeedKind, version["kind"]),
        "status": _choice_label(NeedStatus, version["status"]),
    }
    if version["revision"] == 1:
        title = _("Need recorded: %(kind)s (%(status)s)") % labels
    else:
        title = _("Need changed: %(kind)s (%(status)s)") % labels
    items = []
    helps = " · ".join(
        part
        for part in (_choice_label(Agency, version["agency"]) if version["agency"] else "", version["helper"])
        if part
    )
    if helps:
        items.append(_("Who helps: %(who)s") % {"who": helps})
    if version["next_step"]:
        items.append(_("Next step: %(step)s") % {"step": version["next_step"]})
    if version["next_on"]:
        items.append(_("Next step on %(date)s") % {"date": _short(version["next_on"])})
    return ChronologyEntry(
        when=when,
        kind="need",
        title=title,
        detail=version["note"],
        who=_person_in(version, "created_by"),
        items=tuple(items),
    )


def _library_moments(rows: Rows) -> Iterator[Moment]:
    for article in rows["articles_sent"]:
        yield _at(article["created_at"], _article_sent, article)
    for discussion in rows["articles_discussed"]:
        yield _at(_day(discussion["discussed_on"]), _article_discussed, discussion)


def _article_sent(when: datetime, article: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="library",
        title=_("Article sent to the parents: %(title)s") % {"title": _title(article)},
        who=_person_in(article, "created_by"),
    )


def _article_discussed(when: datetime, discussion: dict) -> ChronologyEntry:
    return ChronologyEntry(
        when=when,
        kind="library",
        title=_("Article discussed with the parents: %(title)s") % {"title": _title(discussion)},
        detail=discussion["note"],
        who=_person_in(discussion, "created_by"),
        date_only=True,
    )


def _title(row: dict) -> str:
    """An article's title, as the version read in the row has it, in the page's language."""
    return row["version__title_nl"] if (get_language() or "").startswith("nl") else row["version__title_en"]


# kind: (reader, the queries it reads), in the order entries of one moment are listed.
READERS: dict[str, tuple[Callable[[Rows], Iterable[Moment]], tuple[str, ...]]] = {
    "contact": (_contact_moments, ("follow_ups", "contacts")),
    "follow_up": (_follow_up_moments, ("follow_ups",)),
    "agency": (_agency_moments, ("agencies",)),
    "referral": (_each("referral_changes", "changed_on", _referral_change, by_day=True), ("referral_changes",)),
    "consent": (_each("consents", "given_on", _consent, by_day=True), ("consents",)),
    "incident": (_each("incidents", "occurred_at", _incident), ("incidents",)),
    "missing": (_missing_moments, ("missing_episodes",)),
    "handover": (_handover_moments, ("assignments", "handovers")),
    "supervision": (_each("supervision_notes", "held_on", _supervision, by_day=True), ("supervision_notes",)),
    "household": (_household_moments, ("children", "members", "suspicions")),
    "concern": (_concern_moments, ("concerns",)),
    "screen": (_each("screens", "screened_on", _screen, by_day=True), ("screens",)),
    "seen_alone": (_each("seen_alone", "seen_on", _seen_alone, by_day=True), ("seen_alone",)),
    "meldcode": (_each("meldcode_steps", "taken_on", _meldcode_step, by_day=True), ("meldcode_steps",)),
    "need": (_each("need_versions", "created_at", _need_version), ("need_versions",)),
    "library": (_library_moments, ("articles_sent", "articles_discussed")),
}


class Chronology(Sequence):
    """The entries of a case, newest first, as a sequence that writes (translates and
    formats) only the entries read from it: a page of 50 writes 50, however long the
    history. Sorted by the moments alone, so the order is the same as writing them all."""

    def __init__(self, moments: list[Moment]) -> None:
        self._moments = sorted(moments, key=lambda moment: moment.when, reverse=True)

    def __len__(self) -> int:
        return len(self._moments)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [moment.write() for moment in self._moments[index]]
        return self._moments[index].write()


def read_chronology(family: Family, user, kinds: Iterable[str] = ()) -> Chronology:
    """The case's entries this user may see, newest first, written as they are read;
    `kinds` narrows them (empty means every kind the user may see). One statement reads
    them all."""
    visible = [kind for kind, _label in kinds_for(user, family)]
    wanted = set(kinds) & set(visible) or set(visible)
    police_notes = "justice" in wanted and sees_police_only_notes(user)
    readers = [(reader, names) for kind, (reader, names) in READERS.items() if kind in wanted]
    names = list(dict.fromkeys(name for _reader, names in readers for name in names))
    if "justice" in wanted:
        names.append("milestones_with_police_notes" if police_notes else "milestones")
    rows = read_together(QUERIES, names, family.pk)
    moments: list[Moment] = []
    for reader, _names in readers:
        moments.extend(reader(rows))
    if "justice" in wanted:
        moments.extend(_justice_moments(rows, police_notes=police_notes))
    return Chronology(moments)


def chronology(family: Family, user, kinds: Iterable[str] = ()) -> list[ChronologyEntry]:
    """Every entry of the case this user may see, newest first, written out (the printed
    chronology and the handover pack show them all)."""
    return list(read_chronology(family, user, kinds))
