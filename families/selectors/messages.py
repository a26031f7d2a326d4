"""Reads of the message thread between the parents and their liaison officer, each in a
fixed number of queries however long the thread grows."""

from families.models import Family, PortalMessage


def portal_thread(family: Family) -> list[PortalMessage]:
    """The whole thread, oldest first, with who wrote each message."""
    return list(family.portal_messages.select_related("created_by").order_by("created_at", "pk"))


def unread_count(family: Family, *, for_parent: bool) -> int:
    """How many messages from the other side this side has not read yet."""
    return family.portal_messages.filter(from_parent=not for_parent, read_at__isnull=True).count()
