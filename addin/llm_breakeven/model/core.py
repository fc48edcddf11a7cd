"""What every topic of the engine shares: the registry of definitions (`define`), the texts'
codes, and which quantities run hour by hour.
"""

from __future__ import annotations

from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

from ..formula import Definition, code
from ..quantities import (
    OPTIONS,
    QUANTITIES,
    RESILIENCE,
    TEXT,
    VERDICT,
)

ArrayLike: TypeAlias = npt.ArrayLike
#: a result: a Python float for scalar input, else an array of the broadcast shape
Floats: TypeAlias = "float | npt.NDArray[np.float64]"
#: verdicts: a str for scalar input, else an object array of str
Verdicts: TypeAlias = "str | npt.NDArray[np.object_]"


#: every derived quantity's definition, by its name in `llm_breakeven.quantities`
DEFINITIONS: dict[str, Definition] = {}


def define(function: Definition) -> Definition:
    """Register `function` as the definition of the quantity its name (less the "_") names."""
    name = function.__name__.removeprefix("_")
    assert name in QUANTITIES, f"{name} is not in the catalogue of quantities"
    DEFINITIONS[name] = function
    return function


#: the engine holds texts as codes, numbered once here in catalogue order
for _text in (*(c for q in QUANTITIES.values() for c in q.choices), *OPTIONS, *RESILIENCE):
    code(_text)
#: each choice's first and last code: numbered in catalogue order, a choice's run unbroken
CHOICE_CODES: Final = {
    name: (code(q.choices[0]), code(q.choices[-1])) for name, q in QUANTITIES.items() if q.choices
}
assert all(
    [code(c) for c in QUANTITIES[name].choices] == list(range(first, last + 1))
    for name, (first, last) in CHOICE_CODES.items()
), "a choice's codes must run unbroken"
#: quantities whose values are texts: codes inside the engine, texts at every face
TEXT_QUANTITIES: Final = frozenset(
    name for name, q in QUANTITIES.items() if q.unit is TEXT or q.unit is VERDICT
)
#: quantities with an hour axis last (a profile's hours), beside their rows
HOURLY: Final = frozenset({
    "hourly_profile", "previous_hourly_profile", "hourly_demand", "hourly_load",
    "kept_hourly_weight", "kept_hourly_load", "hourly_replicas", "kept_hourly_replicas",
    "tail_shares", "hour_rank",
})  # fmt: skip
