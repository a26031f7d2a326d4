"""Django's ``date`` filter, with what it wrote remembered: formatting a day costs about
30 µs (the format is read anew, letter by letter, every time), and the pages show the
same days on every request. Registered as a builtin after Django's own (``TEMPLATES`` in
the settings), so every ``{{ value|date:"…" }}`` uses it; it writes exactly what Django's
filter writes for the same value, format and language."""

import datetime as dt

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

from liaison.templatetags import remembered

register = template.Library()

# How many written dates are remembered at most (then forgotten all at once).
MOST_REMEMBERED = 4096
_written: dict[tuple, str] = {}


@register.filter(name="date", expects_localtime=True, is_safe=False)
def remembered_date(value, arg=None) -> str:
    if isinstance(value, dt.datetime):
        # As the template has it, in the local time: the same wall-clock time with the same
        # offset and zone name reads the same, whatever zone the moment was stored in.
        key = (value.replace(tzinfo=None), value.utcoffset(), value.tzname(), arg, get_language())
    elif isinstance(value, dt.date):
        key = (value, arg, get_language())
    else:
        return defaultfilters.date(value, arg)
    return remembered(_written, key, lambda: defaultfilters.date(value, arg), MOST_REMEMBERED)
