"""Signed checkpoints of the audit chain's head, and the checks of the trail against heads
recorded outside its own rows. The hash chain shows a changed or removed event, but not
events cut off its end, nor a trail emptied altogether: a checkpoint (signed with
``AUDIT_CHECKPOINT_KEY``, which is not in the database) and a backup's manifest both
say which event the trail held at their time, so a trail that no longer holds it was
cut short or rewritten."""

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

from liaison.audit.models import AuditCheckpoint, AuditEvent
from liaison.audit.services import GENESIS_HASH

MINIMUM_KEY_LENGTH = 32
# As written by liaison/backups.py: the manifest is the first member of every archive.
BACKUP_MANIFEST = "manifest.json"
BACKUP_ARCHIVES = "liaison-backup-*.tar.gz"


class AuditTrailError(Exception):
    """The trail cannot be sealed or checked; the message says why."""


@dataclass(frozen=True)
class SealedHead:
    """The last event of the trail as recorded somewhere else, and where."""

    event_id: int
    event_hash: str
    event_count: int | None
    source: str


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
    )


def head_problem(head: SealedHead) -> str | None:
    """What is wrong with the trail compared with a head recorded elsewhere, or None when
    the trail still holds that event with that hash (it may have grown since)."""
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
        return SealedHead(
            event_id=int(head["id"]),
            event_hash=str(head["hash"]),
            event_count=manifest.get("counts", {}).get("audit_events"),
            source=_("the backup of %(when)s") % {"when": _local(manifest.get("created_at"))},
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


def _first_broken_after(start: AuditEvent | None, up_to: int) -> tuple[AuditEvent | None, int]:
    """Walk the chain from ``start`` (exclusive) to event ``up_to``; return the first
    event whose hash or link is wrong, and how many events were walked."""
    previous = start.hash if start is not None else GENESIS_HASH
    events = AuditEvent.objects.filter(id__lte=up_to).order_by("id")
    if start is not None:
        events = events.filter(id__gt=start.pk)
    walked = 0
    for event in events.iterator(chunk_size=2000):
        if event.previous_hash != previous or event.compute_hash() != event.hash:
            return event, walked
        previous = event.hash
        walked += 1
    return None, walked


@transaction.atomic
def checkpoint_seal() -> AuditCheckpoint | None:
    """Sign the chain's head as it is now, after checking that it extends the latest
    checkpoint unbroken: a trail cut short is never sealed, so it stays detectable.
    Returns None when the trail is still empty."""
    key = settings.AUDIT_CHECKPOINT_KEY
    if len(key) < MINIMUM_KEY_LENGTH:
        raise AuditTrailError(
            _(
                "Set AUDIT_CHECKPOINT_KEY to a secret of at least %(length)s characters, kept outside the "
                "database, to seal the audit trail."
            )
            % {"length": MINIMUM_KEY_LENGTH}
        )
    head = AuditEvent.objects.order_by("-id").first()
    latest = latest_checkpoint()
    start, count = None, 0
    if latest is not None:
        if not checkpoint_signature_valid(latest):
            raise AuditTrailError(invalid_signature_message(latest))
        if problem := head_problem(checkpoint_head(latest)):
            raise AuditTrailError(problem)
        start, count = AuditEvent.objects.get(pk=latest.event_id), latest.event_count
    if head is None:
        return None
    broken, walked = _first_broken_after(start, head.pk)
    if broken is not None:
        raise AuditTrailError(broken_message(broken))
    checkpoint = AuditCheckpoint(
        sealed_at=timezone.now().replace(microsecond=0),
        event_id=head.pk,
        event_hash=head.hash,
        event_count=count + walked,
    )
    checkpoint.signature = checkpoint_signature(checkpoint, key)
    checkpoint.save(force_insert=True)
    return checkpoint


def broken_message(event: AuditEvent) -> str:
    return _("The audit trail is broken at event %(id)s (%(when)s).") % {
        "id": event.pk,
        "when": event.occurred_at.isoformat(),
    }


def invalid_signature_message(checkpoint: AuditCheckpoint) -> str:
    return _(
        "The latest audit checkpoint (%(when)s) does not carry a valid signature: it was not sealed "
        "with this AUDIT_CHECKPOINT_KEY."
    ) % {"when": timezone.localtime(checkpoint.sealed_at).isoformat()}
