"""Forms of staff work: team settings and invitations."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from families.selectors.concerns import open_concern
from liaison.access import invitable_members_for, invitation_roles_for
from liaison.accounts.models import PoliceUnit, Role, Team, language_choices, site_language
from liaison.forms import GovukFormMixin
from liaison.staff.services import CONFIRM_DESPITE_CONCERN


class TeamSettingsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = [
            "team_view",
            "contact_limit_days",
            "protective_mode_confirm_hours",
            "closed_readable_months",
        ]
        labels = {"team_view": gettext_lazy("Officers may read the team's other families")}
        help_texts = {
            "team_view": gettext_lazy(
                "For cover during leave or illness. Officers can read, not change, their colleagues' families."
            ),
            "contact_limit_days": gettext_lazy("A family without contact for longer shows as needing attention."),
            "closed_readable_months": gettext_lazy(
                "A closed case stays readable, not changeable, for the team this long (relapse is common); "
                "then it moves to the archive. A supervisor can reopen it until then."
            ),
            "protective_mode_confirm_hours": gettext_lazy(
                "Protective mode holds from the moment an officer starts it; a supervisor confirms it within this time."
            ),
        }


class HouseholdMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member) -> str:
        return f"{member.family.reference} · {member.full_name} ({member.relation})"


class InvitationForm(GovukFormMixin, forms.Form):
    """Staff are invited by name; a parent is invited as the household member already
    recorded (chosen here), so that accepting links the account to that one record."""

    member = HouseholdMemberChoiceField(
        label=_("Parent or caregiver"),
        queryset=None,
        required=False,
        help_text=_("Only people in the household of your families who have no portal account yet."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    police_unit = forms.ModelChoiceField(label=_("Police unit"), queryset=PoliceUnit.objects.all(), required=False)
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=language_choices,
        required=False,
        help_text=_("The invitation and every later e-mail to this person are written in this language."),
        error_messages={"invalid_choice": _("Choose the language of the e-mails.")},
    )

    def __init__(self, *args, inviter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        self.fields["language"].initial = site_language()
        roles = invitation_roles_for(inviter)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        self.fields["member"].queryset = invitable_members_for(inviter)
        if inviter.role == Role.SUPERVISOR:
            self.fields["team"].queryset = Team.objects.filter(pk=inviter.team_id)
            self.fields["team"].initial = inviter.team_id
        if Role.PARENT not in roles:
            del self.fields["member"]
        self.concern_member = self._member_with_open_concern()
        if self.concern_member is not None:
            self.fields["confirm_despite_concern"] = forms.BooleanField(
                label=_("I have checked that it is safe to invite this caregiver, although a concern is open."),
                required=True,
                error_messages={"required": CONFIRM_DESPITE_CONCERN},
            )
        if roles == [Role.PARENT]:
            self.fields["role"].initial = Role.PARENT
            self.fields["role"].widget = forms.HiddenInput()
            del self.fields["team"], self.fields["police_unit"], self.fields["full_name"]

    def _member_with_open_concern(self):
        """The chosen caregiver, when a concern that a caregiver may be involved is open
        in their family: then the inviter sees a warning and must confirm."""
        if "member" not in self.fields:
            return None
        chosen = str(self.data.get(self.add_prefix("member"), "") if self.is_bound else self.initial.get("member", ""))
        if not chosen.isdigit() or len(chosen) > 12:
            return None
        member = self.fields["member"].queryset.filter(pk=int(chosen)).first()
        return member if member is not None and open_concern(member.family) is not None else None

    def clean(self):
        data = super().clean()
        role = data.get("role")
        required = {
            Role.OFFICER: ["full_name", "team"],
            Role.SUPERVISOR: ["full_name", "team"],
            Role.POLICE: ["full_name", "police_unit"],
            Role.ANALYST: ["full_name", "police_unit"],
            Role.ADMINISTRATOR: ["full_name"],
            Role.PARENT: ["member"],
        }.get(role, [])
        messages = {
            "full_name": _("Enter the person's full name."),
            "team": _("Choose the team this person joins."),
            "police_unit": _("Choose the police unit of this police partner."),
            "member": _("Choose the parent or caregiver from the household."),
        }
        for field in required:
            if not data.get(field):
                self.add_error(field, messages[field])
        for field in ("team", "police_unit", "member"):
            if field not in required and field in data:
                data[field] = None
        return data
