"""The forms when a parent may be the exploiter: the screen, raising and closing a
concern, the child seen alone and a Meldcode step. The services check the same rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.forms.events import ChildChoiceField
from families.models import (
    SIGNALS,
    WEIGHING_QUESTIONS,
    Answer,
    Decision,
    Family,
    Judgement,
    MeldcodeStepKind,
)
from liaison import dates
from liaison.forms import GovukFormMixin


def _answer(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes, no or not known.")},
    )


def _text(label, *, required: bool = True, help_text="", message="", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": message} if message else {},
    )


class ScreenForm(GovukFormMixin, forms.Form):
    screened_on = dates.DateFormField(
        label=_("Date of the screen"), error_messages={"required": _("Give the date of the screen.")}
    )
    note = _text(
        _("What did you see or hear?"),
        required=False,
        help_text=_(
            "Needed when you judge it a concern: it becomes the reason for the concern. Never shown to the parents."
        ),
        rows=5,
    )
    judgement = forms.ChoiceField(
        label=_("Your own judgement"),
        choices=Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Give your own judgement.")},
    )

    def __init__(self, *args, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        signals = {name: _answer(question) for name, question in SIGNALS}
        self.fields = {"screened_on": self.fields["screened_on"], **signals, **dict(list(self.fields.items())[1:])}
        self.initial.setdefault("screened_on", timezone.localdate())

    @property
    def signal_fields(self):
        return [self[name] for name, _question in SIGNALS]

    def clean(self):
        data = super().clean()
        if data.get("judgement") in (Judgement.CONCERN, Judgement.SERIOUS) and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what worries you: it is the reason for the concern."))
        return data


class ConcernRaiseForm(GovukFormMixin, forms.Form):
    reason = _text(
        _("Why are you concerned that a caregiver may be involved?"),
        help_text=_("What you saw, heard or were told, and by whom. Never shown to the parents."),
        message=_("Say why you are concerned."),
        rows=6,
    )


class ConcernCloseForm(GovukFormMixin, forms.Form):
    close_reason = _text(
        _("Why is the concern closed?"),
        help_text=_("For example: the screen and the conversations with the child took the concern away."),
        message=_("Say why the concern is closed."),
    )


class SeenAloneForm(GovukFormMixin, forms.Form):
    child = ChildChoiceField(
        label=_("Which child?"),
        queryset=None,
        empty_label=_("Choose a child"),
        error_messages={"required": _("Choose the child."), "invalid_choice": _("Choose a child of this family.")},
    )
    seen_on = dates.DateFormField(
        label=_("When was the child seen alone?"),
        error_messages={"required": _("Give the date the child was seen alone.")},
    )
    seen_by = forms.CharField(
        label=_("Seen by"),
        max_length=150,
        help_text=_("The name of the professional."),
        error_messages={"required": _("Give the name of the person who saw the child.")},
    )
    agency = forms.CharField(
        label=_("Which agency?"),
        max_length=150,
        error_messages={"required": _("Give the agency of the person who saw the child.")},
    )
    place = forms.CharField(
        label=_("Where?"),
        max_length=150,
        help_text=_("For example: at school, or at the youth care office. Not at home with a parent nearby."),
        error_messages={"required": _("Say where the child was seen.")},
    )
    discussed = _text(
        _("What was it possible to discuss?"),
        help_text=_("Never shown to the parents."),
        message=_("Say what it was possible to discuss, or that nothing could be discussed."),
        rows=5,
    )

    def __init__(self, *args, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family.children.filter(erased_at__isnull=True).order_by(
            "role", "born_on", "full_name"
        )


class MeldcodeStepForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Which step?"),
        choices=[("", _("Choose a step")), *MeldcodeStepKind.choices],
        error_messages={"required": _("Choose the step.")},
    )
    taken_on = dates.DateFormField(label=_("Date"), error_messages={"required": _("Give the date of the step.")})
    taken_by = forms.CharField(
        label=_("Who took the step?"),
        max_length=150,
        error_messages={"required": _("Give the name of the person who took the step.")},
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=60,
        required=False,
        help_text=_("The reference of Veilig Thuis, the child protection board or the police. Needed for a report."),
    )
    note = _text(_("What was done or agreed?"), required=False, help_text=_("Never shown to the parents."))
    decision = forms.ChoiceField(
        label=_("Step 5: the decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    next_on = dates.DateFormField(
        label=_("Date of the next step"),
        when=dates.PLANNED,
        required=False,
        help_text=_("When the next step is planned. Shows on the dashboard once it has passed."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        weighing = {
            name: forms.ChoiceField(label=question, choices=Answer.choices, widget=forms.RadioSelect, required=False)
            for name, question in WEIGHING_QUESTIONS
        }
        items = list(self.fields.items())
        self.fields = {**dict(items[:5]), **weighing, **dict(items[5:])}
        self.initial.setdefault("taken_on", timezone.localdate())

    @property
    def weighing_fields(self):
        return [self[name] for name, _question in WEIGHING_QUESTIONS]

    def clean(self):
        data = super().clean()
        taken_on, next_on = data.get("taken_on"), data.get("next_on")
        if taken_on and next_on and next_on < taken_on:
            self.add_error("next_on", _("The next step cannot be before this one."))
        return data
