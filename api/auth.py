"""Bearer tokens (SHA-256 hashed at rest, constant-time compares), the admin token, feed tokens."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ingest.store.private import private_dir

ADMIN_TOKEN_FILE = "admin_token"


def hash_token(token: str) -> str:
    """What the store keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


@dataclass(frozen=True)
class AdminToken:
    """The admin token's hash, and the token itself only when it was generated just now."""

    hash: str
    generated: str | None = None
    path: Path | None = None

    def accepts(self, token: str) -> bool:
        return same_hash(self.hash, hash_token(token))


def load_admin_token(configured: str | None, data_dir: Path) -> AdminToken:
    """LEGDAY_ADMIN_TOKEN if set; else the token saved in the data dir; else a new one, saved 0600.

    The caller prints a generated token once; it is never logged.
    """
    if configured:
        return AdminToken(hash_token(configured))
    path = data_dir / ADMIN_TOKEN_FILE
    try:
        return AdminToken(hash_token(path.read_text(encoding="utf-8").strip()), path=path)
    except FileNotFoundError:
        pass
    private_dir(data_dir)
    token = new_token()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its token
        return load_admin_token(None, data_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return AdminToken(hash_token(token), generated=token, path=path)


def feed_mac(secret: bytes, athlete_id: int, feed_nonce: str) -> str:
    """The secret part of a feed token: HMAC-SHA256 of the athlete id and their feed nonce."""
    mac = hmac.new(secret, f"{athlete_id}:{feed_nonce}".encode(), hashlib.sha256)
    return mac.hexdigest()


def feed_token(secret: bytes, athlete_id: int, feed_nonce: str) -> str:
    """The calendar feed token ``<athlete id>.<mac>``: derived, so it can be shown again without
    being stored; the id (not a secret) lets a request check one athlete's MAC, not every one.
    Tokens issued before were the bare MAC: still accepted (``api.routers.calendar``)."""
    return f"{athlete_id}.{feed_mac(secret, athlete_id, feed_nonce)}"


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


SECRET_FILE = "server_secret"


def load_server_secret(data_dir: Path) -> bytes:
    """The server's HMAC key for feed tokens: 32 random bytes in the data dir (0600), made once."""
    path = data_dir / SECRET_FILE
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except FileNotFoundError:
        pass
    private_dir(data_dir)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it (or it is short): read what is there
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(32))
    return path.read_bytes()
