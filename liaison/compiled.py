"""A query built and compiled once per process, then run with each request's own values.

Django builds and compiles a queryset anew on every request. For the queries nearly
every page runs (the gate of a case, say) that costs more than running them. Here the
queryset is built once from stand-in numbers (``STAND_INS``: numbers no database hands
out) and compiled; a request puts its own values where the stand-ins are in the
parameters. So nothing but those values may differ between requests:

- compiling refuses a day or a moment among the parameters (it would stay the first
  request's): compare with the database's ``Now()`` instead (seen on PostgreSQL, where
  they stay dates; SQLite gets them as text);
- the caller's key names everything else the query's shape depends on, and the builder
  reads nothing else (``liaison.access.rows_in_reach`` builds from a user with only the
  fields its key names).

The rows come back as ``.values()`` gives them (Django's own converters applied: dates,
booleans, decrypted text); ``instance`` makes model instances of them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import Model, QuerySet

# Numbers no database hands out, replaced by the request's own values.
STAND_IN_FAMILY = -7_300_001
STAND_IN_USER = -7_300_002
STAND_IN_TEAM = -7_300_003
STAND_IN_UNIT = -7_300_004
STAND_INS = frozenset({STAND_IN_FAMILY, STAND_IN_USER, STAND_IN_TEAM, STAND_IN_UNIT})
# A list of ids (a page of families, say) stands in as this many places, counted down
# from STAND_IN_IDS: a statement is compiled once per number of places (``id_places``).
STAND_IN_IDS = -7_400_000
FEWEST_ID_PLACES = 8
MOST_ID_PLACES = 1 << 14  # within the number of parameters SQLite and PostgreSQL take


def is_stand_in(value) -> bool:
    return isinstance(value, int) and (value in STAND_INS or STAND_IN_IDS - MOST_ID_PLACES < value <= STAND_IN_IDS)


def id_places(count: int) -> int:
    """The places a list of ``count`` ids takes in a compiled statement: the next power of
    two, so that a few statements serve every length."""
    if count > MOST_ID_PLACES:
        raise ValueError(f"{count} ids are more than a compiled statement takes ({MOST_ID_PLACES})")
    places = FEWEST_ID_PLACES
    while places < count:
        places *= 2
    return places


def stand_in_ids(places: int) -> list[int]:
    """The stand-ins of a list of ids in ``places`` places, to build the statement with."""
    return [STAND_IN_IDS - place for place in range(places)]


def ids_in_places(ids: list[int], places: int) -> dict[int, int]:
    """The values of ``stand_in_ids(places)`` for these ids: the places they do not fill
    repeat the first (or, for no ids, a number no database hands out)."""
    filler = ids[0] if ids else STAND_IN_IDS
    return {stand_in: ids[place] if place < len(ids) else filler for place, stand_in in enumerate(stand_in_ids(places))}


@dataclass(frozen=True)
class Compiled:
    """A ``.values()`` queryset compiled: its SQL, its parameters (stand-ins among them),
    the ``.values()`` names of its columns and the converters Django applies to them."""

    sql: str
    params: tuple
    keys: tuple[str, ...]
    kinds: tuple[str, ...]  # the internal type of each column's field
    converters: tuple[tuple[int, tuple, object], ...]

    def parameters(self, values: dict[int, object]) -> list:
        """The parameters with each stand-in replaced by its value in ``values``."""
        return [values[value] if is_stand_in(value) else value for value in self.params]

    def converted(self, row, connection) -> list:
        """One row's values as Django's ``.values()`` gives them."""
        values = list(row)
        for column, functions, expression in self.converters:
            value = values[column]
            for function in functions:
                value = function(value, expression, connection)
            values[column] = value
        return values


def compile_values(queryset: QuerySet, using: str = "default", name: str = "query") -> Compiled:
    """Compile a ``.values()`` queryset built from stand-ins, refusing a day or moment
    among its parameters."""
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    if any(isinstance(value, date) for value in params):
        # Compiled once, such a day or moment would stay the one of the first request.
        raise ValueError(f"{name} depends on a day or moment: compare with the database's Now() instead")
    keys = tuple(alias for _column, _sql, alias in compiler.select)
    if any(alias is None for alias in keys):
        raise ValueError(f"every column of {name} needs its .values() name")
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    return Compiled(
        sql=sql,
        params=tuple(params),
        keys=keys,
        kinds=tuple(column.output_field.get_internal_type() for column, _sql, _alias in compiler.select),
        converters=tuple(
            (column, tuple(functions), expression) for column, (functions, expression) in converters.items()
        ),
    )


_COMPILED: dict[tuple, Compiled | None] = {}

# How rows of many families are read (``liaison.staff.attention.read_ids`` and its kin):
# ``read(name, build)`` gives the rows of the ``.values()`` queryset that ``build`` makes
# of a queryset of those families; ``name`` names ``build`` for compiling it once.
FamiliesRead = Callable[[tuple, Callable[[QuerySet], QuerySet]], list[dict]]


def read_compiled(
    key: tuple, build: Callable[[], QuerySet], values: dict[int, object], using: str = "default"
) -> list[dict]:
    """The rows of the ``.values()`` queryset ``build()`` makes from stand-ins, compiled
    once per ``key`` (and database), run with ``values`` in the stand-ins' places. A
    builder that gives an empty queryset (``.none()``) reads nothing, and costs no query."""
    connection = connections[using]
    full_key = (*key, connection.vendor, using)
    if full_key not in _COMPILED:
        queryset = build()
        _COMPILED[full_key] = None if queryset.query.is_empty() else compile_values(queryset, using, repr(key))
    compiled = _COMPILED[full_key]
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.parameters(values))
        fetched = cursor.fetchall()
    return [dict(zip(compiled.keys, compiled.converted(row, connection), strict=True)) for row in fetched]


def read_for_ids(
    key: tuple,
    build: Callable[[list[int]], QuerySet],
    ids: list[int],
    values: dict[int, object] | None = None,
    using: str = "default",
) -> list[dict]:
    """``read_compiled`` of a ``.values()`` queryset of a list of ids: ``build`` gets their
    stand-ins (``stand_in_ids``), and the statement is compiled once per ``key`` and number
    of places (``id_places``). No ids read nothing, and cost no query."""
    if not ids:
        return []
    places = id_places(len(ids))
    return read_compiled(
        (*key, "ids", places),
        lambda: build(stand_in_ids(places)),
        {**ids_in_places(list(ids), places), **(values or {})},
        using,
    )


def field_names(model: type[Model]) -> list[str]:
    """The names of every column of ``model``, for a ``.values()`` that ``instance`` or
    ``as_models`` turns back into instances."""
    return [field.attname for field in model._meta.concrete_fields]


def instance(model: type[Model], row: dict, *, prefix: str = "", using: str = "default") -> Model | None:
    """An instance of ``model`` from a row of ``.values()`` (its fields named with
    ``prefix``, ``"team__"`` say, for a related row; None when that row is absent):
    the fields as Django reads a row (those not read are deferred, as ``.only`` leaves
    them)."""
    if row.get(prefix + model._meta.pk.attname) is None:
        return None
    names = [name for name in field_names(model) if prefix + name in row]
    return model.from_db(using, names, [row[prefix + name] for name in names])


def as_models(model: type[Model], rows: list[dict], using: str = "default") -> list:
    """Instances of ``model`` from ``.values()`` rows of ``field_names(model)``, or of some
    of them, and any annotations: the fields as Django reads a row (those not read are
    deferred, as ``.only`` leaves them), each annotation an attribute, as a queryset of
    the model would give them."""
    if not rows:
        return []
    names = [name for name in field_names(model) if name in rows[0]]
    annotations = rows[0].keys() - set(names)
    instances = []
    for row in rows:
        made = model.from_db(using, names, [row[name] for name in names])
        for name in annotations:
            setattr(made, name, row[name])
        instances.append(made)
    return instances


def with_related(model: type[Model], row: dict, relations: tuple[str, ...], using: str = "default") -> Model:
    """An instance of ``model`` with the instances of its ``relations`` (foreign keys)
    attached, as ``select_related`` leaves them, from a ``.values()`` row that reads
    ``field_names`` of each, prefixed ``"<relation>__"``."""
    main = instance(model, row, using=using)
    for relation in relations:
        field = model._meta.get_field(relation)
        field.set_cached_value(main, instance(field.related_model, row, prefix=f"{relation}__", using=using))
    return main


def related_values(model: type[Model], relations: tuple[str, ...]) -> list[str]:
    """The ``.values()`` names ``with_related`` reads: every column of ``model`` and of
    each of its ``relations``."""
    names = field_names(model)
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        names += [f"{relation}__{name}" for name in field_names(related)]
    return names


def keep_generic_plans(sender, connection, **kwargs) -> None:
    """On a PostgreSQL connection that prepares statements (``prepare_threshold``), a
    prepared statement keeps its generic plan. Left to choose, PostgreSQL plans some of
    them anew on every run (the parents' way in, what waits for the police: about 1 ms
    of planning each, for a plan no faster than the generic one). A statement run once
    is still planned with its values. Set on each new connection (``connection_created``),
    not as a start-up option, which PgBouncer refuses."""
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None:
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
