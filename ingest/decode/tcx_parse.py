"""TCX bytes -> ``TcxDocument``: one streaming pass of the standard library's expat parser.

Reads what Garmin's Training Center schema (v2) puts in an activity file: each ``<Activity>``
(top level or inside a ``<MultiSportSession>``) with its ``Sport``, its creator device and its
laps (start, ``TotalTimeSeconds``, ``DistanceMeters``), and every ``<Trackpoint>``'s time,
position, altitude, distance, heart rate and cadence (``<Cadence>``, else the ``RunCadence``
extension) as columns. ``<Course>`` and ``<Workout>`` elements are only counted. Elements are
matched by local name, whatever the namespace or prefix; each trackpoint is cleared once read, so
memory holds the columns, not the tree.

The caller has run ``xml_guard.check_hostile`` (no DTD, caps on size and points); this pass
refuses nesting deeper than ``xml_guard.MAX_DEPTH``.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from ingest.decode.xml_guard import MAX_DEPTH, MAX_TEXT, too_deep
from ingest.errors import IngestError

POINT_FIELDS = ("time", "lat", "lon", "altitude_m", "distance_m", "heart_rate", "cadence")
_LOCAL: dict[str, str] = {}  # "{namespace}Name" -> "Name", memoised (bounded, see _local)
_VALUE_OF = {  # trackpoint child (local name) -> column
    "Time": "time",
    "LatitudeDegrees": "lat",
    "LongitudeDegrees": "lon",
    "AltitudeMeters": "altitude_m",
    "DistanceMeters": "distance_m",
    "Cadence": "cadence",
    "RunCadence": "run_cadence",
}


@dataclass
class Lap:
    start: str | None  # ISO 8601, as written
    seconds: float | None  # TotalTimeSeconds: the timer time of the lap
    distance_m: float | None


@dataclass
class Activity:
    sport: str  # the Sport attribute, as written ("Running", "Biking", "Other")
    laps: list[Lap] = field(default_factory=list)
    creator: str | None = None  # the device's name (Creator/Name)
    first_point: int = 0  # this activity's trackpoints: columns[first_point:last_point]
    last_point: int = 0


@dataclass
class TcxDocument:
    activities: list[Activity] = field(default_factory=list)
    multisport: bool = False
    courses: int = 0
    workouts: int = 0
    columns: dict[str, list[str | float | None]] = field(
        default_factory=lambda: {name: [] for name in POINT_FIELDS}
    )


def parse_tcx(data: bytes) -> TcxDocument:
    """The document's activities, laps and trackpoint columns, or IngestError when the XML is not
    well-formed or nests too deep."""
    doc = TcxDocument()
    try:
        _read(data, doc)
    except ElementTree.ParseError as error:
        raise IngestError(f"TCX is not well-formed XML: {error}") from None
    return doc


def _read(data: bytes, doc: TcxDocument) -> None:
    path: list[str] = []
    activity: Activity | None = None
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            path.append(name)
            if len(path) > MAX_DEPTH:
                raise too_deep("TCX")
            if name == "Activity":
                activity = Activity(sport=(element.get("Sport") or "").strip()[:MAX_TEXT])
                activity.first_point = len(doc.columns["time"])
            elif name == "MultiSportSession":
                doc.multisport = True
            continue
        path.pop()
        if name == "Trackpoint":
            if activity is not None:
                _point(element, doc.columns)
            element.clear()
        elif name == "Track":
            element.clear()  # its trackpoints are read: drop the emptied elements too
        elif name == "Lap" and activity is not None:
            activity.laps.append(_lap(element))
            element.clear()
        elif name == "Creator" and activity is not None and path and path[-1] == "Activity":
            creator = _child_text(element, "Name")
            activity.creator = creator.strip()[:MAX_TEXT] if creator else None
        elif name == "Activity" and activity is not None:
            activity.last_point = len(doc.columns["time"])
            doc.activities.append(activity)
            activity = None
            element.clear()
        elif name == "Course":
            doc.courses += 1
            element.clear()
        elif name == "Workout":
            doc.workouts += 1
            element.clear()


def _local(tag: str) -> str:
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rpartition("}")[2].rpartition(":")[2]
        if len(_LOCAL) < 1024:  # tags come from uploads: bounded
            _LOCAL[tag] = name
    return name


def _point(element: ElementTree.Element, columns: dict[str, list[str | float | None]]) -> None:
    values: dict[str, str] = {}
    heart_rate: str | None = None
    in_heart_rate = False
    for node in element.iter():
        name = _LOCAL.get(node.tag) or _local(node.tag)
        if name == "HeartRateBpm":
            in_heart_rate = True
        elif name == "Value" and in_heart_rate:
            heart_rate = node.text
            in_heart_rate = False
        else:
            column = _VALUE_OF.get(name)
            if column is not None and node.text and column not in values:
                values[column] = node.text
    columns["time"].append(values.get("time"))
    columns["lat"].append(_number(values.get("lat")))
    columns["lon"].append(_number(values.get("lon")))
    columns["altitude_m"].append(_number(values.get("altitude_m")))
    columns["distance_m"].append(_number(values.get("distance_m")))
    columns["heart_rate"].append(_number(heart_rate))
    cadence = _number(values.get("cadence"))
    columns["cadence"].append(
        _number(values.get("run_cadence")) if math.isnan(cadence) else cadence
    )


def _lap(element: ElementTree.Element) -> Lap:
    return Lap(
        start=element.get("StartTime"),
        seconds=_optional(_number(_child_text(element, "TotalTimeSeconds"))),
        distance_m=_optional(_number(_child_text(element, "DistanceMeters"))),
    )


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    """The text of ``element``'s first direct child named ``name`` (any namespace)."""
    for child in element:
        if _local(child.tag) == name:
            return child.text
    return None


def _number(text: str | None) -> float:
    if not text:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value
