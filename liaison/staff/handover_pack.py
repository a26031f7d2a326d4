"""What the handover pack carries, so the new officer knows the family's story."""

from django.utils import timezone

from families.models import AgencyInvolvement, Family, FollowUpAction
from families.selectors.chronology import chronology
from families.selectors.justice import case_statuses
from families.selectors.progress import progress_overview
from safety_plans.selectors import plan_versions


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
        "open_follow_ups": list(
            FollowUpAction.objects.filter(family=family, completed_at__isnull=True).order_by("due_on")
        ),
        "assignments": list(family.assignments.select_related("officer").order_by("started_at")),
        "chronology": chronology(family, user),
        "progress": progress_overview(family),
        "plan_versions": plan_versions(family)[:2],
        "criminal_cases": case_statuses(family),
    }
