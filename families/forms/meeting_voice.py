"""The forms of the parents' part of a multi-agency meeting: their words before the
meeting, and the note that tells them what it decided. The services check the same
rules (not empty, not too long); the forms never cut a pasted text short."""

from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import OutcomeNote
from liaison.forms import GovukFormMixin


class ParentsWordsForm(GovukFormMixin, forms.Form):
    words = forms.CharField(
        label=_("What do you want the meeting to know?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class OutcomeNoteForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Note for the parents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    touches_police_work = forms.BooleanField(
        label=_("This note is about the work of the police"),
        required=False,
        help_text=_("A police partner of the family then approves the note before it is sent."),
    )


class OutcomeNoteChangeForm(OutcomeNoteForm):
    """A change of the note names the revision it started from (``outcome_note_change``)."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, note: OutcomeNote, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.update(text=note.text, touches_police_work=note.touches_police_work, base_revision=note.revision)


class ConfirmForm(GovukFormMixin, forms.Form):
    """Nothing to type: the button confirms."""
