"""The library for parents: administrators write articles in Dutch and English (every save
a new version, all kept), publish and withdraw them; an officer sends one to a family and
records which ones they talked about; the parents read them in the portal. Protective
mode stops the sending and freezes the portal; a suspected caregiver and the police see
nothing of it."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from families.migrations._library_articles import ARTICLES
from families.models import Article, ArticleDiscussion, ArticleSent, ArticleVersion
from families.models.library import text_blocks
from families.selectors.chronology import chronology
from families.services import library
from families.services.protection import protective_mode_start
from liaison.access import PROTECTIVE_MODE_HOLDS
from liaison.audit.models import AuditAction, AuditEvent
from tests import test_url_table as url_table

pytestmark = pytest.mark.django_db

# The published article of the table of every URL.
article = url_table.article

TEXTS = {
    "title_nl": "Signalen",
    "title_en": "Signs",
    "body_nl": "Let op de telefoon.",
    "body_en": "Watch the phone.",
}


@pytest.fixture
def unpublished(administrator):
    return library.article_create(author=administrator, **TEXTS)


def published(administrator, **texts) -> Article:
    """A published article with these texts, the others those of ``TEXTS``."""
    article = library.article_create(author=administrator, **{**TEXTS, **texts})
    return library.article_publish(article=article, actor=administrator)


def send_and_discuss(family, officer, administrator, count: int) -> None:
    """So many more articles, each sent to the family and talked through with the parents."""
    for number in range(count):
        extra = published(administrator, title_en=f"Extra {number}")
        library.article_send(family=family, article=extra, officer=officer)
        library.article_discussion_record(
            family=family, article=extra, officer=officer, discussed_on=timezone.localdate()
        )


def _send_url(family) -> str:
    return reverse("families:article_send", args=[family.pk])


# The articles shipped with the product -------------------------------------------------


def test_a_fresh_install_has_the_articles_in_both_languages_published():
    titles = set(ArticleVersion.objects.values_list("title_en", flat=True))
    assert {text["title_en"] for text in ARTICLES} <= titles
    shipped = Article.objects.filter(versions__title_en__in=[text["title_en"] for text in ARTICLES])
    assert shipped.count() == len(ARTICLES) >= 7
    assert not shipped.filter(published_at__isnull=True).exists()


@pytest.mark.parametrize("text", ARTICLES, ids=lambda text: text["title_en"])
def test_every_shipped_article_has_headings_and_no_markup_of_html(text):
    for body in (text["body_nl"], text["body_en"]):
        assert "<" not in body and ">" not in body
        kinds = {block.kind for block in text_blocks(body)}
        assert {"heading", "paragraph"} <= kinds


def test_the_help_lines_are_named():
    where_to_find_help = ARTICLES[-1]
    for number in ("0800-2000", "0800-0432", "112"):
        assert number in where_to_find_help["body_nl"] and number in where_to_find_help["body_en"]
    assert "0800 1111" in where_to_find_help["body_en"]
    assert "Slachtofferhulp" in where_to_find_help["body_nl"]


# The small markup -------------------------------------------------------------------


def test_the_markup_makes_headings_paragraphs_and_lists():
    blocks = text_blocks("One\ntwo\n\n## A heading\n- first\n- second\nAfter")
    assert [(block.kind, block.text, block.items) for block in blocks] == [
        ("paragraph", "One two", ()),
        ("heading", "A heading", ()),
        ("list", "", ("first", "second")),
        ("paragraph", "After", ()),
    ]


def test_html_in_an_article_is_shown_as_text_never_run(login, administrator, parent):
    written = library.article_create(
        author=administrator, **{**TEXTS, "body_en": "<script>alert(1)</script>\n\n## <b>bold</b>"}
    )
    library.article_publish(article=written, actor=administrator)
    client = login(parent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("portal:article", args=[written.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


# Administrators edit -------------------------------------------------------------------


def test_the_administrator_writes_an_article_unpublished_and_audited(login, administrator):
    response = login(administrator).post(reverse("library_article_new"), {**TEXTS, "change_note": "New"})
    written = Article.objects.get(versions__title_en="Signs")
    assert response.status_code == 302 and response["Location"] == reverse("library_article", args=[written.pk])
    assert written.published_at is None
    assert AuditEvent.objects.filter(
        action=AuditAction.LIBRARY_CHANGED, object_id=str(written.pk), detail__what="article_created"
    ).exists()


@pytest.mark.parametrize("empty", ["title_nl", "title_en", "body_nl", "body_en"])
def test_an_empty_title_or_text_is_refused_and_nothing_saved(english, administrator, empty):
    before = ArticleVersion.objects.count()
    response = english(administrator).post(reverse("library_article_new"), {**TEXTS, empty: "  "})
    assert response.status_code == 400
    language = "Dutch" if empty.endswith("_nl") else "English"
    part = "title" if empty.startswith("title") else "text"
    assert f"Write the {language} {part}." in response.content.decode()
    assert ArticleVersion.objects.count() == before


def test_every_save_is_a_new_version_and_every_version_stays_readable(login, administrator, article):
    client = login(administrator)
    edit = reverse("library_article_edit", args=[article.pk])
    response = client.post(edit, {**TEXTS, "title_en": "Signs to watch", "based_on": 1, "change_note": "Clearer"})
    assert response.status_code == 302
    assert list(article.versions.values_list("number", "title_en")) == [(2, "Signs to watch"), (1, "Do's and don'ts")]
    first = client.get(reverse("library_article_version", args=[article.pk, 1]))
    assert first.status_code == 200 and "Keep the door open." in first.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LIBRARY_CHANGED, detail__what="article_edited").count() == 1


def test_a_save_on_top_of_someone_elses_is_refused_with_409(english, administrator, article):
    library.article_edit(article=article, author=administrator, based_on=1, **TEXTS)
    edit = reverse("library_article_edit", args=[article.pk])
    response = english(administrator).post(edit, {**TEXTS, "title_en": "Mine", "based_on": 1})
    assert response.status_code == 409
    assert "Someone else saved a new version" in response.content.decode()
    assert article.versions.count() == 2 and not article.versions.filter(title_en="Mine").exists()


def test_publishing_and_withdrawing_ask_first_and_are_audited(login, administrator, unpublished):
    client = login(administrator)
    url = reverse("library_article_publish", args=[unpublished.pk])
    assert client.get(url).status_code == 200
    assert Article.objects.get(pk=unpublished.pk).published_at is None
    client.post(url, {})
    assert Article.objects.get(pk=unpublished.pk).published_at is not None
    client.post(url, {})
    assert Article.objects.get(pk=unpublished.pk).published_at is None
    events = AuditEvent.objects.filter(action=AuditAction.LIBRARY_CHANGED, object_id=str(unpublished.pk))
    assert set(events.values_list("detail__what", flat=True)) == {
        "article_created",
        "article_published",
        "article_unpublished",
    }


def test_only_administrators_keep_the_library(officer):
    with pytest.raises(PermissionDenied):
        library.article_create(author=officer, **TEXTS)


def test_the_list_searches_and_costs_the_same_however_many_articles(
    login, administrator, django_assert_max_num_queries
):
    for number in range(30):
        library.article_create(author=administrator, **{**TEXTS, "title_en": f"Extra {number}"})
    client = login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_assert_max_num_queries(14):
        response = client.get(reverse("library"))
    assert response.status_code == 200
    found = client.get(reverse("library"), {"q": "Extra 7"}).content.decode()
    assert "Extra 7" in found and "Extra 8" not in found


# The officer sends and talks --------------------------------------------------------


def test_the_officer_sends_an_article_the_parents_read_it_from_their_officer(
    login, officer, parent, family, article, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(_send_url(family), {"article": article.pk})
    assert response.status_code == 302
    sent = ArticleSent.objects.get(family=family, article=article)
    assert sent.version.number == 1
    # The e-mail says only that there is something new: no title, no name.
    assert len(mailoutbox) == 1
    assert "door" not in mailoutbox[0].body.lower() and "Jansen" not in mailoutbox[0].body
    client = login(parent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    home = client.get(reverse("portal:home")).content.decode()
    assert "Your liaison officer sent you 1 new article." in home
    listing = client.get(reverse("portal:library")).content.decode()
    assert "sent by Olivia Officer" in listing
    page = client.get(reverse("portal:article", args=[article.pk])).content.decode()
    assert "From your liaison officer Olivia Officer" in page and "Keep the door open." in page
    sent.refresh_from_db()
    assert sent.read_at is not None
    assert "new article" not in client.get(reverse("portal:home")).content.decode()


def test_the_parents_read_dutch_in_dutch(login, parent, article):
    client = login(parent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = client.get(reverse("portal:article", args=[article.pk])).content.decode()
    assert "Houd de deur open." in page and "Keep the door open." not in page


def test_sending_twice_is_refused_and_saves_one(english, officer, family, article):
    client = english(officer)
    client.post(_send_url(family), {"article": article.pk})
    response = client.post(_send_url(family), {"article": article.pk})
    assert response.status_code == 400
    assert "already sent to the family" in response.content.decode()
    assert ArticleSent.objects.filter(family=family).count() == 1


def test_a_double_submit_of_the_same_form_saves_once(login, officer, family, article):
    client = login(officer)
    page = client.get(_send_url(family))
    token = page.context["form"]["submission"].value()
    first = client.post(_send_url(family), {"article": article.pk, "submission": token})
    second = client.post(_send_url(family), {"article": article.pk, "submission": token})
    assert first.status_code == second.status_code == 302
    assert ArticleSent.objects.filter(family=family).count() == 1


@pytest.mark.parametrize("choice", ["", "999999", "abc"])
def test_an_unknown_article_is_refused(english, officer, family, choice):
    response = english(officer).post(_send_url(family), {"article": choice})
    assert response.status_code == 400
    assert "Choose a published article from the library." in response.content.decode()
    assert not ArticleSent.objects.exists()


def test_an_unpublished_article_cannot_be_sent(english, officer, family, unpublished):
    response = english(officer).post(_send_url(family), {"article": unpublished.pk})
    assert response.status_code == 400
    assert not ArticleSent.objects.exists()
    with pytest.raises(ValidationError, match="not published"):
        library.article_send(family=family, article=unpublished, officer=officer)


def test_sending_is_refused_with_the_reason_while_protective_mode_holds(english, officer, family, article):
    protective_mode_start(family=family, started_by=officer, reason="A caregiver may be involved.")
    client = english(officer)
    with translation.override("en"):
        reason = str(PROTECTIVE_MODE_HOLDS)
    assert reason in client.get(_send_url(family)).content.decode()
    response = client.post(_send_url(family), {"article": article.pk})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not ArticleSent.objects.exists()


def test_the_portal_stands_still_at_the_start_of_protective_mode(
    login, officer, parent, family, article, administrator
):
    earlier = library.article_send(family=family, article=article, officer=officer)
    protective_mode_start(family=family, started_by=officer, reason="A caregiver may be involved.")
    later_article = library.article_publish(
        article=library.article_create(author=administrator, **TEXTS), actor=administrator
    )
    # Sent after the start (as if the refusal had been passed by): the portal never shows it.
    ArticleSent.objects.create(
        family=family, article=later_article, version=later_article.versions.get(), created_by=officer
    )
    ArticleSent.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=1))
    client = login(parent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    listing = client.get(reverse("portal:library")).content.decode()
    assert "Do&#x27;s and don&#x27;ts" in listing.split("All articles")[0]
    assert "Signs" not in listing.split("All articles")[0]
    home = client.get(reverse("portal:home")).content.decode()
    assert "sent you 1 new article." in home


def test_the_officer_records_an_article_talked_about(login, officer, family, article):
    url = reverse("families:article_discussed", args=[family.pk])
    today = timezone.localdate().isoformat()
    response = login(officer).post(url, {"article": article.pk, "discussed_on": today, "note": "Read together"})
    assert response.status_code == 302
    discussion = ArticleDiscussion.objects.get(family=family)
    assert discussion.note == "Read together" and discussion.version.number == 1
    assert AuditEvent.objects.filter(family_id=family.pk, detail__what="article_discussed").exists()


@pytest.mark.parametrize("day", ["", "2999-01-01", "1800-01-01", "not a date"])
def test_a_discussion_needs_a_sensible_date(login, officer, family, article, day):
    url = reverse("families:article_discussed", args=[family.pk])
    response = login(officer).post(url, {"article": article.pk, "discussed_on": day})
    assert response.status_code == 400
    assert not ArticleDiscussion.objects.exists()


def test_sending_and_talking_are_in_the_chronology_and_beside_the_review(login, officer, family, article):
    library.article_send(family=family, article=article, officer=officer)
    library.article_discussion_record(
        family=family, article=article, officer=officer, discussed_on=timezone.localdate(), note="Asked about signs"
    )
    with translation.override("en"):
        titles = [entry.title for entry in chronology(family, officer, kinds=["library"])]
    assert titles == [
        "Article sent to the parents: Do's and don'ts",
        "Article discussed with the parents: Do's and don'ts",
    ]
    client = login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    review = client.get(reverse("families:review_add", args=[family.pk])).content.decode()
    assert "What the family received from the library and talked about" in review
    assert "Asked about signs" in review


def test_the_library_page_of_the_case_costs_the_same_however_much_was_sent(
    login, officer, family, administrator, django_assert_max_num_queries
):
    send_and_discuss(family, officer, administrator, 12)
    client = login(officer)
    client.get(reverse("families:library", args=[family.pk]))  # the first page of a session reads more
    with django_assert_max_num_queries(20):
        response = client.get(reverse("families:library", args=[family.pk]))
    assert response.status_code == 200


# The handover pack ---------------------------------------------------------------------


def pack_text(client, family) -> str:
    """Every page's words of the handover pack, white space removed."""
    response = client.get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 200
    return "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages)


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_the_handover_pack_lists_the_articles_sent_and_talked_through(
    request, english, officer, family, administrator, persona
):
    sent = published(administrator, title_en="PACK-sent-title")
    talked = published(administrator, title_en="PACK-talked-title")
    library.article_send(family=family, article=sent, officer=officer)
    library.article_discussion_record(
        family=family, article=talked, officer=officer, discussed_on=timezone.localdate(), note="PACK-talk-note"
    )
    text = pack_text(english(request.getfixturevalue(persona)), family)
    section = text.split("Articlessentandtalkedthrough", 1)[1].split("Progress", 1)[0]
    assert "PACK-sent-title" in section and "notreadyet" in section
    assert "PACK-talked-title" in section and "PACK-talk-note" in section


def test_the_handover_pack_in_dutch_names_the_articles_in_dutch(login, officer, family, administrator):
    article = published(administrator, title_nl="PAKKET-titel")
    library.article_send(family=family, article=article, officer=officer)
    ArticleSent.objects.update(read_at=timezone.now())
    client = login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    section = pack_text(client, family).split("Artikelenverstuurdenbesproken", 1)[1]
    assert "PAKKET-titel" in section and "gelezenop" in section


def test_the_handover_pack_of_a_family_without_articles_says_so(english, officer, family):
    assert "Noarticleofthelibraryhasbeensentortalkedthroughyet." in pack_text(english(officer), family)


def test_the_handover_pack_costs_the_same_however_many_articles(
    english, officer, family, administrator, django_assert_max_num_queries
):
    client = english(officer)
    pack_text(client, family)
    with django_assert_max_num_queries(200) as few:
        pack_text(client, family)
    counted = len(few.captured_queries)
    send_and_discuss(family, officer, administrator, 6)
    with django_assert_max_num_queries(counted):
        pack_text(client, family)


# Who sees nothing ---------------------------------------------------------------------


def test_a_suspected_caregiver_sees_nothing_of_the_library(login, officer, family, article, suspect_caregiver):
    library.article_send(family=family, article=article, officer=officer)
    client = login(suspect_caregiver)
    for url in (reverse("portal:library"), reverse("portal:article", args=[article.pk])):
        assert client.get(url).status_code == 404
    assert ArticleSent.objects.get().read_at is None


def test_the_police_see_nothing_of_what_the_family_received(login, officer, police, family, article):
    library.article_send(family=family, article=article, officer=officer)
    client = login(police)
    assert client.get(reverse("families:library", args=[family.pk])).status_code == 404
    with translation.override("en"):
        assert not [entry for entry in chronology(family, police) if entry.kind == "library"]
    detail = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert reverse("families:library", args=[family.pk]) not in detail


def test_an_unpublished_article_is_not_in_the_portal(login, parent, unpublished):
    client = login(parent)
    assert client.get(reverse("portal:article", args=[unpublished.pk])).status_code == 404
    assert "Signs" not in client.get(reverse("portal:library")).content.decode()


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_officers_and_supervisors_read_the_library_but_never_change_it(request, login, persona, article):
    client = login(request.getfixturevalue(persona))
    page = client.get(reverse("library_article", args=[article.pk]))
    assert page.status_code == 200
    assert reverse("library_article_edit", args=[article.pk]) not in page.content.decode()
    for name in ("library_article_edit", "library_article_publish"):
        assert client.get(reverse(name, args=[article.pk])).status_code == 404
    assert client.get(reverse("library_article_new")).status_code == 404


def test_an_administrator_without_the_second_factor_reaches_nothing_of_the_library(login, administrator, article):
    client = login(administrator, verified=False)
    for url in (reverse("library"), reverse("library_article_edit", args=[article.pk])):
        assert client.get(url).status_code in (302, 404)
    assert article.versions.count() == 1
