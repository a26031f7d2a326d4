"""Every output follows one language. Management commands write in LANGUAGE_CODE, or in
the language named with --language, never a mix and never the language that happened to
be active where they were called from; a form never shows a text that was put into words
(in Dutch) when its module was loaded. The team report CSV is tested with the report."""

import importlib
import io
import pkgutil
import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.core.management import CommandError, call_command, load_command_class
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from liaison.management.base import LocalisedCommand
from liaison.privacy.forms import ErasureDecisionForm, ErasureRequestForm

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ("liaison", "families", "safety_plans", "portal")
COMMAND_FOLDERS = {
    "liaison": ROOT / "liaison/management/commands",
    "liaison.audit": ROOT / "liaison/audit/management/commands",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _phrases(text: str) -> set[str]:
    """The literal parts of a message that are long enough to tell a language by."""
    return {part.strip() for part in PLACEHOLDER.split(text) if len(part.strip()) >= 12 and " " in part.strip()}


@cache
def catalogue_phrases() -> dict[str, frozenset[str]]:
    """Per language, the phrases of the catalogue that only that language uses."""
    english, dutch = set(), set()
    for entry in polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po")).translated_entries():
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translated in pairs:
            english |= _phrases(source)
            dutch |= _phrases(translated)
    return {"en": frozenset(english - dutch), "nl": frozenset(dutch - english)}


def foreign_phrases(text: str, language: str) -> list[str]:
    """The phrases of the other language found in a text written in ``language``."""
    other = "nl" if language == "en" else "en"
    return sorted(phrase for phrase in catalogue_phrases()[other] if phrase in text)


def test_the_phrase_check_tells_the_languages_apart():
    assert foreign_phrases("Het auditlog is intact: 3 gebeurtenissen gecontroleerd.", "en")
    assert foreign_phrases("The audit trail is intact: 3 events verified.", "nl")
    assert not foreign_phrases("The audit trail is intact: 3 events verified.", "en")


# Management commands -------------------------------------------------------------------------


def our_commands() -> list[tuple[str, str]]:
    return [
        (app, module.name)
        for app, folder in COMMAND_FOLDERS.items()
        for module in pkgutil.iter_modules([str(folder)])
        if not module.name.startswith("_")
    ]


@pytest.mark.parametrize(("app", "name"), our_commands())
def test_every_command_speaks_one_language_through_the_shared_base(app, name):
    command = load_command_class(app, name)
    assert isinstance(command, LocalisedCommand), f"{name} does not use liaison.management.base.LocalisedCommand"
    language = next(a for a in command.create_parser("manage.py", name)._actions if "--language" in a.option_strings)
    assert list(language.choices) == [code for code, _name in settings.LANGUAGES]


def test_every_command_of_ours_is_found():
    names = {name for _app, name in our_commands()}
    expected = {"apply_retention", "archive_closed_cases", "backup", "restore", "rotate_keys", "seed_demo"}
    assert names >= expected | {"send_reminders", "seal_audit", "verify_audit"}


def run(name: str, *args, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def keys(settings):
    settings.AUDIT_CHECKPOINT_KEY = "a checkpoint key for the tests, long enough to sign with"


# (command, options, what it says in English, what it says in Dutch)
COMMANDS = [
    ("send_reminders", {"dry_run": True}, "Dry run for", "Proefdraai voor"),
    ("seal_audit", {}, "Audit trail sealed at event", "Auditlog verzegeld bij gebeurtenis"),
    ("verify_audit", {}, "The audit trail is intact", "Het auditlog is intact"),
    ("apply_retention", {}, "Nothing is due.", "Er is niets aan de beurt."),
    ("rotate_keys", {}, "rows with the first key.", "rijen opnieuw versleuteld met de eerste sleutel."),
    ("archive_closed_cases", {}, "Closed cases moved to the archive", "Afgesloten dossiers naar het archief"),
]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("name", "options", "english", "dutch"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_command_writes_in_the_language_asked_for_and_only_in_it(
    keys, officer, name, options, english, dutch, language
):
    output = run(name, language=language, **options)
    assert (english if language == "en" else dutch) in output
    assert (dutch if language == "en" else english) not in output
    assert foreign_phrases(output, language) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_retention_table_is_in_one_language(officer, language):
    output = run("apply_retention", language=language)
    header = output.splitlines()[0]
    assert header.split() == (
        ["years", "closed", "by", "action", "cases", "records", "kind", "of", "record"]
        if language == "en"
        else ["jaren", "gesloten", "t/m", "actie", "dossiers", "gegevens", "soort", "gegevens"]
    )
    assert ("Contact log and follow-up actions" in output) is (language == "en")
    assert ("delete" in output, "verwijderen" in output) == ((True, False) if language == "en" else (False, True))


def test_without_language_a_command_writes_in_language_code_whatever_is_active(officer):
    with translation.override("en"):
        output = run("verify_audit")
    assert "Het auditlog is intact" in output and foreign_phrases(output, "nl") == []


def test_language_code_decides_the_default(officer, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("nl"):
        assert "The audit trail is intact" in run("verify_audit")


def test_the_language_is_an_option_on_the_command_line(officer):
    assert "The audit trail is intact" in run("verify_audit", "--language", "en")
    with pytest.raises(CommandError, match="invalid choice"):
        run("verify_audit", "--language", "de")


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Set AUDIT_CHECKPOINT_KEY to a secret"), ("nl", "Stel AUDIT_CHECKPOINT_KEY in op")]
)
def test_a_command_refuses_in_its_language_too(officer, settings, language, message):
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError, match=message):
        run("seal_audit", language=language)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_backup_command_reports_in_one_language(tmp_path, monkeypatch, language):
    """The archive itself is written and restored in test_backup_restore.py; here only
    what the command says about it."""
    archive = tmp_path / "liaison-backup-20261209T150100Z.tar.gz"
    archive.write_bytes(b"archive")
    manifest = {"counts": {"families": 3, "plan_versions": 2, "audit_events": 9}, "private_media": {"files": 1}}
    monkeypatch.setattr("liaison.management.commands.backup.backup_create", lambda directory: (archive, manifest))
    with translation.override("nl" if language == "en" else "en"):
        output = run("backup", "--dir", str(tmp_path), language=language)
    if language == "en":
        assert "Backup written:" in output and "keep it on encrypted storage only" in output
        assert "Back-up geschreven" not in output
    else:
        assert "Back-up geschreven:" in output and "bewaar hem alleen op versleutelde opslag" in output
        assert "Backup written" not in output
    assert foreign_phrases(output, language) == []


@pytest.mark.parametrize(
    ("language", "message", "foreign"),
    [
        ("en", "There is no backup at .* The target database and PRIVATE_MEDIA_ROOT were not changed.", "niet"),
        ("nl", "De doeldatabase en PRIVATE_MEDIA_ROOT zijn niet veranderd.", "were not changed"),
    ],
)
def test_the_restore_command_refuses_in_one_language(tmp_path, language, message, foreign):
    with (
        translation.override("nl" if language == "en" else "en"),
        pytest.raises(CommandError, match=message) as refusal,
    ):
        run("restore", str(tmp_path / "missing.tar.gz"), language=language)
    assert foreign not in str(refusal.value)
    assert foreign_phrases(str(refusal.value), language) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_demo_logins_are_in_one_language(language):
    output = run("seed_demo", language=language)
    assert foreign_phrases(output, language) == []
    if language == "en":
        assert "Demo logins (password for every account:" in output
        assert "backup codes:" in output and "Supervisor" in output and "Suspected carer" in output
    else:
        assert "Demo-aanmeldingen (wachtwoord van elk account:" in output
        assert "reservecodes:" in output and "Verdachte verzorger" in output
        assert "backup codes" not in output and "Suspected" not in output


# Forms ---------------------------------------------------------------------------------------


def test_the_erasure_forms_in_english_hold_no_dutch():
    with translation.override("en"):
        request_form, decision_form = ErasureRequestForm(), ErasureDecisionForm()
        texts = [str(field.help_text) for form in (request_form, decision_form) for field in form.fields.values()]
    assert "At least 20 characters. Quote the request where you can." in texts
    assert all(foreign_phrases(text, "en") == [] for text in texts), texts
    with translation.override("nl"):
        assert "Minstens 20 tekens" in str(ErasureRequestForm().fields["grounds"].help_text)


def test_the_english_erasure_pages_hold_no_dutch(english, administrator, parent):
    from liaison.privacy.services import erasure_request_create

    member = parent.household_memberships.get()
    client = english(administrator)
    page = client.get(reverse("privacy:erasure_request_new", args=["member", member.pk])).content.decode()
    assert "At least 20 characters" in page
    assert foreign_phrases(page, "en") == []
    erasure = erasure_request_create(
        member=member, asked_by="The mother", grounds="She asked in writing to erase everything.", requested_by=parent
    )
    second = client.get(reverse("privacy:erasure_request", args=[erasure.pk])).content.decode()
    assert "Needed when you refuse (at least" in second
    assert foreign_phrases(second, "en") == []


def _our_form_classes() -> list[type]:
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, waiting = [], [forms.BaseForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.split(".")[0] in OUR_APPS:
                found.append(subclass)
    return found


def _texts_of(field: forms.Field) -> list:
    texts = [field.label, field.help_text, *field.error_messages.values()]
    if isinstance(field, forms.ModelChoiceField):
        return texts  # its choices are rows, read when the form is shown
    for choice in getattr(field, "choices", None) or []:
        if isinstance(choice, tuple | list) and len(choice) == 2 and not isinstance(choice[1], list | tuple):
            texts.append(choice[1])
    return texts


def test_no_form_holds_a_text_put_into_dutch_when_its_module_was_loaded():
    """A label, help text, error message or choice of a declared field is either lazy (put
    into words when shown, in the reader's language) or holds no Dutch."""
    classes = _our_form_classes()
    assert ErasureRequestForm in classes and len(classes) > 30
    fixed_in_dutch = []
    for form_class in classes:
        for name, field in form_class.base_fields.items():
            for text in _texts_of(field):
                if isinstance(text, str) and not isinstance(text, Promise) and foreign_phrases(text, "en"):
                    fixed_in_dutch.append(f"{form_class.__module__}.{form_class.__name__}.{name}: {text}")
    assert fixed_in_dutch == []


def test_the_portals_dutch_name_is_marked_dutch_on_english_pages(english, parent):
    page = english(parent).get(reverse("portal:home")).content.decode()
    assert '<html lang="en"' in page
    assert 'lang="nl">Mijn overzicht</a>' in page
