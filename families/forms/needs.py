"""The form for a need of the parents, to record it or change it. The service checks
the same rules; a change carries the revision it started from."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Agency, NeedKind, NeedStatus, ParentNeed
from families.models.needs import NEED_FIELDS
from liaison import dates
from liaison.forms import GovukFormMixin


class NeedForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of need?"),
        choices=[("", _("Choose the kind of need")), *NeedKind.choices],
        error_messages={"required": _("Choose the kind of need."), "invalid_choice": _("Choose the kind of need.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=NeedStatus.choices,
        widget=forms.RadioSelect,
        initial=NeedStatus.OPEN,
        error_messages={
            "required": _("Choose the status of the need."),
            "invalid_choice": _("Choose the status of the need."),
        },
    )
    agency = forms.ChoiceField(
        label=_("Which agency helps?"),
        choices=[("", _("No agency (yet)")), *Agency.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    helper = forms.CharField(
        label=_("Named helper"),
        max_length=150,
        required=False,
        help_text=_("The person who helps, for example the debt counsellor or the family doctor."),
    )
    since_on = dates.DateFormField(
        label=_("Since when?"),
        help_text=_("When the need came up or became known."),
        error_messages={"required": _("Give the date since when the need is known.")},
    )
    next_step = forms.CharField(
        label=_("Next step"),
        max_length=200,
        required=False,
        help_text=_("What is done next, and by whom. Left out when the need is met or no longer needed."),
    )
    next_on = dates.DateFormField(
        label=_("Date of the next step"),
        when=dates.PLANNED,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the parents told, what was agreed. Never shown to the parents or the police."),
    )

    def __init__(self, *args, need: ParentNeed | None = None, **kwargs) -> None:
        if need is not None:
            kwargs.setdefault("initial", {name: getattr(need, name) for name in NEED_FIELDS})
        else:
            kwargs.setdefault("initial", {"since_on": timezone.localdate(), "status": NeedStatus.OPEN})
        super().__init__(*args, **kwargs)


class NeedChangeForm(NeedForm):
    """A change of a need names the revision it started from (see ``need_change``)."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, need: ParentNeed, **kwargs) -> None:
        super().__init__(*args, need=need, **kwargs)
        self.initial["base_revision"] = need.revision
