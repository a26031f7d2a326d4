"""Apply the retention periods to the archive of closed cases.

Without --apply it only shows what is due (the dry run) and changes nothing. With
--apply it shows the same, asks to confirm (unless --no-input), then deletes or
anonymises, each case in the audit trail. Schedule it daily on exactly one host:
    manage.py apply_retention --apply --no-input
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from liaison.privacy.retention import KindDue, retention_due
from liaison.privacy.services import retention_apply

CONFIRMATION = "apply"


class Command(BaseCommand):
    help = "Show (default) or carry out (--apply) what the retention periods make due in the archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--apply", action="store_true", help="Delete and anonymise; without it, a dry run.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask to confirm --apply.")
        parser.add_argument("--today", type=date.fromisoformat, help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, apply: bool, no_input: bool, today: date | None, **options) -> None:
        due = retention_due(today)
        self._show(due)
        if not any(entry.families for entry in due):
            self.stdout.write("Nothing is due.")
            return
        if not apply:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed. Run with --apply to carry this out."))
            return
        if not no_input and input(f"Type '{CONFIRMATION}' to delete and anonymise the above: ") != CONFIRMATION:
            raise CommandError("Not confirmed: nothing was changed.")
        done = retention_apply(today=today)
        records = sum(entry.records for entry in done)
        cases = len({pk for entry in done for pk in entry.families})
        self.stdout.write(self.style.SUCCESS(f"Retention applied: {records} records in {cases} cases."))

    def _show(self, due: list[KindDue]) -> None:
        self.stdout.write(
            f"{'kind of record':16} {'years':>5} {'closed by':>10} {'action':>9} {'cases':>6} {'records':>8}"
        )
        for entry in due:
            self.stdout.write(
                f"{entry.kind:16} {entry.years:>5} {entry.closed_by.isoformat():>10} {entry.action:>9} "
                f"{len(entry.families):>6} {entry.records:>8}"
            )
