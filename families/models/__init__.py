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
from families.models.closure import ClosureDecision, ClosureRequest
from families.models.concerns import (
    SIGNALS,
    WEIGHING_QUESTIONS,
    Answer,
    Decision,
    FamilyConcern,
    IntrafamilialScreen,
    Judgement,
    MeldcodeStep,
    MeldcodeStepKind,
    ScreenOccasion,
    SeenAlone,
)
from families.models.contacts import ContactEntry, ContactKind, FollowUpAction
from families.models.dates import DateToCheck
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
from families.models.justice import CaseMilestone, CriminalCase, HearingKind, MilestoneKind
from families.models.library import Article, ArticleDiscussion, ArticleSent, ArticleVersion
from families.models.needs import OPEN_STATUSES, NeedKind, NeedStatus, NeedVersion, ParentNeed
from families.models.portal import PortalMessage, SharedInformation, SharedStatus
from families.models.progress import DIMENSIONS, Dimension, ParentRating, ProgressReview, RatingSource
from families.models.protection import ProtectiveMode, ProtectiveModeEnd
from families.models.referrals import (
    ALTERNATIVE_ROUTES,
    ROUTES_BY_A_CAREGIVER,
    Consent,
    ConsentManner,
    ConsentPurpose,
    ConsentRoute,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    SummaryPart,
)
from families.models.supervision import SupervisionNote

__all__ = [
    "ALTERNATIVE_ROUTES",
    "DIMENSIONS",
    "OPEN_STATUSES",
    "ROUTES_BY_A_CAREGIVER",
    "SIGNALS",
    "WEIGHING_QUESTIONS",
    "Agency",
    "AgencyInvolvement",
    "Answer",
    "Article",
    "ArticleDiscussion",
    "ArticleSent",
    "ArticleVersion",
    "CaregiverSuspicion",
    "CaseMilestone",
    "Child",
    "ChildRole",
    "ClosureDecision",
    "ClosureRequest",
    "Consent",
    "ConsentManner",
    "ConsentPurpose",
    "ConsentRoute",
    "ContactEntry",
    "ContactKind",
    "CriminalCase",
    "DateToCheck",
    "Decision",
    "Dimension",
    "ExploitationKind",
    "Family",
    "FamilyConcern",
    "FamilyStatus",
    "FollowUpAction",
    "Handover",
    "HearingKind",
    "HouseholdMember",
    "Incident",
    "IncidentKind",
    "IntrafamilialScreen",
    "Judgement",
    "LiaisonAssignment",
    "MeldcodeStep",
    "MeldcodeStepKind",
    "MilestoneKind",
    "MissingEpisode",
    "NeedKind",
    "NeedStatus",
    "NeedVersion",
    "ParentNeed",
    "ParentRating",
    "PortalMessage",
    "ProgressReview",
    "ProtectiveMode",
    "ProtectiveModeEnd",
    "RatingSource",
    "Referral",
    "ReferralSource",
    "ReferralStatus",
    "ReferralStatusChange",
    "RiskLevel",
    "SafeChannel",
    "ScreenOccasion",
    "SeenAlone",
    "SharedInformation",
    "SharedStatus",
    "SummaryPart",
    "SupervisionNote",
    "next_reference",
]
