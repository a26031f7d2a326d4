"""The wording of a form's errors, decided once for every form (liaison.forms): a
missing field is named in its message, and fields that share a message get their label
in front of it, so no two messages of one form are the same."""

from django import forms
from django.utils import translation

from liaison.forms import GovukFormMixin

SAME = "Enter the number of years."


class RetentionLike(GovukFormMixin, forms.Form):
    contacts = forms.IntegerField(label="Contact log", error_messages={"required": SAME})
    incidents = forms.IntegerField(label="Incidents", error_messages={"required": SAME})
    abuse_before = forms.ChoiceField(
        label="Has there been abuse before?", choices=[("yes", "Yes")], error_messages={"required": SAME}
    )
    summary = forms.CharField(label="Summary")
    kind = forms.ChoiceField(label="Kind of contact", choices=[("visit", "Visit")])
    agreed = forms.BooleanField(label="The parents agree")
    note = forms.CharField(label="Note", error_messages={"required": "Write the note."})


def errors_of(data: dict) -> dict[str, list[str]]:
    with translation.override("en"):
        form = RetentionLike(data)
        form.is_valid()
        return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def test_fields_that_share_a_message_each_say_which_field_they_are_about():
    errors = errors_of({})
    assert errors["contacts"] == ["Contact log: Enter the number of years."]
    assert errors["incidents"] == ["Incidents: Enter the number of years."]
    assert errors["abuse_before"] == ["Has there been abuse before? Enter the number of years."]


def test_a_message_only_one_field_has_stays_as_it_is():
    errors = errors_of({"contacts": "3", "abuse_before": "yes"})
    assert errors["incidents"] == [SAME]
    assert errors["note"] == ["Write the note."]


def test_a_missing_field_is_named_in_words_that_fit_how_it_is_answered():
    errors = errors_of({})
    assert errors["summary"] == ["Fill in “Summary”."]
    assert errors["kind"] == ["Choose an answer for “Kind of contact”."]
    assert errors["agreed"] == ["Tick “The parents agree”."]


def test_the_named_messages_are_dutch_for_a_dutch_reader():
    with translation.override("nl"):
        form = RetentionLike({})
        form.is_valid()
        assert form.errors["summary"] == ["Vul “Summary” in."]
        assert form.errors["kind"] == ["Kies een antwoord bij “Kind of contact”."]


def test_no_two_messages_of_the_form_are_the_same():
    messages = [message for messages in errors_of({}).values() for message in messages]
    assert len(messages) == len(set(messages))
