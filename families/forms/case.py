from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import Family, FamilyStatus
from liaison.accounts.models import PoliceUnit, Role, User
from liaison.forms import GovukFormMixin


def team_officers(team):
    return User.objects.filter(role=Role.OFFICER, team=team, is_active=True).order_by("full_name")


class FamilyOpenForm(GovukFormMixin, forms.ModelForm):
    """Open a case from a referral. A supervisor chooses the officer; an officer opens
    the case for themselves."""

    liaison_officer = forms.ModelChoiceField(label=_("Liaison officer"), queryset=User.objects.none())

    class Meta:
        model = Family
        fields = ["display_name", "referral_on", "referral_source", "referral_note", "police_unit", "liaison_officer"]
        widgets = {"referral_note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, opened_by: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["police_unit"].queryset = PoliceUnit.objects.all()
        if opened_by.role == Role.OFFICER:
            del self.fields["liaison_officer"]
        else:
            self.fields["liaison_officer"].queryset = team_officers(opened_by.team)


class FamilyEditForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Family
        fields = ["display_name", "status", "referral_on", "referral_source", "referral_note", "police_unit"]
        widgets = {"referral_note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, label) for s, label in FamilyStatus.choices if s != FamilyStatus.CLOSED]


class FamilyCloseForm(GovukFormMixin, forms.Form):
    closing_reason = forms.CharField(
        label=_("Why is the case closed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the child is safe and the parents no longer need support."),
    )


class ClosureDecisionForm(GovukFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Your decision"),
        choices=[("yes", _("Close the case")), ("no", _("Keep the case open"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the case closes.")},
    )
    reason = forms.CharField(
        label=_("Your reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The officer reads it. When you keep the case open, say what is still needed."),
        error_messages={"required": _("Give the reason for your decision.")},
    )


class ReopenForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why does the case open again?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the child went missing again, or the parents asked for support."),
        error_messages={"required": _("Give the reason for reopening the case.")},
    )


class HandoverForm(GovukFormMixin, forms.Form):
    to_officer = forms.ModelChoiceField(label=_("New liaison officer"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason for the handover"),
        max_length=200,
        help_text=_("For example: officer leaves the team, caseload balance."),
    )
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the new officer must know so the parents never have to tell their story again: "
            "where the family stands, what was agreed, what to watch for."
        ),
    )

    def __init__(self, *args, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_officer"].queryset = team_officers(family.team).exclude(pk=family.liaison_officer_id)
