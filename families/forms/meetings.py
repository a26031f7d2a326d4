"""The forms of a multi-agency meeting: scheduling or changing it, and putting an item on
its agenda. The services check the same rules; a change carries the revision it started
from."""

from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import Agency, AgendaItemKind, ContextHit, ContextLink, Family, Meeting, MeetingKind
from families.models.meetings import MINUTES_ALLOTTED_MAX, MINUTES_ALLOTTED_WRONG
from liaison import dates
from liaison.forms import GovukFormMixin


def _people_field(agency: str) -> str:
    return f"people_{agency}"


class MeetingForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of meeting."),
            "invalid_choice": _("Choose the kind of meeting."),
        },
    )
    held_on = dates.DateFormField(
        label=_("Date of the meeting"),
        when=dates.PLANNED,
        error_messages={"required": _("Give the date of the meeting.")},
    )
    starts_at_time = forms.TimeField(
        label=_("Starting time"),
        required=False,
        help_text=_("For example 14:30."),
        error_messages={"invalid": _("Give the time as hours and minutes, for example 14:30.")},
    )
    venue = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("The meeting is online"), required=False)
    chair = forms.CharField(
        label=_("Chair"), max_length=150, error_messages={"required": _("Give the name of the chair.")}
    )
    agencies = forms.MultipleChoiceField(
        label=_("Attending agencies"),
        choices=Agency.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each attending agency gets its own pack, with only what that agency may receive."),
        error_messages={
            "required": _("Choose at least one attending agency."),
            "invalid_choice": _("Choose each agency from the list, once."),
        },
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs) -> None:
        if meeting is not None:
            attendances = list(meeting.attendances.current())
            initial = {
                "kind": meeting.kind,
                "held_on": meeting.held_on,
                "starts_at_time": meeting.starts_at_time,
                "venue": meeting.venue,
                "is_online": meeting.is_online,
                "chair": meeting.chair,
                "agencies": [attendance.agency for attendance in attendances],
            }
            initial |= {_people_field(attendance.agency): attendance.people for attendance in attendances}
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for value, label in Agency.choices:
            self.fields[_people_field(value)] = forms.CharField(
                label=_("Who attends for %(agency)s") % {"agency": label}, max_length=300, required=False
            )
        for name in (_people_field(value) for value in Agency.values):
            self.fields[name].widget.attrs["class"] = "govuk-input"

    def people_fields(self):
        return [self[_people_field(value)] for value in Agency.values]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("agencies") or []
        cleaned["attendances"] = [(agency, cleaned.get(_people_field(agency), "")) for agency in chosen]
        for value in Agency.values:
            cleaned.pop(_people_field(value), None)
        cleaned.pop("agencies", None)
        return cleaned


class MeetingChangeForm(MeetingForm):
    """A change names the revision it started from (see ``meeting_change``)."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, meeting=meeting, **kwargs)
        self.initial["base_revision"] = meeting.revision


class AgendaItemForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the item about?"),
        choices=AgendaItemKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the item is about."),
            "invalid_choice": _("Choose what the item is about."),
        },
    )
    family = forms.ModelChoiceField(
        label=_("Family"),
        queryset=Family.objects.none(),
        required=False,
        empty_label=_("Choose a family"),
        error_messages={"invalid_choice": _("Choose a family of this meeting's team or unit.")},
    )
    context_link = forms.ModelChoiceField(
        label=_("Context of a family"),
        queryset=ContextLink.objects.none(),
        required=False,
        empty_label=_("Choose a context"),
        help_text=_("Only agencies with the right to it receive the context in their pack; never the parents."),
        error_messages={"invalid_choice": _("Choose a context from the list.")},
    )
    context_hit = forms.ModelChoiceField(
        label=_("Context across families"),
        queryset=ContextHit.objects.none(),
        required=False,
        empty_label=_("Choose a context"),
        help_text=_(
            "Only agencies with the right to it receive the kind of context and the number of families in their pack."
        ),
        error_messages={"invalid_choice": _("Choose a context from the list.")},
    )
    concern_name = forms.CharField(
        label=_("Name or nickname of the person of concern"),
        max_length=150,
        required=False,
        help_text=_("Only agencies with the right to it receive this in their pack."),
    )
    concern_detail = forms.CharField(
        label=_("What is known about them"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    presenter = forms.CharField(
        label=_("Presenter"), max_length=150, error_messages={"required": _("Give the name of the presenter.")}
    )
    minutes_allotted = forms.IntegerField(
        label=_("Minutes allotted"),
        min_value=1,
        max_value=MINUTES_ALLOTTED_MAX,
        error_messages={
            "required": MINUTES_ALLOTTED_WRONG,
            "invalid": MINUTES_ALLOTTED_WRONG,
            "min_value": MINUTES_ALLOTTED_WRONG,
            "max_value": MINUTES_ALLOTTED_WRONG,
        },
    )

    def __init__(self, *args, families, contexts=None, hits=None, hit_labels=None, **kwargs) -> None:
        """``contexts`` (a supervisor's) and ``hits`` (a police partner's, with the wording
        of a family of their unit in ``hit_labels``) come from the access policy; the field
        of whoever has neither is left out."""
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families.order_by("reference")
        self.fields["family"].label_from_instance = lambda family: f"{family.reference} {family.display_name}"
        if contexts is None:
            del self.fields["context_link"]
        else:
            self.fields["context_link"].queryset = contexts.select_related("family").order_by(
                "family__reference", "kind", "pk"
            )
            self.fields["context_link"].label_from_instance = lambda link: (
                f"{link.family.reference} · {link.get_kind_display()}: {link.label}"
            )
        if hits is None:
            del self.fields["context_hit"]
        else:
            labels = hit_labels or {}
            self.fields["context_hit"].queryset = hits
            self.fields["context_hit"].label_from_instance = lambda hit: (
                _("%(kind)s: %(label)s (%(count)s families)")
                % {"kind": hit.get_kind_display(), "label": labels.get(hit.pk, ""), "count": hit.families}
            )
