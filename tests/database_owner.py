"""The owner of the tables, for the few things in the tests that only the owner may do.

`make test-postgres` runs the suite as the app's own role (DATABASE_APP_ROLE), which may
only read and append to the audit trail, as in production. The owner is the role in
DATABASE_URL: it makes and migrates the test database, empties the tables between
transactional tests, and plays the insider who cuts the audit trail short."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dj_database_url
import psycopg
from django.db import connection

from liaison.audit.privileges import APPEND_ONLY_TABLES


def owner_connection() -> psycopg.Connection:
    """A connection to the test database as the owner of its tables (autocommit)."""
    owner = dj_database_url.parse(os.environ["DATABASE_URL"])
    return psycopg.connect(
        host=owner["HOST"] or None,
        port=owner["PORT"] or None,
        user=owner["USER"] or None,
        password=owner["PASSWORD"] or None,
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )


def flush_as_owner(operations, sql_list: list[str]) -> None:
    """Django's flush between transactional tests, run by the owner: the app's role may
    not TRUNCATE, and the audit trail refuses TRUNCATE unless its owner sets
    ``liaison.allow_audit_truncate`` for the session (audit migration 0008)."""
    with owner_connection() as owner:
        owner.execute("SET lock_timeout = '60s'")
        owner.execute("SET liaison.allow_audit_truncate = on")
        with owner.transaction():
            for sql in sql_list:
                owner.execute(sql)


@contextmanager
def owner_cursor() -> Iterator:
    """A cursor that changes the audit trail as an insider with the owner's rights would:
    on PostgreSQL with the triggers of the audit tables off for its one transaction (use
    it from a transactional test, so that it sees the test's rows); on SQLite, which has
    neither roles nor triggers, the test's own connection."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with owner_connection() as owner, owner.transaction(), owner.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '60s'")
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield cursor
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@contextmanager
def connected_as_owner() -> Iterator:
    """The test's own connection as the owner of the tables for a while (to migrate back
    and forth): on PostgreSQL run as the app's role, the connection is closed and opened
    again as the owner, and back as the app's role afterwards. Elsewhere it changes
    nothing. Use it from a transactional test."""
    database = connection.settings_dict
    app_user = database["USER"]
    owner = dj_database_url.parse(os.environ.get("DATABASE_URL", "")) if connection.vendor == "postgresql" else {}
    if not owner or owner["USER"] == app_user:
        yield
        return
    connection.close()
    database.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])
    try:
        yield
    finally:
        connection.close()
        database.update(USER=app_user, PASSWORD="")
