"""Reads of the contact log: the contacts newest first with their follow-up actions,
and the actions still open, overdue ones first. Each costs a fixed number of queries
however many contacts or actions the family has."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from families.models import ContactEntry, Family, FollowUpAction


def _overdue() -> ExpressionWrapper:
    """Open and due before today; an action due today is not overdue yet."""
    today = timezone.localdate()
    return ExpressionWrapper(Q(completed_at__isnull=True, due_on__lt=today), output_field=BooleanField())


def family_contacts(family: Family) -> QuerySet[ContactEntry]:
    """The family's contacts, newest first, each with its follow-up actions."""
    follow_ups = FollowUpAction.objects.select_related("completed_by").annotate(is_overdue=_overdue())
    return (
        family.contacts.select_related("created_by")
        .prefetch_related(Prefetch("follow_ups", queryset=follow_ups.order_by("due_on", "pk")))
        .order_by("-occurred_at", "-pk")
    )


def open_follow_ups(family: Family) -> QuerySet[FollowUpAction]:
    """Actions not yet done: overdue first, then by due date."""
    return (
        family.follow_ups.filter(completed_at__isnull=True)
        .select_related("contact")
        .annotate(is_overdue=_overdue())
        .order_by("-is_overdue", "due_on", "pk")
    )
