from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.forms import GovukFormMixin
from liaison.privacy.erasure import DECISION_NOTE_MIN_LENGTH, GROUNDS_MIN_LENGTH
from liaison.privacy.models import MAX_RETENTION_YEARS, MIN_RETENTION_YEARS, RecordKind

YEARS_ERRORS = {
    "required": _("Enter the number of years."),
    "invalid": _("Enter a whole number of years."),
    "min_value": _("A retention period is at least %(limit_value)s year."),
    "max_value": _("A retention period is at most %(limit_value)s years."),
}


class RetentionPeriodsForm(GovukFormMixin, forms.Form):
    """One field per kind of record: years after closing."""

    def __init__(self, *args, periods: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in RecordKind.choices:
            self.fields[kind] = forms.IntegerField(
                label=label,
                min_value=MIN_RETENTION_YEARS,
                max_value=MAX_RETENTION_YEARS,
                initial=periods[kind],
                error_messages=YEARS_ERRORS,
            )
        for field in self.fields.values():
            field.widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})


class ReopenForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why does the case come out of the archive?"),
        help_text=_("For example: the family has been referred again. The reason is kept in the audit trail."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Say why the case comes out of the archive.")},
    )


class ErasureRequestForm(GovukFormMixin, forms.Form):
    asked_by = forms.CharField(
        label=_("Who asked"),
        help_text=_("The person themselves, a parent for their child, a lawyer…"),
        max_length=200,
        error_messages={"required": _("Say who asked.")},
    )
    grounds = forms.CharField(
        label=_("The request and its grounds"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Describe the request and its grounds.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Filled in here, in the reader's language: a text with a number put in at import
        # would stay in the language of the moment the module was loaded.
        self.fields["grounds"].help_text = _("At least %(count)d characters. Quote the request where you can.") % {
            "count": GROUNDS_MIN_LENGTH
        }


class ErasureDecisionForm(GovukFormMixin, forms.Form):
    APPROVE = "approve"
    REFUSE = "refuse"
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (APPROVE, _("Approve: erase this person now. This cannot be undone.")),
            (REFUSE, _("Refuse: keep the data, with the reason below")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or refuse the request.")},
    )
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _(
            "Needed when you refuse (at least %(count)d characters); optional when you approve."
        ) % {"count": DECISION_NOTE_MIN_LENGTH}
