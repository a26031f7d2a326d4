"""The audit trail in the database: nobody, not even the owner of its table, empties it
by accident."""

import psycopg
import pytest
from django.db import connection

from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record
from tests.database_owner import owner_connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="roles, grants and triggers are PostgreSQL's; SQLite (development only) has none",
    ),
    pytest.mark.django_db,
]


@pytest.mark.django_db(transaction=True)
def test_even_the_owner_cannot_truncate_the_trail_without_saying_so(officer):
    event = audit_record(action=AuditAction.CASE_VIEWED, actor=officer)
    with owner_connection() as owner:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only: TRUNCATE"), owner.transaction():
            owner.execute("TRUNCATE audit_auditevent")
        # What the test runner's flush does (tests/database_owner.py), rolled back here.
        with owner.transaction(force_rollback=True):
            owner.execute("SET LOCAL liaison.allow_audit_truncate = on")
            owner.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
