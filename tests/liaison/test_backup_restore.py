"""Backup and restore: a database with families, children, safety plan versions and
audit events, backed up and restored into a fresh database, gives back every record
with the same ids and hashes, its private photos, and an intact audit chain. On
PostgreSQL the restored audit table still refuses UPDATE. An archive that is damaged,
cut off, or encrypted with other keys than the configured ones is refused before the
target is touched, with one clear line and a non-zero exit.

The databases are files and throw-away PostgreSQL databases of their own, driven through
manage.py in subprocesses, as an operator would."""

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
COMPARED_TABLES = ["families_family", "families_child", "safety_plans_planversion", "audit_auditevent"]
PHOTO = "missing/2026/photo.jpg"


def _postgres_unavailable() -> str | None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return "pg_dump or pg_restore is not installed"
    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3) as server:
            server_major = server.info.server_version // 10000
    except psycopg.OperationalError as error:
        return f"no PostgreSQL server at {POSTGRES_SERVER}: {error}"
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True).stdout
    if int(re.search(r"(\d+)", client).group(1)) < server_major:
        return f"pg_dump ({client.strip()}) is older than the server ({server_major})"
    return None


def _admin(sql: str) -> None:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        server.execute(sql)


@dataclass(frozen=True)
class Backup:
    """A seeded source database, its private media and one archive of both."""

    kind: str
    source: str
    media: Path
    archive: Path
    folder: Path


def _new_database(kind: str, folder: Path, name: str, template: str | None = None) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    database = f"liaison_backup_test_{uuid.uuid4().hex[:10]}_{name}"
    _admin(f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{template.rsplit("/", 1)[-1]}"' if template else ""))
    return f"{POSTGRES_SERVER}/{database}"


def _drop_database(url: str) -> None:
    if url.startswith("postgres"):
        _admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[-1]}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backup(request, tmp_path_factory):
    """One seeded source and its archive, shared by the tests of one kind of database."""
    if request.param == "postgresql" and (reason := _postgres_unavailable()):
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp(request.param)
    source = _new_database(request.param, folder, "source")
    media = folder / "media"
    (media / PHOTO).parent.mkdir(parents=True)
    (media / PHOTO).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    try:
        for command in (["migrate", "--noinput"], ["seed_demo"]):
            done = _manage(*command, database_url=source, media=media, fast_hasher=True)
            assert done.returncode == 0, done.stderr
        made = _manage("backup", "--dir", str(folder / "backups"), database_url=source, media=media)
        assert made.returncode == 0, made.stderr
        [archive] = (folder / "backups").glob("liaison-backup-*.tar.gz")
        yield Backup(request.param, source, media, archive, folder)
    finally:
        _drop_database(source)


@pytest.fixture
def target(backup, tmp_path):
    """A fresh, empty target database (and no media folder yet)."""
    url = _new_database(backup.kind, tmp_path, "target")
    yield url
    _drop_database(url)


def _manage(
    *args: str, database_url: str, media: Path, fast_hasher: bool = False, **env: str
) -> subprocess.CompletedProcess:
    # tests.settings hashes the demo passwords fast but keeps photos in a folder of its
    # own; backup and restore need the real settings, where PRIVATE_MEDIA_ROOT is read.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings" if fast_hasher else "liaison.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(media),
        **env,
    }
    env.pop("BACKUP_DIR", None)
    # Our commands write in LANGUAGE_CODE (Dutch) unless told another: these tests read English.
    language = [] if args[0] == "migrate" else ["--language", "en"]
    return subprocess.run(
        [sys.executable, "manage.py", *args, *language], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _rows(database_url: str, table: str) -> list[tuple]:
    query = f"SELECT * FROM {table} ORDER BY id"  # noqa: S608 (a fixed table name)
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as database:
            return database.execute(query).fetchall()
    with psycopg.connect(database_url) as database:
        return database.execute(query).fetchall()


def _cut_audit_trail(database_url: str, keep: int) -> None:
    """What an insider with the owner's rights could do: cut the trail short."""
    statement = "DELETE FROM audit_auditevent WHERE id NOT IN (SELECT id FROM audit_auditevent ORDER BY id LIMIT %s)"
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as database, database:
            database.execute(statement.replace("%s", "?"), [keep])
        return
    with psycopg.connect(database_url) as database:
        database.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        database.execute(statement, [keep])
        database.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_a_backup_restored_into_a_fresh_database_gives_back_every_record(backup, target, tmp_path):
    source, archive = backup.source, backup.archive
    target_media = tmp_path / "restored-media"
    assert archive.parent.stat().st_mode & 0o777 == 0o700
    assert archive.stat().st_mode & 0o777 == 0o600

    restore = _manage("restore", str(archive), database_url=target, media=target_media)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "MISMATCH" not in restore.stdout
    assert "Restore complete and checked." in restore.stdout
    for table in COMPARED_TABLES:
        rows = _rows(source, table)
        assert rows, f"the demo data has no rows in {table}"
        assert _rows(target, table) == rows, table
    assert (target_media / PHOTO).read_bytes() == (backup.media / PHOTO).read_bytes()
    assert (target_media / PHOTO).stat().st_mode & 0o777 == 0o600
    verify = _manage("verify_audit", "--backup", str(archive), database_url=target, media=target_media)
    assert verify.returncode == 0, verify.stderr

    again = _manage("restore", str(archive), database_url=target, media=target_media)
    assert again.returncode != 0
    assert "already holds" in again.stderr
    forced = _manage("restore", "--force", str(archive), database_url=target, media=target_media)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert _rows(target, "audit_auditevent") == _rows(source, "audit_auditevent")

    if target.startswith("postgres"):
        with psycopg.connect(target) as database, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            database.execute("UPDATE audit_auditevent SET actor_email = 'someone else'")

    # The trail cut short after the backup: its hash chain is whole, the manifest says otherwise.
    _cut_audit_trail(target, keep=5)
    cut = _manage("verify_audit", "--backup", str(archive.parent), database_url=target, media=target_media)
    assert cut.returncode != 0
    assert "Traceback" not in cut.stderr
    head = _rows(source, "audit_auditevent")[-1][0]
    assert f" {head}" in cut.stderr.splitlines()[-1]


def _damaged(archive: Path, damage: str, folder: Path) -> Path:
    copy = folder / archive.name
    data = archive.read_bytes()
    if damage == "cut in the middle":
        copy.write_bytes(data[: len(data) // 2])
    elif damage == "cut at the end":
        copy.write_bytes(data[:-4])  # the gzip trailer's length field
    elif damage == "a file changed":
        with tarfile.open(archive) as source, io.BytesIO() as body:
            with tarfile.open(fileobj=body, mode="w") as changed:
                for member in source:
                    content = source.extractfile(member).read() if member.isfile() else None
                    if member.name.endswith(PHOTO):
                        content = b"another photo altogether"
                        member.size = len(content)
                    changed.addfile(member, io.BytesIO(content) if content is not None else None)
            copy.write_bytes(gzip.compress(body.getvalue()))
    else:
        shutil.copy(archive, copy)
    return copy


def _state(database_url: str, media: Path) -> tuple:
    """Everything in the target: its database (the SQLite file byte for byte, or every
    table and row of the PostgreSQL database) and its media files."""
    files = (
        {path.relative_to(media).as_posix(): path.read_bytes() for path in media.rglob("*") if path.is_file()}
        if media.exists()
        else None
    )
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return (hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None), files
    with psycopg.connect(database_url) as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        rows = {table: sorted(map(repr, database.execute(f'SELECT * FROM "{table}"'))) for table in tables}  # noqa: S608
        triggers = database.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname").fetchall()
    return rows, triggers, files


def _in_use(backup: Backup, folder: Path) -> tuple[str, Path]:
    """A target that holds data of its own: a copy of the source with a table and a file
    more, which a forced restore of the archive would remove."""
    if backup.kind == "sqlite":
        url = f"sqlite:///{folder / 'in-use.sqlite3'}"
        shutil.copy(backup.source.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as database, database:
            database.execute("CREATE TABLE keep_me (note text)")
            database.execute("INSERT INTO keep_me VALUES ('still here')")
    else:
        url = _new_database("postgresql", folder, "in_use", template=backup.source)
        with psycopg.connect(url) as database:
            database.execute("CREATE TABLE keep_me (note text)")
            database.execute("INSERT INTO keep_me VALUES ('still here')")
    media = folder / "in-use-media"
    media.mkdir()
    (media / "keep.txt").write_text("still here")
    return url, media


@pytest.mark.parametrize("force", [False, True], ids=["empty target", "--force over a target in use"])
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("other keys", "FIELD_ENCRYPTION_KEYS cannot read"),
        ("cut in the middle", "cannot be read to its end"),
        ("cut at the end", "cannot be read to its end"),
        ("a file changed", "does not match its SHA-256 in the manifest"),
    ],
)
def test_a_restore_that_would_fail_leaves_the_target_as_it_was(backup, target, tmp_path, damage, message, force):
    if force:
        target, media = _in_use(backup, tmp_path)
    else:
        media = tmp_path / "empty-media"
    archive = _damaged(backup.archive, damage, tmp_path)
    keys = Fernet.generate_key().decode() if damage == "other keys" else os.environ.get("FIELD_ENCRYPTION_KEYS", "")
    before = _state(target, media)
    try:
        restore = _manage(
            "restore",
            *(["--force"] if force else []),
            str(archive),
            database_url=target,
            media=media,
            **({"FIELD_ENCRYPTION_KEYS": keys} if keys else {}),
        )
        assert restore.returncode != 0
        lines = restore.stderr.strip().splitlines()
        assert len(lines) == 1, restore.stderr
        assert lines[0].startswith("CommandError: ")
        assert message in lines[0]
        assert lines[0].endswith("The target database and PRIVATE_MEDIA_ROOT were not changed.")
        assert _state(target, media) == before
    finally:
        if force:
            _drop_database(target)


def test_an_archive_of_format_1_is_still_restored(backup, target, tmp_path):
    """Archives made before the manifest listed every member: only the dump is checked."""
    archive = tmp_path / backup.archive.name
    with tarfile.open(backup.archive) as source, tarfile.open(archive, "w:gz") as older:
        for member in source:
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
                manifest["format"] = 1
                del manifest["members"]
                content = json.dumps(manifest).encode()
                member.size = len(content)
            older.addfile(member, io.BytesIO(content))
    media = tmp_path / "restored-media"
    restore = _manage("restore", str(archive), database_url=target, media=media)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "Restore complete and checked." in restore.stdout
    assert (media / PHOTO).read_bytes() == (backup.media / PHOTO).read_bytes()
