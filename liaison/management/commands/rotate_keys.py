"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old one after it), deploy, run this command,
then remove the old key. Runs in batches and shows its progress."""

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.encryption import encrypted_fields, reencrypt
from liaison.management.base import LocalisedCommand

BAR_WIDTH = 30


class Command(LocalisedCommand):
    help = "Re-encrypt all encrypted fields with the first key of FIELD_ENCRYPTION_KEYS, in batches."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        total = 0
        for model, field_names in encrypted_fields():
            label = f"{model._meta.app_label}.{model.__name__}"
            with transaction.atomic():
                rows = reencrypt(model, field_names, batch_size=batch_size, progress=self._bar(label))
            if not rows:
                nothing = _("nothing to do")
                self.stdout.write(f"{label:32} {nothing}")
            total += rows
        audit_record(action=AuditAction.KEYS_ROTATED, detail={"rows": total})
        self.stdout.write(self.style.SUCCESS(_("Re-encrypted %(rows)s rows with the first key.") % {"rows": total}))

    def _bar(self, label: str):
        def show(done: int, count: int) -> None:
            filled = round(BAR_WIDTH * done / count)
            ending = "\n" if done == count else "\r"
            self.stdout.write(f"{label:32} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{count}", ending=ending)
            self.stdout.flush()

        return show
