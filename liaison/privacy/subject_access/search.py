"""Finding the person a request is about."""

from django.db.models import Q

from families.models import (
    Child,
    HouseholdMember,
)


def subject_search(text: str, *, limit: int = 50) -> tuple[list[HouseholdMember], list[Child]]:
    """Parents, caregivers and children whose name, or whose family's reference, holds
    the text. Nothing about suspicion: the list only finds people."""
    text = text.strip()
    members = (
        HouseholdMember.objects.filter(Q(full_name__icontains=text) | Q(family__reference__icontains=text))
        .select_related("family", "user")
        .order_by("family__reference", "full_name", "pk")[:limit]
    )
    children = (
        Child.objects.filter(Q(full_name__icontains=text) | Q(family__reference__icontains=text))
        .select_related("family")
        .order_by("family__reference", "full_name", "pk")[:limit]
    )
    return list(members), list(children)
