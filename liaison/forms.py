"""Form helpers shared by every app: GOV.UK Design System classes on the widgets."""

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
}


class GovukFormMixin:
    """Adds the design system's classes, and the error modifier on fields with errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = WIDGET_CLASSES.get(type(field.widget), "govuk-input")

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "govuk-input").split()[0]
                widget.attrs["class"] = f"{base} {base}--error"

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary at the top of the page."""
        pairs = []
        for name, errors in self.errors.items():
            anchor = self[name].id_for_label if name in self.fields else ""
            pairs.extend((anchor, message) for message in errors)
        return pairs
