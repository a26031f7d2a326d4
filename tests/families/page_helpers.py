"""What the tests of the case pages read with statements compiled once per process share."""

from datetime import timedelta

from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from families.models import ParentRating
from families.selectors import together
from liaison import compiled


def models_compiled(monkeypatch) -> list:
    """Forget every statement compiled so far, and from now on note the model of each
    query the ORM compiles (the list returned, to clear between requests)."""
    monkeypatch.setattr(compiled, "_COMPILED", {})
    monkeypatch.setattr(together, "_STATEMENTS", {})
    models: list = []
    real = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        models.append(self.query.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return models


def parents_rate(family, officer, words: tuple[str, ...]) -> None:
    """The parents' own ratings, one a week apart for each of ``words`` (the last of them
    two days ago), given in the portal."""
    today = timezone.localdate()
    for weeks_before, comment in enumerate(reversed(words)):
        ParentRating.objects.create(
            family=family,
            rated_on=today - timedelta(days=2 + 7 * weeks_before),
            given_by="Mother",
            understanding_score=2,
            empowerment_score=4,
            resilience_score=3,
            comment=comment,
            source="portal",
            created_by=officer,
        )
