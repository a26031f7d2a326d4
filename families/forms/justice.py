"""Forms of the justice journey. The police-only note is a field only for police
partners; the checks of dates and order come from the services, so a form and a direct
call of a service refuse the same things with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from families.forms.events import ChildChoiceField
from families.models import CaseMilestone, Child, CriminalCase, Family, HearingKind, HouseholdMember, MilestoneKind
from families.services.justice import approval_version, check_case, check_milestone
from liaison import dates
from liaison.forms import GovukFormMixin


def _text(label, help_text="", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _tick(label, help_text="") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _police_note() -> forms.CharField:
    return _text(_("Note for the police only"), _("Officers and supervisors never see this note."))


def _add_errors(form: forms.Form, errors: dict) -> None:
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


class CriminalCaseForm(GovukFormMixin, forms.Form):
    child = ChildChoiceField(
        label=_("Which child is the case about?"),
        queryset=Child.objects.none(),
        empty_label=_("Choose a child"),
        error_messages={"required": _("Choose the child."), "invalid_choice": _("Choose a child of this family.")},
    )
    police_reference = forms.CharField(label=_("Police reference"), max_length=60, required=False)
    opened_on = dates.DateFormField(
        label=_("Started on"),
        help_text=_("The day the police started the case, for example when the report was made."),
    )
    people_of_concern = _text(_("People of concern"), _("Names, nicknames, vehicles or phone numbers, where known."))
    suspected_caregiver = forms.ModelChoiceField(
        label=_("Is a caregiver of this family a suspect?"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        empty_label=_("No caregiver is a suspect"),
        help_text=_("Then the parents' portal shows nothing of this case unless the police allow it explicitly."),
    )
    staff_detail = _text(_("Detail for staff"))
    impact_statement_wanted = _tick(_("The parents or the child want to make a victim impact statement"))
    impact_statement_prepared = _tick(_("The victim impact statement is prepared"))
    compensation_claimed = _tick(_("A compensation claim is made"))
    victim_support_involved = _tick(_("A victim support organisation is involved"))

    def __init__(self, *args, family: Family, case: CriminalCase | None = None, police: bool = False, **kwargs):
        if case is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(case, name) for name in self.base_fields if hasattr(case, name)}
            kwargs["initial"]["police_note"] = case.police_note if police else ""
        super().__init__(*args, **kwargs)
        self.family, self.case = family, case
        self.fields["child"].queryset = family.children.order_by("role", "born_on", "full_name")
        self.fields["suspected_caregiver"].queryset = family.household_members.order_by("full_name")
        if police:
            self.fields["police_note"] = _police_note()
            self.fields["police_note"].widget.attrs["class"] = "govuk-textarea"

    def clean(self):
        data = super().clean()
        _add_errors(self, check_case(family=self.family, values=data, case=self.case))
        return data


class MilestoneForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Which step?"),
        choices=[("", _("Choose a step")), *MilestoneKind.choices],
        error_messages={"required": _("Choose the step of the case.")},
    )
    occurs_on = dates.DateFormField(label=_("Date"), when=dates.PLANNED)
    is_planned = _tick(_("Planned: it has not happened yet"), _("You will be reminded a week and a day before."))
    court = forms.CharField(label=_("Court"), max_length=150, required=False, help_text=_("For hearings."))
    hearing_kind = forms.ChoiceField(
        label=_("Kind of hearing"), choices=[("", _("Not a hearing")), *HearingKind.choices], required=False
    )
    parents_text = _text(
        _("Text for the parents"),
        _(
            "In plain words, for example: the police have spoken with a suspect. "
            "The parents see it only after a police partner approves it."
        ),
    )
    staff_detail = _text(_("Detail for staff"))
    parent_attends = _tick(_("A parent attends the hearing"))
    officer_attends = _tick(_("The liaison officer attends the hearing"))
    separate_waiting_room = _tick(_("A separate waiting room is arranged"))
    transport_arranged = _tick(_("Transport is arranged"))

    def __init__(
        self, *args, case: CriminalCase, milestone: CaseMilestone | None = None, police: bool = False, **kwargs
    ):
        if milestone is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(milestone, name) for name in self.base_fields}
            kwargs["initial"]["police_note"] = milestone.police_note if police else ""
        super().__init__(*args, **kwargs)
        self.case, self.milestone = case, milestone
        if police:
            self.fields["police_note"] = _police_note()
            self.fields["police_note"].widget.attrs["class"] = "govuk-textarea"

    def clean(self):
        data = super().clean()
        _add_errors(self, check_milestone(case=self.case, values=data, milestone=self.milestone))
        return data


class ApproveForm(GovukFormMixin, forms.Form):
    parents_see_date = _tick(_("The parents may see the date"))
    # What the police partner read: approval is refused if the text or date changed since.
    read_version = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, milestone: CaseMilestone, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "parents_see_date": milestone.parents_see_date,
                "shown_despite_suspect": milestone.shown_despite_suspect,
                "read_version": approval_version(milestone),
            },
        )
        super().__init__(*args, **kwargs)
        if milestone.case.suspected_caregiver_id is not None:
            self.fields["shown_despite_suspect"] = _tick(
                _("Show it to the parent who is not suspected"),
                _(
                    "A caregiver of this family is the suspect of this case. "
                    "Without this, the portal shows nothing of it."
                ),
            )
            self.fields["shown_despite_suspect"].widget.attrs["class"] = "govuk-checkboxes__input"
