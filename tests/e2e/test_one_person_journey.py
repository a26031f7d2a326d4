"""One person, one record, in a real browser: the officer adds a stepfather to the
household and invites him from his own line; he accepts and reads the portal; the officer
marks that same record as suspected; his open page and a new sign-in both lead nowhere."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from families.models import HouseholdMember
from liaison.accounts.models import Invitation
from tests.e2e.conftest import assert_no_violations, submit_main_form

NEW_PASSWORD = "Correct-horse-battery-9"
STEPFATHER = "Rik Stepfather"
ADDRESS = "rik@example.org"


def main_link(page: Page, href: str):
    return page.get_by_role("main").locator(f"a[href='{href}']")


def test_a_mark_on_the_invited_record_shuts_the_stepfather_out(
    page: Page, browser, live_server, officer, family, sign_in, url, at, axe, mailoutbox
):
    sign_in(page, officer)
    page.goto(url("families:detail", family.pk))
    main_link(page, reverse("families:member_add", args=[family.pk])).click()
    page.locator("#id_full_name").fill(STEPFATHER)
    page.locator("#id_relation").fill("stepfather")
    page.locator("#id_email").fill(ADDRESS)
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    member = HouseholdMember.objects.get(family=family, full_name=STEPFATHER)

    # Invite him from his own line in the household: the form knows who and where to.
    main_link(page, f"{reverse('invitation_create')}?member={member.pk}").click()
    expect(page.locator("#id_member")).to_have_value(str(member.pk))
    expect(page.locator("#id_email")).to_have_value(ADDRESS)
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page).to_have_url(at("invitation_list"))
    page.goto(url("families:detail", family.pk))
    expect(page.get_by_role("main")).to_contain_text(ADDRESS)
    assert_no_violations(axe, page)

    stepfather = browser.new_page(locale="nl-NL")
    link = re.search(r"https?://[^/\s]+(/invitation/[^/\s]+/)", mailoutbox[-1].body).group(1)
    stepfather.goto(f"{live_server.url}{link}")
    stepfather.locator("#id_password1").fill(NEW_PASSWORD)
    stepfather.locator("#id_password2").fill(NEW_PASSWORD)
    submit_main_form(stepfather)
    expect(stepfather).to_have_url(at("portal:home"))
    member.refresh_from_db()
    assert member.user is not None and HouseholdMember.objects.filter(family=family).count() == 1
    assert Invitation.objects.get().accepted_at is not None

    # The officer marks the one record there is.
    page.goto(url("families:detail", family.pk))
    main_link(page, reverse("families:suspicion_mark", args=[family.pk, member.pk])).click()
    page.locator("#id_reason").fill("The child disclosed abuse by the stepfather.")
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator(".govuk-notification-banner")).not_to_contain_text("kan het gezin niet meer bereiken")

    # His open page is gone, and signing in again is refused as if the password were wrong.
    stepfather.reload()
    expect(stepfather).to_have_url(at("account_login"))
    stepfather.locator("#id_login").fill(ADDRESS)
    stepfather.locator("#id_password").fill(NEW_PASSWORD)
    submit_main_form(stepfather)
    expect(stepfather).to_have_url(at("account_login"))
    expect(stepfather.locator(".govuk-error-summary")).to_be_visible()
    stepfather.goto(url("portal:plan"))
    expect(stepfather).to_have_url(at("account_login"))
