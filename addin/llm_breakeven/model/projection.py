"""Over time: month m of the projection (`llm_breakeven.projection`), its volume and prices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from ..formula import Numeric
from .core import DEFINITIONS, HOURLY, ArrayLike, define
from .evaluation import as_shown, default_of, namespace_of, scenario_namespace


@define
def _projected_volume(q: Any, f: Any) -> Any:
    return q.monthly_volume * (1 + q.monthly_growth) ** (q.projection_month - 1)


@define
def _api_price_factor(q: Any, f: Any) -> Any:
    return (1 + q.api_price_change_per_year) ** ((q.projection_month - 1) / q.months_per_year)


@define
def _gpu_price_factor(q: Any, f: Any) -> Any:
    return (1 + q.gpu_price_change_per_year) ** ((q.projection_month - 1) / q.months_per_year)


@define
def _discount_factor(q: Any, f: Any) -> Any:
    return (1 + q.annual_discount_rate) ** (-q.projection_month / q.months_per_year)


def month_bindings(q: Any, scaled: str = "hourly_rate") -> dict[str, Any]:
    """What month `q.projection_month` changes in a scenario: its volume, the API's cost per
    request (all its list prices scale alike) and the GPU price: the hourly rate of a whole
    scenario, or `scaled="replica_monthly_cost"` where a replica's cost is given. Every other
    quantity of the month follows from these through its definition, on every face."""
    return {
        "monthly_volume": q.projected_volume,
        "api_cost_per_request": q.api_cost_per_request * q.api_price_factor,
        scaled: getattr(q, scaled) * q.gpu_price_factor,
    }


#: the arguments of the Excel projection functions: a replica's cost and capacity given
PROJECTION_ARGUMENTS: Final = (
    "monthly_volume", "api_cost_per_request", "replica_monthly_cost", "replica_capacity",
    "fixed_monthly_cost", "variable_cost_per_request", "max_utilization", "peak_to_average",
    "failover_replicas", "monthly_growth", "api_price_change_per_year",
    "gpu_price_change_per_year", "migration_cost", "annual_discount_rate", "horizon_months",
)  # fmt: skip


def months(inputs: Mapping[str, Any], month: ArrayLike) -> Numeric:
    """The scenarios of `inputs` in month `month` of their projection, checked like
    `evaluate`'s; `month` broadcasts against the inputs like any of them. Inputs that give
    `replica_monthly_cost` (the Excel functions' `PROJECTION_ARGUMENTS`) scale it, not the
    hourly rate."""
    scaled = "replica_monthly_cost" if "replica_monthly_cost" in inputs else "hourly_rate"
    given = _given(inputs)
    given["projection_month"] = np.asarray(month, dtype=float)
    at = Numeric(DEFINITIONS, given, default_of, HOURLY)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bound = month_bindings(at, scaled)
        given["discount_factor"] = at.discount_factor
    return Numeric(DEFINITIONS, {**given, **bound}, default_of, HOURLY)


def figures(names: tuple[str, ...], inputs: Mapping[str, Any], **bound: Any) -> dict[str, Any]:
    """The quantities `names` of scenarios given whole (checked like `evaluate`'s) or by
    components such as `replica_monthly_cost`, with any quantity `bound` to a value (the
    by-utilization table binds `utilization`, say).

    >>> figures(("cost_per_request",), dict(monthly_volume=1, replica_monthly_cost=1440,
    ...         replica_capacity=5_184_000, api_cost_per_request=0.00125), utilization=0.25)
    {'cost_per_request': array(0.00111111)}
    """
    given = {**_given(inputs), **{k: np.asarray(v, dtype=float) for k, v in bound.items()}}
    scenarios = Numeric(DEFINITIONS, given, default_of, HOURLY)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return {name: np.asarray(as_shown(name, getattr(scenarios, name))) for name in names}


def _given(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Whole scenarios' inputs or components, checked, as the engine holds them."""
    if "replica_monthly_cost" in inputs:
        return namespace_of(inputs, DEFINITIONS).given()
    return {k: v for k, v in scenario_namespace(inputs).given().items() if k in inputs}
