"""Which assumption matters most, and how likely self-hosting is to come out cheaper.

- `tornado`: each key input moved to its low and its high value (±20 % by default, or a range
  given), the others at base; the monthly savings at the scenario's volume and the break-even
  volume at each end, sorted by the swing in savings, largest first. Every end is one direct
  engine evaluation.
- `grid`: self-host cost per request over the API's across two inputs: below 1 self-hosting
  is cheaper, so the break-even line is where the grid crosses 1.
- `simulate`: Monte Carlo over inputs given as (low, base, high) triangular ranges, seeded and
  vectorized: the probability that self-hosting is cheaper and the P10 / P50 / P90 of the
  monthly savings and of the break-even volume.

The workbook's Sensitivity sheet and the CLI commands of issue "Decide over time and under
uncertainty" build on these functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import model
from .quantities import FIELDS

#: the inputs a tornado moves unless told otherwise: those a finance team argues about
KEY_INPUTS = ("monthly_volume", "input_price", "output_price", "hourly_rate",
              "replica_throughput", "replica_output_tokens_per_second", "max_utilization",
              "peak_to_average", "ops_fte", "annual_cost_per_fte",
              "other_fixed_monthly_cost")  # fmt: skip
#: `simulate`'s percentiles
PERCENTILES = (10, 50, 90)


def tornado(
    inputs: Mapping[str, Any],
    names: Sequence[str] | None = None,
    spread: float = 0.2,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """The effect of each input at its low and high end on the monthly savings and the
    break-even volume, sorted by the swing in savings (largest first).

    An input the scenario leaves blank (the other throughput, say) is skipped; a moved value
    is clipped to the input's valid range (a utilization stays at most 1).

    Examples
    --------
    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> t = tornado(article, ["hourly_rate", "monthly_volume"])
    >>> t["input"].tolist(), t["savings_swing"].round(2).tolist()
    (['monthly_volume', 'hourly_rate'], [648.0, 576.0])
    """
    _check_share(spread, "spread")
    names = [n for n in (names or KEY_INPUTS) if _given(inputs, n)]
    for name in [*names, *(ranges or {})]:
        if name not in FIELDS or FIELDS[name].choices:
            raise ValueError(f"{name} is not a numeric scenario input")
    base = model.evaluate(**inputs)
    rows = []
    for name in names:
        value = float(inputs[name])
        if ranges and name in ranges:
            low, high = (float(v) for v in ranges[name])
        else:
            low, high = value * (1 - spread), value * (1 + spread)
        low, high = _clip(name, low), _clip(name, high)
        ends = model.evaluate(**{**inputs, name: np.array([low, high])})
        savings, breakeven = ends["monthly_savings"], ends["breakeven_volume"]
        rows.append({
            "input": name, "low": low, "high": high,
            "savings_low": float(savings[0]), "savings_high": float(savings[1]),
            "breakeven_low": float(breakeven[0]), "breakeven_high": float(breakeven[1]),
            "savings_swing": abs(float(savings[1] - savings[0])),
        })  # fmt: skip
    table = pd.DataFrame(
        rows,
        columns=[
            "input",
            "low",
            "high",
            "savings_low",
            "savings_high",
            "breakeven_low",
            "breakeven_high",
            "savings_swing",
        ],
    )
    table.attrs["base_savings"] = float(base["monthly_savings"])
    # a stable sort: equal swings keep the order the inputs were named in
    return table.sort_values("savings_swing", ascending=False, kind="stable").reset_index(drop=True)


def grid(
    inputs: Mapping[str, Any],
    rows: tuple[str, Sequence[float]],
    columns: tuple[str, Sequence[float]],
) -> pd.DataFrame:
    """Self-host cost per request over the API's, for every pair of two inputs' values.

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> g = grid(article, ("hourly_rate", [1, 2, 4]), ("monthly_volume", [1_296_000, 5_184_000]))
    >>> g.round(3).values.tolist()
    [[0.444, 0.111], [0.889, 0.222], [1.778, 0.444]]
    """
    (row_name, row_values), (column_name, column_values) = rows, columns
    ys = np.asarray(row_values, dtype=float)[:, None]
    xs = np.asarray(column_values, dtype=float)[None, :]
    found = model.evaluate(**{**inputs, row_name: ys, column_name: xs})
    ratio = found["selfhost_cost_per_request"] / found["api_cost_per_request"]
    return pd.DataFrame(ratio, index=pd.Index(ys.ravel(), name=row_name),
                        columns=pd.Index(xs.ravel(), name=column_name))  # fmt: skip


def simulate(
    inputs: Mapping[str, Any],
    ranges: Mapping[str, tuple[float, float, float]],
    samples: int = 100_000,
    seed: int = 0,
) -> dict[str, Any]:
    """Monte Carlo over triangular (low, base, high) ranges of some inputs.

    Returns the probability that self-hosting is cheaper (monthly savings above 0), and the
    P10 / P50 / P90 of the monthly savings and of the break-even volume (inf: never). The same
    seed gives the same figures.

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> simulate(article, {"hourly_rate": (2, 2, 2)}, 1000)["probability_selfhost_cheaper"]
    1.0
    """
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise ValueError(f"samples must be a whole number at least 1 (got {samples!r})")
    rng = np.random.default_rng(seed)
    drawn: dict[str, Any] = dict(inputs)
    for name, triple in ranges.items():
        if name not in FIELDS or FIELDS[name].choices:
            raise ValueError(f"{name} is not a numeric scenario input")
        low, mode, high = (float(v) for v in triple)
        if not low <= mode <= high:
            raise ValueError(f"{name} needs low <= base <= high (got {triple!r})")
        # numpy's triangular refuses a range of one point: it is that point
        drawn[name] = (np.full(samples, mode) if low == high
                       else rng.triangular(low, mode, high, samples))  # fmt: skip
    found = model.evaluate(**drawn)
    savings = np.broadcast_to(found["monthly_savings"], (samples,))
    breakeven = np.broadcast_to(found["breakeven_volume"], (samples,))
    savings_at = np.percentile(savings, PERCENTILES).tolist()
    breakeven_at = np.percentile(breakeven, PERCENTILES).tolist()
    return {
        "samples": samples,
        "seed": seed,
        "probability_selfhost_cheaper": float(np.mean(savings > 0)),
        "savings": dict(zip(PERCENTILES, savings_at, strict=True)),
        "breakeven_volume": dict(zip(PERCENTILES, breakeven_at, strict=True)),
    }


def _given(inputs: Mapping[str, Any], name: str) -> bool:
    value = inputs.get(name)
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _clip(name: str, value: float) -> float:
    bound = FIELDS[name].scenario_bound or FIELDS[name].bound
    if bound.high != math.inf:
        value = min(value, bound.high)
    return max(value, bound.low) if not bound.low_open else max(value, bound.low + 1e-12)


def _check_share(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a fraction in [0, 1) (got {value!r})")
