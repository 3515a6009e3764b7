"""Text the store keeps, bounded at the edge: display strings clipped to their column, error
reasons with no SQL, parameters or traceback in them (issue 14, finding 2).

PostgreSQL enforces ``VARCHAR(n)`` and refuses NUL in text; SQLite refuses lone surrogates (what
``os.fsdecode`` makes of a file name that is not UTF-8). Anything from a file or a folder passes
through here before it reaches a column.
"""

from __future__ import annotations

import unicodedata

MAX_REASON = 1000  # sync_files.reason, sync_runs.error: what an athlete reads in GET /v1/sync


def display_text(value: str | None, limit: int) -> str | None:
    """``value`` without control characters or lone surrogates, at most ``limit`` characters
    (cut with "…"). None stays None."""
    if value is None:
        return None
    text = "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cs") else " " for ch in value
    ).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def storable(value: str) -> str:
    """``value`` as any text column can hold it: NUL and lone surrogates become U+FFFD."""
    if "\x00" not in value and value.isprintable():
        return value
    return "".join(
        "\ufffd" if ch == "\x00" or unicodedata.category(ch) == "Cs" else ch for ch in value
    )


def safe_error(error: BaseException) -> str:
    """A reason fit to store and show: the exception's type and the first line of its message,
    without the statement and parameters SQLAlchemy appends ("[SQL: INSERT …]")."""
    origin = getattr(error, "orig", None)
    message = str(origin if isinstance(origin, BaseException) else error)
    for marker in ("[SQL:", "[parameters:", "(Background on this error"):
        message = message.split(marker, 1)[0]
    first = message.strip().splitlines()[0].strip() if message.strip() else ""
    kind = type(origin).__name__ if isinstance(origin, BaseException) else type(error).__name__
    if isinstance(origin, BaseException) or type(error).__module__.startswith("sqlalchemy"):
        kind = f"database error, {kind}"
    reason = f"{kind}: {first}" if first else kind
    return display_text(reason, MAX_REASON) or kind
