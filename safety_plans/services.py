"""Writing safety plans: versions, their parts, and the way from draft to active.

Only a draft is edited. Every change of a draft names the revision it was based on;
when someone else saved in between, the change is refused (``PlanConflict``) so that
nobody's text is silently overwritten.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family, HouseholdMember
from families.services.audit import record_case_change
from liaison.access import check_parents_reachable, trusted_members
from liaison.accounts.models import User
from safety_plans.models import (
    OPEN_STATUSES,
    PART_MODELS,
    PlanAgreement,
    PlanComment,
    PlanEndorsement,
    PlanPart,
    PlanStatus,
    PlanVersion,
    SafetyPlan,
)


class PlanConflict(Exception):
    """Someone else changed the draft since this person opened it."""


def _audit(actor: User, version: PlanVersion, what: str, **detail) -> None:
    record_case_change(
        actor=actor,
        family=version.plan.family,
        target=version,
        what=what,
        detail={"version": version.number, **detail},
    )


def _require_status(version: PlanVersion, *statuses: str, message: str) -> None:
    if version.status not in statuses:
        raise ValidationError(message)


def _claim_draft(version: PlanVersion, base_revision: int, actor: User) -> None:
    """Move the draft to its next revision, or refuse when it moved on since
    ``base_revision`` or is no longer a draft."""
    claimed = PlanVersion.objects.filter(pk=version.pk, revision=base_revision, status=PlanStatus.DRAFT).update(
        revision=F("revision") + 1, updated_by=actor, updated_at=timezone.now()
    )
    if not claimed:
        raise PlanConflict
    version.revision = base_revision + 1


def _copy_parts(source: PlanVersion, target: PlanVersion, actor: User) -> None:
    for model in PART_MODELS.values():
        parts = list(model.objects.filter(version=source, removed_at__isnull=True))
        for part in parts:
            part.pk = None
            part.id = None
            part.version = target
            part.created_by = actor
        model.objects.bulk_create(parts)


@transaction.atomic
def plan_version_start(*, family: Family, created_by: User) -> PlanVersion:
    """The first draft of a family's plan, or a new draft from the active version. The
    active version stays in force until the new one is agreed and endorsed."""
    plan, _created = SafetyPlan.objects.get_or_create(family=family, defaults={"created_by": created_by})
    plan = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.versions.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("A new version is already being worked on; continue with that one."))
    active = plan.versions.filter(status=PlanStatus.ACTIVE).first()
    number = (plan.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        based_on=active,
        review_on=active.review_on if active else None,
        created_by=created_by,
        updated_by=created_by,
    )
    if active:
        _copy_parts(active, version, created_by)
    _audit(created_by, version, "plan_version_started", based_on=active.number if active else None)
    return version


@transaction.atomic
def plan_part_save(*, version: PlanVersion, part: PlanPart, base_revision: int, actor: User) -> PlanPart:
    """Add a part to the draft or save a changed one (``part`` holds the new values)."""
    is_new = part.pk is None
    if part.version_id != version.pk:
        raise ValueError("The part belongs to another version.")
    _claim_draft(version, base_revision, actor)
    if is_new:
        part.created_by = actor
    part.full_clean(exclude=["version", "created_by"])
    part.save()
    _audit(actor, version, "plan_part_added" if is_new else "plan_part_changed", part=part._meta.model_name)
    return part


@transaction.atomic
def plan_part_remove(*, version: PlanVersion, part: PlanPart, base_revision: int, actor: User) -> None:
    """Take a part out of the draft. It is kept (earlier versions may hold it too)."""
    _claim_draft(version, base_revision, actor)
    part.removed_at = timezone.now()
    part.save(update_fields=["removed_at", "updated_at"])
    _audit(actor, version, "plan_part_removed", part=part._meta.model_name)


def _check_review_on(review_on: date | None) -> None:
    if review_on is None:
        raise ValidationError({"review_on": _("Enter the date on which the plan will be reviewed.")})
    if review_on <= timezone.localdate():
        raise ValidationError({"review_on": _("The review date must be in the future.")})


@transaction.atomic
def plan_review_date_set(*, version: PlanVersion, review_on: date, base_revision: int, actor: User) -> PlanVersion:
    _check_review_on(review_on)
    _claim_draft(version, base_revision, actor)
    version.review_on = review_on
    version.save(update_fields=["review_on", "updated_at"])
    _audit(actor, version, "plan_review_date_set")
    return version


@transaction.atomic
def plan_share(*, version: PlanVersion, base_revision: int, actor: User) -> PlanVersion:
    """Show the draft to the parents so they can read, comment and agree."""
    _require_status(version, PlanStatus.DRAFT, message=_("Only a draft can be shared with the parents."))
    _check_review_on(version.review_on)
    check_parents_reachable(version.plan.family)
    _claim_draft(version, base_revision, actor)
    version.status = PlanStatus.SHARED
    version.shared_at = timezone.now()
    version.shared_by = actor
    version.save(update_fields=["status", "shared_at", "shared_by", "updated_at"])
    _audit(actor, version, "plan_shared")
    return version


@transaction.atomic
def plan_reopen(*, version: PlanVersion, actor: User, reason: str) -> PlanVersion:
    """Take a shared or agreed version back to draft for changes. A standing agreement
    is withdrawn: the parents must agree to the changed text again."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _require_status(
        version, PlanStatus.SHARED, PlanStatus.AGREED, message=_("Only a shared or agreed version can be reopened.")
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan needs changes.")})
    version.agreements.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    PlanComment.objects.create(version=version, text=reason.strip(), created_by=actor)
    version.status = PlanStatus.DRAFT
    version.revision = F("revision") + 1
    version.updated_by = actor
    version.save(update_fields=["status", "revision", "updated_by", "updated_at"])
    version.refresh_from_db(fields=["revision"])
    _audit(actor, version, "plan_reopened")
    return version


@transaction.atomic
def plan_comment_add(*, version: PlanVersion, actor: User, text: str, by_parent: bool) -> PlanComment:
    _require_status(
        version,
        PlanStatus.SHARED,
        PlanStatus.AGREED,
        message=_("Comments can be added while the plan is shared with the parents."),
    )
    if not text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    comment = PlanComment.objects.create(version=version, text=text.strip(), by_parent=by_parent, created_by=actor)
    _audit(actor, version, "plan_comment_added", by_parent=by_parent)
    return comment


@transaction.atomic
def plan_agree(*, version: PlanVersion, agreed_by: HouseholdMember, words: str, recorded_by: User) -> PlanAgreement:
    """The parents agree to the shared version, in the portal or with the officer."""
    version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    _require_status(version, PlanStatus.SHARED, message=_("Only a plan shared with the parents can be agreed to."))
    if agreed_by.family_id != version.plan.family_id or not trusted_members().filter(pk=agreed_by.pk).exists():
        raise ValidationError({"agreed_by": _("Choose a parent or caregiver of this family.")})
    agreement = PlanAgreement.objects.create(
        version=version, agreed_by=agreed_by, agreed_at=timezone.now(), words=words.strip(), recorded_by=recorded_by
    )
    version.status = PlanStatus.AGREED
    version.save(update_fields=["status", "updated_at"])
    _audit(recorded_by, version, "plan_agreed", member=agreed_by.pk)
    return agreement


@transaction.atomic
def plan_endorse(*, version: PlanVersion, officer: User, note: str = "") -> PlanEndorsement:
    """A police partner backs the agreed version; it becomes the active plan and the
    version it replaces is kept as history."""
    version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    _require_status(version, PlanStatus.AGREED, message=_("Only a plan the parents agreed to can be endorsed."))
    now = timezone.now()
    previous = version.plan.versions.filter(status=PlanStatus.ACTIVE)
    previous_numbers = list(previous.values_list("number", flat=True))
    previous.update(status=PlanStatus.SUPERSEDED, superseded_at=now)
    endorsement = PlanEndorsement.objects.create(version=version, endorsed_by=officer, note=note.strip())
    version.status = PlanStatus.ACTIVE
    version.activated_at = now
    version.save(update_fields=["status", "activated_at", "updated_at"])
    _audit(officer, version, "plan_endorsed", replaces=previous_numbers)
    return endorsement
