"""The parents' own words beside the officer's review: the latest rating (three scores,
the words exactly as written, the date, who gave it and how) on the progress page, the
family page and the review form, with every gap flagged as something to talk about; the
earlier ratings page by page. Per persona: the family's officer and supervisor read the
words; police partners never do, not even when the family shares its progress with them;
a suspected caregiver, an outsider and another team reach nothing."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import RatingSource
from families.progress import GAP_TO_TALK_ABOUT
from families.selectors.progress import EARLIER_RATINGS_SHOWN
from families.services.progress import parent_rating_record, progress_settings_update, review_record
from families.views.progress import RATINGS_PAGE_SIZE
from liaison.access import can_see_section

pytestmark = pytest.mark.django_db

# Their own words, with what a page must neither drop nor interpret: a line break, markup,
# quotes and an ampersand.
WORDS = 'Het gaat beter.\nMaar "school" & <b>slapen</b> blijft lastig.'


@pytest.fixture
def referred(family):
    family.referral_on = timezone.localdate() - timedelta(days=200)
    family.save(update_fields=["referral_on"])
    return family


def review(family, officer, scores, *, days_ago=7):
    fields = {"reviewed_on": timezone.localdate() - timedelta(days=days_ago)}
    for dimension, score in zip(("understanding", "empowerment", "resilience"), scores, strict=True):
        fields |= {f"{dimension}_score": score, f"{dimension}_evidence": "Seen at the visit.", f"{dimension}_plan": ""}
    return review_record(family=family, created_by=officer, **fields)


def rate(family, by, scores, *, comment=WORDS, days_ago=0, source=RatingSource.PORTAL, given_by="Mia Parent"):
    return parent_rating_record(
        family=family,
        created_by=by,
        source=source,
        rated_on=timezone.localdate() - timedelta(days=days_ago),
        given_by=given_by,
        understanding_score=scores[0],
        empowerment_score=scores[1],
        resilience_score=scores[2],
        comment=comment,
    )


@pytest.fixture
def rated(referred, officer, parent):
    """The officer's review (3, 3, 2) and the parents' own rating from the portal (5, 2, 4):
    understanding and resilience two points apart, empowerment one."""
    review(referred, officer, (3, 3, 2))
    return rate(referred, parent, (5, 2, 4))


def pages(family, review_pk=None) -> dict[str, str]:
    urls = {
        "progress": reverse("families:progress", args=[family.pk]),
        "detail": reverse("families:detail", args=[family.pk]),
        "review_add": reverse("families:review_add", args=[family.pk]),
        "parent_ratings": reverse("families:parent_ratings", args=[family.pk]),
    }
    if review_pk is not None:
        urls["review_correct"] = reverse("families:review_correct", args=[family.pk, review_pk])
    return urls


def shows_the_words(body: str) -> bool:
    return html.escape(WORDS, quote=False) in body or html.escape(WORDS) in body


# Who reads the words ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_the_familys_officer_and_supervisor_read_the_words_on_every_page(request, english, rated, persona):
    client = english(request.getfixturevalue(persona))
    latest_review = rated.family.progress_reviews.get()
    for name, url in pages(rated.family, latest_review.pk).items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert shows_the_words(body), name
        assert "<b>slapen</b>" not in body, name  # shown as written, never as markup
        assert "given by Mia Parent" in body, name
        assert "in the portal" in body, name


def test_the_words_are_kept_exactly_as_written(english, officer, rated):
    response = english(officer).get(reverse("families:progress", args=[rated.family.pk]))
    assert response.context["overview"].latest_rating.rating.comment == WORDS
    body = response.content.decode()
    # One quotation, the line break in it kept (the style sheet shows it, pre-wrap).
    assert f'<blockquote class="govuk-inset-text liaison-own-words">{html.escape(WORDS)}</blockquote>' in body


def test_a_rating_recorded_at_a_visit_says_so(english, officer, referred):
    rate(referred, officer, (3, 3, 3), source=RatingSource.VISIT, given_by="Mother", comment="")
    body = english(officer).get(reverse("families:detail", args=[referred.pk])).content.decode()
    assert "given by Mother" in body and "with the officer during a visit" in body
    assert "They added no words of their own." in body


def test_police_never_read_the_words_even_when_progress_is_shared(login, english, officer, police, rated):
    family = rated.family
    progress_settings_update(family=family, changed_by=officer, review_every_weeks=6, progress_shared_with_police=True)
    client = english(police)
    response = client.get(reverse("families:progress", args=[family.pk]))
    assert response.status_code == 200  # the reviews are shared ...
    body = response.content.decode()
    assert not shows_the_words(body)  # ... the parents' words are not
    assert "slapen" not in body and "In the parents' own words" not in body and "Mia Parent" not in body
    detail = client.get(reverse("families:detail", args=[family.pk]))
    assert detail.status_code == 200 and "slapen" not in detail.content.decode()
    assert client.get(reverse("families:parent_ratings", args=[family.pk])).status_code == 404
    assert client.get(reverse("families:review_add", args=[family.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["police", "other_officer", "outsider", "parent", "suspect_caregiver"])
def test_everyone_else_gets_404_for_the_words(request, login, rated, persona):
    client = login(request.getfixturevalue(persona))
    for name, url in pages(rated.family).items():
        if persona == "police" and name == "detail":
            continue  # police read the family page of their unit, without the words (above)
        assert client.get(url).status_code == 404, (persona, name)


def test_a_suspected_caregiver_sees_nothing_of_the_family_and_its_words(login, rated, suspect_caregiver):
    client = login(suspect_caregiver)
    for url in [*pages(rated.family).values(), reverse("portal:home"), reverse("portal:rating")]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "slapen" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("officer", True), ("supervisor", True), ("police", False), ("parent", False), ("suspect_caregiver", False)],
)
def test_the_access_policy_names_who_reads_the_parents_words(request, family, persona, sees):
    family.progress_shared_with_police = True
    assert can_see_section(request.getfixturevalue(persona), "parents_words", family) is sees


# The gap to talk about --------------------------------------------------------------------


def test_every_gap_of_the_rule_or_more_is_flagged_per_dimension(english, officer, rated):
    assert GAP_TO_TALK_ABOUT == 2
    client = english(officer)
    response = client.get(reverse("families:progress", args=[rated.family.pk]))
    flagged = {p.dimension: p.gap for p in response.context["overview"].to_talk_about}
    assert flagged == {"understanding": 2, "resilience": 2}  # empowerment is one point apart
    body = response.content.decode()
    assert body.count("liaison-talk-about") == 2
    assert "To talk about: the parents see it 2 points higher" in body
    family = rated.family
    for url in (reverse("families:detail", args=[family.pk]), reverse("families:review_add", args=[family.pk])):
        page = client.get(url).content.decode()
        assert page.count("govuk-tag--yellow liaison-talk-about") == 2, url
        assert "Understanding</strong>: officer 3, parents 5" in page
        assert "Resilience</strong>: officer 2, parents 4" in page
        assert "Empowerment</strong>: officer" not in page


def test_a_lower_view_of_the_parents_is_flagged_too(english, officer, referred, parent):
    review(referred, officer, (5, 4, 4))
    rate(referred, parent, (2, 4, 4))
    body = english(officer).get(reverse("families:progress", args=[referred.pk])).content.decode()
    assert "To talk about: the parents see it 3 points lower" in body
    assert body.count("liaison-talk-about") == 1


def test_without_a_review_the_words_still_show_and_nothing_is_flagged(english, officer, referred, parent):
    rate(referred, parent, (1, 1, 1))
    client = english(officer)
    for url in (reverse("families:progress", args=[referred.pk]), reverse("families:review_add", args=[referred.pk])):
        body = client.get(url).content.decode()
        assert shows_the_words(body) and "liaison-talk-about" not in body


def test_before_any_rating_the_pages_say_so(english, officer, referred):
    review(referred, officer, (3, 3, 3))
    client = english(officer)
    for url in (reverse("families:progress", args=[referred.pk]), reverse("families:detail", args=[referred.pk])):
        assert "The parents have not rated how they are doing yet." in client.get(url).content.decode()


def test_the_flag_follows_the_correction_and_the_newest_rating(english, officer, rated, parent):
    client = english(officer)
    old = rated.family.progress_reviews.get()
    url = reverse("families:review_correct", args=[rated.family.pk, old.pk])
    data = {"reviewed_on": old.reviewed_on.isoformat(), "correction_reason": "Typed the wrong scores."}
    for dimension, score in (("understanding", 5), ("empowerment", 2), ("resilience", 4)):
        data |= {f"{dimension}_score": score, f"{dimension}_evidence": "Seen.", f"{dimension}_plan": ""}
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("families:detail", args=[rated.family.pk])).content.decode()
    assert "liaison-talk-about" not in body  # the correction agrees with the parents
    rate(rated.family, parent, (3, 2, 4), comment="Toch minder goed.")
    body = client.get(reverse("families:detail", args=[rated.family.pk])).content.decode()
    assert "Toch minder goed." in body and not shows_the_words(body)
    assert body.count("govuk-tag--yellow liaison-talk-about") == 1


# Earlier ratings --------------------------------------------------------------------------


def test_earlier_ratings_are_listed_newest_first_and_the_rest_is_a_link(english, officer, referred, parent):
    count = EARLIER_RATINGS_SHOWN + 3
    for n in range(count):
        rate(referred, parent, (3, 3, 3), comment=f"Words number {n}.", days_ago=count - n)
    client = english(officer)
    body = client.get(reverse("families:progress", args=[referred.pk])).content.decode()
    newest_first = [f"Words number {n}." for n in reversed(range(count))]
    shown = newest_first[: EARLIER_RATINGS_SHOWN + 1]  # the latest and the earlier ones listed
    positions = [body.index(words) for words in shown]
    assert positions == sorted(positions)
    assert all(words not in body for words in newest_first[EARLIER_RATINGS_SHOWN + 1 :])
    every = reverse("families:parent_ratings", args=[referred.pk])
    assert every in body
    listed = client.get(every).content.decode()
    positions = [listed.index(words) for words in newest_first]
    assert positions == sorted(positions)


def test_a_few_ratings_need_no_link(english, officer, referred, parent):
    rate(referred, parent, (3, 3, 3), comment="First.", days_ago=2)
    rate(referred, parent, (3, 3, 3), comment="Second.")
    body = english(officer).get(reverse("families:progress", args=[referred.pk])).content.decode()
    assert "First." in body and "Second." in body
    assert reverse("families:parent_ratings", args=[referred.pk]) not in body


def test_the_page_of_every_rating_is_paginated(english, officer, referred, parent):
    for n in range(RATINGS_PAGE_SIZE + 2):
        rate(referred, parent, (3, 3, 3), comment=f"Rating {n:02d}.", days_ago=RATINGS_PAGE_SIZE + 2 - n)
    client = english(officer)
    url = reverse("families:parent_ratings", args=[referred.pk])
    first = client.get(url)
    assert len(first.context["page"].object_list) == RATINGS_PAGE_SIZE
    body = first.content.decode()
    assert "Rating 00." not in body and f"Rating {RATINGS_PAGE_SIZE + 1:02d}." in body
    second = client.get(url, {"page": 2}).content.decode()
    assert "Rating 00." in second and "Rating 01." in second


def test_the_words_from_the_portal_reach_a_page_that_was_kept(english, login, officer, referred, parent):
    review(referred, officer, (3, 3, 3))
    staff = english(officer)
    detail = reverse("families:detail", args=[referred.pk])
    assert "Nieuwe woorden" not in staff.get(detail).content.decode()
    response = login(parent).post(
        reverse("portal:rating"),
        {"understanding_score": 3, "empowerment_score": 3, "resilience_score": 1, "comment": "Nieuwe woorden."},
    )
    assert response.status_code == 302
    body = staff.get(detail).content.decode()
    assert "Nieuwe woorden." in body and "liaison-talk-about" in body


# Cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["families:progress", "families:detail", "families:review_add"])
def test_the_words_cost_the_same_queries_for_few_and_many_ratings(
    login, officer, referred, parent, name, django_assert_max_num_queries
):
    review(referred, officer, (3, 3, 3), days_ago=30)
    client = login(officer)
    url = reverse(name, args=[referred.pk])

    def add(n: int) -> None:
        for i in range(n):
            rate(referred, parent, (1 + i % 5, 3, 3), comment=f"Words {i}.", days_ago=i % 20)

    add(2)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
