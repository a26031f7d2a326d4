"""The progress page reads the reviews, the parents' ratings and the reviews screened with
one statement built and compiled once per process, and shows each persona what the
selectors of the progress view give."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from families.models import Family, IntrafamilialScreen, ParentRating, ProgressReview
from families.selectors.progress import progress_overview
from families.services import concerns
from liaison.access import CHANGE, SUPERVISE, families_for
from tests.families.concerns_helpers import screen_answers
from tests.families.page_helpers import models_compiled, parents_rate

pytestmark = pytest.mark.django_db

# What the progress page reads besides the family's own row and the header.
PROGRESS_MODELS = {ProgressReview, ParentRating, IntrafamilialScreen}


def _fill(family, officer, *, screened: bool) -> None:
    """Three reviews (the last a correction of the second), the parents' ratings with their
    words, and, ``screened``, a screen answered for the newest review."""
    today = timezone.localdate()
    family.referral_on = today - timedelta(days=60)
    family.progress_shared_with_police = True
    family.save(update_fields=["referral_on", "progress_shared_with_police"])
    reviews = []
    for days, score, corrects in ((30, 4, None), (10, 2, None), (10, 3, -1)):
        reviews.append(
            ProgressReview.objects.create(
                family=family,
                reviewed_on=today - timedelta(days=days),
                understanding_score=score,
                understanding_evidence=f"Talked openly at {family.display_name}",
                empowerment_score=3,
                resilience_score=2,
                supersedes=reviews[corrects] if corrects else None,
                correction_reason="Typo in the score" if corrects else "",
                created_by=officer,
            )
        )
    newest = reviews[-1]
    parents_rate(family, officer, ("Earlier words", f"Our own words at {family.display_name}"))
    if screened:
        concerns.screen_record(family=family, created_by=officer, review=newest, **screen_answers())


def _progress(client, family):
    caches["fragments"].clear()  # the part made anew
    response = client.get(reverse("families:progress", args=[family.pk]))
    assert response.status_code == 200
    return response


def _shown(overview) -> dict:
    """What the page shows of an overview, comparable between two reads."""
    return {
        "reviews": [
            (
                review.pk,
                review.reviewed_on,
                review.scores(),
                review.understanding_evidence,
                review.supersedes_id,
                review.correction_reason,
                review.created_by.full_name,
            )
            for review in overview.all_reviews
        ],
        "current": [review.pk for review in overview.reviews],
        "superseded": overview.superseded_ids,
        "ratings": [(r.pk, r.rated_on, r.scores(), r.comment) for r in overview.parent_ratings],
        "positions": overview.positions,
        "circle": overview.circle,
        "declining": overview.declining,
        "due": (overview.due_on, overview.overdue),
    }


@pytest.mark.parametrize("screened", [False, True])
@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_the_progress_page_shows_each_persona_what_the_selectors_give(
    request, login, officer, family, persona, screened
):
    _fill(family, officer, screened=screened)
    user = request.getfixturevalue(persona)
    response = _progress(login(user), family)
    context = response.context
    body = response.content.decode()
    assert _shown(context["overview"]) == _shown(progress_overview(family))
    can_change = families_for(user, CHANGE).filter(pk=family.pk).exists()
    assert context["can_change"] == can_change
    assert context["can_supervise"] == families_for(user, SUPERVISE).filter(pk=family.pk).exists()
    newest = ProgressReview.objects.get(supersedes__isnull=False)
    offered = can_change and not screened
    assert context["screen_for_review"] == (newest if offered else None)
    sees_words = persona != "police"
    assert context["sees_words"] == sees_words
    assert ("Our own words at Family Jansen" in body) == sees_words
    assert "Talked openly at Family Jansen" in body
    assert officer.full_name in body


def test_police_see_no_progress_when_it_is_not_shared(login, officer, police, family):
    _fill(family, officer, screened=False)
    family.progress_shared_with_police = False
    family.save(update_fields=["progress_shared_with_police"])
    assert login(police).get(reverse("families:progress", args=[family.pk])).status_code == 404


def test_a_second_officer_s_progress_page_compiles_nothing_anew(
    login, officer, family, other_officer, other_family, monkeypatch
):
    """The reviews, the ratings, the screens and the buttons the officer may use are read
    with statements built and compiled once per process: another officer's family only
    puts its own ids in them, and shows its own."""
    _fill(family, officer, screened=True)
    _fill(other_family, other_officer, screened=False)
    compiled_models = models_compiled(monkeypatch)
    first = _progress(login(officer), family).context
    assert first["can_change"] and first["screen_for_review"] is None
    compiled_models.clear()
    second = _progress(login(other_officer), other_family)
    assert not PROGRESS_MODELS & set(compiled_models)
    assert Family not in compiled_models
    context = second.context
    assert context["can_change"] and not context["can_supervise"]
    assert _shown(context["overview"]) == _shown(progress_overview(other_family))
    assert {review.family_id for review in context["overview"].all_reviews} == {other_family.pk}
    assert context["screen_for_review"] == context["overview"].reviews[-1]
    body = second.content.decode()
    assert "Our own words at Family Bakker" in body and "Family Jansen" not in body
