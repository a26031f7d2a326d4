"""``{% case_url 'families:detail' family.pk %}``: the same address as ``{% url %}`` for
a page of one family, without resolving the URL pattern again for every row of a long
list (the dashboard has a thousand such links)."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

PLACEHOLDER = 987654321987


@lru_cache(maxsize=128)
def _pattern(name: str, script_prefix: str) -> tuple[str, str]:
    """The address of the page for a placeholder family, split around the placeholder."""
    before, after = reverse(name, args=[PLACEHOLDER]).split(str(PLACEHOLDER))
    return before, after


@register.simple_tag
def case_url(name: str, pk: int) -> str:
    before, after = _pattern(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"
