"""The calendar feed token is a secret in the request path: the access log shows it redacted."""

from __future__ import annotations

import logging
import re

FEED_PATH = re.compile(r"(/v1/calendar/)[^/?#\s\"]+?(\.ics)?(?![^/?#\s\"])")
REDACTED = r"\1<redacted>\2"
LOGGERS = ("uvicorn.access", "legday.api")


def redact(text: str) -> str:
    """``/v1/calendar/<token>.ics`` (and any other path segment there) → ``<redacted>.ics``."""
    return FEED_PATH.sub(REDACTED, text)


class FeedTokenFilter(logging.Filter):
    """Rewrites the record's arguments, not its message: uvicorn's access formatter unpacks
    ``record.args`` (client, method, path, HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_feed_token_filter() -> None:
    """Once per logger, in this process: ``create_app`` calls it, so every uvicorn worker
    (``legday serve --workers N`` builds its app in each) redacts too. ``logging.config``
    (uvicorn's, at start-up) keeps a logger's filters when it reconfigures the logger."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, FeedTokenFilter) for f in logger.filters):
            logger.addFilter(FeedTokenFilter())
