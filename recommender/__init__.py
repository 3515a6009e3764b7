"""recommender: pure functions from an activity frame, a profile and logs to a WeekPlan.

``plan_week`` and ``week_start_for`` are imported lazily so the load model, the schedule and the
dose can be imported (and tested) on their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recommender.plan import plan_week, week_start_for

__all__ = ["plan_week", "week_start_for"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from recommender import plan

        return getattr(plan, name)
    raise AttributeError(f"module 'recommender' has no attribute {name!r}")
