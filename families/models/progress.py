"""Progress on the three dimensions of the PACE model: understanding, empowerment and
resilience, each scored 1 (the vicious pole) to 5 (the virtuous pole). The officer's
reviews and the parents' own ratings are kept side by side. Nothing is rewritten: a
correction is a new review that supersedes the old one, which stays visible."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates


class Dimension(models.TextChoices):
    UNDERSTANDING = "understanding", _("Understanding")
    EMPOWERMENT = "empowerment", _("Empowerment")
    RESILIENCE = "resilience", _("Resilience")


DIMENSIONS = [dimension.value for dimension in Dimension]
SCALE = range(1, 6)


def _score_field(label):
    return models.PositiveSmallIntegerField(label, choices=[(n, str(n)) for n in SCALE])


def _scores_in_scale(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            name=f"{prefix}_{dimension}_in_scale",
            condition=Q(**{f"{dimension}_score__gte": 1, f"{dimension}_score__lte": 5}),
        )
        for dimension in DIMENSIONS
    ]


class ProgressReview(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="progress_reviews")
    reviewed_on = dates.DateField(_("date of the review"))
    understanding_score = _score_field(_("Understanding"))
    understanding_evidence = models.TextField(_("Evidence for understanding"))
    understanding_plan = models.TextField(_("Plan to move understanding"), blank=True)
    empowerment_score = _score_field(_("Empowerment"))
    empowerment_evidence = models.TextField(_("Evidence for empowerment"))
    empowerment_plan = models.TextField(_("Plan to move empowerment"), blank=True)
    resilience_score = _score_field(_("Resilience"))
    resilience_evidence = models.TextField(_("Evidence for resilience"))
    resilience_plan = models.TextField(_("Plan to move resilience"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    correction_reason = models.CharField(_("why this corrects the earlier review"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "created_at"]
        verbose_name = _("progress review")
        verbose_name_plural = _("progress reviews")
        constraints = [
            *dates.in_range("progressreview", "reviewed_on"),
            *_scores_in_scale("review"),
            models.CheckConstraint(
                name="correction_has_a_reason",
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["family", "reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.family} {self.reviewed_on}"

    def scores(self) -> dict[str, int]:
        return {dimension: getattr(self, f"{dimension}_score") for dimension in DIMENSIONS}


class RatingSource(models.TextChoices):
    PORTAL = "portal", _("In the portal")
    VISIT = "visit", _("With the officer during a visit")


class ParentRating(models.Model):
    """The parents' own view of how they are doing, in plain words, on the same scale."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="parent_ratings")
    rated_on = dates.DateField(_("date"))
    given_by = models.CharField(_("given by"), max_length=150)
    understanding_score = _score_field(_("Understanding"))
    empowerment_score = _score_field(_("Empowerment"))
    resilience_score = _score_field(_("Resilience"))
    comment = models.TextField(_("in their own words"), blank=True)
    source = models.CharField(_("given"), max_length=10, choices=RatingSource.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["rated_on", "created_at"]
        verbose_name = _("parents' own rating")
        verbose_name_plural = _("parents' own ratings")
        constraints = [*_scores_in_scale("parent_rating"), *dates.in_range("parentrating", "rated_on")]

    def __str__(self) -> str:
        return f"{self.family} {self.rated_on}"

    def scores(self) -> dict[str, int]:
        return {dimension: getattr(self, f"{dimension}_score") for dimension in DIMENSIONS}
