"""The parents' own words in a real browser: a parent says in the portal how they are
doing, in their own words; the officer signs in and finds those words, exactly as written,
with every gap to their own review flagged as something to talk about, on the family page,
on the progress page and above the review form. axe finds nothing wrong on any page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import ParentRating, RatingSource
from families.services.progress import review_record
from tests.e2e.conftest import assert_no_violations, submit_main_form

# The officer's latest review, and the parents' own view: understanding two points higher,
# resilience two points lower, empowerment the same.
OFFICER = {"understanding": 2, "empowerment": 3, "resilience": 3}
PARENTS = {"understanding": 4, "empowerment": 3, "resilience": 1}
# With a line break, and characters a page must show rather than interpret.
WORDS = "Het gaat beter met ons gesprek thuis.\nMaar slapen lukt niet & ik lig wakker van <school>."
HIGHER = "Om te bespreken: de ouders zien het 2 punten hoger"
LOWER = "Om te bespreken: de ouders zien het 2 punten lager"
HEADING = "In de eigen woorden van de ouders"


def the_words(page: Page):
    return page.locator("main blockquote.liaison-own-words")


def flags(page: Page):
    return page.locator("main .govuk-tag--yellow.liaison-talk-about")


def expect_the_words_and_both_gaps(page: Page) -> None:
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(the_words(page)).to_have_count(1)
    # Exactly as written: every character, the line break included.
    assert the_words(page).text_content() == WORDS
    expect(the_words(page)).to_be_visible()
    expect(flags(page)).to_have_text([HIGHER, LOWER])


def test_the_officer_reads_the_parents_words_beside_the_review(
    page: Page, new_context, axe, officer, family, parent, url, at, sign_in, artifacts
):
    today = timezone.localdate()
    family.referral_on = today - timedelta(days=60)
    family.save(update_fields=["referral_on"])
    fields = {"reviewed_on": today - timedelta(days=7)}
    for dimension, score in OFFICER.items():
        fields |= {
            f"{dimension}_score": score,
            f"{dimension}_evidence": "Gezien bij het huisbezoek.",
            f"{dimension}_plan": "",
        }
    review_record(family=family, created_by=officer, **fields)

    # The parent says how they are doing, in the portal.
    parents_page = new_context().new_page()
    sign_in(parents_page, parent)
    expect(parents_page).to_have_url(at("portal:home"))
    parents_page.locator(f"main a[href='{reverse('portal:rating')}']").click()
    expect(parents_page).to_have_url(at("portal:rating"))
    assert_no_violations(axe, parents_page)
    for dimension, score in PARENTS.items():
        parents_page.locator(f"input[name='{dimension}_score'][value='{score}']").check()
    parents_page.locator("#id_comment").fill(WORDS)
    submit_main_form(parents_page)
    expect(parents_page).to_have_url(at("portal:home"))
    expect(parents_page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Je ouderbegeleider ziet je antwoorden."
    )
    rating = ParentRating.objects.get(family=family)
    # A browser sends a line break of a text area as CR LF, as HTML forms do.
    assert rating.comment.replace("\r\n", "\n") == WORDS
    assert (rating.source, rating.given_by) == (RatingSource.PORTAL, parent.full_name)

    # The officer finds the words on the family page, with both gaps flagged.
    sign_in(page, officer)
    page.locator(f"main table a[href='{reverse('families:detail', args=[family.pk])}']").click()
    expect(page).to_have_url(at("families:detail", family.pk))
    expect_the_words_and_both_gaps(page)
    words_block = page.locator("main").filter(has=page.get_by_role("heading", name=HEADING))
    expect(words_block).to_contain_text(f"gegeven door {parent.full_name}, in het portaal")
    expect(words_block).to_contain_text("Begrip 4 · Zeggenschap 3 · Veerkracht 1")
    assert_no_violations(axe, page)
    page.screenshot(path=artifacts / "parents-words-family-page.png", full_page=True)

    # ... and beside the review on the progress page.
    page.get_by_role("link", name="Hun beoordelingen naast de besprekingen").click()
    expect(page).to_have_url(f"{url('families:progress', family.pk)}#parents-words")
    expect_the_words_and_both_gaps(page)
    table = page.get_by_role("table", name="Waar het gezin nu staat")
    expect(table.locator("tbody tr").filter(has=page.locator("th", has_text="Begrip")).locator("td").last).to_have_text(
        HIGHER
    )
    expect(
        table.locator("tbody tr").filter(has=page.locator("th", has_text="Zeggenschap")).locator("td").last
    ).to_have_text("")
    expect(page.locator("main")).to_contain_text("Veerkracht: 1")
    expect(page.locator("main q").last).to_have_text("Ik houd het niet vol.")
    assert_no_violations(axe, page)
    page.screenshot(path=artifacts / "parents-words-progress.png", full_page=True)

    # ... and above the form, while writing the next review.
    page.locator(f"main a[href='{reverse('families:review_add', args=[family.pk])}']").click()
    expect(page).to_have_url(at("families:review_add", family.pk))
    expect_the_words_and_both_gaps(page)
    words_box = page.locator("main section.liaison-parents-beside")
    form = page.locator("main form[method='post']")
    assert words_box.bounding_box()["y"] < form.bounding_box()["y"]
    assert_no_violations(axe, page)
    page.screenshot(path=artifacts / "parents-words-review-form.png", full_page=True)
