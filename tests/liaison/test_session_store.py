"""The session store reads its row with one plain statement: what it loads must be what
Django's own database sessions load, and nothing of an expired or unknown session."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def stored(data: dict) -> str:
    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def test_a_stored_session_loads_in_one_query():
    key = stored({"kept": "yes", "number": 7})
    session = SessionStore(key)
    with CaptureQueriesContext(connection) as queries:
        assert session.load() == {"kept": "yes", "number": 7}
    assert len(queries) == 1
    assert session.session_key == key


def test_an_expired_session_loads_nothing_and_forgets_its_key():
    key = stored({"kept": "yes"})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    session = SessionStore(key)
    assert session.load() == {}
    assert session.session_key is None


def test_an_unknown_key_loads_nothing_and_forgets_it():
    session = SessionStore("x" * 32)
    assert session.load() == {}
    assert session.session_key is None


def test_tampered_data_loads_nothing():
    key = stored({"kept": "yes"})
    Session.objects.filter(session_key=key).update(session_data="not-signed-data")
    assert SessionStore(key).load() == {}


def test_the_app_uses_this_store(client, settings):
    assert settings.SESSION_ENGINE == "liaison.accounts.sessions"
