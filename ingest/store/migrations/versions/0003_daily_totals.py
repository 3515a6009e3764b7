"""daily_totals per athlete and local date (backfilled here), athletes.data_version

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ingest.store import daily_totals as aggregates

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.add_column(
            sa.Column("data_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "daily_totals",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("ascent_m", sa.Float(), nullable=False),
        sa.Column("descent_m", sa.Float(), nullable=False),
        sa.Column("descent_load_m", sa.Float(), nullable=False),
        sa.Column("km_effort", sa.Float(), nullable=False),
        sa.Column("load", sa.Float(), nullable=False),
        sa.Column("trimp_load", sa.Float(), nullable=False),
        sa.Column("longest_m", sa.Float(), nullable=False),
        sa.Column("max_descent_load_m", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_daily_totals_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "local_date", name=op.f("pk_daily_totals")),
    )
    for statement in aggregates.refresh():  # backfill: every athlete, every day
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("daily_totals")
    with op.batch_alter_table("athletes") as batch:
        batch.drop_column("data_version")
