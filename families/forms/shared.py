"""The parents' form to share what they saw or found, and the police's answer to it.
The fields use the services' own checks, so every problem shows at once. No field sets
a browser length limit: a parent who pasted too much keeps every word to shorten."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import SharedStatus
from families.services.shared import ANSWERS, check_feedback, check_place, check_shared_text
from liaison import dates
from liaison.forms import GovukFormMixin
from liaison.uploads import clean_attachment


class ShareForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What did you see or find?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[check_shared_text],
        help_text=_("Write it in your own words. Names, nicknames, cars, phone numbers and places help the police."),
        error_messages={"required": _("Write what you saw or found.")},
    )
    happened_on = dates.DateFormField(
        label=_("When did it happen?"),
        required=False,
        help_text=_("If you do not know the day, leave this empty."),
    )
    happened_where = forms.CharField(
        label=_("Where did it happen?"),
        required=False,
        validators=[check_place],
        help_text=_("For example a street, a shop or a website."),
    )
    attachment = forms.FileField(
        label=_("Photo, screenshot or PDF"),
        required=False,
        error_messages={
            "invalid": _("The file could not be read. Choose it again."),
            "empty": _("The file is empty. Choose another file."),
        },
    )
    child_must_not_know = forms.BooleanField(
        label=_("My child must not learn that this came from me"),
        required=False,
        help_text=_("Tick this box if your child must never find out that you told us. We tell the police."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["attachment"].help_text = _(
            "A photo or screenshot (JPEG, PNG or WebP) or a PDF, at most %(limit)s MB. "
            "We remove the place and camera details from photos."
        ) % {"limit": settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)}

    def clean_attachment(self):
        """Checked here too, so that a wrong file shows beside the other problems; the
        service checks the upload again before it stores the cleaned copy."""
        upload = self.cleaned_data.get("attachment")
        if upload:
            clean_attachment(upload)
            upload.seek(0)
        return upload


class AcknowledgeForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("What became of this information?"),
        choices=[(value, label) for value, label in SharedStatus.choices if value in ANSWERS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what became of the information."),
            "invalid_choice": _("Choose what became of the information."),
        },
    )
    feedback = forms.CharField(
        label=_("Feedback for the parents"),
        required=False,
        validators=[check_feedback],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The parents read this on their page. Write it so that they understand it, "
            "and write nothing they must not know."
        ),
    )
