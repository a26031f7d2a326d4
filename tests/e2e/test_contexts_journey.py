"""Contexts across families, in a real browser and in Dutch. The officer of family A
records a number plate (first one that is not a plate, which is refused). The officer of
family B records the same plate written differently and reads only that the police were
told of a link. The analyst of family A's unit finds the hit on the patterns page. The
officer links a context to an incident from the incidents page (first choosing nothing,
which is refused), records a new one for it, and unlinks one again. Every page is checked
with axe."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import ContextHit, ContextLink, ContextMention
from families.services import contexts, events
from tests.e2e.conftest import assert_no_violations, submit_main_form

NOTE = "MARKER-A: grijze Golf bij de school"


def record_plate(page: Page, family, plate: str, axe, at, url, *, note: str = "") -> None:
    page.goto(url("families:contexts", family.pk))
    assert_no_violations(axe, page)
    page.get_by_role("main").locator(
        f"a[href='{reverse('families:context_add', args=[family.pk, 'vehicle'])}']"
    ).click()
    expect(page).to_have_url(at("families:context_add", family.pk, "vehicle"))
    assert_no_violations(axe, page)
    page.locator("#id_label").fill(plate)
    page.locator("#id_note").fill(note)
    submit_main_form(page)
    expect(page).to_have_url(at("families:contexts", family.pk))


def test_two_families_name_one_car_and_only_the_police_side_sees_the_hit(
    page: Page, officer, other_officer, analyst, family, other_family, axe, at, url, sign_in, sign_out
):
    sign_in(page, officer)
    page.goto(url("families:context_add", family.pk, "vehicle"))
    page.locator("#id_label").fill("grijze Golf")
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Er is een probleem")
    expect(page.locator("#id_label_error")).to_contain_text("Geef het kenteken als letters en cijfers")
    assert_no_violations(axe, page)
    assert not ContextLink.objects.exists()
    record_plate(page, family, "AB-123-C", axe, at, url, note=NOTE)
    expect(page.get_by_role("main")).to_contain_text("AB123C")
    expect(page.locator("#police-told")).to_have_count(0)
    assert_no_violations(axe, page)
    sign_out(page)

    sign_in(page, other_officer)
    record_plate(page, other_family, "ab 123 c", axe, at, url)
    main = page.get_by_role("main")
    expect(page.locator("#police-told")).to_contain_text("De politie is op de hoogte gebracht")
    expect(main).not_to_contain_text("MARKER-A")
    expect(main).not_to_contain_text(family.reference)
    assert_no_violations(axe, page)
    assert ContextHit.objects.count() == 1
    sign_out(page)

    sign_in(page, analyst)
    page.goto(url("context_patterns"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("AB123C")
    expect(main).not_to_contain_text("MARKER-A")
    assert_no_violations(axe, page)
    main.get_by_role("link", name="AB123C").first.click()
    expect(page).to_have_url(at("context_hit", ContextHit.objects.get().pk))
    expect(page.get_by_role("main")).to_contain_text("Deze eenheid om toegang vragen")
    assert_no_violations(axe, page)


def on_incidents(family) -> re.Pattern:
    """The incidents page, at the row of the incident a context was linked to or unlinked from."""
    return re.compile(rf"^https?://[^/]+{re.escape(reverse('families:incidents', args=[family.pk]))}(#incident-\d+)?$")


def test_an_officer_links_contexts_to_an_incident_and_unlinks_one(page: Page, officer, family, axe, at, url, sign_in):
    incident = events.incident_log(
        family=family,
        created_by=officer,
        occurred_at=timezone.now() - timedelta(hours=3),
        kind="stalking",
        description="Een auto volgde de moeder naar huis.",
    )
    contexts.context_link_record(family=family, created_by=officer, kind="vehicle", label="AB-123-C")
    sign_in(page, officer)
    page.goto(url("families:incidents", family.pk))
    row = page.locator(f"#incident-{incident.pk}")
    expect(row).to_contain_text("Geen context gekoppeld.")
    assert_no_violations(axe, page)
    row.get_by_role("link", name="Context koppelen").click()
    expect(page).to_have_url(at("families:context_mention_add", family.pk, "incident", incident.pk))
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Kies de context die je wilt koppelen.")
    assert_no_violations(axe, page)
    assert not ContextMention.objects.exists()
    page.get_by_label("Voertuig: AB123C").check()
    submit_main_form(page)
    expect(page).to_have_url(on_incidents(family))
    expect(row).to_contain_text("AB123C")
    assert_no_violations(axe, page)

    row.get_by_role("link", name="Context koppelen").click()
    page.get_by_role("main").get_by_role("link", name="Betrokken persoon").click()
    expect(page).to_have_url(at("families:context_mention_record", family.pk, "incident", incident.pk, "person"))
    page.locator("#id_label").fill("Rico")
    submit_main_form(page)
    expect(page).to_have_url(on_incidents(family))
    expect(row).to_contain_text("Rico")
    assert_no_violations(axe, page)

    row.get_by_role("button", name="Ontkoppelen AB123C").click()
    expect(page).to_have_url(on_incidents(family))
    expect(row).not_to_contain_text("AB123C")
    expect(row).to_contain_text("Rico")
    assert_no_violations(axe, page)
    assert ContextMention.objects.current().count() == 1 and ContextMention.objects.count() == 2
