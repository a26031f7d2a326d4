"""The "who" of incidents and the "where found" of missing episodes become typed contexts
of their families, linked to the incident or episode: what parses becomes a context (a
context the family already has is linked, not recorded twice), what does not stays text
only; the text itself is not changed; two families naming the same one make a hit."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from families.models import ContextHit, ContextLink, ContextMention, Incident
from families.services import contexts, events
from tests.database_owner import connected_as_owner
from tests.factories import ChildFactory

BEFORE = [("families", "0023_context_mentions")]


def incident(family, officer, who: str) -> Incident:
    return events.incident_log(
        family=family,
        created_by=officer,
        occurred_at=timezone.now() - timedelta(days=3),
        kind="stalking",
        description="Followed home from school.",
        person_of_concern=who,
    )


def episode(family, officer, where: str):
    return events.missing_log(
        family=family,
        created_by=officer,
        child=ChildFactory(family=family),
        started_at=timezone.now() - timedelta(days=2),
        ended_at=timezone.now() - timedelta(days=1),
        where_found=where,
    )


@pytest.mark.django_db(transaction=True)
def test_who_and_where_found_become_contexts_and_what_does_not_parse_stays_text(
    family, officer, other_family, other_officer
):
    with connected_as_owner():
        MigrationExecutor(connection).migrate(BEFORE)
        try:
            who = "Kevin de Groot, 06 1234 5678; AB-12-CD\n@Big_Boy, older boy on a scooter, Golf 7"
            first = incident(family, officer, who)
            unknown = incident(family, officer, "onbekend")
            again = incident(family, officer, "ab 12 cd")
            earlier = contexts.context_link_record(family=family, created_by=officer, kind="vehicle", label="XR-501-K")
            fourth = incident(family, officer, "")
            ContextLink.objects.filter(pk=earlier.pk).update(incident=fourth)
            hotel = episode(family, officer, "Hotel Centraal, Rotterdam")
            friend = episode(family, officer, "At a friend's")
            incident(other_family, other_officer, "AB12CD")
        finally:
            call_command("migrate", verbosity=0)

    links = {(link.kind, link.label) for link in ContextLink.objects.filter(family=family)}
    assert links == {
        ("person", "Kevin de Groot"),
        ("phone", "+31 6 12345678"),
        ("vehicle", "AB12CD"),
        ("handle", "@big_boy"),
        ("vehicle", "XR501K"),
        ("place", "Hotel Centraal"),
    }
    place = ContextLink.objects.get(family=family, kind="place")
    assert (place.area, place.place_kind) == ("Rotterdam", "other")

    def named_in(**source) -> set[str]:
        return set(ContextMention.objects.current().filter(**source).values_list("link__label", flat=True))

    assert named_in(incident=first) == {"Kevin de Groot", "+31 6 12345678", "AB12CD", "@big_boy"}
    assert named_in(incident=again) == {"AB12CD"}  # the same car: linked, not recorded twice
    assert named_in(incident=unknown) == set()
    assert named_in(incident=fourth) == {"XR501K"}  # linked before: now a mention too
    assert named_in(missing_episode=hotel) == {"Hotel Centraal"}
    assert named_in(missing_episode=friend) == set()
    first.refresh_from_db()
    friend.refresh_from_db()
    assert first.person_of_concern == who and friend.where_found == "At a friend's"
    plate = next(link for link in ContextLink.objects.filter(family=family) if link.label == "AB12CD")
    assert plate.incident_id == first.pk
    assert list(ContextHit.objects.values_list("kind", flat=True)) == ["vehicle"]
