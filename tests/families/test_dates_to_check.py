"""Dates found outside their range when the ranges came in: the migration lists them
(replacing what the database cannot keep), staff of the case see them and give the right
date; nothing of it is a 500."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from families.models import ContactEntry, DateToCheck, Family
from liaison.audit.models import AuditEvent
from tests.database_owner import connected_as_owner
from tests.factories import FamilyFactory

BEFORE_RANGES = [("families", "0010_merge_duplicate_members"), ("safety_plans", "0002_encrypt_sensitive_text")]


def _contact(family, officer, **fields) -> ContactEntry:
    values = {"occurred_at": timezone.now() - timedelta(days=1), "kind": "phone", "with_whom": "Mother"}
    return ContactEntry.objects.create(family=family, summary="Talked.", created_by=officer, **{**values, **fields})


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_every_date_out_of_range_and_replaces_what_cannot_be_kept(family, officer):
    with connected_as_owner():
        MigrationExecutor(connection).migrate(BEFORE_RANGES)
        try:
            year_one = _contact(family, officer, occurred_at=datetime(1, 1, 1, tzinfo=UTC))
            far_ahead = _contact(family, officer, next_contact_on=date(2099, 1, 1))
            Family.objects.filter(pk=family.pk).update(referral_on=date(2099, 6, 1))
        finally:
            call_command("migrate", verbosity=0)

    found = {(item.record, item.record_pk, item.field_name): item for item in DateToCheck.objects.all()}
    assert set(found) == {
        ("families.ContactEntry", year_one.pk, "occurred_at"),
        ("families.ContactEntry", far_ahead.pk, "next_contact_on"),
        ("families.Family", family.pk, "referral_on"),
    }
    replaced = found[("families.ContactEntry", year_one.pk, "occurred_at")]
    assert replaced.replaced and replaced.found.startswith("0001-01-01")
    year_one.refresh_from_db()
    assert year_one.occurred_at == year_one.created_at
    kept = found[("families.ContactEntry", far_ahead.pk, "next_contact_on")]
    assert not kept.replaced and kept.found == "2099-01-01"
    far_ahead.refresh_from_db()
    assert far_ahead.next_contact_on == date(2099, 1, 1)
    assert all(item.family_id == family.pk for item in found.values())


@pytest.fixture
def date_to_check(family, officer):
    contact = _contact(family, officer)
    return DateToCheck.objects.create(
        family=family,
        record="families.ContactEntry",
        record_pk=contact.pk,
        field_name="occurred_at",
        found="0001-01-01T00:00:00+00:00",
        replaced=True,
    )


pytestmark = pytest.mark.django_db


def test_the_case_header_points_staff_to_the_dates_to_check(english, officer, family, date_to_check):
    page = english(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Some dates in this case were found outside the range a date can have." in page
    assert reverse("families:dates_to_check", args=[family.pk]) in page


def test_the_list_shows_what_was_found_and_the_stand_in(english, officer, family, date_to_check):
    page = english(officer).get(reverse("families:dates_to_check", args=[family.pk])).content.decode()
    assert "0001-01-01T00:00:00+00:00" in page
    assert "stand-in" in page
    assert reverse("families:date_correct", args=[family.pk, date_to_check.pk]) in page


def test_police_see_the_list_but_cannot_correct(english, police, family, date_to_check):
    client = english(police)
    page = client.get(reverse("families:dates_to_check", args=[family.pk])).content.decode()
    assert reverse("families:date_correct", args=[family.pk, date_to_check.pk]) not in page
    assert client.get(reverse("families:date_correct", args=[family.pk, date_to_check.pk])).status_code == 404


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59", "not a date", ""])
def test_a_correction_out_of_range_is_refused_and_changes_nothing(english, officer, family, date_to_check, typed):
    contact = ContactEntry.objects.get(pk=date_to_check.record_pk)
    url = reverse("families:date_correct", args=[family.pk, date_to_check.pk])
    response = english(officer).post(url, {"value": typed})
    assert response.status_code == 400
    date_to_check.refresh_from_db()
    assert date_to_check.corrected_at is None
    assert ContactEntry.objects.get(pk=contact.pk).occurred_at == contact.occurred_at


def test_the_right_date_goes_into_the_record_once_with_an_audit_event(english, officer, family, date_to_check):
    client = english(officer)
    url = reverse("families:date_correct", args=[family.pk, date_to_check.pk])
    response = client.post(url, {"value": "2026-03-14T21:30"})
    assert response.status_code == 302
    contact = ContactEntry.objects.get(pk=date_to_check.record_pk)
    assert timezone.localtime(contact.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-03-14 21:30"
    date_to_check.refresh_from_db()
    assert date_to_check.corrected_by == officer
    event = AuditEvent.objects.filter(family_id=family.pk, detail__what="date_corrected").get()
    assert event.detail["found"] == "0001-01-01T00:00:00+00:00"
    assert client.get(url).status_code == 404
    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Some dates in this case were found outside" not in page


def test_another_familys_date_is_not_found_through_this_family(english, officer, family, date_to_check):
    own = FamilyFactory(liaison_officer=officer)
    url = reverse("families:date_correct", args=[own.pk, date_to_check.pk])
    assert english(officer).get(url).status_code == 404
