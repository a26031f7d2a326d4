"""The audit trail in the database: the app's role may only read and append to it, and
nobody, not even the owner of its tables, empties it by accident.

`make test-postgres` runs the whole suite as the app's role (DATABASE_APP_ROLE), so the
app working at all proves it needs no more; these tests prove it gets no more."""

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from liaison.audit.models import AuditAction, AuditCheckpoint, AuditEvent, AuditSeal, AuditSealedEvent
from liaison.audit.privileges import APPEND_ONLY_TABLES
from liaison.audit.seals import audit_seal
from liaison.audit.services import audit_record
from tests.database_owner import owner_connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="roles, grants and triggers are PostgreSQL's; SQLite (development only) has none",
    ),
    pytest.mark.django_db,
]

TRAIL_MODELS = (AuditEvent, AuditCheckpoint, AuditSeal, AuditSealedEvent)

as_app_role = pytest.mark.skipif(
    not settings.DATABASE_APP_ROLE,
    reason="the suite runs as the owner of the tables: set DATABASE_APP_ROLE as `make test-postgres` does",
)


@pytest.fixture
def sealed_trail(officer) -> AuditEvent:
    """An event in every append-only table: sealed, and the seal in a checkpoint."""
    event = audit_record(action=AuditAction.CASE_VIEWED, actor=officer)
    audit_seal()
    AuditCheckpoint.objects.create(
        sealed_at=event.occurred_at, event_id=event.pk, event_hash=event.hash, event_count=1, signature="0" * 64
    )
    return event


def _assert_trail_whole(event: AuditEvent) -> None:
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert AuditCheckpoint.objects.filter(event_id=event.pk).exists()
    assert AuditSealedEvent.objects.filter(event_id=event.pk).exists()
    assert AuditSeal.objects.exists()


def _refused(sql: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@as_app_role
def test_the_app_runs_as_its_own_role_that_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, count(*) FROM pg_tables WHERE tableowner = current_user")
        user, owned = cursor.fetchone()
    assert (user, owned) == (settings.DATABASE_APP_ROLE, 0)


@as_app_role
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE {table} SET {key} = {key}",
        "DELETE FROM {table}",
        "TRUNCATE {table}",
        "SET liaison.allow_audit_truncate = on; TRUNCATE {table}",
    ],
)
def test_the_app_role_may_not_change_or_empty_the_trail(sealed_trail, table, sql):
    assert {model._meta.db_table for model in TRAIL_MODELS} == set(APPEND_ONLY_TABLES)
    key = next(model._meta.pk.column for model in TRAIL_MODELS if model._meta.db_table == table)
    _refused(sql.format(table=table, key=key), "permission denied")
    _assert_trail_whole(sealed_trail)


@as_app_role
@pytest.mark.parametrize(
    "sql",
    [
        "DROP TRIGGER audit_event_append_only ON audit_auditevent",
        "DROP TRIGGER audit_event_no_truncate ON audit_auditevent",
        "DROP TRIGGER audit_checkpoint_append_only ON audit_auditcheckpoint",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
        "ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_auditseal_append_only ON audit_auditseal",
        "DROP TRIGGER audit_auditsealedevent_no_truncate ON audit_auditsealedevent",
        "ALTER TABLE audit_auditsealedevent DISABLE TRIGGER USER",
        "DROP TABLE audit_auditseal",
        "DROP FUNCTION audit_trail_refuse_truncate() CASCADE",
        "DROP TABLE audit_auditevent",
        "ALTER TABLE audit_auditevent RENAME TO audit_old",
    ],
)
def test_the_app_role_may_not_remove_the_triggers_or_the_table(sealed_trail, sql):
    _refused(sql, "must be owner")


@as_app_role
def test_the_app_role_may_not_rewrite_the_record_of_migrations():
    _refused("DELETE FROM django_migrations WHERE app = 'audit'", "permission denied")


@as_app_role
def test_the_app_role_reads_and_appends_and_seals(officer):
    event = audit_record(action=AuditAction.CASE_VIEWED, actor=officer)
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash
    seal = audit_seal()[-1]
    assert AuditSealedEvent.objects.get(event_id=event.pk).seal_id == seal.sequence


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_even_the_owner_cannot_truncate_the_trail_without_saying_so(sealed_trail, table):
    with owner_connection() as owner:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only: TRUNCATE"), owner.transaction():
            owner.execute(f"TRUNCATE {table}")
        # What the test runner's flush does (tests/database_owner.py), rolled back here.
        with owner.transaction(force_rollback=True):
            owner.execute("SET LOCAL liaison.allow_audit_truncate = on")
            owner.execute(f"TRUNCATE {table}")
    _assert_trail_whole(sealed_trail)
