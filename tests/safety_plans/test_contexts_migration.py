"""The people of concern of the plans become typed contexts of their families: what parses
becomes a context, what does not stays in the plan as text; two families naming the same
one make a hit."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from families.models import ContextHit, ContextLink
from safety_plans import services
from safety_plans.models import PersonOfConcern, Visibility
from tests.database_owner import connected_as_owner

BEFORE = [("safety_plans", "0003_dates_in_range")]


def person(family, officer, **fields) -> PersonOfConcern:
    version = services.plan_version_start(family=family, created_by=officer)
    values = {"name": "Kevin de Groot", "concern": "Recruits children", "visibility": Visibility.STAFF}
    return PersonOfConcern.objects.create(version=version, created_by=officer, **{**values, **fields})


@pytest.mark.django_db(transaction=True)
def test_people_of_concern_become_contexts_and_what_does_not_parse_stays_text(
    family, officer, other_family, other_officer
):
    with connected_as_owner():
        MigrationExecutor(connection).migrate(BEFORE)
        try:
            first = person(
                family,
                officer,
                nicknames="Kev, DJ K",
                vehicles="AB-123-C\na grey Golf, no plate seen",
                phone_numbers="06 1234 5678; unknown number",
                social_media="@Big_Boy\nhis Snapchat",
                places="Park Zuid",
            )
            person(other_family, other_officer, name="Jan Smit", vehicles="ab 123 c")
        finally:
            call_command("migrate", verbosity=0)

    links = {(link.kind, link.label) for link in ContextLink.objects.filter(family=family)}
    assert links == {
        ("person", "Kevin de Groot"),
        ("vehicle", "AB123C"),
        ("phone", "+31 6 12345678"),
        ("handle", "@big_boy"),
        ("place", "Park Zuid"),
    }
    assert ContextLink.objects.get(family=family, kind="person").aliases == "Kev\nDJ K"
    assert ContextLink.objects.get(family=family, kind="person").keys.count() == 3
    first.refresh_from_db()
    assert "a grey Golf, no plate seen" in first.vehicles and "unknown number" in first.phone_numbers
    assert list(ContextHit.objects.values_list("kind", flat=True)) == ["vehicle"]
