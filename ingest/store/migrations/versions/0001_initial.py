"""athletes, activities, strength log, check-ins

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("week_start", sa.String(length=16), nullable=False),
        sa.Column("strategy", sa.String(length=16), nullable=False),
        sa.Column("strength_days", sa.JSON(), nullable=False),
        sa.Column("long_run_day", sa.String(length=16), nullable=True),
        sa.Column("hard_days", sa.JSON(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("hr_rest", sa.Float(), nullable=True),
        sa.Column("hr_max", sa.Float(), nullable=True),
        sa.Column("lifting_experience", sa.String(length=16), nullable=False),
        sa.Column("races", sa.JSON(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("token_revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feed_nonce", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_athletes")),
        sa.UniqueConstraint("name", name=op.f("uq_athletes_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_athletes_token_hash")),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("utc_offset_s", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("moving_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("ascent_m", sa.Float(), nullable=False),
        sa.Column("descent_m", sa.Float(), nullable=False),
        sa.Column("elevation_source", sa.String(length=16), nullable=False),
        sa.Column("ascent_recomputed_m", sa.Float(), nullable=False),
        sa.Column("descent_recomputed_m", sa.Float(), nullable=False),
        sa.Column("descent_by_grade", sa.JSON(), nullable=False),
        sa.Column("descent_load_m", sa.Float(), nullable=False),
        sa.Column("km_effort", sa.Float(), nullable=False),
        sa.Column("trimp", sa.Float(), nullable=True),
        sa.Column("avg_hr", sa.Float(), nullable=True),
        sa.Column("max_hr", sa.Float(), nullable=True),
        sa.Column("device", sa.String(length=200), nullable=True),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("parser_version", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_activities_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["activities.id"],
            name=op.f("fk_activities_duplicate_of_activities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("athlete_id", "sha256", name=op.f("uq_activities_athlete_id_sha256")),
    )
    op.create_index(
        "ix_activities_athlete_local_date", "activities", ["athlete_id", "local_date"], unique=False
    )
    op.create_index(
        "ix_activities_athlete_start", "activities", ["athlete_id", "start_utc"], unique=False
    )

    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("sleep_hours", sa.Float(), nullable=True),
        sa.Column("soreness", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_checkins_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index("ix_checkins_athlete_date", "checkins", ["athlete_id", "date"], unique=False)

    op.create_table(
        "strength_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("exercise", sa.String(length=100), nullable=False),
        sa.Column("sets", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_strength_log_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strength_log")),
    )
    op.create_index(
        "ix_strength_log_athlete_date", "strength_log", ["athlete_id", "date"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_strength_log_athlete_date", table_name="strength_log")

    op.drop_table("strength_log")
    op.drop_index("ix_checkins_athlete_date", table_name="checkins")

    op.drop_table("checkins")
    op.drop_index("ix_activities_athlete_start", table_name="activities")
    op.drop_index("ix_activities_athlete_local_date", table_name="activities")

    op.drop_table("activities")
    op.drop_table("athletes")
