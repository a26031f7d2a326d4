"""Several ``.values()`` querysets of one family read with one statement (``UNION ALL``)
instead of one round trip each, the rows handed back per queryset exactly as ``.values()``
gives them (Django's own converters applied: dates, booleans, decrypted text).

The querysets are built and compiled once per process for a stand-in family id; a request
only puts its family's id in the parameters. So nothing else of them may change between
requests: a query that compares with the time does so with the database's ``Now()``, and
compiling refuses a day or moment among the parameters (seen on PostgreSQL, where they
stay dates; SQLite gets them as text). Each queryset keeps its own ``ORDER BY``
inside its sub-select, and its rows are read back in the order the database returns them.
The columns of different querysets share a place only when they are of one kind (moment,
date, yes/no, number, text), so the database never has to convert anything."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Func, QuerySet, Subquery

from liaison.compiled import STAND_IN_FAMILY, STAND_IN_USER, Compiled, compile_values

# The kind of a column, by the internal type of its field, and its SQL type for a typed NULL.
KINDS = {
    "DateTimeField": "timestamp with time zone",
    "DateField": "date",
    "BooleanField": "boolean",
    "AutoField": "bigint",
    "BigAutoField": "bigint",
    "IntegerField": "bigint",
    "BigIntegerField": "bigint",
    "SmallIntegerField": "bigint",
    "PositiveIntegerField": "bigint",
    "PositiveSmallIntegerField": "bigint",
    "PositiveBigIntegerField": "bigint",
    "ForeignKey": "bigint",
    "OneToOneField": "bigint",
}
TEXT = "text"


_STATEMENTS: dict[tuple, "_Statement"] = {}


@dataclass(frozen=True)
class _Part:
    name: str
    compiled: Compiled
    places: tuple[int, ...]  # where each column lies in the united row


@dataclass(frozen=True)
class _Statement:
    sql: str
    parts: tuple[_Part, ...]


def read_together(
    queries: dict[str, Callable[[int], QuerySet]],
    names: list[str],
    family_id: int,
    using: str = "default",
    user_id: int | None = None,
) -> dict[str, list[dict]]:
    """The rows of each named query (``queries[name](family_id)`` is a ``.values()``
    queryset) for this family, read with one statement. A query that depends on the user
    builds with ``STAND_IN_USER``, replaced by ``user_id``."""
    if not names:
        return {}
    connection = connections[using]
    key = (id(queries), tuple(names), connection.vendor, using)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _compile(queries, tuple(names), using)
    stand_ins = {STAND_IN_FAMILY: family_id, STAND_IN_USER: user_id}
    params = [value for part in statement.parts for value in part.compiled.parameters(stand_ins)]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        fetched = cursor.fetchall()
    rows: dict[str, list[dict]] = {part.name: [] for part in statement.parts}
    for row in fetched:
        part = statement.parts[row[0]]
        values = part.compiled.converted([row[place] for place in part.places], connection)
        rows[part.name].append(dict(zip(part.compiled.keys, values, strict=True)))
    return rows


def _compile(queries: dict[str, Callable[[int], QuerySet]], names: tuple[str, ...], using: str) -> _Statement:
    compiled = [(name, compile_values(queries[name](STAND_IN_FAMILY), using, name)) for name in names]
    # Places per kind: as many as the query that needs most of that kind.
    widths: dict[str, int] = {}
    for _name, query in compiled:
        counts: dict[str, int] = {}
        for internal in query.kinds:
            kind = KINDS.get(internal, TEXT)
            counts[kind] = counts.get(kind, 0) + 1
        for kind, count in counts.items():
            widths[kind] = max(widths.get(kind, 0), count)
    layout = [(kind, i) for kind in sorted(widths) for i in range(widths[kind])]
    selects, parts = [], []
    for number, (name, query) in enumerate(compiled):
        used: dict[str, int] = {}
        at: dict[tuple[str, int], str] = {}
        places = []
        for alias, internal in zip(query.keys, query.kinds, strict=True):
            kind = KINDS.get(internal, TEXT)
            slot = (kind, used.get(kind, 0))
            used[kind] = slot[1] + 1
            at[slot] = alias
            places.append(1 + layout.index(slot))
        outer = ", ".join(f'part."{at[slot]}"' if slot in at else f"CAST(NULL AS {slot[0]})" for slot in layout)
        selects.append(f"SELECT {number}, {outer} FROM ({query.sql}) part")  # noqa: S608  # nosec B608 - compiled by the ORM
        parts.append(_Part(name=name, compiled=query, places=tuple(places)))
    return _Statement(sql=" UNION ALL ".join(selects), parts=tuple(parts))


def count_of(queryset: QuerySet) -> Subquery:
    """How many rows the queryset has, as a column of another queryset (a scalar subquery):
    for counts read in a ``read_together`` statement."""
    return Subquery(queryset.order_by().annotate(counted=Func("pk", function="COUNT")).values("counted"))


def count_together(
    counts: dict[str, QuerySet], exists: dict[str, QuerySet] | None = None, using: str = "default"
) -> dict[str, int | bool]:
    """``queryset.count()`` of each of ``counts`` and ``queryset.exists()`` of each of
    ``exists``, asked with one statement instead of one round trip each."""
    exists = exists or {}
    parts, params = [], []
    asked = [queryset.order_by().values("pk") for queryset in counts.values()]
    asked += [queryset.order_by().values("pk")[:1] for queryset in exists.values()]
    for queryset in asked:
        sql, part_params = queryset.query.get_compiler(using=using).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")  # noqa: S608  # nosec B608 - compiled by the ORM
        params.extend(part_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    answers: dict[str, int | bool] = dict(zip(counts, row[: len(counts)], strict=True))
    answers.update(zip(exists, (bool(value) for value in row[len(counts) :]), strict=True))
    return answers
