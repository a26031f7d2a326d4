"""Form helpers shared by every app: GOV.UK Design System classes on the widgets, and
the one loop of a page with a form."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.FileInput: "govuk-file-upload",
    forms.ClearableFileInput: "govuk-file-upload",
}


class GovukFormMixin:
    """Adds the design system's classes, and the error modifier on fields with errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = WIDGET_CLASSES.get(type(field.widget), "govuk-input")

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
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            message = success(saved) if callable(success) else success
            if message:
                messages.success(request, message)
            target = redirect_to(saved) if callable(redirect_to) else redirect_to
            return target if isinstance(target, HttpResponse) else redirect(target)
    response = show(form)
    if form.errors and response.status_code == 200:
        response.status_code = 400
    return response


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field, or at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
