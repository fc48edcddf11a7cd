"""The hybrid's searches (the cheapest fleet, the break-even) and the engine's results by
topic: `hybrid`, `cost_waterfall`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import fleet
from ..formula import Numeric
from ..quantities import (
    FIELDS,
    HYBRID_OUTPUTS,
)
from .core import DEFINITIONS, HOURLY, ArrayLike
from .evaluation import default_of, scenario_namespace
from .waterfall import WATERFALL

#: quantities a search over replicas reads, computed once before it
_HYBRID_BASE = (
    "hourly_demand", "usable_hourly_capacity", "replica_monthly_cost", "fixed_monthly_cost",
    "selfhost_variable_cost_per_request", "api_cost_per_request", "api_margin",
    "profile_hours", "tail_shares", "hour_rank", "serving_replicas", "peak_to_average_used",
    "replica_capacity",
)  # fmt: skip


def at_replicas(scenario: Numeric, replicas: Any) -> Numeric:
    """The scenario with `replicas` self-hosted in the hybrid."""
    given = {name: getattr(scenario, name) for name in _HYBRID_BASE}
    given.update({k: v for k, v in scenario.__dict__["_values"].items()
                  if k in FIELDS or k == "hourly_profile"})  # fmt: skip
    return Numeric(DEFINITIONS, {**given, "replicas": np.asarray(replicas, dtype=float)},
                   default_of, HOURLY)  # fmt: skip


def _halved(low: Any, high: Any, rising: Callable[[Any], Any]) -> Any:
    """Each row's least count in [low, high] past which `rising(count)` holds, by halving
    (`rising(N)`: N + 1 does not beat N; it holds from some count on, as for a convex
    figure). The workbook's Hybrid sheet takes the same steps (`workbook.shape._halving`)."""
    shape = np.broadcast_shapes(np.shape(low), np.shape(high))
    low = np.array(np.broadcast_to(low, shape), dtype=float)
    high = np.array(np.broadcast_to(high, shape), dtype=float)
    while np.any(low < high):
        middle = np.floor((low + high) / 2)
        up = np.asarray(rising(middle))
        searching = low < high
        high = np.where(searching & up, middle, high)
        low = np.where(searching & ~up, middle + 1, low)
    return low


#: what a fleet scaling to zero reads besides its profile and rate (`fleet.Fleet`)
_FLEET = (
    "hours_per_month", "usable_hourly_capacity", "replica_tolerance", "routed_share",
    "cold_start_hours", "failover_replicas", "fixed_monthly_cost", "api_margin",
    "peak_to_average_used", "replica_capacity", "max_utilization",
)  # fmt: skip


def _fleets(scenario: Numeric, shape: tuple[int, ...]) -> dict[int, fleet.Fleet]:
    """The rented rows (of `shape`, flat positions) that scale to zero, as `fleet.Fleet`s."""
    scales = np.broadcast_to(np.asarray(scenario.billing_scales, dtype=bool), shape)
    if not scales.any():
        return {}

    def column(value: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=float), shape).reshape(-1)

    columns = {name: column(getattr(scenario, name)) for name in _FLEET}
    rate = column(scenario.hourly_rate * scenario.gpus_per_replica)
    profile = np.asarray(scenario.hourly_profile, dtype=float)
    profiles = np.broadcast_to(profile, shape + profile.shape[-1:]).reshape(-1, profile.shape[-1])
    return {i: fleet.Fleet(profiles[i], rate=float(rate[i]),
                           **{name: float(c[i]) for name, c in columns.items()})
            for i in map(int, np.flatnonzero(scales))}  # fmt: skip


def _scaled_counts(
    scenario: Numeric, fleets: dict[int, fleet.Fleet], found: np.ndarray
) -> np.ndarray:
    """Each row's candidate counts for the cheapest fleet (`fleet.candidates`; rows not
    scaling to zero keep `found`), one column per candidate, padded with the first."""
    volume = np.broadcast_to(np.asarray(scenario.monthly_volume, dtype=float), found.shape)
    peak = np.broadcast_to(np.asarray(scenario.serving_replicas, dtype=float), found.shape)
    flat = {}
    for i, one in fleets.items():
        demand = one.demand(float(volume.flat[i]))
        needs = one.needs(demand)
        if np.isfinite(needs).all() and np.isfinite(peak.flat[i]):
            flat[i] = fleet.candidates(one, needs, demand, max(float(peak.flat[i]), 1.0))
    width = max((len(c) for c in flat.values()), default=0)
    counts = np.repeat(found.reshape(-1, 1), max(width, 1), axis=1)
    for i, c in flat.items():
        counts[i] = np.pad(c, (0, width - len(c)), mode="edge")
    return counts


#: costs this close (relative) are one cost: the fewer replicas are the cheapest fleet
_TIE = 1e-12


def optimum(scenario: Numeric) -> tuple[Any, Any]:
    """The cost-optimal replicas of each scenario and the hybrid cost there: by halving
    where the cost is convex in the replicas; scaling to zero, the least of the counts
    that can hold the optimum (`fleet.candidates`)."""
    peak = np.asarray(scenario.serving_replicas, dtype=float)
    pure_api = np.asarray(at_replicas(scenario, 0.0).hybrid_monthly_cost)

    def rising(n: Any) -> Any:  # the cost is convex from one replica up
        return (
            at_replicas(scenario, n + 1).hybrid_monthly_cost
            >= at_replicas(scenario, n).hybrid_monthly_cost
        )

    shape = np.broadcast_shapes(peak.shape, pure_api.shape)
    low = _halved(np.ones(shape), np.maximum(peak, 1), rising)
    best = np.asarray(at_replicas(scenario, low).hybrid_monthly_cost)
    fleets = _fleets(scenario, shape)
    if fleets:
        counts = _scaled_counts(scenario, fleets, np.array(np.broadcast_to(low, shape)))
        low, best = np.array(np.broadcast_to(low, shape)), np.array(np.broadcast_to(best, shape))
        for k in range(counts.shape[1]):
            here = counts[:, k].reshape(shape)
            cost = np.asarray(at_replicas(scenario, here).hybrid_monthly_cost)
            # the fewest replicas on ties (to the last bits: replicas past every hour's
            # need never run, and their cost differs only by the order of a sum)
            tie = np.abs(cost - best) <= _TIE * np.abs(best)
            better = np.where(tie, here < low, cost < best)
            low, best = np.where(better, here, low), np.where(better, cost, best)
    # NaN inputs (a bad cell in Excel) stay NaN
    chosen = np.where(best < pure_api, low, np.where(np.isnan(best), np.nan, 0.0))
    return chosen, np.where(chosen > 0, best, pure_api)


def _breakeven_range(scenario: Numeric) -> tuple[Any, Any]:
    """The replica counts the hybrid break-even's search halves: from the fewest that can
    pay to the most worth searching (`hybrid_paying_replicas`, `hybrid_search_top`)."""
    first = np.asarray(scenario.hybrid_paying_replicas, dtype=float)
    top = np.asarray(at_replicas(scenario, first + 1).hybrid_search_top, dtype=float)
    return first, np.maximum(top, first)


def hybrid_breakeven_of(scenario: Numeric) -> Any:
    """The least volume, over N ≥ 1 replicas, from which N replicas beat pure API.

    Each N's volume is the largest of lines in N (`hybrid_breakeven_candidate`), so it is
    convex in N: halving `_breakeven_range` finds the least, as the workbook's Hybrid sheet
    does step by step (a count that cannot pay, never, sends the search up)."""

    def rising(n: Any) -> Any:
        here = np.asarray(at_replicas(scenario, n).hybrid_breakeven_candidate)
        return np.isfinite(here) & (at_replicas(scenario, n + 1).hybrid_breakeven_candidate >= here)

    low = _halved(*_breakeven_range(scenario), rising)
    found = np.asarray(at_replicas(scenario, low).hybrid_breakeven_candidate, dtype=float)
    fleets = _fleets(scenario, found.shape)
    if fleets:
        # scaling to zero, a walk along the volume's steps (`fleet.breakeven`)
        found = np.array(found)
        for i, one in fleets.items():
            found.flat[i] = fleet.breakeven(one)
    return found


def hybrid_search_ranges(**inputs: ArrayLike | None) -> dict[str, np.ndarray]:
    """What the hybrid's two searches halve: 1 to `serving_replicas` for the cheapest
    fleet, `hybrid_paying_replicas` to `hybrid_search_top` for the break-even."""
    scenario = scenario_namespace(inputs)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        first, top = _breakeven_range(scenario)
        return {"serving_replicas": np.asarray(scenario.serving_replicas, dtype=float),
                "hybrid_paying_replicas": first, "hybrid_search_top": top}  # fmt: skip


def hybrid(**inputs: ArrayLike | None) -> dict[str, np.ndarray]:
    """The hybrid optimum and break-even of whole scenarios (inputs as `evaluate` takes them,
    plus `hourly_profile`).

    Returns
    -------
    dict of ndarray
        Keyed by `HYBRID_OUTPUTS`: the cost-optimal replicas (0 = pure API), the hybrid
        monthly cost and self-hosted share there, and the hybrid break-even volume (inf:
        never).

    Examples
    --------
    At $0.0008 a request, one replica carrying the quiet hours and two thirds of the busy
    ones, with the API taking the rest, beats both pure options:

    >>> r = hybrid(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=0.6,
    ...            hourly_rate=2, replica_throughput=2, monthly_volume=5_184_000,
    ...            hours_per_month=720, hourly_profile=[1] * 12 + [3] * 12)
    >>> [round(float(r[k]), 4) for k in HYBRID_OUTPUTS]
    [1.0, 2476.8, 0.75, 1800000.0]
    """
    scenario = scenario_namespace(inputs)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        chosen, cost = optimum(scenario)
        share = at_replicas(scenario, chosen).hybrid_selfhost_share
        results = {
            "optimal_replicas": chosen,
            "optimal_hybrid_monthly_cost": cost,
            "optimal_hybrid_selfhost_share": share,
            "hybrid_breakeven_volume": hybrid_breakeven_of(scenario),
        }
    shape = np.broadcast_shapes(*(np.shape(v) for v in results.values()))
    return {name: np.broadcast_to(results[name], shape) for name in HYBRID_OUTPUTS}


def cost_waterfall(**inputs: ArrayLike | None) -> dict[str, np.ndarray]:
    """Where the self-host cost of a request comes from, layer by layer (see `WATERFALL`):
    the GPU at full use, then what whole replicas at the average load add (idle capacity),
    what the busiest hour and the headroom add, failover, fixed costs and the variable cost.
    The layers add up to `selfhost_cost_per_request`; `api_cost_per_request` is beside them.

    Examples
    --------
    The article fully loaded at 14.6M requests: $0.000278 at full use grows to $0.001292.

    >>> w = cost_waterfall(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                    output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                    monthly_volume=14_600_000, hours_per_month=720, max_utilization=0.7,
    ...                    peak_to_average=2, failover_replicas=1, ops_fte=0.25,
    ...                    annual_cost_per_fte=200_000, other_fixed_monthly_cost=300)
    >>> [round(float(w[k]), 6) for k in WATERFALL]
    [0.000278, 1.8e-05, 0.000592, 9.9e-05, 0.000306, 0.0]
    >>> round(float(w["selfhost_cost_per_request"]), 6), float(w["api_cost_per_request"])
    (0.001292, 0.00125)
    """
    scenario = scenario_namespace(inputs)
    names = (*WATERFALL, "selfhost_cost_per_request", "api_cost_per_request")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        results = {name: np.asarray(getattr(scenario, name)) for name in names}
    shape = np.broadcast_shapes(*(v.shape for v in results.values()))
    return {name: np.broadcast_to(results[name], shape) for name in names}
