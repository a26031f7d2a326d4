from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import Child, Family, IncidentKind, MissingEpisode
from families.models.household import ChildRole
from families.services.events import check_police_reference
from liaison import dates
from liaison.forms import GovukFormMixin


def when_field(label, *, required: bool = True, help_text="") -> dates.DateTimeFormField:
    """A date and time that has happened, typed in the browser's date-time picker."""
    return dates.DateTimeFormField(label=label, required=required, help_text=help_text)


class PoliceReportMixin:
    """'Reported to police' and the reference that goes with a report."""

    def clean(self):
        data = super().clean()
        if "police_reference" in data:
            try:
                check_police_reference(data.get("reported_to_police", False), data["police_reference"])
            except forms.ValidationError as error:
                self.add_error("police_reference", error)
        return data


def reported_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("Reported to the police"), required=False)


def reference_field() -> forms.CharField:
    return forms.CharField(
        label=_("Police reference"),
        max_length=60,
        required=False,
        help_text=_("Needed when it was reported to the police."),
    )


class IncidentForm(GovukFormMixin, PoliceReportMixin, forms.Form):
    occurred_at = when_field(
        _("When did it happen?"), help_text=_("If you do not know the exact time, give your best estimate.")
    )
    kind = forms.ChoiceField(
        label=_("What kind of incident?"),
        choices=[("", _("Choose a kind")), *IncidentKind.choices],
        error_messages={"required": _("Choose what kind of incident it was.")},
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the family's words where you can: what was said or done, where, and who saw it."),
        error_messages={"required": _("Describe what happened.")},
    )
    person_of_concern = forms.CharField(
        label=_("Who did it?"),
        max_length=150,
        required=False,
        help_text=_("The person of concern: a name, nickname, vehicle or phone number. Leave empty when not known."),
    )
    reported_to_police = reported_field()
    police_reference = reference_field()


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, child: Child) -> str:
        if child.role == ChildRole.SIBLING:
            return _("%(name)s (sibling)") % {"name": child.full_name}
        return child.full_name


class MissingEpisodeForm(GovukFormMixin, PoliceReportMixin, forms.Form):
    child = ChildChoiceField(
        label=_("Which child is missing?"),
        queryset=Child.objects.none(),
        empty_label=_("Choose a child"),
        error_messages={
            "required": _("Choose the child who is missing."),
            "invalid_choice": _("Choose a child of this family."),
        },
    )
    started_at = when_field(_("Missing since"), help_text=_("When the child was last seen or expected home."))
    reported_to_police = reported_field()
    police_reference = reference_field()
    ended_at = when_field(
        _("Returned at"), required=False, help_text=_("Leave empty while the child is still missing.")
    )
    where_found = forms.CharField(
        label=_("Where was the child found?"),
        max_length=200,
        required=False,
        help_text=_("For example: at a friend's address, or came home by themselves."),
    )

    def __init__(self, *args, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family.children.order_by("role", "born_on", "full_name")

    def clean(self):
        data = super().clean()
        started_at, ended_at = data.get("started_at"), data.get("ended_at")
        if started_at and ended_at and ended_at < started_at:
            self.add_error("ended_at", _("The child cannot return before going missing."))
        if data.get("where_found") and not ended_at and "ended_at" not in self.errors:
            self.add_error("ended_at", _("Give the date and time the child returned, or leave 'where found' empty."))
        return data


class MissingReturnForm(GovukFormMixin, forms.Form):
    ended_at = when_field(_("When did the child return?"))
    where_found = forms.CharField(
        label=_("Where was the child found?"),
        max_length=200,
        required=False,
        help_text=_("For example: at a friend's address, or came home by themselves."),
    )

    def __init__(self, *args, episode: MissingEpisode, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_ended_at(self):
        ended_at = self.cleaned_data["ended_at"]
        if ended_at < self.episode.started_at:
            raise forms.ValidationError(_("The child cannot return before going missing."))
        return ended_at


class ReturnConversationForm(GovukFormMixin, forms.Form):
    held_at = when_field(_("When was the return conversation held?"))
    note = forms.CharField(
        label=_("What was said"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Where the child was and with whom, what happened, what the child needs now."),
        error_messages={"required": _("Write down what was said in the return conversation.")},
    )

    def __init__(self, *args, episode: MissingEpisode, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        if self.episode.ended_at and held_at < self.episode.ended_at:
            raise forms.ValidationError(_("The return conversation cannot be held before the child returned."))
        return held_at


class ChronologyFilterForm(GovukFormMixin, forms.Form):
    """Which kinds of entries to show; only the kinds this user may see are offered."""

    kind = forms.MultipleChoiceField(label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["kind"].widget.attrs["class"] = "govuk-checkboxes__input"

    def selected(self) -> list[str]:
        """The chosen kinds this user may see, in the order offered; none means all."""
        if not self.is_bound:
            return []
        chosen = set(self.data.getlist("kind"))
        return [kind for kind, _label in self.fields["kind"].choices if kind in chosen]
