"""Recording incidents and threats against the family, and missing episodes of a child:
the disappearance, the return, and the return conversation due within 72 hours."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from families.models import Child, Family, Incident, MissingEpisode
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.validators import validate_not_in_future


def check_not_in_future(when: datetime | None) -> None:
    """Events are recorded after they happen: a time in the future is a typing error."""
    validate_not_in_future(when)


def check_police_reference(reported: bool, reference: str) -> None:
    """A reference belongs to a police report: required with one, refused without."""
    if reported and not reference.strip():
        raise ValidationError(
            _("Give the police reference, or untick 'reported to police' if it was not reported."),
            code="reference_missing",
        )
    if not reported and reference.strip():
        raise ValidationError(
            _(
                "Only give a police reference when it was reported to the police: "
                "tick 'reported to police' or leave the reference empty."
            ),
            code="reference_without_report",
        )


def _collect(errors: dict, field: str, check, *args) -> None:
    try:
        check(*args)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def incident_log(
    *,
    family: Family,
    created_by: User,
    occurred_at: datetime,
    kind: str,
    description: str,
    person_of_concern: str = "",
    reported_to_police: bool = False,
    police_reference: str = "",
) -> Incident:
    """An intimidation, threat or other incident against the family, as the family told it."""
    errors: dict = {}
    _collect(errors, "occurred_at", check_not_in_future, occurred_at)
    _collect(errors, "police_reference", check_police_reference, reported_to_police, police_reference)
    reference = police_reference.strip()
    if not description.strip():
        errors.setdefault("description", []).append(_("Describe what happened."))
    _raise(errors)
    incident = Incident(
        family=family,
        created_by=created_by,
        occurred_at=occurred_at,
        kind=kind,
        description=description.strip(),
        person_of_concern=person_of_concern.strip(),
        reported_to_police=reported_to_police,
        police_reference=reference,
    )
    incident.full_clean()
    incident.save()
    record_case_change(
        actor=created_by,
        family=family,
        target=incident,
        what="incident_logged",
        detail={"kind": incident.kind, "reported_to_police": incident.reported_to_police},
    )
    return incident


def _check_return(episode: MissingEpisode, ended_at: datetime | None, where_found: str, errors: dict) -> None:
    _collect(errors, "ended_at", check_not_in_future, ended_at)
    if ended_at is not None and episode.started_at is not None and ended_at < episode.started_at:
        errors.setdefault("ended_at", []).append(_("The child cannot return before going missing."))
    if ended_at is None and where_found.strip():
        errors.setdefault("ended_at", []).append(
            _("Give the date and time the child returned, or leave 'where found' empty.")
        )


@transaction.atomic
def missing_log(
    *,
    family: Family,
    created_by: User,
    child: Child,
    started_at: datetime,
    reported_to_police: bool = False,
    police_reference: str = "",
    ended_at: datetime | None = None,
    where_found: str = "",
) -> MissingEpisode:
    """A child of the family went missing; the return may be known already."""
    if child.family_id != family.pk:
        raise ValidationError({"child": _("Choose a child of this family.")})
    # Lock the child so that two officers cannot both record an open episode.
    child = Child.objects.select_for_update().get(pk=child.pk)
    errors: dict = {}
    _collect(errors, "started_at", check_not_in_future, started_at)
    _collect(errors, "police_reference", check_police_reference, reported_to_police, police_reference)
    reference = police_reference.strip()
    episode = MissingEpisode(
        family=family,
        child=child,
        created_by=created_by,
        started_at=started_at,
        ended_at=ended_at,
        reported_to_police=reported_to_police,
        police_reference=reference,
        where_found=where_found.strip(),
    )
    _check_return(episode, ended_at, where_found, errors)
    if ended_at is None and child.missing_episodes.filter(ended_at__isnull=True).exists():
        errors.setdefault("child", []).append(
            _("This child is already recorded as missing. Record that return before a new episode.")
        )
    _raise(errors)
    episode.full_clean()
    episode.save()
    record_case_change(
        actor=created_by,
        family=family,
        target=episode,
        what="missing_logged",
        detail={"child": child.pk, "returned": ended_at is not None, "reported_to_police": reported_to_police},
    )
    return episode


@transaction.atomic
def missing_return(
    *, episode: MissingEpisode, recorded_by: User, ended_at: datetime, where_found: str = ""
) -> MissingEpisode:
    """The child is back. From now on the return conversation is due within 72 hours."""
    episode = MissingEpisode.objects.select_for_update().select_related("family").get(pk=episode.pk)
    if episode.ended_at is not None:
        raise ValidationError(_("The return of this episode is already recorded."))
    errors: dict = {}
    if ended_at is None:
        errors["ended_at"] = [_("Give the date and time the child returned.")]
    _check_return(episode, ended_at, where_found, errors)
    _raise(errors)
    episode.ended_at = ended_at
    episode.where_found = where_found.strip()
    episode.full_clean()
    episode.save(update_fields=["ended_at", "where_found"])
    record_case_change(actor=recorded_by, family=episode.family, target=episode, what="missing_returned")
    return episode


@transaction.atomic
def return_conversation_record(
    *, episode: MissingEpisode, recorded_by: User, held_at: datetime, note: str
) -> MissingEpisode:
    """The conversation with the child after the return: what happened, where they were,
    what they need. It can only follow a recorded return and is written once."""
    episode = MissingEpisode.objects.select_for_update().select_related("family").get(pk=episode.pk)
    if episode.ended_at is None:
        raise ValidationError(
            _("The child's return is not recorded yet. Record the return first: the conversation follows it.")
        )
    if episode.return_conversation_at is not None:
        raise ValidationError(_("The return conversation of this episode is already recorded."))
    errors: dict = {}
    if held_at is None:
        errors["held_at"] = [_("Give the date and time of the return conversation.")]
    _collect(errors, "held_at", check_not_in_future, held_at)
    if held_at is not None and held_at < episode.ended_at:
        errors.setdefault("held_at", []).append(_("The return conversation cannot be held before the child returned."))
    if not note.strip():
        errors["note"] = [_("Write down what was said in the return conversation.")]
    _raise(errors)
    episode.return_conversation_at = held_at
    episode.return_conversation_note = note.strip()
    episode.full_clean()
    episode.save(update_fields=["return_conversation_at", "return_conversation_note"])
    record_case_change(
        actor=recorded_by,
        family=episode.family,
        target=episode,
        what="return_conversation_recorded",
        detail={"overdue": held_at > episode.return_conversation_due_at},
    )
    return episode
