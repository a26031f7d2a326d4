"""Backups of the case records: one archive with a consistent copy of the database and
the private media (uploaded photos), and a manifest that a restore checks itself
against. An archive holds special-category data in the clear (except the encrypted
fields): keep it on encrypted storage only.

PostgreSQL is copied with ``pg_dump --format=custom`` (schema, data, and the trigger
that keeps the audit table append-only), SQLite with its online backup API."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.backends.postgresql.client import DatabaseClient

from families.models import Family
from liaison.audit.models import AuditEvent
from liaison.encryption import encrypted_fields
from safety_plans.models import PlanVersion

FORMAT = 1
MANIFEST_NAME = "manifest.json"
MEDIA_NAME = "private-media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
COUNTED = {"families": Family, "plan_versions": PlanVersion, "audit_events": AuditEvent}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def database_summary(cursor) -> dict:
    """The counts a restore must give back and the head of the audit chain, read through
    a plain DB-API cursor so that they can be taken from a copy as well."""
    counts = {}
    for key, model in COUNTED.items():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608  # nosec B608 - a model's own table name
        counts[key] = cursor.fetchone()[0]
    cursor.execute(f'SELECT id, hash FROM "{AuditEvent._meta.db_table}" ORDER BY id DESC LIMIT 1')  # noqa: S608  # nosec B608
    head = cursor.fetchone()
    return {"counts": counts, "audit_head": {"id": head[0], "hash": head[1]} if head else None}


def backup_create(*, directory: Path) -> tuple[Path, dict]:
    """Write one timestamped archive into ``directory`` (made 0700, the archive 0600);
    return its path and manifest. Nothing is left behind when a step fails."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    created_at = datetime.now(UTC).replace(microsecond=0)
    archive = directory / f"liaison-backup-{created_at:%Y%m%dT%H%M%SZ}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists; wait a second and try again.")
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".staging-") as staging:
        dump = Path(staging) / DUMP_NAMES[vendor]
        try:
            summary = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        except (sqlite3.DatabaseError, DatabaseError) as error:
            raise BackupError(f"The database cannot be read ({error}): is it migrated?") from error
        # The media are copied after the database: the app never deletes a file, so every
        # file the dump refers to is in the archive.
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "app_version": _app_version(),
            "created_at": created_at.isoformat(),
            "database": vendor,
            "dump": {"name": dump.name, "sha256": _sha256(dump), "bytes": dump.stat().st_size},
            "private_media": {"files": len(media), "bytes": sum(path.stat().st_size for path in media)},
            **summary,
        }
        try:
            _write_archive(partial, manifest, dump)
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive, manifest


def backup_restore(*, archive: Path, force: bool = False) -> tuple[dict, int]:
    """Restore an archive into the configured database and PRIVATE_MEDIA_ROOT; return its
    manifest and the number of files restored. A database with tables, or a media folder
    with files, is refused unless ``force``: then the database is replaced (all its
    tables dropped first) and the archive's files are written over the folder."""
    vendor = connection.vendor
    with _open_archive(archive) as tar:
        manifest = _read_manifest(tar)
        if manifest["database"] != vendor:
            raise BackupError(f"This is a {manifest['database']} backup, and DATABASE_URL points at {vendor}.")
        if not force:
            _refuse_if_not_empty()
        with tempfile.TemporaryDirectory(prefix="liaison-restore-") as staging:
            tar.extractall(staging, members=[tar.getmember(DUMP_NAMES[vendor])], filter="data")
            dump = Path(staging) / DUMP_NAMES[vendor]
            if _sha256(dump) != manifest["dump"]["sha256"]:
                raise BackupError(
                    "The database dump does not match its SHA-256 in the manifest: the archive is damaged."
                )
            if vendor == "postgresql":
                _restore_postgresql(dump, replace=force)
            else:
                _restore_sqlite(dump)
        connection.close()
        files = _restore_media(tar)
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
        raise BackupError(f"There is no SQLite database at {source_path}.")
    source = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
    copy = sqlite3.connect(dump)
    with closing(source), closing(copy):
        source.backup(copy)
        return database_summary(copy.cursor())


def _restore_postgresql(dump: Path, *, replace: bool) -> None:
    pg_restore = _client_tool("pg_restore")
    command = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if replace:
        # Drop every table, also those the backup does not know (a newer schema), so
        # that the result is the backup and nothing else; --clean drops the rest.
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
        command += ["--clean", "--if-exists"]
    connection.close()
    _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(dump)])


def _restore_sqlite(dump: Path) -> None:
    """The backup API replaces the target's whole content, page by page."""
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    with closing(source), closing(target):
        source.backup(target)


def _refuse_if_not_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The target database already holds {len(tables)} tables. Restore into a new, empty database "
            "(createdb, without migrate), or force it (FORCE=1, --force) to replace everything in it."
        )
    if files := _media_files():
        raise BackupError(
            f"{settings.PRIVATE_MEDIA_ROOT} already holds {len(files)} files. Point PRIVATE_MEDIA_ROOT at an "
            "empty folder, or force it (FORCE=1, --force) to write the backup's files over it."
        )


def _restore_media(tar: tarfile.TarFile) -> int:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    prefix = MEDIA_NAME + "/"
    members = [
        member.replace(name=member.name.removeprefix(prefix), deep=False)
        for member in tar.getmembers()
        if member.name.startswith(prefix) and (member.isfile() or member.isdir())
    ]
    tar.extractall(root, members=members, filter=_private_data)  # noqa: S202  # nosec B202 - members filtered above, data filter below
    return sum(member.isfile() for member in members)


def _private_data(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    """Python's "data" filter (no absolute names, no "..", no links out of the folder),
    then readable by the owner only, as the app's own uploads are."""
    member = tarfile.data_filter(member, path)
    return member.replace(mode=0o700 if member.isdir() else 0o600, deep=False)


def _open_archive(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(f"There is no backup at {archive}.")
    try:
        return tarfile.open(archive, "r:*")
    except tarfile.TarError as error:
        raise BackupError(f"{archive} is not a readable archive: {error}") from error


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST_NAME))
    except (KeyError, ValueError) as error:
        raise BackupError("This is not a Liaison backup: it has no readable manifest.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup has format {manifest.get('format')}; this version reads format {FORMAT}.")
    return manifest


def _write_archive(path: Path, manifest: dict, dump: Path) -> None:
    body = json.dumps(manifest, indent=2).encode()
    info = tarfile.TarInfo(MANIFEST_NAME)
    info.size, info.mode, info.mtime = len(body), 0o600, int(datetime.now(UTC).timestamp())
    file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
    with file, tarfile.open(fileobj=file, mode="w:gz") as tar:
        tar.addfile(info, io.BytesIO(body))
        tar.add(dump, arcname=dump.name, filter=_private)
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        if root.is_dir():
            tar.add(root, arcname=MEDIA_NAME, filter=_private)


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    """Files and folders only, owned by nobody in particular, readable by the owner only."""
    if not (info.isfile() or info.isdir()):
        return None
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o700 if info.isdir() else 0o600
    return info


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
            f"{name} is not installed: install PostgreSQL's client tools (Debian: postgresql-client) "
            "of the server's major version or newer."
        )
    return path


def _libpq_environment() -> dict[str, str]:
    """DATABASE_URL as libpq's environment variables, so that no password is on a command
    line; Django's own dbshell client supplies the password, SSL and service options."""
    database = connection.settings_dict
    _, client_env = DatabaseClient.settings_to_cmd_args_env(database, [])
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
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")
