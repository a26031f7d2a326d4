"""Retention: once a closed case has been in the archive for the period set for a kind of
record, that kind is deleted or anonymised. What is due is worked out the same way for
the dry run and for the real run, so the dry run shows exactly what will happen.

Deleted: contact log, incidents and missing episodes, agencies (with the referrals and
consents), the portal's messages and
shared information (with their files), supervision notes, criminal cases with their
steps, the concerns about a caregiver with everything recorded on them (the screens,
the children seen alone, the Meldcode steps and protective mode), the parents' needs with
every version of them, safety plans (every
version, with photos). Anonymised, so the numbers in reports stay true: progress reviews keep
their scores but lose their words; children and caregivers lose everything that names or
reaches them; the contexts the case named lose their names, aliases, areas and notes, and
their match keys go, so they never match another family's again (the meetings that
discussed one keep their agenda item); the case keeps its reference, dates and status but
loses its family name, referral note and reasons.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    ArticleDiscussion,
    ArticleSent,
    CaregiverSuspicion,
    CaseMilestone,
    Child,
    Consent,
    ContactEntry,
    ContextKey,
    ContextLink,
    ContextMention,
    CriminalCase,
    Family,
    FamilyConcern,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    IntrafamilialScreen,
    MeldcodeStep,
    MissingEpisode,
    NeedVersion,
    ParentNeed,
    ParentRating,
    PoliceAnswer,
    PortalMessage,
    ProgressReview,
    ProtectiveMode,
    Referral,
    ReferralStatusChange,
    SeenAlone,
    SharedInformation,
    SupervisionNote,
)
from liaison.privacy.erasure import (
    ERASED_NAME,
    anonymise_child,
    anonymise_member,
    delete_files_after_commit,
    stored_files,
)
from liaison.privacy.models import DEFAULT_RETENTION_YEARS, RecordKind, RetentionApplied, RetentionPeriod
from safety_plans.models import (
    MissingProfile,
    PersonOfConcern,
    PlanAgreement,
    PlanComment,
    PlanContact,
    PlanEndorsement,
    PlanStatement,
    PlanVersion,
    PoliceAction,
    SafetyPlan,
)

DELETE = "delete"
ANONYMISE = "anonymise"


def retention_periods() -> dict[str, int]:
    """Years after closing for every kind of record: the administrator's setting, or the default."""
    periods = {kind: DEFAULT_RETENTION_YEARS for kind in RecordKind.values}
    periods.update(RetentionPeriod.objects.values_list("record_kind", "years"))
    return periods


def years_after(day: date, years: int) -> date:
    """The same day so many years later (or earlier, with negative years); 29 February
    becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def cutoff(years: int, today: date) -> date:
    """Cases closed on or before this day have passed a period of this many years."""
    return years_after(today, -years)


# What each kind of record is, per family, and what retention does to it.
def _contacts(families: QuerySet) -> list[QuerySet]:
    return [FollowUpAction.objects.filter(family__in=families), ContactEntry.objects.filter(family__in=families)]


def _events(families: QuerySet) -> list[QuerySet]:
    """The incidents and missing episodes, after the contexts' links to them."""
    return [
        ContextMention.objects.filter(missing_episode__family__in=families),
        ContextMention.objects.filter(incident__family__in=families),
        MissingEpisode.objects.filter(family__in=families),
        Incident.objects.filter(family__in=families),
    ]


def _contexts(families: QuerySet) -> list[QuerySet]:
    """The match keys of the contexts the case named, before the contexts themselves."""
    return [ContextKey.objects.filter(link__family__in=families), ContextLink.objects.filter(family__in=families)]


def _agencies(families: QuerySet) -> list[QuerySet]:
    """The agency timeline with the referrals to other agencies and every consent, the
    referrals first: they point at their consent and at the involvement they started."""
    return [
        ReferralStatusChange.objects.filter(referral__family__in=families),
        Referral.objects.filter(family__in=families),
        Consent.objects.filter(family__in=families),
        AgencyInvolvement.objects.filter(family__in=families),
    ]


def _portal(families: QuerySet) -> list[QuerySet]:
    return [
        ContextMention.objects.filter(shared_information__family__in=families),
        PoliceAnswer.objects.filter(item__family__in=families),
        SharedInformation.objects.filter(family__in=families),
        PortalMessage.objects.filter(family__in=families),
        ArticleSent.objects.filter(family__in=families),
        ArticleDiscussion.objects.filter(family__in=families),
    ]


def _supervision(families: QuerySet) -> list[QuerySet]:
    return [SupervisionNote.objects.filter(family__in=families)]


def _justice(families: QuerySet) -> list[QuerySet]:
    return [
        CaseMilestone.objects.filter(case__family__in=families),
        CriminalCase.objects.filter(family__in=families),
    ]


def _concerns(families: QuerySet) -> list[QuerySet]:
    """Everything recorded when a parent may be the exploiter: the steps and screens before
    the concerns they hang on."""
    return [
        MeldcodeStep.objects.filter(concern__family__in=families),
        IntrafamilialScreen.objects.filter(family__in=families),
        SeenAlone.objects.filter(family__in=families),
        FamilyConcern.objects.filter(family__in=families),
        ProtectiveMode.objects.filter(family__in=families),
    ]


def _needs(families: QuerySet) -> list[QuerySet]:
    """The parents' own needs: the versions before the needs they belong to."""
    return [NeedVersion.objects.filter(need__family__in=families), ParentNeed.objects.filter(family__in=families)]


def _safety_plans(families: QuerySet) -> list[QuerySet]:
    versions = PlanVersion.objects.filter(plan__family__in=families)
    parts = [
        model.objects.filter(version__in=versions)
        for model in (PlanStatement, PersonOfConcern, PoliceAction, MissingProfile, PlanContact)
    ]
    answers = [model.objects.filter(version__in=versions) for model in (PlanAgreement, PlanEndorsement, PlanComment)]
    return [*parts, *answers, versions, SafetyPlan.objects.filter(family__in=families)]


def _progress(families: QuerySet) -> list[QuerySet]:
    return [ProgressReview.objects.filter(family__in=families), ParentRating.objects.filter(family__in=families)]


def _household(families: QuerySet) -> list[QuerySet]:
    return [Child.objects.filter(family__in=families), HouseholdMember.objects.filter(family__in=families)]


def _case_record(families: QuerySet) -> list[QuerySet]:
    return [Family.objects.filter(pk__in=families.values("pk"))]


# The records a context can be first named in (``ContextLink``), by the field naming them.
CONTEXT_SOURCES = {Incident: "incident", MissingEpisode: "missing_episode", SharedInformation: "shared_information"}

# The private files a kind of record holds: removed once its deletion has committed.
FILE_FIELDS = {SharedInformation: "attachment", MissingProfile: "photo"}


def _delete(querysets: list[QuerySet]) -> None:
    """Delete in the order given (dependants first); files go once the deletion commits."""
    files = []
    for queryset in querysets:
        if queryset.model in FILE_FIELDS:
            files += stored_files(queryset, FILE_FIELDS[queryset.model])
        if queryset.model is PlanVersion:
            queryset.update(based_on=None)
        if queryset.model in CONTEXT_SOURCES:
            # A context keeps where it was first named only while that record exists.
            field = CONTEXT_SOURCES[queryset.model]
            ContextLink.objects.filter(**{f"{field}__in": queryset.values("pk")}).update(**{field: None})
        queryset.delete()
    delete_files_after_commit(files)


def _anonymise_progress(querysets: list[QuerySet]) -> None:
    reviews, ratings = querysets
    reviews.update(
        understanding_evidence="",
        understanding_plan="",
        empowerment_evidence="",
        empowerment_plan="",
        resilience_evidence="",
        resilience_plan="",
        correction_reason="",
    )
    ratings.update(given_by="", comment="")


def _anonymise_household(querysets: list[QuerySet]) -> None:
    children, members = querysets
    for child in children.filter(erased_at__isnull=True):
        anonymise_child(child)
    for member in members.filter(erased_at__isnull=True):
        anonymise_member(member)
    CaregiverSuspicion.objects.filter(member__in=members).update(reason="", lift_reason="")


def _anonymise_contexts(querysets: list[QuerySet]) -> None:
    keys, links = querysets
    keys.delete()
    links.update(label=ERASED_NAME, aliases="", area="", note="", end_reason="")


def _anonymise_case_record(querysets: list[QuerySet]) -> None:
    (families,) = querysets
    Handover.objects.filter(family__in=families).update(reason=ERASED_NAME, note="")
    families.update(display_name="", referral_note="", closing_reason=ERASED_NAME, anonymised_at=timezone.now())


@dataclass(frozen=True)
class KindRule:
    records: Callable[[QuerySet], list[QuerySet]]
    action: str
    apply: Callable[[list[QuerySet]], None]


RULES: dict[str, KindRule] = {
    RecordKind.CONTACTS: KindRule(_contacts, DELETE, _delete),
    RecordKind.EVENTS: KindRule(_events, DELETE, _delete),
    RecordKind.CONTEXTS: KindRule(_contexts, ANONYMISE, _anonymise_contexts),
    RecordKind.AGENCIES: KindRule(_agencies, DELETE, _delete),
    RecordKind.PORTAL: KindRule(_portal, DELETE, _delete),
    RecordKind.SUPERVISION: KindRule(_supervision, DELETE, _delete),
    RecordKind.JUSTICE: KindRule(_justice, DELETE, _delete),
    RecordKind.CONCERNS: KindRule(_concerns, DELETE, _delete),
    RecordKind.NEEDS: KindRule(_needs, DELETE, _delete),
    RecordKind.SAFETY_PLANS: KindRule(_safety_plans, DELETE, _delete),
    RecordKind.PROGRESS: KindRule(_progress, ANONYMISE, _anonymise_progress),
    RecordKind.HOUSEHOLD: KindRule(_household, ANONYMISE, _anonymise_household),
    RecordKind.CASE_RECORD: KindRule(_case_record, ANONYMISE, _anonymise_case_record),
}


@dataclass
class KindDue:
    """One kind of record: the period, the cases past it and how many records they hold."""

    kind: str
    label: str
    years: int
    closed_by: date
    action: str
    families: list[int] = field(default_factory=list)
    records: int = 0


def families_due(kind: str, closed_by: date) -> QuerySet[Family]:
    """Archived cases closed on or before the day, not yet done for this kind."""
    done = RetentionApplied.objects.filter(record_kind=kind).values("family_id")
    return (
        Family.objects.filter(archived_at__isnull=False, closed_on__lte=closed_by).exclude(pk__in=done).order_by("pk")
    )


def count_records(querysets: list[QuerySet]) -> int:
    # Dependants counted once: a plan's version and its parts are all records.
    return sum(queryset.count() for queryset in querysets)


def retention_due(today: date | None = None) -> list[KindDue]:
    """What retention would do today, kind by kind: a fixed number of queries per kind."""
    today = today or timezone.localdate()
    periods = retention_periods()
    due = []
    for kind, label in RecordKind.choices:
        rule = RULES[kind]
        closed_by = cutoff(periods[kind], today)
        families = families_due(kind, closed_by)
        entry = KindDue(kind, str(label), periods[kind], closed_by, rule.action)
        entry.families = list(families.values_list("pk", flat=True))
        if entry.families:
            entry.records = count_records(rule.records(Family.objects.filter(pk__in=entry.families)))
        due.append(entry)
    return due
