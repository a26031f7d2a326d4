"""Every user-facing string has a Dutch translation: extracting the messages from the
current source finds nothing untranslated or fuzzy, and the catalogue compiles."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["liaison", "families", "safety_plans", "portal", "templates", "locale", "manage.py"]

needs_gettext = pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is installed by `make setup`")


def _copy_sources(target: Path) -> None:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, target / name)


@needs_gettext
def test_no_message_is_left_untranslated_in_dutch(tmp_path):
    _copy_sources(tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    catalogue = polib.pofile(str(tmp_path / "locale/nl/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@needs_gettext
def test_the_committed_catalogue_compiles_and_matches_its_source(tmp_path):
    po = ROOT / "locale/nl/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True)
    committed = polib.mofile(str(ROOT / "locale/nl/LC_MESSAGES/django.mo"))
    compiled = polib.mofile(str(tmp_path / "django.mo"))
    assert {e.msgid: e.msgstr for e in committed} == {e.msgid: e.msgstr for e in compiled}


def test_a_dutch_page_shows_dutch(client, db):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Inloggen" in body
    assert "Sign in" not in body


# makemessages finds only the names Django gives xgettext (``_``, ``gettext``,
# ``gettext_lazy``, ``ngettext``…): a string marked through any other alias is never put in
# the catalogue, so it stays English on a Dutch page without any test noticing.
TRANSLATION_ALIAS = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (?!_\b)(\w+)")


def test_strings_are_marked_only_by_names_makemessages_finds():
    aliased = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for name in ("liaison", "families", "safety_plans", "portal")
        for path in (ROOT / name).rglob("*.py")
        for match in TRANSLATION_ALIAS.finditer(path.read_text())
    ]
    assert aliased == []
