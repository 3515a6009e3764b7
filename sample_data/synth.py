"""Synthesises one activity as sensor streams: a trail, its elevation, pace, heart rate and the
points a watch would record. Pure numpy; every random draw comes from the generator passed in."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

STEP_M = 5.0  # resolution of the distance grid the physics runs on
M_PER_DEG_LAT = 111_320.0


@dataclass(frozen=True)
class Plan:
    """What the athlete set out to do; the generator turns it into streams."""

    kind: str  # easy, recovery, long, intervals, hills, hike, treadmill
    km: float
    ascent_m: float
    descent_m: float
    origin: tuple[float, float, float]  # lat, lon, altitude of the start
    point_to_point: bool = False
    reps: int = 0
    smart_steps: tuple[int, ...] = (1,)  # seconds between recorded points, drawn uniformly
    pause_s: int = 0  # one timer stop (a summit break) in the middle


@dataclass
class Streams:
    """Per recorded point: elapsed seconds, odometer, position, altitudes, speed, heart rate."""

    t: np.ndarray
    dist: np.ndarray
    lat: np.ndarray | None
    lon: np.ndarray | None
    alt_true: np.ndarray | None
    alt_baro: np.ndarray | None
    alt_gps: np.ndarray | None
    speed: np.ndarray
    hr: np.ndarray
    pause: tuple[int, int] | None  # elapsed seconds of timer stop and timer start
    laps: list[tuple[float, float, str]] = field(default_factory=list)  # d0, d1, intensity


def ar_noise(rng: np.random.Generator, n: int, sigma: float, phi: float) -> np.ndarray:
    """Stationary AR(1) noise with standard deviation ``sigma``."""
    eps = rng.normal(0.0, sigma * np.sqrt(1 - phi * phi), n)
    out = np.empty(n)
    acc = rng.normal(0.0, sigma)
    for i in range(n):
        acc = phi * acc + eps[i]
        out[i] = acc
    return out


def hysteresis_totals(alt: np.ndarray, threshold: float) -> tuple[float, float]:
    """Ascent and descent counted only once a move exceeds ``threshold`` from the last turn."""
    up = down = 0.0
    ref = float(alt[0])
    for z in alt[1:]:
        if z - ref >= threshold:
            up += z - ref
            ref = float(z)
        elif ref - z >= threshold:
            down += ref - z
            ref = float(z)
    return up, down


def _split(rng: np.random.Generator, total: float, n: int) -> np.ndarray:
    return total * rng.dirichlet(np.full(n, 3.0))


def elevation_knots(rng: np.random.Generator, plan: Plan, length: float) -> np.ndarray:
    """(s, z) knots: alternating climbs and descents summing to the plan, joined by flat-ish
    connectors. Within a segment the profile is monotone, so the totals are exact."""
    z0 = plan.origin[2]
    n = max(1, round(plan.ascent_m / 300) + int(rng.integers(0, 2)))
    climbs = _split(rng, plan.ascent_m, n)
    falls = _split(rng, plan.descent_m, n)
    floor = min(z0, z0 + plan.ascent_m - plan.descent_m) - 15
    heights, z = [], z0
    for i in range(n):
        z += climbs[i]
        if i < n - 1:
            fall = min(falls[i], z - floor)
            falls[i + 1] += falls[i] - fall  # what the valley floor refused goes to the next one
        else:
            fall = z - (z0 + plan.ascent_m - plan.descent_m)
        heights += [climbs[i], -fall]
        z -= fall
    grades = rng.uniform(0.07, 0.16, 2 * n)
    if plan.point_to_point:  # the alpine descent: steep, much of it over 20 %
        grades[1::2] = rng.uniform(0.16, 0.30, n)
    seg = np.abs(heights) / grades
    if seg.sum() > 0.85 * length:
        seg *= 0.85 * length / seg.sum()
    flats = _split(rng, length - seg.sum(), 2 * n + 1)
    s, zs, pos, z = [0.0], [z0], 0.0, z0
    for i in range(2 * n):
        pos += flats[i]
        s.append(pos)
        zs.append(z)
        pos += seg[i]
        z += heights[i]
        s.append(pos)
        zs.append(z)
    s.append(length)
    zs.append(z)
    return np.array([s, zs])


def cosine_interp(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    xs, zs = knots
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 2)
    width = np.maximum(xs[i + 1] - xs[i], 1e-9)
    u = np.clip((x - xs[i]) / width, 0.0, 1.0)
    return zs[i] + (zs[i + 1] - zs[i]) * (1 - np.cos(np.pi * u)) / 2


def trail_xy(rng: np.random.Generator, length: float, closed: bool) -> np.ndarray:
    """A wiggly trail as (x, y) metres on the distance grid; a loop when ``closed``."""
    s = np.arange(0.0, length + STEP_M, STEP_M)
    if closed:
        theta = 2 * np.pi * np.linspace(0, 1, 4000)
        r = np.ones_like(theta)
        for k in range(2, 6):
            r += rng.uniform(0.03, 0.12) / k * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
        r += 0.012 * np.sin(37 * theta + rng.uniform(0, 2 * np.pi))
        x, y = r * np.cos(theta) - r[0], r * np.sin(theta)
        rot = rng.uniform(0, 2 * np.pi)
        x, y = x * np.cos(rot) - y * np.sin(rot), x * np.sin(rot) + y * np.cos(rot)
    else:
        heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.06, 4000))
        heading = np.convolve(heading, np.ones(25) / 25, mode="same")
        x, y = np.cumsum(np.cos(heading)), np.cumsum(np.sin(heading))
    arc = np.concatenate([[0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    scale = length / arc[-1]
    return np.array([np.interp(s, arc * scale, x * scale), np.interp(s, arc * scale, y * scale)])
