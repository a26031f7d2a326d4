"""The message thread between the parents and their liaison officer: sending a message,
and marking what the other side wrote as read. The audit trail records that a message
was sent, never what it said."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family, FamilyStatus, PortalMessage
from families.services.audit import record_case_change
from liaison.access import CHANGE, allows, check_parents_reachable, parents_see_until, portal_users_of
from liaison.accounts.models import User
from liaison.fragments import data_changed
from liaison.notifications import notify_officer, notify_parents

MESSAGE_MAX_LENGTH = 2000


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your message.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Your message is too long. Write %(limit)s characters or fewer; it now has %(count)s.")
                % {"limit": MESSAGE_MAX_LENGTH, "count": len(text)}
            }
        )
    return text


@transaction.atomic
def portal_message_send(*, family: Family, author: User, text: str, from_parent: bool) -> PortalMessage:
    """A parent writes to the officer, or staff reply to the parents. The other side hears
    that there is something new, once, until they have read it."""
    text = _check_text(text)
    if family.status == FamilyStatus.CLOSED:
        raise ValidationError(_("This case is closed. Messages can no longer be sent."))
    if from_parent:
        if not portal_users_of(family).filter(pk=author.pk).exists():
            raise PermissionDenied
    elif not allows(author, family, CHANGE):
        raise PermissionDenied
    else:
        check_parents_reachable(family)
    # If the other side has not yet read what this side sent before, they were told already.
    already_told = family.portal_messages.filter(from_parent=from_parent, read_at__isnull=True).exists()
    message = PortalMessage.objects.create(family=family, text=text, from_parent=from_parent, created_by=author)
    record_case_change(
        actor=author, family=family, target=message, what="portal_message_sent", detail={"from_parent": from_parent}
    )
    if not already_told:
        transaction.on_commit(partial(notify_officer if from_parent else notify_parents, family))
    return message


@transaction.atomic
def portal_messages_mark_read(*, family: Family, reader_is_parent: bool) -> int:
    """Mark what the other side wrote as read; returns how many messages were new."""
    unread = family.portal_messages.filter(from_parent=not reader_is_parent, read_at__isnull=True)
    until = parents_see_until(family) if reader_is_parent else None
    if until is not None:  # protective mode: a parent reads only what their portal shows
        unread = unread.filter(created_at__lte=until)
    marked = unread.update(read_at=timezone.now())
    if marked:
        data_changed(team_id=family.team_id)  # the caseload counts unread messages
    return marked
