"""Settings from ``LEGDAY_*`` environment variables (and flags, through the caller). Constructed by
whoever starts legday — the CLI, a test — and passed down; there is no global instance."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.data_dir import default_data_dir

MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEGDAY_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="raw files, SQLite, secrets (default: the platform's user data folder)",
    )
    database_url: str = Field(default="", description="empty: SQLite at <data_dir>/legday.db")
    admin_token: SecretStr | None = Field(default=None, description="creates athletes")
    token_ttl_days: float | None = Field(
        default=None, gt=0, description="days an athlete's token lasts (unset: no expiry)"
    )
    max_upload_bytes: int = Field(default=64 * MiB, gt=0)
    max_inflated_bytes: int = Field(default=256 * MiB, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    public_url: str = Field(
        default="",
        description="the address athletes open (https://legday.example.org behind a proxy); "
        "empty: http://HOST:PORT",
    )
    storage_quota_mb: float | None = Field(
        default=None, gt=0, description="raw-file storage per athlete, MiB (unset: no quota)"
    )
    plan_cache_size: int = Field(
        default=1024, ge=0, description="plans and weekly totals kept per worker (0: off)"
    )

    plan_cache_per_athlete: int = Field(
        default=32, ge=1, description="of those, the most one athlete's requests may hold"
    )
    plan_rate_per_minute: float = Field(
        default=120, gt=0, description="plans one athlete may have computed per minute (not cached)"
    )
    plan_rate_burst: int = Field(default=30, ge=1, description="plans computed back to back")
    upload_concurrency: int = Field(default=16, ge=1, description="uploads in flight, in total")
    upload_concurrency_per_athlete: int = Field(
        default=8, ge=1, description="uploads in flight for one athlete"
    )
    upload_memory_mb: float = Field(
        default=384, gt=0, description="upload bodies held at once, MiB (beyond it: 503)"
    )
    header_timeout_s: float = Field(
        default=10, gt=0, description="seconds a client has to send a request's headers"
    )
    body_idle_timeout_s: float = Field(
        default=20, gt=0, description="longest pause while a request body arrives, seconds"
    )
    body_min_rate_kib_s: float = Field(
        default=32, gt=0, description="slowest body rate, KiB/s, averaged over the window"
    )
    body_rate_window_s: float = Field(
        default=10, gt=0, description="seconds the body rate is averaged over (the first free)"
    )

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        """``~/legday`` works (systemd's Environment= does not expand it); relative paths are
        taken from where the command started, once, and printed absolute by ``legday info``."""
        return value.expanduser().absolute()

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir.resolve() / 'legday.db'}"
        return self

    def sign_in_url(self, token: str) -> str:
        """The dashboard's address with the token in its fragment (never sent to the server)."""
        base = self.public_url.rstrip("/")
        if not base:
            host = self.host if self.host not in ("0.0.0.0", "::", "") else "localhost"
            host = f"[{host}]" if ":" in host else host
            base = f"http://{host}:{self.port}"
        return f"{base}/#token={token}"

    @property
    def quota_bytes(self) -> int | None:
        return None if self.storage_quota_mb is None else int(self.storage_quota_mb * MiB)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
