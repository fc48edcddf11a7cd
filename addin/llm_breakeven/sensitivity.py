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

The workbook's Sensitivity sheet, the `sensitivity` and `simulate` commands and the
PROB_SELFHOST_CHEAPER function build on these functions.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import model
from . import projection as projection_module
from .quantities import FIELDS, QUANTITIES

#: the inputs a tornado moves unless told otherwise: those a finance team argues about
KEY_INPUTS = ("monthly_volume", "input_price", "output_price", "hourly_rate",
              "replica_throughput", "replica_output_tokens_per_second", "max_utilization",
              "peak_to_average", "ops_fte", "annual_cost_per_fte",
              "other_fixed_monthly_cost")  # fmt: skip
#: the two-way grid's default rows (utilizations) and columns (factors on the hourly rate)
DEFAULT_UTILIZATIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
DEFAULT_FACTORS = (0.5, 0.75, 1.0, 1.25, 1.5)
TINY = float(QUANTITIES["tiny"].default)  # type: ignore[arg-type]
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

    An input the scenario leaves blank (the other throughput, say) or at 0 (no ops staff) is
    skipped, unless given a range; a moved value is clipped to the input's valid range (a
    utilization stays at most 1).

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
    names = [n for n in (names or KEY_INPUTS) if _given(inputs, n) or n in (ranges or {})]
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
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Self-host cost per request over the API's, for every pair of two inputs' values.

    Either axis may be `utilization`: then the self-host cost is the by-utilization table's
    (one replica carrying the minimum bill at that utilization), else the scenario's own
    cost per request at its volume. A large grid is computed a block of rows at a time
    (`progress` is told the rows done after each).

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> g = grid(article, ("hourly_rate", [1, 2, 4]), ("monthly_volume", [1_296_000, 5_184_000]))
    >>> g.round(3).values.tolist()
    [[0.444, 0.111], [0.889, 0.222], [1.778, 0.444]]
    >>> grid(article, ("utilization", [0.25, 1]), ("hourly_rate", [2])).round(3).values.tolist()
    [[0.889], [0.222]]
    """
    (row_name, row_values), (column_name, column_values) = rows, columns
    ys = np.asarray(row_values, dtype=float)[:, None]
    xs = np.asarray(column_values, dtype=float)[None, :]
    for name in (row_name, column_name):
        if name != "utilization" and (name not in FIELDS or FIELDS[name].choices):
            raise ValueError(f"{name} is not a numeric scenario input or utilization")
    cost = "cost_per_request" if "utilization" in (row_name, column_name) else (
        "selfhost_cost_per_request")  # fmt: skip
    ratio = np.empty((ys.size, xs.size))
    block = max(1, CHUNK // max(1, xs.size))
    for start in range(0, ys.size, block):
        axes = {row_name: ys[start : start + block], column_name: xs}
        bound = {"utilization": axes.pop("utilization")} if "utilization" in axes else {}
        found = model.figures((cost, "api_cost_per_request"), {**inputs, **axes}, **bound)
        ratio[start : start + block] = found[cost] / found["api_cost_per_request"]
        if progress is not None:
            progress(min(ys.size, start + block))
    return pd.DataFrame(ratio, index=pd.Index(ys.ravel(), name=row_name),
                        columns=pd.Index(xs.ravel(), name=column_name))  # fmt: skip


#: samples evaluated at once: bounds the memory a long run takes
CHUNK = 50_000
#: draws projected together: their months' temporaries stay within the processor's caches
PROJECTION_CHUNK = 4_096


def simulate(
    inputs: Mapping[str, Any],
    ranges: Mapping[str, tuple[float, float, float]],
    samples: int = 100_000,
    seed: int = 0,
    projection: bool = False,
    progress: Callable[[int], None] | None = None,
    keep_draws: bool = False,
) -> dict[str, Any]:
    """Monte Carlo over triangular (low, base, high) ranges of some inputs.

    Returns the probability that self-hosting is cheaper (monthly savings above 0), and the
    P10 / P50 / P90 of the monthly savings and of the break-even volume (inf: never). With
    `projection`, each draw also runs its projection: the probability that some switch month
    pays (the best switch NPV above 0) and the P10 / P50 / P90 of that NPV. The same seed
    gives the same figures. `inputs` may be a scenario's or components (see `model.figures`);
    `progress` is called with the samples done after each chunk; `keep_draws` returns every
    draw's monthly savings too (as "savings_draws"), for a histogram.

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> simulate(article, {"hourly_rate": (2, 2, 2)}, 1000)["probability_selfhost_cheaper"]
    1.0
    """
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise ValueError(f"samples must be a whole number at least 1 (got {samples!r})")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number at least 0 (got {seed!r})")
    for name, triple in ranges.items():
        known = name in FIELDS or name in model.PROJECTION_ARGUMENTS
        if not known or (name in FIELDS and FIELDS[name].choices):
            raise ValueError(f"{name} is not a numeric input")
        if len(triple) != 3:
            raise ValueError(f"{name} needs (low, base, high) (got {triple!r})")
        low, mode, high = (float(v) for v in triple)
        if not low <= mode <= high:
            raise ValueError(f"{name} needs low <= base <= high (got {triple!r})")
    rng = np.random.default_rng(seed)
    savings, breakeven, npv = [], [], []
    done = 0
    while done < samples:
        size = min(CHUNK, samples - done)
        drawn: dict[str, Any] = dict(inputs)
        for name, triple in ranges.items():
            low, mode, high = (float(v) for v in triple)
            # numpy's triangular refuses a range of one point: it is that point
            drawn[name] = (np.full(size, mode) if low == high
                           else rng.triangular(low, mode, high, size))  # fmt: skip
        found = model.figures(("monthly_savings", "breakeven_volume"), drawn)
        savings.append(np.broadcast_to(found["monthly_savings"], (size,)))
        breakeven.append(np.broadcast_to(found["breakeven_volume"], (size,)))
        if projection:
            npv.extend(_best_npvs(drawn, ranges, size))
        done += size
        if progress is not None:
            progress(done)
    all_savings, all_breakeven = np.concatenate(savings), np.concatenate(breakeven)
    result = {
        "samples": samples,
        "seed": seed,
        "probability_selfhost_cheaper": float(np.mean(all_savings > 0)),
        "savings": _percentiles(all_savings),
        "breakeven_volume": _percentiles(all_breakeven),
    }
    if projection:
        all_npv = np.concatenate(npv)
        result["probability_switch_pays"] = float(np.mean(all_npv > 0))
        result["best_switch_npv"] = _percentiles(all_npv)
    if keep_draws:
        result["savings_draws"] = all_savings
    return result


def _best_npvs(drawn: dict[str, Any], ranges: Mapping[str, Any], size: int) -> list[np.ndarray]:
    """Each draw's best switch NPV, a few thousand draws at a time (their months' temporaries
    stay in cache), shared out among the cores in order."""

    def part(start: int) -> np.ndarray:
        given = {k: v[start : start + PROJECTION_CHUNK] if k in ranges else v
                 for k, v in drawn.items()}  # fmt: skip
        best = projection_module.best_switch_npv(**given)
        return np.broadcast_to(best, (min(PROJECTION_CHUNK, size - start),))

    # each task runs in the caller's context: unchecked() holds there too
    context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(model.WORKERS) as pool:
        return list(pool.map(lambda start: context.copy().run(part, start),
                             range(0, size, PROJECTION_CHUNK)))  # fmt: skip


def default_ranges(
    inputs: Mapping[str, Any], spread: float = 0.2, names: Sequence[str] | None = None
) -> dict[str, tuple[float, float, float]]:
    """Triangular ranges of ±`spread` around each key input the scenario gives (clipped to
    its valid values, as `tornado` moves them): what `simulate` draws when told nothing.

    >>> default_ranges({"hourly_rate": 2.0, "max_utilization": 0.9}, 0.2)["hourly_rate"]
    (1.6, 2.0, 2.4)
    >>> default_ranges({"hourly_rate": 2.0, "max_utilization": 0.9}, 0.2)["max_utilization"][2]
    1.0
    """
    _check_share(spread, "spread")
    found = {}
    for name in names or KEY_INPUTS:
        if _given(inputs, name):
            value = float(inputs[name])
            low, high = _clip(name, value * (1 - spread)), _clip(name, value * (1 + spread))
            found[name] = (low, value, high)
    return found


def probability_selfhost_cheaper(
    ranges: Mapping[str, tuple[float, float, float]], samples: int, seed: int, **inputs: Any
) -> float:
    """The share of `samples` seeded draws in which self-hosting is cheaper (see `simulate`).

    >>> probability_selfhost_cheaper({"replica_monthly_cost": (1000, 1500, 2000)}, 20_000, 0,
    ...     monthly_volume=1_296_000, api_cost_per_request=0.00125,
    ...     replica_capacity=5_184_000)  # the cost below 1620: 1 - 380² / (1000 × 500) = 0.7112
    0.70965
    """
    return float(simulate(inputs, ranges, samples, seed)["probability_selfhost_cheaper"])


def _percentiles(values: np.ndarray) -> dict[int, float]:
    """numpy's (linear) percentiles, with "never" (inf) kept: where numpy's interpolation
    meets an infinity (inf - inf, or inf × 0) it gives NaN, and the percentile is then the
    order statistic it lands on (t = 0) or, with any weight on an infinity, that infinity.

    >>> _percentiles(np.array([1.0, 2.0, np.inf, np.inf, np.inf]))
    {10: 1.4, 50: inf, 90: inf}
    """
    with np.errstate(invalid="ignore"):
        found = np.percentile(values, PERCENTILES).tolist()
    ordered = np.sort(values)
    last = len(ordered) - 1
    for i, (p, value) in enumerate(zip(PERCENTILES, found, strict=True)):
        if math.isnan(value):
            position = p / 100 * last
            low = math.floor(position)
            below, above = ordered[low], ordered[min(low + 1, last)]
            found[i] = float(below if position == low or math.isinf(below) else above)
    return dict(zip(PERCENTILES, found, strict=True))


def _given(inputs: Mapping[str, Any], name: str) -> bool:
    """The scenario gives `name` a value a share of which can move it: not blank, not 0."""
    value = inputs.get(name)
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and \
        value != 0  # fmt: skip


def _clip(name: str, value: float) -> float:
    bound = FIELDS[name].scenario_bound or FIELDS[name].bound
    if bound.high != math.inf:
        value = min(value, bound.high)
    # an open low end: just above it, by the catalogue's stand-in for 0 (as the workbook)
    return max(value, bound.low) if not bound.low_open else max(value, bound.low + TINY)


def _check_share(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a fraction in [0, 1) (got {value!r})")
