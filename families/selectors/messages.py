"""Reads of the message thread between the parents and their liaison officer, each in a
fixed number of queries however long the thread grows."""

from django.db.models import Q, QuerySet

from families.models import Family, PortalMessage
from liaison.access import parents_see_until


def _messages(family: Family, *, for_parent: bool) -> QuerySet[PortalMessage]:
    """The thread as this side sees it: the parents see staff messages up to the moment
    their portal stands still at (protective mode), and their own always."""
    messages = family.portal_messages.all()
    until = parents_see_until(family) if for_parent else None
    if until is not None:
        messages = messages.filter(Q(from_parent=True) | Q(created_at__lte=until))
    return messages


def portal_thread(family: Family, *, for_parent: bool = False) -> list[PortalMessage]:
    """The whole thread, oldest first, with who wrote each message."""
    return list(_messages(family, for_parent=for_parent).select_related("created_by").order_by("created_at", "pk"))


def unread_messages(family: Family, *, for_parent: bool) -> QuerySet[PortalMessage]:
    """The messages from the other side this side has not read yet."""
    return _messages(family, for_parent=for_parent).filter(from_parent=not for_parent, read_at__isnull=True)
