"""Builders of the files and exports runners have: TCX documents, a Sports Tracker-style GPX,
Strava bulk exports and Garmin Connect account exports (made from corpus files, in memory)."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


# --- exports built from the corpus (in memory: the corpus files are never copied into the repo) ---

STRAVA_MEMBERS = {  # member -> (corpus file, gzip it, activities.csv name, type)
    "activities/1001.fit.gz": ("fit/slib__6916728382.fit", True, "Chartreuse loop", "Trail Run"),
    "activities/1002.gpx": ("gpx/slib__strava.gpx", False, "Half on the ridge", "Run"),
    "activities/1003.tcx.gz": ("tcx/slib__6281425038.tcx", True, "Intervals", "Run"),
    "activities/1004.tcx": ("tcx/slib__1604524853.tcx", False, "Vertical K", "Trail Run"),
    "activities/1005.fit": ("fit/wkz__hike_with_coordinates_muggenbrunn.fit", False, "Feldberg",
                            "Hike"),
    "activities/1006.gpx.gz": ("gpx/slib__6782987395.gpx", True, "Harriman", "Run"),
    "activities/1007.tcx": ("tcx/slib__6782987395.tcx", False, "Harriman (again)", "Run"),
}  # fmt: skip
STRAVA_OTHERS = {
    "profile.csv": b"Athlete ID,First Name\n1,Sam\n",
    "media/1001-photo.jpg": b"\xff\xd8\xff\xe0 not really a photo",
    "activities/1008.gpx": b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt",  # cut short
}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def strava_export_zip(corpus: Path) -> bytes:
    """A Strava bulk export: activities.csv, FIT/GPX/TCX members gzipped and not (one run as both
    its Garmin Connect GPX and TCX), other export files, and one broken GPX."""
    lines = ["Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename"]
    entries: dict[str, bytes] = {}
    for member, (source, packed, name, kind) in STRAVA_MEMBERS.items():
        data = (corpus / source).read_bytes()
        entries[member] = gzip.compress(data, mtime=0) if packed else data
        activity_id = member.split("/")[1].split(".")[0]
        lines.append(f'{activity_id},"Sep 8, 2026",{name},{kind},3600,{member}')
    entries["activities.csv"] = ("\n".join(lines) + "\n").encode()
    entries.update(STRAVA_OTHERS)
    return _zip(entries)


GARMIN_UPLOADED = (
    "fit/gc__Fr955v19.28andStryd.fit",
    "fit/fitparse__2013-02-06-12-11-14.fit",
    "fit/slib__6782987395.fit",
)


def garmin_export_zip(corpus: Path) -> bytes:
    """A Garmin Connect account export: JSON everywhere, the uploaded FIT files in a zip inside the
    zip (one of them truncated to nothing useful), and a zip nested one level too deep."""
    uploaded = {f"sam@example.com_{n}.fit": (corpus / f).read_bytes() for n, f in
                enumerate(GARMIN_UPLOADED, start=100)}  # fmt: skip
    uploaded["sam@example.com_999.fit"] = b"\x0e\x10"  # two bytes of a header
    uploaded["deeper/old-part.zip"] = _zip({"x.fit": (corpus / GARMIN_UPLOADED[0]).read_bytes()})
    return _zip(
        {
            "DI_CONNECT/DI-Connect-Fitness/sam@example.com_0_summarizedActivities.json": b"[{}]",
            "DI_CONNECT/DI-Connect-User/user_profile.json": b"{}",
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": _zip(uploaded),
        }
    )


def member_count(data: bytes) -> int:
    """Members of an export, a nested zip's members counted instead of the nested zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = 0
        for info in archive.infolist():
            if info.filename.endswith(".zip"):
                total += len(zipfile.ZipFile(io.BytesIO(archive.read(info))).infolist())
            else:
                total += 1
        return total


def treadmill_fit(start: datetime, *, minutes: int = 40, km: float = 8.0, hr: int = 150) -> bytes:
    """A treadmill run as a watch writes it indoors: records every 5 s with distance and heart
    rate, no positions, no altitude, and no local time (so the athlete's time zone dates it)."""
    from garmin_fit_sdk import Encoder, Profile

    mesg = Profile["mesg_num"]
    encoder = Encoder()
    encoder.write_mesg(
        {"mesg_num": mesg["FILE_ID"], "type": "activity", "manufacturer": "garmin",
         "product": 3113, "time_created": start}
    )  # fmt: skip
    steps = minutes * 12
    for i in range(steps + 1):
        encoder.write_mesg(
            {"mesg_num": mesg["RECORD"], "timestamp": start + timedelta(seconds=5 * i),
             "distance": km * 1000 * i / steps, "heart_rate": hr + (i % 7)}
        )  # fmt: skip
    end = start + timedelta(minutes=minutes)
    encoder.write_mesg(
        {"mesg_num": mesg["SESSION"], "timestamp": end, "start_time": start, "sport": "running",
         "sub_sport": "treadmill", "total_distance": km * 1000,
         "total_elapsed_time": minutes * 60.0, "total_timer_time": minutes * 60.0}
    )  # fmt: skip
    return bytes(encoder.close())
