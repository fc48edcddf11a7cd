"""What-if rows: a scenario's quantities computed again with some of them changed.

A month of the projection changes the volume and both prices; the tornado moves one input
by ±20 %. Every quantity that follows from a changed one must be computed again. Written out
inline, that is one formula of thousands of characters; here each such quantity gets a
labelled row of its own that reads the rows above it, so a reviewer follows the bill step
by step, as on Calculations. Hourly quantities stay inside the sums that read them (a row
each would take 24).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ..formula import Expr, Symbolic, dependencies
from ..model import DEFINITIONS, HOURLY


def recomputed(targets: Iterable[str], changed: Collection[str]) -> list[str]:
    """The `targets`, and what they read, that follow from a `changed` quantity: each after
    the ones it reads (hourly quantities left out)."""
    wanted: set[str] = set()
    for target in targets:
        for name in {target, *dependencies(DEFINITIONS, target)}:
            reads = dependencies(DEFINITIONS, name)
            if (
                name in DEFINITIONS
                and name not in HOURLY
                and name not in changed
                and (reads & set(changed))
            ):
                wanted.add(name)
    ordered: list[str] = []
    waiting = [name for name in DEFINITIONS if name in wanted]
    while waiting:
        ready = [n for n in waiting if not (dependencies(DEFINITIONS, n) & set(waiting) - {n})]
        ordered.extend(ready)
        waiting = [n for n in waiting if n not in ready]
    return ordered


def rewritten(
    q: Symbolic, changed: Mapping[str, Any], cells: Mapping[str, Expr]
) -> dict[str, Expr]:
    """Each quantity of `cells` written for its cell there: its definition with `changed`
    bound and every other quantity of `cells` read in its cell."""
    s = q.rebind(None, **changed, **cells)
    return {name: s.define(name) for name in cells}
