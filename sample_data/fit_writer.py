"""Encodes Streams as a FIT activity file with Garmin's SDK Encoder, the way a Fenix 7 writes
one: file_id, device_info, timer events, records with laps as they close, session, activity.
Device totals are computed from the records written, so they agree with them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from garmin_fit_sdk import FIT_EPOCH_S, Encoder, Profile
from synth import Streams, hysteresis_totals

MESG = Profile["mesg_num"]
SEMI = 2**31 / 180.0
FENIX7, SERIAL = 3906, 3_391_204_718
BARO_THRESHOLD_M = 1.0  # what the watch's barometric ascent counter ignores


@dataclass(frozen=True)
class FitMeta:
    start_unix: int
    utc_offset_s: int
    sport: str  # running, hiking
    sub_sport: str  # trail, generic, treadmill
    cadence: int  # strides per minute (FIT running cadence)


def _totals(st: Streams, i0: int, i1: int) -> dict:
    """Lap or session totals over records i0..i1 inclusive, timer time net of the pause."""
    elapsed = float(st.t[i1] - st.t[i0])
    timer = elapsed
    if st.pause and st.t[i0] <= st.pause[0] < st.t[i1]:
        timer -= st.pause[1] - st.pause[0]
    dist = float(st.dist[i1] - st.dist[i0])
    hr = st.hr[i0 : i1 + 1]
    out = {
        "total_elapsed_time": elapsed,
        "total_timer_time": timer,
        "total_distance": dist,
        "enhanced_avg_speed": round(dist / timer, 3) if timer else 0.0,
        "enhanced_max_speed": float(st.speed[i0 : i1 + 1].max()),
        "avg_heart_rate": round(float(hr.mean())),
        "max_heart_rate": int(hr.max()),
        "total_calories": int(dist / 1000 * 70),
    }
    if st.alt_baro is not None and st.lat is not None:
        up, down = hysteresis_totals(st.alt_baro[i0 : i1 + 1], BARO_THRESHOLD_M)
        alt = st.alt_baro[i0 : i1 + 1]
        out |= {"total_ascent": round(up), "total_descent": round(down)}
        out |= {"enhanced_min_altitude": float(alt.min())}
        out |= {"enhanced_max_altitude": float(alt.max())}
        out |= {"start_position_lat": _semi(st.lat[i0]), "start_position_long": _semi(st.lon[i0])}
    return out


def _semi(deg: float) -> int:
    return round(deg * SEMI)


def encode_fit(st: Streams, meta: FitMeta) -> bytes:
    t0 = meta.start_unix - FIT_EPOCH_S
    ts = [int(t0 + x) for x in st.t]
    end = ts[-1]
    enc = Encoder()
    enc.on_mesg(
        MESG["FILE_ID"],
        {
            "type": "activity",
            "manufacturer": "garmin",
            "product": FENIX7,
            "serial_number": SERIAL,
            "time_created": t0,
        },
    )
    enc.on_mesg(
        MESG["DEVICE_INFO"],
        {
            "timestamp": t0,
            "device_index": 0,
            "manufacturer": "garmin",
            "product": FENIX7,
            "serial_number": SERIAL,
            "software_version": 21.19,
            "source_type": "local",
        },
    )
    timer = {"event": "timer", "event_group": 0}
    enc.on_mesg(MESG["EVENT"], {"timestamp": t0, **timer, "event_type": "start"})
    lap_ends = [int(np.searchsorted(st.dist, d1 - 1e-6)) for _, d1, _ in st.laps]
    lap_ends[-1] = len(ts) - 1
    lap_no, lap_start = 0, 0
    outdoor = st.lat is not None
    for i, stamp in enumerate(ts):
        if st.pause and i and st.t[i - 1] == st.pause[0]:
            resume = t0 + st.pause[1]
            enc.on_mesg(MESG["EVENT"], {"timestamp": resume, **timer, "event_type": "start"})
        rec = {
            "timestamp": stamp,
            "distance": float(st.dist[i]),
            "enhanced_speed": float(st.speed[i]),
            "heart_rate": int(st.hr[i]),
            "cadence": meta.cadence + int(st.hr[i]) % 3,
        }
        if outdoor:
            rec |= {
                "position_lat": _semi(st.lat[i]),
                "position_long": _semi(st.lon[i]),
                "enhanced_altitude": float(st.alt_baro[i]),
            }
        enc.on_mesg(MESG["RECORD"], rec)
        if st.pause and stamp == t0 + st.pause[0]:
            enc.on_mesg(MESG["EVENT"], {"timestamp": stamp, **timer, "event_type": "stop_all"})
        while lap_no < len(lap_ends) and i == lap_ends[lap_no]:
            kind = st.laps[lap_no][2]
            lap = {
                "message_index": lap_no,
                "timestamp": stamp,
                "start_time": ts[lap_start],
                "event": "lap",
                "event_type": "stop",
                "sport": meta.sport,
                "sub_sport": meta.sub_sport,
                "intensity": kind,
                "lap_trigger": "distance" if kind == "active" else "manual",
                **_totals(st, lap_start, i),
            }
            if i == len(ts) - 1:
                lap["lap_trigger"] = "session_end"
            enc.on_mesg(MESG["LAP"], lap)
            lap_no, lap_start = lap_no + 1, i
    enc.on_mesg(MESG["EVENT"], {"timestamp": end, **timer, "event_type": "stop_all"})
    session = {
        "message_index": 0,
        "timestamp": end,
        "start_time": t0,
        "event": "session",
        "event_type": "stop",
        "sport": meta.sport,
        "sub_sport": meta.sub_sport,
        "first_lap_index": 0,
        "num_laps": lap_no,
        "trigger": "activity_end",
        **_totals(st, 0, len(ts) - 1),
    }
    enc.on_mesg(MESG["SESSION"], session)
    enc.on_mesg(
        MESG["ACTIVITY"],
        {
            "timestamp": end,
            "total_timer_time": session["total_timer_time"],
            "num_sessions": 1,
            "type": "manual",
            "event": "activity",
            "event_type": "stop",
            "local_timestamp": end + meta.utc_offset_s,
        },
    )
    return enc.close()
