"""Reads of what parents shared: one family's items for its case file, a parent's own
items for the portal, and what still waits for the police across the families a person
may see. Each costs a fixed number of queries however many items there are."""

from datetime import datetime

from django.db.models import QuerySet

from families.models import Family, FamilyStatus, SharedInformation, SharedStatus
from liaison.access import VIEW, can_see_section, families_for

SECTION = "shared_information"


def shared_by_parents(family: Family) -> QuerySet[SharedInformation]:
    """Everything the parents of this family shared, newest first."""
    return family.shared_information.select_related("created_by", "acknowledged_by").order_by("-created_at", "-pk")


def shared_item_of(family: Family, item_pk: int) -> SharedInformation | None:
    return family.shared_information.select_related("family").filter(pk=item_pk).first()


def shared_by_parent(family: Family, parent) -> QuerySet[SharedInformation]:
    """What this parent shared themselves: a parent never reads what another caregiver
    passed on, since that caregiver may be the one it is about."""
    return family.shared_information.filter(created_by=parent).order_by("-created_at", "-pk")


def with_answers(items: QuerySet[SharedInformation], until: datetime | None) -> QuerySet[SharedInformation]:
    """The items with every answer of the police, when protective mode holds (``until``):
    what ``as_parents_saw_it`` needs, in one more query however many there are."""
    return items.prefetch_related("answers") if until is not None else items


def as_parents_saw_it(item: SharedInformation, until: datetime | None) -> SharedInformation:
    """The item as the parent saw it at ``until`` (protective mode): the police's last
    answer given by then (``PoliceAnswer``, read ``with_answers``); what they did with
    it or said of it since stays out of the portal. Changes the object for showing only."""
    if until is None:
        return item
    given = [answer for answer in item.answers.all() if answer.answered_at <= until]
    if given:
        item.status, item.police_feedback = given[-1].status, given[-1].feedback
        return item
    # No answer kept by then: received, or not yet, without a word of feedback.
    acknowledged = item.acknowledged_at is not None and item.acknowledged_at <= until
    item.status = SharedStatus.RECEIVED if acknowledged else SharedStatus.SENT
    item.police_feedback = ""
    if not acknowledged:
        item.acknowledged_at = None
    return item


def awaiting_acknowledgement(user) -> QuerySet[SharedInformation]:
    """Items still marked 'sent' in the open families this user may view, oldest first:
    a closed case cannot be answered, so it waits for no one."""
    if not can_see_section(user, SECTION):
        return SharedInformation.objects.none()
    families = families_for(user, VIEW).exclude(status=FamilyStatus.CLOSED)
    return (
        SharedInformation.objects.filter(family__in=families, status=SharedStatus.SENT)
        .select_related("family", "family__liaison_officer", "family__police_unit")
        .order_by("created_at", "pk")
    )
