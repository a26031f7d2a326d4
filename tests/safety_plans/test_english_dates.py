"""English reads dates day-first and times on the 24-hour clock, as in the Netherlands
and the United Kingdom: "9 December 2026, 16:01", never "Dec. 9, 2026, 4:01 p.m." or
"12/09/2026". The same holds on a page and in a PDF."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, get_format

from safety_plans.models import PlanVersion
from tests.safety_plans.test_documents import pdf_text

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NINTH_OF_DECEMBER_AT_FOUR = datetime(2026, 12, 9, 16, 1, tzinfo=AMSTERDAM)
AMERICAN = ("Dec.", "a.m.", "p.m.", "12/09/2026", "4:01")


@pytest.fixture
def shared_on_the_ninth(filled_draft, officer):
    PlanVersion.objects.filter(pk=filled_draft.pk).update(
        shared_at=NINTH_OF_DECEMBER_AT_FOUR, shared_by=officer, review_on=date(2026, 12, 9)
    )
    return filled_draft


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATE_FORMAT", date(2026, 12, 9), "9 December 2026"),
        ("SHORT_DATE_FORMAT", date(2026, 12, 9), "09/12/2026"),
        ("DATETIME_FORMAT", NINTH_OF_DECEMBER_AT_FOUR, "9 December 2026, 16:01"),
        ("SHORT_DATETIME_FORMAT", NINTH_OF_DECEMBER_AT_FOUR, "09/12/2026 16:01"),
        ("TIME_FORMAT", NINTH_OF_DECEMBER_AT_FOUR, "16:01"),
    ],
)
def test_english_formats_are_day_first_and_24_hour(name, value, expected):
    with translation.override("en"):
        assert date_format(value, name) == expected
        assert get_format("FIRST_DAY_OF_WEEK") == 1


def test_english_reads_typed_dates_day_first():
    with translation.override("en"):
        assert "%d/%m/%Y" in get_format("DATE_INPUT_FORMATS")
        assert "%m/%d/%Y" not in get_format("DATE_INPUT_FORMATS")


def test_the_english_plan_page_shows_day_first_dates_and_24_hour_times(english, officer, family, shared_on_the_ninth):
    page = english(officer).get(reverse("safety_plans:plan", args=[family.pk])).content.decode()
    assert "9 December 2026, 16:01" in page
    assert not [american for american in AMERICAN if american in page]


def test_the_english_pdf_shows_day_first_dates_and_24_hour_times(english, officer, family, shared_on_the_ninth):
    text = pdf_text(english(officer).get(reverse("safety_plans:pdf", args=[family.pk])).content)
    assert "9December2026,16:01" in text  # the PDF's words without white space
    assert not [american.replace(" ", "") for american in AMERICAN if american.replace(" ", "") in text]
