from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.forms.case import team_officers
from families.models import Family
from families.services.supervision import held_on_error, note_error
from liaison import dates
from liaison.accounts.models import User
from liaison.forms import GovukFormMixin


class SupervisionNoteForm(GovukFormMixin, forms.Form):
    """The note is checked by the service (required, at most 5000 characters), so the
    form never cuts a pasted note short with a maxlength."""

    held_on = dates.DateFormField(
        label=_("Date of the supervision"), error_messages={"required": _("Enter the date of the supervision.")}
    )
    officer = forms.ModelChoiceField(
        label=_("With liaison officer"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose an active liaison officer of the team."),
            "invalid_choice": _("Choose an active liaison officer of the team."),
        },
    )
    note = forms.CharField(label=_("What was discussed and agreed"), required=False, widget=forms.Textarea)

    def __init__(self, *args, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["officer"].queryset = team_officers(family.team)
        self.fields["officer"].initial = family.liaison_officer_id

    def clean(self) -> dict:
        """The service's own checks, asked here too so that every error shows at once."""
        cleaned = super().clean()
        problems = {"note": note_error((cleaned.get("note") or "").strip())}
        if cleaned.get("held_on"):
            problems["held_on"] = held_on_error(self.family, cleaned["held_on"])
        for field, message in problems.items():
            if message:
                self.add_error(field, message)
        return cleaned
