"""Restore an archive made by ``manage.py backup`` and prove that it is whole: the archive
and the encryption keys before the target is touched (liaison/backups.py), then the
counts against the manifest, the migrations, the audit chain against its checkpoint and
the manifest, and the encrypted fields."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from liaison.backups import BackupError, backup_restore, database_summary, unreadable_encrypted_fields
from liaison.management.base import LocalisedCommand


def _count_labels() -> dict[str, str]:
    """What each count of the manifest is, in words (``liaison.backups.COUNTED``)."""
    return {"families": _("families"), "plan_versions": _("plan versions"), "audit_events": _("audit events")}


class Command(LocalisedCommand):
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
            _("Restored %(archive)s (made %(made)s by version %(version)s).")
            % {"archive": archive.name, "made": manifest["created_at"], "version": manifest["app_version"]}
        )
        with connection.cursor() as cursor:
            restored = database_summary(cursor)
        labels = _count_labels()
        rows = [
            (labels.get(key, key.replace("_", " ")), manifest["counts"][key], restored["counts"][key])
            for key in manifest["counts"]
        ]
        rows.append((_("private files"), manifest["private_media"]["files"], files))
        rows.append((_("audit chain head"), _head(manifest["audit_head"]), _head(restored["audit_head"])))
        mismatch, in_backup, restored_now = _("MISMATCH"), _("in the backup"), _("restored")
        self.stdout.write(f"{'':18} {in_backup:>22} {restored_now:>22}")
        for label, expected, found in rows:
            self.stdout.write(
                f"{label:18} {expected!s:>22} {found!s:>22}{'' if expected == found else '  ' + mismatch}"
            )

        try:
            call_command("migrate", check_unapplied=True, verbosity=0)
        except SystemExit as error:
            raise CommandError(
                _(
                    "The backup's schema is older than this version of the app: run manage.py migrate, "
                    "then manage.py verify_audit."
                )
            ) from error
        self.stdout.write(_("Migrations: the schema matches this version of the app."))
        # The events of the backup's last seconds wait for the sealer, which has not run here yet.
        call_command(
            "verify_audit",
            backup=archive,
            before_sealing=True,
            language=get_language(),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        read, unreadable = unreadable_encrypted_fields()
        if unreadable:
            raise CommandError(
                _(
                    "FIELD_ENCRYPTION_KEYS cannot read %(fields)s: "
                    "set the keys that were in use when the backup was made."
                )
                % {"fields": ", ".join(unreadable)}
            )
        self.stdout.write(
            _("Encrypted fields: %(count)s values readable with FIELD_ENCRYPTION_KEYS.") % {"count": read}
        )
        if any(expected != found for _label, expected, found in rows):
            raise CommandError(
                _("The restored database does not match the backup's manifest (see %(mark)s above).")
                % {"mark": mismatch}
            )
        self.stdout.write(self.style.SUCCESS(_("Restore complete and checked.")))


def _head(head: dict | None) -> str:
    return f"#{head['id']} {head['hash'][:12]}" if head else _("empty")
