"""The seals of the audit trail: events are appended without a lock and sealed by the
sealer into a chain of seals (liaison/audit/seals.py). On PostgreSQL the seals and the
record of which seal holds each event refuse UPDATE, DELETE and TRUNCATE like the
events (the functions of 0002 and 0008). An event's hash no longer has to be unique:
without the link to the event before, two events may have one content."""

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("audit_auditseal", "audit_auditsealedevent")

FORWARD = """
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(FORWARD.format(table=table), params=None)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(BACKWARD.format(table=table), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_police_unit_changed_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("sequence", models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name="seal")),
                ("sealed_at", models.DateTimeField(verbose_name="sealed at")),
                ("event_count", models.PositiveIntegerField(verbose_name="events sealed")),
                ("first_event_id", models.BigIntegerField(verbose_name="first event")),
                ("last_event_id", models.BigIntegerField(verbose_name="last event")),
                ("root_hash", models.CharField(max_length=64, verbose_name="hash of the events")),
                ("previous_hash", models.CharField(max_length=64, verbose_name="hash of the seal before")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
            ],
            options={
                "verbose_name": "audit seal",
                "verbose_name_plural": "audit seals",
                "ordering": ["sequence"],
            },
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="seal_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash of the latest seal"),
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="seal_sequence",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="latest seal"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.CreateModel(
            name="AuditSealedEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("event_id", models.BigIntegerField(unique=True, verbose_name="event")),
                (
                    "seal",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="audit.auditseal",
                        verbose_name="seal",
                    ),
                ),
            ],
            options={
                "verbose_name": "sealed audit event",
                "verbose_name_plural": "sealed audit events",
                "ordering": ["seal", "event_id"],
                "indexes": [models.Index(fields=["seal", "event_id"], name="audit_sealed_events_by_seal")],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
