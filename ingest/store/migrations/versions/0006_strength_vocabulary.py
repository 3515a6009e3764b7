"""The strength log keeps catalogue ids: custom and confirmed flags, the activity its sets came
from; one check-in per athlete and day

- strength_log.custom: rows whose exercise the vocabulary cannot resolve are kept under their own
  name, marked custom (shown, drive no rule); rows it resolves ("Back squat", "RDL") get the
  catalogue id, so the weeks an athlete logged in plain words count for D6 and S1 from now on.
- strength_log.confirmed: the athlete vouched for a set flagged as implausible.
- strength_log.activity_id: the strength activity (a watch's FIT) the sets were read from; deleting
  the activity deletes them (ON DELETE CASCADE).
- checkins: duplicates for one athlete and day are collapsed to the latest written (highest id),
  then a unique constraint keeps it that way.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("strength_log") as batch:
        batch.add_column(
            sa.Column("custom", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("activity_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_strength_log_activity_id_activities",
            "activities",
            ["activity_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_strength_log_activity_id", ["activity_id"])
    _resolve_logged_names()
    _one_checkin_per_day()
    with op.batch_alter_table("checkins") as batch:
        batch.create_unique_constraint("uq_checkins_athlete_id_date", ["athlete_id", "date"])


def _resolve_logged_names() -> None:
    """Every logged exercise name the vocabulary resolves becomes its catalogue id; the others are
    marked custom. (The vocabulary as it is when the migration runs: later ones only add names.)"""
    from recommender.catalogue import CATALOGUE
    from recommender.vocabulary import resolve

    bind = op.get_bind()
    log = sa.table(
        "strength_log",
        sa.column("exercise", sa.String),
        sa.column("custom", sa.Boolean),
    )
    names = [row[0] for row in bind.execute(sa.select(log.c.exercise).distinct())]
    for name in names:
        if name in CATALOGUE:
            continue
        found = resolve(name)
        values = {"exercise": found} if found else {"custom": True}
        bind.execute(sa.update(log).where(log.c.exercise == name).values(**values))


def _one_checkin_per_day() -> None:
    bind = op.get_bind()
    checkins = sa.table(
        "checkins", sa.column("id", sa.Integer), sa.column("athlete_id"), sa.column("date")
    )
    latest = sa.select(sa.func.max(checkins.c.id)).group_by(checkins.c.athlete_id, checkins.c.date)
    bind.execute(sa.delete(checkins).where(checkins.c.id.not_in(latest)))


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_constraint("uq_checkins_athlete_id_date", type_="unique")
    with op.batch_alter_table("strength_log") as batch:
        batch.drop_index("ix_strength_log_activity_id")
        batch.drop_constraint("fk_strength_log_activity_id_activities", type_="foreignkey")
        batch.drop_column("activity_id")
        batch.drop_column("confirmed")
        batch.drop_column("custom")
