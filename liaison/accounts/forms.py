from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from liaison.access import invitable_members_for, invitation_roles_for
from liaison.accounts.models import PoliceUnit, Role, Team, User
from liaison.forms import GovukFormMixin


class CodeForm(GovukFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )


class ContactDetailsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["phone", "reachable_when"]


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

    def __init__(self, *args, inviter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        roles = invitation_roles_for(inviter)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        self.fields["member"].queryset = invitable_members_for(inviter)
        if inviter.role == Role.SUPERVISOR:
            self.fields["team"].queryset = Team.objects.filter(pk=inviter.team_id)
            self.fields["team"].initial = inviter.team_id
        if Role.PARENT not in roles:
            del self.fields["member"]
        if roles == [Role.PARENT]:
            self.fields["role"].initial = Role.PARENT
            self.fields["role"].widget = forms.HiddenInput()
            del self.fields["team"], self.fields["police_unit"], self.fields["full_name"]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        required = {
            Role.OFFICER: ["full_name", "team"],
            Role.SUPERVISOR: ["full_name", "team"],
            Role.POLICE: ["full_name", "police_unit"],
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


class AcceptInvitationForm(GovukFormMixin, forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Avoid common words and your own name."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            from liaison.accounts.models import User

            candidate = User(email=self.invitation.email, full_name=self.invitation.full_name)
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(GovukFormMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
            field.help_text = ""


class ResetPasswordForm(GovukFormMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(GovukFormMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(GovukFormMixin, allauth_forms.ChangePasswordForm):
    pass
