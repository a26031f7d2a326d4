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
from datetime import date

from django.db import connections
from django.db.models import QuerySet

# A family id no database hands out, replaced by the real one in each request's parameters.
STAND_IN = -7_300_001
# Likewise a user id, for a query that depends on who reads (``read_together(user_id=...)``).
STAND_IN_USER = -7_300_002

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
    keys: tuple[str, ...]  # the .values() names, in the order of the columns
    places: tuple[int, ...]  # where each column lies in the united row
    converters: tuple[tuple[int, tuple, object], ...]  # (column, converter functions, expression)
    params: tuple


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
    stand_ins = {STAND_IN: family_id, STAND_IN_USER: user_id}
    params = [
        stand_ins[value] if isinstance(value, int) and value in stand_ins else value
        for part in statement.parts
        for value in part.params
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        fetched = cursor.fetchall()
    rows: dict[str, list[dict]] = {part.name: [] for part in statement.parts}
    for row in fetched:
        part = statement.parts[row[0]]
        values = [row[place] for place in part.places]
        for column, functions, expression in part.converters:
            value = values[column]
            for function in functions:
                value = function(value, expression, connection)
            values[column] = value
        rows[part.name].append(dict(zip(part.keys, values, strict=True)))
    return rows


def _compile(queries: dict[str, Callable[[int], QuerySet]], names: tuple[str, ...], using: str) -> _Statement:
    compiled = []
    for name in names:
        queryset = queries[name](STAND_IN)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if any(isinstance(value, date) for value in params):
            # Compiled once, such a day or moment would stay the one of the first request.
            raise ValueError(f"{name} depends on a day or moment: compare with the database's Now() instead")
        columns = [(alias, column.output_field.get_internal_type()) for column, _sql, alias in compiler.select]
        if any(alias is None for alias, _kind in columns):
            raise ValueError(f"every column of {name} needs its .values() name")
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        keys = tuple(alias for alias, _kind in columns)
        compiled.append((name, sql, tuple(params), columns, converters, keys))
    # Places per kind: as many as the query that needs most of that kind.
    widths: dict[str, int] = {}
    for _name, _sql, _params, columns, _converters, _keys in compiled:
        counts: dict[str, int] = {}
        for _alias, internal in columns:
            kind = KINDS.get(internal, TEXT)
            counts[kind] = counts.get(kind, 0) + 1
        for kind, count in counts.items():
            widths[kind] = max(widths.get(kind, 0), count)
    layout = [(kind, i) for kind in sorted(widths) for i in range(widths[kind])]
    selects, parts = [], []
    for number, (name, sql, params, columns, converters, keys) in enumerate(compiled):
        used: dict[str, int] = {}
        at: dict[tuple[str, int], str] = {}
        places = []
        for alias, internal in columns:
            kind = KINDS.get(internal, TEXT)
            slot = (kind, used.get(kind, 0))
            used[kind] = slot[1] + 1
            at[slot] = alias
            places.append(1 + layout.index(slot))
        outer = ", ".join(f'part."{at[slot]}"' if slot in at else f"CAST(NULL AS {slot[0]})" for slot in layout)
        selects.append(f"SELECT {number}, {outer} FROM ({sql}) part")  # noqa: S608  # nosec B608 - compiled by the ORM
        parts.append(
            _Part(
                name=name,
                keys=keys,
                places=tuple(places),
                converters=tuple(
                    (column, tuple(functions), expression) for column, (functions, expression) in converters.items()
                ),
                params=params,
            )
        )
    return _Statement(sql=" UNION ALL ".join(selects), parts=tuple(parts))


def field_names(model) -> list[str]:
    """The names of every column of ``model``, for a ``.values()`` that ``as_models``
    turns back into instances."""
    return [field.attname for field in model._meta.concrete_fields]


def as_models(model, rows: list[dict], using: str = "default") -> list:
    """Instances of ``model`` from rows read with ``read_together`` (a ``.values()`` of
    ``field_names(model)``, or of some of them, and any annotations): the fields as Django
    reads a row (those not read are deferred, as ``.only`` leaves them), each annotation
    an attribute, as a queryset of the model would give them."""
    if not rows:
        return []
    names = [name for name in field_names(model) if name in rows[0]]
    annotations = rows[0].keys() - set(names)
    instances = []
    for row in rows:
        instance = model.from_db(using, names, [row[name] for name in names])
        for name in annotations:
            setattr(instance, name, row[name])
        instances.append(instance)
    return instances


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
