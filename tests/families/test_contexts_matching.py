"""Recording contexts, the hits across families, expiry and ending (the services and
selectors; the pages have their own tests)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from families.models import ContextHit, ContextKey, ContextKind, ContextLink
from families.selectors import contexts as selectors
from families.services import contexts as services
from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def link(family, user, kind=ContextKind.VEHICLE, label="AB-123-C", **extra):
    return services.context_link_record(family=family, created_by=user, kind=kind, label=label, **extra)


def test_a_plate_is_kept_in_its_normal_form_encrypted_with_a_blind_index(family, officer):
    context = link(family, officer, label="ab 123 c")
    assert context.label == "AB123C"
    assert context.review_on == timezone.localdate() + timedelta(days=365)
    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM families_contextlink WHERE id = %s", [context.pk])
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT match_key FROM families_contextkey WHERE link_id = %s", [context.pk])
        keys = [row[0] for row in cursor.fetchall()]
    assert "AB123C" not in stored and len(keys) == 1 and "AB123C" not in keys[0]
    event = AuditEvent.objects.filter(family_id=family.pk).latest("pk")
    assert event.detail["what"] == "context_linked" and "AB123C" not in str(event.detail)


def test_one_family_alone_makes_no_hit(family, officer):
    link(family, officer)
    link(family, officer, label="AB123C")
    assert not ContextHit.objects.exists()
    assert not selectors.police_told_of_link(family)


def test_the_same_plate_in_two_families_is_a_hit(family, officer, other_family, other_officer, police_unit, other_unit):
    link(family, officer, label="AB-123-C")
    assert not selectors.police_told_of_link(other_family)
    link(other_family, other_officer, label="ab.123.c")
    hit = ContextHit.objects.get()
    assert hit.kind == ContextKind.VEHICLE
    assert selectors.police_told_of_link(family) and selectors.police_told_of_link(other_family)
    for unit in (police_unit, other_unit):
        (row,) = selectors.hit_rows(unit.pk, selectors.hits_for_unit(unit.pk))
        assert row.families == 2 and row.label == "AB123C"
        assert [f.pk for f in row.unit_families] == [family.pk if unit == police_unit else other_family.pk]


def test_a_nickname_matches_another_familys_name(family, officer, other_family, other_officer):
    link(family, officer, kind=ContextKind.PERSON, label="Kevin de Groot", aliases="Kev\nDj K")
    assert ContextKey.objects.count() == 3
    link(other_family, other_officer, kind=ContextKind.PERSON, label="DJ  k")
    assert ContextHit.objects.get().kind == ContextKind.PERSON


def test_phones_handles_and_places_match_by_their_normal_form(family, officer, other_family, other_officer):
    link(family, officer, kind=ContextKind.PHONE, label="06 1234 5678")
    link(other_family, other_officer, kind=ContextKind.PHONE, label="+31612345678")
    link(family, officer, kind=ContextKind.HANDLE, label="@Big_Boy", platform="snapchat")
    link(other_family, other_officer, kind=ContextKind.HANDLE, label="big_boy", platform="instagram")
    link(family, officer, kind=ContextKind.PLACE, label="Park Zuid", area="Utrecht", place_kind="park")
    link(other_family, other_officer, kind=ContextKind.PLACE, label="park  zuid", area="UTRECHT", place_kind="park")
    # The same handle on another platform is another account.
    assert sorted(ContextHit.objects.values_list("kind", flat=True)) == ["phone", "place"]


def test_an_ended_link_no_longer_matches_and_keeps_its_history(family, officer, other_family, other_officer):
    first = link(family, officer)
    services.context_link_end(link=first, ended_by=officer, base_revision=1, reason="Wrong car, it was a neighbour.")
    link(other_family, other_officer)
    assert not ContextHit.objects.exists()
    first.refresh_from_db()
    assert first.ended_at and first.ended_by == officer and first.end_reason.startswith("Wrong car")
    assert ContextLink.objects.filter(pk=first.pk).exists()


def test_an_expired_link_drops_out_of_matching_until_reviewed(family, officer, other_family, other_officer):
    first = link(family, officer)
    ContextLink.objects.filter(pk=first.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    first.refresh_from_db()
    assert first.is_expired
    link(other_family, other_officer)
    assert not ContextHit.objects.exists()
    services.context_link_review(link=first, reviewed_by=officer, base_revision=1, review_on=None)
    assert ContextHit.objects.count() == 1
    first.refresh_from_db()
    assert not first.is_expired and first.revision == 2


def test_a_hit_whose_other_family_expired_drops_from_the_units_list(
    family, officer, other_family, other_officer, police_unit
):
    link(family, officer)
    second = link(other_family, other_officer)
    assert selectors.hits_for_unit(police_unit.pk).count() == 1
    ContextLink.objects.filter(pk=second.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    assert selectors.hits_for_unit(police_unit.pk).count() == 0


def test_a_unit_without_a_family_in_the_hit_sees_nothing(family, officer, other_family, other_officer):
    from tests.factories import PoliceUnitFactory

    link(family, officer)
    link(other_family, other_officer)
    third = PoliceUnitFactory(name="Vice unit East")
    assert selectors.hits_for_unit(third.pk).count() == 0


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        (ContextKind.VEHICLE, {"label": "A*"}, "label"),
        (ContextKind.PHONE, {"label": "12"}, "label"),
        (ContextKind.HANDLE, {"label": "@big"}, "platform"),
        (ContextKind.HANDLE, {"label": "", "platform": "snapchat"}, "label"),
        (ContextKind.PLACE, {"label": "Park Zuid"}, "place_kind"),
        (ContextKind.PERSON, {"label": "  ...  "}, "label"),
        ("ufo", {"label": "x"}, "kind"),
        (ContextKind.VEHICLE, {"label": "AB123C", "review_on": timezone.localdate() - timedelta(days=1)}, "review_on"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(family, officer, kind, values, field):
    with pytest.raises(ValidationError) as refused:
        services.context_link_record(family=family, created_by=officer, kind=kind, **values)
    assert field in refused.value.message_dict
    assert not ContextLink.objects.exists() and not ContextKey.objects.exists()


def test_a_stale_review_is_refused(family, officer, supervisor):
    first = link(family, officer)
    services.context_link_review(link=first, reviewed_by=supervisor, base_revision=1, review_on=None)
    with pytest.raises(services.ContextConflict):
        services.context_link_review(link=first, reviewed_by=officer, base_revision=1, review_on=None)


def test_ending_needs_a_reason_and_happens_once(family, officer):
    first = link(family, officer)
    with pytest.raises(ValidationError):
        services.context_link_end(link=first, ended_by=officer, base_revision=1, reason="  ")
    services.context_link_end(link=first, ended_by=officer, base_revision=1, reason="No longer relevant.")
    with pytest.raises(ValidationError):
        services.context_link_end(link=first, ended_by=officer, base_revision=2, reason="Again.")


def test_a_source_of_another_family_is_refused(family, officer, other_family, other_officer):
    from families.models import Incident, IncidentKind

    incident = Incident.objects.create(
        family=other_family,
        kind=IncidentKind.values[0],
        description="Seen at the station",
        occurred_at=timezone.now(),
        created_by=other_officer,
    )
    with pytest.raises(ValidationError):
        link(family, officer, incident=incident)
    assert not ContextLink.objects.exists()
    own = Incident.objects.create(
        family=family, kind=IncidentKind.values[0], description="x", occurred_at=timezone.now(), created_by=officer
    )
    assert link(family, officer, incident=own).incident == own
