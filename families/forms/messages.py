from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import NotifyBy
from liaison.forms import GovukFormMixin

CHOOSE_HOW = _("Choose how you want to hear that there is something new.")


class PortalMessageForm(GovukFormMixin, forms.Form):
    """The text is checked by the service (required, at most 2000 characters), so the
    form never cuts a pasted message short with a maxlength."""

    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class NotifyByForm(GovukFormMixin, forms.Form):
    notify_by = forms.ChoiceField(
        label=_("How do you want to hear that there is something new?"),
        choices=NotifyBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_HOW, "invalid_choice": CHOOSE_HOW},
    )
