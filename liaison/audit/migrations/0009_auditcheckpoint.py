"""Signed checkpoints of the audit chain's head. On PostgreSQL their table refuses
UPDATE, DELETE and TRUNCATE like the events' (the functions of 0002 and 0008)."""

from django.db import migrations, models

FORWARD = """
CREATE TRIGGER audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_refuse_truncate")]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sealed_at", models.DateTimeField(verbose_name="sealed at")),
                ("event_id", models.BigIntegerField(verbose_name="last event")),
                ("event_hash", models.CharField(max_length=64, verbose_name="hash of the last event")),
                ("event_count", models.PositiveBigIntegerField(verbose_name="events up to it")),
                ("signature", models.CharField(max_length=64, verbose_name="signature")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["id"],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
