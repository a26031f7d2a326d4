"""Query expressions the ORM does not offer itself."""

from datetime import timedelta

from django.db.models import BooleanField, DateField, Expression, F, Func, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Now, TruncDate
from django.utils import timezone


class InSubquery(Func):
    """``column IN (subquery)`` as a condition that can stand in an OR.

    PostgreSQL reads ``a = 1 OR b IN (subquery)`` by testing every row of the table
    against a hashed subquery: a full pass however few rows match. Written as
    ``b = ANY(ARRAY(subquery))`` the subquery runs once first and each side of the OR
    uses its own index. Other databases get the plain ``IN``."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, queryset: QuerySet) -> None:
        super().__init__(F(column), Subquery(queryset.order_by()))

    def as_sql(self, compiler, connection, **extra):
        return self._joined(compiler, "{column} IN {subquery}")

    def as_postgresql(self, compiler, connection, **extra):
        return self._joined(compiler, "{column} = ANY(ARRAY{subquery})")

    def _joined(self, compiler, template: str):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return template.format(column=column_sql, subquery=subquery_sql), (*column_params, *subquery_params)


def local_date(moment: Expression) -> TruncDate:
    """The date of a moment in the site's time zone, by the database: the zone is the
    site's own, not the one active while compiling, as a statement compiled once
    (``liaison.compiled``) outlives the request."""
    return TruncDate(moment, tzinfo=timezone.get_default_timezone())


def database_today(days: int = 0) -> Expression:
    """The date ``days`` days after today (before it, when negative) in the site's time
    zone, by the database's clock: ``database_today()`` is what ``timezone.localdate()``
    gives. A query that compares with it holds no day of its own, and can be compiled
    once (``liaison.compiled``)."""
    day = local_date(Now())
    if days:
        # Cast: PostgreSQL adds days to a date as a moment, SQLite as a text with a time.
        day = Cast(day + Value(timedelta(days=days)), DateField())
    return day
