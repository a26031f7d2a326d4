from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.forms import GovukFormMixin


class CodeForm(GovukFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The six-digit code that the app on your phone shows. "
            "If you were given spare codes, you may type one of those instead."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )


class ContactDetailsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["phone", "reachable_when"]


class AcceptInvitationForm(GovukFormMixin, forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Avoid common words and your own name."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again, to be sure it is what you meant.")},
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
