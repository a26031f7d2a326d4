"""A null or other control character in a query parameter is left out, and in a form's
text it is refused with one clear message: never a server error. PostgreSQL cannot hold
the null character at all, so these tests mean most there."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from families.models import ContactEntry
from liaison.forms import GovukFormMixin
from liaison.query_parameters import ControlCharacterQueryMiddleware, without_control_characters
from liaison.validators import CONTROL_CHARACTER, validate_no_control_characters
from tests.test_url_table import (  # noqa: F401 (the fixtures the rows of the table need)
    ROWS,
    active_plan,
    agreed_plan,
    archived_family,
    article,
    child,
    closed_case,
    closure_asked,
    concern,
    context_access,
    context_link,
    context_mention,
    criminal_case,
    date_to_check,
    draft,
    episode,
    erasure,
    filled_draft,
    follow_up,
    handover,
    held_item,
    incident,
    invitation,
    invitation_links,
    invitation_token,
    involvement,
    meeting,
    meeting_item,
    member,
    milestone,
    minuted_action,
    minuted_item,
    minuted_meeting,
    next_officer,
    outcome_note_item,
    parent_need,
    photo_profile,
    protective_mode,
    referral,
    review,
    shared_hit,
    shared_item,
    shared_plan,
    statement,
    suspect_member,
    url_of,
    voice_question,
)

pytestmark = pytest.mark.django_db

QUERY_NAMES = [
    "q",
    "page",
    "sort",
    "kind",
    "reference",
    "version",
    "section",
    "for",
    "shared",
    "member",
    "start",
    "end",
]
CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\x85"]


@pytest.mark.parametrize("character", CONTROL)
def test_a_control_character_is_refused(character):
    with pytest.raises(ValidationError) as refused:
        validate_no_control_characters(f"Anna{character}")
    assert refused.value.code == "control_character"


def test_tabs_and_line_breaks_are_ordinary_text():
    validate_no_control_characters("One line\r\nand\tanother")


def test_a_query_parameter_with_a_control_character_is_left_out():
    query = QueryDict("q=%00&page=2&kind=a&kind=%1B&%00name=x")
    kept = without_control_characters(query)
    assert dict(kept.lists()) == {"page": ["2"], "kind": ["a"]}
    assert not kept._mutable


def test_the_middleware_hands_the_page_the_clean_query():
    request = RequestFactory().get("/families/", {"q": "Jansen\x00", "page": "2"})
    seen = {}
    ControlCharacterQueryMiddleware(lambda request: seen.update(request.GET.dict()))(request)
    assert seen == {"page": "2"}


class NameForm(GovukFormMixin, forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize("character", CONTROL)
def test_a_form_refuses_a_control_character_with_one_message(character):
    form = NameForm({"name": f"Anna{character}de Vries"})
    assert not form.is_valid()
    assert form.errors["name"] == [CONTROL_CHARACTER]


def test_the_message_is_said_in_dutch_too():
    with translation.override("en"):
        english = str(CONTROL_CHARACTER)
    with translation.override("nl"):
        assert str(CONTROL_CHARACTER) != english


def test_a_field_added_after_the_form_was_made_refuses_it_too():
    form = NameForm({"name": "Anna", "late": "\x00"})
    form.fields["late"] = forms.CharField()
    assert not form.is_valid()
    assert form.errors["late"] == [CONTROL_CHARACTER]


@pytest.mark.parametrize(
    "url, query",
    [
        ("families:caseload", "q=%00"),
        ("families:caseload", "page=%00"),
        ("families:caseload", "sort=%00&q=Jan%1Bsen"),
    ],
)
def test_the_caseload_ignores_a_null_in_its_search_and_page(login, officer, family, url, query):
    response = login(officer).get(f"{reverse(url)}?{query}")
    assert response.status_code == 200
    assert family.display_name in response.content.decode()


def test_the_archive_ignores_a_null_in_its_search(login, administrator):
    assert login(administrator).get(f"{reverse('privacy:archive')}?q=%00&page=%00").status_code == 200


def test_finding_an_access_log_ignores_a_null_in_the_reference(login, administrator):
    response = login(administrator).get(f"{reverse('access_log_find')}?reference=%00")
    assert response.status_code == 200


def test_subject_access_ignores_a_null_in_the_search(login, administrator):
    assert login(administrator).get(f"{reverse('subject_access')}?q=%00").status_code == 200


def test_the_chronology_ignores_a_null_in_its_filters(login, officer, family):
    url = reverse("families:chronology", args=[family.pk])
    assert login(officer).get(f"{url}?kind=%00&page=%00&print=%00").status_code == 200


def nul_query() -> str:
    return "&".join(f"{name}=%00" for name in QUERY_NAMES) + "&%00=1"


@pytest.mark.parametrize("row", [row for row in ROWS if "GET" in row.methods], ids=str)
def test_no_page_fails_on_a_null_in_its_query(request, login, row):
    client = login(request.getfixturevalue(row.persona), verified=row.verified)
    response = client.get(f"{url_of(request, row)}?{nul_query()}")
    assert response.status_code == row.status


FIELD_NAME = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')
NOT_FIELDS = {"csrfmiddlewaretoken", "language", "next"}


@pytest.mark.parametrize("character", ["\x00", "\x1b"])
@pytest.mark.parametrize("row", [row for row in ROWS if {"GET", "POST"} <= set(row.methods)], ids=str)
def test_no_form_fails_on_a_control_character_in_any_field(request, login, row, character):
    client = login(request.getfixturevalue(row.persona), verified=row.verified)
    url = url_of(request, row)
    names = set(FIELD_NAME.findall(client.get(url).content.decode())) - NOT_FIELDS
    response = client.post(url, dict.fromkeys(names, f"{character}x"))
    assert response.status_code < 500


def test_a_contact_with_a_null_in_its_summary_is_refused_and_not_saved(english, officer, family):
    url = reverse("families:contact_add", args=[family.pk])
    response = english(officer).post(
        url,
        {
            "occurred_at": "2026-01-05T10:00",
            "kind": "phone",
            "with_whom": "The mother",
            "summary": "Talked\x00 about school",
            "follow_ups-TOTAL_FORMS": "0",
            "follow_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()
    assert not ContactEntry.objects.exists()
