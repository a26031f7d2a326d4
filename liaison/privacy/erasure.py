"""Erasing a person: one administrator records the request, a second one decides it. On
approval the person's identifying details are removed at once, everywhere the system
holds them; the rest of the case stays, without them. The same anonymisation serves
retention (``liaison.privacy.retention``).

What an erasure does
- A parent or caregiver: name, phone numbers, e-mail, safe-contact details and language
  are removed, and their portal account is closed and stripped of name and e-mail (unless
  it still serves another family). The messages they wrote in the portal are deleted.
  What they shared with the police stays, without their name: the police hold it under
  their own legal duty (GDPR art. 17(3)(b) and (e)).
- A child: name, date of birth and school are removed, and the prepared missing-person
  descriptions and photos of the child in every version of the safety plan.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from families.models import Child, HouseholdMember, PortalMessage
from families.selectors.household import person_records
from liaison.accounts.models import Invitation, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.privacy.models import ErasureRequest, ErasureStatus
from liaison.uploads import private_storage
from safety_plans.models import MissingProfile

# What stands where a removed name (or other required text) was.
ERASED_NAME = "—"
GROUNDS_MIN_LENGTH = 20
DECISION_NOTE_MIN_LENGTH = 10
# Everything of a missing-person profile that describes the child.
MISSING_PROFILE_DESCRIPTION = (
    "description",
    "height",
    "build",
    "hair",
    "marks",
    "clothing",
    "phones",
    "social_media",
    "friends",
    "places",
    "habits",
    "medical_needs",
)


def delete_files_after_commit(names: list[str]) -> None:
    """Remove private files once the deletion that orphaned them has committed."""
    if not names:
        return

    def remove() -> None:
        storage = private_storage()
        for name in set(names):
            storage.delete(name)

    transaction.on_commit(remove)


def _close_account(user: User, member: HouseholdMember) -> None:
    """The portal account goes with the person, unless it still serves another family."""
    serves_another = HouseholdMember.objects.filter(user=user, erased_at__isnull=True).exclude(pk=member.pk).exists()
    Invitation.objects.filter(family=member.family, accepted_user=user).delete()
    if serves_another:
        return
    user.end_all_sessions()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def anonymise_member(member: HouseholdMember) -> None:
    """Remove everything that names or reaches a parent or caregiver."""
    if member.user_id:
        PortalMessage.objects.filter(family=member.family, created_by_id=member.user_id, from_parent=True).delete()
        _close_account(member.user, member)
    Invitation.objects.filter(family=member.family, email__iexact=member.email, accepted_at__isnull=True).exclude(
        email=""
    ).delete()
    member.full_name = ERASED_NAME
    member.phone = member.email = member.safe_times = member.safe_channel = ""
    member.never_call_number = member.language = ""
    member.needs_interpreter = False
    member.user = None
    member.erased_at = timezone.now()
    member.save()


def anonymise_child(child: Child) -> None:
    """Remove everything that names or describes a child."""
    profiles = MissingProfile.objects.filter(child=child)
    photos = [name for name in profiles.values_list("photo", flat=True) if name]
    profiles.update(photo="", **dict.fromkeys(MISSING_PROFILE_DESCRIPTION, ""))
    delete_files_after_commit(photos)
    child.full_name = ERASED_NAME
    child.born_on = None
    child.school = ""
    child.erased_at = timezone.now()
    child.save()


# The workflow.
@transaction.atomic
def erasure_request_create(
    *,
    requested_by: User,
    asked_by: str,
    grounds: str,
    member: HouseholdMember | None = None,
    child: Child | None = None,
) -> ErasureRequest:
    """Record a request. Nothing is erased until a second administrator approves it."""
    errors = {}
    if not asked_by.strip():
        errors["asked_by"] = _("Say who asked: the person themselves, a parent for a child, a lawyer…")
    if len(grounds.strip()) < GROUNDS_MIN_LENGTH:
        errors["grounds"] = _("Describe the request and its grounds in at least %(count)d characters.") % {
            "count": GROUNDS_MIN_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    subject = member or child
    if subject.erased_at is not None:
        raise ValidationError(_("This person has already been erased."))
    same_subject = Q(member__in=person_records(member).values("pk")) if member else Q(child=child)
    pending = ErasureRequest.objects.filter(same_subject, status=ErasureStatus.PENDING)
    if pending.exists():
        raise ValidationError(_("A request to erase this person is already waiting for a decision."))
    request = ErasureRequest.objects.create(
        member=member, child=child, asked_by=asked_by.strip(), grounds=grounds.strip(), requested_by=requested_by
    )
    _audit(request, AuditAction.ERASURE_REQUESTED, requested_by, {})
    return request


def _check_decision(request: ErasureRequest, decided_by: User, note: str, *, note_required: bool) -> None:
    if not request.is_pending:
        raise ValidationError(_("This request has already been decided."))
    if decided_by.pk == request.requested_by_id:
        raise ValidationError(_("A second administrator must decide: you recorded this request yourself."))
    if note_required and len(note.strip()) < DECISION_NOTE_MIN_LENGTH:
        raise ValidationError(
            {"note": _("Give the reason in at least %(count)d characters.") % {"count": DECISION_NOTE_MIN_LENGTH}}
        )


def _locked(request: ErasureRequest) -> ErasureRequest:
    return ErasureRequest.objects.select_for_update(of=("self",)).select_related("member", "child").get(pk=request.pk)


@transaction.atomic
def erasure_request_approve(*, request: ErasureRequest, decided_by: User, note: str = "") -> ErasureRequest:
    """A second administrator approves: the person is erased now."""
    request = _locked(request)
    _check_decision(request, decided_by, note, note_required=False)
    erased = {}
    if request.member is not None:
        # The person, once: every record of theirs in every family (see ``person_records``).
        records = list(person_records(request.member).select_related("family", "user"))
        for record in records:
            anonymise_member(record)
        erased = {"records": [record.pk for record in records]}
    else:
        anonymise_child(request.child)
    _decide(request, decided_by, ErasureStatus.CARRIED_OUT, note)
    _audit(request, AuditAction.PERSON_ERASED, decided_by, erased)
    return request


@transaction.atomic
def erasure_request_refuse(*, request: ErasureRequest, decided_by: User, note: str) -> ErasureRequest:
    """A second administrator refuses, with the reason (for example a legal duty to keep)."""
    request = _locked(request)
    _check_decision(request, decided_by, note, note_required=True)
    _decide(request, decided_by, ErasureStatus.REFUSED, note)
    return request


def _decide(request: ErasureRequest, decided_by: User, status: str, note: str) -> None:
    request.status = status
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _audit(request, AuditAction.ERASURE_DECIDED, decided_by, {"decision": status})


def _audit(request: ErasureRequest, action: str, actor: User, detail: dict) -> None:
    subject = request.subject
    audit_record(
        action=action,
        actor=actor,
        target=request,
        family_id=subject.family_id,
        detail={"subject": subject._meta.model_name, "subject_id": subject.pk, **detail},
    )
