"""athletes.profile_version and derived_version, activities.profile_version: which of the
athlete's figures (time zone, heart-rate figures, sex) each stored summary was computed with, so a
profile change can recompute what depends on it, and the API can say while it does

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.add_column(
            sa.Column("profile_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("derived_version", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("activities") as batch:
        batch.add_column(
            sa.Column("profile_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.create_index("ix_activities_athlete_profile", ["athlete_id", "profile_version"])


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_index("ix_activities_athlete_profile")
        batch.drop_column("profile_version")
    with op.batch_alter_table("athletes") as batch:
        batch.drop_column("derived_version")
        batch.drop_column("profile_version")
