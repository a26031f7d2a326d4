"""Query expressions the ORM does not offer itself."""

from django.db.models import BooleanField, F, Func, QuerySet, Subquery


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
