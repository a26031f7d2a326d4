"""Write one archive of the database and the private media (see liaison/backups.py and
the README's "Backup and restore")."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from liaison.backups import BackupError, backup_create
from liaison.management.base import LocalisedCommand


class Command(LocalisedCommand):
    help = "Write one timestamped archive of the database and the private media into BACKUP_DIR (default backups/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir",
            dest="directory",
            type=Path,
            default=Path(os.environ.get("BACKUP_DIR") or settings.BASE_DIR / "backups"),
            help="Folder for the archive; made readable by its owner only.",
        )

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            archive, manifest = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if directory.stat().st_mode & 0o077:
            self.stderr.write(
                _("Warning: %(folder)s can be read by others than its owner; chmod 700 it.") % {"folder": directory}
            )
        counts = manifest["counts"]
        self.stdout.write(
            _("Backup written: %(archive)s (%(size)s MB).")
            % {
                "archive": archive,
                "size": number_format(archive.stat().st_size / 1_000_000, decimal_pos=1),
            }
        )
        self.stdout.write(
            _(
                "Families: %(families)s, plan versions: %(versions)s, audit events: %(events)s, "
                "private files: %(files)s."
            )
            % {
                "families": counts["families"],
                "versions": counts["plan_versions"],
                "events": counts["audit_events"],
                "files": manifest["private_media"]["files"],
            }
        )
        self.stdout.write(_("It holds special-category data: keep it on encrypted storage only."))
