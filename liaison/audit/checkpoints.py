"""Signed checkpoints of the audit trail's head, and the checks of the trail against heads
recorded outside its own rows. The chain of seals shows a changed or removed event, but
not seals and events cut off its end, nor a trail emptied altogether: a checkpoint
(signed with ``AUDIT_CHECKPOINT_KEY``, which is not in the database) and a backup's
manifest both say which seal and event the trail held at their time, so a trail that no
longer holds them was cut short or rewritten."""

import hashlib
import hmac
import json
import tarfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, AuditSealedEvent
from liaison.audit.seals import latest_seal, sealer_lock, walk_seals

MINIMUM_KEY_LENGTH = 32
# As written by liaison/backups.py: the manifest is the first member of every archive.
BACKUP_MANIFEST = "manifest.json"
BACKUP_ARCHIVES = "liaison-backup-*.tar.gz"


class AuditTrailError(Exception):
    """The trail cannot be sealed or checked; the message says why."""


@dataclass(frozen=True)
class SealedHead:
    """The last event (and seal) of the trail as recorded somewhere else, and where.
    Heads recorded before the seals name no seal."""

    event_id: int
    event_hash: str
    event_count: int | None
    source: str
    seal_sequence: int | None = None
    seal_hash: str = ""


def checkpoint_signature(checkpoint: AuditCheckpoint, key: str) -> str:
    return hmac.new(key.encode(), checkpoint.signed_text().encode(), hashlib.sha256).hexdigest()


def checkpoint_signature_valid(checkpoint: AuditCheckpoint) -> bool | None:
    """Whether the checkpoint was signed with AUDIT_CHECKPOINT_KEY; None without a key."""
    key = settings.AUDIT_CHECKPOINT_KEY
    if not key:
        return None
    return hmac.compare_digest(checkpoint.signature, checkpoint_signature(checkpoint, key))


def latest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-id").first()


def checkpoint_head(checkpoint: AuditCheckpoint) -> SealedHead:
    return SealedHead(
        event_id=checkpoint.event_id,
        event_hash=checkpoint.event_hash,
        event_count=checkpoint.event_count,
        source=_("the checkpoint of %(when)s") % {"when": timezone.localtime(checkpoint.sealed_at).isoformat()},
        seal_sequence=checkpoint.seal_sequence,
        seal_hash=checkpoint.seal_hash,
    )


def head_problem(head: SealedHead) -> str | None:
    """What is wrong with the trail compared with a head recorded elsewhere, or None when
    the trail still holds that event and seal with those hashes (it may have grown since)."""
    return _event_problem(head) or _seal_problem(head)


def _seal_problem(head: SealedHead) -> str | None:
    if head.seal_sequence is None:
        return None
    found = AuditSeal.objects.filter(pk=head.seal_sequence).values_list("hash", flat=True).first()
    if found == head.seal_hash:
        return None
    values = {"source": head.source, "seal": head.seal_sequence}
    if found is not None:
        return _("Seal %(seal)s is not the seal that %(source)s recorded: the audit trail has been rewritten.") % values
    return (
        _("The audit trail has been cut short: %(source)s recorded seal %(seal)s, which the trail no longer holds.")
        % values
    )


def _event_problem(head: SealedHead) -> str | None:
    found = AuditEvent.objects.filter(pk=head.event_id).values_list("hash", flat=True).first()
    if found == head.event_hash:
        return None
    values = {"source": head.source, "id": head.event_id, "count": head.event_count}
    if found is not None:
        return _("Event %(id)s is not the event that %(source)s sealed: the audit trail has been rewritten.") % values
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if last is None:
        return (
            _(
                "The audit trail is empty, but %(source)s recorded %(count)s events up to event %(id)s: "
                "it has been emptied."
            )
            % values
        )
    return _(
        "The audit trail has been cut short: %(source)s recorded %(count)s events up to event %(id)s, "
        "which the trail no longer holds; it now ends at event %(last)s."
    ) % {**values, "last": last}


def backup_head(path: Path) -> SealedHead | None:
    """The head of the trail recorded in a backup's manifest: of the archive at ``path``,
    or of the newest archive in the folder ``path``. None when the trail was empty then."""
    if path.is_dir():
        archives = sorted(path.glob(BACKUP_ARCHIVES))
        if not archives:
            raise AuditTrailError(_("There is no backup in %(path)s.") % {"path": path})
        path = archives[-1]
    try:
        with tarfile.open(path, "r:*") as tar:
            first = tar.next()
            if first is None or first.name != BACKUP_MANIFEST:
                raise ValueError(BACKUP_MANIFEST)
            manifest = json.load(tar.extractfile(first))
        head = manifest["audit_head"]
        if head is None:
            return None
        seal = manifest.get("audit_seal") or {}
        return SealedHead(
            event_id=int(head["id"]),
            event_hash=str(head["hash"]),
            event_count=manifest.get("counts", {}).get("audit_events"),
            source=_("the backup of %(when)s") % {"when": _local(manifest.get("created_at"))},
            seal_sequence=int(seal["sequence"]) if seal else None,
            seal_hash=str(seal.get("hash", "")),
        )
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError, KeyError, TypeError) as error:
        raise AuditTrailError(
            _("%(path)s is not a backup with a readable manifest (%(error)s).") % {"path": path, "error": error}
        ) from error


def _local(moment: str | None) -> str | None:
    """A time from a manifest (UTC), as the checkpoints' times are shown."""
    try:
        return timezone.localtime(datetime.fromisoformat(moment)).isoformat()
    except (TypeError, ValueError):
        return moment


def checkpoint_key() -> str:
    """The key that signs checkpoints; the sealer refuses to work without one."""
    key = settings.AUDIT_CHECKPOINT_KEY
    if len(key) < MINIMUM_KEY_LENGTH:
        raise AuditTrailError(
            _(
                "Set AUDIT_CHECKPOINT_KEY to a secret of at least %(length)s characters, kept outside the "
                "database, to seal the audit trail."
            )
            % {"length": MINIMUM_KEY_LENGTH}
        )
    return key


@transaction.atomic
def checkpoint_seal() -> AuditCheckpoint | None:
    """Sign the trail's head as it is now: its latest seal, and the last event sealed. It
    checks first that the trail still holds the latest checkpoint's head and that every
    seal since extends it unbroken: a trail cut short is never signed, so it stays
    detectable. Returns the latest checkpoint when no seal came since, and None while
    nothing is sealed yet."""
    key = checkpoint_key()
    sealer_lock()
    latest = latest_checkpoint()
    after, count = None, 0
    if latest is not None:
        if not checkpoint_signature_valid(latest):
            raise AuditTrailError(invalid_signature_message(latest))
        if problem := head_problem(checkpoint_head(latest)):
            raise AuditTrailError(problem)
        if latest.seal_sequence is not None:
            after, count = AuditSeal.objects.get(pk=latest.seal_sequence), latest.event_count
    head = latest_seal()
    if head is None:
        return None
    if after is not None and head.sequence == after.sequence:
        return latest
    walk = walk_seals(after, most_problems=1)
    if walk.problems:
        raise AuditTrailError(walk.problems[0])
    event = _last_sealed_event()
    checkpoint = AuditCheckpoint(
        sealed_at=timezone.now().replace(microsecond=0),
        event_id=event.pk,
        event_hash=event.hash,
        event_count=count + walk.events,
        seal_sequence=head.sequence,
        seal_hash=head.hash,
    )
    checkpoint.signature = checkpoint_signature(checkpoint, key)
    checkpoint.save(force_insert=True)
    return checkpoint


def _last_sealed_event() -> AuditEvent:
    """The sealed event with the highest id (events commit out of id order)."""
    event_id = AuditSealedEvent.objects.order_by("-event_id").values_list("event_id", flat=True).first()
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise AuditTrailError(
            _("Event %(id)s, sealed in the audit trail, has been removed from it.") % {"id": event_id}
        )
    return event


def altered_message(event: AuditEvent) -> str:
    return _("Event %(id)s of the audit trail (%(when)s) does not match its hash: it has been changed.") % {
        "id": event.pk,
        "when": event.occurred_at.isoformat(),
    }


def invalid_signature_message(checkpoint: AuditCheckpoint) -> str:
    return _(
        "The latest audit checkpoint (%(when)s) does not carry a valid signature: it was not sealed "
        "with this AUDIT_CHECKPOINT_KEY."
    ) % {"when": timezone.localtime(checkpoint.sealed_at).isoformat()}
