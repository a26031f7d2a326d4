"""The pack of a multi-agency meeting for one attending agency: per item on the agenda,
the parts that agency may receive, each read by its own builder below. Which parts an
agency receives is decided in one place, the access policy's ``pack_parts_for``; a part
without a builder here is never shown, and a builder reads only its own part. Police-only
statements of the plan reach only the police's pack; people of concern (on the plan, in
incidents, or an item of their own) and contexts on the agenda only the packs of agencies
with that right. A context's item never names the families of a hit."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import (
    DIMENSIONS,
    AgendaItem,
    Child,
    Dimension,
    Incident,
    Meeting,
    MissingEpisode,
    ProgressReview,
)
from families.selectors.contexts import matching_family_count
from families.selectors.meetings import meeting_items, open_actions_of_family
from liaison.access import PackPart, pack_parts_for
from safety_plans.models import PersonOfConcern, PlanStatement, PlanVersion, Visibility

RECENT_DAYS = 90
TREND_REVIEWS = 4


@dataclass
class PackSection:
    part: str
    heading: str
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PackItem:
    item: AgendaItem
    heading: str
    sections: list[PackSection] = field(default_factory=list)
    note: str = ""


def _current_version(item: AgendaItem) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__family_id=item.family_id).order_by("-number").first()


def _summary(item: AgendaItem) -> list[tuple[str, str]]:
    family = item.family
    lines = [(_("Reference"), family.reference), (_("Liaison officer"), family.liaison_officer.full_name)]
    today = timezone.localdate()
    for child in Child.objects.filter(family=family, erased_at__isnull=True).order_by("born_on", "pk"):
        first_name = child.full_name.split()[0] if child.full_name.split() else ""
        age = (
            today.year - child.born_on.year - ((today.month, today.day) < (child.born_on.month, child.born_on.day))
            if child.born_on
            else None
        )
        lines.append((first_name, _("%(years)s years") % {"years": age} if age is not None else _("age not known")))
    return lines


def _trend(item: AgendaItem) -> list[tuple[str, str]]:
    reviews = list(
        ProgressReview.objects.filter(family_id=item.family_id, superseded_by__isnull=True).order_by(
            "-reviewed_on", "-pk"
        )[:TREND_REVIEWS]
    )
    labels = dict(Dimension.choices)
    return [
        (
            review.reviewed_on.strftime("%d-%m-%Y"),
            " · ".join(f"{labels[dimension]} {getattr(review, f'{dimension}_score')}/5" for dimension in DIMENSIONS),
        )
        for review in reversed(reviews)
    ]


def _risk_and_events(item: AgendaItem) -> list[tuple[str, str]]:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    lines = [
        (child.full_name.split()[0] if child.full_name.split() else "", child.get_risk_level_display())
        for child in Child.objects.filter(family_id=item.family_id, erased_at__isnull=True).order_by("born_on", "pk")
        if child.risk_level
    ]
    incidents = Incident.objects.filter(family_id=item.family_id, occurred_at__gte=since).order_by("-occurred_at")
    lines += [
        (timezone.localtime(incident.occurred_at).strftime("%d-%m-%Y"), incident.get_kind_display())
        for incident in incidents
    ]
    episodes = MissingEpisode.objects.filter(family_id=item.family_id, started_at__gte=since).order_by("-started_at")
    lines += [
        (
            timezone.localtime(episode.started_at).strftime("%d-%m-%Y"),
            _("Missing, returned") if episode.ended_at else _("Missing, not yet returned"),
        )
        for episode in episodes
    ]
    return lines


def _plan_status(item: AgendaItem) -> list[tuple[str, str]]:
    version = _current_version(item)
    if version is None:
        return []
    lines = [(_("Version"), str(version.number)), (_("Status"), version.get_status_display())]
    if version.review_on:
        lines.append((_("Review date"), version.review_on.strftime("%d-%m-%Y")))
    return lines


def _open_actions(item: AgendaItem) -> list[tuple[str, str]]:
    return [
        (
            f"{action.get_owner_agency_display()}: {action.owner_person}",
            _("%(action)s (due %(date)s)") % {"action": action.description, "date": action.due_on.strftime("%d-%m-%Y")},
        )
        for action in open_actions_of_family(item.family)
    ]


def _parents_words(item: AgendaItem) -> list[tuple[str, str]]:
    request = getattr(item, "voice_request", None)
    if request is None:
        return []
    return [(_("In their own words"), answer.words) for answer in request.answers.all()]


def _police_only(item: AgendaItem) -> list[tuple[str, str]]:
    version = _current_version(item)
    if version is None:
        return []
    statements = PlanStatement.objects.filter(version=version, visibility=Visibility.POLICE, removed_at__isnull=True)
    return [(statement.get_section_display(), statement.text) for statement in statements.order_by("created_at", "pk")]


def _people_of_concern(item: AgendaItem, *, with_police_only: bool) -> list[tuple[str, str]]:
    version = _current_version(item)
    lines = []
    if version is not None:
        people = PersonOfConcern.objects.filter(version=version, removed_at__isnull=True)
        if not with_police_only:
            people = people.exclude(visibility=Visibility.POLICE)
        lines += [
            (person.name, " · ".join(filter(None, [person.nicknames, person.concern])))
            for person in people.order_by("created_at", "pk")
        ]
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    incidents = Incident.objects.filter(family_id=item.family_id, occurred_at__gte=since).exclude(person_of_concern="")
    lines += [
        (incident.person_of_concern, timezone.localtime(incident.occurred_at).strftime("%d-%m-%Y"))
        for incident in incidents.order_by("-occurred_at")
    ]
    return lines


HEADINGS = {
    PackPart.SUMMARY: lambda: _("Summary"),
    PackPart.TREND: lambda: _("The three dimensions over time"),
    PackPart.RISK_AND_EVENTS: lambda: _("Risk, recent incidents and missing episodes"),
    PackPart.PLAN_STATUS: lambda: _("The safety plan"),
    PackPart.OPEN_ACTIONS: lambda: _("Open actions"),
    PackPart.PARENTS_WORDS: lambda: _("What the parents want the meeting to know"),
    PackPart.POLICE_ONLY: lambda: _("For the police only"),
    PackPart.PEOPLE_OF_CONCERN: lambda: _("People of concern"),
    PackPart.CONTEXT: lambda: _("The context"),
}


def _context(item: AgendaItem) -> list[tuple[str, str]]:
    """A family's context as the family wrote it; a hit by its kind and how many families
    link it now, never which."""
    if item.context_hit_id is not None:
        hit = item.context_hit
        return [
            (_("Kind"), hit.get_kind_display()),
            (_("Families that name it"), str(matching_family_count(hit.match_key))),
        ]
    link = item.context_link
    lines = [(link.get_kind_display(), link.label)]
    if link.aliases:
        lines.append((_("Nicknames and aliases"), link.aliases))
    if link.platform:
        lines.append((_("Platform"), link.get_platform_display()))
    if link.place_kind:
        lines.append((_("Kind of place"), link.get_place_kind_display()))
    if link.area:
        lines.append((_("Area"), link.area))
    return lines


def _family_builders(parts: tuple[str, ...]) -> dict[str, Callable[[AgendaItem], list[tuple[str, str]]]]:
    """The one builder per part on the allow-list, for a family item."""
    with_police_only = PackPart.POLICE_ONLY in parts
    return {
        PackPart.SUMMARY: _summary,
        PackPart.TREND: _trend,
        PackPart.RISK_AND_EVENTS: _risk_and_events,
        PackPart.PLAN_STATUS: _plan_status,
        PackPart.OPEN_ACTIONS: _open_actions,
        PackPart.PARENTS_WORDS: _parents_words,
        PackPart.POLICE_ONLY: _police_only,
        PackPart.PEOPLE_OF_CONCERN: lambda item: _people_of_concern(item, with_police_only=with_police_only),
    }


def _context_item(item: AgendaItem, parts: tuple[str, ...]) -> PackItem:
    if PackPart.CONTEXT in parts:
        section = PackSection(part=PackPart.CONTEXT, heading=HEADINGS[PackPart.CONTEXT](), lines=_context(item))
        return PackItem(item=item, heading=_("An item about a context"), sections=[section])
    return PackItem(
        item=item,
        heading=_("An item about a context"),
        note=_("The details of this item are not shared with your agency."),
    )


def _pack_item(item: AgendaItem, parts: tuple[str, ...]) -> PackItem:
    if item.is_context_item:
        return _context_item(item, parts)
    if item.is_family_item:
        builders = _family_builders(parts)
        sections = [
            PackSection(part=part, heading=HEADINGS[part](), lines=builders[part](item))
            for part in parts
            if part in builders
        ]
        return PackItem(item=item, heading=f"{item.family.reference} {item.family.display_name}", sections=sections)
    if PackPart.PEOPLE_OF_CONCERN in parts:
        section = PackSection(
            part=PackPart.PEOPLE_OF_CONCERN,
            heading=HEADINGS[PackPart.PEOPLE_OF_CONCERN](),
            lines=[(item.concern_name, item.concern_detail)],
        )
        return PackItem(item=item, heading=_("A person of concern"), sections=[section])
    return PackItem(
        item=item,
        heading=_("A person of concern"),
        note=_("The details of this item are not shared with your agency."),
    )


def meeting_pack(meeting: Meeting, agency: str) -> list[PackItem]:
    """The pack of this agency: every item still on the agenda, with only its parts."""
    parts = pack_parts_for(agency)
    items = meeting_items(meeting).filter(withdrawn_at__isnull=True).select_related("family__liaison_officer")
    return [_pack_item(item, parts) for item in items]
