"""Information parents share with their officer and the police, and the police's answer
to it: received, acted on, or nothing possible, with feedback the parents read. Nothing
a parent shared disappears without a status."""

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family, PoliceAnswer, SharedInformation, SharedStatus
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.notifications import notify_officer, notify_parents
from liaison.uploads import clean_attachment
from liaison.validators import validate_length, validate_not_in_future

MAX_TEXT_LENGTH = 5000
MAX_PLACE_LENGTH = 200
MAX_FEEDBACK_LENGTH = 1000
# What the police may answer; "sent" is only ever the starting point.
ANSWERS = (SharedStatus.RECEIVED, SharedStatus.ACTED_ON, SharedStatus.NO_ACTION)


def _check_length(value: str, limit: int) -> None:
    validate_length(value.strip(), limit)


def check_shared_text(text: str) -> None:
    """The parents' own words: something, and not more than a person can read through."""
    if not text.strip():
        raise ValidationError(_("Write what you saw or found."), code="required")
    _check_length(text, MAX_TEXT_LENGTH)


def check_place(place: str) -> None:
    _check_length(place, MAX_PLACE_LENGTH)


def check_feedback(feedback: str) -> None:
    _check_length(feedback, MAX_FEEDBACK_LENGTH)


def check_not_in_future(day: date | None) -> None:
    """Parents share what already happened: a day in the future is a typing error."""
    validate_not_in_future(day)


def _collect(errors: dict, field: str, check, value) -> None:
    try:
        check(value)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)


@transaction.atomic
def shared_information_record(
    *,
    family: Family,
    shared_by: User,
    text: str,
    happened_on: date | None = None,
    happened_where: str = "",
    attachment=None,
    child_must_not_know: bool = False,
) -> SharedInformation:
    """What a parent saw or found, as they wrote it, with an optional photo, screenshot
    or PDF. It goes to the family's officer and the police partners of its unit."""
    errors: dict[str, list] = {}
    text, happened_where = text.strip(), happened_where.strip()
    if not family.is_open:
        errors.setdefault("__all__", []).append(
            _("This case is closed. Call or e-mail your liaison officer or the police instead.")
        )
    _collect(errors, "text", check_shared_text, text)
    _collect(errors, "happened_on", check_not_in_future, happened_on)
    _collect(errors, "happened_where", check_place, happened_where)
    cleaned = None
    if attachment:
        try:
            cleaned = clean_attachment(attachment)
        except ValidationError as error:
            errors.setdefault("attachment", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    item = SharedInformation(
        family=family,
        created_by=shared_by,
        text=text,
        happened_on=happened_on,
        happened_where=happened_where,
        child_must_not_know=child_must_not_know,
    )
    if cleaned is not None:
        item.attachment = cleaned.file
        item.attachment_type = cleaned.content_type
    item.save()
    record_case_change(
        actor=shared_by,
        family=family,
        target=item,
        what="information_shared",
        detail={"attachment": item.attachment_type, "child_must_not_know": child_must_not_know},
    )
    transaction.on_commit(partial(notify_officer, family))
    return item


@transaction.atomic
def shared_information_acknowledge(
    *, item: SharedInformation, officer: User, status: str, feedback: str = ""
) -> SharedInformation:
    """A police partner confirms receipt and says what became of it. The first answer
    names who received it and when; later answers may change the status and feedback."""
    feedback = feedback.strip()
    errors: dict[str, list] = {}
    if status not in ANSWERS:
        errors.setdefault("status", []).append(_("Choose what became of the information."))
    _collect(errors, "feedback", check_feedback, feedback)
    if errors:
        raise ValidationError(errors)
    family = item.family
    # Lock the row so that two partners answering at once keep one first acknowledgement.
    item = SharedInformation.objects.select_for_update().get(pk=item.pk)
    now = timezone.now()
    first = item.acknowledged_at is None
    if first:
        item.acknowledged_at, item.acknowledged_by = now, officer
    status_changed = item.status != status
    news_for_parents = status_changed or item.police_feedback != feedback
    if status_changed:
        item.status, item.status_changed_at = status, now
    item.police_feedback = feedback
    item.save(update_fields=["status", "status_changed_at", "police_feedback", "acknowledged_at", "acknowledged_by"])
    if first or news_for_parents:
        # Kept as given: during protective mode the parents read the answer of its start.
        PoliceAnswer.objects.create(item=item, status=status, feedback=feedback, answered_at=now, answered_by=officer)
    record_case_change(
        actor=officer,
        family=family,
        target=item,
        what="shared_information_acknowledged",
        detail={"status": status, "first": first, "status_changed": status_changed},
    )
    if news_for_parents:
        transaction.on_commit(partial(notify_parents, family))
    return item
