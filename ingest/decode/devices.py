"""What a device's name says of it: its maker, and whether it has a barometric altimeter.

A heuristic on names, for the elevation smoothing (``measure.elevation``): a name we know has a
barometer -> True; anything else -> None (unknown: the samples decide). FIT names products by the
profile's short names (``fr945``, ``fenix2``, ``edge_1000``); TCX and GPX by display names
(``Forerunner 945``, ``Garmin Edge 1000``, ``Polar V800``): both are matched, display names after
``short_name`` has brought them to the profile's form.
"""

from __future__ import annotations

import re

BAROMETRIC = re.compile(
    r"fenix|epix|enduro|instinct|tactix|quatix|descent|marq|fr9[1-9]\d|fr(6[2-4]5|7[0-9]5|645)"
    r"|vivo[_ ]?active|oregon|montana|gpsmap|etrex[_ ]?3|edge[_ ]?((5|8|10|15)\d\d|305)"
    r"|apex|vertix|baro|polar ?(v800|vantage ?v|grit ?x)|ambit\d? ?peak",
    re.IGNORECASE,
)
_MAKERS = (
    (re.compile(r"forerunner|fenix|edge|vivo|oregon|etrex|montana|gpsmap|garmin", re.I), "garmin"),
    (re.compile(r"polar", re.I), "polar"),
    (re.compile(r"suunto|ambit|spartan", re.I), "suunto"),
    (re.compile(r"coros", re.I), "coros"),
    (re.compile(r"wahoo|elemnt", re.I), "wahoo"),
)
_FORERUNNER = re.compile(r"forerunner\s*", re.IGNORECASE)


def short_name(display: str) -> str:
    """``Forerunner 945`` -> ``fr945``; other names unchanged."""
    return _FORERUNNER.sub("fr", display)


def is_barometric(name: str | None) -> bool | None:
    """True for a device we know has a barometric altimeter, else None."""
    return True if name and BAROMETRIC.search(short_name(name)) else None


def maker_of(display: str | None) -> str | None:
    """The maker a display name implies (``Forerunner 305`` -> ``garmin``), or None."""
    if not display:
        return None
    return next((maker for pattern, maker in _MAKERS if pattern.search(display)), None)
