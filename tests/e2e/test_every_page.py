"""Every page of every role, in both languages, on a phone (360 px) and a desktop (1280 px):
axe-core finds nothing wrong, the browser logs no error, and on the phone the page itself
never scrolls sideways (a wide table scrolls inside its own region instead).

The pages come from the URL table of tests/test_url_table.py, built as it builds them: the
persona a row is for visits it, every other persona who gets the page visits it too (the
same page, with what that persona may see), and the pages open to every signed-in person are
visited by every role, all at both widths in both languages. One browser page per persona
and language visits them all, resizing rather than reloading. Every form is also sent
empty and checked with its errors shown, in both languages at both widths. The admin pages
an administrator uses are visited too.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.conftest import AXE_OPTIONS, current_totp, submit_main_form
from tests.factories import PASSWORD
from tests.test_error_summary import REFUSED, shown_on
from tests.test_form_properties import (  # noqa: F401 (fixtures the forms need)
    FormPage,
    draft_contact,
    draft_missing_profile,
    draft_person_of_concern,
    draft_police_action,
    draft_statement,
    marked_member,
    open_episode,
    other_family,
    second_administrator,
    uninvited_member,
)
from tests.test_url_table import (  # noqa: F401 (fixtures the rows need)
    FILE_ANSWERS,
    PERSONAS,
    PUBLIC_ELSEWHERE,
    ROWS,
    Row,
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

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = (PHONE, DESKTOP)
LANGUAGES = ("nl", "en")
ROLES = ("officer", "supervisor", "police", "analyst", "administrator", "parent")


# The outermost elements that reach past the right edge of the window, to say what to fix.
TOO_WIDE = """() => [...document.body.querySelectorAll("*")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((element) => !element.parentElement.closest("[role=region]"))
  .filter((element) => element.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 3).map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`)"""

# The states a case passes through, in the order they can follow one another in one case:
# rows are visited in this order, each bringing its own state; a closed case is a world of its own.
STATES = ("draft", "shared_plan", "agreed_plan", "active_plan", "handover", "protective_mode", "closure_asked")
CLOSED = "closed_case"
# Fixtures a row takes as arguments that bring a plan state with them.
STATE_OF_ARGUMENT = {"statement": "draft", "photo_profile": "shared_plan"}


def is_page(row: Row) -> bool:
    return "GET" in row.methods and row.name not in FILE_ANSWERS and not row.public and row.verified


def for_everyone(row: Row) -> bool:
    return row.denied == ()


def state_of(row: Row) -> int:
    """How far along the case must be for the row: its place in STATES."""
    needs = list(row.needs) + [STATE_OF_ARGUMENT[arg] for arg in row.args if arg in STATE_OF_ARGUMENT]
    return max((STATES.index(need) + 1 for need in needs if need in STATES), default=0)


def its_own(row: Row, persona: str) -> bool:
    """A page the persona visits: one they get, or one open to every role."""
    return persona in row.seen_by or (for_everyone(row) and persona in ROLES)


def rows_of(persona: str, closed: bool) -> list[Row]:
    rows = [row for row in ROWS if is_page(row) and its_own(row, persona) and (CLOSED in row.needs) == closed]
    return sorted(rows, key=state_of)


@dataclass(frozen=True)
class Visit:
    """The pages one persona sees in one language, in one state of the case."""

    persona: str
    language: str
    closed: bool = False

    def __str__(self) -> str:
        return f"{self.persona}-{self.language}{'-closed' if self.closed else ''}"


VISITS = [
    Visit(persona, language, closed)
    for persona in PERSONAS
    for language in LANGUAGES
    for closed in (False, True)
    if rows_of(persona, closed)
]


STATUS_NOTE = "Failed to load resource: the server responded with a status of 4"


@dataclass
class Findings:
    """Everything wrong, page by page, so one run shows it all."""

    problems: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    # Addresses whose error status the test asks for: the browser notes it in the console.
    refusing: set[str] = field(default_factory=set)

    def listen(self, page: Page) -> None:
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console.append(f"{page.url}: {error}"))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.location.get("url") in self.refusing and message.text.startswith(STATUS_NOTE):
            return
        if message.type == "error":
            self.console.append(f"{message.page.url if message.page else ''}: {message.text}")

    def report(self) -> str:
        return "\n".join(self.problems + [f"console error on {line}" for line in dict.fromkeys(self.console)])


def check_page(page: Page, axe, findings: Findings, language: str) -> None:
    """The page that is open now: at each width, axe finds nothing; on the phone it does
    not scroll sideways; it is in the language chosen."""
    page.wait_for_load_state("load")
    where = page.url
    if page.locator("html").get_attribute("lang") != language:
        findings.problems.append(f"{where}: not in {language}")
    for size in WIDTHS:
        page.set_viewport_size(size)
        results = axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            targets = " ".join(str(node["target"]) for node in violation["nodes"][:3])
            findings.problems.append(f"{where} at {size['width']} px: {violation['id']} on {targets}")
        if size is PHONE:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wide = page.evaluate(TOO_WIDE)
                findings.problems.append(f"{where} at 360 px scrolls sideways by {overflow} px: {wide}")


def visit(page: Page, address: str, axe, findings: Findings, language: str, status: int | None = 200) -> None:
    response = page.goto(address)
    if status is not None and response.status != status:
        findings.problems.append(f"{address}: answered {response.status}, not {status}")
    check_page(page, axe, findings, language)


def choose(page: Page, language: str) -> None:
    if page.locator("html").get_attribute("lang") != language:
        page.locator(f"header button[name='language'][value='{language}']").click()
        expect(page.locator("html")).to_have_attribute("lang", language)


def walk_sign_in(page: Page, user, live_server, axe, findings: Findings, language: str) -> None:
    """The sign-in page and, for staff, the code page are checked on the way in."""
    visit(page, f"{live_server.url}{reverse('account_login')}", axe, findings, language)
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    submit_main_form(page)
    if page.locator("#id_token").count():
        check_page(page, axe, findings, language)
        page.locator("#id_token").fill(current_totp(user))
        submit_main_form(page)
    expect(page.locator("#id_token")).to_have_count(0)


@pytest.mark.parametrize("visit_of", VISITS, ids=str)
def test_every_page_of_a_persona(page: Page, axe, request, live_server, family, visit_of: Visit):
    findings = Findings()
    findings.listen(page)
    user = request.getfixturevalue(visit_of.persona)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{reverse('account_login')}")
    choose(page, visit_of.language)
    walk_sign_in(page, user, live_server, axe, findings, visit_of.language)

    for row in rows_of(visit_of.persona, visit_of.closed):
        status = row.status if visit_of.persona in row.seen_by else None
        visit(page, f"{live_server.url}{url_of(request, row)}", axe, findings, visit_of.language, status)

    assert not findings.problems and not findings.console, findings.report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_signed_out(page: Page, axe, request, live_server, language):
    findings = Findings()
    findings.listen(page)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{reverse('account_login')}")
    choose(page, language)

    public = [row for row in ROWS if row.public and "GET" in row.methods and row.name not in FILE_ANSWERS]
    for address in [reverse(name) for name in PUBLIC_ELSEWHERE] + [url_of(request, row) for row in public]:
        visit(page, f"{live_server.url}{address}", axe, findings, language)
    response = page.request.get(f"{live_server.url}/favicon.ico")
    if not response.ok or not response.headers["content-type"].startswith("image/"):
        findings.problems.append(f"/favicon.ico answered {response.status} {response.headers.get('content-type')}")

    assert not findings.problems and not findings.console, findings.report()


def admin_pages(administrator) -> Iterator[str]:
    """The admin's index, and for each model it offers: the list, the form to add one where
    adding is allowed, and the form of the first one there is."""
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        if model_admin.has_add_permission(_request_of(administrator)):
            yield reverse(f"{name}_add")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse(f"{name}_change", args=[first.pk])


def _request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.usefixtures("team", "police_unit", "invitation")
def test_every_admin_page(page: Page, axe, live_server, administrator, language):
    findings = Findings()
    findings.listen(page)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{reverse('account_login')}")
    choose(page, language)
    walk_sign_in(page, administrator, live_server, axe, findings, language)

    for address in admin_pages(administrator):
        visit(page, f"{live_server.url}{address}", axe, findings, language)

    assert not findings.problems and not findings.console, findings.report()


# Every field a person fills in left empty, the browser's own checks off, and the form sent
# with its button, as in tests/test_error_summary.py (what is hidden goes as the page has it).
SEND_EMPTY = """(action) => {
  const path = new URL(action, location.href).pathname;
  const form = [...document.forms]
    .filter((form) => form.method === "post" && new URL(form.action).pathname === path)
    .pop();
  if (!form) throw new Error(`no form sent to ${path} on ${location.pathname}`);
  form.noValidate = true;
  for (const field of form.elements) {
    if (["hidden", "submit", "button", "reset", "file"].includes(field.type)) continue;
    if (["checkbox", "radio"].includes(field.type)) field.checked = false;
    else if (field.tagName === "SELECT") [...field.options].forEach((option) => (option.selected = false));
    else field.value = "";
  }
  form.requestSubmit(form.querySelector("button:not([type=button]), input[type=submit]"));
}"""


def signed_in_as(page: Page, login, live_server, user, *, verified: bool, language: str) -> None:
    """The browser takes the session of a person signed in (the sign-in pages have their own visits)."""
    client = login(user, verified=verified)
    page.context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in (
                (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value),
                (settings.LANGUAGE_COOKIE_NAME, language),
            )
        ]
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_page", REFUSED, ids=str)
def test_every_form_sent_empty(page: Page, axe, request, live_server, login, form_page: FormPage, language):
    """The page with its errors: what people who made a mistake see, at both widths."""
    findings = Findings()
    findings.listen(page)
    row = form_page.row
    signed_in_as(
        page, login, live_server, request.getfixturevalue(row.persona), verified=row.verified, language=language
    )
    action = f"{live_server.url}{url_of(request, row)}"
    findings.refusing.add(action)
    page.goto(f"{live_server.url}{shown_on(request, form_page)}")
    with page.expect_navigation() as sent:
        page.evaluate(SEND_EMPTY, action)
    if sent.value.status not in (400, 409):
        findings.problems.append(f"{action} sent empty: answered {sent.value.status}, not 400 or 409")
    check_page(page, axe, findings, language)

    assert not findings.problems and not findings.console, findings.report()


SPACE = 16  # px between the hint and the switcher when they share a line


def apart(first: dict, second: dict) -> bool:
    """On separate lines, or at least SPACE px apart on the same one."""
    separate_lines = first["y"] + first["height"] <= second["y"] or second["y"] + second["height"] <= first["y"]
    gap = max(second["x"] - (first["x"] + first["width"]), first["x"] - (second["x"] + second["width"]))
    return separate_lines or gap >= SPACE


def test_the_quick_exit_hint_keeps_clear_of_the_language_switcher(page: Page, axe, live_server, parent):
    walk_sign_in(page, parent, live_server, axe, Findings(), "nl")
    for language in LANGUAGES:
        choose(page, language)
        for size in WIDTHS:
            page.set_viewport_size(size)
            hint = page.locator(".liaison-quick-exit__hint").bounding_box()
            switcher = page.locator("header .liaison-language").bounding_box()
            assert apart(hint, switcher), f"{language} at {size['width']} px: {hint} {switcher}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.usefixtures("context_link")
def test_the_contexts_of_a_family_that_has_one(page: Page, axe, live_server, login, officer, family, language):
    """The contexts of a family that has one (the URL table's family has none): on the phone
    the table scrolls in its own region, and its links to review and end a context are
    each a target of 24 px."""
    findings = Findings()
    findings.listen(page)
    signed_in_as(page, login, live_server, officer, verified=True, language=language)
    visit(page, f"{live_server.url}{reverse('families:contexts', args=[family.pk])}", axe, findings, language)

    assert not findings.problems and not findings.console, findings.report()
