"""Reads of family cases. Every query starts from the access policy."""

from django.db.models import Q, QuerySet

from families.models import Family, HouseholdMember
from liaison.access import PORTAL, VIEW, families_for


def caseload(user, *, search: str = "") -> QuerySet[Family]:
    families = families_for(user, VIEW).select_related("team", "liaison_officer", "police_unit")
    if search:
        families = families.filter(Q(reference__icontains=search) | Q(display_name__icontains=search))
    return families.order_by("status", "reference")


def portal_family(user) -> Family | None:
    """The parent's own family; None when they have none (or were cut off)."""
    return families_for(user, PORTAL).select_related("liaison_officer").order_by("pk").first()


def household_for_staff(family: Family) -> QuerySet[HouseholdMember]:
    return family.household_members.select_related("user").order_by("full_name")
