"""Which characters a name, a label or a note may hold: one rule for the API's fields
(``api.schemas.common``) and the command line's arguments (``api.cli.args``).

Standard library only: the command line's argument types use it without loading pydantic.

- A name or label (an athlete, an exercise, a race) holds no control character (NUL, tab, line
  breaks, escape: Unicode ``Cc``), no line or paragraph separator (``Zl``, ``Zp``) and no invisible
  format character (``Cf``: direction overrides and isolates, zero-width spaces, soft hyphens, a
  byte-order mark): they break or reorder the lines a name is shown in (terminal, calendar,
  dashboard) and make two names that look alike differ. The zero-width non-joiner and joiner are
  kept: Persian, Indic scripts and emoji sequences spell words and names with them.
- A note is free text: line breaks and tabs are kept; other control characters and the invisible
  layout controls (direction overrides and isolates, line and paragraph separators) are not.
"""

from __future__ import annotations

import unicodedata

JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner, zero-width joiner
# Direction overrides/isolates and line/paragraph separators: invisible, and they reorder or
# break the lines a text is shown in.
LAYOUT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
_NAME_REFUSED = frozenset({"Cc", "Cf", "Zl", "Zp"})


def refused_in_name(text: str) -> str | None:
    """The first character a name or label may not hold, or None."""
    for ch in text:
        if ch not in JOINERS and unicodedata.category(ch) in _NAME_REFUSED:
            return ch
    return None


def refused_in_note(text: str) -> str | None:
    """The first character a note may not hold (line breaks and tabs are fine), or None."""
    for ch in text:
        if ch not in "\n\t" and (unicodedata.category(ch) == "Cc" or ch in LAYOUT):
            return ch
    return None


def code_point(ch: str) -> str:
    """``U+000A``: how an error message names an invisible character."""
    return f"U+{ord(ch):04X}"
