"""Django's ``url`` tag, with the shape of each address remembered: resolving a URL
pattern costs about 20 µs, and a list page links every row to the pages of its family
(the dashboard has hundreds of such links). An address of whole numbers only (``{% url
'families:detail' family.pk %}``) is written from the pieces of the pattern around its
numbers, worked out once per name; anything else (keyword arguments, ``as``, text)
goes through Django's own tag. Registered as a builtin after Django's own (``TEMPLATES``
in the settings), so every ``{% url %}`` uses it; it writes exactly what Django's tag
writes. What is remembered comes from the settings' URL patterns (``ROOT_URLCONF``; no
request here has patterns of its own) and is forgotten when they change."""

from functools import lru_cache
from itertools import chain

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import conditional_escape

register = template.Library()

# Numbers no page is ever asked for, standing in for the real ones while the pattern is
# resolved; a second set checks that the pattern writes a number as it is given.
_FIRST = tuple(987654321901 + place for place in range(8))
_SECOND = tuple(876543219801 + place for place in range(8))


@lru_cache(maxsize=1024)
def _pieces(name: str, count: int, current_app: str | None, script_prefix: str) -> tuple[str, ...] | None:
    """The address of ``name`` cut around its ``count`` numbers, or None when it cannot be
    written that way (no such page, more numbers than stand-ins, or a pattern that does
    not write a number as given)."""
    if count > len(_FIRST):
        return None
    try:
        first = reverse(name, args=_FIRST[:count], current_app=current_app)
        second = reverse(name, args=_SECOND[:count], current_app=current_app)
    except NoReverseMatch:
        return None
    pieces, rest = [], first
    for stand_in in _FIRST[:count]:
        before, found, rest = rest.partition(str(stand_in))
        if not found:
            return None
        pieces.append(before)
    pieces.append(rest)
    if _joined(pieces, _SECOND[:count]) != second:
        return None
    return tuple(pieces)


def _joined(pieces, numbers) -> str:
    return "".join(chain.from_iterable(zip(pieces, [*map(str, numbers), ""], strict=True)))


def _remembered(name: str, numbers, current_app: str | None) -> str | None:
    """The address of ``name`` with these whole numbers from the remembered pieces, or
    None when it cannot be written that way (``_pieces``)."""
    pieces = _pieces(name, len(numbers), current_app, get_script_prefix())
    return None if pieces is None else _joined(pieces, numbers)


def remembered_reverse(name: str, *numbers: int, current_app: str | None = None) -> str:
    """``reverse(name, args=numbers)`` for whole numbers, from the remembered pieces."""
    address = _remembered(name, numbers, current_app)
    return reverse(name, args=numbers, current_app=current_app) if address is None else address


def _current_app(context) -> str | None:
    """The application namespace Django's tag resolves in (``URLNode.render``)."""
    request = getattr(context, "request", None)
    if request is None:
        return None
    if hasattr(request, "current_app"):
        return request.current_app
    match = getattr(request, "resolver_match", None)
    return match.namespace if match else None


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context) -> str:
        if self.kwargs or self.asvar:
            return super().render(context)
        numbers = [argument.resolve(context) for argument in self.args]
        if any(type(number) is not int for number in numbers):
            return super().render(context)
        url = _remembered(self.view_name.resolve(context), numbers, _current_app(context))
        if url is None:
            return super().render(context)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token) -> RememberedURLNode:
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@receiver(setting_changed)
def _forget_pieces(*, setting: str, **kwargs) -> None:
    """Other URL patterns in the settings (as in a test) write other addresses."""
    if setting == "ROOT_URLCONF":
        _pieces.cache_clear()
