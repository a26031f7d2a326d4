"""Django's ``static`` tag, with each file's address remembered: asking the storage for
the address of a file with its content's hash costs about 20 µs, and every page's frame
names the same eight files. Load it as ``{% load remembered_static %}`` in place of
``static``; it writes exactly what Django's tag writes. What is remembered is forgotten
when the static files' settings change (as in tests)."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import StaticNode

register = template.Library()

_addresses: dict[str, str] = {}

# The settings an address of a static file depends on.
STATIC_SETTINGS = {"STATIC_URL", "STATIC_ROOT", "STORAGES", "FORCE_SCRIPT_NAME"}


class RememberedStaticNode(StaticNode):
    @classmethod
    def handle_simple(cls, path: str) -> str:
        address = _addresses.get(path)
        if address is None:
            address = _addresses[path] = super().handle_simple(path)
        return address


@register.tag("static")
def remembered_static(parser, token) -> RememberedStaticNode:
    return RememberedStaticNode.handle_token(parser, token)


@receiver(setting_changed)
def _forget_addresses(*, setting: str, **kwargs) -> None:
    if setting in STATIC_SETTINGS:
        _addresses.clear()
