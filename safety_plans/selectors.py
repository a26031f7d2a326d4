"""Reading safety plans: the versions of a family's plan and the parts of one version
that a given person may see. A fixed number of queries however long the plan is."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from families.models import Family
from liaison.access import parents_see_until, plan_visibilities_for
from liaison.compiled import FamiliesRead, as_models, field_names
from safety_plans.models import (
    OPEN_STATUSES,
    PART_MODELS,
    VISIBLE_TO_PARENTS,
    PlanAgreement,
    PlanContact,
    PlanSection,
    PlanStatus,
    PlanVersion,
)


def plan_versions(family: Family) -> list[PlanVersion]:
    """Every version of the family's plan, newest first, with agreement and endorsement."""
    standing = PlanAgreement.objects.filter(withdrawn_at__isnull=True).select_related("agreed_by")
    versions = list(
        PlanVersion.objects.filter(plan__family=family)
        .select_related("plan", "endorsement__endorsed_by", "created_by", "shared_by")
        .prefetch_related(Prefetch("agreements", queryset=standing, to_attr="standing_agreements"))
        .order_by("-number")
    )
    for version in versions:
        version.agreement = version.standing_agreements[0] if version.standing_agreements else None
    return versions


@dataclass
class VersionParts:
    """The parts of one version that one person may see, grouped as the plan shows them."""

    people_of_concern: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    police_actions: list = field(default_factory=list)
    missing_profiles: list = field(default_factory=list)
    contacts: list = field(default_factory=list)

    @property
    def by_section(self) -> dict[str, list]:
        """The statements of every section, an empty list where there are none."""
        grouped = {section.value: [] for section in PlanSection}
        for statement in self.statements:
            grouped[statement.section].append(statement)
        return grouped

    def all_parts(self) -> list:
        return [*self.people_of_concern, *self.statements, *self.police_actions, *self.missing_profiles, *self.contacts]


PART_ATTRIBUTES = {
    "person_of_concern": "people_of_concern",
    "statement": "statements",
    "police_action": "police_actions",
    "missing_profile": "missing_profiles",
    "contact": "contacts",
}


def version_parts(version: PlanVersion | None, visibilities: tuple[str, ...]) -> VersionParts:
    """One query per kind of part; only the visibilities given, never removed parts."""
    parts = VersionParts()
    if version is None or not visibilities:
        return parts
    for kind, model in PART_MODELS.items():
        queryset = model.objects.filter(version=version, removed_at__isnull=True, visibility__in=visibilities)
        if kind == "missing_profile":
            queryset = queryset.select_related("child")
        setattr(parts, PART_ATTRIBUTES[kind], list(queryset.order_by("created_at", "pk")))
    return parts


def parts_for(user, version: PlanVersion | None) -> VersionParts:
    return version_parts(version, plan_visibilities_for(user))


@dataclass
class PlanPage:
    versions: list[PlanVersion]
    shown: PlanVersion | None
    parts: VersionParts
    comments: list = field(default_factory=list)

    @property
    def active(self) -> PlanVersion | None:
        return next((version for version in self.versions if version.status == PlanStatus.ACTIVE), None)

    @property
    def open(self) -> PlanVersion | None:
        return next((version for version in self.versions if version.status in OPEN_STATUSES), None)


def plan_page(family: Family, user, *, number: int | None = None) -> PlanPage | None:
    """The plan as this user sees it: the asked-for version, else the one being worked
    on, else the active one. None when the asked-for version does not exist."""
    versions = plan_versions(family)
    page = PlanPage(versions=versions, shown=None, parts=VersionParts())
    if number is not None:
        page.shown = next((version for version in versions if version.number == number), None)
        if page.shown is None:
            return None
    else:
        page.shown = page.open or page.active
    page.parts = parts_for(user, page.shown)
    if page.shown is not None:
        page.comments = list(page.shown.comments.select_related("created_by"))
    return page


SHARED_WITH_PARENTS = (PlanStatus.SHARED, PlanStatus.AGREED)


def portal_versions(family: Family) -> tuple[PlanVersion | None, PlanVersion | None]:
    """What parents see: the active version, and the version shared with them (or
    agreed by them and waiting for the police), never a draft."""
    return _for_parents(plan_versions(family), parents_see_until(family))


# What the parents' home page reads of the versions of the plan.
HOME_VERSION_FIELDS = ("id", "status", "shared_at", "activated_at", "superseded_at")


def home_version_rows(family_id: int) -> QuerySet:
    """The versions the parents' home page reads, newest first, as ``.values()`` rows (for
    ``read_together``): it says only whether a plan is in force and whether one waits for
    them, so it reads their status alone (``home_versions_from``)."""
    return (
        PlanVersion.objects.filter(plan__family=family_id)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("-number")
        .values(*HOME_VERSION_FIELDS)
    )


def home_versions_from(rows: list[dict], until: datetime | None) -> tuple[PlanVersion | None, PlanVersion | None]:
    """``portal_versions`` for the parents' home page, from ``home_version_rows`` and the
    moment the portal stands still at (``parents_see_until``): the versions with only
    those fields read, as ``.only`` gives them."""
    return _for_parents(as_models(PlanVersion, rows), until)


def _for_parents(versions, until: datetime | None = None) -> tuple[PlanVersion | None, PlanVersion | None]:
    """The newest active version and the newest shared or agreed one, of versions newest
    first; in protective mode (``until``) the two as they stood at that moment."""
    if until is not None:
        return _as_it_stood(versions, until)
    active = next((version for version in versions if version.status == PlanStatus.ACTIVE), None)
    shared = next((version for version in versions if version.status in SHARED_WITH_PARENTS), None)
    return active, shared


def _happened_by(moment: datetime | None, until: datetime) -> bool:
    return moment is not None and moment <= until


def _as_it_stood(versions, until: datetime) -> tuple[PlanVersion | None, PlanVersion | None]:
    """Only versions that are no longer drafts qualify: their text no longer changes, so
    the parents read exactly what they could read then. A version shared then and taken
    back to a draft since is left out, as its text may have changed."""
    settled = [version for version in versions if version.status != PlanStatus.DRAFT]
    active = next(
        (
            version
            for version in settled
            if _happened_by(version.activated_at, until) and not _happened_by(version.superseded_at, until)
        ),
        None,
    )
    shared = next(
        (
            version
            for version in settled
            if _happened_by(version.shared_at, until)
            and not _happened_by(version.activated_at, until)
            and not _happened_by(version.superseded_at, until)
        ),
        None,
    )
    return version_as_it_stood(active, until), version_as_it_stood(shared, until)


def version_as_it_stood(version: PlanVersion | None, until: datetime) -> PlanVersion | None:
    """The version as the parents could read it at ``until`` (protective mode): what the
    police did with it since (endorsing it, so that it came into force, or replacing it)
    stays out of the portal, their PDF and their export. Their own agreement stays: it is
    their own act. Changes the object for showing only; None when it had not reached them."""
    if version is None or not _happened_by(version.shared_at, until):
        return None
    if not _happened_by(version.activated_at, until):
        version.activated_at = None
        version.status = PlanStatus.AGREED if version.agreement is not None else PlanStatus.SHARED
    elif not _happened_by(version.superseded_at, until):
        version.status = PlanStatus.ACTIVE
    if not _happened_by(version.superseded_at, until):
        version.superseded_at = None
    endorsement = version.endorsed
    if endorsement is not None and not _happened_by(endorsement.endorsed_at, until):
        # As Django keeps a one-to-one that has no row: the version reads as not endorsed.
        PlanVersion.endorsement.related.set_cached_value(version, None)
    return version


def emergency_contact_rows(family_id: int) -> QuerySet:
    """The contacts the parents may see of every version of the family that reached them,
    as ``.values()`` rows (for ``read_together``); ``emergency_contacts_from`` keeps those
    of the plan in force."""
    versions = PlanContact.objects.filter(version__plan__family=family_id).exclude(version__status=PlanStatus.DRAFT)
    return (
        versions.filter(visibility__in=VISIBLE_TO_PARENTS, removed_at__isnull=True)
        .order_by("created_at", "pk")
        .values(*field_names(PlanContact))
    )


def emergency_contacts_from(rows: list[dict], active: PlanVersion | None) -> list[PlanContact]:
    """The contacts of the plan in force that the parents may see, of ``emergency_contact_rows``."""
    if active is None:
        return []
    return [contact for contact in as_models(PlanContact, rows) if contact.version_id == active.pk]


def attach_plan_status(families: list[Family], read: FamiliesRead) -> None:
    """Mark each family of a caseload page whose plan needs attention, in one query:
    no endorsed plan, an agreed version waiting for the police, or a review date passed
    (``read``: how the rows of these families are read, ``liaison.compiled.FamiliesRead``)."""
    statuses: dict[int, dict[str, object]] = {family.pk: {} for family in families}
    for row in read(("plan statuses",), _plan_statuses_of):
        if row["family_id"] in statuses:
            statuses[row["family_id"]][row["status"]] = row["review_on"]
    today = timezone.localdate()
    for family in families:
        review_on = statuses[family.pk].get(PlanStatus.ACTIVE)
        family.plan_not_endorsed = PlanStatus.ACTIVE not in statuses[family.pk]
        family.plan_awaiting_endorsement = PlanStatus.AGREED in statuses[family.pk]
        family.plan_review_overdue = review_on is not None and review_on < today


def _plan_statuses_of(families: QuerySet[Family]) -> QuerySet:
    return (
        PlanVersion.objects.filter(plan__family__in=families.values("pk"))
        .exclude(status=PlanStatus.SUPERSEDED)
        .order_by()
        .values("status", "review_on", family_id=F("plan__family_id"))
    )


def parent_comments(version: PlanVersion | None) -> list:
    """The parents' own comments on a version, oldest first. Staff comments stay out:
    they may hold the internal reason a plan went back to draft."""
    if version is None:
        return []
    return list(version.comments.filter(by_parent=True).select_related("created_by").order_by("created_at", "pk"))
