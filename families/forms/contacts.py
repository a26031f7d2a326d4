from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import ContactEntry, ContactKind
from liaison import dates
from liaison.forms import GovukFormMixin

FOLLOW_UP_ROWS = 3


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = ContactEntry
        fields = ["occurred_at", "kind", "with_whom", "summary", "next_contact_on"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "with_whom": _("For example: both parents, the mother and the youth care worker."),
            "summary": _("What was discussed and agreed, in words the family would recognise."),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"occurred_at": now_to_the_minute()})
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose the kind of contact")), *ContactKind.choices]

    def clean(self):
        data = super().clean()
        occurred_at, next_contact_on = data.get("occurred_at"), data.get("next_contact_on")
        if occurred_at and next_contact_on and next_contact_on <= timezone.localdate(occurred_at):
            self.add_error("next_contact_on", _("The next planned contact must be after the date of this contact."))
        return data


class FollowUpForm(GovukFormMixin, forms.Form):
    """One follow-up action agreed in the contact. A row left empty is ignored (the
    formset permits empty extra rows); a row with anything in it needs all three fields."""

    description = forms.CharField(
        label=_("Action"),
        max_length=300,
        error_messages={"required": _("Describe the action, or leave the whole row empty.")},
    )
    owner = forms.CharField(
        label=_("Who does it"),
        max_length=150,
        help_text=_("A name or a role, for example: the mother, the liaison officer, the school."),
        error_messages={"required": _("Say who does this action.")},
    )
    due_on = dates.DateFormField(
        label=_("Due date"),
        when=dates.PLANNED,
        error_messages={"required": _("Give a due date for this action.")},
    )


class BaseFollowUpFormSet(forms.BaseFormSet):
    @property
    def rows(self) -> list[dict]:
        """The filled rows, ready for the service."""
        return [
            {key: form.cleaned_data.get(key) for key in ("description", "owner", "due_on")}
            for form in self.forms
            if form.has_changed()
        ]

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary, saying which action is meant."""
        pairs = [("", message) for message in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            pairs.extend(
                (anchor, _("Follow-up action %(number)s: %(message)s") % {"number": number, "message": message})
                for anchor, message in form.error_list
            )
        return pairs


FollowUpFormSet = forms.formset_factory(
    FollowUpForm,
    formset=BaseFollowUpFormSet,
    extra=FOLLOW_UP_ROWS,
    max_num=FOLLOW_UP_ROWS,
    validate_max=True,
)
