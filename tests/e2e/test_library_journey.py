"""The library for parents in a real browser: the administrator writes a new article in
Dutch and English, changes it (a second version) and publishes it after confirming; the
officer sends it to the family from the case; the parent finds it on their page as new,
from their officer, and reads it. axe finds nothing wrong on any page."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from families.models import Article, ArticleSent
from tests.e2e.conftest import assert_no_violations, submit_main_form

TITLE_NL = "Slapen als je je zorgen maakt"
TITLE_EN = "Sleeping when you are worried"
BODY_NL = "Veel ouders slapen slecht.\n\n## Wat helpt\n- Praat erover.\n- Neem rust."
BODY_EN = "Many parents sleep badly.\n\n## What helps\n- Talk about it.\n- Take rest."


def test_administrator_writes_officer_sends_parent_reads(
    page: Page, new_context, axe, administrator, officer, family, parent, url, at, sign_in
):
    # The administrator writes the article and changes it once.
    sign_in(page, administrator)
    page.goto(url("library"))
    assert_no_violations(axe, page)
    page.locator(f"main a[href='{reverse('library_article_new')}']").click()
    expect(page).to_have_url(at("library_article_new"))
    assert_no_violations(axe, page)
    submit_main_form(page)  # nothing typed: refused with the reasons, nothing saved
    expect(page.locator(".govuk-error-summary")).to_contain_text("Schrijf de Nederlandse titel.")
    assert_no_violations(axe, page)
    page.locator("#id_title_nl").fill(TITLE_NL)
    page.locator("#id_body_nl").fill(BODY_NL)
    page.locator("#id_title_en").fill(TITLE_EN)
    page.locator("#id_body_en").fill("Many parents sleep badly.")
    submit_main_form(page)
    article = Article.objects.get(versions__title_nl=TITLE_NL)
    expect(page).to_have_url(at("library_article", article.pk))
    assert_no_violations(axe, page)
    page.locator(f"main a[href='{reverse('library_article_edit', args=[article.pk])}']").click()
    page.locator("#id_body_en").fill(BODY_EN)
    page.locator("#id_change_note").fill("Tips added")
    page.get_by_role("main").get_by_role("button", name="Het artikel opslaan").click()
    expect(page).to_have_url(at("library_article", article.pk))
    expect(page.locator("main table")).to_contain_text("Tips added")
    assert list(article.versions.values_list("number", flat=True)) == [2, 1]

    # ... and publishes it after confirming.
    page.locator(f"main a[href='{reverse('library_article_publish', args=[article.pk])}']").click()
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page).to_have_url(at("library_article", article.pk))
    expect(page.locator("main")).to_contain_text("Gepubliceerd sinds")

    # The officer sends it to the family from the case.
    officers_page = new_context().new_page()
    sign_in(officers_page, officer)
    officers_page.goto(url("families:library", family.pk))
    assert_no_violations(axe, officers_page)
    officers_page.locator(f"main a[href='{reverse('families:article_send', args=[family.pk])}']").click()
    expect(officers_page).to_have_url(at("families:article_send", family.pk))
    assert_no_violations(axe, officers_page)
    officers_page.locator("#id_article").select_option(str(article.pk))
    submit_main_form(officers_page)
    expect(officers_page).to_have_url(at("families:library", family.pk))
    expect(officers_page.locator("main table").first).to_contain_text(TITLE_NL)
    assert ArticleSent.objects.filter(family=family, article=article).exists()

    # The parent finds it as new, from their officer, and reads it.
    parents_page = new_context().new_page()
    sign_in(parents_page, parent)
    expect(parents_page).to_have_url(at("portal:home"))
    expect(parents_page.locator("main")).to_contain_text("Je ouderbegeleider stuurde je 1 nieuw artikel.")
    assert_no_violations(axe, parents_page)
    parents_page.locator(f"main a[href='{reverse('portal:library')}']").first.click()
    expect(parents_page).to_have_url(at("portal:library"))
    assert_no_violations(axe, parents_page)
    parents_page.locator(f"main ul a[href='{reverse('portal:article', args=[article.pk])}']").first.click()
    expect(parents_page).to_have_url(at("portal:article", article.pk))
    expect(parents_page.get_by_role("heading", level=1)).to_have_text(TITLE_NL)
    expect(parents_page.locator("main")).to_contain_text("Van je ouderbegeleider Olivia Officer")
    expect(parents_page.locator("main ul.govuk-list--bullet li")).to_have_text(["Praat erover.", "Neem rust."])
    assert_no_violations(axe, parents_page)
    assert ArticleSent.objects.get(family=family, article=article).read_at is not None
