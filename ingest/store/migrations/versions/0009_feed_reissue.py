"""athletes.calendar_url_reissued_at: every feed URL reissued once, the bare-MAC form retired

Until now ``/v1/calendar/<64 hex>.ics`` (the feed URL before the athlete id was embedded) was
still accepted, by computing every athlete's HMAC per request, without login (issue 14, finding
9). That form is no longer accepted. The database does not record which form a calendar app
subscribed to, and a bare MAC also gives the new ``<id>.<mac>`` URL away (athlete ids are small
numbers), so every athlete existing now is on the old form: each gets a new feed nonce (a new
URL; the old one, in either form, answers 404) and ``calendar_url_reissued_at`` = now, which
``GET /v1/me`` returns so the dashboard can say the calendar must be subscribed again. Athletes
created later have null.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "athletes",
        sa.Column("calendar_url_reissued_at", sa.DateTime(timezone=True), nullable=True),
    )
    athletes = sa.table(
        "athletes",
        sa.column("id", sa.Integer),
        sa.column("feed_nonce", sa.String),
        sa.column("calendar_url_reissued_at", sa.DateTime(timezone=True)),
    )
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)  # stored naive UTC, like every timestamp
    for (athlete_id,) in conn.execute(sa.select(athletes.c.id)).all():
        conn.execute(
            athletes.update()
            .where(athletes.c.id == athlete_id)
            .values(feed_nonce=secrets.token_urlsafe(16), calendar_url_reissued_at=now)
        )


def downgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.drop_column("calendar_url_reissued_at")
