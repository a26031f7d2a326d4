"""Writing the contact log: a contact with the follow-up actions agreed in it, and
marking an action as done. Each write is one transaction with its audit event."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from families.models import ContactEntry, Family, FollowUpAction
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.validators import validate_not_in_future


def _follow_up(*, family: Family, contact: ContactEntry, created_by: User, row: Mapping) -> FollowUpAction:
    description = (row.get("description") or "").strip()
    owner = (row.get("owner") or "").strip()
    due_on = row.get("due_on")
    errors = {}
    if not description:
        errors["follow_ups"] = _("Describe each follow-up action.")
    elif not owner:
        errors["follow_ups"] = _("Say who does the follow-up action “%(action)s”.") % {"action": description}
    elif due_on is None:
        errors["follow_ups"] = _("Give a due date for the follow-up action “%(action)s”.") % {"action": description}
    if errors:
        raise ValidationError(errors)
    action = FollowUpAction(
        family=family, contact=contact, description=description, owner=owner, due_on=due_on, created_by=created_by
    )
    action.full_clean(exclude=["family", "contact", "created_by"])
    return action


@transaction.atomic
def contact_log(
    *,
    family: Family,
    created_by: User,
    occurred_at: datetime,
    kind: str,
    with_whom: str,
    summary: str,
    next_contact_on: date | None = None,
    follow_ups: Iterable[Mapping] = (),
) -> ContactEntry:
    """Record a contact and the follow-up actions agreed in it, all or nothing."""
    validate_not_in_future(occurred_at, field="occurred_at")
    if next_contact_on is not None and next_contact_on <= timezone.localdate(occurred_at):
        raise ValidationError(
            {"next_contact_on": _("The next planned contact must be after the date of this contact.")}
        )
    contact = ContactEntry(
        family=family,
        occurred_at=occurred_at,
        kind=kind,
        with_whom=with_whom.strip(),
        summary=summary.strip(),
        next_contact_on=next_contact_on,
        created_by=created_by,
    )
    contact.full_clean(exclude=["family", "created_by"])
    contact.save()
    actions = [_follow_up(family=family, contact=contact, created_by=created_by, row=row) for row in follow_ups]
    FollowUpAction.objects.bulk_create(actions)
    record_case_change(
        actor=created_by,
        family=family,
        target=contact,
        what="contact_logged",
        detail={"kind": contact.kind, "follow_ups": len(actions)},
    )
    return contact


@transaction.atomic
def follow_up_complete(*, action: FollowUpAction, completed_by: User) -> FollowUpAction:
    """Mark a follow-up action as done, once; who and when are kept."""
    action = (
        FollowUpAction.objects.select_for_update(of=("self",))
        .select_related("family", "completed_by")
        .get(pk=action.pk)
    )
    if action.completed_at is not None:
        raise ValidationError(
            _("This action was already marked as done on %(date)s by %(name)s.")
            % {
                "date": date_format(timezone.localtime(action.completed_at), "DATETIME_FORMAT"),
                "name": action.completed_by.full_name if action.completed_by else _("someone"),
            }
        )
    action.completed_at = timezone.now()
    action.completed_by = completed_by
    action.save(update_fields=["completed_at", "completed_by"])
    record_case_change(actor=completed_by, family=action.family, target=action, what="follow_up_done")
    return action
