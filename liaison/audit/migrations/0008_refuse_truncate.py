"""On PostgreSQL the audit table refuses TRUNCATE too.

Only the table's owner (who could drop the trigger anyway) may empty it, and only when
it asks for it in its own session with ``SET liaison.allow_audit_truncate = on``: the
test suite's flush between transactional tests does that (tests/database_owner.py). The
app's role never owns the table, so the setting does nothing for it."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_trail_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('liaison.allow_audit_truncate', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_trail_refuse_truncate();
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_archive_and_erasure")]
    operations = [migrations.RunPython(forward, backward)]
