"""The family overview reads what each persona sees of the case with statements built and
compiled once per process, and shows what the selectors of each part give."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import (
    ClosureRequest,
    Family,
    FamilyConcern,
    IntrafamilialScreen,
    ParentNeed,
    ParentRating,
    ProgressReview,
)
from families.selectors import case as selectors
from families.selectors import concerns as concern_selectors
from families.selectors.needs import open_needs_of
from families.selectors.progress import parents_words, progress_summary
from families.services import closure, concerns, needs
from liaison.access import CHANGE, SUPERVISE, families_for
from tests.families.concerns_helpers import screen_answers
from tests.families.page_helpers import models_compiled, parents_rate

pytestmark = pytest.mark.django_db

# What the overview reads besides the family's own rows and the header.
OVERVIEW_MODELS = {ProgressReview, ParentRating, ClosureRequest, FamilyConcern, IntrafamilialScreen, ParentNeed}


def _fill(family, officer, supervisor) -> None:
    """Reviews, the parents' ratings, a refused request to close, a screen that raised an
    open concern, and open needs: every part of the overview has something to show."""
    today = timezone.localdate()
    for days, score in ((20, 4), (10, 3)):
        ProgressReview.objects.create(
            family=family,
            reviewed_on=today - timedelta(days=days),
            understanding_score=score,
            empowerment_score=score,
            resilience_score=2,
            created_by=officer,
        )
    parents_rate(family, officer, ("Earlier words", "Our own words"))
    asked = closure.closure_request(family=family, requested_by=officer, closing_reason="Going well")
    closure.closure_decide(closure=asked, supervisor=supervisor, approve=False, reason="Not yet: school first")
    concerns.screen_record(
        family=family,
        created_by=officer,
        note="Stepfather takes her phone",
        **screen_answers("concern", afraid_at_home="yes"),
    )
    for kind in ("debts", "housing"):
        needs.need_record(family=family, created_by=officer, kind=kind, since_on=today, next_step="Call")


def _overview(client, family):
    response = client.get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_the_overview_shows_what_each_part_s_selector_gives(request, login, officer, supervisor, family, persona):
    _fill(family, officer, supervisor)
    family.progress_shared_with_police = True
    family.save(update_fields=["progress_shared_with_police"])
    user = request.getfixturevalue(persona)
    context = _overview(login(user), family).context
    sees = context["case_sections"]
    assert context["can_change"] == families_for(user, CHANGE).filter(pk=family.pk).exists()
    assert context["can_supervise"] == families_for(user, SUPERVISE).filter(pk=family.pk).exists()
    progress = progress_summary(family) if "progress" in sees else None
    assert context["progress"] == progress
    words = "progress" in sees and "parents_words" in sees
    assert context["parents"] == (parents_words(family, latest_review=progress.latest) if words else None)
    closing = selectors.latest_closure_request(family) if context["can_change"] else None
    assert context["closure"] == closing
    if closing is not None:
        shown = context["closure"]
        assert (shown.decision, shown.decision_reason, shown.decided_at) == (
            closing.decision,
            closing.decision_reason,
            closing.decided_at,
        )
        assert shown.decided_by.full_name == supervisor.full_name
    concern = concern_selectors.open_concern(family) if "concerns" in sees else None
    assert context["open_concern"] == concern
    if concern is not None:
        assert context["open_concern"].reason == concern.reason
        assert context["open_concern"].raised_by.full_name == officer.full_name
    screen = concern_selectors.latest_screen(family) if "screen" in sees else None
    assert context["latest_screen"] == screen
    if screen is not None:
        assert context["latest_screen"].answers() == screen.answers()
        assert bool(context["latest_screen"].review) == bool(screen.review)
    assert context["open_needs"] == (list(open_needs_of(family)) if "needs" in sees else [])
    if persona == "officer":
        body = _overview(login(user), family).content.decode()
        assert "Not yet: school first" in body
        assert "Our own words" in body and "Earlier words" not in body


def test_a_second_officer_s_overview_compiles_nothing_anew(
    login, officer, supervisor, family, other_officer, other_family, monkeypatch
):
    """The parts of the overview and the buttons the officer may use are read with
    statements built and compiled once per process: another officer's family only puts
    its own ids in them, and shows its own."""
    _fill(family, officer, supervisor)
    _fill(other_family, other_officer, supervisor)
    compiled_models = models_compiled(monkeypatch)
    first = _overview(login(officer), family).context
    assert first["can_change"] and first["closure"].family_id == family.pk
    compiled_models.clear()
    second = _overview(login(other_officer), other_family).context
    assert not OVERVIEW_MODELS & set(compiled_models)
    assert Family not in compiled_models
    assert second["can_change"] and not second["can_supervise"]
    assert second["closure"].family_id == other_family.pk
    assert second["open_concern"].family_id == other_family.pk
    assert second["latest_screen"].family_id == other_family.pk
    assert {need.family_id for need in second["open_needs"]} == {other_family.pk}
    assert second["parents"].latest_rating.rating.family_id == other_family.pk
    assert second["progress"] == progress_summary(other_family)
