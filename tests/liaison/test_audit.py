"""The append-only audit trail: events appended without a lock, sealed into a chain of
seals by the sealer, and every change, removal or event left unsealed found again."""

import itertools
import threading
from datetime import timedelta

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent, AuditSeal, AuditSealedEvent
from liaison.audit.seals import audit_seal, first_altered_event, seal_root, unsealed_events
from liaison.audit.services import GENESIS_HASH, audit_record
from tests.database_owner import owner_connection, owner_cursor

pytestmark = pytest.mark.django_db


def _events(n: int, actor) -> list[AuditEvent]:
    return [audit_record(action=AuditAction.CASE_VIEWED, actor=actor, detail={"n": i}) for i in range(n)]


def test_an_event_carries_the_hash_of_its_own_content_and_no_link(officer):
    event = _events(1, officer)[0]
    assert event.previous_hash == ""
    assert event.hash == event.compute_hash()
    event.detail = {"n": 1}
    assert event.compute_hash() != event.hash


def test_appending_an_event_is_one_insert_and_nothing_more(officer):
    """No transaction of its own, nor a savepoint in the caller's: every read of a case
    appends an event, and each round trip to the database is paid on every page."""
    with CaptureQueriesContext(connection) as captured:
        audit_record(action=AuditAction.CASE_VIEWED, actor=officer, detail={"n": 1})
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert statements == ["INSERT"]


def test_the_sealer_seals_every_event_once_in_a_chain_of_seals(officer):
    _events(3, officer)
    first = audit_seal()
    _events(2, officer)
    second = audit_seal()
    assert audit_seal() == []
    seals = list(AuditSeal.objects.order_by("sequence"))
    assert [seal.sequence for seal in seals] == [1, 2] and seals == first + second
    assert seals[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(seals):
        assert after.previous_hash == before.hash
    for seal in seals:
        held = AuditSealedEvent.objects.filter(seal=seal).values_list("event_id", flat=True)
        events = AuditEvent.objects.filter(pk__in=held).order_by("id").values_list("id", "hash")
        assert (seal.root_hash, seal.event_count) == seal_root(events)
        assert seal.hash == seal.compute_hash()
    assert seals[1].event_count == 2
    assert not unsealed_events().exists()


def test_seals_hold_at_most_a_batch_each(officer):
    _events(5, officer)
    count = AuditEvent.objects.count()
    seals = audit_seal(batch_size=2)
    assert [seal.event_count for seal in seals] == [2] * (count // 2) + ([count % 2] if count % 2 else [])
    assert not unsealed_events().exists()


def test_an_event_that_commits_after_a_higher_id_was_sealed_is_sealed_by_the_next_seal(officer):
    # Ids are not commit order: a transaction that took its id first may commit last.
    first_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    later = _event_with(pk=first_id + 1000, occurred_at=timezone.now(), actor=officer)
    audit_seal()
    late = _event_with(pk=first_id + 500, occurred_at=timezone.now(), actor=officer)
    seals = audit_seal()
    assert [AuditSealedEvent.objects.get(event_id=late.pk).seal_id] == [seal.sequence for seal in seals]
    assert AuditSealedEvent.objects.filter(event_id=later.pk).count() == 1
    call_command("verify_audit")


def test_verify_audit_passes_on_an_intact_trail(officer, capsys):
    _events(3, officer)
    audit_seal()
    _events(1, officer)
    call_command("verify_audit", language="en")
    out = capsys.readouterr().out
    sealed = AuditSealedEvent.objects.count()
    assert f"intact: {sealed} sealed events verified (seals: 1)" in out
    assert "1 events of the last 60 seconds are verified and wait for their seal" in out


def test_verify_audit_reports_an_old_event_still_unsealed(officer, settings):
    _events(2, officer)
    audit_seal()
    old = _event_with(occurred_at=timezone.now() - timedelta(seconds=90), actor=officer)
    _events(1, officer)
    with pytest.raises(CommandError, match=rf"1 audit events, the first event {old.pk} .* older than 60 seconds"):
        call_command("verify_audit", language="en")
    settings.AUDIT_SEAL_GRACE_SECONDS = 120
    call_command("verify_audit", language="en")


def _tamper(sql: str, params: list) -> None:
    with owner_cursor() as cursor:
        cursor.execute(sql, params)


def _event_with(*, occurred_at, actor, pk=None) -> AuditEvent:
    """An event appended as audit_record appends it, at a chosen id or time."""
    event = AuditEvent(pk=pk, occurred_at=occurred_at, actor=actor, actor_email=actor.email, action="case_viewed")
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    return event


@pytest.mark.django_db(transaction=True)
def test_verify_audit_reports_the_first_tampered_row(officer):
    events = _events(4, officer)
    audit_seal()
    _tamper("UPDATE audit_auditevent SET actor_email = %s WHERE id = %s", ["someone@else.org", events[1].pk])
    assert first_altered_event().pk == events[1].pk
    with pytest.raises(CommandError, match=f"Event {events[1].pk} of the audit trail .* has been changed"):
        call_command("verify_audit", language="en")


@pytest.mark.django_db(transaction=True)
def test_an_event_changed_with_a_new_hash_no_longer_matches_its_seal(officer):
    events = _events(4, officer)
    seal = audit_seal()[0]
    changed = AuditEvent.objects.get(pk=events[1].pk)
    changed.actor_email = "someone@else.org"
    _tamper(
        "UPDATE audit_auditevent SET actor_email = %s, hash = %s WHERE id = %s",
        [changed.actor_email, changed.compute_hash(), changed.pk],
    )
    assert first_altered_event() is None
    with pytest.raises(CommandError, match=f"The events of seal {seal.sequence} .* are not the events it sealed"):
        call_command("verify_audit", language="en")


@pytest.mark.django_db(transaction=True)
def test_verify_audit_notices_a_removed_sealed_event(officer):
    events = _events(4, officer)
    seal = audit_seal()[0]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"Event {events[2].pk}, sealed in seal {seal.sequence}, has been removed"):
        call_command("verify_audit", language="en")
    # Its link to the seal removed as well, the seal no longer matches what it holds.
    _tamper("DELETE FROM audit_auditsealedevent WHERE event_id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"The events of seal {seal.sequence} .* are not the events it sealed"):
        call_command("verify_audit", language="en")


def _recount_first_seal() -> None:
    _tamper("UPDATE audit_auditseal SET event_count = event_count - 1 WHERE sequence = 1", [])


def _rehash_first_seal() -> None:
    """Another root for seal 1 with its own hash made anew: the seal after still links the old."""
    seal = AuditSeal.objects.get(sequence=1)
    seal.root_hash = "f" * 64
    seal.hash = seal.compute_hash()
    _tamper("UPDATE audit_auditseal SET root_hash = %s, hash = %s WHERE sequence = 1", [seal.root_hash, seal.hash])


def _remove_second_seal() -> None:
    _tamper("DELETE FROM audit_auditseal WHERE sequence = 2", [])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (_recount_first_seal, "Seal 1 of the audit trail has been changed"),
        (
            _rehash_first_seal,
            r"The events of seal 1 \(.*\) are not the events it sealed(.|\n)*Seal 2 of the audit trail has been "
            "changed",
        ),
        (_remove_second_seal, "Seals 2 to 2 of the audit trail are missing"),
    ],
    ids=["count", "rehashed", "removed"],
)
def test_verify_audit_notices_a_changed_or_removed_seal(officer, tamper, expected):
    for _round in range(3):
        _events(2, officer)
        audit_seal()
    tamper()
    with pytest.raises(CommandError, match=expected):
        call_command("verify_audit", language="en")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_appending_takes_no_lock_and_both_events_are_sealed(officer):
    """Two connections append while the other's transaction is still open: with a lock
    around appending, the second would wait for the first to commit, and the barrier
    between them would break."""
    both_appended = threading.Barrier(2, timeout=10)
    appended, failures = [], []

    def append(n: int) -> None:
        try:
            with transaction.atomic():
                appended.append(audit_record(action=AuditAction.CASE_VIEWED, actor=officer, detail={"thread": n}))
                both_appended.wait()
        except Exception as error:  # reported by the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    audit_seal()
    sealed = set(AuditSealedEvent.objects.values_list("event_id", flat=True))
    assert {event.pk for event in appended} <= sealed and len(appended) == 2
    call_command("verify_audit")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's; SQLite has none")
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_update_and_delete_even_to_the_owner(officer):
    event = _events(1, officer)[0]
    with owner_connection() as owner:
        for sql in (
            "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"), owner.transaction():
                owner.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.CASE_VIEWED).exists()


def test_role_changes_are_audited(officer):
    officer.role = Role.SUPERVISOR
    officer.save()
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.detail == {"what": "account", "changes": {"role": {"before": "officer", "after": "supervisor"}}}
    assert event.object_id == str(officer.pk)


def test_reading_a_case_records_who_which_family_and_from_where(login, officer, family):
    login(officer).get(f"/families/{family.pk}/", REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.get(action=AuditAction.CASE_VIEWED)
    assert (event.actor, event.family_id, event.ip_address) == (officer, family.pk, "192.0.2.7")


def test_a_refused_read_records_no_case_view(login, other_officer, family):
    login(other_officer).get(f"/families/{family.pk}/")
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).exists()


def test_the_admin_shows_the_trail_read_only(login, administrator, officer):
    _events(1, officer)
    client = login(administrator)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    event = AuditEvent.objects.first()
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_case_data_is_not_in_the_admin(login, administrator, family):
    assert login(administrator).get("/admin/families/family/").status_code == 404
