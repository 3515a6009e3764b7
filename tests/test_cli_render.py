"""``legday recommend`` read by a coach: the sample athlete's plan through ``main([...])`` at 80 and
120 columns (``api/render.py``)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import main
from api.settings import Settings
from tests.conftest import SAMPLE_DATA

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # Saturday of week 12; squats logged Tuesday
Run = Callable[..., str]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    if not (SAMPLE_DATA / "profile.json").is_file():
        pytest.skip("sample_data is not generated")
    settings = Settings(data_dir=Path(tmp_path_factory.mktemp("render")) / "data")

    def _run(*argv: str, width: int = 120) -> str:
        out = io.StringIO()
        console = Console(file=out, width=width, color_system=None)
        code = main(list(argv), settings=settings, console=console, clock=lambda: NOW)
        assert code == 0, out.getvalue()
        return out.getvalue()

    _run("demo", "--workers", "0")
    return _run


def recommend(run: Run, week: str, width: int) -> str:
    return run("recommend", "--athlete", "Sam", "--week", week, width=width)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("width", [80, 120])
def test_every_line_fits_the_terminal_and_exercise_names_never_wrap(run: Run, width: int) -> None:
    out = recommend(run, "2026-11-30", width)
    assert max(len(line) for line in out.splitlines()) <= width
    for name in ("Tempo split squat (3-s lowering)", "Single-leg balance, unstable pad"):
        assert name in out
    assert "…" not in out


@pytest.mark.slow
def test_a_heavy_day_already_logged_reads_as_done_with_the_logged_session(run: Run) -> None:
    out = recommend(run, "2026-11-23", 120)
    assert "heavy leg day Tuesday 24 Nov (done)" in out
    assert "Tue 24 Nov: heavy legs — done (from the log)" in out
    assert re.search(r"Back squat\s+│ 3×5\s+│ 85 kg, RPE 8", out)
    assert "11 done, 0 to come" in out


@pytest.mark.slow
def test_planned_loads_read_as_kilograms_with_their_share_of_1rm(run: Run) -> None:
    out = recommend(run, "2026-11-30", 120)
    assert "heavy leg day Thursday 3 Dec" in out and "(done)" not in out
    assert re.search(r"Back squat\s+│ \d×\d\s+│ \d+(\.5)? kg \(\d+ %\)", out)


@pytest.mark.slow
@pytest.mark.parametrize("width", [80, 120])
def test_the_inputs_name_acwr_monotony_tsb_and_the_race_without_nested_brackets(
    run: Run, width: int
) -> None:
    out = flat(recommend(run, "2026-11-23", width))
    assert re.search(r"ACWR \d\.\d\d — rolling 7:28 coupled on km-effort, .*, Hulin 2016", out)
    assert "(Williams" not in out
    assert re.search(r"monotony \d\.\d\d; TSB -?\d+", out)
    assert "next race: Zurich Winter Trail in 27 d" in out


@pytest.mark.slow
def test_the_rationale_is_a_rule_and_text_table_whose_wrapped_lines_stay_indented(
    run: Run,
) -> None:
    lines = recommend(run, "2026-11-30", 80).splitlines()
    rows = [line for line in lines if re.match(r"│ [SDLPR]\d\s+│ ", line)]
    assert {r[2:4] for r in rows} >= {"S1", "S5", "P3", "D3"}
    continued = [line for line in lines if re.match(r"│\s{6}│ \S", line)]
    assert continued  # wrapped text continues under the text column, the rule cell empty
