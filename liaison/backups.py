"""Backups of the case records: one archive with a consistent copy of the database and
the private media (uploaded photos), and a manifest that a restore checks itself
against. An archive holds special-category data in the clear (except the encrypted
fields): keep it on encrypted storage only.

PostgreSQL is copied with ``pg_dump --format=custom`` (schema, data, and the triggers
that keep the audit tables append-only), SQLite with its online backup API.

A restore proves the archive before it touches the target: every member is read to the
end of the archive and checked against its SHA-256 in the manifest, and every encrypted
value in the dump is decrypted with the configured keys. Only then is the target
replaced, on PostgreSQL in one transaction, so that a failure leaves it as it was."""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import Family
from liaison.audit.models import AuditEvent, AuditSeal
from liaison.audit.privileges import app_role_grant
from liaison.encryption import PREFIX, decrypt, encrypted_fields
from safety_plans.models import PlanVersion

# Format 2 lists the SHA-256 of every member in the manifest; format 1 only the dump's.
FORMAT = 2
READABLE_FORMATS = (1, 2)
MANIFEST_NAME = "manifest.json"
MEDIA_NAME = "private-media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
COUNTED = {"families": Family, "plan_versions": PlanVersion, "audit_events": AuditEvent}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


UNTOUCHED = gettext_lazy("The target database and PRIVATE_MEDIA_ROOT were not changed.")
# Reading a damaged or cut-off archive fails with any of these.
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, OSError)


def database_summary(cursor) -> dict:
    """The counts a restore must give back and the head of the audit trail (its last event
    and its latest seal), read through a plain DB-API cursor so that they can be taken
    from a copy as well."""
    counts = {}
    for key, model in COUNTED.items():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608  # nosec B608 - a model's own table name
        counts[key] = cursor.fetchone()[0]
    cursor.execute(f'SELECT id, hash FROM "{AuditEvent._meta.db_table}" ORDER BY id DESC LIMIT 1')  # noqa: S608  # nosec B608
    head = cursor.fetchone()
    seal = _latest_seal(cursor)
    return {
        "counts": counts,
        "audit_head": {"id": head[0], "hash": head[1]} if head else None,
        "audit_seal": {"sequence": seal[0], "hash": seal[1]} if seal else None,
    }


def _latest_seal(cursor) -> tuple[int, str] | None:
    """The latest seal of the audit trail; None also in a database restored from a backup
    made before the seals, until it is migrated."""
    table = AuditSeal._meta.db_table
    # No parameters: the cursor is Django's or sqlite3's own, which mark them differently.
    if connection.vendor == "postgresql":
        cursor.execute(f"SELECT to_regclass('{table}') IS NOT NULL")  # nosec B608 - a model's own table name
    else:
        cursor.execute(f"SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '{table}'")  # noqa: S608  # nosec B608
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(f'SELECT sequence, hash FROM "{table}" ORDER BY sequence DESC LIMIT 1')  # noqa: S608  # nosec B608 - a model's own table name
    return cursor.fetchone()


def backup_create(*, directory: Path) -> tuple[Path, dict]:
    """Write one timestamped archive into ``directory`` (made 0700, the archive 0600);
    return its path and manifest. Nothing is left behind when a step fails."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor})
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    created_at = datetime.now(UTC).replace(microsecond=0)
    archive = directory / f"liaison-backup-{created_at:%Y%m%dT%H%M%SZ}.tar.gz"
    if archive.exists():
        raise BackupError(_("%(archive)s already exists; wait a second and try again.") % {"archive": archive})
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".staging-") as staging:
        dump = Path(staging) / DUMP_NAMES[vendor]
        try:
            summary = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        except (sqlite3.DatabaseError, DatabaseError) as error:
            raise BackupError(
                _("The database cannot be read (%(error)s): is it migrated?") % {"error": error}
            ) from error
        # The media are copied after the database: the app never deletes a file, so every
        # file the dump refers to is in the archive.
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        files = {dump.name: dump, **{_media_name(path, root): path for path in _media_files()}}
        try:
            members = {name: _sha256(path) for name, path in files.items()}
        except FileNotFoundError as error:
            raise BackupError(
                _("%(file)s went away while it was backed up: run the backup again.") % {"file": error.filename}
            ) from error
        manifest = {
            "format": FORMAT,
            "app_version": _app_version(),
            "created_at": created_at.isoformat(),
            "database": vendor,
            "dump": {"name": dump.name, "sha256": members[dump.name], "bytes": dump.stat().st_size},
            "private_media": {
                "files": len(files) - 1,
                "bytes": sum(path.stat().st_size for name, path in files.items() if name != dump.name),
            },
            "members": members,
            **summary,
        }
        try:
            _write_archive(partial, manifest, files)
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive, manifest


def backup_restore(*, archive: Path, force: bool = False) -> tuple[dict, int]:
    """Restore an archive into the configured database and PRIVATE_MEDIA_ROOT; return its
    manifest and the number of files restored. A database with tables, or a media folder
    with files, is refused unless ``force``: then the database is replaced (all its
    tables dropped first) and the archive's files are written over the folder.

    The archive is unpacked into a staging folder and proven first (every member against
    its SHA-256, the encrypted values against FIELD_ENCRYPTION_KEYS); any failure until
    the database is replaced leaves the target as it was."""
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="liaison-restore-") as staging_folder:
        staging = Path(staging_folder)
        try:
            manifest = _unpack_checked(archive, staging, force=force)
            dump = staging / DUMP_NAMES[vendor]
            if vendor == "postgresql":
                script = _restore_script(dump)
                _check_keys(_ciphertexts_in_script(script))
                _restore_postgresql(script, replace=force)
            else:
                _check_keys(_ciphertexts_in_sqlite(dump))
                _restore_sqlite(dump)
        except BackupError as error:
            raise BackupError(f"{error} {UNTOUCHED}") from error
        files = _restore_media(staging / MEDIA_NAME)
    if vendor == "postgresql" and settings.DATABASE_APP_ROLE:
        # The restoring role owns the restored tables: the app's role needs its grants again.
        try:
            app_role_grant(connection, settings.DATABASE_APP_ROLE)
        except (ImproperlyConfigured, DatabaseError) as error:
            raise BackupError(
                _("The backup was restored, but the app's role has no grants on it: %(error)s") % {"error": error}
            ) from error
    return manifest, files


def unreadable_encrypted_fields() -> tuple[int, list[str]]:
    """How many encrypted values were read, and the fields with a value that the current
    FIELD_ENCRYPTION_KEYS cannot decrypt (a restore with other keys gives back ciphertext)."""
    read, unreadable = 0, []
    for model, names in encrypted_fields():
        for name in names:
            try:
                values = model._base_manager.values_list(name, flat=True).iterator(chunk_size=2000)
                read += sum(1 for value in values if value)
            except ImproperlyConfigured:
                unreadable.append(f"{model._meta.label}.{name}")
    return read, unreadable


def _unpack_checked(archive: Path, staging: Path, *, force: bool) -> dict:
    """Read the manifest, refuse a target that is not empty (unless ``force``), then
    unpack every member into ``staging`` and check it against the manifest, reading the
    archive to its very end: a damaged or cut-off archive is found here."""
    with _open_archive(archive) as tar:
        manifest = _read_manifest(tar)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                _("This is a %(backup)s backup, and DATABASE_URL points at %(target)s.")
                % {"backup": manifest["database"], "target": connection.vendor}
            )
        if not force:
            _refuse_if_not_empty()
        try:
            found = _unpack(tar, staging)
            while tar.fileobj.read(1024 * 1024):
                pass
        except UNREADABLE as error:
            raise BackupError(
                _("%(archive)s cannot be read to its end (%(error)s): the archive is damaged or incomplete.")
                % {"archive": archive, "error": error}
            ) from error
    expected = manifest.get("members") or {manifest["dump"]["name"]: manifest["dump"]["sha256"]}
    complete = "members" in manifest
    for name, digest in found.items():
        if (complete or name in expected) and expected.get(name) != digest:
            raise BackupError(
                _("%(name)s in %(archive)s does not match its SHA-256 in the manifest: the archive is damaged.")
                % {"name": name, "archive": archive}
            )
    if missing := sorted(set(expected) - set(found)):
        raise BackupError(
            _("%(archive)s lacks %(names)s, listed in its manifest: the archive is incomplete.")
            % {"archive": archive, "names": ", ".join(missing[:3])}
        )
    return manifest


def _unpack(tar: tarfile.TarFile, staging: Path) -> dict[str, str]:
    """Every file of the archive into ``staging`` (readable by its owner only); the
    SHA-256 of each by its name in the archive."""
    found = {}
    for member in tar:
        if member.name == MANIFEST_NAME or member.isdir():
            continue
        if not member.isfile():
            raise BackupError(
                _("The archive holds %(name)s, which is not a file: manage.py backup did not make it.")
                % {"name": member.name}
            )
        safe = tarfile.data_filter(member, str(staging))
        target = staging / safe.name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        digest = hashlib.sha256()
        source = tar.extractfile(member)
        with source, os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as copy:
            while chunk := source.read(1024 * 1024):
                digest.update(chunk)
                copy.write(chunk)
        found[member.name] = digest.hexdigest()
    return found


def _encrypted_columns() -> dict[str, dict[str, str]]:
    """The encrypted columns of each table, with the field's name for messages."""
    columns: dict[str, dict[str, str]] = {}
    for model, names in encrypted_fields():
        for name in names:
            column = model._meta.get_field(name).column
            columns.setdefault(model._meta.db_table, {})[column] = f"{model._meta.label}.{name}"
    return columns


def _check_keys(ciphertexts: Iterable[tuple[str, str]]) -> None:
    """Decrypt every encrypted value of the dump before anything is restored: with other
    FIELD_ENCRYPTION_KEYS the restored case records could not be read."""
    unreadable: set[str] = set()
    for label, stored in ciphertexts:
        if label in unreadable:
            continue
        try:
            decrypt(stored)
        except ImproperlyConfigured:
            unreadable.add(label)
    if unreadable:
        names = sorted(unreadable)
        fields = ", ".join(names[:3])
        if len(names) > 3:
            fields = _("%(fields)s and %(count)s more fields") % {"fields": fields, "count": len(names) - 3}
        raise BackupError(
            _(
                "FIELD_ENCRYPTION_KEYS cannot read %(fields)s in this backup: "
                "set the keys that were in use when it was made."
            )
            % {"fields": fields}
        )


def _ciphertexts_in_sqlite(dump: Path) -> Iterator[tuple[str, str]]:
    with closing(sqlite3.connect(dump.resolve().as_uri() + "?mode=ro", uri=True)) as database:
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in _encrypted_columns().items():
            if table not in tables:
                continue
            present = {row[1] for row in database.execute(f'PRAGMA table_info("{table}")')}
            for column, label in columns.items():
                if column in present:
                    query = f'SELECT "{column}" FROM "{table}" WHERE substr("{column}", 1, ?) = ?'  # noqa: S608  # nosec B608 - our own table and column names
                    for (value,) in database.execute(query, [len(PREFIX), PREFIX]):
                        yield label, value


# The start of one table's data in pg_restore's SQL: COPY public.name (a, "b", c) FROM stdin;
_COPY = re.compile(r"^COPY (?P<table>\S+) \((?P<columns>.*)\) FROM stdin;$")


def _ciphertexts_in_script(script: Path) -> Iterator[tuple[str, str]]:
    """The encrypted values in the COPY blocks of pg_restore's SQL (text format: one row
    a line, columns separated by tabs; ciphertext holds neither tabs nor backslashes)."""
    encrypted = _encrypted_columns()
    wanted: dict[int, str] | None = None
    with script.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if wanted is None:
                if match := _COPY.match(line):
                    table = match["table"].rsplit(".", 1)[-1].strip('"')
                    columns = [name.strip('"') for name in match["columns"].split(", ")]
                    labels = encrypted.get(table, {})
                    wanted = {index: labels[name] for index, name in enumerate(columns) if name in labels}
            elif line == "\\.":
                wanted = None
            elif wanted:
                values = line.split("\t")
                for index, label in wanted.items():
                    if values[index].startswith(PREFIX):
                        yield label, values[index]


def _dump_postgresql(dump: Path) -> dict:
    """pg_dump reads the snapshot that the counts are taken from, so the manifest
    describes exactly what is in the dump while the app goes on writing."""
    pg_dump = _client_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        summary = database_summary(cursor)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"])
    return summary


def _dump_sqlite(dump: Path) -> dict:
    source_path = Path(connection.settings_dict["NAME"])
    if not source_path.is_file():
        raise BackupError(_("There is no SQLite database at %(path)s.") % {"path": source_path})
    source = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
    copy = sqlite3.connect(dump)
    with closing(source), closing(copy):
        source.backup(copy)
        return database_summary(copy.cursor())


def _restore_script(dump: Path) -> Path:
    """pg_restore's SQL for the whole dump (schema, data, triggers), written next to it."""
    script = dump.with_suffix(".sql")
    pg_restore = _client_tool("pg_restore")
    _run([pg_restore, "--no-owner", "--no-privileges", "--clean", "--if-exists", f"--file={script}", str(dump)])
    return script


def _restore_postgresql(script: Path, *, replace: bool) -> None:
    """Run the SQL in one transaction, after dropping every table of the target when
    replacing (also those the backup does not know, a newer schema), so that the result
    is the backup and nothing else; any error rolls all of it back."""
    psql = _client_tool("psql")
    drops = script.with_name("replace.sql")
    tables = connection.introspection.table_names() if replace else []
    drops.write_text("".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE;\n" for table in tables))
    connection.close()
    _run(
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--file={drops}",
            f"--file={script}",
        ]
    )


def _restore_sqlite(dump: Path) -> None:
    """The backup API replaces the target's whole content in one transaction."""
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    with closing(source), closing(target):
        try:
            source.backup(target)
        except sqlite3.Error as error:
            raise BackupError(_("The SQLite database could not be written: %(error)s.") % {"error": error}) from error


def _refuse_if_not_empty() -> None:
    if tables := _target_tables():
        raise BackupError(
            _(
                "The target database already holds %(count)s tables. Restore into a new, empty database "
                "(createdb, without migrate), or force it (FORCE=1, --force) to replace everything in it."
            )
            % {"count": len(tables)}
        )
    if files := _media_files():
        raise BackupError(
            _(
                "%(folder)s already holds %(count)s files. Point PRIVATE_MEDIA_ROOT at an "
                "empty folder, or force it (FORCE=1, --force) to write the backup's files over it."
            )
            % {"folder": settings.PRIVATE_MEDIA_ROOT, "count": len(files)}
        )


def _target_tables() -> list[str]:
    """The target's tables, read without making an SQLite file that is not there."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not path.is_file():
            return []
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as database:
            query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            return [name for (name,) in database.execute(query)]
    return connection.introspection.table_names()


def _restore_media(staged: Path) -> int:
    """Copy the checked files into PRIVATE_MEDIA_ROOT, readable by the owner only, as the
    app's own uploads are."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    files = sorted(path for path in staged.rglob("*") if path.is_file()) if staged.is_dir() else []
    for source in files:
        target = root / source.relative_to(staged)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with (
            source.open("rb") as file,
            os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as copy,
        ):
            shutil.copyfileobj(file, copy)
        target.chmod(0o600)
    return len(files)


def _open_archive(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(_("There is no backup at %(archive)s.") % {"archive": archive})
    try:
        return tarfile.open(archive, "r:*")
    except UNREADABLE as error:
        raise BackupError(
            _("%(archive)s is not a readable archive: %(error)s") % {"archive": archive, "error": error}
        ) from error


def _read_manifest(tar: tarfile.TarFile) -> dict:
    """The manifest, which is the first member of every archive."""
    try:
        first = tar.next()
        if first is None or first.name != MANIFEST_NAME:
            raise KeyError(MANIFEST_NAME)
        manifest = json.load(tar.extractfile(first))
        if not {"database", "dump", "counts"} <= manifest.keys() or "sha256" not in manifest["dump"]:
            raise KeyError(MANIFEST_NAME)
    except (*UNREADABLE, KeyError, ValueError, TypeError) as error:
        raise BackupError(_("This is not a Liaison backup: it has no readable manifest.")) from error
    if manifest.get("format") not in READABLE_FORMATS:
        raise BackupError(
            _("This backup has format %(format)s; this version reads format %(readable)s.")
            % {"format": manifest.get("format"), "readable": FORMAT}
        )
    return manifest


def _write_archive(path: Path, manifest: dict, files: dict[str, Path]) -> None:
    """The manifest first (so that it is read without unpacking the rest), then each file
    under its name, checked against the SHA-256 the manifest gives it."""
    body = json.dumps(manifest, indent=2).encode()
    info = tarfile.TarInfo(MANIFEST_NAME)
    info.size, info.mode, info.mtime = len(body), 0o600, int(datetime.now(UTC).timestamp())
    file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
    with file, tarfile.open(fileobj=file, mode="w:gz") as tar:
        tar.addfile(info, io.BytesIO(body))
        for name, source in files.items():
            try:
                member = _private(tar.gettarinfo(source, arcname=name))
                with source.open("rb") as content:
                    reader = _HashingReader(content)
                    tar.addfile(member, reader)
            except OSError as error:
                raise BackupError(
                    _("%(file)s could not be read (%(error)s): run the backup again.")
                    % {"file": source, "error": error}
                ) from error
            if reader.digest.hexdigest() != manifest["members"][name]:
                raise BackupError(
                    _("%(file)s changed while it was backed up: run the backup again.") % {"file": source}
                )


class _HashingReader:
    """A file that hashes what is read from it."""

    def __init__(self, file) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.file.read(size)
        self.digest.update(chunk)
        return chunk


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Owned by nobody in particular, readable by the owner only."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _media_name(path: Path, root: Path) -> str:
    return f"{MEDIA_NAME}/{path.relative_to(root).as_posix()}"


def _media_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _app_version() -> str:
    git = shutil.which("git")
    if git is not None:
        described = subprocess.run(  # noqa: S603  # nosec B603 - a fixed command
            [git, "describe", "--tags", "--always", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if described.returncode == 0:
            return described.stdout.strip()
    return "unknown"


def _client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(program)s is not installed: install PostgreSQL's client tools (Debian: postgresql-client) "
                "of the server's major version or newer."
            )
            % {"program": name}
        )
    return path


def _libpq_environment() -> dict[str, str]:
    """DATABASE_URL as libpq's environment variables, so that no password is on a command
    line; Django's own dbshell client supplies the password, SSL and service options."""
    database = connection.settings_dict
    _arguments, client_env = DatabaseClient.settings_to_cmd_args_env(database, [])
    named = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGDATABASE": database.get("NAME"),
    }
    return {**os.environ, **(client_env or {}), **{key: str(value) for key, value in named.items() if value}}


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_libpq_environment(), capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if "ERROR" in line or "error" in line), lines[0] if lines else "")
        raise BackupError(_("%(program)s failed: %(reason)s") % {"program": Path(command[0]).name, "reason": reason})
