from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.checkpoints import AuditTrailError, checkpoint_seal
from liaison.management.base import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Write a checkpoint of the audit chain's head, signed with AUDIT_CHECKPOINT_KEY, after checking that the "
        "chain extends the latest checkpoint unbroken. Run it on a schedule (docs/deployment.md)."
    )

    def handle(self, *args, **options) -> None:
        try:
            checkpoint = checkpoint_seal()
        except AuditTrailError as error:
            raise CommandError(_("%(problem)s Not sealed.") % {"problem": error}) from error
        if checkpoint is None:
            self.stdout.write(_("The audit trail is empty: there is nothing to seal yet."))
            return
        # The line goes to the job's log as well: a copy of the head outside the database.
        self.stdout.write(
            _(
                "Audit trail sealed at event %(id)s (%(count)s events, hash %(hash)s) on %(when)s, "
                "signature %(signature)s."
            )
            % {
                "id": checkpoint.event_id,
                "count": checkpoint.event_count,
                "hash": checkpoint.event_hash,
                "when": timezone.localtime(checkpoint.sealed_at).isoformat(),
                "signature": checkpoint.signature,
            }
        )
