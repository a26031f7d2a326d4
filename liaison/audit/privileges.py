"""What the app's own database role may do on PostgreSQL. The tables belong to the role
that runs migrations (the owner); the app connects as another role (``DATABASE_APP_ROLE``)
that may read and write the case records but only read and append to the audit trail,
so that nobody with the app's credentials can rewrite, remove or empty it, nor drop
its triggers (only an owner may)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from liaison.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, AuditSealedEvent

APPEND_ONLY_TABLES = tuple(model._meta.db_table for model in (AuditEvent, AuditCheckpoint, AuditSeal, AuditSealedEvent))
# The record of applied migrations is the owner's to write.
READ_ONLY_TABLES = ("django_migrations",)


def owns_audit_trail(connection) -> bool:
    """Whether this connection's role owns the audit table (and so may change its grants)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass(%s)",
            [AuditEvent._meta.db_table],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def app_role_grant(connection, role: str) -> None:
    """Give ``role`` reading and writing of every table and sequence in the schema, now
    and for tables the owner makes later (the cache table), except that the audit
    tables may only be read and appended to. Run as the owner; safe to run again."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        current_user, schema = cursor.fetchone()
        if role == current_user:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE is {role}, the role that runs migrations: the app needs a role of its own."
            )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE names the role {role}, which does not exist: create it first "
                "(CREATE ROLE ... LOGIN, see docs/deployment.md)."
            )
        role, schema = quote(role), quote(schema)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ]
        append_only = ", ".join(quote(table) for table in APPEND_ONLY_TABLES)
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} FROM {role}")
        read_only = ", ".join(quote(table) for table in READ_ONLY_TABLES)
        statements.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {read_only} FROM {role}")
        for statement in statements:
            cursor.execute(statement)


def grant_after_migrate(sender, using: str, **kwargs) -> None:
    """After every migrate by the owner, the app's role gets its grants on the new tables
    too. A flush by the app's own role (between tests) changes nothing."""
    connection = connections[using]
    role = settings.DATABASE_APP_ROLE
    if role and connection.vendor == "postgresql" and owns_audit_trail(connection):
        app_role_grant(connection, role)
