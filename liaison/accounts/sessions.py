"""Django's sessions in the database, read with one plain statement.

Every signed-in request reads its session, and building that query through the ORM cost
more than PostgreSQL took to answer it (``make bench``, the signed-in trivial page). The
rows, their expiry, saving and deleting stay Django's own."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        data = self._session_data()
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)

    def _session_data(self) -> str | None:
        """The stored data of this session if it exists and has not expired."""
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608  # nosec B608 - the table name is Django's own
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        return row[0] if row else None
