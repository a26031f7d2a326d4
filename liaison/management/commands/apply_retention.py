"""Apply the retention periods to the archive of closed cases.

Without --apply it only shows what is due (the dry run) and changes nothing. With
--apply it shows the same, asks to confirm (unless --no-input), then deletes or
anonymises, each case in the audit trail. Schedule it daily on exactly one host:
    manage.py apply_retention --apply --no-input
"""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from liaison.management.base import LocalisedCommand
from liaison.privacy.retention import ANONYMISE, DELETE, KindDue, retention_due
from liaison.privacy.services import retention_apply

CONFIRMATION = "apply"


def _action(action: str) -> str:
    return {
        DELETE: pgettext("what the retention period does to a kind of record", "delete"),
        ANONYMISE: pgettext("what the retention period does to a kind of record", "anonymise"),
    }[action]


class Command(LocalisedCommand):
    help = "Show (default) or carry out (--apply) what the retention periods make due in the archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--apply", action="store_true", help="Delete and anonymise; without it, a dry run.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask to confirm --apply.")
        parser.add_argument("--today", type=date.fromisoformat, help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, apply: bool, no_input: bool, today: date | None, **options) -> None:
        due = retention_due(today)
        self._show(due)
        if not any(entry.families for entry in due):
            self.stdout.write(_("Nothing is due."))
            return
        if not apply:
            self.stdout.write(
                self.style.WARNING(_("Dry run: nothing was changed. Run with --apply to carry this out."))
            )
            return
        prompt = _("Type '%(word)s' to delete and anonymise the above: ") % {"word": CONFIRMATION}
        if not no_input and input(prompt) != CONFIRMATION:
            raise CommandError(_("Not confirmed: nothing was changed."))
        done = retention_apply(today=today)
        records = sum(entry.records for entry in done)
        cases = len({pk for entry in done for pk in entry.families})
        self.stdout.write(
            self.style.SUCCESS(
                _("Retention applied: %(records)s records in %(cases)s cases.") % {"records": records, "cases": cases}
            )
        )

    def _show(self, due: list[KindDue]) -> None:
        # Each heading a message of its own: gettext is never found inside an f-string.
        years, closed_by, action, cases, records = _("years"), _("closed by"), _("action"), _("cases"), _("records")
        kind = _("kind of record")
        self.stdout.write(f"{years:>5} {closed_by:>12} {action:>12} {cases:>7} {records:>8}  {kind}")
        for entry in due:
            self.stdout.write(
                f"{entry.years:>5} {entry.closed_by.isoformat():>12} {_action(entry.action):>12} "
                f"{len(entry.families):>7} {entry.records:>8}  {entry.label}"
            )
