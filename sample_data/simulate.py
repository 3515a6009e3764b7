"""Runs a Plan through simple physics and physiology: pace from grade and effort, heart rate with
lag and drift, and the points a watch samples (1 Hz or smart recording), with sensor noise."""

from __future__ import annotations

import itertools

import numpy as np
from synth import (
    M_PER_DEG_LAT,
    STEP_M,
    Plan,
    Streams,
    ar_noise,
    cosine_interp,
    elevation_knots,
    trail_xy,
)

HR_REST, HR_MAX = 50, 188
BASE_SPEED = {"easy": 3.0, "recovery": 2.75, "long": 2.9, "intervals": 3.0, "hills": 3.0}
BASE_SPEED |= {"hike": 1.4, "treadmill": 3.05}
BASE_EFFORT = {"easy": 0.63, "recovery": 0.57, "long": 0.62, "hike": 0.48}
HILL_M = 300.0  # length of the hill used for repeats


def grade_factor(kind: str, g: np.ndarray) -> np.ndarray:
    a = np.abs(g)
    if kind == "hike":
        return np.where(g >= 0, 1 / (1 + 4.5 * g), np.maximum(0.6, 1 - 1.2 * a))
    down = np.where(a <= 0.08, 1 + 2.5 * a, np.maximum(0.55, 1.2 - 2.2 * (a - 0.08)))
    return np.where(g >= 0, 1 / (1 + 9 * g), down)


def segments(plan: Plan, total: float) -> list[tuple[float, float, str]]:
    """Laps: warm-up, work and recovery pieces for sessions, else automatic 1 km laps."""
    if plan.kind in ("intervals", "treadmill"):
        work, rest, warm = 1000.0, 400.0, 2500.0
    elif plan.kind == "hills":
        work = rest = HILL_M
        warm = (total - 2 * plan.reps * HILL_M) / 2
    else:
        edges = [*np.arange(0.0, total, 1000.0), total]
        return [(a, b, "active") for a, b in itertools.pairwise(edges) if b > a]
    laps, d = [(0.0, warm, "warmup")], warm
    for _ in range(plan.reps):
        laps += [(d, d + work, "active"), (d + work, d + work + rest, "rest")]
        d += work + rest
    return [*laps, (d, total, "cooldown")]


def effort_and_path(plan: Plan, d: np.ndarray, laps: list) -> tuple[np.ndarray, np.ndarray]:
    """Speed multiplier per grid point, and the position along the base trail (hill repeats go
    up and down the same 300 m, so the odometer and the trail position differ)."""
    mult, s = np.ones_like(d), d.copy()
    for d0, d1, kind in laps:
        inside = (d >= d0) & (d < d1)
        if plan.kind == "hills" and kind in ("active", "rest"):
            warm = laps[0][1]
            s[inside] = warm + (d[inside] - d0 if kind == "active" else d1 - d[inside])
            mult[inside] = 1.3 if kind == "active" else 0.8
        elif kind in ("active", "rest") and plan.kind in ("intervals", "treadmill"):
            mult[inside] = 1.42 if kind == "active" else 0.72
    if plan.kind == "hills":
        warm = laps[0][1]
        back = d >= laps[-1][0]
        s[back] = np.maximum(0.0, warm - (d[back] - laps[-1][0]))
    return mult, s


def simulate(plan: Plan, rng: np.random.Generator) -> Streams:
    total = plan.km * 1000.0
    d = np.arange(0.0, total + STEP_M, STEP_M)
    d[-1] = total
    laps = segments(plan, total)
    mult, s = effort_and_path(plan, d, laps)
    indoor = plan.kind == "treadmill"
    if indoor:
        z = np.zeros_like(d)
    elif plan.kind == "hills":
        warm = laps[0][1]
        flat = Plan("easy", warm / 1000, 15.0, 15.0, plan.origin)
        knots = elevation_knots(rng, flat, warm)
        rise = (plan.ascent_m - 15.0) / plan.reps
        knots = np.hstack([knots, [[warm + HILL_M], [knots[1, -1] + rise]]])
        z = cosine_interp(s, knots)
        xy = trail_xy(rng, warm + HILL_M, closed=False)
    else:
        z = cosine_interp(s, elevation_knots(rng, plan, total))
        xy = trail_xy(rng, total, closed=not plan.point_to_point)
    g = np.gradient(z, d)
    g = np.convolve(g, np.ones(7) / 7, mode="same")
    fatigue = 1 - 0.07 * d / total if plan.kind == "long" else 1.0
    noise = np.exp(ar_noise(rng, d.size, 0.04, 0.98))
    v = BASE_SPEED[plan.kind] * grade_factor(plan.kind, g) * mult * fatigue * noise
    tau = np.concatenate([[0.0], np.cumsum(np.diff(d) / ((v[1:] + v[:-1]) / 2))])
    moving = int(tau[-1])

    # Heart rate: a target from effort and grade, then a 25 s lag, drift and sensor noise.
    frac = np.full_like(d, BASE_EFFORT.get(plan.kind, 0.63))
    frac += np.where(mult > 1.2, 0.25, 0.0) + np.where(mult > 1.25, 0.04, 0.0)
    frac += np.clip(g, 0, 0.2) * (0.4 if plan.kind == "hike" else 0.9)
    frac -= np.clip(-g, 0, 0.3) * 0.2
    sec = np.arange(moving + 1, dtype=float)
    target = np.interp(sec, tau, frac) + 0.04 * sec / 3600
    target = HR_REST + (HR_MAX - HR_REST) * np.minimum(target, 0.95)
    hr_sec, h = np.empty_like(sec), 92.0
    for i, tgt in enumerate(target):
        h += (tgt - h) / 25.0
        hr_sec[i] = h
    hr_sec += ar_noise(rng, sec.size, 1.5, 0.9)

    steps = rng.choice(np.array(plan.smart_steps), size=moving + 1)
    rec = np.concatenate([[0], np.cumsum(steps)])
    rec = np.unique(np.append(rec[rec < moving], moving))
    dk = np.round(np.interp(rec, tau, d), 2)
    t = rec.copy()
    pause = None
    if plan.pause_s:
        k = int(np.argmax(np.interp(rec, tau, z))) if not indoor else rec.size // 2
        k = min(max(k, 1), rec.size - 2)
        t[k + 1 :] += plan.pause_s
        pause = (int(t[k]), int(t[k] + plan.pause_s))
    out = Streams(
        t=t,
        dist=dk,
        lat=None,
        lon=None,
        alt_true=None,
        alt_baro=None,
        alt_gps=None,
        speed=np.round(np.interp(rec, tau, v), 3),
        hr=np.clip(np.round(hr_sec[rec]), 60, HR_MAX).astype(int),
        pause=pause,
        laps=laps,
    )
    if indoor:
        return out
    sk = np.interp(dk, d, s)
    true = np.interp(dk, d, z)
    out.alt_true = true
    out.alt_baro = np.round((true + rng.normal(0, 3) + ar_noise(rng, rec.size, 0.25, 0.95)) * 5) / 5
    out.alt_gps = np.round(true + rng.normal(0, 4) + ar_noise(rng, rec.size, 2.0, 0.6), 1)
    grid = np.arange(xy.shape[1]) * STEP_M
    x = np.interp(sk, grid, xy[0]) + ar_noise(rng, rec.size, 1.5, 0.95)
    y = np.interp(sk, grid, xy[1]) + ar_noise(rng, rec.size, 1.5, 0.95)
    lat0, lon0 = plan.origin[0], plan.origin[1]
    out.lat = lat0 + y / M_PER_DEG_LAT
    out.lon = lon0 + x / (M_PER_DEG_LAT * np.cos(np.radians(lat0)))
    return out
