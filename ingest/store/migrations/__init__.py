"""Alembic migrations for the legday database. ``alembic_config()`` runs them from an installed
package (no alembic.ini needed); ``ingest/alembic.ini`` is for running ``alembic`` by hand."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

HERE = Path(__file__).resolve().parent


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at these migrations; pass a connection in
    ``cfg.attributes["connection"]`` or a URL here."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg
