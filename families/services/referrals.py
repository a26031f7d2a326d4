"""Consent and referrals. Consent is recorded once, for one purpose; it is never asked of
a caregiver who may be the exploiter, and while a concern is open without a mark the
officer confirms it is safe to ask. A referral carries only the parts of the case on the
allow-list (``SummaryPart``) that the consent covers, and its status changes are kept as
history; an accepted referral may start an involvement on the agency timeline."""

from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import (
    ALTERNATIVE_ROUTES,
    ROUTES_BY_A_CAREGIVER,
    Child,
    Consent,
    ConsentPurpose,
    ConsentRoute,
    Family,
    HouseholdMember,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    SummaryPart,
)
from families.selectors.concerns import open_concern
from families.services.agencies import agency_involvement_add
from families.services.audit import record_case_change
from liaison.access import trusted_members, untrusted_members
from liaison.accounts.models import User

VICTIM_REGISTRATION_AGE = 16

CONSENT_REFUSED_SUSPECTED = gettext_lazy(
    "This caregiver is marked as suspected. Their consent is never asked: record the other route instead "
    "(the other parent or caregiver with parental authority, a decision of the child protection board or the "
    "court, or proceeding without consent under the Meldcode)."
)
CONSENT_DESPITE_CONCERN = gettext_lazy(
    "There is an open concern that a caregiver in this family may be involved. Ask this caregiver's consent "
    "only when you are sure it is safe, and tick the box to confirm. Otherwise record the other route."
)
# The code of the refusal when someone else changed the referral first (answered with 409).
STALE = "stale"


def _check_consent_giver(
    *, family: Family, route: str, given_by: HouseholdMember | None, manner: str, confirm_despite_concern: bool
) -> int | None:
    """A caregiver who gives consent belongs to the family and is trusted; asking the
    first caregiver while a concern is open needs the officer's confirmation. Returns the
    open concern asked despite, for the audit trail."""
    if route not in ROUTES_BY_A_CAREGIVER:
        return None
    errors = {}
    if given_by is None or given_by.family_id != family.pk or given_by.erased_at is not None:
        raise ValidationError({"given_by": _("Choose the parent or caregiver who gave consent.")})
    if untrusted_members().filter(pk=given_by.pk).exists():
        raise ValidationError({"given_by": CONSENT_REFUSED_SUSPECTED})
    if not manner:
        errors["manner"] = _("Say how the consent was given: spoken or written.")
    concern = open_concern(family) if route == ConsentRoute.CAREGIVER else None
    if concern is not None and not confirm_despite_concern:
        errors["confirm_despite_concern"] = CONSENT_DESPITE_CONCERN
    if errors:
        raise ValidationError(errors)
    return concern.pk if concern is not None else None


def _check_route(*, route: str, reason: str, decided_by: str) -> None:
    errors = {}
    if route in ALTERNATIVE_ROUTES and not reason:
        errors["reason"] = _("Give the reason why consent was not asked of the parent or caregiver.")
    if route in (ConsentRoute.CHILD_PROTECTION_BOARD, ConsentRoute.COURT) and not decided_by:
        errors["decided_by"] = _("Name who took the decision, for example the board's worker or the court.")
    if errors:
        raise ValidationError(errors)


def _check_purpose(
    *, family: Family, purpose: str, about_member: HouseholdMember | None, child: Child | None, given_on: date
) -> None:
    if purpose == ConsentPurpose.PORTAL_INVITATION:
        if about_member is None or about_member.family_id != family.pk:
            raise ValidationError({"about_member": _("Choose the caregiver the invitation is for.")})
        if not trusted_members().filter(pk=about_member.pk).exists():
            raise ValidationError({"about_member": _("This person cannot be invited to this family's portal.")})
    if purpose == ConsentPurpose.VICTIM_REGISTRATION:
        if child is None or child.family_id != family.pk:
            raise ValidationError({"child": _("Choose the child who is registered.")})
        if child.born_on is not None and _age_on(child.born_on, given_on) >= VICTIM_REGISTRATION_AGE:
            raise ValidationError(
                {"child": _("From the age of 16 the child decides; the parents' consent is not recorded.")}
            )


def _age_on(born_on: date, day: date) -> int:
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


def _new_consent(
    *,
    family: Family,
    created_by: User,
    purpose: str,
    route: str,
    given_on: date,
    given_by: HouseholdMember | None = None,
    manner: str = "",
    decided_by: str = "",
    reason: str = "",
    parts: list[str] | None = None,
    about_member: HouseholdMember | None = None,
    child: Child | None = None,
    victim_register: str = "",
    confirm_despite_concern: bool = False,
) -> tuple[Consent, int | None]:
    reason, decided_by = reason.strip(), decided_by.strip()
    if route not in ROUTES_BY_A_CAREGIVER:
        given_by, manner = None, ""
    despite = _check_consent_giver(
        family=family, route=route, given_by=given_by, manner=manner, confirm_despite_concern=confirm_despite_concern
    )
    _check_route(route=route, reason=reason, decided_by=decided_by)
    _check_purpose(family=family, purpose=purpose, about_member=about_member, child=child, given_on=given_on)
    consent = Consent(
        family=family,
        purpose=purpose,
        route=route,
        given_by=given_by,
        manner=manner,
        decided_by=decided_by,
        reason=reason,
        given_on=given_on,
        parts=parts or [],
        about_member=about_member if purpose == ConsentPurpose.PORTAL_INVITATION else None,
        child=child if purpose == ConsentPurpose.VICTIM_REGISTRATION else None,
        victim_register=victim_register.strip() if purpose == ConsentPurpose.VICTIM_REGISTRATION else "",
        created_by=created_by,
    )
    consent.full_clean(exclude=["family", "created_by", "given_by", "about_member", "child"])
    consent.save()
    return consent, despite


def _audit_consent(consent: Consent, despite: int | None) -> None:
    record_case_change(
        actor=consent.created_by,
        family=consent.family,
        target=consent,
        what="consent_recorded",
        detail={
            "purpose": consent.purpose,
            "route": consent.route,
            "given_by": consent.given_by_id,
            "alternative_route": consent.is_alternative_route,
            "despite_open_concern": despite,
        },
    )


@transaction.atomic
def consent_record(*, family: Family, created_by: User, purpose: str, **fields) -> Consent:
    """Record consent for a portal invitation or a victim registration, or the other route
    taken where it could not be asked. Consent for a referral is recorded with the
    referral (``referral_create``)."""
    if purpose not in (ConsentPurpose.PORTAL_INVITATION, ConsentPurpose.VICTIM_REGISTRATION):
        raise ValidationError({"purpose": _("Choose what the consent is for.")})
    consent, despite = _new_consent(family=family, created_by=created_by, purpose=purpose, **fields)
    _audit_consent(consent, despite)
    return consent


def _check_parts(parts: list[str], situation: str) -> list[str]:
    chosen = [part for part in SummaryPart.values if part in parts]
    if not chosen or len(chosen) != len(set(parts)):
        raise ValidationError({"parts": _("Choose at least one part of the case to include in the summary.")})
    if SummaryPart.SITUATION in chosen and not situation:
        raise ValidationError({"situation": _("Write the family's situation, or leave that part out.")})
    return chosen


# The consent's fields as the referral names them.
REFERRAL_CONSENT_FIELDS = {
    "route": "consent_route",
    "given_by": "consent_given_by",
    "manner": "consent_manner",
    "decided_by": "consent_decided_by",
    "reason": "consent_reason",
    "given_on": "consent_on",
}


@contextmanager
def _consent_fields_named_as_on_the_referral():
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {REFERRAL_CONSENT_FIELDS.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from error


@transaction.atomic
def referral_create(
    *,
    family: Family,
    created_by: User,
    agency: str,
    question: str,
    parts: list[str],
    sent_on: date,
    consent_route: str,
    consent_on: date,
    agency_detail: str = "",
    contact_person: str = "",
    situation: str = "",
    consent_given_by: HouseholdMember | None = None,
    consent_manner: str = "",
    consent_decided_by: str = "",
    consent_reason: str = "",
    confirm_despite_concern: bool = False,
) -> Referral:
    """Refer the family to another agency with a summary of the chosen parts, on the
    consent recorded for exactly those parts (or the other route taken)."""
    situation = situation.strip()
    chosen = _check_parts(parts, situation)
    if consent_on > sent_on:
        raise ValidationError({"consent_on": _("Consent must be recorded on or before the day the referral is sent.")})
    with _consent_fields_named_as_on_the_referral():
        consent, despite = _new_consent(
            family=family,
            created_by=created_by,
            purpose=ConsentPurpose.REFERRAL_SUMMARY,
            route=consent_route,
            given_on=consent_on,
            given_by=consent_given_by,
            manner=consent_manner,
            decided_by=consent_decided_by,
            reason=consent_reason,
            parts=chosen,
            confirm_despite_concern=confirm_despite_concern,
        )
    referral = Referral(
        family=family,
        agency=agency,
        agency_detail=agency_detail.strip(),
        contact_person=contact_person.strip(),
        question=question.strip(),
        situation=situation if SummaryPart.SITUATION in chosen else "",
        parts=chosen,
        consent=consent,
        sent_on=sent_on,
        status=ReferralStatus.SENT,
        status_on=sent_on,
        created_by=created_by,
    )
    referral.full_clean(exclude=["family", "created_by", "consent", "involvement"])
    referral.save()
    ReferralStatusChange.objects.create(
        referral=referral, status=ReferralStatus.SENT, changed_on=sent_on, created_by=created_by
    )
    _audit_consent(consent, despite)
    record_case_change(
        actor=created_by,
        family=family,
        target=referral,
        what="referral_sent",
        detail={"agency": agency, "parts": chosen, "consent": consent.pk},
    )
    return referral


@transaction.atomic
def referral_status_change(
    *,
    referral: Referral,
    changed_by: User,
    status: str,
    changed_on: date,
    revision: int,
    note: str = "",
    start_involvement: bool = False,
    worker_name: str = "",
    worker_contact: str = "",
) -> Referral:
    """The agency accepted or declined the referral, or it was closed. A change made on a
    page that was read before someone else's change is refused, never overwrites it."""
    current = Referral.objects.select_for_update(of=("self",)).select_related("family").get(pk=referral.pk)
    if current.revision != revision:
        raise ValidationError(
            _("Someone else changed this referral while you were looking at it. Read its status again."), code=STALE
        )
    if status not in current.next_statuses:
        raise ValidationError(
            {
                "status": _("A referral that is %(status)s cannot get this status.")
                % {"status": current.get_status_display().lower()}
            }
        )
    if changed_on < current.status_on:
        raise ValidationError(
            {
                "changed_on": _("The date cannot be before the current status, on %(date)s.")
                % {"date": date_format(current.status_on, "DATE_FORMAT")}
            }
        )
    involvement = None
    if start_involvement:
        if status != ReferralStatus.ACCEPTED:
            raise ValidationError({"start_involvement": _("Only an accepted referral starts an agency involvement.")})
        if not worker_name.strip():
            raise ValidationError({"worker_name": _("Name the worker at the agency.")})
        involvement = agency_involvement_add(
            family=current.family,
            created_by=changed_by,
            agency=current.agency,
            agency_detail=current.agency_detail,
            worker_name=worker_name,
            worker_contact=worker_contact,
            started_on=changed_on,
        )
    change = ReferralStatusChange(
        referral=current, status=status, changed_on=changed_on, note=note.strip(), created_by=changed_by
    )
    change.full_clean(exclude=["referral", "created_by"])
    change.save()
    current.status, current.status_on, current.revision = status, changed_on, current.revision + 1
    fields = ["status", "status_on", "revision"]
    if involvement is not None:
        current.involvement = involvement
        fields.append("involvement")
    current.full_clean(exclude=["family", "created_by", "consent", "involvement"])
    current.save(update_fields=fields)
    record_case_change(
        actor=changed_by,
        family=current.family,
        target=current,
        what="referral_status_changed",
        detail={"status": status, "involvement": involvement.pk if involvement else None},
    )
    return current
