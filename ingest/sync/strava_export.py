"""A Strava bulk export's ``activities.csv``: the activity names and types the files lack.

The header is localised (English, German, French, Spanish, Italian, Dutch, Portuguese, …) and its
columns have moved between export versions, so columns are found by known names in several
languages, then by position (ID, date, name, type are the first four), and the file-name column by
its content (``activities/123.fit.gz``). Anything unrecognisable yields fewer hints, never an error.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.measure.summary import Sport

if TYPE_CHECKING:
    from ingest.pipeline import ParsedActivity

MAX_INDEX_BYTES = 32 * 1024 * 1024

_HEADERS: dict[str, frozenset[str]] = {
    "id": frozenset({
        "activityid", "aktivitatsid", "iddelactivite", "idactivite", "iddelaactividad",
        "idactividad", "idattivita", "activiteitid", "activiteitsid", "iddaatividade",
        "idatividade", "idaktywnosci", "id",
    }),
    "name": frozenset({
        "activityname", "namederaktivitat", "aktivitatsname", "nomdelactivite", "nomactivite",
        "nombredelaactividad", "nombreactividad", "nomeattivita", "naamactiviteit",
        "activiteitnaam", "nomedaatividade", "nazwaaktywnosci", "name",
    }),
    "type": frozenset({
        "activitytype", "aktivitatsart", "aktivitatstyp", "typedactivite", "typeactivite",
        "tipodeactividad", "tipoactividad", "tipoattivita", "tipodiattivita", "activiteitstype",
        "activiteittype", "typeactiviteit", "soortactiviteit", "tipodeatividade",
        "tipoatividade", "typaktywnosci", "sporttype", "type",
    }),
    "file": frozenset({
        "filename", "dateiname", "nomdufichier", "nomfichier", "nombredelarchivo",
        "nombrearchivo", "nomefile", "nomedelfile", "bestandsnaam", "nomedoarquivo",
        "nomedoficheiro", "nazwapliku",
    }),
}  # fmt: skip
_POSITION = {"id": 0, "name": 2, "type": 3}
_FILE_VALUE = re.compile(r"^activities/[^/]+\.(fit|gpx|tcx)(\.gz)?$", re.IGNORECASE)

# Strava's activity types, as exported in several languages, to our sport classes.
_SPORTS: dict[str, Sport] = {
    "run": "run", "lauf": "run", "laufen": "run", "courseapied": "run", "course": "run",
    "carrera": "run", "correr": "run", "corsa": "run", "hardlopen": "run", "corrida": "run",
    "bieg": "run",
    "trailrun": "trail_run", "traillauf": "trail_run", "trail": "trail_run",
    "trailrunning": "trail_run", "carreraporsendero": "trail_run", "carreraportrail": "trail_run",
    "corsasusentiero": "trail_run", "traillopen": "trail_run", "corridadetrilha": "trail_run",
    "biegterenowy": "trail_run",
    "virtualrun": "treadmill", "virtuellerlauf": "treadmill", "coursevirtuelle": "treadmill",
    "hike": "hike", "wanderung": "hike", "wandern": "hike", "randonnee": "hike",
    "senderismo": "hike", "excursionismo": "hike", "escursionismo": "hike", "escursione": "hike",
    "wandelen": "hike", "caminhada": "hike", "trekking": "hike", "wedrowka": "hike",
    "walk": "walk", "spaziergang": "walk", "gehen": "walk", "marche": "walk", "caminar": "walk",
    "caminata": "walk", "camminata": "walk", "wandeling": "walk", "spacer": "walk",
    "ride": "ride", "radfahrt": "ride", "velo": "ride", "sortieavelo": "ride",
    "bicicleta": "ride", "ciclismo": "ride", "giroinbici": "ride", "fietsrit": "ride",
    "pedalada": "ride", "jazdarowerem": "ride", "mountainbikeride": "ride",
    "gravelride": "ride", "ebikeride": "ride", "virtualride": "ride",
}  # fmt: skip


@dataclass(frozen=True)
class ActivityHint:
    """What the export's index says of one activity file."""

    activity_id: str | None
    name: str | None
    type: str | None  # Strava's own word, as exported
    sport: Sport | None  # ``type`` mapped to our sport classes, None when unknown


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def sport_of(strava_type: str | None) -> Sport | None:
    return _SPORTS.get(_key(strava_type)) if strava_type else None


def file_key(path: str) -> str:
    """How a file path is matched against the index: lower case, without a ``.gz`` ending."""
    lower = path.replace("\\", "/").lower()
    return lower[:-3] if lower.endswith(".gz") else lower


def parse_index(data: bytes) -> dict[str, ActivityHint]:
    """Hints keyed by ``file_key`` of the path relative to the export root, and by ``id:<ID>``."""
    text = _decode(data[:MAX_INDEX_BYTES])
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return {}
    if len(rows) < 2:
        return {}
    header, body = rows[0], rows[1:]
    columns = _columns(header, body)
    hints: dict[str, ActivityHint] = {}
    for row in body:
        hint = ActivityHint(
            activity_id=_cell(row, columns.get("id")),
            name=_cell(row, columns.get("name")),
            type=_cell(row, columns.get("type")),
            sport=sport_of(_cell(row, columns.get("type"))),
        )
        file_name = _cell(row, columns.get("file"))
        if file_name:
            hints[file_key(file_name)] = hint
        if hint.activity_id and hint.activity_id.isdigit():
            hints[f"id:{hint.activity_id}"] = hint
    return hints


def lookup(hints: dict[str, ActivityHint], path_in_export: str) -> ActivityHint | None:
    """The hint for a file at ``path_in_export`` (relative to the directory holding the index)."""
    hint = hints.get(file_key(path_in_export))
    if hint is not None:
        return hint
    stem = path_in_export.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    return hints.get(f"id:{stem}") if stem.isdigit() else None


_MORE_SPECIFIC = {("run", "trail_run"), ("walk", "hike")}  # (the file's class, the athlete's word)


def apply_hint(parsed: ParsedActivity, hint: ActivityHint | None) -> ParsedActivity:
    """The parsed activity with the export's name, and its type where the file was less specific
    (an unclassified activity, a run the athlete called a trail run, a walk they called a hike).
    Content is untouched."""
    if hint is None:
        return parsed
    summary = parsed.summary
    changes: dict[str, object] = {}
    if hint.name and not summary.name:
        changes["name"] = hint.name[:200]
    if hint.sport is not None and (
        summary.sport == "other" or (summary.sport, hint.sport) in _MORE_SPECIFIC
    ):
        changes["sport"] = hint.sport
    if not changes:
        return parsed
    return replace(parsed, summary=replace(summary, **changes))  # type: ignore[arg-type]


def _decode(data: bytes) -> str:
    for codec in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _columns(header: list[str], body: list[list[str]]) -> dict[str, int]:
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for field, names in _HEADERS.items():
        for index, key in enumerate(keys):
            if key in names:
                found[field] = index
                break
    for field, index in _POSITION.items():
        if field not in found and index < len(header):
            found[field] = index
    if "file" not in found:
        sample = body[:50]
        for index in range(len(header)):
            if any(_FILE_VALUE.match(_cell(row, index) or "") for row in sample):
                found["file"] = index
                break
    return found


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    value = row[index].strip()
    return value or None
