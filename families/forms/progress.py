from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from families.models import DIMENSIONS, Dimension, Family, ParentRating, ProgressReview
from families.progress_scale import PARENT_QUESTIONS, PARENT_WORDS, STAFF_ANCHORS
from liaison.forms import GovukFormMixin

# Each dimension's own message, so that three missing scores are three different errors.
OUT_OF_SCALE = {
    "understanding": _("Choose a score from 1 to 5 for understanding."),
    "empowerment": _("Choose a score from 1 to 5 for empowerment."),
    "resilience": _("Choose a score from 1 to 5 for resilience."),
}
# The parents answer questions, not dimensions: their messages name the question.
OUT_OF_SCALE_FOR_PARENTS = {
    "understanding": _("Choose an answer from 1 to 5 to whether you understand what is happening."),
    "empowerment": _("Choose an answer from 1 to 5 to whether you feel you can do something about it."),
    "resilience": _("Choose an answer from 1 to 5 to how you are coping."),
}


def _scale_field(label, anchors: dict, out_of_scale) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(score, format_lazy("{}: {}", score, anchors[score])) for score in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={"required": out_of_scale, "invalid_choice": out_of_scale},
    )


class ReviewForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressReview
        fields = ["reviewed_on"] + [f"{d}_{part}" for d in DIMENSIONS for part in ("score", "evidence", "plan")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
        for dimension in DIMENSIONS:
            self.fields[f"{dimension}_score"] = _scale_field(
                Dimension(dimension).label, STAFF_ANCHORS[dimension], OUT_OF_SCALE[dimension]
            )
            self.fields[f"{dimension}_evidence"].widget = forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"})
            self.fields[f"{dimension}_evidence"].help_text = _("What the parents said and did.")
            self.fields[f"{dimension}_plan"].widget = forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"})

    def dimension_groups(self) -> list[dict]:
        """The fields of each dimension together, for one fieldset per dimension."""
        return [
            {
                "label": Dimension(d).label,
                "score": self[f"{d}_score"],
                "evidence": self[f"{d}_evidence"],
                "plan": self[f"{d}_plan"],
            }
            for d in DIMENSIONS
        ]


class CorrectionForm(ReviewForm):
    correction_reason = forms.CharField(
        label=_("What was wrong in the earlier review?"), max_length=300, widget=forms.TextInput()
    )

    class Meta(ReviewForm.Meta):
        fields = [*ReviewForm.Meta.fields, "correction_reason"]


class ParentRatingForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = ParentRating
        fields = ["rated_on", "given_by", "understanding_score", "empowerment_score", "resilience_score", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, for_parent: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rated_on"].initial = timezone.localdate()
        out_of_scale = OUT_OF_SCALE_FOR_PARENTS if for_parent else OUT_OF_SCALE
        for dimension in DIMENSIONS:
            self.fields[f"{dimension}_score"] = _scale_field(
                PARENT_QUESTIONS[dimension], PARENT_WORDS[dimension], out_of_scale[dimension]
            )
        if for_parent:
            del self.fields["rated_on"], self.fields["given_by"]
            self.fields["comment"].label = _("Anything you want to add, in your own words")

    def score_fields(self) -> list:
        return [self[f"{d}_score"] for d in DIMENSIONS]


class ProgressSettingsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Family
        fields = ["review_every_weeks", "progress_shared_with_police"]
