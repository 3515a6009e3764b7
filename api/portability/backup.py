"""``legday backup OUT``: the whole install in a folder shaped like a data directory, so restoring
is copying it back (docs/backup.md).

- SQLite: ``legday.db`` is an online backup (``ingest.store.snapshot``): consistent while
  ``legday serve`` and ``legday sync`` keep writing; then every raw file the copy's activities
  refer to, through the store's blob API (``store.blobs.get`` → ``BlobStore.put``), so the copy's
  raw files are laid out as this legday keeps them, whatever that is.
- PostgreSQL: the database is backed up with ``pg_dump`` (``POSTGRESQL.md`` in the backup says
  how); this copies the raw files and the secrets, which live in the data directory.
- Always: the admin token and the calendar-feed secret (so feed URLs keep working), and
  ``BACKUP.json`` (when, which legday, schema revision, counts).

Written into a temporary folder beside ``OUT`` and renamed at the end: never half a backup. The
folder is 0700 and the database and secrets 0600: it holds heart rates and notes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from api.auth import ADMIN_TOKEN_FILE, SECRET_FILE
from ingest.store import Store
from ingest.store.blobs import BlobStore
from ingest.store.snapshot import snapshot_sqlite, sqlite_path

MANIFEST = "BACKUP.json"
PG_NOTE = "POSTGRESQL.md"
SECRETS = (ADMIN_TOKEN_FILE, SECRET_FILE)


class BackupError(RuntimeError):
    """The backup could not be made; nothing was left at its target."""


@dataclass
class BackupReport:
    out: Path
    database: str  # "sqlite" or the SQLAlchemy backend name
    raw_files: int = 0
    raw_bytes: int = 0
    missing: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def backup(
    store: Store,
    data_dir: Path,
    out: Path,
    *,
    legday_version: str,
    now: datetime | None = None,
) -> BackupReport:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} exists and is not an empty folder (legday never overwrites)")
    if not out.parent.is_dir():
        raise BackupError(f"no such folder: {out.parent}")
    tmp = Path(tempfile.mkdtemp(prefix=".legday-backup-", dir=out.parent))  # mode 0700
    try:
        report = _write(store, data_dir, tmp, legday_version, now or datetime.now(UTC))
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out = out
    return report


def _write(store: Store, data_dir: Path, tmp: Path, version: str, now: datetime) -> BackupReport:
    source = sqlite_path(store.url)
    if source is not None:
        report = BackupReport(tmp, "sqlite")
        hashes = snapshot_sqlite(source, tmp / "legday.db")
    else:
        report = BackupReport(tmp, store.engine.url.get_backend_name())
        hashes = store.raw_file_hashes()
        (tmp / PG_NOTE).write_text(_pg_note(store), encoding="utf-8")
    blobs = BlobStore(tmp / "blobs")
    for sha in hashes:
        try:
            content = store.blobs.get(sha)
        except FileNotFoundError:
            report.missing.append(sha)  # deleted since the snapshot, or lost before it
            continue
        blobs.put(content, sha)
        report.raw_files += 1
        report.raw_bytes += len(content)
    for name in SECRETS:
        secret = data_dir / name
        if secret.is_file():
            target = tmp / name
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secret.read_bytes())
            report.secrets.append(name)
    copy = Store(f"sqlite:///{tmp / 'legday.db'}", tmp) if source is not None else store
    try:  # the counts of what was copied: the snapshot's, not the live database's
        report.counts, revision = copy.counts(), copy.schema_revision()
    finally:
        if copy is not store:
            copy.dispose()
    manifest = {
        "legday": version,
        "created_at": now.isoformat(),
        "database": report.database,
        "schema_revision": revision,
        "counts": report.counts,
        "raw_files": report.raw_files,
        "raw_bytes": report.raw_bytes,
        "missing_raw_files": report.missing,
        "secrets": report.secrets,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return report


def _pg_note(store: Store) -> str:
    url = store.engine.url
    target = f"-h {url.host or 'localhost'} -p {url.port or 5432} -U {url.username or 'postgres'}"
    return f"""# The PostgreSQL database of this backup

legday's tables live in PostgreSQL ({url.database}); this folder holds the raw files and the
secrets. Dump the database next to it, before or right after `legday backup`:

    pg_dump {target} --format=custom --file legday.pgdump {url.database}

Restore (docs/backup.md): create an empty database, then

    pg_restore {target} --no-owner --dbname NEW_DATABASE legday.pgdump

copy `blobs/`, `admin_token` and `server_secret` into the new data directory, point
`LEGDAY_DATABASE_URL` at the new database and run `legday db upgrade`.
"""
