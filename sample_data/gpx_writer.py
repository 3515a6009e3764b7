"""Encodes Streams as GPX 1.1 with gpxpy: heart rate in Garmin's TrackPointExtension, times in
UTC with no offset (a GPX file does not carry one), and no device totals."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import gpxpy.gpx
from synth import Streams

TPX = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
SCHEMAS = [
    "http://www.topografix.com/GPX/1/1",
    "http://www.topografix.com/GPX/1/1/gpx.xsd",
    TPX,
    "http://www8.garmin.com/xmlschemas/TrackPointExtensionv1.xsd",
]


@dataclass(frozen=True)
class GpxMeta:
    start_unix: int
    name: str
    trk_type: str  # running, trail_running, hiking
    creator: str
    prefix: str = "gpxtpx"  # Garmin Connect writes ns3, Strava gpxtpx: readers must go by URI
    barometric: bool = False  # a Connect export carries the watch's barometric altitude
    skip_first: int = 0  # an export that starts a few seconds after the watch file


def encode_gpx(st: Streams, meta: GpxMeta) -> str:
    assert st.lat is not None and st.lon is not None
    alt = st.alt_baro if meta.barometric else st.alt_gps
    assert alt is not None
    start = datetime.fromtimestamp(meta.start_unix, UTC)
    gpx = gpxpy.gpx.GPX()
    gpx.creator = meta.creator
    gpx.nsmap[meta.prefix] = TPX
    gpx.schema_locations = SCHEMAS
    gpx.time = start + timedelta(seconds=int(st.t[meta.skip_first]))
    track = gpxpy.gpx.GPXTrack(name=meta.name)
    track.type = meta.trk_type
    seg = gpxpy.gpx.GPXTrackSegment()
    for i in range(meta.skip_first, st.t.size):
        point = gpxpy.gpx.GPXTrackPoint(
            latitude=round(float(st.lat[i]), 7),
            longitude=round(float(st.lon[i]), 7),
            elevation=round(float(alt[i]), 1),
            time=start + timedelta(seconds=int(st.t[i])),
        )
        ext = ET.Element(f"{{{TPX}}}TrackPointExtension")
        ET.SubElement(ext, f"{{{TPX}}}hr").text = str(int(st.hr[i]))
        point.extensions.append(ext)
        seg.points.append(point)
    track.segments.append(seg)
    gpx.tracks.append(track)
    return gpx.to_xml(version="1.1")
