"""Issue 14, finding 7: the parse gate is work-conserving and fair. One athlete alone uses every
slot; an athlete who arrives while another floods gets the next free slot (a wait of one parse);
several athletes take turns; a caller who gives up leaves no slot taken."""

from __future__ import annotations

import asyncio

from api.parse_gate import ParseGate


async def flood(
    gate: ParseGate, jobs: list[tuple[int, float]], late: list[tuple[int, float]]
) -> list[int]:
    """Start ``jobs`` (athlete, seconds) at once, ``late`` a moment later; the order of grants."""
    order: list[int] = []

    async def job(athlete: int, seconds: float) -> None:
        async with gate.slot(athlete):
            order.append(athlete)
            await asyncio.sleep(seconds)

    tasks = [asyncio.create_task(job(a, s)) for a, s in jobs]
    await asyncio.sleep(0.01)
    tasks += [asyncio.create_task(job(a, s)) for a, s in late]
    await asyncio.gather(*tasks)
    return order


def test_one_athlete_alone_uses_every_parse_slot() -> None:
    async def run() -> int:
        gate = ParseGate(3)
        peak = 0

        async def job() -> None:
            nonlocal peak
            async with gate.slot(1):
                peak = max(peak, gate.busy)
                await asyncio.sleep(0.02)

        await asyncio.gather(*(job() for _ in range(9)))
        return peak

    assert asyncio.run(run()) == 3


def test_a_second_athlete_waits_for_one_parse_while_the_first_floods() -> None:
    gate = ParseGate(2)
    order = asyncio.run(flood(gate, [(1, 0.05)] * 10, [(2, 0.01)]))
    assert order.index(2) == 2  # Ana's two running parses, then Bo at the first free slot


def test_athletes_who_flood_together_take_turns() -> None:
    gate = ParseGate(1)
    order = asyncio.run(flood(gate, [(1, 0.05)] * 4, [(2, 0.02)] * 4 + [(3, 0.02)] * 4))
    assert order[:7] == [1, 2, 3, 1, 2, 3, 1]


def test_a_caller_that_gives_up_while_queued_takes_no_slot() -> None:
    async def run() -> int:
        gate = ParseGate(1)
        await gate.acquire(1)
        waiting = asyncio.create_task(gate.acquire(2))
        await asyncio.sleep(0.01)
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        gate.release(1)
        await asyncio.wait_for(gate.acquire(3), 1)
        return gate.busy

    assert asyncio.run(run()) == 1
