"""What the handover pack carries, so the new officer knows the family's story: and, when
a parent may be the exploiter, where that stands, so that they need not ask again."""

from dataclasses import dataclass, field

from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    Child,
    Family,
    FamilyConcern,
    FollowUpAction,
    IntrafamilialScreen,
    MeldcodeStep,
    ProtectiveMode,
)
from families.selectors.chronology import chronology
from families.selectors.concerns import (
    SEEN_ALONE_WITHIN_DAYS,
    children_seen_alone,
    latest_screen,
    open_concern,
    seen_alone_since,
)
from families.selectors.justice import case_statuses
from families.selectors.library import family_library
from families.selectors.needs import open_needs_of
from families.selectors.progress import progress_overview
from families.selectors.referrals import consents_of, referrals_of
from liaison.access import can_see_section, open_protective_mode
from liaison.staff.attention import meldcode_overdue
from safety_plans.selectors import plan_versions


@dataclass
class ConcernState:
    """When a parent may be the exploiter, as the next officer needs it: whether protective
    mode holds, the open concern with its Meldcode steps and their next dates, the latest
    screen, and when each child was last seen alone. Each part only for whom the access
    policy lets see it (its sections); a part not seen is None or empty."""

    sees_concerns: bool = False
    sees_screen: bool = False
    sees_seen_alone: bool = False
    sees_meldcode: bool = False
    protective_mode: ProtectiveMode | None = None
    open_concern: FamilyConcern | None = None
    steps: list[MeldcodeStep] = field(default_factory=list)
    latest_screen: IntrafamilialScreen | None = None
    children: list[Child] = field(default_factory=list)
    within_days: int = SEEN_ALONE_WITHIN_DAYS

    @property
    def anything(self) -> bool:
        return self.sees_concerns or self.sees_screen or self.sees_seen_alone

    @property
    def next_step_on(self):
        """The date of the next step: that of the newest step (as the dashboard counts it)."""
        return self.steps[-1].next_on if self.steps else None


def concern_state(family: Family, user) -> ConcernState:
    state = ConcernState(
        sees_concerns=can_see_section(user, "concerns", family),
        sees_screen=can_see_section(user, "screen", family),
        sees_seen_alone=can_see_section(user, "seen_alone", family),
        sees_meldcode=can_see_section(user, "meldcode", family),
    )
    today = timezone.localdate()
    if state.sees_concerns:
        state.protective_mode = open_protective_mode(family)
        state.open_concern = open_concern(family)
    if state.open_concern is not None and state.sees_meldcode:
        state.steps = list(state.open_concern.steps.order_by("taken_on", "pk"))
        # Only the newest step's next date is still to come (or overdue), as on the dashboard.
        for step in state.steps:
            step.overdue = False
        if state.steps:
            state.steps[-1].overdue = meldcode_overdue(next_on=state.next_step_on, today=today)
    if state.sees_screen:
        state.latest_screen = latest_screen(family)
    if state.sees_seen_alone:
        since = seen_alone_since()
        state.children = children_seen_alone(family)
        for child in state.children:
            child.not_seen_recently = child.last_seen_on is None or child.last_seen_on < since
    return state


def handover_pack_context(family: Family, user) -> dict:
    return {
        "family": family,
        "generated_at": timezone.now(),
        "handover": family.handovers.select_related("from_officer", "to_officer").order_by("-created_at").first(),
        "children": list(family.children.order_by("role", "born_on")),
        "household": list(family.household_members.order_by("full_name")),
        "current_agencies": list(
            AgencyInvolvement.objects.filter(family=family, ended_on__isnull=True).order_by("agency")
        ),
        "referrals": list(referrals_of(family)) if can_see_section(user, "referrals", family) else [],
        "consents": list(consents_of(family)) if can_see_section(user, "consents", family) else [],
        "open_follow_ups": list(
            FollowUpAction.objects.filter(family=family, completed_at__isnull=True).order_by("due_on")
        ),
        "assignments": list(family.assignments.select_related("officer").order_by("started_at")),
        "chronology": chronology(family, user),
        "progress": progress_overview(family),
        "plan_versions": plan_versions(family)[:2],
        "criminal_cases": case_statuses(family),
        "concern_state": concern_state(family, user),
        # The parents' own needs still worked on, for whom the policy lets see them.
        "sees_needs": can_see_section(user, "needs", family),
        "open_needs": list(open_needs_of(family)) if can_see_section(user, "needs", family) else [],
        # What the family received from the library and talked through, for whom the policy lets see it.
        "library": family_library(family) if can_see_section(user, "library", family) else None,
    }
