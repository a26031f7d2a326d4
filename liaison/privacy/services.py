"""The writes of privacy work: retention periods (with before and after) and carrying
retention out, erasure requests and their decisions, and the record of every subject
access export and search in the audit trail."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Child, Family, HouseholdMember
from families.selectors.household import person_records
from liaison.accounts.models import User
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record
from liaison.privacy.erasure import DECISION_NOTE_MIN_LENGTH, GROUNDS_MIN_LENGTH, anonymise_child, anonymise_member
from liaison.privacy.models import ErasureRequest, ErasureStatus, RetentionApplied, RetentionPeriod
from liaison.privacy.retention import RULES, KindDue, KindRule, count_records, retention_due, retention_periods
from liaison.privacy.subject_access.export import SubjectAccessExport


@transaction.atomic
def retention_periods_update(*, changed_by: User, years: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Save the periods that changed; returns them as kind: (before, after)."""
    before = retention_periods()
    changed = {kind: (before[kind], value) for kind, value in years.items() if before[kind] != value}
    for kind, (_old, value) in changed.items():
        RetentionPeriod.objects.update_or_create(record_kind=kind, defaults={"years": value, "changed_by": changed_by})
    if changed:
        audit_record(
            action=AuditAction.RETENTION_CHANGED,
            actor=changed_by,
            detail={"changed": {kind: {"before": old, "after": new} for kind, (old, new) in changed.items()}},
        )
    return changed


def subject_access_export_record(*, actor: User, export: SubjectAccessExport, file_format: str) -> AuditEvent:
    """Every export lands in the audit trail: who took which person's data, in which form."""
    return audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=actor,
        target=export.subject.record,
        family_id=export.subject.family.pk,
        detail={"what": "subject_access_export", "subject": export.subject.token, "format": file_format},
    )


def subject_search_record(*, actor: User, found: int) -> AuditEvent:
    """A search shows names and family references to an administrator: it is logged,
    with how many people it found but not the words searched for (they are names)."""
    return audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=actor,
        detail={"what": "subject_access_search", "found": found},
    )


# Erasure requests (GDPR art. 17): recorded by one administrator, decided by another.


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
    _audit_erasure(request, AuditAction.ERASURE_REQUESTED, requested_by, {})
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
    _audit_erasure(request, AuditAction.PERSON_ERASED, decided_by, erased)
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
    _audit_erasure(request, AuditAction.ERASURE_DECIDED, decided_by, {"decision": status})


def _audit_erasure(request: ErasureRequest, action: str, actor: User, detail: dict) -> None:
    subject = request.subject
    audit_record(
        action=action,
        actor=actor,
        target=request,
        family_id=subject.family_id,
        detail={"subject": subject._meta.model_name, "subject_id": subject.pk, **detail},
    )


# Retention: what is due is carried out family by family, each in the audit trail.


@transaction.atomic
def retention_apply(*, actor=None, today: date | None = None) -> list[KindDue]:
    """Carry out what ``retention_due`` shows, family by family, each in the audit trail."""
    due = retention_due(today)
    for entry in due:
        rule = RULES[entry.kind]
        for family_pk in entry.families:
            _apply_to_family(rule, entry, family_pk, actor)
    return due


def _apply_to_family(rule: KindRule, entry: KindDue, family_pk: int, actor) -> None:
    family = Family.objects.select_for_update().get(pk=family_pk)
    querysets = rule.records(Family.objects.filter(pk=family_pk))
    records = count_records(querysets)
    rule.apply(querysets)
    RetentionApplied.objects.create(family=family, record_kind=entry.kind, records=records)
    audit_record(
        action=AuditAction.RETENTION_APPLIED,
        actor=actor,
        target=family,
        family=family,
        detail={"record_kind": entry.kind, "action": rule.action, "records": records, "years": entry.years},
    )
