"""A read of a list of families (a page of the caseload, say) compiled once per number of
places (``liaison.compiled.read_for_ids``) gives what the queryset built anew gives, for
every length of the list, and a second list of the same places compiles nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.models import Family
from liaison import compiled
from liaison.compiled import MOST_ID_PLACES, id_places, ids_in_places, read_for_ids, stand_in_ids
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


def _references(ids: list[int]) -> list[dict]:
    return read_for_ids(("test references",), _build, ids)


def _build(ids) -> object:
    return Family.objects.filter(pk__in=ids).order_by("reference").values("pk", "reference")


@pytest.mark.parametrize("count", [1, 2, 7, 8, 9, 17])
def test_every_length_reads_what_the_queryset_reads(team, count):
    families = FamilyFactory.create_batch(count + 2, team=team)
    ids = [family.pk for family in families[:count]]
    assert _references(ids) == list(_build(ids))


def test_no_ids_read_nothing_and_cost_no_query(team):
    FamilyFactory(team=team)
    with CaptureQueriesContext(connection) as queries:
        assert _references([]) == []
    assert len(queries) == 0


def test_a_second_list_of_the_same_places_compiles_nothing(team, monkeypatch):
    first, second, third = (family.pk for family in FamilyFactory.create_batch(3, team=team))
    monkeypatch.setattr(compiled, "_COMPILED", {})
    compiled_anew = []
    real = compiled.compile_values
    monkeypatch.setattr(compiled, "compile_values", lambda *args: compiled_anew.append(args[-1]) or real(*args))
    assert [row["pk"] for row in _references([first, second])] == sorted([first, second])
    assert len(compiled_anew) == 1
    assert [row["pk"] for row in _references([third])] == [third]
    assert len(compiled_anew) == 1


def test_places_grow_by_powers_of_two_and_the_rest_repeat_the_first():
    assert [id_places(count) for count in (0, 1, 8, 9, 16, 17, 1000)] == [8, 8, 8, 16, 16, 32, 1024]
    values = ids_in_places([5, 6, 7], 8)
    assert [values[stand_in] for stand_in in stand_in_ids(8)] == [5, 6, 7, 5, 5, 5, 5, 5]
    with pytest.raises(ValueError, match="more than a compiled statement takes"):
        id_places(MOST_ID_PLACES + 1)


def test_no_ids_fill_their_places_with_a_number_no_database_hands_out():
    assert all(value < 0 for value in ids_in_places([], 8).values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_prepared_statement_keeps_its_generic_plan():
    """A statement a page runs on every request is prepared on the connection; PostgreSQL,
    left to choose, plans some of them anew on every run (about 1 ms each). The
    connection keeps the plan it made once."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
