"""Signed checkpoints of the audit chain's head, and verify_audit against them and against
a backup's manifest: a trail cut short or emptied is reported, though its hash chain
is still whole. The insider who cuts it has the owner's rights (tests/database_owner.py),
so these tests commit their rows (transactional) for that connection to see them."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation

from liaison.audit.checkpoints import checkpoint_signature
from liaison.audit.management.commands import seal_audit
from liaison.audit.models import AuditAction, AuditCheckpoint, AuditEvent, AuditSeal, AuditSealedEvent
from liaison.audit.seals import audit_seal, latest_seal
from liaison.audit.services import audit_record
from tests.database_owner import owner_cursor

KEY = "a-checkpoint-key-that-is-long-enough-for-tests"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def checkpoint_key(settings):
    settings.AUDIT_CHECKPOINT_KEY = KEY


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _events(n: int, actor) -> list[AuditEvent]:
    return [audit_record(action=AuditAction.CASE_VIEWED, actor=actor, detail={"n": i}) for i in range(n)]


def _cut_after(event: AuditEvent) -> None:
    with owner_cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [event.pk])


def _empty() -> None:
    with owner_cursor() as cursor:
        # SQLite has no TRUNCATE: an unqualified DELETE is its equivalent.
        statement = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
        cursor.execute(f"{statement} audit_auditevent")


def _verify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", *args, language="en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _backup(
    folder: Path,
    events: list[AuditEvent],
    *,
    created_at: str = "2026-03-15T02:00:00+00:00",
    seal: AuditSeal | None = None,
) -> Path:
    """An archive whose manifest records the head, as liaison/backups.py writes it (without
    a ``seal``, as it wrote it before the seals)."""
    head = events[-1] if events else None
    manifest = {
        "format": 2,
        "created_at": created_at,
        "database": connection.vendor,
        "counts": {"audit_events": len(events)},
        "audit_head": {"id": head.pk, "hash": head.hash} if head else None,
    }
    if seal is not None:
        manifest["audit_seal"] = {"sequence": seal.sequence, "hash": seal.hash}
    body = json.dumps(manifest).encode()
    archive = folder / f"liaison-backup-{created_at[:19].replace('-', '').replace(':', '')}Z.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    return archive


def test_seal_audit_signs_the_head_of_the_chain(officer, capsys):
    events = _events(3, officer)
    count = AuditEvent.objects.count()
    call_command("seal_audit", language="en")
    checkpoint = AuditCheckpoint.objects.get()
    seal = AuditSeal.objects.get()
    assert (checkpoint.event_id, checkpoint.event_hash) == (events[-1].pk, events[-1].hash)
    assert (checkpoint.seal_sequence, checkpoint.seal_hash) == (seal.sequence, seal.hash)
    assert checkpoint.event_count == count == AuditSealedEvent.objects.count()
    assert checkpoint.signature == checkpoint_signature(checkpoint, KEY)
    assert checkpoint.signed_text().startswith("liaison-audit-checkpoint:v2:")
    out = capsys.readouterr().out
    assert f"Sealed {count} audit events in seals 1 to 1." in out
    assert f"event {events[-1].pk} ({count} events" in out and f"in seal 1 (hash {seal.hash})" in out

    call_command("seal_audit", language="en")
    assert AuditCheckpoint.objects.count() == 1, "nothing new was sealed"
    more = _events(2, officer)
    call_command("seal_audit", language="en")
    latest = AuditCheckpoint.objects.order_by("-id").first()
    assert (latest.event_id, latest.event_count, latest.seal_sequence) == (more[-1].pk, count + 2, 2)


def test_a_checkpoint_from_before_the_seals_is_still_checked_and_extended(officer):
    events = _events(2, officer)
    old = AuditCheckpoint(
        sealed_at=timezone.now().replace(microsecond=0),
        event_id=events[-1].pk,
        event_hash=events[-1].hash,
        event_count=AuditEvent.objects.count(),
    )
    old.signature = checkpoint_signature(old, KEY)
    old.save()
    assert old.signed_text().startswith("liaison-audit-checkpoint:v1:")
    call_command("seal_audit", language="en")
    latest = AuditCheckpoint.objects.order_by("-id").first()
    assert (latest.seal_sequence, latest.event_count) == (1, AuditEvent.objects.count())
    _verify()


class _Stop(Exception):
    pass


def test_seal_audit_follows_the_trail(officer, monkeypatch, capsys):
    """--follow seals the new events every round and signs a checkpoint when one is due."""
    rounds = []

    def one_round(seconds: float) -> None:
        if len(rounds) == 2:
            raise _Stop
        rounds.append(seconds)
        _events(1, officer)

    monkeypatch.setattr(seal_audit.time, "sleep", one_round)
    with pytest.raises(_Stop):
        call_command("seal_audit", "--follow", "--interval", "0.5", "--checkpoint-every", "0", language="en")
    assert rounds == [0.5, 0.5]
    assert not AuditEvent.objects.exclude(pk__in=AuditSealedEvent.objects.values("event_id")).exists()
    assert AuditCheckpoint.objects.order_by("-id").first().seal_sequence == latest_seal().sequence == 3
    assert capsys.readouterr().out.count("Audit trail sealed at event") == 3


def test_seal_audit_needs_a_key_of_its_own(settings, officer):
    _events(1, officer)
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError, match="Set AUDIT_CHECKPOINT_KEY"):
        call_command("seal_audit", language="en")
    assert not AuditCheckpoint.objects.exists()


def test_an_empty_trail_is_not_sealed(capsys):
    call_command("seal_audit", language="en")
    assert not AuditCheckpoint.objects.exists()
    assert "nothing to seal" in capsys.readouterr().out


def test_verify_audit_passes_against_its_checkpoint_and_a_backup(officer, tmp_path):
    events = _events(3, officer)
    call_command("seal_audit", language="en")
    archive = _backup(tmp_path, events)
    _events(2, officer)
    out, err = _verify("--backup", str(archive))
    sealed = AuditEvent.objects.count() - 2
    assert f"The audit trail is intact: {sealed} sealed events verified (seals: 1)." in out
    assert "2 events of the last 60 seconds are verified and wait for their seal." in out
    assert f"It holds event {events[-1].pk} as the checkpoint of" in out
    assert f"It holds event {events[-1].pk} as the backup of 2026-03-15" in out
    assert err == ""


def test_verify_audit_reports_a_trail_cut_short_after_its_checkpoint(officer):
    events = _events(5, officer)
    call_command("seal_audit", language="en")
    checkpoint = AuditCheckpoint.objects.get()
    _cut_after(events[2])
    with pytest.raises(CommandError) as refused:
        _verify()
    assert f"Event {events[3].pk}, sealed in seal 1, has been removed" in str(refused.value)
    assert (
        f"The audit trail has been cut short: the checkpoint of {_when(checkpoint)} recorded "
        f"{checkpoint.event_count} events up to event {events[4].pk}, which the trail no longer holds; "
        f"it now ends at event {events[2].pk}."
    ) in str(refused.value)


def test_verify_audit_reports_an_emptied_trail(officer):
    events = _events(3, officer)
    call_command("seal_audit", language="en")
    count = AuditEvent.objects.count()
    _empty()
    with pytest.raises(CommandError, match=f"recorded {count} events up to event {events[2].pk}: it has been emptied"):
        _verify()


def test_a_trail_cut_short_is_never_sealed(officer):
    events = _events(4, officer)
    call_command("seal_audit", language="en")
    _cut_after(events[1])
    _events(1, officer)
    with pytest.raises(CommandError, match=r"cut short.*Not sealed"):
        call_command("seal_audit", language="en")
    assert AuditCheckpoint.objects.count() == 1


@pytest.mark.parametrize("damage", ["cut", "emptied"])
def test_verify_audit_reports_a_trail_cut_short_or_emptied_since_the_backup(officer, tmp_path, damage):
    events = _events(4, officer)
    _backup(tmp_path, events[:2], created_at="2026-03-14T02:00:00+00:00")
    _backup(tmp_path, events, created_at="2026-03-15T02:00:00+00:00")
    if damage == "cut":
        _cut_after(events[1])
    else:
        _empty()
    expected = "has been cut short: the backup of 2026-03-15" if damage == "cut" else "it has been emptied"
    # A folder of backups: the newest one counts.
    with pytest.raises(CommandError, match=expected):
        _verify("--backup", str(tmp_path))


@pytest.mark.parametrize("recorded_by", ["checkpoint", "backup"])
def test_verify_audit_reports_seals_cut_off_the_end(officer, tmp_path, recorded_by):
    """Seals, their links and their events cut off together leave a whole chain of seals
    and no event missing from one: only the head recorded elsewhere shows it."""
    _events(2, officer)
    audit_seal()
    events = _events(2, officer)
    seal = audit_seal()[0]
    if recorded_by == "checkpoint":
        call_command("seal_audit", language="en")
        args = ()
    else:
        args = ("--backup", str(_backup(tmp_path, events, seal=seal)))
    with owner_cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditsealedevent WHERE seal_id = %s", [seal.sequence])
        cursor.execute("DELETE FROM audit_auditseal WHERE sequence = %s", [seal.sequence])
    with pytest.raises(CommandError, match=f"recorded seal {seal.sequence}, which the trail no longer holds"):
        _verify(*args)


def test_verify_audit_refuses_a_checkpoint_not_signed_with_the_key(officer):
    events = _events(2, officer)
    # Anyone who may append to the table could add one; without the key it cannot be signed.
    AuditCheckpoint.objects.create(
        sealed_at=events[-1].occurred_at,
        event_id=events[-1].pk,
        event_hash=events[-1].hash,
        event_count=2,
        signature="0" * 64,
    )
    with pytest.raises(CommandError, match="does not carry a valid signature"):
        _verify()
    with pytest.raises(CommandError, match=r"does not carry a valid signature.*Not sealed"):
        call_command("seal_audit", language="en")


def test_without_the_key_verify_audit_still_compares_the_head(settings, officer):
    events = _events(3, officer)
    call_command("seal_audit", language="en")
    settings.AUDIT_CHECKPOINT_KEY = ""
    out, err = _verify()
    assert "intact" in out
    assert "signature was not checked" in err
    _cut_after(events[0])
    with pytest.raises(CommandError, match="cut short"):
        _verify()


def test_verify_audit_says_when_there_is_no_checkpoint_or_no_backup(officer, tmp_path):
    _events(1, officer)
    out, err = _verify()
    assert "intact" in out
    assert "no audit checkpoint yet" in err
    with pytest.raises(CommandError, match="There is no backup in"):
        _verify("--backup", str(tmp_path))
    (tmp_path / "liaison-backup-20260315T020000Z.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup with a readable manifest"):
        _verify("--backup", str(tmp_path))


def _when(checkpoint: AuditCheckpoint) -> str:
    return timezone.localtime(checkpoint.sealed_at).isoformat()
