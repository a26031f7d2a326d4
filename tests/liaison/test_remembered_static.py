"""The frame's ``{% static %}`` writes what Django's own tag writes, and asks the storage
for each file's address once, not on every page."""

import pytest
from django.contrib.staticfiles import storage
from django.template import engines
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse

from liaison.templatetags import remembered_static

FILES = ["favicon.svg", "favicon.ico", "vendor/govuk-frontend/govuk-frontend.min.css"]


def rendered(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("path", FILES)
def test_the_tag_writes_what_django_writes(path):
    assert rendered("{% load remembered_static %}{% static path %}", path=path) == static(path)
    assert rendered(f"{{% load remembered_static %}}{{% static '{path}' as address %}}[{{{{ address }}}}]") == (
        f"[{static(path)}]"
    )


def test_an_address_is_escaped_as_django_escapes_it():
    assert rendered("{% load remembered_static %}{% static path %}", path="a&b.css") == static("a&b.css").replace(
        "&", "&amp;"
    )


@pytest.mark.django_db
def test_a_page_asks_the_storage_for_no_address_it_wrote_before(client, monkeypatch):
    login = reverse("account_login")
    client.get(login)
    asked = []
    url = storage.staticfiles_storage.url
    monkeypatch.setattr(storage.staticfiles_storage, "url", lambda path: asked.append(path) or url(path))
    response = client.get(login)
    assert response.status_code == 200
    assert asked == []
    assert static("favicon.svg") in response.content.decode()


def test_a_change_of_the_static_settings_forgets_the_addresses():
    before = rendered("{% load remembered_static %}{% static 'favicon.svg' %}")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert rendered("{% load remembered_static %}{% static 'favicon.svg' %}").startswith("/elsewhere/")
    assert rendered("{% load remembered_static %}{% static 'favicon.svg' %}") == before
    assert remembered_static._addresses
