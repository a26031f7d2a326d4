"""Backup and restore: a database with families, children, safety plan versions and
audit events, backed up and restored into a fresh database, gives back every record
with the same ids and hashes, its private photos, and an intact audit chain. On
PostgreSQL the restored audit table still refuses UPDATE.

The databases are files and throw-away PostgreSQL databases of their own, driven through
manage.py in subprocesses, as an operator would."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request, tmp_path):
    """A source and a fresh, empty target database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'target.sqlite3'}"
        return
    if reason := _postgres_unavailable():
        pytest.skip(reason)
    names = [f"liaison_backup_test_{uuid.uuid4().hex[:10]}_{role}" for role in ("source", "target")]
    for name in names:
        _admin(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(f"{POSTGRES_SERVER}/{name}" for name in names)
    finally:
        for name in names:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args: str, database_url: str, media: Path, fast_hasher: bool = False) -> subprocess.CompletedProcess:
    # tests.settings hashes the demo passwords fast but keeps photos in a folder of its
    # own; backup and restore need the real settings, where PRIVATE_MEDIA_ROOT is read.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings" if fast_hasher else "liaison.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(media),
    }
    env.pop("BACKUP_DIR", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def _rows(database_url: str, table: str) -> list[tuple]:
    query = f"SELECT * FROM {table} ORDER BY id"  # noqa: S608 (a fixed table name)
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as database:
            return database.execute(query).fetchall()
    with psycopg.connect(database_url) as database:
        return database.execute(query).fetchall()


def test_a_backup_restored_into_a_fresh_database_gives_back_every_record(database_urls, tmp_path):
    source, target = database_urls
    source_media, target_media = tmp_path / "media", tmp_path / "restored-media"
    (source_media / PHOTO).parent.mkdir(parents=True)
    (source_media / PHOTO).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = _manage(*command, database_url=source, media=source_media, fast_hasher=True)
        assert done.returncode == 0, done.stderr

    backup = _manage("backup", "--dir", str(tmp_path / "backups"), database_url=source, media=source_media)
    assert backup.returncode == 0, backup.stderr
    [archive] = (tmp_path / "backups").glob("liaison-backup-*.tar.gz")
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert archive.stat().st_mode & 0o777 == 0o600

    restore = _manage("restore", str(archive), database_url=target, media=target_media)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "MISMATCH" not in restore.stdout
    assert "Restore complete and checked." in restore.stdout
    for table in COMPARED_TABLES:
        rows = _rows(source, table)
        assert rows, f"the demo data has no rows in {table}"
        assert _rows(target, table) == rows, table
    assert (target_media / PHOTO).read_bytes() == (source_media / PHOTO).read_bytes()
    assert (target_media / PHOTO).stat().st_mode & 0o777 == 0o600
    verify = _manage("verify_audit", database_url=target, media=target_media)
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
