"""The forms of a referral (what goes in the summary, and the consent for it), of a
change of its status, and of consent for a portal invitation or a victim registration.
Only trusted caregivers are offered as the person who gives consent: a caregiver marked
suspected is never asked (the services refuse it as well)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import (
    Agency,
    ConsentManner,
    ConsentPurpose,
    ConsentRoute,
    Family,
    HouseholdMember,
    Referral,
    ReferralStatus,
    SummaryPart,
)
from families.selectors.concerns import open_concern
from families.services.referrals import CONSENT_DESPITE_CONCERN
from liaison import dates
from liaison.access import trusted_members
from liaison.forms import GovukFormMixin


def _consenting_members(family: Family):
    return trusted_members().filter(family=family, erased_at__isnull=True).order_by("full_name")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HouseholdMember) -> str:
        return f"{obj.full_name} ({obj.relation})"


# The fields of one consent, the same on a referral and on a consent of its own: the
# caregiver who gave it (filled with the trusted caregivers in ``__init__``), how, when,
# and for another route who decided and why.
def _given_by_field() -> MemberChoiceField:
    return MemberChoiceField(
        label=_("Parent or caregiver who gave consent"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        help_text=_("A caregiver marked as suspected is not listed: their consent is never asked."),
    )


def _manner_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentManner.choices, widget=forms.RadioSelect, required=False
    )


def _given_on_field() -> forms.DateField:
    return dates.DateFormField(label=_("Date of consent or decision"))


def _decided_by_field() -> forms.CharField:
    return forms.CharField(label=_("Who took the decision"), max_length=200, required=False)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for this route"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when consent was not given by the parent or caregiver."),
    )


class _ConsentConcernMixin:
    """While a concern about a caregiver is open, asking a caregiver's consent needs a
    confirmation that it is safe; the page shows the warning."""

    def add_concern_confirmation(self, family: Family) -> None:
        self.open_concern = open_concern(family)
        if self.open_concern is not None:
            self.fields["confirm_despite_concern"] = forms.BooleanField(
                label=_("I have checked that it is safe to ask this caregiver's consent, although a concern is open."),
                required=False,
                help_text=CONSENT_DESPITE_CONCERN,
            )


class ReferralForm(_ConsentConcernMixin, GovukFormMixin, forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), choices=())
    agency_detail = forms.CharField(label=_("Organisation or department"), max_length=150, required=False)
    contact_person = forms.CharField(label=_("Contact person at the agency"), max_length=150, required=False)
    question = forms.CharField(
        label=_("What the family needs from this agency"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parts = forms.MultipleChoiceField(
        label=_("What the summary includes"),
        choices=SummaryPart.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only parts the parents may know about can be chosen. Police-only details, people of concern, "
            "concerns and the Meldcode are never included."
        ),
        error_messages={"required": _("Choose at least one part of the case to include in the summary.")},
    )
    situation = forms.CharField(
        label=_("The family's situation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write it as you would read it to the parents: it goes into the summary as it is."),
    )
    sent_on = dates.DateFormField(label=_("Sent on"))
    consent_route = forms.ChoiceField(
        label=_("Who consented to sharing the summary"), choices=ConsentRoute.choices, widget=forms.RadioSelect
    )
    consent_given_by = _given_by_field()
    consent_manner = _manner_field()
    consent_on = _given_on_field()
    consent_decided_by = _decided_by_field()
    consent_reason = _reason_field()

    def __init__(self, *args, family: Family, **kwargs) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"sent_on": today, "consent_on": today})
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Choose the agency")), *Agency.choices]
        self.fields["consent_given_by"].queryset = _consenting_members(family)
        self.add_concern_confirmation(family)


class ConsentForm(_ConsentConcernMixin, GovukFormMixin, forms.Form):
    purpose = forms.ChoiceField(
        label=_("Consent for"),
        choices=[
            (ConsentPurpose.PORTAL_INVITATION, ConsentPurpose.PORTAL_INVITATION.label),
            (ConsentPurpose.VICTIM_REGISTRATION, ConsentPurpose.VICTIM_REGISTRATION.label),
        ],
        widget=forms.RadioSelect,
    )
    about_member = MemberChoiceField(
        label=_("Caregiver the portal invitation is for"), queryset=HouseholdMember.objects.none(), required=False
    )
    child = forms.ModelChoiceField(label=_("Child who is registered as a victim"), queryset=None, required=False)
    victim_register = forms.CharField(
        label=_("Registered with"),
        max_length=200,
        required=False,
        help_text=_("For example: victim support, the police's victim registration."),
    )
    route = forms.ChoiceField(label=_("Who decided"), choices=ConsentRoute.choices, widget=forms.RadioSelect)
    given_by = _given_by_field()
    manner = _manner_field()
    given_on = _given_on_field()
    decided_by = _decided_by_field()
    reason = _reason_field()

    def __init__(self, *args, family: Family, **kwargs) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        members = _consenting_members(family)
        self.fields["given_by"].queryset = members
        self.fields["about_member"].queryset = members
        self.fields["child"].queryset = family.children.filter(erased_at__isnull=True).order_by("full_name")
        self.add_concern_confirmation(family)


class ReferralStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=(), widget=forms.RadioSelect)
    changed_on = dates.DateFormField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start_involvement = forms.BooleanField(
        label=_("Add the agency's worker to the agency timeline"),
        required=False,
        help_text=_("Only when the referral is accepted."),
    )
    worker_name = forms.CharField(label=_("Named worker at the agency"), max_length=150, required=False)
    worker_contact = forms.CharField(label=_("How to reach them"), max_length=200, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, referral: Referral, **kwargs) -> None:
        kwargs.setdefault("initial", {"changed_on": timezone.localdate(), "revision": referral.revision})
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["status"].choices = [(status, labels[status]) for status in referral.next_statuses]
