"""The elevation settings legday ships are the ones leave-one-device-out cross-validation chooses,
and on devices they were not fitted on they meet the target (``benchmarks/elevation_cv.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.elevation_cv import Result, cases, cross_validate, stats
from ingest.measure.elevation import SETTINGS

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# Files outside the target (> 10 % at >= 150 m of device ascent, > 15 m below) with the settings
# fitted without their device, and why. None today; the closest, kept named: the fr645m run whose
# device total (234 m) is above even the raw sum of its 2-s records' rises (219 m), and the
# fenix 2's second run leg (455 m) whose samples rise 512 m after a 1-m hysteresis.
KNOWN_OUTSIDE: dict[str, str] = {}


@pytest.fixture(scope="module")
def validated(corpus: Path) -> tuple[list[Result], dict]:
    return cross_validate(cases(corpus))


def test_every_device_is_left_out_once_and_multisport_legs_count(validated) -> None:  # type: ignore[no-untyped-def]
    results, _ = validated
    devices = {r.case.device for r in results}
    assert len(devices) >= 9 and len(results) >= 14
    assert any("#" in r.case.file for r in results)  # the run legs of a multisport file


def test_the_cross_validated_error_meets_the_target(validated) -> None:  # type: ignore[no-untyped-def]
    results, _ = validated
    median, p90, _ = stats(results, "cv_m")
    assert median <= 3.0 and p90 <= 10.0


def test_every_file_outside_the_target_is_named(validated) -> None:  # type: ignore[no-untyped-def]
    results, _ = validated
    outside = {r.case.file for r in results if r.case.outside(r.cv_m)}
    assert outside <= set(KNOWN_OUTSIDE)


def test_the_shipped_settings_are_the_ones_fitted_on_every_device(validated) -> None:  # type: ignore[no-untyped-def]
    _, fitted = validated
    assert fitted["barometric"] == SETTINGS["barometric"]
