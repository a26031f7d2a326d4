"""A family's progress in a real browser: the officer records the intake review and two
follow-ups in which resilience falls, the progress page warns about the decline and draws
it, and the parents' own rating from the portal lands beside it with the gap to talk about."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from families.models import DIMENSIONS, ParentRating, ProgressReview, RatingSource
from tests.e2e.conftest import assert_no_violations, submit_main_form

# (days ago, scores): the intake and two follow-ups; resilience falls 4 → 3 → 2.
REVIEWS = [
    (63, {"understanding": 2, "empowerment": 3, "resilience": 4}),
    (35, {"understanding": 3, "empowerment": 3, "resilience": 3}),
    (7, {"understanding": 3, "empowerment": 4, "resilience": 2}),
]
# The parents see their resilience two points higher than the officer does.
PARENTS_OWN = {"understanding": 3, "empowerment": 4, "resilience": 4}
NOT_GIVEN = "\N{EN DASH}"  # the table's mark for a rating the parents have not given yet
DUTCH_NAMES = {"understanding": "Begrip", "empowerment": "Zeggenschap", "resilience": "Veerkracht"}


def short_date(on: date) -> str:
    with translation.override("nl"):
        return date_format(on, "SHORT_DATE_FORMAT")


def choose_scores(page: Page, scores: dict[str, int]) -> None:
    for dimension, score in scores.items():
        page.locator(f"input[name='{dimension}_score'][value='{score}']").check()


def record_review(page: Page, on: date, scores: dict[str, int]) -> None:
    page.locator("#id_reviewed_on").fill(on.isoformat())
    choose_scores(page, scores)
    for dimension in DIMENSIONS:
        page.locator(f"#id_{dimension}_evidence").fill(f"What the parents said and did about {dimension}.")
        page.locator(f"#id_{dimension}_plan").fill(f"Next step for {dimension}.")
    submit_main_form(page)


def chart_numbers(page: Page):
    return page.get_by_role("table", name="De cijfers in de grafiek").locator("tbody tr")


def standing_of(page: Page, dimension: str):
    """The row of one dimension in the table of where the family stands now."""
    table = page.get_by_role("table", name="Waar het gezin nu staat")
    return table.locator("tbody tr").filter(has=page.locator("th", has_text=DUTCH_NAMES[dimension]))


def test_officer_sees_a_decline_and_the_parents_own_view_beside_it(
    page: Page, new_context, axe, officer, family, parent, url, at, sign_in, artifacts
):
    today = timezone.localdate()
    family.referral_on = today - timedelta(days=90)
    family.save(update_fields=["referral_on"])
    review_add = reverse("families:review_add", args=[family.pk])

    sign_in(page, officer)
    page.locator(f"main table a[href='{reverse('families:detail', args=[family.pk])}']").click()
    page.locator(f"nav a[href='{reverse('families:progress', args=[family.pk])}']").click()
    expect(page).to_have_url(at("families:progress", family.pk))

    page.locator(f"main a[href='{review_add}']").click()
    expect(page).to_have_url(at("families:review_add", family.pk))
    assert_no_violations(axe, page)

    page.locator("#id_reviewed_on").fill("")
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    for dimension in DIMENSIONS:
        expect(page.locator(f"#id_{dimension}_score_error")).to_contain_text("Kies een score van 1 tot 5 voor ")
    assert_no_violations(axe, page)
    assert not ProgressReview.objects.exists()

    for index, (days_ago, scores) in enumerate(REVIEWS):
        if index:  # the intake is filled in on the page that showed the errors
            page.locator(f"main a[href='{review_add}']").click()
        record_review(page, today - timedelta(days=days_ago), scores)
        expect(page).to_have_url(at("families:progress", family.pk))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "De voortgangsbespreking is opgeslagen."
        )

    reviews = list(ProgressReview.objects.filter(family=family).order_by("reviewed_on"))
    assert [review.scores() for review in reviews] == [scores for _, scores in REVIEWS]

    chart = page.locator(".liaison-chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("g.chart-series--officer")).to_have_count(3)
    expect(chart.locator("g.chart-series--parent")).to_have_count(0)
    rows = chart_numbers(page)
    expect(rows).to_have_count(3)
    for row, (days_ago, scores) in zip(rows.all(), REVIEWS, strict=True):
        expect(row.locator("th")).to_have_text(short_date(today - timedelta(days=days_ago)))
        expect(row.locator("td")).to_have_text([str(scores[d]) for d in DIMENSIONS])

    warning = page.locator("main .govuk-warning-text", has_text="Twee besprekingen op rij gedaald:")
    expect(warning).to_contain_text("gedaald: Veerkracht.")
    expect(warning).not_to_contain_text("Begrip")
    expect(warning).not_to_contain_text("Zeggenschap")
    links = warning.locator("a")
    expect(links).to_have_count(3)
    for link, review in zip(links.all(), reviews, strict=True):
        expect(link).to_have_attribute("href", f"#review-{review.pk}")
        expect(page.locator(f"#review-{review.pk}")).to_have_count(1)
    links.first.click()
    expect(page.locator(f"#review-{reviews[0].pk}")).to_be_in_viewport()

    expect(standing_of(page, "resilience").locator("td").first).to_have_text("2")
    expect(standing_of(page, "resilience").locator("td").nth(3)).to_have_text(NOT_GIVEN)
    expect(page.locator("main .govuk-tag--yellow")).to_have_count(0)
    assert_no_violations(axe, page)

    parents_page = new_context().new_page()
    sign_in(parents_page, parent)
    expect(parents_page).to_have_url(at("portal:home"))
    parents_page.locator(f"main a[href='{reverse('portal:rating')}']").click()
    expect(parents_page).to_have_url(at("portal:rating"))
    assert_no_violations(axe, parents_page)

    submit_main_form(parents_page)
    expect(parents_page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_violations(axe, parents_page)

    choose_scores(parents_page, PARENTS_OWN)
    parents_page.locator("#id_comment").fill("Het gaat beter dan de vorige keer.")
    submit_main_form(parents_page)
    expect(parents_page).to_have_url(at("portal:home"))
    expect(parents_page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Dank je. Je ouderbegeleider ziet je antwoorden."
    )

    page.goto(url("families:progress", family.pk))
    expect(chart.locator("g.chart-series--officer")).to_have_count(3)
    expect(chart.locator("g.chart-series--parent")).to_have_count(3)
    expect(rows).to_have_count(4)
    expect(rows.last.locator("th")).to_contain_text(short_date(today))
    expect(rows.last.locator("td")).to_have_text([str(PARENTS_OWN[d]) for d in DIMENSIONS])
    resilience = standing_of(page, "resilience")
    expect(resilience.locator("td").nth(3)).to_have_text("4")
    expect(resilience.locator("td").last).to_have_text("Om te bespreken: de ouders zien het 2 punten hoger")
    for dimension in ("understanding", "empowerment"):
        expect(standing_of(page, dimension).locator("td").last).to_have_text("")
    expect(page.locator("main .govuk-tag--yellow")).to_have_count(1)
    assert_no_violations(axe, page)

    screenshot = artifacts / "progress-view.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 0

    assert ProgressReview.objects.filter(family=family).count() == 3
    rating = ParentRating.objects.get()
    assert (rating.family, rating.source, rating.given_by, rating.rated_on) == (
        family,
        RatingSource.PORTAL,
        parent.full_name,
        today,
    )
    assert rating.scores() == PARENTS_OWN
