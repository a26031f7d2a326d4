"""Run once a working day (cron or a systemd timer, see the README): each officer,
supervisor and police partner with something that needs attention (for the police: that
waits for them and is due) gets one reminder, which says how many."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from liaison.staff.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind officers, supervisors and police partners how many items need attention (never which). "
        "Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count: save nothing and send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        run = reminders_send(dry_run=dry_run)
        counts = {
            "day": run.day.isoformat(),
            "people": run.people,
            "items": run.items,
            "new": run.new,
            "already": run.already_reminded,
            "emailed": run.emailed,
        }
        if dry_run:
            self.stdout.write(
                _(
                    "Dry run for %(day)s. People with items that need attention: %(people)s; items: %(items)s; "
                    "new reminders: %(new)s; already reminded: %(already)s. Nothing was saved or sent."
                )
                % counts
            )
            return
        self.stdout.write(
            _(
                "Reminders for %(day)s. People with items that need attention: %(people)s; items: %(items)s; "
                "new reminders: %(new)s; e-mailed: %(emailed)s; already reminded: %(already)s."
            )
            % counts
        )
