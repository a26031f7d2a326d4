"""The append-only audit trail. Every event carries the hash of its own content and is
appended without a lock; a sealer (``manage.py seal_audit --follow``) seals the new
events within seconds into a hash chain of seals, each holding the hash of the events it
seals and of the seal before it, so a changed or removed row no longer matches its seal.
Signed checkpoints of the latest seal show when seals or events were cut off the end.
On PostgreSQL these tables refuse UPDATE, DELETE and TRUNCATE at the database level,
and the app's role may only read and append to them (see the migrations and
``liaison/audit/privileges.py``)."""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Signed out everywhere")
    LOCKED_OUT = "locked_out", _("Locked out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
    SECOND_FACTOR_VERIFIED = "second_factor_verified", _("Second factor verified")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Second factor failed")
    SECOND_FACTOR_CHANGED = "second_factor_changed", _("Second factor changed")
    BACKUP_CODES_ISSUED = "backup_codes_issued", _("Backup codes issued")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    ROLE_CHANGED = "role_changed", _("Role changed")
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_CHANGED = "account_changed", _("Account details changed")
    KEYS_ROTATED = "keys_rotated", _("Encryption keys rotated")
    CASE_VIEWED = "case_viewed", _("Case viewed")
    CASE_LIST_VIEWED = "case_list_viewed", _("Caseload viewed")
    CASE_CREATED = "case_created", _("Case created")
    CASE_CHANGED = "case_changed", _("Case changed")
    TEAM_CHANGED = "team_changed", _("Team settings changed")
    POLICE_UNIT_CHANGED = "police_unit_changed", _("Police unit settings changed")
    BREAK_GLASS = "break_glass", _("Emergency access used")
    CASE_ARCHIVED = "case_archived", _("Case moved to the archive")
    CASE_REOPENED = "case_reopened", _("Case taken out of the archive")
    RETENTION_CHANGED = "retention_changed", _("Retention period changed")
    RETENTION_APPLIED = "retention_applied", _("Retention applied")
    ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
    ERASURE_DECIDED = "erasure_decided", _("Erasure request decided")
    PERSON_ERASED = "person_erased", _("Person erased")
    LIBRARY_CHANGED = "library_changed", _("Library for parents changed")
    CONTEXT_ACCESS_REQUESTED = "context_access_requested", _("Access to a hit asked")
    CONTEXT_ACCESS_DECIDED = "context_access_decided", _("Access to a hit granted or refused")
    MEETING_CHANGED = "meeting_changed", _("Multi-agency meeting changed")


class AuditEvent(models.Model):
    """One thing someone did or read. Events written before the seals (audit migration
    0012) each carry the hash of the one before them in ``previous_hash``; later events
    leave it empty, and their place in the trail is kept by the seal that holds them."""

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_email = models.CharField(_("who (as typed or known)"), max_length=254, blank=True)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=40, blank=True)
    family_id = models.BigIntegerField(_("family"), null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    # Not unique: two reads of one page by one person in the same microsecond are two
    # events with one content. The seals hold each event by its id and hash.
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_email}"

    def compute_hash(self) -> str:
        payload = json.dumps(
            {
                "previous": self.previous_hash,
                "occurred_at": self.occurred_at.isoformat(),
                "actor": self.actor_id,
                "actor_email": self.actor_email,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "family_id": self.family_id,
                "ip_address": self.ip_address,
                "detail": self.detail,
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


class AuditSeal(models.Model):
    """The events appended since the seal before, sealed by the sealer: how many, the
    hash of their (id, hash) in id order, and the hash of the seal before, so that the
    seals form a chain and every sealed event is held by exactly one link in it."""

    sequence = models.PositiveBigIntegerField(_("seal"), primary_key=True)
    sealed_at = models.DateTimeField(_("sealed at"))
    event_count = models.PositiveIntegerField(_("events sealed"))
    first_event_id = models.BigIntegerField(_("first event"))
    last_event_id = models.BigIntegerField(_("last event"))
    root_hash = models.CharField(_("hash of the events"), max_length=64)
    previous_hash = models.CharField(_("hash of the seal before"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"{self.sequence} {self.sealed_at:%Y-%m-%d %H:%M:%S} {self.event_count}"

    def compute_hash(self) -> str:
        sealed_at = self.sealed_at.astimezone(UTC).isoformat()
        text = (
            f"liaison-audit-seal:v1:{self.sequence}:{sealed_at}:{self.event_count}:{self.first_event_id}:"
            f"{self.last_event_id}:{self.root_hash}:{self.previous_hash}"
        )
        return hashlib.sha256(text.encode()).hexdigest()


class AuditSealedEvent(models.Model):
    """Which seal holds an event. Ids are not commit order: an event that commits after a
    later one was sealed is sealed by the next seal, and each event by one seal only."""

    event_id = models.BigIntegerField(_("event"), unique=True)
    seal = models.ForeignKey(
        AuditSeal,
        verbose_name=_("seal"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        ordering = ["seal", "event_id"]
        verbose_name = _("sealed audit event")
        verbose_name_plural = _("sealed audit events")
        indexes = [models.Index(fields=["seal", "event_id"], name="audit_sealed_events_by_seal")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.seal_id}"


class RefusedReadHour(models.Model):
    """The reads of a case file that the access policy refused one person in one hour:
    a count and the family numbers tried, one row however many requests. Someone probing
    family numbers one after another shows here and in the access log of each family they
    tried, and the administrators are told when it happens often (see
    ``liaison.audit.refusals``). A counter, not a part of the hash-chained trail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    hour_started_at = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("refused reads"), default=1)
    # The family numbers tried, each once, between commas (",12,40,"): a list that grows
    # with one UPDATE on every database and is searched with LIKE.
    family_ids = models.TextField(_("families tried"), blank=True, default=",")
    first_at = models.DateTimeField(_("first refused at"))
    last_at = models.DateTimeField(_("last refused at"))
    alerted_at = models.DateTimeField(_("administrators told at"), null=True, blank=True)

    class Meta:
        ordering = ["-hour_started_at", "-last_at"]
        verbose_name = _("refused reads in an hour")
        verbose_name_plural = _("refused reads per hour")
        indexes = [models.Index(fields=["-hour_started_at"], name="refused_read_hour_newest")]
        constraints = [
            models.UniqueConstraint(fields=["user", "hour_started_at"], name="one_refused_read_row_per_hour"),
            models.CheckConstraint(name="refused_read_counts_one_or_more", condition=models.Q(count__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.hour_started_at:%Y-%m-%d %H:00} {self.count}"

    @property
    def families_tried(self) -> list[int]:
        return [int(number) for number in self.family_ids.split(",") if number]


class AuditCheckpoint(models.Model):
    """The head of the trail at one moment, signed with a key that is not in the
    database (``AUDIT_CHECKPOINT_KEY``): the latest seal and the last event it had
    sealed. A trail that later no longer holds that seal or event, or holds another hash
    there, was cut short or rewritten. Checkpoints from before the seals name no seal."""

    sealed_at = models.DateTimeField(_("sealed at"))
    event_id = models.BigIntegerField(_("last event"))
    event_hash = models.CharField(_("hash of the last event"), max_length=64)
    event_count = models.PositiveBigIntegerField(_("events up to it"))
    seal_sequence = models.PositiveBigIntegerField(_("latest seal"), null=True, blank=True)
    seal_hash = models.CharField(_("hash of the latest seal"), max_length=64, blank=True)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.sealed_at:%Y-%m-%d %H:%M:%S} #{self.event_id} {self.event_hash[:12]}"

    def signed_text(self) -> str:
        """What the signature covers, in a form that does not depend on the database."""
        sealed_at = self.sealed_at.astimezone(UTC).isoformat()
        head = f"{sealed_at}:{self.event_id}:{self.event_hash}:{self.event_count}"
        if self.seal_sequence is None:
            return f"liaison-audit-checkpoint:v1:{head}"
        return f"liaison-audit-checkpoint:v2:{head}:{self.seal_sequence}:{self.seal_hash}"
