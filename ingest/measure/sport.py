"""Sport class of an activity: the file's own words first, the data when the file says too little.

File words (FIT sport/sub_sport, GPX <type>, lower case; Strava's numeric GPX types 1, 4, 9, 10):
cycling/biking/ride → ride; hiking → hike; walking → walk; a treadmill or indoor sub sport →
treadmill; a trail sub sport or type → trail_run; anything else named (swimming, paddling,
multisport…) → other.

When the file says only "running" (or generic/nothing), the data decide, thresholds:
- no positions and less than ``FLAT_M_PER_KM`` of climb → treadmill (only if it says running);
- with no sport at all: moving speed ≥ ``RIDE_MPS`` (5 m/s, 18 km/h: faster than a 2:20
  marathon) → ride, except with ≥ ``HILLY_M_PER_KM`` of climb (150 m per 10 km), where a ride
  needs ≥ ``HILLY_RIDE_MPS`` (5.5 m/s, 19.8 km/h: no one runs that fast up 150 m per 10 km, and
  a mountain run's few fast kilometres must not make it a ride); below ``WALK_MPS`` (1.8 m/s,
  6.5 km/h) → hike with ≥ ``HIKE_M_PER_KM`` (40 m/km) of climb, else walk;
- otherwise ≥ ``TRAIL_M_PER_KM`` (20 m/km) of climb → trail_run, else run.

The moving speed is the distance covered while moving over the moving time (``metrics``), so a
file whose clock stalls (Sports Tracker) does not read as fast.
"""

from __future__ import annotations

from ingest.measure.summary import Sport

TRAIL_M_PER_KM = 20.0
HIKE_M_PER_KM = 40.0
FLAT_M_PER_KM = 2.0
WALK_MPS = 1.8
RIDE_MPS = 5.0
HILLY_M_PER_KM = 15.0
HILLY_RIDE_MPS = 5.5
GENERIC = {"", "generic", "none", "running", "run", "9", "all"}
STRAVA_TYPES: dict[str, Sport] = {"1": "ride", "4": "hike", "10": "walk"}


def from_words(sport: str | None, sub_sport: str | None) -> Sport | None:
    """The class the file's own words give, or None when they leave it to the data."""
    words = " ".join(w for w in (sport, sub_sport) if w).lower().replace("-", "_")
    if sport and sport.strip() in STRAVA_TYPES:
        return STRAVA_TYPES[sport.strip()]
    rules: list[tuple[tuple[str, ...], Sport]] = [
        (("treadmill", "indoor_running", "indoor_walking"), "treadmill"),
        (("cycl", "bik", "ride", "riding"), "ride"),
        (("trail",), "trail_run"),
        (("hik", "mountaineering"), "hike"),
        (("walk",), "walk"),
    ]
    for keys, sport_class in rules:
        if any(k in words for k in keys):
            return sport_class
    if (sport or "").strip().lower() in GENERIC:
        return None
    return "other"


def classify(
    sport: str | None,
    sub_sport: str | None,
    *,
    distance_m: float,
    ascent_m: float,
    moving_s: float,
    has_positions: bool,
    moving_m: float | None = None,
) -> Sport:
    """The sport class from the file's words, else from climb density, moving speed (``moving_m``
    over ``moving_s``; ``distance_m`` when the moving distance is not given) and GPS presence."""
    named = from_words(sport, sub_sport)
    if named is not None:
        return named
    says_running = (sport or "").strip().lower() in {"running", "run", "9"}
    km = distance_m / 1000.0
    climb_per_km = ascent_m / km if km > 0.1 else 0.0
    if not has_positions and climb_per_km < FLAT_M_PER_KM and says_running:
        return "treadmill"
    covered = distance_m if moving_m is None else moving_m
    speed = covered / moving_s if moving_s > 0 else 0.0
    ride_mps = HILLY_RIDE_MPS if climb_per_km >= HILLY_M_PER_KM else RIDE_MPS
    if not says_running and speed > 0:
        if speed >= ride_mps:
            return "ride"
        if speed < WALK_MPS:
            return "hike" if climb_per_km >= HIKE_M_PER_KM else "walk"
    if not says_running and km <= 0.1:
        return "other"
    return "trail_run" if climb_per_km >= TRAIL_M_PER_KM else "run"
