"""A safety plan from first draft to the parents' copy on paper, in a real browser: the
officer writes the draft with a missing-person profile and its photo, the police partner
adds the police actions, the parents read what is meant for them, comment and agree, the
police endorse it, and each reader's PDF holds exactly what that reader may see."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pypdfium2
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from safety_plans.models import (
    MissingProfile,
    PersonOfConcern,
    PlanComment,
    PlanStatus,
    PlanVersion,
    PoliceAction,
    Visibility,
)
from tests.e2e.conftest import assert_no_violations, submit_main_form
from tests.factories import ChildFactory

CHILD_NAME = "Noor Jansen"
WARNING_SIGN = "FORPARENTS-sign: Noor comes home with new clothes or a phone we did not buy."
PARENTS_DO = "FORPARENTS-do: We keep the front door locked after ten at night."
PERSON_OF_CONCERN = "STAFFONLY-Dino"
CONTACT_NAME = "FORPARENTS-contact Support line"
MISSING_DESCRIPTION = "FORPARENTS-profile: slim, often wears a grey hoodie."
POLICE_ACTION = "FORPARENTS-action: address marker so that a call from the house gets priority."
POLICE_ACTION_OWNER = "Pat Police, vice unit North"
POLICE_ONLY_ACTION = "POLICEONLY-Warning notice to the man who harbours Noor at the Parkweg flat."
PARENT_COMMENT = "Can the school also know the warning signs?"
PARENT_WORDS = "We understand the plan and will keep to it."
ENDORSEMENT_NOTE = "Endorsed for the vice unit."
HIDDEN_MARKERS = ("STAFFONLY", "POLICEONLY")
PHOTO_SIZE = (300, 400)


def route(name: str, *args) -> str:
    return reverse(name, args=args)


def link_to(page: Page, href: str):
    """The link in the main content that leads exactly to ``href``."""
    return page.get_by_role("main").locator(f"a[href='{href}']")


def on_plan(family) -> re.Pattern:
    """The plan page, with or without a query or a fragment (saving a part lands on its section)."""
    return re.compile(rf"^https?://[^/]+{re.escape(route('safety_plans:plan', family.pk))}(\?[^#]*)?(#.*)?$")


def expect_saved(page: Page, family) -> None:
    expect(page).to_have_url(on_plan(family))
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def without_spaces(text: str) -> str:
    return "".join(text.split())


def pdf_text(content: bytes) -> str:
    """The words of every page with all white space removed, so a line break in a narrow
    cell cannot hide a marker."""
    return "".join(without_spaces(page.extract_text()) for page in PdfReader(BytesIO(content)).pages)


def pdf_image_sizes(content: bytes) -> set[tuple[int, int]]:
    """The sizes of the images embedded in a PDF (pages may share one image)."""
    return {image.image.size for page in PdfReader(BytesIO(content)).pages for image in page.images}


def save_page_images(content: bytes, artifacts: Path, stem: str) -> list[Path]:
    """Pages 1 and 2 of a PDF as PNG images, for people to look at."""
    document = pypdfium2.PdfDocument(content)
    saved = []
    for index in range(min(2, len(document))):
        path = artifacts / f"{stem}-p{index + 1}.png"
        document[index].render(scale=1.5).to_pil().save(path)
        saved.append(path)
    document.close()
    return saved


def photo_file(tmp_path: Path) -> Path:
    """A passport-like JPEG: a face-coloured oval on a light background."""
    image = Image.new("RGB", PHOTO_SIZE, "#dfe7ef")
    drawing = ImageDraw.Draw(image)
    drawing.ellipse((75, 60, 225, 260), fill="#c68642")
    drawing.rectangle((60, 280, 240, 400), fill="#5a5a5a")
    path = tmp_path / "noor.jpg"
    image.save(path, format="JPEG")
    return path


def expect_photo_shown(page: Page) -> None:
    """The profile's photo is on the page and the browser could load it."""
    photo = page.locator("main img.liaison-plan-photo")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0


def add_statement(page: Page, family, section: str, text: str) -> None:
    link_to(page, f"{route('safety_plans:part_add', family.pk, 'statement')}?section={section}").click()
    expect(page.locator("#id_section")).to_have_value(section)
    page.locator("#id_text").fill(text)
    page.locator("#id_visibility").select_option(Visibility.PARENTS)
    submit_main_form(page)
    expect_saved(page, family)
    expect(page.locator(f"section#{section if section == 'warning_signs' else 'parents'}")).to_contain_text(text)


def add_person_of_concern(page: Page, family, axe) -> None:
    add = route("safety_plans:part_add", family.pk, "person_of_concern")
    link_to(page, add).click()
    # Never for the parents; and an officer cannot mark anything "police only".
    expect(page.locator("#id_visibility option")).to_have_count(1)
    expect(page.locator("#id_visibility")).to_have_value(Visibility.STAFF)

    submit_main_form(page)
    expect(page).to_have_url(re.compile(rf"{re.escape(add)}$"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_name_error")).to_be_visible()
    expect(page.locator("#id_concern_error")).to_be_visible()
    assert_no_violations(axe, page)
    assert not PersonOfConcern.objects.exists()

    page.locator("#id_name").fill(PERSON_OF_CONCERN)
    page.locator("#id_nicknames").fill("STAFFONLY-nickname D")
    page.locator("#id_age").fill("about 25")
    page.locator("#id_vehicles").fill("STAFFONLY-black scooter")
    page.locator("#id_concern").fill("STAFFONLY-concern: recruits girls outside the school.")
    page.locator("#id_visibility").select_option(Visibility.STAFF)
    submit_main_form(page)
    expect_saved(page, family)
    expect(page.locator("section#person_of_concern")).to_contain_text(PERSON_OF_CONCERN)


def add_contact(page: Page, family) -> None:
    link_to(page, route("safety_plans:part_add", family.pk, "contact")).click()
    page.locator("#id_kind").select_option("support_line")
    page.locator("#id_name").fill(CONTACT_NAME)
    page.locator("#id_phone").fill("0800-1234")
    page.locator("#id_when").fill("Day and night")
    page.locator("#id_visibility").select_option(Visibility.PARENTS)
    submit_main_form(page)
    expect_saved(page, family)
    expect(page.locator("section#contact table")).to_contain_text(CONTACT_NAME)


def add_missing_profile(page: Page, family, child, photo: Path) -> None:
    link_to(page, route("safety_plans:part_add", family.pk, "missing_profile")).click()
    page.locator("#id_child").select_option(str(child.pk))
    page.locator("#id_description").fill(MISSING_DESCRIPTION)
    page.locator("#id_height").fill("1.62 m")
    page.locator("#id_hair").fill("Dark brown, long")
    page.locator("#id_photo").set_input_files(photo)
    page.locator("#id_friends").fill("Sara from the swimming club")
    page.locator("#id_who_calls_police").fill("Mother")
    page.locator("#id_visibility").select_option(Visibility.PARENTS)
    # The file input counts as a button too; press the form's own.
    page.get_by_role("main").locator("button[type='submit']").click()
    expect_saved(page, family)
    expect(page.locator("section#missing_profile")).to_contain_text(MISSING_DESCRIPTION)
    expect_photo_shown(page)


def set_review_date(page: Page, family, on) -> None:
    link_to(page, route("safety_plans:review_date", family.pk)).click()
    page.locator("#id_review_on").fill(on.isoformat())
    submit_main_form(page)
    expect_saved(page, family)


def add_police_action(page: Page, family, description: str, visibility: str) -> None:
    link_to(page, route("safety_plans:part_add", family.pk, "police_action")).click()
    page.locator("#id_kind").select_option("address_marker" if visibility == Visibility.PARENTS else "warning_notice")
    page.locator("#id_description").fill(description)
    page.locator("#id_owner").fill(POLICE_ACTION_OWNER)
    page.locator("#id_status").select_option("agreed")
    page.locator("#id_visibility").select_option(visibility)
    submit_main_form(page)
    expect_saved(page, family)
    expect(page.locator("section#police_action")).to_contain_text(description)


def assert_nothing_hidden(page: Page) -> None:
    html = page.content()
    for hidden in HIDDEN_MARKERS:
        assert hidden not in html, f"{hidden} on {page.url}"


def test_a_safety_plan_is_written_agreed_endorsed_and_printed(
    page: Page,
    new_context,
    axe,
    officer,
    police,
    parent,
    family,
    url,
    at,
    sign_in,
    artifacts,
    tmp_path,
):
    child = ChildFactory(family=family, full_name=CHILD_NAME)
    review_on = timezone.localdate() + timedelta(weeks=12)
    plan_url = route("safety_plans:plan", family.pk)

    # 1. The officer starts the plan and writes the draft.
    sign_in(page, officer)
    page.locator(f"main table a[href='{route('families:detail', family.pk)}']").click()
    page.locator(f"nav.liaison-case-nav a[href='{plan_url}']").click()
    expect(page).to_have_url(at("safety_plans:plan", family.pk))
    page.locator(f"main form[action='{route('safety_plans:start', family.pk)}'] button").click()
    expect_saved(page, family)
    expect(page.locator("main .liaison-plan-status--draft")).to_be_visible()

    add_statement(page, family, "warning_signs", WARNING_SIGN)
    add_statement(page, family, "parents_do", PARENTS_DO)
    add_person_of_concern(page, family, axe)
    add_contact(page, family)
    add_missing_profile(page, family, child, photo_file(tmp_path))
    set_review_date(page, family, review_on)
    expect(page.locator("section#review")).to_contain_text(str(review_on.year))
    assert_no_violations(axe, page)

    # 2. The police partner adds the police actions, one of them for the police only.
    police_page = new_context().new_page()
    sign_in(police_page, police)
    police_page.goto(url("safety_plans:plan", family.pk))
    # Police partners write police parts only: no lines, contacts or profiles.
    expect(link_to(police_page, route("safety_plans:part_add", family.pk, "contact"))).to_have_count(0)
    add_police_action(police_page, family, POLICE_ACTION, Visibility.PARENTS)
    add_police_action(police_page, family, POLICE_ONLY_ACTION, Visibility.POLICE)

    # 3. The officer, who cannot see the police-only action, shares the plan.
    page.goto(url("safety_plans:plan", family.pk))
    expect(page.locator("section#police_action")).to_contain_text(POLICE_ACTION)
    assert "POLICEONLY" not in page.content()
    page.locator(f"main form[action='{route('safety_plans:share', family.pk)}'] button").click()
    expect_saved(page, family)
    expect(page.locator("main .liaison-plan-status--shared")).to_be_visible()

    # 4. The parent reads the plan meant for them, comments and agrees.
    parent_page = new_context().new_page()
    sign_in(parent_page, parent)
    expect(parent_page).to_have_url(at("portal:home"))
    link_to(parent_page, route("portal:plan_shared")).first.click()
    expect(parent_page).to_have_url(at("portal:plan_shared"))
    main = parent_page.get_by_role("main")
    for text in (WARNING_SIGN, PARENTS_DO, CONTACT_NAME, MISSING_DESCRIPTION, POLICE_ACTION):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text(PERSON_OF_CONCERN)
    assert_nothing_hidden(parent_page)
    expect_photo_shown(parent_page)
    assert_no_violations(axe, parent_page)

    parent_page.locator("#id_text").fill(PARENT_COMMENT)
    parent_page.locator(f"main form[action='{route('portal:plan_comment')}'] button").click()
    expect(parent_page).to_have_url(re.compile(rf"{re.escape(route('portal:plan_shared'))}#comments$"))
    expect(parent_page.locator("section#comments")).to_contain_text(PARENT_COMMENT)

    link_to(parent_page, route("portal:plan_agree")).click()
    expect(parent_page).to_have_url(at("portal:plan_agree"))
    assert_no_violations(axe, parent_page)
    submit_main_form(parent_page)
    expect(parent_page.locator(".govuk-error-summary")).to_be_visible()
    expect(parent_page.locator("#id_confirm_error")).to_be_visible()
    assert_no_violations(axe, parent_page)
    assert PlanVersion.objects.get().status == PlanStatus.SHARED

    parent_page.locator("#id_words").fill(PARENT_WORDS)
    parent_page.locator("#id_confirm").check()
    submit_main_form(parent_page)
    expect(parent_page).to_have_url(at("portal:plan"))
    expect(parent_page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_nothing_hidden(parent_page)
    assert_no_violations(axe, parent_page)

    # 5. The police partner endorses the agreed version; it is in force now.
    police_page.goto(url("safety_plans:plan", family.pk))
    expect(police_page.locator("main .liaison-plan-status--agreed")).to_be_visible()
    expect(police_page.locator("section#comments")).to_contain_text(PARENT_COMMENT)
    link_to(police_page, route("safety_plans:endorse", family.pk)).click()
    expect(police_page).to_have_url(at("safety_plans:endorse", family.pk))
    police_page.locator("#id_note").fill(ENDORSEMENT_NOTE)
    submit_main_form(police_page)
    expect_saved(police_page, family)
    expect(police_page.locator("main .liaison-plan-status--active")).to_be_visible()

    # 6. The parents' copy on paper: what is theirs, under a name that gives nothing away.
    parent_page.goto(url("portal:plan"))
    main = parent_page.get_by_role("main")
    expect(main).to_contain_text(WARNING_SIGN)
    expect(main).to_contain_text(PARENT_WORDS)
    assert_nothing_hidden(parent_page)
    expect_photo_shown(parent_page)
    assert_no_violations(axe, parent_page)
    parent_page.screenshot(path=artifacts / "safety-plan-portal.png", full_page=True)

    with parent_page.expect_download() as download_info:
        link_to(parent_page, route("portal:plan_pdf")).click()
    download = download_info.value
    parents_pdf = artifacts / "safety-plan-parents.pdf"
    download.save_as(parents_pdf)
    for revealing in (family.reference, "Jansen", "Noor", "Mia", parent.full_name):
        assert revealing.lower() not in download.suggested_filename.lower()
    parents_content = parents_pdf.read_bytes()
    assert parents_content.startswith(b"%PDF")
    parents_text = pdf_text(parents_content)
    for hidden in HIDDEN_MARKERS:
        assert hidden not in parents_text
    for shown in (WARNING_SIGN, PARENTS_DO, POLICE_ACTION, CONTACT_NAME, MISSING_DESCRIPTION):
        assert without_spaces(shown) in parents_text
    assert pdf_image_sizes(parents_content) == {PHOTO_SIZE}

    # The staff and police copy, as the police partner gets it, holds everything.
    with police_page.expect_download() as download_info:
        link_to(police_page, f"{route('safety_plans:pdf', family.pk)}?version=1").click()
    download = download_info.value
    staff_pdf = artifacts / "safety-plan-staff.pdf"
    download.save_as(staff_pdf)
    for revealing in (family.reference, "Jansen", "Noor", "Mia"):
        assert revealing.lower() not in download.suggested_filename.lower()
    staff_content = staff_pdf.read_bytes()
    assert staff_content.startswith(b"%PDF")
    staff_text = pdf_text(staff_content)
    for shown in (PERSON_OF_CONCERN, POLICE_ONLY_ACTION, WARNING_SIGN, family.reference):
        assert without_spaces(shown) in staff_text

    # 7. Pictures for people to look at.
    for content, stem in ((parents_content, "safety-plan-parents"), (staff_content, "safety-plan-staff")):
        images = save_page_images(content, artifacts, stem)
        assert images and all(image.stat().st_size > 0 for image in images)
    page.goto(url("safety_plans:plan", family.pk))
    expect(page.locator("main .liaison-plan-status--active")).to_be_visible()
    expect_photo_shown(page)
    assert_no_violations(axe, page)
    page.screenshot(path=artifacts / "safety-plan-staff.png", full_page=True)

    # 8. What the database holds.
    version = PlanVersion.objects.get(plan__family=family)
    assert (version.number, version.status, version.review_on) == (1, PlanStatus.ACTIVE, review_on)
    assert version.activated_at is not None and version.shared_by == officer
    agreement = version.agreements.get()
    assert agreement.agreed_by == parent.household_memberships.get(family=family)
    assert (agreement.words, agreement.recorded_by, agreement.withdrawn_at) == (PARENT_WORDS, parent, None)
    assert (version.endorsement.endorsed_by, version.endorsement.note) == (police, ENDORSEMENT_NOTE)
    assert PersonOfConcern.objects.get(version=version).visibility == Visibility.STAFF
    assert sorted(PoliceAction.objects.filter(version=version).values_list("visibility", "created_by")) == sorted(
        [(Visibility.PARENTS, police.pk), (Visibility.POLICE, police.pk)]
    )
    profile = MissingProfile.objects.get(version=version)
    assert (profile.child, profile.created_by) == (child, officer)
    assert profile.photo.name.startswith("missing-profiles/") and "noor" not in profile.photo.name.lower()
    comment = PlanComment.objects.get(version=version)
    assert (comment.text, comment.by_parent, comment.created_by) == (PARENT_COMMENT, True, parent)
