"""Every date and time has a sensible range (liaison.dates): one kind per model field,
checked by the form field before anything turns it into a moment, and kept by database
check constraints whatever writes it. A year-1 contact once saved broke a team's pages."""

import importlib
import pkgutil
from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from families.models import ContactEntry, Family, Incident
from liaison import dates
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

CASE_APPS = ("families", "safety_plans")


@pytest.fixture(autouse=True)
def messages_in_english():
    with translation.override("en"):
        yield


def typed_date_fields():
    """Every date or moment of a case that is not stamped by Django itself."""
    for model in apps.get_models():
        if model._meta.app_label not in CASE_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not (
                getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            ):
                yield model, field


def test_every_date_of_a_case_has_a_kind_and_a_database_range():
    assert list(typed_date_fields())
    for model, field in typed_date_fields():
        label = f"{model.__name__}.{field.name}"
        assert isinstance(field, dates.DateField | dates.DateTimeField), f"{label} is a plain Django field"
        names = {constraint.name for constraint in model._meta.constraints}
        assert f"{model._meta.model_name}_{field.name}_in_range" in names, f"{label} has no range constraint"


def _import_every_forms_module() -> None:
    for package in ("families", "safety_plans", "liaison", "portal"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if "forms" in info.name or "views" in info.name or info.name.endswith("report_views"):
                importlib.import_module(info.name)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_date_a_form_asks_for_is_checked_against_its_kind():
    _import_every_forms_module()
    ours = [
        form
        for form in _all_subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in dict.fromkeys(("families", "safety_plans", "liaison", "portal"))
    ]
    assert ours
    for form in ours:
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                assert isinstance(field, dates.DateFormField | dates.DateTimeFormField), (
                    f"{form.__module__}.{form.__name__}.{name} is a plain Django date field"
                )


@pytest.mark.parametrize(
    "typed, message",
    [
        ("0001-01-01T00:00", "The date cannot be before 1900."),
        ("1899-12-31T23:59", "The date cannot be before 1900."),
        ("9999-12-31T23:59", "The date cannot be in the future."),
        ("2100-12-31T10:00", "The date cannot be in the future."),
        ("0001-01-01T00:00+14:00", "The date cannot be before 1900."),
        ("2026-02-30T10:00", "Enter a real date and time"),
    ],
)
def test_a_moment_that_happened_out_of_range_is_refused_before_it_is_converted(typed, message):
    field = dates.DateTimeFormField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    assert message in " ".join(refused.value.messages)


def test_a_moment_in_range_becomes_a_moment_in_the_users_time_zone():
    moment = dates.DateTimeFormField().clean("1900-01-01T00:00")
    assert timezone.is_aware(moment)
    assert timezone.localtime(moment).year == 1900


@pytest.mark.parametrize(
    "typed, message",
    [
        ("0001-01-01", "The date cannot be before 1900."),
        ("9999-12-31", "The date can be at most 5 years ahead."),
        ((date.today() + timedelta(days=6 * 366)).isoformat(), "The date can be at most 5 years ahead."),
    ],
)
def test_a_planned_day_is_at_most_five_years_ahead(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        dates.DateFormField(when=dates.PLANNED).clean(typed)
    assert message in " ".join(refused.value.messages)


def test_a_planned_day_may_be_in_the_past_and_up_to_five_years_ahead():
    field = dates.DateFormField(when=dates.PLANNED)
    assert field.clean("2001-05-01") == date(2001, 5, 1)
    assert field.clean(dates.latest_planned_day().isoformat()) == dates.latest_planned_day()


def test_the_day_five_years_on_from_the_29th_of_february():
    assert dates.latest_planned_day(date(2028, 2, 29)) == date(2033, 2, 28)


def test_a_kind_that_does_not_exist_is_a_programming_error():
    with pytest.raises(ValueError):
        dates.DateFormField(when="someday")


@pytest.mark.parametrize(
    "make",
    [
        lambda family, officer: ContactEntry.objects.create(
            family=family,
            occurred_at=datetime(1, 1, 1, tzinfo=UTC),
            kind="phone",
            with_whom="Mother",
            summary="-",
            created_by=officer,
        ),
        lambda family, officer: Incident.objects.create(
            family=family,
            occurred_at=datetime(9999, 12, 31, tzinfo=UTC),
            kind="intimidation",
            description="-",
            created_by=officer,
        ),
        lambda family, officer: Family.objects.filter(pk=family.pk).update(referral_on=date(1899, 12, 31)),
    ],
    ids=["contact in year 1", "incident in 9999", "referral in 1899"],
)
def test_the_database_refuses_a_date_out_of_range_whatever_writes_it(make, family, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(family, officer)


def contact_post(**overrides) -> dict:
    return {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": "phone",
        "with_whom": "Both parents",
        "summary": "Talked about the evenings.",
        "next_contact_on": "",
        **overrides,
    }


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"occurred_at": "0001-01-01T00:00"}, "The date cannot be before 1900."),
        ({"occurred_at": "1900-01-01T00:00"}, None),
        ({"occurred_at": "9999-12-31T23:59"}, "The date cannot be in the future."),
        ({"next_contact_on": "2099-01-01"}, "The date can be at most 5 years ahead."),
        ({"next_contact_on": "0001-01-01"}, "The date cannot be before 1900."),
    ],
)
def test_a_contact_out_of_range_is_refused_with_a_clear_message(english, officer, family, overrides, message):
    client = english(officer)
    response = client.post(reverse("families:contact_add", args=[family.pk]), contact_post(**overrides))
    if message is None:  # in range, but before the referral: the contact rules say so
        assert response.status_code in (302, 400)
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContactEntry.objects.filter(family=family).exists()


def test_a_referral_date_in_2099_is_refused_when_the_family_is_edited(english, officer, family):
    client = english(officer)
    before = family.referral_on
    data = {
        "display_name": family.display_name,
        "status": family.status,
        "referral_on": "2099-01-01",
        "referral_source": family.referral_source,
        "referral_note": "",
        "police_unit": family.police_unit_id or "",
    }
    response = client.post(reverse("families:edit", args=[family.pk]), data)
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    family.refresh_from_db()
    assert family.referral_on == before


def test_the_date_pickers_start_in_1900(english, officer, family):
    page = english(officer).get(reverse("families:contact_add", args=[family.pk])).content.decode()
    assert 'min="1900-01-01T00:00"' in page
    assert 'min="1900-01-01"' in page


def test_the_team_pages_stand_with_the_oldest_and_newest_dates_allowed(english, officer, supervisor, family):
    ContactEntry.objects.create(
        family=family,
        occurred_at=timezone.make_aware(datetime(1900, 1, 1)),
        kind="phone",
        with_whom="Mother",
        summary="-",
        next_contact_on=dates.latest_planned_day(),
        created_by=officer,
    )
    other = FamilyFactory(liaison_officer=officer)
    Family.objects.filter(pk=other.pk).update(referral_on=date(1900, 1, 1))
    for client, name, args in [
        (english(officer), "families:detail", [family.pk]),
        (english(officer), "families:contacts", [family.pk]),
        (english(officer), "families:chronology", [family.pk]),
        (english(officer), "families:handover_pack", [family.pk]),
        (english(officer), "families:caseload", []),
        (english(supervisor), "dashboard", []),
        (english(supervisor), "report", []),
        (english(supervisor), "report_csv", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
