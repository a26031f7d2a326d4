"""Django's ``translate`` tag, with what it wrote for a literal text remembered: looking a
text up in the catalogue, through the lazy string, the active language's thread-local and
the escape costs about 6 µs, and a page translates the same texts about a hundred times on
every request. Load it after ``i18n`` (``{% load i18n remembered_i18n %}``); it writes
exactly what Django's tag writes. A text with a context, a filter or a variable is
translated as Django does it each time. ``get_language_choices`` gives the language
switcher each language's code and its own name, worked out once. What is remembered is
forgotten when the languages' settings change (as in tests)."""

from functools import cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

from liaison.templatetags import remembered

register = template.Library()

# How many written texts are remembered at most (then forgotten all at once).
MOST_REMEMBERED = 4096
_written: dict[tuple, str] = {}

# The settings the translation of a text depends on.
LANGUAGE_SETTINGS = {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "USE_I18N"}


class RememberedTranslateNode(TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        literal = self.filter_expression.var.literal
        self.rememberable = isinstance(literal, str) and not self.filter_expression.filters and message_context is None

    def render(self, context) -> str:
        if not self.rememberable:
            return super().render(context)
        key = (self.filter_expression.var.literal, self.noop, get_language(), context.autoescape)
        value = remembered(_written, key, lambda: self._translated(context), MOST_REMEMBERED)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translated(self, context) -> str:
        written = super().render(context)
        return context[self.asvar] if self.asvar else written


@register.tag("translate")
@register.tag("trans")
def remembered_translate(parser, token) -> RememberedTranslateNode:
    node = do_translate(parser, token)
    return RememberedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@register.simple_tag
@cache
def get_language_choices() -> tuple[tuple[str, str], ...]:
    """Each language of the settings: its code and its name in itself, capitalised."""
    return tuple((code, capfirst(get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES)


@receiver(setting_changed)
def _forget_texts(*, setting: str, **kwargs) -> None:
    if setting in LANGUAGE_SETTINGS:
        _written.clear()
        get_language_choices.cache_clear()
