"""Sealing the audit trail, and checking the seals. Events are appended concurrently,
each with the hash of its own content only; the sealer, one at a time and outside every
request, seals the events not yet sealed: a seal holds the hash of their (id, hash) in
id order and the hash of the seal before it, so the seals form a chain and a changed or
removed event no longer matches its seal. Ids are not commit order (and a rolled-back
transaction leaves a gap), so which seal holds an event is written down per event, and
an event that commits after a higher id was sealed is sealed by the next seal.

Every check walks the trail in batches, so it needs the same memory for a million
events as for ten."""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.models import AuditEvent, AuditSeal, AuditSealedEvent
from liaison.audit.services import GENESIS_HASH

# At most this many events in one seal; more wait for the next seal of the same round.
SEAL_BATCH = 5_000
# The following sealer looks for new events among the ids above those it had sealed this
# long ago: an event is missed only if its transaction stayed open longer than this. A
# full round (``manage.py seal_audit`` without --follow) looks at every event.
LATE_COMMIT_WINDOW = timedelta(minutes=10)
# A fixed key for the PostgreSQL advisory lock that lets one sealer work at a time. The
# requests that append events never take it.
_SEALER_LOCK_KEY = 7_031_552
_CHUNK = 2_000
_ROOT_PREFIX = b"liaison-audit-seal-root:v1\n"


def sealer_lock() -> None:
    """Wait until no other sealer works, for the rest of this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEALER_LOCK_KEY])


def seal_root(events: Iterable[tuple[int, str]]) -> tuple[str, int]:
    """The hash over the (id, hash) of events in id order, and how many there were."""
    digest = hashlib.sha256(_ROOT_PREFIX)
    count = 0
    for event_id, event_hash in events:
        digest.update(f"{event_id}:{event_hash}\n".encode())
        count += 1
    return digest.hexdigest(), count


def latest_seal() -> AuditSeal | None:
    return AuditSeal.objects.order_by("-sequence").first()


def unsealed_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(~Exists(AuditSealedEvent.objects.filter(event_id=OuterRef("pk"))))


def audit_seal(*, recent_only: bool = False, batch_size: int = SEAL_BATCH) -> list[AuditSeal]:
    """Seal every event not yet sealed (``recent_only``: among the ids above those sealed
    LATE_COMMIT_WINDOW ago, which is what the following sealer does every few seconds);
    return the new seals, one per batch of events, each in a transaction of its own."""
    after_id = _recent_floor() if recent_only else 0
    seals = []
    while (seal := _seal_batch(after_id=after_id, batch_size=batch_size)) is not None:
        seals.append(seal)
        if seal.event_count < batch_size:
            break
        after_id = seal.last_event_id
    return seals


def _recent_floor() -> int:
    """The last event id of the newest seal made LATE_COMMIT_WINDOW ago or earlier."""
    cutoff = timezone.now() - LATE_COMMIT_WINDOW
    seal = AuditSeal.objects.filter(sealed_at__lte=cutoff).order_by("-sequence").first()
    return seal.last_event_id if seal is not None else 0


@transaction.atomic
def _seal_batch(*, after_id: int, batch_size: int) -> AuditSeal | None:
    sealer_lock()
    events = list(unsealed_events().filter(id__gt=after_id).order_by("id").values_list("id", "hash")[:batch_size])
    if not events:
        return None
    previous = latest_seal()
    root_hash, count = seal_root(events)
    seal = AuditSeal(
        sequence=previous.sequence + 1 if previous is not None else 1,
        sealed_at=timezone.now(),
        event_count=count,
        first_event_id=events[0][0],
        last_event_id=events[-1][0],
        root_hash=root_hash,
        previous_hash=previous.hash if previous is not None else GENESIS_HASH,
    )
    seal.hash = seal.compute_hash()
    seal.save(force_insert=True)
    AuditSealedEvent.objects.bulk_create(
        [AuditSealedEvent(event_id=event_id, seal=seal) for event_id, _hash in events], batch_size=_CHUNK
    )
    return seal


def first_altered_event() -> AuditEvent | None:
    """The first event whose hash no longer matches its content."""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=_CHUNK):
        if event.compute_hash() != event.hash:
            return event
    return None


@dataclass
class SealWalk:
    """What a walk over the seals found: the problems, and the seals and events walked."""

    problems: list[str]
    seals: int = 0
    events: int = 0


def walk_seals(after: AuditSeal | None = None, *, most_problems: int = 20) -> SealWalk:
    """Check every seal after ``after`` (all seals without it): its own hash, its link to
    the seal before, and that the events it sealed are still there as they were. Stops
    at ``most_problems``."""
    walk = SealWalk(problems=[])
    previous_hash = after.hash if after is not None else GENESIS_HASH
    sequence = after.sequence if after is not None else 0
    held = _held_events(after_sequence=sequence)
    pending = next(held, None)
    for seal in AuditSeal.objects.filter(sequence__gt=sequence).order_by("sequence").iterator(chunk_size=_CHUNK):
        if seal.sequence != sequence + 1:
            walk.problems.append(
                _("Seals %(first)s to %(last)s of the audit trail are missing: it has been rewritten.")
                % {"first": sequence + 1, "last": seal.sequence - 1}
            )
        if seal.previous_hash != previous_hash or seal.compute_hash() != seal.hash:
            walk.problems.append(
                _("Seal %(seal)s of the audit trail has been changed (%(when)s).")
                % {"seal": seal.sequence, "when": timezone.localtime(seal.sealed_at).isoformat()}
            )
        events = []
        while pending is not None and pending[0] <= seal.sequence:
            if pending[0] == seal.sequence:
                events.append(pending[1:])
            pending = next(held, None)
        walk.problems += _sealed_events_problems(seal, events)
        walk.seals += 1
        walk.events += seal.event_count
        previous_hash, sequence = seal.hash, seal.sequence
        if len(walk.problems) >= most_problems:
            break
    return walk


def _held_events(*, after_sequence: int) -> Iterator[tuple[int, int, str | None]]:
    """(seal, event id, the event's hash now or None when it is gone), seal by seal in
    id order."""
    event_hash = AuditEvent.objects.filter(pk=OuterRef("event_id")).values("hash")[:1]
    return (
        AuditSealedEvent.objects.filter(seal_id__gt=after_sequence)
        .order_by("seal_id", "event_id")
        .annotate(event_hash=Subquery(event_hash))
        .values_list("seal_id", "event_id", "event_hash")
        .iterator(chunk_size=_CHUNK)
    )


def _sealed_events_problems(seal: AuditSeal, events: list[tuple[int, str | None]]) -> list[str]:
    missing = [event_id for event_id, event_hash in events if event_hash is None]
    if missing:
        return [
            _("Event %(id)s, sealed in seal %(seal)s, has been removed from the audit trail.")
            % {"id": missing[0], "seal": seal.sequence}
        ]
    root_hash, count = seal_root(events)
    if (root_hash, count) != (seal.root_hash, seal.event_count):
        return [
            _(
                "The events of seal %(seal)s (%(first)s to %(last)s) are not the events it sealed: "
                "an event has been changed or removed."
            )
            % {"seal": seal.sequence, "first": seal.first_event_id, "last": seal.last_event_id}
        ]
    return []


def unsealed_before(moment: datetime) -> QuerySet[AuditEvent]:
    """The events that happened before ``moment`` and are still not sealed."""
    return unsealed_events().filter(occurred_at__lt=moment).order_by("id")


def seal_grace() -> timedelta:
    """How long an event may wait for its seal before verify_audit reports it."""
    return timedelta(seconds=settings.AUDIT_SEAL_GRACE_SECONDS)
