"""athletes.equipment and athletes.units: what the athlete lifts with (null = the default set
barbell, dumbbells, box; [] = bodyweight only) and how loads are shown (metric or imperial)

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.add_column(sa.Column("equipment", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("units", sa.String(16), nullable=False, server_default="metric"))


def downgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.drop_column("units")
        batch.drop_column("equipment")
