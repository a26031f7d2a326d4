"""Recording progress reviews, corrections and the parents' own ratings."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from families.models import DIMENSIONS, Family, ParentRating, ProgressReview
from families.progress import current_reviews
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.validators import validate_not_before_referral, validate_not_in_future


def _check_date(family: Family, on: date, field: str) -> None:
    validate_not_in_future(on, field=field)
    validate_not_before_referral(on, family.referral_on, field=field)


def _check_review(family: Family, review: ProgressReview) -> None:
    _check_date(family, review.reviewed_on, "reviewed_on")
    errors = {}
    for dimension in DIMENSIONS:
        if not getattr(review, f"{dimension}_evidence").strip():
            errors[f"{dimension}_evidence"] = _("Write down the evidence: what the parents said and did.")
    if errors:
        raise ValidationError(errors)
    reviews = current_reviews(list(family.progress_reviews.exclude(pk=review.supersedes_id)))
    if reviews and review.supersedes_id is None and review.reviewed_on < reviews[0].reviewed_on:
        raise ValidationError({"reviewed_on": _("A review cannot be dated before the intake review.")})
    review.full_clean()


@transaction.atomic
def review_record(*, family: Family, created_by: User, **fields) -> ProgressReview:
    """The first review of a family is its intake baseline."""
    review = ProgressReview(family=family, created_by=created_by, **fields)
    _check_review(family, review)
    review.save()
    record_case_change(actor=created_by, family=family, target=review, what="progress_review_recorded")
    return review


@transaction.atomic
def review_correct(*, review: ProgressReview, created_by: User, correction_reason: str, **fields) -> ProgressReview:
    """A correction is a new review that supersedes the old one; the old one stays visible."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if ProgressReview.objects.filter(supersedes=review).exists():
        raise ValidationError(_("This review was already corrected; correct the newest version."))
    if not correction_reason.strip():
        raise ValidationError({"correction_reason": _("Say what was wrong in the earlier review.")})
    correction = ProgressReview(
        family=review.family,
        created_by=created_by,
        supersedes=review,
        correction_reason=correction_reason.strip(),
        **fields,
    )
    _check_review(review.family, correction)
    correction.save()
    record_case_change(
        actor=created_by,
        family=review.family,
        target=correction,
        what="progress_review_corrected",
        detail={"corrects": review.pk},
    )
    return correction


@transaction.atomic
def parent_rating_record(*, family: Family, created_by: User, **fields) -> ParentRating:
    rating = ParentRating(family=family, created_by=created_by, **fields)
    _check_date(family, rating.rated_on, "rated_on")
    rating.full_clean()
    rating.save()
    record_case_change(
        actor=created_by, family=family, target=rating, what="parent_rating_recorded", detail={"via": rating.source}
    )
    return rating


@transaction.atomic
def progress_settings_update(
    *, family: Family, changed_by: User, review_every_weeks: int, progress_shared_with_police: bool
) -> Family:
    family.review_every_weeks = review_every_weeks
    family.progress_shared_with_police = progress_shared_with_police
    family.full_clean(exclude=["reference"])
    family.save(update_fields=["review_every_weeks", "progress_shared_with_police", "updated_at"])
    record_case_change(
        actor=changed_by,
        family=family,
        target=family,
        what="progress_settings_changed",
        detail={"every_weeks": review_every_weeks, "shared_with_police": progress_shared_with_police},
    )
    return family
