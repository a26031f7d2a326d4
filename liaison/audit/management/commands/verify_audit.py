from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from liaison.audit.checkpoints import (
    AuditTrailError,
    backup_head,
    broken_message,
    checkpoint_head,
    checkpoint_signature_valid,
    head_problem,
    invalid_signature_message,
    latest_checkpoint,
)
from liaison.audit.models import AuditEvent
from liaison.audit.services import first_broken_link
from liaison.management.base import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Check the hash chain of the audit trail, and its head against the latest signed checkpoint "
        "and (with --backup) against a backup's manifest: a broken, cut short or emptied trail exits non-zero."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--backup",
            type=Path,
            help="A backup archive, or a folder of them (the newest is read), whose manifest records the head.",
        )

    def handle(self, *args, backup: Path | None = None, **options) -> None:
        problems, heads = [], []
        if (broken := first_broken_link()) is not None:
            problems.append(broken_message(broken))
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            self.stderr.write(_("There is no audit checkpoint yet: run manage.py seal_audit on a schedule."))
        else:
            valid = checkpoint_signature_valid(checkpoint)
            if valid is None:
                self.stderr.write(_("The checkpoint's signature was not checked: AUDIT_CHECKPOINT_KEY is not set."))
            elif not valid:
                problems.append(invalid_signature_message(checkpoint))
            heads.append(checkpoint_head(checkpoint))
        if backup is not None:
            try:
                if (head := backup_head(backup)) is not None:
                    heads.append(head)
            except AuditTrailError as error:
                problems.append(str(error))
        problems += [problem for head in heads if (problem := head_problem(head)) is not None]
        if problems:
            raise CommandError("\n".join(problems))
        count = AuditEvent.objects.count()
        self.stdout.write(_("The audit trail is intact: %(count)s events verified.") % {"count": count})
        for head in heads:
            self.stdout.write(
                _("It holds event %(id)s as %(source)s recorded it.") % {"id": head.event_id, "source": head.source}
            )
