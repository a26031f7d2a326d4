"""Write one archive of the database and the private media (see liaison/backups.py and
the README's "Backup and restore")."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.backups import BackupError, backup_create


class Command(BaseCommand):
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
            self.stderr.write(f"Warning: {directory} can be read by others than its owner; chmod 700 it.")
        counts = manifest["counts"]
        self.stdout.write(
            f"Backup written: {archive} ({archive.stat().st_size / 1_000_000:.1f} MB).\n"
            f"Families: {counts['families']}, plan versions: {counts['plan_versions']}, "
            f"audit events: {counts['audit_events']}, private files: {manifest['private_media']['files']}.\n"
            "It holds special-category data: keep it on encrypted storage only."
        )
