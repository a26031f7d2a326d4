"""The parents' pages speak plainly, at reading level B1, in Dutch and in English. The
words below are the staff's and the police's words: a parent who is frightened and
tired must not have to look them up, so the parents' pages, their copy of the plan and
their e-mails say what is meant instead (no glossary to go and read)."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from liaison.notifications import notify_parents
from tests.safety_plans.test_documents import pdf_text

pytestmark = pytest.mark.django_db

# Kept here as a list: a word added to the parents' pages again fails this test.
HARD_WORDS = {
    "en": [
        "endorse",
        "in force",
        "disruption",
        "missing-person",
        "missing person profile",
        "second factor",
        "backup code",
        "session",
    ],
    "nl": [
        "bekrachtig",
        "van kracht",
        "verstoringsmaatregel",
        "vermisten",
        "vermissingsprofiel",
        "tweede factor",
        "herstelcode",
        "reservecode",
        "sessie",
    ],
}

PORTAL_PAGES = [
    "portal:home",
    "portal:about",
    "portal:rating",
    "portal:messages",
    "portal:notifications",
    "portal:shared",
    "portal:share",
    "portal:justice",
    "portal:plan",
]
ACCOUNT_PAGES = ["security", "second_factor_enrol", "sign_out_everywhere"]


def visible_text(html: str) -> str:
    """What a reader sees and hears: the text between the tags, and the alternatives."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'(?:aria-label|alt|title)="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + labels).lower()


def hard_words_in(text: str, language: str) -> list[str]:
    text = " ".join(text.lower().split())
    return [word for word in HARD_WORDS[language] if word in text]


def parent_client(login, parent, language: str):
    client = login(parent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("state", ["shared_plan", "active_plan"])
def test_the_parents_pages_use_no_hard_words(request, login, parent, state, language):
    request.getfixturevalue(state)
    client = parent_client(login, parent, language)
    names = [*PORTAL_PAGES, "portal:plan_shared" if state == "shared_plan" else "portal:plan", *ACCOUNT_PAGES]
    found = {}
    for name in names:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        words = hard_words_in(visible_text(response.content.decode()), language)
        if words:
            found[name] = words
    assert found == {}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_parents_copy_of_the_plan_uses_no_hard_words(login, parent, active_plan, language):
    response = parent_client(login, parent, language).get(reverse("portal:plan_pdf"))
    assert response.status_code == 200
    # The PDF's words come without white space: the hard words are looked for the same way.
    text = pdf_text(response.content).lower()
    assert [word for word in HARD_WORDS[language] if word.replace(" ", "") in text] == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_parents_e_mail_uses_no_hard_words(family, parent, mailoutbox, language):
    parent.language = language
    parent.save(update_fields=["language"])
    with translation.override("en"):
        notify_parents(family)
    (mail,) = mailoutbox
    assert hard_words_in(f"{mail.subject}\n{mail.body}", language) == []


def test_the_list_finds_a_hard_word():
    assert hard_words_in("Endorsed by the police", "en") == ["endorse"]
    assert hard_words_in("Bekrachtigd door de politie", "nl") == ["bekrachtig"]
    assert hard_words_in("Sign out on every device", "en") == []


@pytest.mark.parametrize(("language", "label"), [("en", "Police and court"), ("nl", "Politie en rechtbank")])
def test_the_parents_menu_leads_to_police_and_court(login, parent, language, label):
    page = parent_client(login, parent, language).get(reverse("portal:home")).content.decode()
    menu = page.split('<nav class="liaison-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("portal:justice")}">{label}</a>' in menu


@pytest.mark.parametrize("persona", ["officer", "police", "administrator"])
def test_no_one_else_gets_the_parents_link_to_police_and_court(request, login, persona):
    page = login(request.getfixturevalue(persona)).get(reverse("security")).content.decode()
    assert reverse("portal:justice") not in page


@pytest.mark.parametrize(
    ("language", "labels"),
    [("en", ["What the police do", "Who does it", "How far it is"]), ("nl", ["Wat de politie doet", "Wie doet het"])],
)
def test_the_police_action_card_speaks_in_words_not_field_names(login, parent, active_plan, language, labels):
    page = parent_client(login, parent, language).get(reverse("portal:plan")).content.decode()
    card = page.split('id="police_action"', 1)[1].split("</section>", 1)[0]
    for label in labels:
        assert f'<dt class="govuk-summary-list__key">{label}</dt>' in card
    for field_name in ("kind", "owner", "soort", "eigenaar"):
        assert f'<dt class="govuk-summary-list__key">{field_name}</dt>' not in card
