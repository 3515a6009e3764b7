"""Durations as people write them: ``90`` (seconds), ``90s``, ``15m``, ``1h30m``, ``500ms``, ``1d``.

Standard library only: the command line's argument types use it without loading the sync code.
"""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", re.IGNORECASE)
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
HINT = "(try 90s, 15m, 1h)"


class DurationError(ValueError):
    """Not a duration, with the hint of what one looks like."""


def parse_duration(value: str | float) -> float:
    """Seconds from ``90``, ``"90s"``, ``"15m"``, ``"1h30m"``, ``"500ms"``."""
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            parts = _PART.findall(text)
            if not parts or _PART.sub("", text).strip():
                raise DurationError(f"not a duration: {value!r} {HINT}") from None
            seconds = sum(float(n) * _UNIT[u.lower()] for n, u in parts)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise DurationError(f"not a duration: {value!r} {HINT}")
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative: {value!r}")
    return seconds
