from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import Child, HouseholdMember
from families.models.household import ChildRole, dated_risk
from liaison.forms import GovukFormMixin


class ChildForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Child
        fields = ["full_name", "born_on", "school", "role", "exploitation_kind", "risk_level", "risk_set_on"]
        help_texts = {"risk_set_on": _("Leave empty to use today's date when the risk level changes.")}

    def clean(self):
        data = super().clean()
        data["risk_set_on"] = dated_risk(
            level=data.get("risk_level", ""),
            set_on=data.get("risk_set_on"),
            previous_level=self.instance.risk_level,
            previous_set_on=self.instance.risk_set_on,
        )
        if data.get("role") == ChildRole.EXPLOITED:
            if not data.get("exploitation_kind"):
                self.add_error("exploitation_kind", _("Choose the kind of exploitation (or 'not yet known')."))
            if not data.get("risk_level"):
                self.add_error("risk_level", _("Choose the current risk level."))
        return data


class MemberForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = [
            "full_name",
            "relation",
            "phone",
            "email",
            "safe_times",
            "safe_channel",
            "never_call_number",
            "needs_interpreter",
            "language",
        ]
        help_texts = {"safe_times": _("For example: weekdays between 9 and 12, when the partner is at work.")}


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
