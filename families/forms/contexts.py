"""The forms of a family's contexts: recording one (the fields depend on its kind),
reviewing it and ending it. The service normalises and checks the same rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import ContextKind, ContextLink, PlaceKind, Platform
from families.models.contexts import default_review_on
from liaison import dates
from liaison.forms import GovukFormMixin

LABELS = {
    ContextKind.PERSON: (_("Name"), _("The name the family knows the person by.")),
    ContextKind.VEHICLE: (_("Number plate"), _("As the parents saw it: spaces, dashes and capitals do not matter.")),
    ContextKind.PHONE: (_("Phone number"), _("A Dutch number, or a foreign one with its country code (+44...).")),
    ContextKind.HANDLE: (_("Handle"), _("The name of the account, with or without @.")),
    ContextKind.PLACE: (_("Name or address of the place"), _("For example: Park Zuid, or Stationsplein 1.")),
}


class ContextForm(GovukFormMixin, forms.Form):
    label = forms.CharField(max_length=200)
    aliases = forms.CharField(
        label=_("Nicknames and aliases"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Each is matched like the name."),
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=[("", _("Choose the platform")), *Platform.choices],
        error_messages={
            "required": _("Choose the platform of the handle."),
            "invalid_choice": _("Choose the platform of the handle."),
        },
    )
    place_kind = forms.ChoiceField(
        label=_("Kind of place"),
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of place."), "invalid_choice": _("Choose the kind of place.")},
    )
    area = forms.CharField(
        label=_("Area"),
        required=False,
        max_length=120,
        help_text=_("The town or neighbourhood, so that two places of the same name are told apart."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it matters to this family. Never shown to the parents."),
    )
    review_on = dates.DateFormField(
        label=_("Review date"),
        when=dates.PLANNED,
        help_text=_("After this date the context is no longer matched with other families until someone reviews it."),
        error_messages={"required": _("Give the review date.")},
    )

    # The fields each kind does not have.
    LEFT_OUT = {
        ContextKind.PERSON: ("platform", "place_kind", "area"),
        ContextKind.VEHICLE: ("aliases", "platform", "place_kind", "area"),
        ContextKind.PHONE: ("aliases", "platform", "place_kind", "area"),
        ContextKind.HANDLE: ("aliases", "place_kind", "area"),
        ContextKind.PLACE: ("aliases", "platform"),
    }

    def __init__(self, *args, kind: str, **kwargs) -> None:
        kwargs.setdefault("initial", {"review_on": default_review_on()})
        super().__init__(*args, **kwargs)
        self.kind = kind
        label, help_text = LABELS[kind]
        self.fields["label"].label = label
        self.fields["label"].help_text = help_text
        self.fields["label"].error_messages["required"] = _("Fill in “%(label)s”.") % {"label": label}
        for name in self.LEFT_OUT[kind]:
            del self.fields[name]
        self.order_fields(["platform", "label", "aliases", "place_kind", "area", "note", "review_on"])

    def clean(self):
        data = super().clean()
        data["kind"] = self.kind
        return data


class ContextReviewForm(GovukFormMixin, forms.Form):
    """Someone says the context still matters, until a new review date."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    review_on = dates.DateFormField(
        label=_("Next review date"),
        when=dates.PLANNED,
        error_messages={"required": _("Give the review date.")},
    )

    def __init__(self, *args, link: ContextLink, **kwargs) -> None:
        kwargs.setdefault("initial", {"review_on": default_review_on(), "base_revision": link.revision})
        super().__init__(*args, **kwargs)


class ContextEndForm(GovukFormMixin, forms.Form):
    """The context no longer belongs to this family; the link and its history are kept."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why does the context no longer belong to this family?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the context no longer belongs to this family.")},
    )

    def __init__(self, *args, link: ContextLink, **kwargs) -> None:
        kwargs.setdefault("initial", {"base_revision": link.revision})
        super().__init__(*args, **kwargs)


class ContextChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ContextLink) -> str:
        return f"{obj.get_kind_display()}: {obj.label}"


class ContextMentionForm(GovukFormMixin, forms.Form):
    """Which of the family's current contexts the incident, missing episode or shared item
    names. Only this family's contexts can be chosen."""

    link = ContextChoiceField(
        label=_("Which context?"),
        queryset=ContextLink.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the context to link."),
            "invalid_choice": _("Choose one of the family's current contexts."),
        },
    )

    def __init__(self, *args, links, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = links
