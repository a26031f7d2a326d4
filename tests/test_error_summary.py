"""A form sent with nothing filled in is refused the way a screen-reader user can follow:
the page's title starts with "Error:" (the first thing heard when the page loads), and
the error summary at the top lists each problem once, naming the field it is about, so
three fields with the same problem are not heard as one message said three times.

The forms are those of the property tests (tests/test_form_properties.py), which take
them from the table of every URL."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from liaison.forms import DJANGO_REQUIRED
from tests import test_form_properties as form_properties
from tests import test_url_table as url_table
from tests.test_form_properties import POST_FORMS, FormPage, form_of
from tests.test_url_table import url_of

pytestmark = pytest.mark.django_db

# The fixtures the forms need, as the property tests have them.
active_plan = url_table.active_plan
agreed_plan = url_table.agreed_plan
archived_family = url_table.archived_family
article = url_table.article
child = url_table.child
closed_case = url_table.closed_case
closure_asked = url_table.closure_asked
concern = url_table.concern
criminal_case = url_table.criminal_case
date_to_check = url_table.date_to_check
draft = url_table.draft
episode = url_table.episode
erasure = url_table.erasure
filled_draft = url_table.filled_draft
invitation_links = url_table.invitation_links
invitation_token = url_table.invitation_token
involvement = url_table.involvement
meeting = url_table.meeting
meeting_item = url_table.meeting_item
voice_question = url_table.voice_question
held_item = url_table.held_item
outcome_note_item = url_table.outcome_note_item
minuted_meeting = url_table.minuted_meeting
minuted_item = url_table.minuted_item
minuted_action = url_table.minuted_action
member = url_table.member
milestone = url_table.milestone
next_officer = url_table.next_officer
parent_need = url_table.parent_need
context_link = url_table.context_link
context_mention = url_table.context_mention
incident = url_table.incident
shared_hit = url_table.shared_hit
context_access = url_table.context_access
protective_mode = url_table.protective_mode
referral = url_table.referral
review = url_table.review
shared_item = url_table.shared_item
shared_plan = url_table.shared_plan
statement = url_table.statement
suspect_member = url_table.suspect_member
second_administrator = form_properties.second_administrator
uninvited_member = form_properties.uninvited_member
other_family = form_properties.other_family
marked_member = form_properties.marked_member
open_episode = form_properties.open_episode
draft_statement = form_properties.draft_statement
draft_person_of_concern = form_properties.draft_person_of_concern
draft_police_action = form_properties.draft_police_action
draft_missing_profile = form_properties.draft_missing_profile
draft_contact = form_properties.draft_contact

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
SUMMARY = re.compile(r'<div class="govuk-error-summary".*?<ul[^>]*>(.*?)</ul>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")

# Forms that ask for nothing: sent empty, they do what their button says.
EMPTY_IS_AN_ANSWER = {
    "contact_details": "every way to reach the officer is optional",
    "safety_plans:endorse": "the police endorse with the button; a note is optional",
    "families:milestone_approve": "the police approve with the button; both ticks are optional",
    "safety_plans:part_remove": "the button confirms the removal",
}
ERROR_PREFIX = {"nl": "Fout: ", "en": "Error: "}


def text(html: str) -> str:
    return " ".join(unescape(TAG.sub("", html)).split())


def title_of(html: str) -> str:
    return text(TITLE.findall(html)[0])


def summary_of(html: str) -> list[str]:
    """The messages of the error summary, as they are read out."""
    found = SUMMARY.findall(html)
    assert len(found) == 1, f"{len(found)} error summaries on the page"
    return [text(item) for item in ITEM.findall(found[0])]


def shown_on(request, form_page: FormPage) -> str:
    """The address of the page that shows the form."""
    if form_page.shown_on:
        return reverse(form_page.shown_on, args=[request.getfixturevalue(arg).pk for arg in form_page.row.args])
    return url_of(request, form_page.row)


def sent_empty(request, login, form_page: FormPage, language: str):
    """The form as the page shows it, with every field a person fills in left empty
    (what is hidden, such as the one-time token, goes as the page has it)."""
    row = form_page.row
    client = login(request.getfixturevalue(row.persona), verified=row.verified)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    url = url_of(request, row)
    html_form = form_of(client.get(shown_on(request, form_page)).content.decode(), action=url, method=form_page.method)
    values = {name: field.value for name, field in html_form.fields.items() if field.kind == "hidden"}
    return client.post(url, values)


REFUSED = [page for page in POST_FORMS if page.row.name not in EMPTY_IS_AN_ANSWER]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("form_page", REFUSED, ids=str)
def test_an_empty_form_is_refused_with_error_in_the_title_and_each_message_once(
    request, login, form_page: FormPage, language
):
    response = sent_empty(request, login, form_page, language)
    assert response.status_code in (400, 409)
    html = response.content.decode()
    assert title_of(html).startswith(ERROR_PREFIX[language])
    messages = summary_of(html)
    assert messages
    assert len(messages) == len(set(messages)), f"repeated messages: {messages}"
    with translation.override(language):
        generic = str(DJANGO_REQUIRED)
    assert generic not in messages, "a message that does not say which field"


@pytest.mark.parametrize("form_page", [page for page in POST_FORMS if page.row.name in EMPTY_IS_AN_ANSWER], ids=str)
def test_a_form_that_asks_for_nothing_does_what_its_button_says(request, login, form_page: FormPage):
    assert sent_empty(request, login, form_page, "en").status_code == 302


def test_every_form_is_tried_empty_or_says_why_empty_is_an_answer():
    assert set(EMPTY_IS_AN_ANSWER) <= {page.row.name for page in POST_FORMS}
