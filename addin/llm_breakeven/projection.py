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

Nothing here is a workbook or an Excel function yet: issue "Decide over time and under
uncertainty" builds them on these functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import model

#: the columns of `project`'s table, in order
COLUMNS = ("month", "monthly_volume", "api_cost_per_request", "replica_monthly_cost",
           "replicas_needed", "api_monthly_cost", "selfhost_total_monthly_cost",
           "monthly_savings", "discount_factor")  # fmt: skip
#: the list prices the API's price change scales
_API_PRICES = ("input_price", "output_price", "cached_price")


def project(
    inputs: Mapping[str, Any],
    monthly_growth: float = 0.0,
    api_price_change_per_year: float = 0.0,
    gpu_price_change_per_year: float = 0.0,
    annual_discount_rate: float = 0.0,
    horizon_months: int = 36,
) -> pd.DataFrame:
    """One scenario (inputs as `model.evaluate` takes them) month by month: a row a month.

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
    """
    _check(monthly_growth, "monthly_growth", low=-1.0)
    _check(api_price_change_per_year, "api_price_change_per_year", low=-1.0)
    _check(gpu_price_change_per_year, "gpu_price_change_per_year", low=-1.0)
    _check(annual_discount_rate, "annual_discount_rate", low=-1.0)
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, int | np.integer) or \
            not 1 <= horizon_months <= 600:  # fmt: skip
        raise ValueError(f"horizon_months must be a whole number from 1 to 600 "
                         f"(got {horizon_months!r})")  # fmt: skip
    months = np.arange(1, horizon_months + 1, dtype=float)
    years = (months - 1) / 12
    api_factor = (1 + api_price_change_per_year) ** years
    gpu_factor = (1 + gpu_price_change_per_year) ** years
    given = dict(inputs)
    columns: dict[str, Any] = {**given}
    columns["monthly_volume"] = float(given["monthly_volume"]) * (1 + monthly_growth) ** (
        months - 1
    )
    for name in _API_PRICES:
        value = given.get(name)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            columns[name] = float(value) * api_factor
    columns["hourly_rate"] = float(given["hourly_rate"]) * gpu_factor
    results = model.evaluate(**columns)
    discount = (1 + annual_discount_rate) ** (-months / 12)
    table = {"month": months.astype(int), "discount_factor": discount}
    for name in COLUMNS:
        if name in results:
            table[name] = np.broadcast_to(results[name], months.shape)
    table["monthly_volume"] = columns["monthly_volume"]
    return pd.DataFrame({name: table[name] for name in COLUMNS})


def switch_npv(table: pd.DataFrame, switch_month: int, migration_cost: float = 0.0) -> float:
    """NPV against staying on the API of switching in `switch_month` (see the module).

    >>> t = pd.DataFrame({"month": [1, 2], "monthly_savings": [100.0, 100.0],
    ...                   "discount_factor": [1.0, 1.0]})
    >>> switch_npv(t, 1, 150), switch_npv(t, 2, 150)
    (50.0, -50.0)
    """
    _check(migration_cost, "migration_cost", low=0.0, open_low=False)
    month = np.asarray(table["month"])
    if switch_month not in set(month.tolist()):
        raise ValueError(f"switch_month must be a month of the table (got {switch_month!r})")
    after = month >= switch_month
    savings = np.asarray(table["monthly_savings"]) * np.asarray(table["discount_factor"])
    paid = migration_cost * float(np.asarray(table["discount_factor"])[month == switch_month][0])
    return float(savings[after].sum() - paid)


def best_switch_month(table: pd.DataFrame, migration_cost: float = 0.0) -> int | None:
    """The switch month of the largest positive NPV (the earliest on ties), or None (never).

    All months at once: NPV(s) is the discounted savings from s to the horizon, a reversed
    running sum, less the migration cost discounted to s.

    >>> t = pd.DataFrame({"month": [1, 2, 3], "monthly_savings": [-50.0, 20.0, 40.0],
    ...                   "discount_factor": [1.0, 1.0, 1.0]})
    >>> best_switch_month(t, 10), best_switch_month(t, 100)
    (2, None)
    """
    npv = switch_npvs(table, migration_cost)
    best = int(np.argmax(npv))  # the first of equal maxima: the earliest month
    return int(np.asarray(table["month"])[best]) if npv[best] > 0 else None


def switch_npvs(table: pd.DataFrame, migration_cost: float = 0.0) -> np.ndarray:
    """NPV of switching in each month of the table, in one pass."""
    _check(migration_cost, "migration_cost", low=0.0, open_low=False)
    discount = np.asarray(table["discount_factor"], dtype=float)
    savings = np.asarray(table["monthly_savings"], dtype=float) * discount
    from_here = np.cumsum(savings[::-1])[::-1]
    return from_here - migration_cost * discount


def payback_month(
    table: pd.DataFrame, switch_month: int, migration_cost: float = 0.0
) -> int | None:
    """The first month from which the savings since switching cover the migration cost
    (undiscounted), or None within the horizon.

    >>> t = pd.DataFrame({"month": [1, 2, 3], "monthly_savings": [40.0, 40.0, 40.0],
    ...                   "discount_factor": [1.0, 1.0, 1.0]})
    >>> payback_month(t, 1, 100), payback_month(t, 2, 100)
    (3, None)
    """
    month = np.asarray(table["month"])
    after = month >= switch_month
    covered = np.cumsum(np.asarray(table["monthly_savings"], dtype=float)[after]) >= migration_cost
    return int(month[after][np.argmax(covered)]) if covered.any() else None


def _check(value: Any, name: str, low: float, open_low: bool = True) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name} must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number (got {value!r})")
    if number < low or (open_low and number == low):
        rule = f"greater than {low:g}" if open_low else f"at least {low:g}"
        raise ValueError(f"{name} must be {rule} (got {value!r})")
