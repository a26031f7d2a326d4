"""Recording and reading progress reviews and the parents' own ratings, per persona."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from families.models import ParentRating, ProgressReview
from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def review_data(on=None, scores=(3, 3, 3), **extra) -> dict:
    data = {"reviewed_on": (on or timezone.localdate()).isoformat()}
    for dimension, score in zip(("understanding", "empowerment", "resilience"), scores, strict=True):
        data[f"{dimension}_score"] = score
        data[f"{dimension}_evidence"] = f"The parents said something about {dimension}."
        data[f"{dimension}_plan"] = ""
    return {**data, **extra}


@pytest.fixture
def referred_family(family):
    family.referral_on = timezone.localdate() - timedelta(days=200)
    family.save()
    return family


def record(client, family, **kwargs):
    return client.post(reverse("families:review_add", args=[family.pk]), review_data(**kwargs))


def test_officer_records_intake_and_reviews_and_sees_the_decline_flag(english, officer, referred_family):
    client = english(officer)
    today = timezone.localdate()
    for weeks_ago, scores in [(18, (3, 5, 4)), (12, (3, 4, 4)), (6, (3, 3, 4))]:
        assert record(client, referred_family, on=today - timedelta(weeks=weeks_ago), scores=scores).status_code == 302
    response = client.get(reverse("families:progress", args=[referred_family.pk]))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.declining == ["empowerment"]
    assert overview.circle == "mixed"
    body = response.content.decode()
    assert "Declining two reviews in a row" in body and "<svg" in body
    assert AuditEvent.objects.filter(detail__what="progress_review_recorded").count() == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"understanding_score": 6}, "understanding_score"),
        ({"empowerment_score": 0}, "empowerment_score"),
        ({"resilience_evidence": ""}, "resilience_evidence"),
        ({"reviewed_on": "2999-01-01"}, "reviewed_on"),
        ({"reviewed_on": "2000-01-01"}, "reviewed_on"),
    ],
)
def test_bad_reviews_get_a_clear_error_and_save_nothing(login, officer, referred_family, change, field):
    data = {**review_data(), **change}
    response = login(officer).post(reverse("families:review_add", args=[referred_family.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ProgressReview.objects.exists()


def test_a_review_cannot_predate_the_intake(login, officer, referred_family):
    client = login(officer)
    record(client, referred_family, on=timezone.localdate() - timedelta(days=10))
    response = record(client, referred_family, on=timezone.localdate() - timedelta(days=20))
    assert response.status_code == 400
    assert ProgressReview.objects.count() == 1


def test_the_database_refuses_a_score_outside_the_scale(officer, referred_family):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReview.objects.create(
            family=referred_family,
            reviewed_on=timezone.localdate(),
            understanding_score=7,
            empowerment_score=3,
            resilience_score=3,
            created_by=officer,
        )


def test_a_correction_keeps_the_old_review_visible(login, officer, referred_family):
    client = login(officer)
    record(client, referred_family, scores=(2, 2, 2))
    original = ProgressReview.objects.get()
    url = reverse("families:review_correct", args=[referred_family.pk, original.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, review_data(scores=(4, 4, 4))).status_code == 400  # a reason is needed
    response = client.post(url, review_data(scores=(4, 4, 4), correction_reason="Scores were swapped."))
    assert response.status_code == 302
    assert ProgressReview.objects.count() == 2
    original.refresh_from_db()
    assert original.understanding_score == 2
    overview = client.get(reverse("families:progress", args=[referred_family.pk])).context["overview"]
    assert [r.understanding_score for r in overview.reviews] == [4]
    assert len(overview.all_reviews) == 2
    assert client.get(url).status_code == 404  # the corrected version is no longer the one to correct


def test_parents_rating_recorded_at_a_visit_appears_beside_the_review(login, officer, referred_family):
    client = login(officer)
    record(client, referred_family, scores=(2, 3, 3))
    data = {
        "rated_on": timezone.localdate().isoformat(),
        "given_by": "Mother",
        "understanding_score": 4,
        "empowerment_score": 3,
        "resilience_score": 3,
    }
    assert client.post(reverse("families:parent_rating_add", args=[referred_family.pk]), data).status_code == 302
    assert ParentRating.objects.get().source == "visit"
    positions = client.get(reverse("families:progress", args=[referred_family.pk])).context["overview"].positions
    understanding = next(p for p in positions if p.dimension == "understanding")
    assert understanding.parent_score == 4 and understanding.talk_about


def test_parent_rates_in_the_portal(login, parent, family):
    client = login(parent)
    assert client.get(reverse("portal:rating")).status_code == 200
    data = {"understanding_score": 2, "empowerment_score": 2, "resilience_score": 1, "comment": "Hard weeks."}
    assert client.post(reverse("portal:rating"), data).status_code == 302
    rating = ParentRating.objects.get()
    assert (rating.source, rating.given_by, rating.family) == ("portal", parent.full_name, family)


def test_parent_rating_needs_every_answer(login, parent, family):
    response = login(parent).post(reverse("portal:rating"), {"understanding_score": 2})
    assert response.status_code == 400 and not ParentRating.objects.exists()


@pytest.mark.parametrize("persona", ["suspect_caregiver", "officer", "police"])
def test_the_portal_rating_is_only_for_the_familys_parents(request, login, family, persona):
    assert login(request.getfixturevalue(persona)).get(reverse("portal:rating")).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_of_the_family_see_progress(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("families:progress", args=[family.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_others_never_see_progress(request, login, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("families:progress", args=[family.pk])).status_code == 404
    assert client.post(reverse("families:review_add", args=[family.pk]), review_data()).status_code == 404
    assert not ProgressReview.objects.exists()


def test_police_see_progress_only_when_the_family_shares_it(login, officer, police, family):
    url = reverse("families:progress", args=[family.pk])
    assert login(police).get(url).status_code == 404
    response = login(officer).post(
        reverse("families:progress_settings", args=[family.pk]),
        {"review_every_weeks": 4, "progress_shared_with_police": "on"},
    )
    assert response.status_code == 302
    assert login(police).get(url).status_code == 200
    assert login(police).post(reverse("families:review_add", args=[family.pk]), review_data()).status_code == 404


def test_cadence_must_be_sensible(login, officer, family):
    response = login(officer).post(reverse("families:progress_settings", args=[family.pk]), {"review_every_weeks": 0})
    assert response.status_code == 400


def test_progress_view_refuses_post(login, officer, family):
    assert login(officer).post(reverse("families:progress", args=[family.pk])).status_code == 405


PROGRESS_QUERIES = 7


def test_progress_view_costs_the_same_queries_with_many_reviews(
    login, officer, referred_family, django_assert_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            ProgressReview.objects.create(
                family=referred_family,
                reviewed_on=referred_family.referral_on + timedelta(days=i + 1),
                understanding_score=1 + i % 5,
                understanding_evidence="e",
                empowerment_score=3,
                empowerment_evidence="e",
                resilience_score=3,
                resilience_evidence="e",
                created_by=officer,
            )

    client = login(officer)
    add(2)
    client.get(reverse("families:progress", args=[referred_family.pk]))  # the first request of a session
    caches["fragments"].clear()
    # The frame of the case page, whether the officer may change or supervise the case
    # (one question), and the reviews, the parents' ratings and the reviews screened (one
    # statement).
    with django_assert_num_queries(PROGRESS_QUERIES):
        client.get(reverse("families:progress", args=[referred_family.pk]))
    add(40)
    caches["fragments"].clear()  # the page made anew, not the part kept from the first request
    with django_assert_num_queries(PROGRESS_QUERIES):
        client.get(reverse("families:progress", args=[referred_family.pk]))


def test_caseload_shows_circle_and_overdue_review(login, officer, referred_family):
    response = login(officer).get(reverse("families:caseload"))
    row = response.context["page"].object_list[0]
    assert row.circle == "not_assessed" and row.review_overdue
