"""Run once a day (with the reminders, see the README): every closed case whose months of
being readable for the team have passed moves to the archive, which only administrators
open. Safe to run again."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from families.services.closure import closed_families_archive


class Command(BaseCommand):
    help = "Move closed cases past their team's readable months to the archive. Safe to run again."

    def handle(self, *args, **options) -> None:
        moved = closed_families_archive()
        self.stdout.write(_("Closed cases moved to the archive: %(count)s.") % {"count": moved})
