from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.forms import GovukFormMixin


def _reason_field(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why.")},
    )


class ProtectiveModeStartForm(GovukFormMixin, forms.Form):
    reason = _reason_field(
        _("Why must nothing new reach the parents?"),
        _("For example: the child said they cannot talk at home; signals point to someone in the household."),
    )


class ProtectiveModeConfirmForm(GovukFormMixin, forms.Form):
    """A supervisor confirms with one button; the token keeps it to one confirmation."""


class ProtectiveModeCloseForm(GovukFormMixin, forms.Form):
    note = _reason_field(
        _("Why is the concern closed?"),
        _("From then on the parents see everything new again, as before."),
    )
