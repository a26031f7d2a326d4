"""The parents' portal on a phone, in a real browser: a parent reads the plan in force,
shares what they saw with a screenshot and asks that their child never learns it came
from them; the police partner answers on a desktop and the parent reads the answer; a
message goes to the officer and the reply comes back. Every portal page on the way is
checked with axe and must fit the phone's width."""

import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from families.models import PortalMessage, SharedInformation, SharedStatus
from safety_plans import services
from safety_plans.models import PlanStatus, PlanVersion, Visibility
from tests.e2e.conftest import assert_no_violations
from tests.factories import ChildFactory
from tests.safety_plans.conftest import HIDDEN_MARKERS, add_every_kind, marker

PHONE = {"width": 390, "height": 844}
SHARED_TEXT = "Noor got into a black scooter outside the school. The driver calls himself Dino."
SHARED_PLACE = "Parkweg, by the snack bar"
FEEDBACK = "Thank you. We spoke to the school and keep an eye on the Parkweg."
PARENT_MESSAGE = "Can we meet on Thursday instead of Friday?"
OFFICER_REPLY = "Thursday is fine, I will come at ten."
SCREENSHOT_SIZE = (390, 640)

# Dutch, as the browser asks for it (locale/nl/LC_MESSAGES/django.po).
SENT = "Verstuurd"
ACTED_ON_FOR_PARENTS = "De politie heeft er iets mee gedaan"
ACTED_ON_FOR_STAFF = "Er is iets mee gedaan"
CHILD_MUST_NOT_KNOW_FOR_PARENTS = "Je kind mag niet weten dat dit van jou komt."
CHILD_MUST_NOT_KNOW_FOR_STAFF = "Het kind mag niet weten dat dit van de ouders komt"
WITH_A_FILE = "Met een bestand"
READ_BY_OFFICER = "gelezen door je ouderbegeleider"

FITS_THE_WIDTH = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def route(name: str, *args) -> str:
    return reverse(name, args=args)


def link_to(page: Page, href: str):
    """The link in the main content that leads exactly to ``href``."""
    return page.get_by_role("main").locator(f"a[href='{href}']")


def nav_link(page: Page, href: str):
    return page.locator(f"nav.liaison-nav a[href='{href}']")


def press_send(page: Page) -> None:
    """The submit button of the form in the main content (a file input counts as a button too)."""
    page.get_by_role("main").locator("form button[type='submit']").click()


def expect_done(page: Page) -> None:
    expect(page.locator("main .govuk-notification-banner--success")).to_be_visible()


def assert_fine_on_a_phone(axe, page: Page) -> None:
    """axe finds nothing wrong and nothing makes the phone scroll sideways."""
    assert page.viewport_size == PHONE
    assert_no_violations(axe, page)
    assert page.evaluate(FITS_THE_WIDTH), (
        f"{page.url} scrolls sideways: "
        f"{page.evaluate('document.documentElement.scrollWidth')}px in {page.evaluate('window.innerWidth')}px"
    )


def active_plan(family, officer, police, parent) -> PlanVersion:
    """A plan in force, written, shared, agreed and endorsed through the services, with a
    part of every kind for the parents, the staff and the police."""
    child = ChildFactory(family=family, full_name="Noor Jansen")
    version = services.plan_version_start(family=family, created_by=officer)
    add_every_kind(version, officer, Visibility.PARENTS, child)
    add_every_kind(version, officer, Visibility.STAFF, child)
    add_every_kind(version, police, Visibility.POLICE, child)
    version = services.plan_review_date_set(
        version=version,
        review_on=timezone.localdate() + timedelta(weeks=12),
        base_revision=version.revision,
        actor=officer,
    )
    version = services.plan_share(version=version, base_revision=version.revision, actor=officer)
    member = parent.household_memberships.get(family=family)
    services.plan_agree(version=version, agreed_by=member, words="We agree.", recorded_by=parent)
    services.plan_endorse(version=version, officer=police, note="Endorsed for the unit.")
    version.refresh_from_db()
    assert version.status == PlanStatus.ACTIVE
    return version


def screenshot_file(tmp_path: Path) -> Path:
    """A JPEG that looks a little like a chat on a phone."""
    image = Image.new("RGB", SCREENSHOT_SIZE, "#ece5dd")
    drawing = ImageDraw.Draw(image)
    drawing.rectangle((0, 0, 390, 60), fill="#075e54")
    for top in range(90, 600, 90):
        drawing.rounded_rectangle((20, top, 300, top + 60), radius=12, fill="#ffffff")
    path = tmp_path / "chat.jpg"
    image.save(path, format="JPEG")
    return path


def test_a_parent_shares_on_a_phone_and_hears_back(
    page: Page, new_context, axe, officer, police, parent, family, url, at, sign_in, artifacts, tmp_path
):
    version = active_plan(family, officer, police, parent)
    happened_on = timezone.localdate() - timedelta(days=2)
    page.set_viewport_size(PHONE)
    # The neutral site behind "leave this site quickly" is outside; the test answers for it.
    page.route(f"{settings.QUICK_EXIT_URL}**", lambda neutral: neutral.fulfill(body="<h1>Weather</h1>"))

    # 1. The parent signs in on a phone, lands on their page and reads the plan in force.
    sign_in(page, parent)
    expect(page).to_have_url(at("portal:home"))
    expect(page.locator("#quick-exit button")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(marker(Visibility.PARENTS, "contact"))
    assert_fine_on_a_phone(axe, page)
    page.screenshot(path=artifacts / "portal-home-phone.png", full_page=True)

    link_to(page, route("portal:plan")).click()
    expect(page).to_have_url(at("portal:plan"))
    main = page.get_by_role("main")
    for field in ("sign", "do", "action", "profile", "contact"):
        expect(main).to_contain_text(marker(Visibility.PARENTS, field))
    html = page.content()
    for hidden in HIDDEN_MARKERS:
        assert hidden not in html
    assert_fine_on_a_phone(axe, page)

    # The menu leads to the news from the police and the court as well.
    nav_link(page, route("portal:justice")).click()
    expect(page).to_have_url(at("portal:justice"))
    assert_fine_on_a_phone(axe, page)

    # 2. From their page to "share information"; sending nothing says what is missing.
    nav_link(page, route("portal:home")).click()
    link_to(page, route("portal:share")).click()
    expect(page).to_have_url(at("portal:share"))
    assert_fine_on_a_phone(axe, page)

    press_send(page)
    expect(page).to_have_url(at("portal:share"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary a[href='#id_text']")).to_be_visible()
    expect(page.locator("#id_text_error")).to_be_visible()
    assert_fine_on_a_phone(axe, page)
    assert not SharedInformation.objects.exists()

    page.locator("#id_text").fill(SHARED_TEXT)
    page.locator("#id_happened_on").fill(happened_on.isoformat())
    page.locator("#id_happened_where").fill(SHARED_PLACE)
    page.locator("#id_attachment").set_input_files(screenshot_file(tmp_path))
    page.locator("#id_child_must_not_know").check()
    press_send(page)
    expect(page).to_have_url(at("portal:shared"))
    expect_done(page)
    card = page.locator("main .govuk-summary-card")
    expect(card).to_have_count(1)
    expect(card.locator(".govuk-tag")).to_have_text(SENT)
    expect(card).to_contain_text(SHARED_TEXT)
    expect(card).to_contain_text(SHARED_PLACE)
    expect(card).to_contain_text(CHILD_MUST_NOT_KNOW_FOR_PARENTS)
    item = SharedInformation.objects.get()
    photo = card.locator(f"a[href='{route('portal:shared_attachment', item.pk)}']")
    expect(photo).to_be_visible()
    response = page.request.get(url("portal:shared_attachment", item.pk))
    assert response.ok and response.headers["content-type"] == "image/jpeg"
    assert_fine_on_a_phone(axe, page)

    # 3. The police partner, at a desk, finds it waiting and answers it.
    police_page = new_context().new_page()
    sign_in(police_page, police)
    nav_link(police_page, route("families:shared_waiting")).click()
    expect(police_page).to_have_url(at("families:shared_waiting"))
    row = police_page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(family.reference)
    expect(row.locator(".govuk-tag--red")).to_have_text(CHILD_MUST_NOT_KNOW_FOR_STAFF)
    expect(row).to_contain_text(WITH_A_FILE)
    assert_no_violations(axe, police_page)

    row.locator(f"a[href='{route('families:shared', family.pk)}#shared-{item.pk}']").click()
    expect(police_page).to_have_url(re.compile(rf"{re.escape(route('families:shared', family.pk))}#shared-{item.pk}$"))
    shared_card = police_page.locator(f"#shared-{item.pk}")
    expect(shared_card.locator(".liaison-warning")).to_contain_text(CHILD_MUST_NOT_KNOW_FOR_STAFF)
    expect(shared_card).to_contain_text(SHARED_TEXT)
    expect(shared_card).to_contain_text(SHARED_PLACE)
    assert_no_violations(axe, police_page)

    shared_card.locator(f"a[href='{route('families:shared_acknowledge', family.pk, item.pk)}']").click()
    expect(police_page).to_have_url(at("families:shared_acknowledge", family.pk, item.pk))
    expect(police_page.locator("main .liaison-warning")).to_contain_text(CHILD_MUST_NOT_KNOW_FOR_STAFF)
    police_page.locator(f"input[name='status'][value='{SharedStatus.ACTED_ON}']").check()
    police_page.locator("#id_feedback").fill(FEEDBACK)
    press_send(police_page)
    expect(police_page).to_have_url(at("families:shared", family.pk))
    expect_done(police_page)
    expect(police_page.locator(f"#shared-{item.pk} .govuk-tag--green")).to_have_text(ACTED_ON_FOR_STAFF)

    # 4. Back on the phone, the parent sees what became of it.
    page.reload()
    expect(page).to_have_url(at("portal:shared"))
    expect(card.locator(".govuk-tag")).to_have_text(ACTED_ON_FOR_PARENTS)
    expect(card).to_contain_text(FEEDBACK)
    assert_fine_on_a_phone(axe, page)
    page.screenshot(path=artifacts / "portal-shared-phone.png", full_page=True)

    # 5. A message to the officer, and the officer's reply.
    nav_link(page, route("portal:messages")).click()
    expect(page).to_have_url(at("portal:messages"))
    assert_fine_on_a_phone(axe, page)
    page.locator("#id_text").fill(PARENT_MESSAGE)
    press_send(page)
    expect(page).to_have_url(at("portal:messages"))
    expect_done(page)
    expect(page.locator("main .liaison-thread")).to_contain_text(PARENT_MESSAGE)

    officer_page = new_context().new_page()
    sign_in(officer_page, officer)
    officer_page.goto(url("families:detail", family.pk))
    officer_page.locator(f"nav.liaison-case-nav a[href='{route('families:messages', family.pk)}']").click()
    expect(officer_page).to_have_url(at("families:messages", family.pk))
    expect(officer_page.locator("main .liaison-thread")).to_contain_text(PARENT_MESSAGE)
    expect(officer_page.locator("main .liaison-thread")).to_contain_text(f"{parent.full_name} (ouder)")
    officer_page.locator("#id_text").fill(OFFICER_REPLY)
    press_send(officer_page)
    expect(officer_page).to_have_url(at("families:messages", family.pk))
    expect_done(officer_page)
    expect(officer_page.locator("main .liaison-thread")).to_contain_text(OFFICER_REPLY)

    nav_link(page, route("portal:home")).click()
    expect(page.get_by_role("main")).to_contain_text("Je hebt 1 nieuw bericht van je ouderbegeleider.")
    assert_fine_on_a_phone(axe, page)
    link_to(page, route("portal:messages")).click()
    thread = page.locator("main .liaison-thread")
    expect(thread).to_contain_text(OFFICER_REPLY)
    expect(thread).to_contain_text(officer.full_name)
    expect(thread).to_contain_text(READ_BY_OFFICER)
    assert_fine_on_a_phone(axe, page)

    # 6. The remaining portal pages, each reached by its link.
    link_to(page, route("portal:notifications")).click()
    expect(page).to_have_url(at("portal:notifications"))
    assert_fine_on_a_phone(axe, page)
    nav_link(page, route("portal:home")).click()
    link_to(page, route("portal:rating")).click()
    expect(page).to_have_url(at("portal:rating"))
    assert_fine_on_a_phone(axe, page)
    nav_link(page, route("portal:home")).click()
    link_to(page, route("portal:about")).click()
    expect(page).to_have_url(at("portal:about"))
    assert_fine_on_a_phone(axe, page)

    # 7. What the database holds.
    item.refresh_from_db()
    assert (item.family, item.created_by, item.status) == (family, parent, SharedStatus.ACTED_ON)
    assert (item.acknowledged_by, item.police_feedback) == (police, FEEDBACK)
    assert item.acknowledged_at is not None and item.status_changed_at is not None
    assert item.child_must_not_know is True
    assert (item.text, item.happened_on, item.happened_where) == (SHARED_TEXT, happened_on, SHARED_PLACE)
    assert item.attachment_type == "image/jpeg" and item.attachment.name.startswith("shared-information/")
    messages = list(PortalMessage.objects.filter(family=family).order_by("created_at"))
    assert [(m.text, m.from_parent, m.created_by) for m in messages] == [
        (PARENT_MESSAGE, True, parent),
        (OFFICER_REPLY, False, officer),
    ]
    assert all(m.read_at is not None for m in messages)
    assert PlanVersion.objects.get(pk=version.pk).status == PlanStatus.ACTIVE
