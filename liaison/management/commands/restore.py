"""Restore an archive made by ``manage.py backup`` and prove that it is whole: the archive
and the encryption keys before the target is touched (liaison/backups.py), then the
counts against the manifest, the migrations, the audit chain against its checkpoint and
the manifest, and the encrypted fields."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from liaison.backups import BackupError, backup_restore, database_summary, unreadable_encrypted_fields


class Command(BaseCommand):
    help = "Restore a backup into DATABASE_URL's database and PRIVATE_MEDIA_ROOT, then check it against its manifest."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database or media folder that is not empty."
        )

    def handle(self, *args, archive: Path, force: bool, **options) -> None:
        try:
            manifest, files = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive.name} (made {manifest['created_at']} by version {manifest['app_version']})."
        )
        with connection.cursor() as cursor:
            restored = database_summary(cursor)
        rows = [(key.replace("_", " "), manifest["counts"][key], restored["counts"][key]) for key in manifest["counts"]]
        rows.append(("private files", manifest["private_media"]["files"], files))
        rows.append(("audit chain head", _head(manifest["audit_head"]), _head(restored["audit_head"])))
        self.stdout.write(f"{'':18} {'backup':>22} {'restored':>22}")
        for label, expected, found in rows:
            self.stdout.write(f"{label:18} {expected!s:>22} {found!s:>22}{'' if expected == found else '  MISMATCH'}")

        try:
            call_command("migrate", check_unapplied=True, verbosity=0)
        except SystemExit as error:
            raise CommandError(
                "The backup's schema is older than this version of the app: run manage.py migrate, "
                "then manage.py verify_audit."
            ) from error
        self.stdout.write("Migrations: the schema matches this version of the app.")
        call_command("verify_audit", backup=archive, stdout=self.stdout, stderr=self.stderr)
        read, unreadable = unreadable_encrypted_fields()
        if unreadable:
            raise CommandError(
                f"FIELD_ENCRYPTION_KEYS cannot read {', '.join(unreadable)}: "
                "set the keys that were in use when the backup was made."
            )
        self.stdout.write(f"Encrypted fields: {read} values readable with FIELD_ENCRYPTION_KEYS.")
        if any(expected != found for _, expected, found in rows):
            raise CommandError("The restored database does not match the backup's manifest (see MISMATCH above).")
        self.stdout.write(self.style.SUCCESS("Restore complete and checked."))


def _head(head: dict | None) -> str:
    return f"#{head['id']} {head['hash'][:12]}" if head else "empty"
