from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import DateToCheck
from liaison.forms import GovukFormMixin


class DateCorrectionForm(GovukFormMixin, forms.Form):
    """The right date for a date to check, by the rules of the record's own field."""

    def __init__(self, *args, item: DateToCheck, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = item.field
        self.fields["value"] = field.formfield(
            label=_("The right date"),
            required=not field.null,
            help_text=_("Leave empty when the date is not known.") if field.null else "",
        )
