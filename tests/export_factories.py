"""Builders of the files and exports runners have: TCX documents, a Sports Tracker-style GPX,
Strava bulk exports and Garmin Connect account exports (made from corpus files, in memory)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

T0 = datetime(2024, 5, 4, 10, 0, tzinfo=UTC)
TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def tcx_point(
    s: float,
    *,
    lat: float | None = None,
    lon: float = 7.0,
    ele: float | None = None,
    metres: float | None = None,
    hr: int | None = None,
) -> str:
    """One ``<Trackpoint>`` ``s`` seconds after ``T0``."""
    parts = [f"<Time>{_iso(T0 + timedelta(seconds=s))}</Time>"]
    if lat is not None:
        parts.append(
            f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
        )
    if ele is not None:
        parts.append(f"<AltitudeMeters>{ele}</AltitudeMeters>")
    if metres is not None:
        parts.append(f"<DistanceMeters>{metres}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    return "<Trackpoint>" + "".join(parts) + "</Trackpoint>"


def tcx_lap(
    points: list[str], *, start_s: float = 0, seconds: float = 600, metres: float = 2000
) -> str:
    return (
        f'<Lap StartTime="{_iso(T0 + timedelta(seconds=start_s))}">'
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds><DistanceMeters>{metres}</DistanceMeters>"
        f"<Track>{''.join(points)}</Track></Lap>"
    )


def tcx_document(
    *activities: list[str],
    sports: tuple[str, ...] = ("Running",),
    multisport: bool = False,
    creator: str = "Forerunner 945",
) -> bytes:
    """A TCX file of ``activities`` (each a list of ``tcx_lap``), a MultiSportSession if asked."""
    body = "".join(
        f'<Activity Sport="{sports[i % len(sports)]}"><Id>{_iso(T0)}</Id>{"".join(laps)}'
        f'<Creator xsi:type="Device_t"><Name>{creator}</Name></Creator></Activity>'
        for i, laps in enumerate(activities)
    )
    if multisport:
        first, *rest = body.split("</Activity>")[:-1]
        body = (
            f"<MultiSportSession><Id>{_iso(T0)}</Id><FirstSport>{first}</Activity></FirstSport>"
            + "".join(f"<NextSport>{a}</Activity></NextSport>" for a in rest)
            + "</MultiSportSession>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<TrainingCenterDatabase xmlns="{TCX_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<Activities>{body}</Activities></TrainingCenterDatabase>"
    ).encode()


def sports_tracker_gpx(
    *, km: float = 12.3, climb_m: float = 525.0, seconds: int = 6582, seed: int = 7
) -> bytes:
    """A mountain run as Sports Tracker exports it: one fix a second, but written in runs that
    share one timestamp (up to two minutes of points), the next run sometimes a second early;
    ``<ele>0</ele>`` dropouts; no ``<type>``. Up the first half at a hike, down the second at a
    run: ``km`` km and ``climb_m`` m of climb in ``seconds`` s, all of it moving."""
    rng = np.random.default_rng(seed)
    share = np.linspace(0.0, 1.0, seconds)
    altitude = 800 + climb_m * (1 - np.abs(2 * share - 1)) + rng.normal(0, 1.5, seconds)
    step = np.where(share < 0.5, 1.3, 2.6)
    distance = np.cumsum(step) / np.sum(step) * km * 1000
    lat = 46.0 + distance / 111_195
    lon = 7.0 + 0.0005 * np.sin(share * 20)
    written = np.arange(seconds)
    i = 0
    while i < seconds:
        run = int(rng.integers(1, 150))
        written[i : i + run] = min(i + run - 1, seconds - 1)  # a batch stamped when written
        if i and rng.random() < 0.3:
            written[i] = written[i - 1] - 1  # a second before the last stamp
        i += run
    points = []
    for n in range(seconds):
        ele = 0.0 if n > 50 and n % 997 < 6 else altitude[n]  # dropouts to "sea level"
        time = _iso(T0 + timedelta(seconds=int(written[n])))
        points.append(
            f'<trkpt lat="{lat[n]:.7f}" lon="{lon[n]:.7f}"><ele>{ele:.1f}</ele>'
            f"<time>{time}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="Sports Tracker" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Mountain run</name><trkseg>'
        + "".join(points)
        + "</trkseg></trk></gpx>"
    ).encode()
