from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.checkpoints import (
    AuditTrailError,
    altered_message,
    backup_head,
    checkpoint_head,
    checkpoint_signature_valid,
    head_problem,
    invalid_signature_message,
    latest_checkpoint,
)
from liaison.audit.seals import first_altered_event, seal_grace, unsealed_before, unsealed_events, walk_seals
from liaison.management.base import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Check every event of the audit trail against its hash, every seal against its events and the seal "
        "before, that no event waited longer than AUDIT_SEAL_GRACE_SECONDS for its seal, and the head against "
        "the latest signed checkpoint and (with --backup) a backup's manifest: a changed, cut short or emptied "
        "trail exits non-zero."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--backup",
            type=Path,
            help="A backup archive, or a folder of them (the newest is read), whose manifest records the head.",
        )
        parser.add_argument(
            "--before-sealing",
            action="store_true",
            help="Right after a restore, before the sealer ran on it: events not sealed yet are not reported.",
        )

    def handle(self, *args, backup: Path | None = None, before_sealing: bool = False, **options) -> None:
        problems, heads = [], []
        if (altered := first_altered_event()) is not None:
            problems.append(altered_message(altered))
        walk = walk_seals()
        problems += walk.problems
        if not before_sealing:
            problems += self.unsealed_problems()
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            self.stderr.write(_("There is no audit checkpoint yet: run manage.py seal_audit --follow as a service."))
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
        self.stdout.write(
            _("The audit trail is intact: %(count)s sealed events verified (seals: %(seals)s).")
            % {"count": walk.events, "seals": walk.seals}
        )
        if waiting := unsealed_events().count():
            self.stdout.write(
                _("%(count)s events of the last %(seconds)s seconds are verified and wait for their seal.")
                % {"count": waiting, "seconds": settings.AUDIT_SEAL_GRACE_SECONDS}
            )
        for head in heads:
            self.stdout.write(
                _("It holds event %(id)s as %(source)s recorded it.") % {"id": head.event_id, "source": head.source}
            )

    def unsealed_problems(self) -> list[str]:
        """An event left unsealed longer than the grace period was appended where the
        sealer cannot see it, or the sealer does not run."""
        grace = seal_grace()
        unsealed = unsealed_before(timezone.now() - grace)
        first = unsealed.first()
        if first is None:
            return []
        return [
            _(
                "%(count)s audit events, the first event %(id)s (%(when)s), are older than %(seconds)s seconds and "
                "still not sealed: is manage.py seal_audit --follow running?"
            )
            % {
                "count": unsealed.count(),
                "id": first.pk,
                "when": timezone.localtime(first.occurred_at).isoformat(),
                "seconds": int(grace.total_seconds()),
            }
        ]
