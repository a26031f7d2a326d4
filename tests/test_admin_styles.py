"""The admin's style sheets import no other sheet: an accessibility checker reads an imported
sheet through an inline <style>, which the CSP refuses (and the browser logs as an error).
Django's forms.css imports widgets.css, so static/admin/css/forms.css replaces it without
that line and admin/base_site.html links widgets.css itself."""

import re
from pathlib import Path

import django
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

DJANGO_ADMIN_CSS = Path(django.__file__).parent / "contrib" / "admin" / "static" / "admin" / "css"
IMPORT = "@import url('widgets.css');\n"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')


@pytest.mark.parametrize("sheet", sorted(path.name for path in DJANGO_ADMIN_CSS.glob("*.css")))
def test_no_admin_style_sheet_imports_another(sheet):
    served = Path(finders.find(f"admin/css/{sheet}"))
    assert "@import" not in served.read_text()


def test_our_forms_css_is_djangos_without_its_import():
    ours = Path(finders.find("admin/css/forms.css")).read_text()
    djangos = (DJANGO_ADMIN_CSS / "forms.css").read_text()
    assert djangos.startswith(IMPORT), "Django's forms.css changed its first line: compare and copy it again"
    assert ours.split("*/", 1)[1].lstrip("\n") == djangos.removeprefix(IMPORT).lstrip("\n")


def test_a_form_of_the_admin_links_what_forms_css_imported_before_it(login, administrator):
    html = login(administrator).get(reverse("admin:accounts_team_add")).content.decode()
    sheets = STYLESHEET.findall(html)
    assert sheets.index("admin/css/widgets.css") < sheets.index("admin/css/forms.css")


def test_our_related_object_lookups_is_djangos_closing_popups_on_pagehide():
    """Browsers report an 'unload' listener as deprecated; 'pagehide' does the same here."""
    name = "admin/js/admin/RelatedObjectLookups.js"
    ours = Path(finders.find(name)).read_text()
    djangos = (DJANGO_ADMIN_CSS.parent / "js" / "admin" / "RelatedObjectLookups.js").read_text()
    unload = "window.addEventListener('unload',"
    assert djangos.count(unload) == 1, "Django's RelatedObjectLookups.js changed: compare and copy it again"
    body = ours.split("\n", 3)[3]
    assert "'unload'" not in ours
    assert body == djangos.replace(unload, "window.addEventListener('pagehide',")
