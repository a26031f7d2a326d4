import time

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.checkpoints import AuditTrailError, checkpoint_key, checkpoint_seal
from liaison.audit.models import AuditCheckpoint
from liaison.audit.seals import audit_seal
from liaison.management.base import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Seal the audit events not sealed yet into the chain of seals, then write a checkpoint of the latest "
        "seal, signed with AUDIT_CHECKPOINT_KEY, after checking that the seals extend the latest checkpoint "
        "unbroken. With --follow it goes on sealing every few seconds; run it so as a service on one host "
        "(docs/deployment.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--follow",
            action="store_true",
            help="Keep sealing new events every --interval seconds; sign a checkpoint every --checkpoint-every.",
        )
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between two rounds of sealing.")
        parser.add_argument(
            "--checkpoint-every", type=float, default=60.0, help="Seconds between two signed checkpoints."
        )

    def handle(self, *args, follow: bool, interval: float, checkpoint_every: float, **options) -> None:
        try:
            checkpoint_key()
        except AuditTrailError as error:
            raise CommandError(_("%(problem)s Not sealed.") % {"problem": error}) from error
        # Every event, however late it committed, before the first checkpoint.
        self.report_seals(audit_seal())
        self.checkpoint()
        if not follow:
            return
        checkpoint_due = time.monotonic() + checkpoint_every
        while True:
            time.sleep(interval)
            audit_seal(recent_only=True)
            if time.monotonic() >= checkpoint_due:
                self.checkpoint()
                checkpoint_due = time.monotonic() + checkpoint_every

    def report_seals(self, seals: list) -> None:
        if seals:
            self.stdout.write(
                _("Sealed %(events)s audit events in seals %(first)s to %(last)s.")
                % {
                    "events": sum(seal.event_count for seal in seals),
                    "first": seals[0].sequence,
                    "last": seals[-1].sequence,
                }
            )

    def checkpoint(self) -> AuditCheckpoint | None:
        try:
            checkpoint = checkpoint_seal()
        except AuditTrailError as error:
            raise CommandError(_("%(problem)s Not sealed.") % {"problem": error}) from error
        if checkpoint is None:
            self.stdout.write(_("The audit trail is empty: there is nothing to seal yet."))
            return None
        # The line goes to the job's log as well: a copy of the head outside the database.
        self.stdout.write(
            _(
                "Audit trail sealed at event %(id)s (%(count)s events, hash %(hash)s) in seal %(seal)s "
                "(hash %(seal_hash)s) on %(when)s, signature %(signature)s."
            )
            % {
                "id": checkpoint.event_id,
                "count": checkpoint.event_count,
                "hash": checkpoint.event_hash,
                "seal": checkpoint.seal_sequence,
                "seal_hash": checkpoint.seal_hash,
                "when": timezone.localtime(checkpoint.sealed_at).isoformat(),
                "signature": checkpoint.signature,
            }
        )
        return checkpoint
