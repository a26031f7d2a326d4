"""The progress view of a family: where it stands on the three dimensions, which way it
moves, the officer's reviews beside the parents' own ratings and words, and recording them."""

from functools import partial

from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page, kept_case_page
from families.charts import ChartSeriesPoint, progress_chart_svg
from families.forms.progress import CorrectionForm, ParentRatingForm, ProgressSettingsForm, ReviewForm
from families.models import DIMENSIONS, Dimension, RatingSource
from families.progress import GAP_TO_TALK_ABOUT, LOWER_END, UPPER_END
from families.selectors.library import family_library
from families.selectors.progress import (
    RatingShown,
    parent_ratings_newest_first,
    parents_words,
    progress_page,
    progress_summary,
)
from families.services import progress as services
from liaison.access import CHANGE, SUPERVISE, VIEW, allows_each, can_see_section, get_family_or_404

RATINGS_PAGE_SIZE = 20
# The parents' own words: for the staff who work with the family, never police (liaison.access).
WORDS = "parents_words"


def progress_chart(overview, *, id_prefix: str = "progress-chart") -> str:
    return progress_chart_svg(
        [ChartSeriesPoint(review.reviewed_on, review.scores()) for review in overview.reviews],
        [ChartSeriesPoint(rating.rated_on, rating.scores()) for rating in overview.parent_ratings],
        labels={d: str(Dimension(d).label) for d in DIMENSIONS},
        title=_("Progress on the three dimensions over time"),
        description=_("Scores from 1 (vicious circle) to 5 (virtuous circle); the same numbers are in the table."),
        parent_label=_("The parents' own rating"),
        id_prefix=id_prefix,
    )


@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section="progress")

    def progress_part() -> dict:
        allowed = allows_each(request.user, family, (CHANGE, SUPERVISE))
        can_change = allowed[CHANGE]
        offer_screen = can_change and can_see_section(request.user, "screen", family)
        read = progress_page(family, screens=offer_screen)
        overview = read.overview
        newest = overview.reviews[-1] if overview.reviews else None
        unscreened = newest is not None and newest.pk not in read.screened_reviews
        return {
            "screen_for_review": newest if offer_screen and unscreened else None,
            "overview": overview,
            "sees_words": can_see_section(request.user, WORDS, family),
            "chart": progress_chart(overview),
            "can_change": can_change,
            "can_supervise": allowed[SUPERVISE],
            "rule": {"lower": LOWER_END, "upper": UPPER_END, "gap": GAP_TO_TALK_ABOUT},
        }

    return kept_case_page(
        request,
        family,
        "families:progress",
        template="families/progress/overview.html",
        part="families/progress/overview_content.html",
        make=progress_part,
    )


@require_GET
def parent_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """Every rating the parents gave with their own words, newest first, page by page."""
    family = get_family_or_404(request, pk, VIEW, section=WORDS)
    page = Paginator(parent_ratings_newest_first(family), RATINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [RatingShown(rating) for rating in page.object_list]
    context = case_context(request, family, "families:progress", page=page)
    return render(request, "families/progress/parent_ratings.html", context)


def _parents_words_beside_the_form(request: HttpRequest, family) -> dict:
    """The parents' latest rating and words, and the gaps to the latest review, above the
    review form: the officer writes the review with them in view. Beside them, for the
    understanding dimension, the articles the family received and talked through."""
    beside = {}
    if can_see_section(request.user, "library", family):
        beside["library"] = family_library(family)
    if can_see_section(request.user, WORDS, family):
        beside["parents"] = parents_words(family, latest_review=progress_summary(family).latest)
    return beside


@require_http_methods(["GET", "POST"])
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="progress")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.review_record, family=family, created_by=request.user),
        success=_("The progress review is saved. Now answer the screen for exploitation within the family."),
        redirect_to=reverse("families:progress", args=[family.pk]),
        template="families/progress/review_form.html",
        current="families:review_add",
        is_intake=not family.progress_reviews.exists(),
        **_parents_words_beside_the_form(request, family),
    )


@require_http_methods(["GET", "POST"])
def review_correct(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="progress")
    review = family.progress_reviews.filter(pk=review_pk, superseded_by__isnull=True).first()
    if review is None:
        raise Http404
    initial = model_to_dict(review, fields=ReviewForm.Meta.fields)
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.review_correct, review=review, created_by=request.user),
        success=_("The correction is saved."),
        redirect_to=reverse("families:progress", args=[family.pk]),
        template="families/progress/review_form.html",
        current="families:review_correct",
        corrected=review,
        **_parents_words_beside_the_form(request, family),
    )


@require_http_methods(["GET", "POST"])
def parent_rating_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer records the parents' own rating together with them during a visit."""
    family = get_family_or_404(request, pk, CHANGE, section="progress")
    form = ParentRatingForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.parent_rating_record, family=family, created_by=request.user, source=RatingSource.VISIT),
        success=_("The parents' own rating is saved."),
        redirect_to=reverse("families:progress", args=[family.pk]),
        template="families/progress/parent_rating_form.html",
        current="families:parent_rating_add",
    )


@require_http_methods(["GET", "POST"])
def progress_settings(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="progress")
    form = ProgressSettingsForm(request.POST if request.method == "POST" else None, instance=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.progress_settings_update, family=family, changed_by=request.user),
        success=_("The progress settings are saved."),
        redirect_to=reverse("families:progress", args=[family.pk]),
        template="families/progress/settings_form.html",
        current="families:progress_settings",
    )
