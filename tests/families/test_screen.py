"""The screen for exploitation within the family: answered at intake and at every
review, with the officer's own judgement; a judgement of concern raises a concern or adds
to the open one; the latest answers are on the family page and the history on its own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import FamilyConcern, IntrafamilialScreen, ProgressReview
from families.services import concerns
from liaison.audit.models import AuditEvent
from tests.families.concerns_helpers import NOT_ALLOWED, STAFF, screen_answers, screen_data

pytestmark = pytest.mark.django_db


def add_url(family, query: str = "") -> str:
    return reverse("families:screen_add", args=[family.pk]) + query


def test_the_family_page_offers_the_intake_screen_and_then_shows_the_latest_answers(english, officer, family):
    client = english(officer)
    detail = reverse("families:detail", args=[family.pk])
    page = client.get(detail).content.decode()
    assert "The screen has not been answered yet." in page
    assert add_url(family, "?occasion=intake") in page
    response = client.post(add_url(family, "?occasion=intake"), screen_data(afraid_at_home="yes", note="Sleeps badly"))
    assert response.status_code == 302 and response.url == detail
    screen = IntrafamilialScreen.objects.get()
    assert screen.occasion == "intake" and screen.afraid_at_home == "yes" and screen.concern is None
    page = client.get(detail).content.decode()
    assert "Screen for exploitation within the family" in page
    assert "Is the child afraid at home, or unwilling to go home?" in page
    assert "Sleeps badly" in page
    assert AuditEvent.objects.filter(detail__what="screen_recorded").count() == 1


def test_a_screen_judged_a_concern_raises_one_and_the_next_adds_to_it(english, officer, family):
    client = english(officer)
    first = client.post(
        add_url(family), screen_data("concern", note="Older men visit the home", older_adults_visit="yes")
    )
    assert first.url == reverse("families:concerns", args=[family.pk])
    concern = FamilyConcern.objects.get()
    assert concern.is_open and concern.reason == "Older men visit the home"
    client.post(add_url(family), screen_data("serious", note="The child named her stepfather"))
    assert FamilyConcern.objects.count() == 1
    assert list(concern.screens.values_list("judgement", flat=True).order_by("pk")) == ["concern", "serious"]
    page = client.get(reverse("families:concerns", args=[family.pk])).content.decode()
    assert "Serious concern" in page


def test_a_screen_without_concern_raises_none(officer, family):
    concerns.screen_record(family=family, created_by=officer, **screen_answers())
    assert not FamilyConcern.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"abuse_before": ""}, "abuse_before", "Answer yes, no or not known."),
        ({"siblings_harmed": "maybe"}, "siblings_harmed", "Select a valid choice"),
        ({"judgement": ""}, "judgement", "Give your own judgement."),
        ({"judgement": "concern", "note": ""}, "note", "Say what worries you"),
        ({"screened_on": "2999-01-01"}, "screened_on", "The date cannot be in the future."),
        ({"screened_on": ""}, "screened_on", "Give the date of the screen."),
        ({"note": "Seen\x1b at night"}, "note", "invisible control character"),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(english, officer, family, change, field, message):
    response = english(officer).post(add_url(family), {**screen_data(), **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not IntrafamilialScreen.objects.exists() and not FamilyConcern.objects.exists()


def test_the_service_refuses_a_future_date_too(officer, family):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        concerns.screen_record(
            family=family,
            created_by=officer,
            **{**screen_answers(), "screened_on": timezone.localdate() + timedelta(1)},
        )
    assert not IntrafamilialScreen.objects.exists()


def test_after_a_progress_review_the_progress_page_offers_the_screen_for_it(english, officer, family):
    family.referral_on = timezone.localdate() - timedelta(days=30)
    family.save(update_fields=["referral_on"])
    client = english(officer)
    review = ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=3,
        understanding_evidence="x",
        empowerment_score=3,
        empowerment_evidence="x",
        resilience_score=3,
        resilience_evidence="x",
        created_by=officer,
    )
    progress = client.get(reverse("families:progress", args=[family.pk])).content.decode()
    link = add_url(family, f"?review={review.pk}")
    assert link in progress
    form = client.get(link).content.decode()
    assert "For the progress review of" in form
    assert client.post(link, screen_data()).status_code == 302
    screen = IntrafamilialScreen.objects.get()
    assert screen.review == review and screen.occasion == "review"
    assert link not in client.get(reverse("families:progress", args=[family.pk])).content.decode()


def test_the_saved_review_says_to_answer_the_screen(english, officer, family):
    from tests.families.test_progress import review_data

    family.referral_on = timezone.localdate() - timedelta(days=30)
    family.save(update_fields=["referral_on"])
    response = english(officer).post(reverse("families:review_add", args=[family.pk]), review_data(), follow=True)
    assert "Now answer the screen for exploitation within the family." in response.content.decode()


def test_a_review_of_another_family_is_not_taken(english, officer, family):
    from tests.factories import FamilyFactory

    other = FamilyFactory(liaison_officer=officer, team=officer.team)
    review = ProgressReview.objects.create(
        family=other,
        reviewed_on=timezone.localdate(),
        understanding_score=3,
        understanding_evidence="x",
        empowerment_score=3,
        empowerment_evidence="x",
        resilience_score=3,
        resilience_evidence="x",
        created_by=officer,
    )
    english(officer).post(add_url(family, f"?review={review.pk}"), screen_data())
    assert IntrafamilialScreen.objects.get().review is None


def test_the_history_shows_every_screen_newest_first(english, officer, family):
    family.referral_on = timezone.localdate() - timedelta(days=30)
    family.save(update_fields=["referral_on"])
    for days_ago, note in [(20, "FIRSTNOTE"), (2, "SECONDNOTE")]:
        concerns.screen_record(
            family=family,
            created_by=officer,
            note=note,
            **{**screen_answers(), "screened_on": timezone.localdate() - timedelta(days=days_ago)},
        )
    page = english(officer).get(reverse("families:screens", args=[family.pk])).content.decode()
    assert page.index("SECONDNOTE") < page.index("FIRSTNOTE")


@pytest.mark.parametrize("persona", STAFF)
def test_staff_see_the_screen(request, login, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:screens", args=[family.pk])).status_code == 200
    assert client.get(add_url(family)).status_code == 200


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_nobody_else_sees_or_answers_the_screen(request, login, family, officer, persona):
    concerns.screen_record(family=family, created_by=officer, note="SCREENNOTE", **screen_answers())
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:screens", args=[family.pk])).status_code == 404
    assert client.post(add_url(family), screen_data()).status_code == 404
    assert IntrafamilialScreen.objects.count() == 1
