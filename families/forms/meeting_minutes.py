"""The forms of a meeting's minutes: a decision on an item, an action agreed with an owner
agency, and an action marked done. The services check the same rules (the meeting took
place, the due date lies between the meeting and a year after it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import Agency
from liaison import dates
from liaison.forms import GovukFormMixin

# Enough for a decision or an action of a minuted meeting; more is a document, not a minute.
MINUTE_MAX_LENGTH = 2000


class DecisionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        max_length=MINUTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As the meeting took it. It is kept as written."),
        error_messages={"required": _("Write the decision.")},
    )


class ActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label=_("Action"),
        max_length=MINUTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what is to be done.")},
    )
    owner_agency = forms.ChoiceField(
        label=_("Owner agency"),
        choices=[("", _("Choose an agency")), *Agency.choices],
        error_messages={
            "required": _("Choose the agency that owns the action."),
            "invalid_choice": _("Choose the agency that owns the action."),
        },
    )
    owner_person = forms.CharField(
        label=_("Who does it"),
        max_length=150,
        error_messages={"required": _("Give the name of the person who does it.")},
    )
    due_on = dates.DateFormField(
        label=_("Due date"),
        when=dates.PLANNED,
        help_text=_("From the day of the meeting to a year after it."),
        error_messages={"required": _("Give the date by which it is done.")},
    )


class ActionDoneForm(GovukFormMixin, forms.Form):
    done_on = dates.DateFormField(
        label=_("Date it was done"),
        error_messages={"required": _("Give the date it was done.")},
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this action is done"),
        error_messages={"required": _("Tick the box to confirm that the action is done.")},
    )

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("confirm", None)
        return cleaned
