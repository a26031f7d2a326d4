"""The pages' ``{% translate %}`` writes what Django's own tag writes, in every language,
and looks a literal text up once, not on every page."""

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from liaison.templatetags import remembered_i18n

DJANGO = "{% load i18n %}"
REMEMBERED = "{% load i18n remembered_i18n %}"

TAGS = [
    '{% translate "Sign in" %}',
    "{% trans 'Sign in' %}",
    '{% translate "Sign in" noop %}',
    '{% translate "Sign in" as words %}[{{ words }}]',
    '{% translate "Sign in" context "button" %}',
    '{% translate "Sign in"|upper %}',
    "{% translate text %}",
    '{% translate "100%% safe & <sound>" %}',
    '{% autoescape off %}{% translate "a & b" %}{% endautoescape %}',
]


def rendered(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("tag", TAGS)
def test_the_tag_writes_what_django_writes(tag, language):
    for _ in range(2):  # the second time from what was remembered
        assert rendered(REMEMBERED + tag, language, text="Sign in") == rendered(DJANGO + tag, language, text="Sign in")


def test_each_language_has_its_own_text():
    assert rendered(REMEMBERED + '{% translate "Sign in" %}', "nl") == "Inloggen"
    assert rendered(REMEMBERED + '{% translate "Sign in" %}', "en") == "Sign in"
    assert rendered(REMEMBERED + '{% translate "Sign in" %}', "nl") == "Inloggen"


def test_a_variable_is_translated_each_time():
    template = engines["django"].from_string(REMEMBERED + "{% translate text %}")
    with translation.override("nl"):
        assert template.render({"text": "Sign in"}) == "Inloggen"
        assert template.render({"text": "Sign out"}) == "Uitloggen"


@pytest.mark.django_db
def test_a_page_looks_up_no_text_it_wrote_before(client, monkeypatch):
    login = reverse("account_login")
    client.get(login)
    looked_up = []
    gettext = translation._trans.gettext  # what the tag's lazy text calls
    monkeypatch.setattr(translation._trans, "gettext", lambda text: looked_up.append(text) or gettext(text))
    response = client.get(login)
    assert response.status_code == 200
    assert "Sign in" not in looked_up


def test_a_change_of_the_languages_forgets_the_texts():
    rendered(REMEMBERED + '{% translate "Sign in" %}', "nl")
    assert remembered_i18n._written
    with override_settings(LANGUAGES=[("nl", "Nederlands"), ("en", "English")]):
        assert not remembered_i18n._written


def test_the_language_switcher_names_each_language_in_itself():
    source = (
        "{% load i18n %}{% get_available_languages as LANGUAGES %}{% get_language_info_list for LANGUAGES as info %}"
    )
    django = engines["django"].from_string(
        source + "{% for language in info %}{{ language.code }}={{ language.name_local|capfirst }};{% endfor %}"
    )
    remembered = engines["django"].from_string(
        REMEMBERED
        + "{% get_language_choices as languages %}{% for code, name in languages %}{{ code }}={{ name }};{% endfor %}"
    )
    with translation.override("en"):
        assert remembered.render({}) == django.render({}) == "nl=Nederlands;en=English;"
    with override_settings(LANGUAGES=[("en", "English")]):
        assert remembered.render({}) == "en=English;"


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_other_language(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'aria-current="true" lang="nl">Nederlands</span>' in page
    assert (
        'name="language" value="en" class="liaison-link-button liaison-language__option" lang="en">English</button>'
        in page
    )
