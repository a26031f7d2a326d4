from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from liaison.audit.models import AuditEvent
from liaison.audit.services import first_broken_link


class Command(BaseCommand):
    help = "Check the hash chain of the audit trail and report the first broken link."

    def handle(self, *args, **options) -> None:
        broken = first_broken_link()
        if broken is not None:
            raise CommandError(
                _("The audit trail is broken at event %(id)s (%(when)s).")
                % {"id": broken.pk, "when": broken.occurred_at.isoformat()}
            )
        count = AuditEvent.objects.count()
        self.stdout.write(_("The audit trail is intact: %(count)s events verified.") % {"count": count})
