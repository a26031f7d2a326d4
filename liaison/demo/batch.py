"""The generated staff and one batch of families, written with ``bulk_create``."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Model
from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    CaregiverSuspicion,
    Child,
    ContactEntry,
    Family,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    LiaisonAssignment,
    MissingEpisode,
    NeedVersion,
    ParentNeed,
    ParentRating,
    ProgressReview,
)
from liaison.accounts.models import PoliceUnit, Team, User
from liaison.demo.words import (
    BATCH_SIZE,
    FAMILIES_PER_OFFICER,
    OFFICERS_PER_TEAM,
    POLICE_PER_UNIT,
    TEAMS_PER_POLICE_UNIT,
)
from safety_plans.models import (
    MissingProfile,
    PersonOfConcern,
    PlanAgreement,
    PlanContact,
    PlanEndorsement,
    PlanStatement,
    PlanVersion,
    PoliceAction,
    SafetyPlan,
)


@dataclass
class Summary:
    """What was generated: the families, and the rows written of each model."""

    families: int = 0
    rows: dict[type[Model], int] = field(default_factory=dict)

    def add(self, model: type[Model], count: int) -> None:
        self.rows[model] = self.rows.get(model, 0) + count


@dataclass
class Staff:
    teams: list[Team]
    units: list[PoliceUnit]
    officers: list[User]
    supervisors: list[User]
    police: list[User]
    password: str

    # Who works with family number i follows from i alone.
    def officer_for(self, index: int) -> User:
        return self.officers[index // FAMILIES_PER_OFFICER]

    def team_number(self, index: int) -> int:
        return index // FAMILIES_PER_OFFICER // OFFICERS_PER_TEAM

    def team_officers(self, index: int) -> list[User]:
        team = self.team_number(index)
        return self.officers[team * OFFICERS_PER_TEAM : (team + 1) * OFFICERS_PER_TEAM]

    def supervisor_for(self, index: int) -> User:
        return self.supervisors[self.team_number(index)]

    def unit_number(self, index: int) -> int:
        return self.team_number(index) // TEAMS_PER_POLICE_UNIT

    def police_for(self, index: int) -> User:
        return self.police[self.unit_number(index) * POLICE_PER_UNIT]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Chunk:
    """The rows of a batch of families, written model by model in the order of their keys."""

    rows: dict[type[Model], list[Model]] = field(default_factory=dict)

    def add(self, instance: Model) -> Model:
        self.rows.setdefault(type(instance), []).append(instance)
        return instance

    ORDER = (
        User, Family, Child, HouseholdMember, CaregiverSuspicion, LiaisonAssignment, Handover, ContactEntry,
        FollowUpAction, AgencyInvolvement, Incident, MissingEpisode, ProgressReview, ParentRating, SafetyPlan,
        PlanVersion, PlanStatement, PersonOfConcern, PoliceAction, MissingProfile, PlanContact, PlanAgreement,
        PlanEndorsement, ParentNeed, NeedVersion,
    )  # fmt: skip

    def write(self, summary: Summary) -> None:
        for model in self.ORDER:
            instances = self.rows.get(model, [])
            if model is PlanVersion:
                # A version is based on the one before it, which must have its key first.
                for number in sorted({version.number for version in instances}):
                    model.objects.bulk_create([v for v in instances if v.number == number], batch_size=BATCH_SIZE)
            else:
                model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
            summary.add(model, len(instances))
