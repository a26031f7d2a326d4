from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Agency, AgencyInvolvement
from liaison import dates
from liaison.forms import GovukFormMixin


class AgencyInvolvementForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = AgencyInvolvement
        fields = ["agency", "agency_detail", "worker_name", "worker_contact", "started_on", "ended_on"]
        help_texts = {
            "agency_detail": _("For example: the youth care team in the district, the child's school."),
            "worker_contact": _("Phone number or e-mail address of the worker."),
            "ended_on": _("Leave empty while the worker is involved."),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Choose the agency")), *Agency.choices]

    def clean(self):
        data = super().clean()
        started_on, ended_on = data.get("started_on"), data.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        return data


class WorkerChangeForm(GovukFormMixin, forms.Form):
    changed_on = dates.DateFormField(
        label=_("Date of the change"),
        help_text=_("The current worker ends on this date and the new worker starts on it."),
    )
    worker_name = forms.CharField(label=_("New named worker"), max_length=150)
    worker_contact = forms.CharField(
        label=_("How to reach the new worker"),
        max_length=200,
        required=False,
        help_text=_("Phone number or e-mail address of the worker."),
    )
    agency_detail = forms.CharField(label=_("Organisation or department"), max_length=150, required=False)


class InvolvementEndForm(GovukFormMixin, forms.Form):
    ended_on = dates.DateFormField(label=_("End date"))
