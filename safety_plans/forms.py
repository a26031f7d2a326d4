from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from families.models import Family, HouseholdMember
from liaison import dates
from liaison.access import plan_visibilities_for, trusted_members
from liaison.forms import GovukFormMixin
from liaison.uploads import clean_photo
from safety_plans.models import (
    MissingProfile,
    PersonOfConcern,
    PlanContact,
    PlanStatement,
    PoliceAction,
    Visibility,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class DraftForm(GovukFormMixin, forms.Form):
    """Every change of a draft carries the revision the person started from."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlanPartForm(GovukFormMixin, forms.ModelForm):
    """A part of the plan. Its visibility offers only what the writer may see."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        allowed = [value for value in plan_visibilities_for(user) if value in self.allowed_visibilities()]
        self.fields["visibility"].choices = [(value, Visibility(value).label) for value in allowed]
        if self.fields["visibility"].initial not in allowed:
            self.fields["visibility"].initial = allowed[0] if allowed else None

    def allowed_visibilities(self) -> tuple[str, ...]:
        return tuple(Visibility.values)


class StatementForm(PlanPartForm):
    class Meta:
        model = PlanStatement
        fields = ["section", "text", "visibility"]
        widgets = {"text": TEXTAREA}


class PersonOfConcernForm(PlanPartForm):
    class Meta:
        model = PersonOfConcern
        fields = [*PersonOfConcern.shown_fields, "visibility"]
        widgets = {
            name: TEXTAREA for name in ("description", "vehicles", "phone_numbers", "social_media", "places", "concern")
        }

    def allowed_visibilities(self) -> tuple[str, ...]:
        # Never for parents: a person of concern may be one of their own circle.
        return (Visibility.STAFF, Visibility.POLICE)


class PoliceActionForm(PlanPartForm):
    class Meta:
        model = PoliceAction
        fields = [*PoliceAction.shown_fields, "visibility"]
        widgets = {"description": TEXTAREA}
        error_messages = {"owner": {"required": _("Say who carries out this action.")}}

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return cleaned


class MissingProfileForm(PlanPartForm):
    # A plain file input: the stored photo has no URL to show (private storage); the page
    # shows it through the view that checks access, and a new upload replaces it.
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput,
        help_text=_("A recent photo: JPEG, PNG or WebP. Location and camera details are removed."),
    )

    class Meta:
        model = MissingProfile
        fields = [*MissingProfile.shown_fields, "visibility"]
        widgets = {
            name: TEXTAREA
            for name in (
                "description",
                "marks",
                "clothing",
                "phones",
                "social_media",
                "friends",
                "places",
                "habits",
                "medical_needs",
                "what_to_say",
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = self.family.children.all()

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload or upload == self.initial.get("photo"):
            return self.instance.photo
        try:
            return clean_photo(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class PlanContactForm(PlanPartForm):
    class Meta:
        model = PlanContact
        fields = [*PlanContact.shown_fields, "visibility"]


PART_FORMS: dict[str, type[PlanPartForm]] = {
    "person_of_concern": PersonOfConcernForm,
    "statement": StatementForm,
    "police_action": PoliceActionForm,
    "missing_profile": MissingProfileForm,
    "contact": PlanContactForm,
}


class ReviewDateForm(DraftForm):
    review_on = dates.DateFormField(
        label=_("Review date"),
        when=dates.PLANNED,
        help_text=_("When the plan will be looked at again with the parents and the police."),
    )


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label=_("What needs to change?"), max_length=2000, widget=TEXTAREA)


class EndorseForm(GovukFormMixin, forms.Form):
    note = forms.CharField(label=_("Note with the endorsement"), max_length=2000, required=False, widget=TEXTAREA)


class CommentForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=TEXTAREA)
    by_parent = forms.BooleanField(label=_("The parents said this (for example during a visit)"), required=False)


class AgreementForm(GovukFormMixin, forms.Form):
    """The officer records the parents' agreement given during a visit."""

    agreed_by = forms.ModelChoiceField(label=_("Who agreed"), queryset=HouseholdMember.objects.none())
    words = forms.CharField(
        label=_("What they said, in their own words"), max_length=4000, required=False, widget=TEXTAREA
    )

    def __init__(self, *args, family: Family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = trusted_members().filter(family=family)


class PortalCommentForm(GovukFormMixin, forms.Form):
    """A parent's comment on the version shared with them, in the portal."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=4000,
        widget=TEXTAREA,
        help_text=_("For example something you would like to change, or a question for your liaison officer."),
        error_messages={"required": _("Write your comment.")},
    )


class PortalAgreementForm(GovukFormMixin, forms.Form):
    """A parent agrees to the shared version in the portal, in their own words."""

    words = forms.CharField(
        label=_("In your own words"),
        max_length=4000,
        required=False,
        widget=TEXTAREA,
        help_text=_("What this plan means to you, or anything you want to say with it."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the plan and I agree with it"),
        error_messages={"required": _("Tick the box to say that you agree with the plan.")},
    )


VERSION_CHOICE_ERRORS = {
    "required": _("Choose a version from the list."),
    "invalid": _("Choose a version from the list."),
    "min_value": _("Choose a version from the list."),
}


class CompareForm(GovukFormMixin, forms.Form):
    """Which two versions of the plan to put side by side."""

    a = forms.IntegerField(
        label=_("Compare version"),
        min_value=1,
        widget=forms.Select,
        error_messages=VERSION_CHOICE_ERRORS,
    )
    b = forms.IntegerField(
        label=_("with version"),
        min_value=1,
        widget=forms.Select,
        error_messages=VERSION_CHOICE_ERRORS,
    )

    def __init__(self, *args, versions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(version.number, f"{version} ({version.get_status_display()})") for version in versions]
        for name in ("a", "b"):
            self.fields[name].widget.choices = choices

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("a") is not None and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", _("Choose two different versions."))
        return cleaned
