"""hardening: athlete names unique ignoring case, sync folders bound to athletes, raw file sizes

- ``athletes.name_key`` (unique): the name NFKC-normalised, case-folded, spacing collapsed. Names
  that differed only in case were allowed before: of each such group the oldest athlete (lowest
  id) keeps the name; each later one, in id order, becomes ``"<name> (n)"`` with the smallest
  n ≥ 2 whose key nobody holds. The outcome depends only on ids and names, never on the backend
  or the order rows come back in.
- ``sync_bindings``: a configured sync folder's athlete, resolved once (issue 14, finding 1).
  Seeded from the folders already synced: a path that exactly one athlete has synced stays that
  athlete's, under the name they had before this migration.
- ``activities.raw_bytes``: the stored size of the raw file (filled in by the store on first use).

Revision ID: 0005
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_CHARS = 200
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """``ingest.store.athletes.name_key`` as of this revision (frozen here on purpose)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _SPACES.sub(" ", folded).strip()[:NAME_CHARS]


def unique_names(rows: Sequence[tuple[int, str]]) -> dict[int, tuple[str, str]]:
    """id → (name, key), every key unique: the lowest id of each key keeps its name; the others,
    in id order, get the smallest free ``" (n)"`` suffix."""
    keepers: dict[str, int] = {}
    for athlete_id, name in sorted(rows):
        keepers.setdefault(name_key(name), athlete_id)
    taken = set(keepers)
    out: dict[int, tuple[str, str]] = {}
    for athlete_id, name in sorted(rows):
        candidate, n = name, 2
        if keepers[name_key(name)] != athlete_id:
            while name_key(candidate) in taken:
                suffix = f" ({n})"
                candidate = name[: NAME_CHARS - len(suffix)] + suffix
                n += 1
            taken.add(name_key(candidate))
        out[athlete_id] = (candidate, name_key(candidate))
    return out


# No SQLite table is rebuilt here (no batch "move and copy"): dropping the old ``athletes`` table
# inside the migration's transaction, with foreign keys on, would cascade-delete every athlete's
# activities, folders and logs. Columns are added in place, the unique key is a unique index.


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column(
        "athletes",
        sa.Column("name_key", sa.String(length=200), nullable=False, server_default=""),
    )
    athletes = sa.table(
        "athletes", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )  # fmt: skip
    rows = [(int(i), str(n)) for i, n in conn.execute(sa.select(athletes.c.id, athletes.c.name))]
    old_names = dict(rows)
    for athlete_id, (name, key) in unique_names(rows).items():
        conn.execute(
            sa.update(athletes).where(athletes.c.id == athlete_id).values(name=name, name_key=key)
        )
    op.create_index("uq_athletes_name_key", "athletes", ["name_key"], unique=True)

    bindings = op.create_table(
        "sync_bindings",
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("configured_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("bound_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_sync_bindings_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_sync_bindings")),
    )
    folders = sa.table("sync_folders", sa.column("athlete_id", sa.Integer), sa.column("path"))
    owners: dict[str, set[int]] = {}
    for athlete_id, path in conn.execute(sa.select(folders.c.athlete_id, folders.c.path)):
        owners.setdefault(str(path), set()).add(int(athlete_id))
    now = datetime.now(UTC).replace(tzinfo=None)
    seeds = [
        {"path": path, "athlete_id": owner, "configured_name": old_names[owner],
         "name_key": name_key(old_names[owner]), "bound_at": now}
        for path, ids in sorted(owners.items()) if len(ids) == 1
        for owner in ids if owner in old_names
    ]  # fmt: skip
    if seeds:
        op.bulk_insert(bindings, seeds)

    op.add_column("activities", sa.Column("raw_bytes", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), for the same reason: no table rebuilt.
    op.drop_column("activities", "raw_bytes")
    op.drop_table("sync_bindings")
    op.drop_index("uq_athletes_name_key", table_name="athletes")
    op.drop_column("athletes", "name_key")
