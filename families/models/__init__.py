"""The family case and everything recorded in it."""

from families.models.agencies import Agency, AgencyInvolvement
from families.models.case import (
    Family,
    FamilyStatus,
    Handover,
    LiaisonAssignment,
    ReferralSource,
    next_reference,
)
from families.models.contacts import ContactEntry, ContactKind, FollowUpAction
from families.models.events import Incident, IncidentKind, MissingEpisode
from families.models.household import (
    CaregiverSuspicion,
    Child,
    ChildRole,
    ExploitationKind,
    HouseholdMember,
    RiskLevel,
    SafeChannel,
)

__all__ = [
    "Agency",
    "AgencyInvolvement",
    "CaregiverSuspicion",
    "Child",
    "ChildRole",
    "ContactEntry",
    "ContactKind",
    "ExploitationKind",
    "Family",
    "FamilyStatus",
    "FollowUpAction",
    "Handover",
    "HouseholdMember",
    "Incident",
    "IncidentKind",
    "LiaisonAssignment",
    "MissingEpisode",
    "ReferralSource",
    "RiskLevel",
    "SafeChannel",
    "next_reference",
]
