"""E-mails that say only that there is something new. A parent's mailbox may be read by
the people the family needs protection from, so a notification names no one: no family,
no officer, no child, nothing of what was written. The details wait behind the sign-in.

Each mail is written in its recipient's language (``User.preferred_language``), whatever
language the person whose action set it off was reading."""

import logging
from collections.abc import Callable
from email.utils import formataddr, parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from families.models import Family
from liaison.access.protection import parents_to_tell
from liaison.accounts.models import NotifyBy, Reminder, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record

logger = logging.getLogger(__name__)


def sign_in_link() -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('account_login')}"


def _sender() -> str:
    """The neutral product name in front of the system's address."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return formataddr((settings.PORTAL_PRODUCT_NAME, address))


def _parent_subject() -> str:
    return _("Something new in %(product)s") % {"product": settings.PORTAL_PRODUCT_NAME}


def _parent_body() -> str:
    return _(
        "There is something new for you in %(product)s.\n\n"
        "Sign in to see it:\n%(link)s\n\n"
        "You can choose on the website whether you get these e-mails."
    ) % {"product": settings.PORTAL_PRODUCT_NAME, "link": sign_in_link()}


def _officer_subject() -> str:
    return _("Something new in your caseload")


def _officer_body() -> str:
    return _("There is something new in your caseload.\n\nSign in to see it:\n%(link)s") % {"link": sign_in_link()}


def _reminder_subject() -> str:
    return _("Items need your attention")


def _reminder_body(count: int) -> str:
    return ngettext(
        "You have %(count)s item that needs attention.\n\nSign in to see it:\n%(link)s",
        "You have %(count)s items that need attention.\n\nSign in to see them:\n%(link)s",
        count,
    ) % {"count": count, "link": sign_in_link()}


def _break_glass_subject() -> str:
    return _("Emergency access in your team")


def _break_glass_body() -> str:
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('break_glass')}"
    text = _("Someone used emergency access to a family of your team.\n\nSign in to see who and why:\n%(link)s")
    return text % {"link": link}


def _refused_reads_subject() -> str:
    return _("Repeated refused reads of case files")


def _refused_reads_body() -> str:
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('refused_reads')}"
    text = _(
        "Someone was refused case files many times within an hour.\n\n"
        "Sign in as an administrator to see who and which files:\n%(link)s"
    )
    return text % {"link": link}


def _mail(user: User, subject: Callable[[], str], body: Callable[[], str]) -> EmailMessage:
    """One mail to one person, in their language."""
    with translation.override(user.preferred_language):
        return EmailMessage(subject=str(subject()), body=str(body()), from_email=_sender(), to=[user.email])


def _send(family: Family, recipients: list[User], subject: Callable[[], str], body: Callable[[], str]) -> list[int]:
    """One mail per person, so no one sees who else was told. Returns who was told."""
    if not recipients:
        return []
    mails = [_mail(user, subject, body) for user in recipients]
    try:
        get_connection().send_messages(mails)
    except Exception:
        # The message itself is saved; a mail server that is down must not undo it.
        logger.exception("A notification e-mail could not be sent.")
        return []
    notified = [user.pk for user in recipients]
    # Who was told, by id only: never an address, a name or what it was about.
    audit_record(
        action=AuditAction.CASE_CHANGED,
        family=family,
        detail={"what": "notification_sent", "to": notified},
    )
    return notified


def notify_parents(family: Family) -> list[int]:
    """Tell the family's parents who chose e-mail that there is something new. Only the
    people the access policy lets into the portal qualify, so never a suspected caregiver."""
    recipients = list(parents_to_tell(family).filter(notify_by=NotifyBy.EMAIL).order_by("pk"))
    return _send(family, recipients, _parent_subject, _parent_body)


def notify_officer(family: Family) -> list[int]:
    """Tell the family's liaison officer that there is something new in their caseload."""
    officer = family.liaison_officer
    if officer is None or not officer.is_active or officer.notify_by != NotifyBy.EMAIL:
        return []
    return _send(family, [officer], _officer_subject, _officer_body)


def notify_break_glass(supervisors: list[User]) -> list[int]:
    """Tell the supervisors that someone used emergency access to a family of their team:
    not which family, not who, not why; that waits behind the sign-in. It goes whatever
    they chose for news, because it is how they keep watch over emergency access."""
    recipients = [user for user in supervisors if user.is_active]
    if not recipients:
        return []
    mails = [_mail(user, _break_glass_subject, _break_glass_body) for user in recipients]
    try:
        get_connection().send_messages(mails)
    except Exception:
        logger.exception("An emergency access e-mail could not be sent.")
        return []
    return [user.pk for user in recipients]


def notify_refused_reads(administrators: list[User]) -> list[int]:
    """Tell the administrators that someone was refused case files again and again within
    an hour: not who, not which files, not how often; that waits behind the sign-in. It
    goes whatever they chose for news, like the mail about emergency access."""
    recipients = [user for user in administrators if user.is_active]
    if not recipients:
        return []
    mails = [_mail(user, _refused_reads_subject, _refused_reads_body) for user in recipients]
    try:
        get_connection().send_messages(mails)
    except Exception:
        logger.exception("An e-mail about refused reads could not be sent.")
        return []
    return [user.pk for user in recipients]


def notify_reminders(reminders: list[Reminder]) -> list[int]:
    """Mail each reminded person who chose e-mail how many items need attention: the
    number and the sign-in link, nothing else. Returns the reminders that were mailed."""
    due = [reminder for reminder in reminders if reminder.user.notify_by == NotifyBy.EMAIL and reminder.user.is_active]
    mails = [_mail(reminder.user, _reminder_subject, partial(_reminder_body, reminder.count)) for reminder in due]
    if not mails:
        return []
    try:
        get_connection().send_messages(mails)
    except Exception:
        logger.exception("A reminder e-mail could not be sent.")
        return []
    return [reminder.pk for reminder in due]
