"""Decide over time: a scenario month by month as traffic grows and prices fall, and the
month from which switching from the API to self-hosting is worth most today.

For month m = 1..H of a horizon of H months, with monthly growth g and yearly price changes:

- volume V_m = V × (1 + g)^(m − 1);
- the API's cost per request a × (1 + API change)^((m − 1) / 12) (its list prices scale);
- the GPU-hour rate × (1 + GPU change)^((m − 1) / 12);
- replicas sized for V_m as today, and both monthly bills of the month, from the engine.

Switching in month s pays the API before s, the migration cost M in s and the self-host bills
from s on. Its net present value against staying on the API discounts each month's difference
by (1 + r)^(−m / 12):

    NPV(s) = −M × (1 + r)^(−s / 12) + Σ_{m ≥ s} (API_m − self-host_m) × (1 + r)^(−m / 12)

The best switch month maximizes the NPV (the earliest on ties; none when no NPV is positive);
its payback month is the first from which the savings since switching cover M.

Every month's figures come from `llm_breakeven.model.month_bindings` and the engine's
definitions, so the workbook's Projection sheet and the PROJECTION function agree with them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import model
from .quantities import QUANTITIES

#: the columns of `project`'s table, in order
COLUMNS = ("month", "monthly_volume", "api_cost_per_request", "replica_monthly_cost",
           "replicas_needed", "api_monthly_cost", "selfhost_total_monthly_cost",
           "monthly_savings", "discount_factor", "switch_npv")  # fmt: skip


def project(inputs: Mapping[str, Any], **changes: Any) -> pd.DataFrame:
    """One scenario (inputs as `model.evaluate` takes them, the time inputs included, or
    given as `changes`) month by month over its horizon: a row a month, with the NPV of
    switching in that month.

    Examples
    --------
    The article's example growing 10 % a month: self-hosting pays from month 1, more each
    month while one replica holds the traffic.

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> table = project(article, monthly_growth=0.1, horizon_months=3)
    >>> table["monthly_savings"].round(2).tolist()
    [180.0, 342.0, 520.2]
    >>> table["switch_npv"].round(2).tolist()
    [1042.2, 862.2, 520.2]
    """
    given = {**inputs, **changes}
    horizon = _horizon(given)
    columns = _months(given, np.arange(1, horizon + 1, dtype=float))
    columns["switch_npv"] = _npvs(columns["monthly_savings"], columns["discount_factor"],
                                  float(given.get("migration_cost", 0.0)))  # fmt: skip
    table = pd.DataFrame({name: np.ravel(columns[name]) for name in COLUMNS})
    table["month"] = table["month"].astype(int)
    return table


def switch_outcome(**inputs: Any) -> dict[str, np.ndarray]:
    """`PROJECTION_OUTPUTS` of whole scenarios, one per array element: the NPV of switching
    now, the best switch month (inf: never), its NPV and its payback month (inf: never
    within the horizon). Takes a scenario's inputs, or `model.PROJECTION_ARGUMENTS`.

    Every scenario runs to the longest horizon given; the months past its own are left out.

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720, monthly_growth=0.1,
    ...                horizon_months=3)
    >>> r = switch_outcome(**article, migration_cost=[500, 2000])
    >>> r["best_switch_month"].tolist(), r["switch_payback_month"].tolist()
    ([1.0, inf], [2.0, inf])
    """
    month, within, savings, npv = _npv_months(inputs)
    best, best_npv = _best(npv)
    switch = np.where(best_npv > 0, best + 1.0, np.inf)
    since = np.cumsum(np.where(month >= switch, savings, 0.0), axis=0)
    migration = np.asarray(inputs.get("migration_cost", 0.0), dtype=float)
    covered = (month >= switch) & within & (since >= migration)
    payback = np.where(covered.any(axis=0), np.argmax(covered, axis=0) + 1.0, np.inf)
    return {"switch_now_npv": npv[0], "best_switch_month": switch,
            "best_switch_npv": best_npv, "switch_payback_month": payback}  # fmt: skip


#: the first year: months 1 to 12 of the projection, whatever its horizon
YEAR_MONTHS = 12


def first_year(**inputs: Any) -> dict[str, np.ndarray]:
    """`YEAR_OUTPUTS` of whole scenarios, one per array element: both bills summed over months
    1 to 12 of the projection (the scenario's growth and price paths, whatever its horizon),
    the savings (their difference) and, where compliance requires self-hosting, what it costs
    above the API then (0 otherwise).

    >>> article = dict(input_tokens=1000, output_tokens=500, input_price=0.5,
    ...                output_price=1.5, hourly_rate=2, replica_throughput=2,
    ...                monthly_volume=1_296_000, hours_per_month=720)
    >>> {k: float(v) for k, v in first_year(**article).items()}
    {'api_annual_cost': 19440.0, 'selfhost_annual_cost': 17280.0, 'annual_savings': 2160.0, 'control_premium_annual': 0.0}
    >>> # growing 10 % a month: $1,620 x (1.1^12 - 1) / 0.1 = $34,642.5
    >>> round(float(first_year(**article, monthly_growth=0.1)["api_annual_cost"]), 1)
    34642.5
    """  # noqa: E501
    columns = _months(inputs, _month_axis(inputs, YEAR_MONTHS))
    api = np.sum(columns["api_monthly_cost"], axis=0)
    selfhost = np.sum(columns["selfhost_total_monthly_cost"], axis=0)
    year = model.figures(("annual_savings", "control_premium_annual"), inputs,
                         api_annual_cost=api, selfhost_annual_cost=selfhost)  # fmt: skip
    return {"api_annual_cost": api, "selfhost_annual_cost": selfhost, **year}


def best_switch_npv(**inputs: Any) -> np.ndarray:
    """The NPV of switching in the best month of `switch_outcome` alone, computing nothing
    else (what each Monte Carlo draw asks for).

    >>> best_switch_npv(monthly_volume=1_296_000, api_cost_per_request=0.00125,
    ...                 replica_monthly_cost=1440, replica_capacity=5_184_000,
    ...                 migration_cost=[0, 1000], horizon_months=3).tolist()
    [540.0, -460.0]
    """
    return _best(_npv_months(inputs)[3])[1]


def _best(npv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The index of the best month (the first of equal maxima: the earliest) and its NPV."""
    best = np.argmax(npv, axis=0)
    return best, np.take_along_axis(npv, best[None], axis=0)[0]


def best_switch_month(**inputs: Any) -> np.ndarray:
    """The best switch month of `switch_outcome` alone (inf: never).

    >>> best_switch_month(monthly_volume=1_296_000, api_cost_per_request=0.00125,
    ...                   replica_monthly_cost=1440, replica_capacity=5_184_000,
    ...                   migration_cost=[0, 1000, 9000]).tolist()
    [1.0, 1.0, inf]
    """
    return switch_outcome(**inputs)["best_switch_month"]


def switch_npv(switch_month: Any, **inputs: Any) -> np.ndarray:
    """NPV against staying on the API of switching in `switch_month` (see the module), for
    a scenario's inputs or `model.PROJECTION_ARGUMENTS`; NaN past the horizon.

    >>> switch_npv([1, 2], monthly_volume=1_296_000, api_cost_per_request=0.00125,
    ...            replica_monthly_cost=1440, replica_capacity=5_184_000, migration_cost=150,
    ...            horizon_months=2).tolist()
    [210.0, 30.0]
    """
    switch = np.asarray(switch_month, dtype=float)
    _, _, _, npv = _npv_months({**inputs, "projection_month": switch})
    valid = np.isfinite(switch) & (switch >= 1)  # else a bad cell of an Excel function
    index = np.clip(np.where(valid, switch, 1.0) - 1, 0, npv.shape[0] - 1).astype(int)
    shape = np.broadcast_shapes(index.shape, npv.shape[1:])
    found = np.take_along_axis(np.broadcast_to(npv, npv.shape[:1] + shape),
                               np.broadcast_to(index, shape)[None], axis=0)[0]  # fmt: skip
    past = np.broadcast_to((switch > npv.shape[0]) | ~valid, shape)
    return np.where(np.isfinite(found) & ~past, found, np.nan)


def _npv_months(inputs: Mapping[str, Any]) -> tuple[Any, Any, Any, Any]:
    """The month axis (leading), which months lie within each horizon, the savings of each
    month (0 past the horizon) and the NPV of switching in each (-inf past the horizon)."""
    extra = dict(inputs)
    switch = extra.pop("projection_month", None)
    horizons = np.asarray(extra.get("horizon_months", _DEFAULT_HORIZON), dtype=float)
    if model.checking():
        _horizon({**extra, "horizon_months": horizons})
        if switch is not None:
            _whole_months(switch, "switch_month")
    else:  # a bad cell of an Excel function is NaN here, and its error is its result
        horizons = np.where(np.isfinite(horizons), horizons, 1.0)
    more = () if switch is None else (np.shape(switch),)
    month = _month_axis(extra, int(np.max(horizons)), *more)
    columns = _months(extra, month)
    within = month <= horizons
    savings = np.where(within, columns["monthly_savings"], 0.0)
    migration = np.asarray(extra.get("migration_cost", 0.0), dtype=float)
    npv = np.where(within, _npvs(savings, columns["discount_factor"], migration), -np.inf)
    return month, within, savings, npv


def _month_axis(inputs: Mapping[str, Any], months: int, *shapes: tuple[int, ...]) -> np.ndarray:
    """Months 1 to `months` on a leading axis, before the scenarios' own (the inputs', a
    profile's but its hours, and any further `shapes`)."""
    shapes = (*shapes, *(np.shape(v) for k, v in inputs.items() if k != "hourly_profile"))
    profile = inputs.get("hourly_profile")
    if profile is not None and np.ndim(profile) > 1:
        shapes = (*shapes, np.shape(profile)[:-1])
    ndim = len(np.broadcast_shapes(*shapes)) if shapes else 0
    return np.arange(1, months + 1, dtype=float).reshape((-1,) + (1,) * ndim)


def _whole_months(value: Any, name: str) -> None:
    for v in np.ravel(np.asarray(value, dtype=float)):
        violation = QUANTITIES[name].violation(float(v))
        if violation:
            raise ValueError(violation)


def table_switch_npv(table: pd.DataFrame, switch_month: int, migration_cost: float = 0.0) -> float:
    """NPV against staying on the API of switching in `switch_month` (see the module).

    >>> t = pd.DataFrame({"month": [1, 2], "monthly_savings": [100.0, 100.0],
    ...                   "discount_factor": [1.0, 1.0]})
    >>> table_switch_npv(t, 1, 150), table_switch_npv(t, 2, 150)
    (50.0, -50.0)
    """
    month = np.asarray(table["month"])
    if switch_month not in set(month.tolist()):
        raise ValueError(f"switch_month must be a month of the table (got {switch_month!r})")
    return float(switch_npvs(table, migration_cost)[month == switch_month][0])


def table_best_switch_month(table: pd.DataFrame, migration_cost: float = 0.0) -> int | None:
    """The switch month of the largest positive NPV (the earliest on ties), or None (never).

    >>> t = pd.DataFrame({"month": [1, 2, 3], "monthly_savings": [-50.0, 20.0, 40.0],
    ...                   "discount_factor": [1.0, 1.0, 1.0]})
    >>> table_best_switch_month(t, 10), table_best_switch_month(t, 100)
    (2, None)
    """
    npv = switch_npvs(table, migration_cost)
    best = int(np.argmax(npv))  # the first of equal maxima: the earliest month
    return int(np.asarray(table["month"])[best]) if npv[best] > 0 else None


def switch_npvs(table: pd.DataFrame, migration_cost: float = 0.0) -> np.ndarray:
    """NPV of switching in each month of the table, in one pass."""
    _check(migration_cost, "migration_cost", low=0.0, open_low=False)
    return _npvs(np.asarray(table["monthly_savings"], dtype=float),
                 np.asarray(table["discount_factor"], dtype=float), migration_cost)  # fmt: skip


def table_payback_month(
    table: pd.DataFrame, switch_month: int, migration_cost: float = 0.0
) -> int | None:
    """The first month from which the savings since switching cover the migration cost
    (undiscounted), or None within the horizon.

    >>> t = pd.DataFrame({"month": [1, 2, 3], "monthly_savings": [40.0, 40.0, 40.0],
    ...                   "discount_factor": [1.0, 1.0, 1.0]})
    >>> table_payback_month(t, 1, 100), table_payback_month(t, 2, 100)
    (3, None)
    """
    month = np.asarray(table["month"])
    after = month >= switch_month
    covered = np.cumsum(np.asarray(table["monthly_savings"], dtype=float)[after]) >= migration_cost
    return int(month[after][np.argmax(covered)]) if covered.any() else None


def cumulative_costs(
    table: pd.DataFrame, switch_month: int, migration_cost: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Undiscounted cumulative cost, month by month, of staying on the API and of switching
    in `switch_month` (the API's bills before it, the migration cost in it, then self-host
    bills): the two paths the Projection sheet and the report chart.

    >>> t = pd.DataFrame({"month": [1, 2, 3], "api_monthly_cost": [10.0, 10.0, 10.0],
    ...                   "selfhost_total_monthly_cost": [4.0, 4.0, 4.0]})
    >>> [c.tolist() for c in cumulative_costs(t, 2, 5)]
    [[10.0, 20.0, 30.0], [10.0, 19.0, 23.0]]
    """
    month = np.asarray(table["month"])
    api = np.asarray(table["api_monthly_cost"], dtype=float)
    selfhost = np.asarray(table["selfhost_total_monthly_cost"], dtype=float)
    paid = np.where(month < switch_month, api,
                    selfhost + np.where(month == switch_month, migration_cost, 0.0))  # fmt: skip
    return np.cumsum(api), np.cumsum(paid)


_DEFAULT_HORIZON = float(QUANTITIES["horizon_months"].default)  # type: ignore[arg-type]


def _horizon(given: Mapping[str, Any]) -> int:
    """The horizon, checked like any scenario input (a single scenario's, or the longest)."""
    value = given.get("horizon_months", _DEFAULT_HORIZON)
    violation = None
    for v in np.ravel(np.asarray(value, dtype=object)):
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            violation = f"horizon_months must be a number (got {v!r})"
        else:
            violation = QUANTITIES["horizon_months"].violation(float(v), scenario=True)
        if violation:
            raise ValueError(violation)
    return int(np.max(np.asarray(value, dtype=float)))


def _months(inputs: Mapping[str, Any], month: np.ndarray) -> dict[str, Any]:
    """The table's columns for months `month` (a leading axis) of the scenarios."""
    at = model.months({k: v for k, v in inputs.items()}, month)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        found = {name: np.asarray(getattr(at, name)) for name in COLUMNS[1:-1]}
    shape = np.broadcast_shapes(month.shape, *(v.shape for v in found.values()))
    return {"month": np.broadcast_to(month, shape),
            **{k: np.broadcast_to(v, shape) for k, v in found.items()}}  # fmt: skip


def _npvs(savings: np.ndarray, discount: np.ndarray, migration: Any) -> np.ndarray:
    """NPV(s) along the leading (month) axis: the discounted savings from s on, a reversed
    running sum, less the migration cost discounted to s."""
    from_here = np.flip(np.cumsum(np.flip(savings * discount, 0), axis=0), 0)
    return from_here - migration * discount


def _check(value: Any, name: str, low: float, open_low: bool = True) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name} must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number (got {value!r})")
    if number < low or (open_low and number == low):
        rule = f"greater than {low:g}" if open_low else f"at least {low:g}"
        raise ValueError(f"{name} must be {rule} (got {value!r})")
