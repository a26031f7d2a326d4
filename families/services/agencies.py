"""Writing the agency timeline: a new involvement, a change of worker at an agency (the
old worker ends and the new one starts on the same day), and the end of an involvement.
Each write is one transaction with its audit event."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from families.models import AgencyInvolvement, Family
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.validators import validate_not_in_future


def _not_in_the_future(field: str, day: date) -> None:
    validate_not_in_future(day, field=field)


def _refuse_if_ended(involvement: AgencyInvolvement) -> None:
    if involvement.ended_on is not None:
        raise ValidationError(
            _("This involvement already ended on %(date)s.")
            % {"date": date_format(involvement.ended_on, "DATE_FORMAT")}
        )


def _not_before_start(field: str, day: date, involvement: AgencyInvolvement) -> None:
    if day < involvement.started_on:
        raise ValidationError(
            {
                field: _("The date cannot be before this worker started on %(date)s.")
                % {"date": date_format(involvement.started_on, "DATE_FORMAT")}
            }
        )


@transaction.atomic
def agency_involvement_add(
    *,
    family: Family,
    created_by: User,
    agency: str,
    worker_name: str,
    started_on: date,
    agency_detail: str = "",
    worker_contact: str = "",
    ended_on: date | None = None,
) -> AgencyInvolvement:
    """Record an agency that works with the family and its named worker."""
    _not_in_the_future("started_on", started_on)
    if ended_on is not None:
        _not_in_the_future("ended_on", ended_on)
        if ended_on < started_on:
            raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
    involvement = AgencyInvolvement(
        family=family,
        agency=agency,
        agency_detail=agency_detail.strip(),
        worker_name=worker_name.strip(),
        worker_contact=worker_contact.strip(),
        started_on=started_on,
        ended_on=ended_on,
        created_by=created_by,
    )
    involvement.full_clean(exclude=["family", "created_by"])
    involvement.save()
    record_case_change(
        actor=created_by, family=family, target=involvement, what="agency_involvement_added", detail={"agency": agency}
    )
    return involvement


@transaction.atomic
def agency_worker_change(
    *,
    involvement: AgencyInvolvement,
    changed_by: User,
    changed_on: date,
    worker_name: str,
    worker_contact: str = "",
    agency_detail: str | None = None,
) -> AgencyInvolvement:
    """The agency gave the family another worker: the current worker ends on the day
    the new one starts, in one step, so the timeline has no gap and no overlap."""
    current = AgencyInvolvement.objects.select_for_update(of=("self",)).select_related("family").get(pk=involvement.pk)
    _refuse_if_ended(current)
    _not_in_the_future("changed_on", changed_on)
    _not_before_start("changed_on", changed_on, current)
    worker_name = worker_name.strip()
    if worker_name.casefold() == current.worker_name.strip().casefold():
        raise ValidationError({"worker_name": _("The new worker has the same name as the current worker.")})
    current.ended_on = changed_on
    current.full_clean(exclude=["family", "created_by"])
    current.save(update_fields=["ended_on"])
    successor = AgencyInvolvement(
        family=current.family,
        agency=current.agency,
        agency_detail=(current.agency_detail if agency_detail is None else agency_detail).strip(),
        worker_name=worker_name,
        worker_contact=worker_contact.strip(),
        started_on=changed_on,
        created_by=changed_by,
    )
    successor.full_clean(exclude=["family", "created_by"])
    successor.save()
    record_case_change(
        actor=changed_by,
        family=current.family,
        target=successor,
        what="agency_worker_changed",
        detail={"agency": current.agency, "previous": current.pk},
    )
    return successor


@transaction.atomic
def agency_involvement_end(*, involvement: AgencyInvolvement, ended_by: User, ended_on: date) -> AgencyInvolvement:
    """The agency (or this worker) no longer works with the family."""
    involvement = (
        AgencyInvolvement.objects.select_for_update(of=("self",)).select_related("family").get(pk=involvement.pk)
    )
    _refuse_if_ended(involvement)
    _not_in_the_future("ended_on", ended_on)
    _not_before_start("ended_on", ended_on, involvement)
    involvement.ended_on = ended_on
    involvement.save(update_fields=["ended_on"])
    record_case_change(
        actor=ended_by,
        family=involvement.family,
        target=involvement,
        what="agency_involvement_ended",
        detail={"agency": involvement.agency},
    )
    return involvement
