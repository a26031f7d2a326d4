"""The parents' own needs: recording a need and changing it. Every save is a new
version, kept; a change names the revision it started from and is refused when someone
else saved in between (``NeedConflict``), so nobody's change is silently overwritten.
The audit names what happened, never the text."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Agency, Family, NeedKind, NeedStatus, NeedVersion, ParentNeed
from families.models.needs import NEED_FIELDS, OPEN_STATUSES
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.validators import NOT_IN_FUTURE, is_in_future

NEXT_ON_IN_PAST = _("The date of the next step cannot be in the past.")
NEXT_ON_BEFORE_SINCE = _("The date of the next step cannot be before the need began.")


class NeedConflict(Exception):
    """Someone else saved the need after the revision the change started from."""


def _checked(*, values: dict, earlier: ParentNeed | None = None) -> dict:
    """The values of a need, cleaned, or a ValidationError naming every field that is wrong.
    A next date that is unchanged may have passed (the officer may close an overdue need);
    a new one may not. A need that is met or no longer needed has no next step."""
    errors: dict = {}
    if values.get("kind") not in NeedKind.values:
        errors["kind"] = [_("Choose the kind of need.")]
    if values.get("status") not in NeedStatus.values:
        errors["status"] = [_("Choose the status of the need.")]
    if values.get("agency") and values["agency"] not in Agency.values:
        errors["agency"] = [_("Choose an agency from the list.")]
    for name in ("agency", "helper", "next_step", "note"):
        values[name] = (values.get(name) or "").strip()
    if values["kind"] == NeedKind.OTHER and not values["note"]:
        errors["note"] = [_("Say what the need is.")]
    since_on = values.get("since_on")
    if since_on is None:
        errors["since_on"] = [_("Give the date since when the need is known.")]
    elif is_in_future(since_on):
        errors["since_on"] = [NOT_IN_FUTURE]
    if values.get("status") not in OPEN_STATUSES:
        values["next_step"], values["next_on"] = "", None
    next_on = values.get("next_on")
    if next_on is not None:
        unchanged = earlier is not None and earlier.next_on == next_on
        if next_on < timezone.localdate() and not unchanged:
            errors["next_on"] = [NEXT_ON_IN_PAST]
        elif since_on is not None and next_on < since_on:
            errors["next_on"] = [NEXT_ON_BEFORE_SINCE]
        if not values["next_step"]:
            errors["next_step"] = [_("Say what the next step is on that date.")]
    if errors:
        raise ValidationError(errors)
    return {name: values.get(name) for name in NEED_FIELDS}


def _keep_version(need: ParentNeed, actor: User) -> NeedVersion:
    version = NeedVersion(
        need=need, revision=need.revision, created_by=actor, **{name: getattr(need, name) for name in NEED_FIELDS}
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def need_record(
    *,
    family: Family,
    created_by: User,
    kind: str,
    since_on: date | None,
    status: str = NeedStatus.OPEN,
    agency: str = "",
    helper: str = "",
    next_step: str = "",
    next_on: date | None = None,
    note: str = "",
) -> ParentNeed:
    """A need of the parents the officer noticed, with who helps and the next step."""
    values = _checked(
        values={
            "kind": kind,
            "status": status,
            "agency": agency,
            "helper": helper,
            "since_on": since_on,
            "next_step": next_step,
            "next_on": next_on,
            "note": note,
        },
    )
    need = ParentNeed(family=family, created_by=created_by, updated_by=created_by, **values)
    need.full_clean()
    need.save()
    _keep_version(need, created_by)
    record_case_change(
        actor=created_by, family=family, target=need, what="need_recorded", detail={"kind": kind, "status": status}
    )
    return need


@transaction.atomic
def need_change(
    *,
    need: ParentNeed,
    changed_by: User,
    base_revision: int,
    kind: str,
    since_on: date | None,
    status: str,
    agency: str = "",
    helper: str = "",
    next_step: str = "",
    next_on: date | None = None,
    note: str = "",
) -> ParentNeed:
    """A change of a need: a new version, kept beside the earlier ones. Refused with
    ``NeedConflict`` when someone else saved since ``base_revision``."""
    current = ParentNeed.objects.select_related("family").get(pk=need.pk)
    values = _checked(
        earlier=current,
        values={
            "kind": kind,
            "status": status,
            "agency": agency,
            "helper": helper,
            "since_on": since_on,
            "next_step": next_step,
            "next_on": next_on,
            "note": note,
        },
    )
    before = {name: getattr(current, name) for name in NEED_FIELDS}
    claimed = ParentNeed.objects.filter(pk=need.pk, revision=base_revision).update(
        revision=F("revision") + 1, updated_by=changed_by, updated_at=timezone.now(), **values
    )
    if not claimed:
        raise NeedConflict
    need = ParentNeed.objects.select_related("family").get(pk=need.pk)
    _keep_version(need, changed_by)
    changed = sorted(name for name in NEED_FIELDS if before[name] != values[name])
    record_case_change(
        actor=changed_by,
        family=need.family,
        target=need,
        what="need_changed",
        detail={"revision": need.revision, "fields": changed, "status": need.status},
    )
    return need
