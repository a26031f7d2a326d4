"""The ``date`` filter of every template remembers what it wrote, and writes exactly what
Django's own filter writes: for days and moments, in every format, language and time
zone, written a first and a second time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, defaultfilters
from django.utils import timezone, translation

from liaison.templatetags import remembered_dates

FORMATS = [None, "DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "j F Y H:i", "l j F Y", "e O T Z U I"]
DAY = dt.date(2026, 3, 29)
# The night the clocks go forward in Amsterdam: the same instant in winter and summer time.
MOMENT = dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 29, 1, 1, tzinfo=dt.UTC)


def written(value, arg) -> str:
    template = Template("{{ value|date:arg }}" if arg else "{{ value|date }}")
    return template.render(Context({"value": value, "arg": arg}, autoescape=False))


def django_s_own(value, arg) -> str:
    return defaultfilters.date(timezone.template_localtime(value), arg)


def outcome(write, value, arg):
    """What was written, or the kind of error (a day has no hours: Django refuses them)."""
    try:
        return write(value, arg)
    except TypeError as error:
        return type(error)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "UTC", "America/New_York"])
@pytest.mark.parametrize("arg", FORMATS)
def test_it_writes_what_django_writes_twice_over(language, zone, arg):
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        for value in (DAY, MOMENT, LATER, MOMENT.astimezone(ZoneInfo("Asia/Tokyo")), None, "", "not a date"):
            assert outcome(written, value, arg) == outcome(django_s_own, value, arg)
            assert outcome(written, value, arg) == outcome(django_s_own, value, arg)


def test_the_same_day_in_another_language_is_written_in_that_language():
    with translation.override("nl"):
        assert written(DAY, "DATE_FORMAT") == "29 maart 2026"
    with translation.override("en"):
        assert written(DAY, "DATE_FORMAT") == "29 March 2026"


def test_it_remembers_what_it_wrote_and_forgets_it_all_when_full(monkeypatch):
    monkeypatch.setattr(remembered_dates, "_written", {})
    monkeypatch.setattr(remembered_dates, "MOST_REMEMBERED", 3)
    asked = []
    real = defaultfilters.date
    monkeypatch.setattr(remembered_dates.defaultfilters, "date", lambda *args: asked.append(args) or real(*args))
    with translation.override("en"):
        written(DAY, "DATE_FORMAT")
        written(DAY, "DATE_FORMAT")
        assert len(asked) == 1
        for days in range(1, 4):
            written(DAY + dt.timedelta(days=days), "DATE_FORMAT")
        assert len(remembered_dates._written) == 1
