"""Whatever a signed-in person who may use a form types into it — any text, any date from
year 1 to 9999 or none at all, any number, any choice — the page answers without a server
error and never saves a row that is invalid or dated outside 1900 to 2100; and the family's
pages, the caseload and the supervisor's dashboard still open afterwards (a contact dated
in year 1 broke them all).

Each form page of the project is one test. The page is opened once as the persona it is
for, to learn its fields from the HTML; hypothesis then posts values for those fields,
each example inside a savepoint that is rolled back, so that every example starts from
the same case and the page's one-time submission token is unused again. The pages and
their fixtures come from the table of every URL (tests/test_url_table.py)."""

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from families.models import Family, MissingEpisode
from families.services import household
from liaison.accounts.models import FormSubmission, Role
from liaison.audit.models import AuditCheckpoint, AuditEvent, RefusedReadHour
from safety_plans import services as plans
from safety_plans.models import (
    PART_MODELS,
    MissingProfile,
    PersonOfConcern,
    PlanContact,
    PlanStatement,
    PoliceAction,
    Visibility,
)
from tests import test_url_table as url_table
from tests.factories import FamilyFactory, HouseholdMemberFactory, UserFactory, confirmed_totp
from tests.test_url_table import OUR_APPS, ROWS, Plain, Row, url_of

pytestmark = pytest.mark.django_db

# The fixtures the rows of the table need, as the table has them.
active_plan = url_table.active_plan
article = url_table.article
agreed_plan = url_table.agreed_plan
archived_family = url_table.archived_family
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

# Every date a saved row holds lies in this range.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


# The form pages.


@dataclass(frozen=True)
class FormPage:
    """A form of the project: the row of its URL, and how it is reached."""

    row: Row
    # The URL name of the page that shows the form, where it is not the form's own URL.
    shown_on: str = ""
    method: str = "post"
    # What tells this test apart from another of the same URL (another persona, a kind).
    variant: str = ""
    # A status the page answers by design besides 200, 302, 400 and 409.
    also_answers: tuple[int, ...] = ()
    # The field in which a person types a family's reference, and the fixture of that family.
    reference: tuple[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.row.name}-{self.variant}" if self.variant else self.row.name


ROW_BY_NAME = {row.name: row for row in ROWS}


def form(name: str, *, shown_on="", variant="", method="post", also_answers=(), reference=None, **changes) -> FormPage:
    row = replace(ROW_BY_NAME[name], **changes)
    return FormPage(row, shown_on, method, variant, also_answers, reference)


def with_needs(name: str, *needs: str, **changes) -> FormPage:
    return form(name, needs=ROW_BY_NAME[name].needs + needs, **changes)


PART_KINDS = tuple(PART_MODELS)

POST_FORMS = [
    # Staff work across families, accounts and privacy.
    form("team_settings"),
    # A reference of no family is answered "no family with this reference", with 404.
    form("break_glass", also_answers=(404,), reference=("reference", "other_family")),
    form("contact_details"),
    form("second_factor_enrol"),
    form("second_factor_verify"),
    with_needs("invitation_create", "uninvited_member"),
    with_needs("invitation_create", "uninvited_member", persona="supervisor", variant="supervisor"),
    form("invitation_accept"),
    form("privacy:retention"),
    form("privacy:erasure_request_new"),
    form("privacy:erasure_request", persona="second_administrator"),
    form("privacy:archived_case_reopen", shown_on="privacy:archived_case"),
    # Multi-agency meetings.
    form("meeting_schedule"),
    form("meeting_edit"),
    form("meeting_item_add"),
    form("outcome_note_write"),
    form("outcome_note_change"),
    form("meeting_decision_add"),
    form("meeting_action_add"),
    form("meeting_action_done"),
    # The case and its household.
    form("families:open"),
    form("families:edit"),
    form("families:close"),
    form("families:closure_decide"),
    form("families:reopen"),
    with_needs("families:handover_create", "next_officer"),
    form("families:child_add"),
    form("families:child_edit"),
    form("families:member_add"),
    form("families:member_edit"),
    form("families:suspicion_mark"),
    form("families:suspicion_lift", args=("family", "marked_member")),
    # Progress, supervision, messages and what the parents shared.
    form("families:review_add"),
    form("families:review_correct"),
    form("families:parent_rating_add"),
    form("families:progress_settings"),
    form("families:supervision_add"),
    form("families:messages"),
    form("families:shared_acknowledge"),
    # The library for parents: the administrator's article, the officer's sending and talking.
    form("library_article_new"),
    form("library_article_edit"),
    form("families:article_send"),
    form("families:article_discussed"),
    # Dates found out of range, protective mode, concerns when a parent may be the exploiter.
    form("families:date_correct"),
    form("families:protective_mode"),
    form("families:protective_mode_close"),
    form("families:concern_raise"),
    form("families:concern_close"),
    form("families:meldcode_step_add"),
    with_needs("families:screen_add", "child"),
    with_needs("families:seen_alone_add", "child"),
    form("families:need_add"),
    form("families:need_change"),
    form("families:context_add"),
    form("families:context_review"),
    form("families:context_end"),
    form("families:context_mention_add"),
    form("families:context_mention_record"),
    form("context_access_ask"),
    form("context_access_decide"),
    # Contacts and follow-up actions, agencies.
    form("families:contact_add"),
    form("families:agency_add"),
    form("families:agency_change_worker"),
    form("families:agency_end"),
    # Referrals to another agency with the parents' consent, and consent for other purposes.
    with_needs("families:referral_add", "member"),
    form("families:referral_status"),
    with_needs("families:consent_add", "member", "child"),
    # Incidents and threats, missing episodes.
    form("families:incident_add"),
    with_needs("families:missing_add", "child"),
    form("families:missing_return", args=("family", "open_episode")),
    form("families:return_conversation"),
    # Justice: criminal cases and their steps, as the officer and as the police.
    with_needs("families:criminal_case_add", "child", "suspect_member"),
    with_needs("families:criminal_case_add", "child", persona="police", variant="police"),
    form("families:criminal_case_edit"),
    form("families:criminal_case_edit", persona="police", variant="police"),
    form("families:milestone_add"),
    form("families:milestone_add", persona="police", variant="police"),
    form("families:milestone_edit"),
    form("families:milestone_approve"),
    # The safety plan: its draft, its parts of every kind and its way to active.
    form("safety_plans:review_date"),
    *[with_needs("safety_plans:part_add", "child", args=("family", Plain(kind)), variant=kind) for kind in PART_KINDS],
    *[
        form("safety_plans:part_edit", args=("family", Plain(kind), f"draft_{kind}"), variant=kind)
        for kind in PART_KINDS
    ],
    form("safety_plans:part_remove"),
    form("safety_plans:reopen"),
    with_needs("safety_plans:agreement", "parent"),
    form("safety_plans:endorse"),
    form("safety_plans:comment", shown_on="safety_plans:plan"),
    # The parents' portal.
    form("portal:rating"),
    form("portal:messages"),
    form("portal:notifications"),
    form("portal:share"),
    form("portal:plan_comment", shown_on="portal:plan_shared"),
    form("portal:plan_agree"),
    form("portal:meeting_answer"),
]

# Forms that ask for nothing a person types, only a button that confirms: nothing to vary.
LEFT_OUT = {
    "quick_exit": "leaves the site at once",
    "backup_codes_regenerate": "makes new backup codes",
    "sign_out_everywhere": "ends every session",
    "invitation_revoke": "withdraws the invitation",
    "families:handover_acknowledge": "takes the case over",
    "families:follow_up_done": "marks the action done",
    "families:milestone_approval_withdraw": "takes the approval back",
    "families:context_mention_end": "unlinks the context",
    "safety_plans:start": "starts a draft",
    "safety_plans:share": "shares the draft with the parents",
    "families:protective_mode_confirm": "confirms protective mode",
    "library_article_publish": "publishes the article or takes it out of the portal",
    "meeting_voice_ask": "asks the parents what they want the meeting to know",
    "outcome_note_approve": "approves the note for the parents",
    "outcome_note_send": "sends the note to the parents",
}

# Forms that search or choose what a page shows: they save nothing, but must not fail.
QUERY_FORMS = [
    form("report", method="get"),
    form("families:caseload", method="get"),
    form("families:chronology", method="get"),
    # A version the plan does not have is answered with 404, like an absent page.
    form("safety_plans:compare", method="get", needs=("two_versions",), also_answers=(404,)),
    form("access_log_find", method="get", also_answers=(404,), reference=("reference", "family")),
    form("access_log", method="get"),
    form("family_access_log", method="get"),
    form("account_changes", method="get"),
    form("context_patterns", method="get"),
    form("subject_access", method="get"),
    form("privacy:archive", method="get"),
]


# What the pages need beyond the table's fixtures.


@pytest.fixture
def second_administrator():
    """The administrator who decides on an erasure another one recorded."""
    user = UserFactory(role=Role.ADMINISTRATOR, full_name="Bo Second", email="second-admin@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def uninvited_member(family):
    """A caregiver recorded without a portal account, who may be invited."""
    return HouseholdMemberFactory(family=family, full_name="Mira Jansen", email="mira@example.org", user=None)


@pytest.fixture
def other_family(other_officer):
    """A family of another team, which an officer opens only with emergency access."""
    return FamilyFactory(liaison_officer=other_officer, display_name="Family Elders")


@pytest.fixture
def marked_member(member, officer):
    """The parent, marked as suspected by their officer: the mark a supervisor may lift."""
    household.suspicion_mark(member=member, marked_by=officer, reason="Seen with the man the police look for.")
    return member


@pytest.fixture
def open_episode(family, officer, child):
    return MissingEpisode.objects.create(
        family=family, child=child, started_at=timezone.now() - timedelta(hours=5), created_by=officer
    )


@pytest.fixture
def two_versions(active_plan, family, officer):
    """The active plan and a new draft after it, so there are two versions to compare."""
    return plans.plan_version_start(family=family, created_by=officer)


def staff_part(model):
    """A fixture: the part of this kind that the staff see, in the filled draft."""

    @pytest.fixture
    def part(filled_draft):
        return model.objects.filter(version=filled_draft, visibility=Visibility.STAFF).first()

    return part


draft_statement = staff_part(PlanStatement)
draft_person_of_concern = staff_part(PersonOfConcern)
draft_police_action = staff_part(PoliceAction)
draft_missing_profile = staff_part(MissingProfile)
draft_contact = staff_part(PlanContact)


# Reading a form from the page.


@dataclass
class Field:
    name: str
    # The input's type ("text", "date", "checkbox"…), or "select" or "textarea".
    kind: str
    value: str = ""
    options: list[str] = dataclasses.field(default_factory=list)
    checked: list[str] = dataclasses.field(default_factory=list)
    required: bool = False
    multiple: bool = False
    max_length: int | None = None


@dataclass
class HtmlForm:
    action: str
    method: str
    fields: dict[str, Field] = dataclasses.field(default_factory=dict)

    def add(self, name: str, kind: str, attributes: dict[str, str]) -> Field:
        value = attributes.get("value", "") if kind not in ("select", "textarea") else ""
        known = self.fields.get(name)
        if known is None:
            max_length = attributes.get("maxlength", "")
            known = self.fields[name] = Field(
                name,
                kind,
                value,
                required="required" in attributes,
                multiple="multiple" in attributes,
                max_length=int(max_length) if max_length.isdigit() else None,
            )
        elif kind in ("radio", "checkbox"):
            known.multiple = kind == "checkbox"
        if kind in ("radio", "checkbox"):
            known.options.append(value or "on")
            if "checked" in attributes:
                known.checked.append(value or "on")
        return known


class FormReader(HTMLParser):
    """The forms of a page with their fields, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.form = HtmlForm(attributes.get("action", ""), attributes.get("method", "get").lower())
            self.forms.append(self.form)
            return
        name = attributes.get("name")
        if self.form is None:
            return
        if tag == "input" and name:
            self.form.add(name, attributes.get("type", "text").lower(), attributes)
        elif tag == "select" and name:
            self.select = self.form.add(name, "select", attributes)
        elif tag == "option" and self.select is not None:
            self.select.options.append(attributes.get("value", ""))
            if "selected" in attributes:
                self.select.checked.append(attributes.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = self.form.add(name, "textarea", attributes)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the line break that follows the opening tag.
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None


NOT_TYPED = {"csrfmiddlewaretoken"}


def form_of(html: str, *, action: str, method: str) -> HtmlForm:
    """The form on the page that is sent to ``action`` (its own page when it names none)."""
    reader = FormReader()
    reader.feed(html)
    found = [form for form in reader.forms if form.method == method and form.action in ("", action)]
    assert found, f"no {method} form for {action} on the page"
    html_form = found[-1]
    for name in NOT_TYPED:
        html_form.fields.pop(name, None)
    html_form.fields = {name: field for name, field in html_form.fields.items() if field.kind not in ("file", "button")}
    return html_form


# What may be typed into each kind of field.

TEXT_KINDS = {"text", "textarea", "email", "password", "search", "tel", "url"}
DATE_KINDS = {"date", "datetime-local", "time", "month", "week"}
CHOICE_KINDS = {"select", "radio", "checkbox"}

ODD_TEXTS = [
    "",
    " ",
    "\x00",
    "Anna\x00de Vries",
    "\x1b[31m",
    "\x7f\x85",
    "\ufeff\u200b",
    "\u202egnp.exe",
    "מרים כהן",
    "نور الهدى",
    "👨‍👩‍👧‍👦🚓" * 40,
    "\r\n\t",
    "<script>alert(1)</script>",
    "{{ family }}{% now 'Y' %}",
    "%(name)s %s {0}",
    "' OR '1'='1",
    "\U0010ffff",
    "Ŝ" * 5000,
    "a" * 70_000,
]
# The first and last day a date field takes, and the days just outside 1900 to 2100.
EDGE_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]
MALFORMED_DATES = [
    "",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "10000-01-01",
    "-2026-01-01",
    "0001-01-01T00:00",
    "31-12-1899",
    "01/01/0001",
    "today",
]
EDGE_DATETIMES = ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59", "2101-01-01T00:00"]
MALFORMED_DATETIMES = [
    "",
    "0001-01-01T00:59",
    "2026-02-30T12:00",
    "2026-01-01T24:00",
    "2026-03-29T02:30",
    "0001-01-01",
    "9999-12-31T23:59:59.999999",
    "0001-01-01 00:00:00+14:00",
    "now",
]
ODD_NUMBERS = [
    "",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "٣",
    "0x1F",
    " 12 ",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
]
ODD_CHOICES = ["", "0", "-1", "999999", "9" * 30, "\x00", "' OR 1=1", "on", "true"]

PLAUSIBLE_TEXT = "Met the mother at home; she keeps a log of the cars outside and calls if she sees them again."
PLAUSIBLE = {"email": "someone.new@example.org", "password": "a-Long-test-password-42", "tel": "0612345678"}


def iso_minutes(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def odd_dates() -> st.SearchStrategy[str]:
    """Dates before 1900 or after 2100 (three times in five), impossible ones, other
    formats, and nonsense."""
    return st.one_of(
        st.sampled_from(EDGE_DATES),
        st.dates(max_value=date(1899, 12, 31)).map(date.isoformat),
        st.dates(min_value=date(2101, 1, 1)).map(date.isoformat),
        st.sampled_from(MALFORMED_DATES),
        st.text(max_size=12),
    )


def odd_datetimes() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(EDGE_DATETIMES),
        st.datetimes(max_value=datetime(1899, 12, 31, 23, 59)).map(iso_minutes),
        st.datetimes(min_value=datetime(2101, 1, 1)).map(iso_minutes),
        st.sampled_from(MALFORMED_DATETIMES),
        st.text(max_size=20),
    )


def odd_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXTS),
        st.text(),
        st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=3), st.integers(100, 20_000)),
    )


def odd_numbers() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(ODD_NUMBERS), st.integers().map(str), st.text(max_size=8))


def odd_choice(field: Field) -> st.SearchStrategy[str]:
    offered = [st.sampled_from(field.options)] if field.options else []
    return st.one_of(*offered, st.sampled_from(ODD_CHOICES), st.text(max_size=10))


def odd_value(field: Field) -> st.SearchStrategy[str | list[str] | None]:
    """A value nobody should be able to save (though a form may well accept some)."""
    if field.kind == "date":
        return odd_dates()
    if field.kind in DATE_KINDS:
        return odd_datetimes()
    if field.kind == "number" or (field.kind == "hidden" and field.value.isdigit()):
        return odd_numbers()
    if field.kind in CHOICE_KINDS:
        if field.multiple:
            return st.lists(odd_choice(field), max_size=4)
        return st.one_of(st.none(), odd_choice(field))
    if field.kind == "hidden":
        return st.one_of(st.none(), odd_choice(field), odd_numbers())
    return odd_texts()


def plausible_choice(draw, field: Field) -> str | list[str] | None:
    """Any of the choices the page offers (what it has chosen first): a person may pick
    each, and some open other paths of the form (a planned step, a hearing)."""
    if field.multiple:
        return draw(st.lists(st.sampled_from(field.options), unique=True)) if field.options else []
    if field.kind == "checkbox":
        ticked = bool(field.checked) != draw(st.booleans())
        return field.options[0] if ticked or field.required else None
    offered = [value for value in field.checked if value]
    offered += [value for value in field.options if value and value not in offered]
    return draw(st.sampled_from(offered)) if offered else None


def plausible_value(field: Field, *, fill: bool) -> str | None:
    """What a person filling in the form sensibly would type: what the page shows, or
    something ordinary where it shows nothing and the field asks for it (or ``fill``)."""
    if field.value or field.kind == "hidden" or not (field.required or fill):
        return field.value
    if field.kind == "date":
        return timezone.localdate().isoformat()
    if field.kind == "datetime-local":
        return iso_minutes(timezone.localtime() - timedelta(hours=1))
    if field.kind == "number":
        return "3"
    return PLAUSIBLE.get(field.kind, PLAUSIBLE_TEXT)[: field.max_length]


def theme_of(field: Field) -> str:
    if field.kind in DATE_KINDS:
        return "dates"
    if field.kind == "number" or (field.kind == "hidden" and field.value.isdigit()):
        return "numbers"
    if field.kind in TEXT_KINDS:
        return "text"
    return "choices"


def extra_row_of(field: Field, html_form: HtmlForm) -> str | None:
    """The row of a formset (``prefix-0``) that the field is in, when the row starts empty."""
    prefix, _dash, rest = field.name.partition("-")
    number = rest.partition("-")[0]
    if f"{prefix}-TOTAL_FORMS" in html_form.fields and number.isdigit():
        return f"{prefix}-{number}"
    return None


@st.composite
def submitted(draw, html_form: HtmlForm) -> dict[str, str | list[str]]:
    """What one example sends. Each example has a theme: some of the form's dates, texts,
    numbers or choices are odd and the rest filled in as a person would (so that an odd
    value reaches the save); or any field at all is odd."""
    fields = list(html_form.fields.values())
    by_theme = {theme: [field.name for field in fields if theme_of(field) == theme] for theme in THEMES}
    # Dates three times over: a date out of range is what breaks the pages of a case.
    themes = [*(theme for theme in ("dates", "dates", *THEMES) if by_theme[theme]), "anything"]
    theme = draw(st.sampled_from(themes))
    if theme == "anything":
        odd = {field.name for field in fields if draw(st.booleans())}
    else:
        odd = draw(st.sets(st.sampled_from(by_theme[theme]), min_size=1))
    # A row of a formset stays empty, unless an odd value went into it: then it is filled in.
    rows_filled = {extra_row_of(html_form.fields[name], html_form) for name in odd}
    values: dict[str, str | list[str]] = {}
    for field in fields:
        if field.name in odd:
            value = draw(odd_value(field))
        elif field.kind in CHOICE_KINDS:
            value = plausible_choice(draw, field)
        else:
            row = extra_row_of(field, html_form)
            # An optional field the page shows empty is filled in now and then.
            optional = not (field.value or field.required or field.kind == "hidden")
            fill = row in rows_filled if row else optional and draw(st.booleans())
            value = plausible_value(field, fill=fill)
        if value is not None:
            values[field.name] = value
    return values


THEMES = ("dates", "text", "numbers", "choices")


# What must hold after every example.

# Rows that every request adds (the audit trail, the one-time tokens): checked, but they
# are no change to the case that could break its pages.
BOOKKEEPING = {AuditEvent, AuditCheckpoint, RefusedReadHour, FormSubmission}


def our_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.split(".")[0] in OUR_APPS]


def row_values(row: models.Model) -> tuple:
    return tuple(field.value_from_object(row) for field in row._meta.concrete_fields)


Snapshot = dict[type[models.Model], dict[object, tuple]]


def snapshot() -> Snapshot:
    return {model: {row.pk: row_values(row) for row in model._base_manager.all()} for model in our_models()}


def rows_changed_since(before: Snapshot) -> list[models.Model]:
    """The rows of our apps made or changed since the snapshot."""
    return [
        row
        for model, earlier in before.items()
        for row in model._base_manager.all()
        if earlier.get(row.pk) != row_values(row)
    ]


def local_day(moment: datetime) -> date:
    """The day of the moment where the people are, or in UTC when the local day is past year 9999."""
    try:
        return timezone.localtime(moment).date()
    except OverflowError:
        return moment.date()


def dates_out_of_range(row: models.Model) -> list[str]:
    """Every date and time of the row that lies outside 1900 to 2100, named."""
    found = []
    for model_field in row._meta.concrete_fields:
        if not isinstance(model_field, models.DateField):  # DateTimeField is one too
            continue
        value = model_field.value_from_object(row)
        day = local_day(value) if isinstance(value, datetime) else value
        if day is not None and not EARLIEST <= day <= LATEST:
            found.append(f"{type(row).__name__} {row.pk}: {model_field.name} = {value!r}")
    return found


def invalid(row: models.Model) -> list[str]:
    try:
        row.full_clean()
    except ValidationError as error:
        return [f"{type(row).__name__} {row.pk}: {error.message_dict}"]
    return []


@dataclass(repr=False)
class Scene:
    """A form page opened by its persona, and the staff who look at the case after."""

    page: FormPage
    url: str
    client: Client
    html_form: HtmlForm
    family: Family
    officer_client: Client
    supervisor_client: Client
    before: Snapshot

    def __repr__(self) -> str:
        return f"<{self.page} as {self.page.row.persona}>"

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """How hypothesis names the scene of a failing example: by its page, not its rows."""
        printer.text(repr(self))

    def send(self, values: dict) -> int:
        client_method = self.client.post if self.page.method == "post" else self.client.get
        return client_method(self.url, values).status_code

    def pages_that_fail(self, changed: list[models.Model]) -> dict[str, int]:
        """The family's pages (of every family made in the example too), the caseload and
        the dashboard, with the status of each that does not open."""
        families = [self.family, *(row for row in changed if isinstance(row, Family) and row.pk != self.family.pk)]
        expected = []
        for family in families:
            family.refresh_from_db()
            # A case closed in the example went to the archive: nobody reaches it there.
            status = 404 if family.archived_at else 200
            expected += [(self.officer_client, reverse(name, args=[family.pk]), status) for name in FAMILY_PAGES]
        expected.append((self.officer_client, reverse("families:caseload"), 200))
        expected.append((self.supervisor_client, reverse("dashboard"), 200))
        answers = {url: client.get(url).status_code for client, url, _status in expected}
        return {url: answers[url] for _client, url, status in expected if answers[url] != status}


FAMILY_PAGES = ("families:detail", "families:chronology")


@pytest.fixture
def scene(request, login, form_page: FormPage, family, officer, supervisor) -> Scene:
    page = form_page
    row = page.row
    url = url_of(request, row)
    client = login(request.getfixturevalue(row.persona), verified=row.verified)
    shown_on = url
    if page.shown_on:
        shown_on = reverse(page.shown_on, args=[request.getfixturevalue(arg).pk for arg in row.args])
    response = client.get(shown_on)
    assert response.status_code == 200
    html_form = form_of(response.content.decode(), action=url, method=page.method)
    if page.reference:
        name, fixture = page.reference
        html_form.fields[name].value = request.getfixturevalue(fixture).reference
    return Scene(
        page=page,
        url=url,
        client=client,
        html_form=html_form,
        family=family,
        officer_client=login(officer),
        supervisor_client=login(supervisor),
        before=snapshot(),
    )


class RolledBack(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever the example saves is undone after it, so each starts from the same case;
    the caches (rate limits, kept fragments of pages) start empty too."""
    for cache in caches.all():
        cache.clear()
    try:
        with transaction.atomic():
            yield
            raise RolledBack
    except RolledBack:
        pass


def check_one_example(scene: Scene, data: DataObject) -> None:
    values = data.draw(submitted(scene.html_form), label="sent")
    with rolled_back():
        status = scene.send(values)
        assert status < 500
        assert status in (200, 302, 303, 400, 409, *scene.page.also_answers), f"unexpected status {status}"
        changed = rows_changed_since(scene.before)
        if any(type(row) not in BOOKKEEPING for row in changed):
            failing = scene.pages_that_fail(changed)
            assert not failing, f"pages that no longer open: {failing}"
        problems = [problem for row in changed for problem in invalid(row)]
        assert not problems, f"saved rows that are not valid: {problems}"
        problems = [problem for row in changed for problem in dates_out_of_range(row)]
        assert not problems, f"saved dates outside {EARLIEST} to {LATEST}: {problems}"


PROPERTY_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # No explanation phase: it runs the failing example again under a tracer, slowly.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("form_page", POST_FORMS, ids=str)
@settings(PROPERTY_SETTINGS, max_examples=15)
@given(data=st.data())
def test_any_input_gives_no_server_error_and_saves_no_invalid_row(scene, data):
    check_one_example(scene, data)


@pytest.mark.parametrize("form_page", QUERY_FORMS, ids=str)
@settings(PROPERTY_SETTINGS, max_examples=8)
@given(data=st.data())
def test_any_search_or_choice_gives_no_server_error(scene, data):
    check_one_example(scene, data)


def test_every_form_of_the_url_table_is_tried_or_left_out_with_its_reason():
    tried = {page.row.name for page in POST_FORMS}
    taking_post = {row.name for row in ROWS if "POST" in row.methods}
    assert sorted(taking_post - tried) == sorted(LEFT_OUT)
