"""Form helpers shared by every app: GOV.UK Design System classes on the widgets, the
one loop of a page with a form, and one rule for every text field: no invisible
control characters."""

import re
import secrets
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import FormSubmission
from liaison.validators import validate_no_control_characters

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.FileInput: "govuk-file-upload",
    forms.ClearableFileInput: "govuk-file-upload",
}


def refuse_control_characters(field: forms.Field) -> None:
    """Our wording for a control character in a text field, in place of Django's own
    check, which only knows the null character."""
    if not isinstance(field, forms.CharField) or validate_no_control_characters in field.validators:
        return
    field.validators = [
        validator for validator in field.validators if not isinstance(validator, ProhibitNullCharactersValidator)
    ]
    field.validators.append(validate_no_control_characters)


# Django's "This field is required." says nothing of which field: ours names it.
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
REQUIRED_BY_WIDGET = [
    (forms.CheckboxInput, _("Tick “{}”.")),
    ((forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple), _("Choose an answer for “{}”.")),
    (forms.FileInput, _("Choose a file for “{}”.")),
]
FILL_IN = _("Fill in “{}”.")
# A message that two fields of one form share, with the field it is about in front.
ABOUT_FIELD = _("{label}: {message}")


def name_the_field_when_required(field: forms.Field) -> None:
    """Give a required field whose message is still Django's a message that names it, so
    that the error summary says which field is missing."""
    if str(field.error_messages.get("required", "")) != str(DJANGO_REQUIRED) or not field.label:
        return
    wording = next((text for widget, text in REQUIRED_BY_WIDGET if isinstance(field.widget, widget)), FILL_IN)
    field.error_messages = {**field.error_messages, "required": format_lazy(wording, field.label)}


def repeated_messages(form: forms.BaseForm) -> set[str]:
    """The messages that more than one field of the form has."""
    counts = Counter(message for name in form.fields for message in set(form.errors.get(name, [])))
    return {message for message, count in counts.items() if count > 1}


def about_field(label: str, message: str) -> str:
    """The message with the field in front: a question is followed by the message, a
    name by a colon ("Supervision notes: Enter the number of years.")."""
    if label.endswith("?"):
        return f"{label} {message}"
    return str(ABOUT_FIELD).format(label=label, message=message)


def name_the_field_in_repeated_errors(form: forms.BaseForm) -> None:
    """Where fields share a message ("Choose a score from 1 to 5." three times), put each
    field's label in front of it: a screen-reader user then hears which field is meant,
    and no two messages of the form are the same."""
    repeated = repeated_messages(form)
    for name in form.fields:
        errors = form.errors.get(name)
        if not errors or not repeated.intersection(errors):
            continue
        label = str(form[name].label)
        named = [
            ValidationError(about_field(label, message) if message in repeated else message, code=error.code)
            for error in errors.as_data()
            for message in error.messages
        ]
        form.errors[name] = form.error_class(named, renderer=form.renderer)


class GovukFormMixin:
    """Adds the design system's classes, and the error modifier on fields with errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = WIDGET_CLASSES.get(type(field.widget), "govuk-input")

    def full_clean(self) -> None:
        # Here rather than in __init__: some forms add a field after they are made.
        for field in self.fields.values():
            refuse_control_characters(field)
            name_the_field_when_required(field)
        super().full_clean()
        if self.is_bound:
            name_the_field_in_repeated_errors(self)

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "govuk-input").split()[0]
                widget.attrs["class"] = f"{base} {base}--error"

    def _anchor(self, name: str) -> str:
        """The element a summary link jumps to: the field, or a radio group's first option."""
        bound = self[name]
        if isinstance(bound.field.widget, forms.RadioSelect):
            return f"{bound.auto_id}_0"
        return bound.id_for_label

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary at the top of the page."""
        pairs = []
        for name, errors in self.errors.items():
            anchor = self._anchor(name) if name in self.fields else ""
            pairs.extend((anchor, message) for message in errors)
        return pairs


def posted_data(request: HttpRequest):
    """What a form is bound to: the POST on a submit, nothing on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[..., Any],
    success: str | Callable[[Any], str] | None,
    redirect_to: str | Callable[[Any], str | HttpResponse],
    show: Callable[[forms.BaseForm], HttpResponse],
) -> HttpResponse:
    """The one way a page with a form works. A GET shows the form. A valid POST runs the
    service ``save(**form.cleaned_data)``, says ``success`` (a message, one made from what
    ``save`` returned, or None for none) and goes to ``redirect_to`` (an address or URL
    name, or one made from what ``save`` returned, or the response itself). A form with
    errors, or one the service refused with a ValidationError, is shown again by
    ``show(form)`` with its reasons and status 400, so clients and tests see the refusal;
    a page that answers with a status of its own (409 for a conflict) keeps it."""
    token = submission_token(request, form)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != SUBMISSION_FIELD}
        try:
            return submit_once(request, token, lambda: _saved(request, save(**data), success, redirect_to))
        except ValidationError as error:
            apply_errors(form, error)
    response = show(form)
    if form.errors and response.status_code == 200:
        response.status_code = 400
    return response


def _saved(request: HttpRequest, saved: Any, success, redirect_to) -> HttpResponse:
    message = success(saved) if callable(success) else success
    if message:
        messages.success(request, message)
    target = redirect_to(saved) if callable(redirect_to) else redirect_to
    return target if isinstance(target, HttpResponse) else redirect(target)


# A double submit never saves twice: every form page carries a one-time token.
SUBMISSION_FIELD = "submission"
SUBMISSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
SUBMISSIONS_KEPT = timedelta(days=1)


def submission_token(request: HttpRequest, form: forms.BaseForm) -> str:
    """Give the form its hidden one-time token (a new one on every page shown) and return
    the token that came with a submit: "" when none came, or one that is not ours."""
    form.fields[SUBMISSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
    if not form.is_bound:
        form.initial[SUBMISSION_FIELD] = secrets.token_urlsafe(24)
        return ""
    posted = str(form.data.get(form.add_prefix(SUBMISSION_FIELD), ""))
    return posted if SUBMISSION_TOKEN.fullmatch(posted) and request.user.is_authenticated else ""


def _earlier_result(request: HttpRequest, token: str) -> str | None:
    submissions = FormSubmission.objects.filter(user=request.user, token=token)
    return submissions.values_list("result_url", flat=True).first()


def submit_once(request: HttpRequest, token: str, submit: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``submit`` (which saves and answers, usually with a redirect) once per token:
    a second submit with the same token, even at the same moment, is sent where the
    first one led, and saves nothing. Without a token every submit counts."""
    if not token:
        return submit()
    earlier = _earlier_result(request, token)
    if earlier is not None:
        return redirect(earlier)
    try:
        with transaction.atomic():
            response = submit()
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                FormSubmission.objects.filter(
                    user=request.user, created_at__lt=timezone.now() - SUBMISSIONS_KEPT
                ).delete()
                FormSubmission.objects.create(user=request.user, token=token, result_url=response["Location"])
    except IntegrityError:
        # The same submit at the same moment: the other one saved; show its result.
        earlier = _earlier_result(request, token)
        if earlier is None:
            raise
        return redirect(earlier)
    return response


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field, or at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
