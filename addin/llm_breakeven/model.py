"""The cost engine: every derived quantity defined once, and functions that broadcast.

Each definition below is readable arithmetic over other quantities (`q.name`) and a few
operations (`f.where`, `f.ceil`, `f.maximum`, ...). The engine evaluates them with numpy
(`llm_breakeven.formula.Numeric`); the workbook renders the same definitions as native
formulas (`llm_breakeven.formula.Symbolic`), so no formula is written twice. Names, units,
bounds and defaults of every quantity are in `llm_breakeven.quantities`.

The public functions are spreadsheet-patterned, in the manner of numpy-financial: they take
scalars or arrays and return the broadcast shape (a Python float or str for scalar input).
Nothing here reads files or knows about Excel.

Units: money in one currency (the examples use USD); prices per 1M tokens; rates per GPU-hour;
volumes and capacities per month, in requests; utilization and shares as fractions 0..1.

The article's worked example runs through the docstrings: 1,000 input + 500 output tokens at
$0.50 / $1.50 per 1M tokens, one $2/h GPU serving 2 requests/s over a 720-hour month.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import dataclasses
import functools
import math
import numbers
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt

from . import fleet
from .bounds import Bound
from .formula import Definition, Numeric, code, dependencies, texts
from .quantities import (
    DEFAULT_TOLERANCE,
    FIELDS,
    HOURS_PER_MONTH,
    HYBRID_OUTPUTS,
    NEEDS_POSITIVE,
    ONE_OF,
    OPTIONS,
    OUTPUTS,
    PROFILE_HOURS,
    QUANTITIES,
    RESILIENCE,
    SIGNALS,
    TABLE_COLUMNS,
    TEXT,
    VERDICT,
    needs_positive_violation,
)

ArrayLike: TypeAlias = npt.ArrayLike
#: a result: a Python float for scalar input, else an array of the broadcast shape
Floats: TypeAlias = "float | npt.NDArray[np.float64]"
#: verdicts: a str for scalar input, else an object array of str
Verdicts: TypeAlias = "str | npt.NDArray[np.object_]"


# --- the definitions ------------------------------------------------------------------------
# q: the quantities, by name; f: the operations of llm_breakeven.formula (NumpyOps, ExcelOps).

#: every derived quantity's definition, by its name in `llm_breakeven.quantities`
DEFINITIONS: dict[str, Definition] = {}


def define(function: Definition) -> Definition:
    """Register `function` as the definition of the quantity its name (less the "_") names."""
    name = function.__name__.removeprefix("_")
    assert name in QUANTITIES, f"{name} is not in the catalogue of quantities"
    DEFINITIONS[name] = function
    return function


@define
def _cached_price_used(q: Any, f: Any) -> Any:
    return f.where(f.isblank(q.cached_price), q.input_price, q.cached_price)


@define
def _api_cost_per_request(q: Any, f: Any) -> Any:
    # the cache discount applies to input tokens only
    blended = (1 - q.cached_share) * q.input_price + q.cached_share * q.cached_price_used
    tokens = q.input_tokens * blended + q.output_tokens * q.output_price
    return tokens / q.tokens_per_million * (1 - q.batch_discount)


@define
def _requests_per_second(q: Any, f: Any) -> Any:
    tokens = q.replica_output_tokens_per_second / q.output_tokens
    return f.where(f.isblank(q.replica_throughput), tokens, q.replica_throughput)


@define
def _rented_replica_monthly_cost(q: Any, f: Any) -> Any:
    return q.hourly_rate * q.gpus_per_replica * q.billed_hours_per_replica


@define
def _owned_monthly_cost(q: Any, f: Any) -> Any:
    price = q.purchase_price
    depreciation = price * (1 - q.residual_share) / q.life_months
    # straight-line: the book value falls from the price to the residual, averaging halfway
    capital = q.annual_cost_of_capital / q.months_per_year * price * (1 + q.residual_share) * q.half
    return depreciation + capital + q.owned_cash_monthly_cost


@define
def _owned_cash_monthly_cost(q: Any, f: Any) -> Any:
    maintenance = q.annual_maintenance_share / q.months_per_year * q.purchase_price
    energy = q.power_kw * q.pue * q.hours_per_month * q.price_per_kwh
    # colocation is priced per kW of IT load: the facility's overhead (PUE) is in its price
    return maintenance + energy + q.colocation_per_kw_month * q.power_kw


@define
def _owned_replica_monthly_cost(q: Any, f: Any) -> Any:
    return q.gpus_per_replica * q.owned_monthly_cost


@define
def _replica_monthly_cost(q: Any, f: Any) -> Any:
    return f.where(
        f.equals(q.ownership, "buy"), q.owned_replica_monthly_cost, q.rented_replica_monthly_cost
    )


# --- traffic shape and billing ------------------------------------------------------------


@define
def _profile_hours(q: Any, f: Any) -> Any:
    return f.hour_count(q.hourly_profile)


@define
def _profile_peak_to_average(q: Any, f: Any) -> Any:
    return f.hour_max(q.hourly_profile) / (f.hour_sum(q.hourly_profile) / q.profile_hours)


@define
def _peak_to_average_used(q: Any, f: Any) -> Any:
    # the profile sets the busiest hour; the input is the peak within an hour on top of it
    return q.profile_peak_to_average * q.peak_to_average


@define
def _previous_hourly_profile(q: Any, f: Any) -> Any:
    return f.previous_hour(q.hourly_profile)


def hour_demand(q: Any, f: Any, weights: Any) -> Any:
    """Requests in the hours whose profile weights are `weights`: the month's volume spread
    by the profile (the workbook writes it for one hour's weight at a time)."""
    per_hour = q.monthly_volume * q.profile_hours / q.hours_per_month
    return f.per_hour(per_hour) * weights / f.per_hour(f.hour_sum(q.hourly_profile))


@define
def _hourly_demand(q: Any, f: Any) -> Any:
    return hour_demand(q, f, q.hourly_profile)


@define
def _usable_hourly_capacity(q: Any, f: Any) -> Any:
    return q.replica_capacity / q.hours_per_month * q.max_utilization / q.peak_to_average


def _replicas_for(q: Any, f: Any, demand: Any) -> Any:
    load = demand / f.per_hour(q.usable_hourly_capacity)
    return f.ceil(load - f.per_hour(q.replica_tolerance))


@define
def _hourly_replicas(q: Any, f: Any) -> Any:
    return _replicas_for(q, f, q.hourly_demand)


@define
def _previous_hourly_replicas(q: Any, f: Any) -> Any:
    # numpy moves each hour's replicas one hour on; a formula computes them from the
    # previous hour's weights (the same arithmetic on the same numbers)
    return f.shifted(
        q.hourly_replicas, lambda: _replicas_for(q, f, hour_demand(q, f, q.previous_hourly_profile))
    )


@define
def _replica_starts_per_month(q: Any, f: Any) -> Any:
    def started(q: Any) -> Any:
        # over a repeating profile the rises equal the falls: starts = half the total change
        change = f.hour_sum(f.abs(q.hourly_replicas - q.previous_hourly_replicas)) * q.half
        return change * q.hours_per_month / q.profile_hours

    # only a fleet scaling to zero stops and starts replicas (the hourly pass runs only there)
    return f.when(q, f.equals(q.billing_mode, "scale-to-zero"), started, lambda q: 0)


@define
def _serving_replicas(q: Any, f: Any) -> Any:
    return _serving_for(q, f, q.monthly_volume)


@define
def _billed_hours_per_replica(q: Any, f: Any) -> Any:
    def scaled(q: Any) -> Any:
        needed = f.hour_sum(q.hourly_replicas) * q.hours_per_month / q.profile_hours
        hours = (needed + q.cold_start_hours * q.replica_starts_per_month) / q.serving_replicas
        # a scaler whose cold starts would cost more than staying on stays on
        return f.minimum(hours, q.hours_per_month)

    def billed(q: Any) -> Any:
        window = q.active_hours_per_day * q.hours_per_month / q.hours_per_day
        return f.where(f.equals(q.billing_mode, "active-window"), window, q.hours_per_month)

    # the hour-by-hour pass runs only on the rows that bill by the hour
    return f.when(q, f.equals(q.billing_mode, "scale-to-zero"), scaled, billed)


@define
def _billed_replica_hours(q: Any, f: Any) -> Any:
    return q.serving_replicas * q.billed_hours_per_replica


@define
def _replica_capacity(q: Any, f: Any) -> Any:
    return q.requests_per_second * q.seconds_per_hour * q.hours_per_month


@define
def _usable_capacity(q: Any, f: Any) -> Any:
    return q.replica_capacity * q.max_utilization / q.peak_to_average_used


@define
def _ops_monthly_cost(q: Any, f: Any) -> Any:
    return q.ops_fte * q.annual_cost_per_fte / q.months_per_year


@define
def _amortized_monthly_cost(q: Any, f: Any) -> Any:
    return q.one_time_cost / q.amortization_months


@define
def _fixed_monthly_cost(q: Any, f: Any) -> Any:
    return q.ops_monthly_cost + q.other_fixed_monthly_cost + q.amortized_monthly_cost


@define
def _fallback_share(q: Any, f: Any) -> Any:
    # failover replicas cover an outage; without them the API serves while the GPUs are down
    return f.where(q.failover_replicas > 0, 0, 1 - q.availability)


@define
def _selfhost_variable_cost_per_request(q: Any, f: Any) -> Any:
    mixed = (1 - q.fallback_share) * q.variable_cost_per_request + (
        q.fallback_share * q.api_cost_per_request
    )
    # the API's price is read only where traffic falls back: a function without it still works
    return f.where(q.fallback_share > 0, mixed, q.variable_cost_per_request)


@define
def _minimum_monthly_cost(q: Any, f: Any) -> Any:
    # the self-host bill at zero volume: one serving replica runs whatever the traffic
    return (1 + q.failover_replicas) * q.replica_monthly_cost + q.fixed_monthly_cost


@define
def _monthly_cost(q: Any, f: Any) -> Any:
    return q.minimum_monthly_cost


@define
def _api_margin(q: Any, f: Any) -> Any:
    return q.api_cost_per_request - q.selfhost_variable_cost_per_request


@define
def _breakeven_gap(q: Any, f: Any) -> Any:
    return q.usable_capacity * q.api_margin - q.replica_monthly_cost


@define
def _replica_pays(q: Any, f: Any) -> Any:
    # a replica that costs more than the API bill of the traffic it carries never pays off
    return q.breakeven_gap > 0


@define
def _billing_scales(q: Any, f: Any) -> Any:
    # rented replicas billed hour by hour: the replica's bill follows the volume
    scales = f.equals(q.billing_mode, "scale-to-zero")
    return f.where(scales, f.equals(q.ownership, "rent"), f.false)


def _scaled(q: Any, f: Any, which: int) -> Any:
    """Break-even `which` (0: first, 1: sustained) on the hour-by-hour bill (`crossing`)."""
    rate = q.hourly_rate * q.gpus_per_replica
    return f.scaled_breakeven(
        which, q.hourly_profile, f.hour_sum(q.hourly_profile), q.hours_per_month,
        q.usable_hourly_capacity, q.replica_tolerance, q.peak_to_average_used,
        q.replica_capacity, q.max_utilization, rate, q.cold_start_hours, q.failover_replicas,
        q.fixed_monthly_cost, q.api_margin,
    )  # fmt: skip


@define
def _scaled_breakeven_volume(q: Any, f: Any) -> Any:
    return _scaled(q, f, 0)


@define
def _scaled_sustained_breakeven_volume(q: Any, f: Any) -> Any:
    return _scaled(q, f, 1)


def _serving_for(q: Any, f: Any, volume: Any) -> Any:
    load = volume * q.peak_to_average_used / (q.replica_capacity * q.max_utilization)
    return f.maximum(1, f.ceil(load - q.replica_tolerance))


@define
def _breakeven_reachable(q: Any, f: Any) -> Any:
    return f.isnumber(q.breakeven_volume)


@define
def _breakeven_volume(q: Any, f: Any) -> Any:
    def whole(q: Any) -> Any:
        replicas = q.failover_replicas + q.whole_breakeven_replicas
        volume = (q.fixed_monthly_cost + replicas * q.replica_monthly_cost) / q.api_margin
        return f.where(q.replica_pays, volume, f.never)

    # scaling to zero, the bill is a staircase hour by hour: walked, not solved
    return f.when(q, q.billing_scales, lambda q: q.scaled_breakeven_volume, whole)


@define
def _whole_breakeven_replicas(q: Any, f: Any) -> Any:
    # the first n whose bill, (n + failover)·C + F, the API's a·n·K covers
    fixed = q.fixed_monthly_cost + q.failover_replicas * q.replica_monthly_cost
    return f.maximum(1, f.ceil(fixed / q.breakeven_gap - q.replica_tolerance))


@define
def _breakeven_replicas(q: Any, f: Any) -> Any:
    # just above the walked break-even (by the least step it counts): it often sits where
    # the serving replicas step up, and the replicas that make it are those above
    scaled = _serving_for(q, f, q.breakeven_volume * (1 + q.replica_tolerance))
    needed = f.where(q.billing_scales, scaled, q.whole_breakeven_replicas)
    return f.where(q.breakeven_reachable, needed, 0)


@define
def _whole_sustained_breakeven_replicas(q: Any, f: Any) -> Any:
    # n serving replicas pay for themselves over their whole band of traffic, from just above
    # (n − 1)·K, when (n + failover)·C + F ≤ a·(n − 1)·K, that is n·(K·a − C) ≥ F' + K·a
    fixed = q.fixed_monthly_cost + q.failover_replicas * q.replica_monthly_cost
    carried = q.usable_capacity * q.api_margin
    return f.maximum(1, f.ceil((fixed + carried) / q.breakeven_gap - q.replica_tolerance))


@define
def _sustained_breakeven_replicas(q: Any, f: Any) -> Any:
    sustained = q.sustained_breakeven_volume
    above = _serving_for(q, f, sustained * (1 + q.replica_tolerance))
    scaled = f.where(f.isnumber(sustained), above, 0)
    needed = f.where(q.billing_scales, scaled, q.whole_sustained_breakeven_replicas)
    return f.where(q.breakeven_reachable, needed, 0)


@define
def _sustained_breakeven_volume(q: Any, f: Any) -> Any:
    # the band below is cheaper only from where its bill meets the API's, if at all
    def whole(q: Any) -> Any:
        below = q.whole_sustained_breakeven_replicas - 1
        meets = (q.fixed_monthly_cost + (q.failover_replicas + below) * q.replica_monthly_cost) / (
            q.api_margin
        )
        first = q.breakeven_volume
        volume = f.where(below > 0, f.minimum(meets, below * q.usable_capacity), first)
        return f.where(q.replica_pays, volume, f.never)

    return f.when(q, q.billing_scales, lambda q: q.scaled_sustained_breakeven_volume, whole)


@define
def _in_alternating_band(q: Any, f: Any) -> Any:
    # the own volume lies where the cheaper option still flips as replicas are added: from the
    # first break-even up to (not including) the sustained one
    inside = f.where(
        q.monthly_volume >= q.breakeven_volume,
        q.monthly_volume < q.sustained_breakeven_volume,
        f.false,
    )
    return f.where(q.breakeven_reachable, inside, f.false)


@define
def _one_replica_breakeven_utilization(q: Any, f: Any) -> Any:
    share = q.monthly_cost / (q.replica_capacity * q.api_margin)
    return f.where(q.api_margin > 0, share, f.never)


@define
def _breakeven_utilization(q: Any, f: Any) -> Any:
    billed = (q.breakeven_replicas + q.failover_replicas) * q.replica_capacity
    share = q.breakeven_volume / billed
    return f.where(q.breakeven_reachable, share, q.one_replica_breakeven_utilization)


@define
def _replicas_needed(q: Any, f: Any) -> Any:
    return q.serving_replicas + q.failover_replicas


@define
def _peak_requests_per_second(q: Any, f: Any) -> Any:
    average = q.monthly_volume / (q.hours_per_month * q.seconds_per_hour)
    return average * q.peak_to_average_used


@define
def _utilization(q: Any, f: Any) -> Any:
    return q.monthly_volume / (q.serving_replicas * q.replica_capacity)


@define
def _api_monthly_cost(q: Any, f: Any) -> Any:
    return q.monthly_volume * q.api_cost_per_request


@define
def _selfhost_monthly_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.replica_monthly_cost + q.fixed_monthly_cost


@define
def _selfhost_total_monthly_cost(q: Any, f: Any) -> Any:
    return q.selfhost_monthly_cost + q.monthly_volume * q.selfhost_variable_cost_per_request


@define
def _selfhost_cost_per_request(q: Any, f: Any) -> Any:
    return _per_request(q, f, q.selfhost_total_monthly_cost)


def _per_request(q: Any, f: Any, monthly: Any) -> Any:
    # no traffic, no cost per request: never, not 0/0 (a bill of 0 scaling to zero)
    return f.where(q.monthly_volume > 0, monthly / q.monthly_volume, f.never)


@define
def _monthly_savings(q: Any, f: Any) -> Any:
    return q.api_monthly_cost - q.selfhost_total_monthly_cost


@define
def _api_annual_cost(q: Any, f: Any) -> Any:
    return q.api_monthly_cost * q.months_per_year


@define
def _selfhost_annual_cost(q: Any, f: Any) -> Any:
    return q.selfhost_total_monthly_cost * q.months_per_year


@define
def _annual_savings(q: Any, f: Any) -> Any:
    return q.monthly_savings * q.months_per_year


@define
def _breakeven_multiple(q: Any, f: Any) -> Any:
    return f.where(q.breakeven_reachable, q.monthly_volume / q.breakeven_volume, 0)


@define
def _cheaper_option(q: Any, f: Any) -> Any:
    selfhost, api = q.selfhost_cost_per_request, q.api_cost_per_request
    api_option, even, selfhost_option = OPTIONS
    near = f.abs(selfhost - api) <= q.tolerance * api
    return f.pick((near, even), (selfhost < api, selfhost_option), otherwise=api_option)


@define
def _volume_served(q: Any, f: Any) -> Any:
    return q.replica_capacity * q.utilization


@define
def _cost_per_request(q: Any, f: Any) -> Any:
    served = q.replica_capacity * q.utilization
    return q.monthly_cost / served + q.selfhost_variable_cost_per_request


@define
def _cost_per_million_tokens(q: Any, f: Any) -> Any:
    # divided in turn: a product of tiny rates would underflow to 0 and make 0/0
    per_token = q.hourly_rate * q.gpus_per_replica / q.replica_output_tokens_per_second
    return per_token / q.seconds_per_hour / q.utilization * q.tokens_per_million


# --- resilience, owning and one-time costs -------------------------------------------------


@define
def _api_fallback_monthly_cost(q: Any, f: Any) -> Any:
    return q.monthly_volume * (1 - q.availability) * q.api_cost_per_request


@define
def _standby_monthly_cost(q: Any, f: Any) -> Any:
    return f.maximum(1, q.failover_replicas) * q.replica_monthly_cost


@define
def _cheaper_resilience(q: Any, f: Any) -> Any:
    fallback, standby, always_up = RESILIENCE
    cheaper = q.api_fallback_monthly_cost < q.standby_monthly_cost
    return f.pick((q.availability >= 1, always_up), (cheaper, fallback), otherwise=standby)


@define
def _rent_monthly_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.rented_replica_monthly_cost


@define
def _own_monthly_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.owned_replica_monthly_cost


@define
def _buy_monthly_savings(q: Any, f: Any) -> Any:
    return q.rent_monthly_cost - q.own_monthly_cost


@define
def _purchase_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.gpus_per_replica * q.purchase_price


def _payback(f: Any, upfront: Any, savings: Any) -> Any:
    return f.where(savings > 0, upfront / savings, f.never)


@define
def _payback_months(q: Any, f: Any) -> Any:
    return _payback(f, q.upfront_cost, q.monthly_savings)


@define
def _buy_payback_months(q: Any, f: Any) -> Any:
    running = q.replicas_needed * q.gpus_per_replica * q.owned_cash_monthly_cost
    return _payback(f, q.purchase_cost, q.rent_monthly_cost - running)


@define
def _one_time_payback_months(q: Any, f: Any) -> Any:
    # nothing paid once: nothing to pay back
    savings = q.monthly_savings + q.amortized_monthly_cost
    return f.where(q.one_time_cost > 0, _payback(f, q.one_time_cost, savings), 0)


# --- not only cost: the article's signals beside the verdict -----------------------------------

#: the plain recommendations, as `recommendation` words them
RECOMMENDATIONS: Final = (
    "Self-host: compliance requires it",
    "Self-host on cost; weigh the signals that lean to the API",
    "Self-host",
    "Stay on the API on cost; self-hosting for control costs a premium",
    "Stay on the API",
    "Break-even on cost; the signals lean to self-hosting",
    "Break-even on cost: stay on the API until the math flips",
)


#: the engine holds texts as codes, numbered once here in catalogue order
for _text in (*(c for q in QUANTITIES.values() for c in q.choices), *OPTIONS, *RESILIENCE,
              *RECOMMENDATIONS):  # fmt: skip
    code(_text)
#: each choice's first and last code: numbered in catalogue order, a choice's run unbroken
_CHOICE_CODES: Final = {
    name: (code(q.choices[0]), code(q.choices[-1])) for name, q in QUANTITIES.items() if q.choices
}
assert all(
    [code(c) for c in QUANTITIES[name].choices] == list(range(first, last + 1))
    for name, (first, last) in _CHOICE_CODES.items()
), "a choice's codes must run unbroken"
#: quantities whose values are texts: codes inside the engine, texts at every face
TEXT_QUANTITIES: Final = frozenset(
    name for name, q in QUANTITIES.items() if q.unit is TEXT or q.unit is VERDICT
)
#: quantities with an hour axis last (a profile's hours), beside their rows
HOURLY: Final = frozenset({
    "hourly_profile", "previous_hourly_profile", "hourly_demand", "hourly_replicas",
    "previous_hourly_replicas", "tail_shares", "hour_rank",
})  # fmt: skip


def _marked(q: Any, f: Any, mark: str) -> Any:
    return f.count(*(f.equals(getattr(q, name), mark) for name in SIGNALS))


@define
def _compliance_required(q: Any, f: Any) -> Any:
    return f.equals(q.signal_compliance, "requires self-host")


@define
def _signals_self_host(q: Any, f: Any) -> Any:
    return _marked(q, f, "lean self-host") + f.where(q.compliance_required, 1, 0)


@define
def _signals_api(q: Any, f: Any) -> Any:
    return _marked(q, f, "lean API")


@define
def _control_premium_monthly(q: Any, f: Any) -> Any:
    return f.where(q.compliance_required, f.maximum(0, -q.monthly_savings), 0)


@define
def _control_premium_annual(q: Any, f: Any) -> Any:
    return q.control_premium_monthly * q.months_per_year


@define
def _recommendation(q: Any, f: Any) -> Any:
    required, mixed, selfhost, control, api, leaning, wait = RECOMMENDATIONS
    api_option, _, selfhost_option = OPTIONS
    cheaper_selfhost = f.equals(q.cheaper_option, selfhost_option)
    cheaper_api = f.equals(q.cheaper_option, api_option)
    lean_api = q.signals_api > q.signals_self_host
    lean_selfhost = q.signals_self_host > q.signals_api
    return f.pick(
        (q.compliance_required, required),
        (cheaper_selfhost * lean_api, mixed),
        (cheaper_selfhost, selfhost),
        (cheaper_api * lean_selfhost, control),
        (cheaper_api, api),
        (lean_selfhost, leaning),
        otherwise=wait,
    )


# --- over time: month m of the projection (llm_breakeven.projection) ---------------------------


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
    at = Numeric(DEFINITIONS, given, _default, HOURLY)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bound = month_bindings(at, scaled)
        given["discount_factor"] = at.discount_factor
    return Numeric(DEFINITIONS, {**given, **bound}, _default, HOURLY)


def figures(names: tuple[str, ...], inputs: Mapping[str, Any], **bound: Any) -> dict[str, Any]:
    """The quantities `names` of scenarios given whole (checked like `evaluate`'s) or by
    components such as `replica_monthly_cost`, with any quantity `bound` to a value (the
    by-utilization table binds `utilization`, say).

    >>> figures(("cost_per_request",), dict(monthly_volume=1, replica_monthly_cost=1440,
    ...         replica_capacity=5_184_000, api_cost_per_request=0.00125), utilization=0.25)
    {'cost_per_request': array(0.00111111)}
    """
    given = {**_given(inputs), **{k: np.asarray(v, dtype=float) for k, v in bound.items()}}
    scenarios = Numeric(DEFINITIONS, given, _default, HOURLY)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return {name: np.asarray(_shown(name, getattr(scenarios, name))) for name in names}


def _given(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Whole scenarios' inputs or components, checked, as the engine holds them."""
    if "replica_monthly_cost" in inputs:
        return _namespace(inputs, DEFINITIONS).given()
    return {k: v for k, v in _scenario(inputs).given().items() if k in inputs}


# --- hybrid: replicas serve up to their capacity hour by hour, APIs take the rest ----------


@define
def _hybrid_hourly_demand(q: Any, f: Any) -> Any:
    return q.hourly_demand * f.per_hour(1 - q.routed_share)


@define
def _hybrid_hourly_needs(q: Any, f: Any) -> Any:
    return _replicas_for(q, f, q.hybrid_hourly_demand)


@define
def _previous_hybrid_hourly_needs(q: Any, f: Any) -> Any:
    def built() -> Any:
        demand = hour_demand(q, f, q.previous_hourly_profile)
        return _replicas_for(q, f, demand * f.per_hour(1 - q.routed_share))

    return f.shifted(q.hybrid_hourly_needs, built)


@define
def _hybrid_served(q: Any, f: Any) -> Any:
    capacity = f.per_hour(q.replicas * q.usable_hourly_capacity)
    served = f.hour_sum(f.smaller(q.hybrid_hourly_demand, capacity))
    return served * q.hours_per_month / q.profile_hours


@define
def _hybrid_hourly_replicas(q: Any, f: Any) -> Any:
    # a fleet scaling to zero runs what the hour needs, N at most
    return f.smaller(q.hybrid_hourly_needs, f.per_hour(q.replicas))


@define
def _previous_hybrid_hourly_replicas(q: Any, f: Any) -> Any:
    return f.smaller(q.previous_hybrid_hourly_needs, f.per_hour(q.replicas))


@define
def _hybrid_replica_hours(q: Any, f: Any) -> Any:
    return f.hour_sum(q.hybrid_hourly_replicas) * q.hours_per_month / q.profile_hours


@define
def _hybrid_replica_starts(q: Any, f: Any) -> Any:
    def started(q: Any) -> Any:
        change = f.hour_sum(f.abs(q.hybrid_hourly_replicas - q.previous_hybrid_hourly_replicas))
        return change * q.half * q.hours_per_month / q.profile_hours

    # only replicas billed by the hour stop and start; the others run all month
    return f.when(q, q.billing_scales, started, lambda q: 0)


@define
def _hybrid_replica_monthly_cost(q: Any, f: Any) -> Any:
    def scaled(q: Any) -> Any:
        # each hour bills the replicas it runs, as the whole fleet's bill does
        running = q.hybrid_replica_hours + q.cold_start_hours * q.hybrid_replica_starts
        hours = running / f.maximum(q.replicas, 1)
        return q.hourly_rate * q.gpus_per_replica * f.minimum(hours, q.hours_per_month)

    return f.when(q, q.billing_scales, scaled, lambda q: q.replica_monthly_cost)


@define
def _hybrid_monthly_cost(q: Any, f: Any) -> Any:
    # fixed costs and failover replicas come with the first self-hosted replica; failover
    # replicas bill the hours of an average serving one
    each = q.hybrid_replica_monthly_cost
    running = q.fixed_monthly_cost + q.failover_replicas * each
    selfhost = q.replicas * each + f.where(q.replicas > 0, running, 0)
    overflow = q.monthly_volume * (1 - q.routed_share) - q.hybrid_served
    routed = q.monthly_volume * q.routed_share * q.routed_cost_per_request
    served = q.hybrid_served * q.selfhost_variable_cost_per_request
    return selfhost + overflow * q.api_cost_per_request + served + routed


@define
def _hybrid_selfhost_share(q: Any, f: Any) -> Any:
    # no traffic: nothing to serve, and no share of it
    return f.where(q.monthly_volume > 0, q.hybrid_served / q.monthly_volume, 0)


@define
def _tail_shares(q: Any, f: Any) -> Any:
    return f.tail_shares(q.hourly_profile)


@define
def _hour_rank(q: Any, f: Any) -> Any:
    return f.hours_before(q.hourly_profile)


@define
def _hybrid_running_cost(q: Any, f: Any) -> Any:
    return q.fixed_monthly_cost + q.failover_replicas * q.replica_monthly_cost


@define
def _hybrid_breakeven_worth(q: Any, f: Any) -> Any:
    # N replicas beat pure API from the volume W at which the traffic they serve,
    # G(W) = sum over hours of min(W x share, c) with c = N x usable capacity per hour x
    # hours / n, is worth what they cost: api margin x G(W) = N x C + fixed, or G(W) = y
    return (q.replicas * q.replica_monthly_cost + q.hybrid_running_cost) / q.api_margin


@define
def _hybrid_breakeven_capacity(q: Any, f: Any) -> Any:
    return q.replicas * q.usable_hourly_capacity * q.hours_per_month / q.profile_hours


@define
def _tail_divisors(q: Any, f: Any) -> Any:
    # where T_j is 0, G never passes j x c: a tiny divisor makes that line's W huge (never)
    # or very negative
    return q.tail_shares + (q.tail_shares <= 0) * f.per_hour(q.tiny)


@define
def _hybrid_breakeven_served(q: Any, f: Any) -> Any:
    # G is concave and piecewise linear, the least of the lines j x c + W x T_j (T_j: the
    # share outside the j busiest hours), so W = the largest (y - j x c) / T_j
    worth, cap = f.per_hour(q.hybrid_breakeven_worth), f.per_hour(q.hybrid_breakeven_capacity)
    return f.hour_max((worth - q.hour_rank * cap) / q.tail_divisors)


@define
def _hybrid_breakeven_candidate(q: Any, f: Any) -> Any:
    volume, worth = q.hybrid_breakeven_served, q.hybrid_breakeven_worth
    # every replica busy every hour still not worth their cost: never
    within = f.where(worth <= q.hybrid_breakeven_capacity * q.profile_hours, volume < q.huge,
                     f.false)  # fmt: skip
    reachable = f.where(q.api_margin > 0, f.where(q.replicas > 0, within, f.false), f.false)
    paid = f.where(q.routed_share < 1, volume / (1 - q.routed_share), f.never)
    return f.where(reachable, paid, f.never)


@define
def _hybrid_paying_replicas(q: Any, f: Any) -> Any:
    # fewer replicas than this cannot pay for the fixed costs even busy in every hour that
    # has traffic: the hybrid break-even's search starts here (1 where none ever pays)
    running = q.hybrid_running_cost
    busy = f.hour_sum((q.hourly_profile > 0) * 1) / q.profile_hours
    full = q.usable_hourly_capacity * q.hours_per_month * busy
    gain = full * q.api_margin - q.replica_monthly_cost
    fewest = f.maximum(1, f.ceil(running / gain - q.replica_tolerance))
    return f.where(gain > 0, fewest, 1)


@define
def _hybrid_search_top(q: Any, f: Any) -> Any:
    # past the replicas that carry the busiest hour of the volume these replicas break even
    # at, more replicas only cost more: the search for the least break-even ends there
    volume = q.hybrid_breakeven_candidate
    carry = _serving_for(q, f, volume * (1 - q.routed_share))
    return f.where(f.isnumber(volume), f.maximum(q.replicas, carry), q.replicas)


# --- the cost waterfall: the self-host cost of a request, layer by layer -----------------


@define
def _full_use_cost_per_request(q: Any, f: Any) -> Any:
    return q.replica_monthly_cost / q.replica_capacity


def _average_replicas(q: Any, f: Any) -> Any:
    """Whole replicas the average load needs, with no peak and no headroom."""
    load = q.monthly_volume / q.replica_capacity
    return f.maximum(1, f.ceil(load - q.replica_tolerance))


@define
def _idle_cost_per_request(q: Any, f: Any) -> Any:
    average = _per_request(q, f, _average_replicas(q, f) * q.replica_monthly_cost)
    return average - q.full_use_cost_per_request


@define
def _peak_cost_per_request(q: Any, f: Any) -> Any:
    extra = q.serving_replicas - _average_replicas(q, f)
    return _per_request(q, f, extra * q.replica_monthly_cost)


@define
def _failover_cost_per_request(q: Any, f: Any) -> Any:
    return _per_request(q, f, q.failover_replicas * q.replica_monthly_cost)


@define
def _fixed_cost_per_request(q: Any, f: Any) -> Any:
    return _per_request(q, f, q.fixed_monthly_cost)


#: the layers of the cost waterfall, in order: they add up to the self-host cost per request
WATERFALL = (
    "full_use_cost_per_request",
    "idle_cost_per_request",
    "peak_cost_per_request",
    "failover_cost_per_request",
    "fixed_cost_per_request",
    "selfhost_variable_cost_per_request",
)


#: the by-utilization table prices the capacity at each utilization, not at a volume
TABLE_DEFINITIONS: Mapping[str, Definition] = {
    **DEFINITIONS,
    "selfhost_cost_per_request": lambda q, f: q.cost_per_request,
}


def _default(name: str) -> Any:
    """An input nobody gave: its catalogue default; a blank (or a required input a function
    does not take, read only by a branch it does not use) is NaN."""
    quantity = QUANTITIES.get(name)
    if quantity is None:
        raise TypeError(f"unknown quantity {name!r}")
    if name == "hourly_profile":
        return FLAT_PROFILE
    if quantity.choices:  # held as its code, as a given choice is
        return np.int8(code(str(quantity.default)))
    return math.nan if quantity.default is None or quantity.required else quantity.default


#: true inside `unchecked()`: callers that validated every value themselves
_UNCHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar("unchecked", default=False)


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """Skip input validation in this block: for callers that validate each value themselves
    and pass NaN where a value was bad (the Excel adapter marks those cells as errors)."""
    token = _UNCHECKED.set(True)
    try:
        yield
    finally:
        _UNCHECKED.reset(token)


#: the profile of a scenario that gives none: every hour alike
FLAT_PROFILE: Final = np.ones(24)

#: arguments that may be blank (None or NaN) where a function takes them: a blank cached price
#: means the input price; a scenario gives one of its two throughputs
BLANKS = ("cached_price",)


def _namespace(
    args: Mapping[str, Any],
    definitions: Mapping[str, Definition],
    blanks: tuple[str, ...] = BLANKS,
    read: frozenset[str] | None = None,
    ranges: bool = True,
) -> Numeric:
    """`args` as the engine holds them, each value checked (those in `read`, if given): its
    type always, its range too unless `ranges` is False (the caller checks ranges later)."""
    check = not _UNCHECKED.get()

    def held(item: tuple[str, Any]) -> npt.NDArray[Any] | None:
        name, value = item
        checked = check and (read is None or name in read)
        with np.errstate(invalid="ignore"):  # a NaN is found and named, not warned about
            return _array(name, value, checked, name in blanks, ranges)

    items = list(args.items())
    # without range checks a conversion is too little work to share out
    arrays = _each(held, items) if ranges and check else [held(item) for item in items]
    given = {name: a for (name, _), a in zip(items, arrays, strict=True) if a is not None}
    return Numeric(definitions, given, _default, HOURLY)


def _array(
    name: str, value: Any, check: bool, blank_ok: bool, ranges: bool = True
) -> npt.NDArray[np.float64] | None:
    """`value` as floats, or None for a blank that may be blank; raises ValueError naming
    `name` for None, booleans, text and (unless `ranges` is False: see `_check_range`) NaN,
    infinities and values out of range."""
    quantity = QUANTITIES[name]
    if name == "hourly_profile":
        return None if value is None else profile(value, check)
    if quantity.choices:
        return _choice(quantity, value, check)
    if value is None:
        if blank_ok or not check:
            return None
        raise ValueError(f"{name} must be a number (got None)")
    if isinstance(value, float | int) and not isinstance(value, bool):  # a scalar: no numpy
        number = float(value)
        if check and not (blank_ok and math.isnan(number)):
            reason = quantity.bound.violation(name, number)
            if reason is not None:
                raise ValueError(reason)
        return np.asarray(number)
    array = np.asarray(value)
    if check and array.dtype.kind not in "iuf":
        for item in array.flat:
            if item is None and blank_ok:
                continue
            if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real):
                shown = item.item() if isinstance(item, np.generic) else item
                raise ValueError(f"{name} must be a number (got {shown!r})")
    array = array.astype(float, copy=False)
    if check and ranges:
        _check_range(name, array, blank_ok)
    return array


def _check_range(name: str, array: npt.NDArray[np.float64], blank_ok: bool) -> None:
    """Raise ValueError naming `name` and the first value that is NaN (unless `blank_ok`),
    infinite or outside its bound. Two reductions an array (its minimum and maximum), so it
    adds little to a vectorized call; an element is looked for only once the check failed."""
    bound = QUANTITIES[name].bound
    if array.size and not _within(bound, array, blank_ok):
        values = array[~np.isnan(array)] if blank_ok else array
        bad = values.flat[np.flatnonzero(~_each_within(bound, values))[0]]
        raise ValueError(bound.violation(name, float(bad)))


def profile(value: Any, check: bool = True) -> npt.NDArray[np.float64]:
    """An hourly profile as floats, its hours on the last axis: 24 or 168 weights of at least
    0 with a positive sum (ValueError naming hourly_profile otherwise)."""
    weights = np.asarray(value, dtype=object if check else float)
    if check:
        if weights.ndim == 0 or weights.shape[-1] not in PROFILE_HOURS:
            hours = 1 if weights.ndim == 0 else weights.shape[-1]
            raise ValueError(
                f"hourly_profile must have 24 (a day) or 168 (a week) weights (got {hours})"
            )
        for item in weights.flat:
            if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real):
                raise ValueError(f"hourly_profile weights must be numbers (got {item!r})")
        weights = weights.astype(float)
        bad = weights[~(np.isfinite(weights) & (weights >= 0))]
        if bad.size:
            raise ValueError(
                f"hourly_profile weights must be finite and at least 0 (got {bad.flat[0]:g})"
            )
        if np.any(weights.sum(axis=-1) <= 0):
            raise ValueError("hourly_profile must have a weight above 0 in some hour")
    return weights


def _choice(quantity: Any, value: Any, check: bool) -> Any:
    """A choice's texts as int8 codes (`formula.code`), each one of its `choices`; a text
    outside them is -1 where unchecked."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return np.int8(code(quantity.default))
    if isinstance(value, str):
        if value in quantity.choices:
            return np.int8(code(value))
        if check:
            raise ValueError(quantity.violation(value))
        return np.int8(-1)
    given = np.asarray(value)
    if given.dtype.kind == "i":  # codes already (`choice_codes`, or a scenario's passed on)
        # a choice's codes run unbroken (see `_CHOICE_CODES`): two reductions check them
        first, last = _CHOICE_CODES[quantity.name]
        if check and given.size and not (first <= given.min() and given.max() <= last):
            raise ValueError(f"{quantity.name} codes must be those of choice_codes")
        return given
    if given.dtype.kind != "U":
        given = given.astype(object).astype(str)
    codes = np.full(given.shape, -1, dtype=np.int8)
    for choice in quantity.choices:  # a few comparisons beat isin's sort
        codes[given == choice] = code(choice)
    if check and (codes < 0).any():
        raise ValueError(quantity.violation(str(given[codes < 0].flat[0])))
    return codes


def _within(bound: Bound, values: npt.NDArray[np.float64], blank_ok: bool) -> bool:
    if blank_ok:  # fmin and fmax pass over NaN (a blank); all blank is fine
        low, high = (
            float(np.fmin.reduce(values, axis=None)),
            float(np.fmax.reduce(values, axis=None)),
        )
        if math.isnan(low):
            return True
    else:  # min and max propagate NaN: not within
        low, high = float(values.min()), float(values.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    interval = dataclasses.replace(bound, whole=False)
    if not (interval.contains(low) and interval.contains(high)):
        return False
    return not bound.whole or bool(np.all((values == np.floor(values)) | np.isnan(values)))


def _each_within(bound: Bound, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    inside = np.asarray(np.frompyfunc(bound.contains, 1, 1)(values), dtype=bool)
    return inside & np.isfinite(values)


def _out(x: Any) -> Any:
    """A 0-d result as a Python scalar, anything else unchanged."""
    return x.item() if isinstance(x, np.ndarray | np.generic) and x.ndim == 0 else x


def _compute(name: str, args: Mapping[str, Any]) -> Any:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _out(_shown(name, getattr(_namespace(args, DEFINITIONS), name)))


# --- the functions ----------------------------------------------------------------------------


def api_cost_per_request(
    input_tokens: ArrayLike,
    output_tokens: ArrayLike,
    input_price: ArrayLike,
    output_price: ArrayLike,
    cached_share: ArrayLike = 0.0,
    cached_price: ArrayLike | None = None,
    batch_discount: ArrayLike = 0.0,
) -> Floats:
    """Cost of one request at an API's list prices.

    cost = (in × ((1 − cached) × p_in + cached × p_cached) + out × p_out) / 1e6
           × (1 − batch discount)

    Parameters
    ----------
    input_tokens, output_tokens : array_like
        Tokens sent and generated per request.
    input_price, output_price : array_like
        List prices, in currency per 1M tokens.
    cached_share : array_like, optional
        Share of input tokens billed at the cached price (fraction 0..1).
    cached_price : array_like or None, optional
        Price of cached input tokens per 1M; None or NaN means the input price.
    batch_discount : array_like, optional
        Discount on the whole bill (fraction, below 1).

    Returns
    -------
    float or ndarray
        Currency per request.

    Examples
    --------
    >>> round(api_cost_per_request(1000, 500, 0.50, 1.50), 8)
    0.00125
    >>> round(api_cost_per_request(1000, 500, 0.50, 1.50, cached_share=0.5, cached_price=0.05), 8)
    0.001025
    >>> api_cost_per_request([1000, 2000], 500, 0.50, 1.50).round(8).tolist()
    [0.00125, 0.00175]
    """
    return _compute("api_cost_per_request", locals())


def gpu_monthly_cost(
    hourly_rate: ArrayLike,
    gpus_per_replica: ArrayLike = 1.0,
    hours_per_month: ArrayLike = HOURS_PER_MONTH,
) -> Floats:
    """Monthly rental bill of one replica's GPUs, billed around the clock.

    cost = hourly rate × GPUs per replica × hours per month

    Parameters
    ----------
    hourly_rate : array_like
        Currency per GPU-hour.
    gpus_per_replica : array_like, optional
        GPUs one replica needs.
    hours_per_month : array_like, optional
        Billed hours a month (730 by default; the article uses 720).

    Returns
    -------
    float or ndarray
        Currency per month (the replica monthly cost).

    Examples
    --------
    >>> gpu_monthly_cost(2.0, hours_per_month=720)
    1440.0
    >>> gpu_monthly_cost([2.0, 4.0], [[1], [8]], 720).tolist()
    [[1440.0, 2880.0], [11520.0, 23040.0]]
    """
    return _compute("replica_monthly_cost", locals())


def requests_per_second(
    replica_output_tokens_per_second: ArrayLike, output_tokens: ArrayLike
) -> Floats:
    """Requests per second of a replica whose throughput is stated in output tokens.

    requests per second = output tokens per second / output tokens per request

    Serving engines and published benchmarks state throughput in tokens per second; a
    request's length sets how many requests that is.

    Parameters
    ----------
    replica_output_tokens_per_second : array_like
        Output tokens per second one replica generates at its serving batch.
    output_tokens : array_like
        Output tokens per request.

    Returns
    -------
    float or ndarray
        Requests per second (inf for zero output tokens).

    Examples
    --------
    >>> requests_per_second(15_220, 1000)
    15.22
    >>> requests_per_second(1000, [500, 2000]).tolist()
    [2.0, 0.5]
    """
    return _compute("requests_per_second", locals())


def monthly_capacity(
    replica_throughput: ArrayLike, hours_per_month: ArrayLike = HOURS_PER_MONTH
) -> Floats:
    """Requests one replica serves in a month at 100 % utilization.

    capacity = throughput × 3600 × hours per month

    Parameters
    ----------
    replica_throughput : array_like
        Sustained requests per second of one replica.
    hours_per_month : array_like, optional
        Hours in the month.

    Returns
    -------
    float or ndarray
        Requests per month (the replica capacity).

    Examples
    --------
    >>> monthly_capacity(2.0, 720)
    5184000.0
    >>> monthly_capacity([1.0, 2.0], 720).tolist()
    [2592000.0, 5184000.0]
    """
    return _compute("replica_capacity", locals())


def cost_per_request(
    monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    utilization: ArrayLike,
    variable_cost_per_request: ArrayLike = 0.0,
) -> Floats:
    """Self-hosting cost of one request when capacity runs at a given utilization.

    cost = monthly cost / (capacity × utilization) + variable cost per request

    Utilization is the share of capacity actually used, not the share of hours billed.

    Parameters
    ----------
    monthly_cost : array_like
        Currency per month of the capacity.
    replica_capacity : array_like
        Requests per month at 100 % utilization.
    utilization : array_like
        Fraction in (0, 1].
    variable_cost_per_request : array_like, optional
        Currency per request.

    Returns
    -------
    float or ndarray
        Currency per request.

    Examples
    --------
    >>> round(cost_per_request(1440, 5_184_000, 0.25), 8)
    0.00111111
    >>> cost_per_request(1440, 5_184_000, [0.05, 0.9]).round(6).tolist()
    [0.005556, 0.000309]
    """
    return _compute("cost_per_request", locals())


def replicas_needed(
    monthly_volume: ArrayLike,
    replica_capacity: ArrayLike,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Floats:
    """Whole replicas to serve a monthly volume at its peak, plus those held for failover.

    replicas = max(1, ceil(volume × peak-to-average / (capacity × max utilization)))
               + failover replicas

    One replica runs even at zero volume. A load within 1e-9 above a whole number of replicas
    rounds down to it (`REPLICA_TOLERANCE`), so float noise never buys a replica.

    Parameters
    ----------
    monthly_volume, replica_capacity : array_like
        Requests per month (capacity at 100 %).
    max_utilization : array_like, optional
        Highest planned load per replica, in (0, 1].
    peak_to_average : array_like, optional
        Peak rate over average rate, at least 1.
    failover_replicas : array_like, optional
        Whole replicas held in reserve.

    Returns
    -------
    float or ndarray
        A whole number of replicas.

    Examples
    --------
    >>> replicas_needed(3_000_000, 5_184_000, max_utilization=0.7, peak_to_average=2,
    ...                 failover_replicas=1)
    3.0
    >>> replicas_needed([0, 5_184_000, 5_184_001], 5_184_000).tolist()
    [1.0, 1.0, 2.0]
    """
    return _compute("replicas_needed", locals())


def selfhost_monthly_cost(
    monthly_volume: ArrayLike,
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Floats:
    """Monthly cost of the replicas a volume needs, plus fixed costs.

    cost = replicas_needed(volume, ...) × replica monthly cost + fixed monthly cost

    Variable cost is not included: add volume × variable cost per request for the total.

    Parameters
    ----------
    monthly_volume, replica_capacity : array_like
        Requests per month.
    replica_monthly_cost, fixed_monthly_cost : array_like
        Currency per month.
    max_utilization, peak_to_average, failover_replicas : array_like, optional
        As in `replicas_needed`.

    Returns
    -------
    float or ndarray
        Currency per month.

    Examples
    --------
    >>> selfhost_monthly_cost(1_296_000, 1440, 5_184_000)
    1440.0
    >>> selfhost_monthly_cost([1_296_000, 6_000_000], 1440, 5_184_000, 4000).tolist()
    [5440.0, 6880.0]
    """
    return _compute("selfhost_monthly_cost", locals())


def breakeven_volume(
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    variable_cost_per_request: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Floats:
    """Smallest monthly volume at which self-hosting costs no more than the API.

    With replica cost C, usable capacity per replica K = capacity × max utilization /
    peak-to-average, fixed cost F' = fixed + failover replicas × C and API margin
    a = API cost − variable cost per request:

    - if C ≥ K·a, every replica costs more than the API bill of the traffic it can carry, so
      the API is cheaper at every volume: the result is inf ("never");
    - otherwise n* = max(1, ceil(F' / (K·a − C))) and volume = (F' + n*·C) / a, the first
      volume at which selfhost_monthly_cost + volume × variable cost = volume × API cost.

    Parameters
    ----------
    replica_monthly_cost, fixed_monthly_cost : array_like
        Currency per month.
    replica_capacity : array_like
        Requests per month at 100 %.
    api_cost_per_request, variable_cost_per_request : array_like
        Currency per request.
    max_utilization, peak_to_average, failover_replicas : array_like, optional
        As in `replicas_needed`.

    Returns
    -------
    float or ndarray
        Requests per month, or inf when the API is cheaper at every volume.

    Examples
    --------
    >>> round(breakeven_volume(1440, 5_184_000, 0.00125))
    1152000
    >>> breakeven_volume(1440, [5_184_000, 1_000_000], 0.00125).tolist()
    [1152000.0, inf]
    """
    return _compute("breakeven_volume", locals())


def sustained_breakeven_volume(
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    variable_cost_per_request: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Floats:
    """Smallest monthly volume above which self-hosting never costs more than the API.

    Past each whole-replica step the self-host bill jumps by one replica's cost C, so just
    above n·K the API can be cheaper again. With K, a, C and F' as in `breakeven_volume`,
    n serving replicas pay for themselves over their whole band from m = max(1,
    ceil((F' + K·a) / (K·a − C))) on; in the band below, self-hosting pays from where its
    bill meets the API's, V = (F' + (m − 1)·C) / a, if that comes before (m − 1)·K:

        sustained = min(V, (m − 1)·K)   (the first break-even when m = 1)

    Between `breakeven_volume` and this volume the cheaper option alternates.

    Parameters
    ----------
    replica_monthly_cost, replica_capacity, api_cost_per_request : array_like
        As in `breakeven_volume`.
    fixed_monthly_cost, variable_cost_per_request : array_like, optional
        As in `breakeven_volume`.
    max_utilization, peak_to_average, failover_replicas : array_like, optional
        As in `replicas_needed`.

    Returns
    -------
    float or ndarray
        Requests per month, or inf when the API is cheaper at every volume.

    Examples
    --------
    The article, fully loaded (0.25 FTE at $200k, $300 other fixed cost, one failover
    replica, 70 % max utilization, a 2x peak): break-even at 13,941,333 requests, yet the
    API is cheaper again in bands up to 15,093,333.

    >>> round(sustained_breakeven_volume(1440, 5_184_000, 0.00125, 4466.67, 0, 0.7, 2, 1))
    15093336
    >>> sustained_breakeven_volume(1440, [5_184_000, 1_000_000], 0.00125).tolist()
    [1152000.0, inf]
    """
    return _compute("sustained_breakeven_volume", locals())


def in_alternating_band(
    monthly_volume: ArrayLike,
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    variable_cost_per_request: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Any:
    """Whether a volume lies where the cheaper option still alternates as replicas are added.

    alternates = breakeven_volume ≤ volume < sustained_breakeven_volume

    Below the first break-even the API is cheaper; from the sustained break-even on,
    self-hosting never costs more; in between each added replica can make the API cheaper
    again for a while. False when break-even never comes, and when the two coincide.

    Parameters
    ----------
    monthly_volume : array_like
        Requests per month.
    replica_monthly_cost, replica_capacity, api_cost_per_request : array_like
        As in `breakeven_volume`.
    fixed_monthly_cost, variable_cost_per_request : array_like, optional
        As in `breakeven_volume`.
    max_utilization, peak_to_average, failover_replicas : array_like, optional
        As in `replicas_needed`.

    Returns
    -------
    bool or ndarray of bool

    Examples
    --------
    The article fully loaded alternates between 13,941,333 and 15,093,333 requests:

    >>> in_alternating_band([13e6, 14.6e6, 16e6], 1440, 5_184_000, 0.00125, 4466.67, 0, 0.7,
    ...                     2, 1).tolist()
    [False, True, False]
    >>> in_alternating_band(2e6, 1440, 5_184_000, 0.00125)
    False
    """
    return _compute("in_alternating_band", locals())


def breakeven_utilization(
    monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    variable_cost_per_request: ArrayLike = 0.0,
    fixed_monthly_cost: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Floats:
    """Average utilization of every billed replica at the break-even volume.

    utilization = breakeven_volume / ((n* + failover replicas) × capacity)

    with n* the serving replicas at the break-even (see `breakeven_volume`, whose replica
    cost is `monthly_cost` here). With the sizing arguments at their defaults this is the
    one-replica figure, monthly cost / (capacity × (API cost − variable cost)). Where
    break-even never comes it is that one-replica figure: above 1, out of reach.

    Parameters
    ----------
    monthly_cost : array_like
        Currency per month of one replica.
    replica_capacity : array_like
        Requests per month at 100 %.
    api_cost_per_request, variable_cost_per_request : array_like
        Currency per request.
    fixed_monthly_cost, max_utilization, peak_to_average, failover_replicas : array_like
        As in `breakeven_volume`, all optional.

    Returns
    -------
    float or ndarray
        A fraction (above 1: out of reach), or inf when the API costs no more than the
        variable cost alone.

    Examples
    --------
    >>> round(breakeven_utilization(1440, 5_184_000, 0.00125), 4)
    0.2222
    >>> breakeven_utilization([1440, 2880], 5_184_000, 0.00125).round(4).tolist()
    [0.2222, 0.4444]

    The article fully loaded: 9 billed replicas are 29.9 % busy at the break-even.

    >>> round(breakeven_utilization(1440, 5_184_000, 0.00125, 0, 4466.67, 0.7, 2, 1), 4)
    0.2988
    """
    args = {**locals(), "replica_monthly_cost": monthly_cost}
    return _compute("breakeven_utilization", args)


def cost_per_million_tokens(
    hourly_rate: ArrayLike,
    replica_output_tokens_per_second: ArrayLike,
    gpus_per_replica: ArrayLike = 1.0,
    utilization: ArrayLike = 1.0,
) -> Floats:
    """What a replica's GPUs cost per million output tokens.

    cost = hourly rate × GPUs / (output tokens per second × 3600 × utilization) × 1e6

    Parameters
    ----------
    hourly_rate : array_like
        Currency per GPU-hour.
    replica_output_tokens_per_second : array_like
        Output tokens per second of the whole replica at full load.
    gpus_per_replica : array_like, optional
        GPUs the replica rents.
    utilization : array_like, optional
        Share of the capacity used, in (0, 1].

    Returns
    -------
    float or ndarray
        Currency per 1M output tokens.

    Examples
    --------
    One H100 at $3.99/h generating 15,220 tokens/s, fully busy and half busy:

    >>> cost_per_million_tokens(3.99, 15_220, utilization=[1, 0.5]).round(4).tolist()
    [0.0728, 0.1456]
    """
    return _compute("cost_per_million_tokens", locals())


def cheaper_option(
    selfhost_cost_per_request: ArrayLike,
    api_cost_per_request: ArrayLike,
    tolerance: ArrayLike = DEFAULT_TOLERANCE,
) -> Verdicts:
    """Which option costs less per request, calling it even within a tolerance.

    "Break-even" when |self-host − API| ≤ tolerance × API, else "Self-host" when self-hosting
    is cheaper, else "API".

    Parameters
    ----------
    selfhost_cost_per_request, api_cost_per_request : array_like
        Currency per request.
    tolerance : array_like, optional
        A share of the API cost (0.15 by default).

    Returns
    -------
    str or ndarray of str (dtype object)
        "API", "Break-even" or "Self-host".

    Examples
    --------
    >>> cheaper_option(0.000463, 0.00125)
    'Self-host'
    >>> cheaper_option([0.005556, 0.001111, 0.000463], 0.00125).tolist()
    ['API', 'Break-even', 'Self-host']
    """
    return _compute("cheaper_option", locals())


def peak_requests_per_second(
    monthly_volume: ArrayLike,
    peak_to_average: ArrayLike = 1.0,
    hours_per_month: ArrayLike = HOURS_PER_MONTH,
) -> Floats:
    """The request rate a monthly volume reaches at its peak.

    peak rate = volume / (hours per month × 3600) × peak-to-average

    Parameters
    ----------
    monthly_volume : array_like
        Requests per month.
    peak_to_average : array_like, optional
        Ratio of at least 1.
    hours_per_month : array_like, optional
        Hours in the month.

    Returns
    -------
    float or ndarray
        Requests per second.

    Examples
    --------
    >>> peak_requests_per_second(5_184_000, 2, 720)
    4.0
    >>> peak_requests_per_second(5_184_000, [1, 3], 720).tolist()
    [2.0, 6.0]
    """
    return _compute("peak_requests_per_second", locals())


def ops_monthly_cost(ops_fte: ArrayLike, annual_cost_per_fte: ArrayLike) -> Floats:
    """Monthly cost of the people who run the serving stack.

    cost = FTE × annual cost per FTE / 12

    Parameters
    ----------
    ops_fte : array_like
        Full-time equivalents.
    annual_cost_per_fte : array_like
        Currency per year, fully loaded (salary, taxes, benefits).

    Returns
    -------
    float or ndarray
        Currency per month.

    Examples
    --------
    >>> ops_monthly_cost(0.5, 180_000)
    7500.0
    >>> ops_monthly_cost([0.25, 1], 120_000).tolist()
    [2500.0, 10000.0]
    """
    return _compute("ops_monthly_cost", locals())


def breakeven_table(
    monthly_cost: float,
    replica_capacity: float,
    api_cost_per_request: float,
    utilizations: ArrayLike,
    tolerance: float = DEFAULT_TOLERANCE,
    variable_cost_per_request: float = 0.0,
) -> dict[str, np.ndarray]:
    """The article's table: what self-hosting costs per request at each utilization.

    For each utilization u: volume served = capacity × u; self-host cost per request =
    `cost_per_request(monthly_cost, capacity, u, variable)`; the API's cost per request; and
    `cheaper_option` of the two.

    Parameters
    ----------
    monthly_cost, replica_capacity, api_cost_per_request, variable_cost_per_request : float
        As in `cost_per_request` (one capacity).
    utilizations : array_like
        Fractions in (0, 1]; flattened to one row each.
    tolerance : float, optional
        As in `cheaper_option`.

    Returns
    -------
    dict of ndarray
        1-D arrays keyed by `TABLE_COLUMNS` (pass it to pandas.DataFrame).

    Examples
    --------
    >>> t = breakeven_table(1440, 5_184_000, 0.00125, [0.05, 0.25, 0.60, 0.90])
    >>> [round(v) for v in t["volume_served"]]
    [259200, 1296000, 3110400, 4665600]
    >>> t["cheaper_option"].tolist()
    ['API', 'Break-even', 'Self-host', 'Self-host']
    """
    args = {**locals(), "utilization": np.ravel(np.asarray(utilizations, dtype=float))}
    del args["utilizations"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table = _namespace(args, TABLE_DEFINITIONS)
        rows = args["utilization"].shape
        return {
            name: np.broadcast_to(_shown(name, getattr(table, name)), rows)
            for name in TABLE_COLUMNS
        }


def peak_to_average(hourly_profile: ArrayLike) -> Floats:
    """The peak-to-average ratio of an hourly traffic profile.

    ratio = largest weight / average weight

    Parameters
    ----------
    hourly_profile : array_like
        24 (a day) or 168 (a week) weights of at least 0 on the last axis; only their
        proportions matter.

    Returns
    -------
    float or ndarray
        A ratio of at least 1.

    Examples
    --------
    Busy 12 hours at three times the quiet 12 hours' traffic:

    >>> peak_to_average([1] * 12 + [3] * 12)
    1.5
    """
    return _compute("profile_peak_to_average", locals())


def billed_hours(
    monthly_volume: ArrayLike,
    hourly_profile: ArrayLike,
    replica_capacity: ArrayLike,
    billing_mode: Any = "always-on",
    max_utilization: ArrayLike = 1.0,
    active_hours_per_day: ArrayLike = 24.0,
    cold_start_hours: ArrayLike = 0.0,
    hours_per_month: ArrayLike = HOURS_PER_MONTH,
) -> Floats:
    """Replica-hours a month the serving replicas are billed for, in a billing mode.

    With n the serving replicas the profile's busiest hour needs (`replicas_needed`, with
    peak-to-average = the profile's) and H the hours per month:

    - "always-on": n × H;
    - "active-window": n × active hours per day × H / 24;
    - "scale-to-zero": for each hour h of the profile, the replicas r_h its traffic needs,
      billed (Σ r_h + cold-start hours × starts) × H / hours in the profile, where starts =
      Σ max(0, r_h − r_(h−1)) around the repeating profile.

    Parameters
    ----------
    monthly_volume, replica_capacity : array_like
        Requests per month (capacity at 100 %).
    hourly_profile : array_like
        24 or 168 weights (see `peak_to_average`).
    billing_mode : str or array_like of str, optional
        "always-on", "active-window" or "scale-to-zero".
    max_utilization : array_like, optional
        Highest planned load per replica, in (0, 1].
    active_hours_per_day, cold_start_hours : array_like, optional
        The active window's length; hours billed per replica start.
    hours_per_month : array_like, optional
        Hours in the month.

    Returns
    -------
    float or ndarray
        Replica-hours per month.

    Examples
    --------
    Traffic only 12 hours a day, one replica busy then: scale-to-zero bills half the month.

    >>> day = [0] * 12 + [1] * 12
    >>> billed_hours(2_592_000, day, 5_184_000, "always-on", hours_per_month=720)
    720.0
    >>> billed_hours(2_592_000, day, 5_184_000, "scale-to-zero", hours_per_month=720)
    360.0
    >>> billed_hours(2_592_000, day, 5_184_000, "scale-to-zero", cold_start_hours=0.25,
    ...              hours_per_month=720)
    367.5
    """
    return _compute("billed_replica_hours", locals())


def hybrid_monthly_cost(
    monthly_volume: ArrayLike,
    hourly_profile: ArrayLike,
    replicas: ArrayLike,
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    routed_share: ArrayLike = 0.0,
    routed_cost_per_request: ArrayLike = 0.0,
) -> Floats:
    """Monthly cost of self-hosting a baseline of N replicas and sending the rest to an API.

    Hour by hour over the profile the replicas serve the traffic up to their usable
    capacity (capacity / hours × max utilization each); the overflow goes to the API. A
    routed share of all traffic always goes to a separate API at its own price:

    cost = N × C + (fixed if N ≥ 1) + API cost × overflow + routed cost × routed volume

    Parameters
    ----------
    monthly_volume : array_like
        Requests per month.
    hourly_profile : array_like
        24 or 168 weights (see `peak_to_average`).
    replicas : array_like
        Whole self-hosted replicas N (0: pure API).
    replica_monthly_cost, fixed_monthly_cost : array_like
        Currency per month.
    replica_capacity : array_like
        Requests per month at 100 %.
    api_cost_per_request, routed_cost_per_request : array_like
        Currency per request.
    max_utilization, routed_share : array_like, optional
        Fractions.

    Returns
    -------
    float or ndarray
        Currency per month.

    Examples
    --------
    The article's replica with a day busy 12 hours at three times the quiet hours' traffic:
    one replica serves all of the quiet hours and two thirds of the busy ones, 3.888M of
    5.184M requests; the API bills the other 1.296M at $0.00125.

    >>> day = [1] * 12 + [3] * 12
    >>> hybrid_monthly_cost(5_184_000, day, [0, 1, 2], 1440, 5_184_000, 0.00125).round(2).tolist()
    [6480.0, 3060.0, 2880.0]
    """
    return _compute("hybrid_monthly_cost", locals())


def hybrid_selfhost_share(
    monthly_volume: ArrayLike,
    hourly_profile: ArrayLike,
    replicas: ArrayLike,
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    routed_share: ArrayLike = 0.0,
    routed_cost_per_request: ArrayLike = 0.0,
) -> Floats:
    """Share of a monthly volume the hybrid's N replicas serve (see `hybrid_monthly_cost`).

    share = Σ over hours of min(demand of the hour, N × usable capacity per hour) / volume

    Returns
    -------
    float or ndarray
        A fraction 0..1 (less the routed share at most).

    Examples
    --------
    >>> day = [1] * 12 + [3] * 12
    >>> hybrid_selfhost_share(5_184_000, day, [1, 2], 1440, 5_184_000, 0.00125).round(6).tolist()
    [0.75, 1.0]
    """
    return _compute("hybrid_selfhost_share", locals())


def optimal_replicas(
    monthly_volume: ArrayLike,
    hourly_profile: ArrayLike,
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    routed_share: ArrayLike = 0.0,
    routed_cost_per_request: ArrayLike = 0.0,
) -> Floats:
    """The whole number of replicas that minimizes `hybrid_monthly_cost` (0: pure API).

    Searched from 0 to the replicas the busiest hour needs (pure self-host); the fewest
    replicas among equal costs. Each added replica serves less than the one before, so the
    cost is convex from one replica on and a bisection over whole replicas finds the best.

    Returns
    -------
    float or ndarray
        A whole number of replicas.

    Examples
    --------
    >>> day = [1] * 12 + [3] * 12
    >>> optimal_replicas(5_184_000, day, 1440, 5_184_000, [0.00125, 0.0008, 0.0002]).tolist()
    [2.0, 1.0, 0.0]
    """
    args = {**locals(), "replicas": 0.0}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scenario = _namespace(args, DEFINITIONS)
        return _out(_optimum(scenario)[0])


def api_fallback_monthly_cost(
    monthly_volume: ArrayLike, availability: ArrayLike, api_cost_per_request: ArrayLike
) -> Floats:
    """What the API bills for the traffic it serves while self-hosted GPUs are down.

    cost = volume × (1 − availability) × API cost per request

    Parameters
    ----------
    monthly_volume : array_like
        Requests per month.
    availability : array_like
        Share of the time the self-hosted replicas are up, in (0, 1].
    api_cost_per_request : array_like
        Currency per request.

    Returns
    -------
    float or ndarray
        Currency per month.

    Examples
    --------
    >>> round(api_fallback_monthly_cost(14_600_000, 0.995, 0.00125), 2)
    91.25
    """
    return _compute("api_fallback_monthly_cost", locals())


def owned_monthly_cost(
    purchase_price: ArrayLike,
    life_months: ArrayLike,
    residual_share: ArrayLike = 0.0,
    annual_cost_of_capital: ArrayLike = 0.0,
    annual_maintenance_share: ArrayLike = 0.0,
    power_kw: ArrayLike = 0.0,
    pue: ArrayLike = 1.0,
    price_per_kwh: ArrayLike = 0.0,
    colocation_per_kw_month: ArrayLike = 0.0,
    hours_per_month: ArrayLike = HOURS_PER_MONTH,
) -> Floats:
    """Monthly cost of owning hardware bought for a price.

    cost = P × (1 − residual) / life                       (straight-line depreciation)
         + cost of capital / 12 × P × (1 + residual) / 2   (on the average book value)
         + maintenance share / 12 × P
         + kW × PUE × hours per month × price per kWh      (energy)
         + colocation per kW-month × kW

    Parameters
    ----------
    purchase_price : array_like
        Currency.
    life_months : array_like
        Months of useful life.
    residual_share, annual_cost_of_capital, annual_maintenance_share : array_like, optional
        Fractions (the last two per year).
    power_kw, pue, price_per_kwh, colocation_per_kw_month : array_like, optional
        Average draw in kW, power usage effectiveness, currency per kWh and per kW-month.
    hours_per_month : array_like, optional
        Hours in the month.

    Returns
    -------
    float or ndarray
        Currency per month.

    Examples
    --------
    A $30,000 accelerator depreciated straight-line over 3 and 5 years costs $10,000 and
    $6,000 a year (computetape.com, "How fast does an H100 depreciate?"):

    >>> [round(owned_monthly_cost(30_000, m) * 12) for m in (36, 60)]
    [10000, 6000]
    """
    return _compute("owned_monthly_cost", locals())


def amortized_monthly_cost(one_time_cost: ArrayLike, amortization_months: ArrayLike) -> Floats:
    """A one-time cost spread evenly over months.

    cost = one-time cost / months

    Examples
    --------
    >>> amortized_monthly_cost(36_000, 24)
    1500.0
    """
    return _compute("amortized_monthly_cost", locals())


def payback_months(upfront_cost: ArrayLike, monthly_savings: ArrayLike) -> Floats:
    """Months of savings that repay an upfront cost.

    months = upfront cost / monthly savings, or inf ("never") when savings are not positive

    Examples
    --------
    >>> payback_months(30_000, [2_500, 0]).tolist()
    [12.0, inf]
    """
    return _compute("payback_months", locals())


#: quantities a search over replicas reads, computed once before it
_HYBRID_BASE = (
    "hourly_demand", "usable_hourly_capacity", "replica_monthly_cost", "fixed_monthly_cost",
    "selfhost_variable_cost_per_request", "api_cost_per_request", "api_margin",
    "profile_hours", "tail_shares", "hour_rank", "serving_replicas", "peak_to_average_used",
    "replica_capacity",
)  # fmt: skip


def _at(scenario: Numeric, replicas: Any) -> Numeric:
    """The scenario with `replicas` self-hosted in the hybrid."""
    given = {name: getattr(scenario, name) for name in _HYBRID_BASE}
    given.update({k: v for k, v in scenario.__dict__["_values"].items()
                  if k in FIELDS or k == "hourly_profile"})  # fmt: skip
    return Numeric(DEFINITIONS, {**given, "replicas": np.asarray(replicas, dtype=float)},
                   _default, HOURLY)  # fmt: skip


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


def _optimum(scenario: Numeric) -> tuple[Any, Any]:
    """The cost-optimal replicas of each scenario and the hybrid cost there: by halving
    where the cost is convex in the replicas; scaling to zero, the least of the counts
    that can hold the optimum (`fleet.candidates`)."""
    peak = np.asarray(scenario.serving_replicas, dtype=float)
    pure_api = np.asarray(_at(scenario, 0.0).hybrid_monthly_cost)

    def rising(n: Any) -> Any:  # the cost is convex from one replica up
        return _at(scenario, n + 1).hybrid_monthly_cost >= _at(scenario, n).hybrid_monthly_cost

    shape = np.broadcast_shapes(peak.shape, pure_api.shape)
    low = _halved(np.ones(shape), np.maximum(peak, 1), rising)
    best = np.asarray(_at(scenario, low).hybrid_monthly_cost)
    fleets = _fleets(scenario, shape)
    if fleets:
        counts = _scaled_counts(scenario, fleets, np.array(np.broadcast_to(low, shape)))
        low, best = np.array(np.broadcast_to(low, shape)), np.array(np.broadcast_to(best, shape))
        for k in range(counts.shape[1]):
            here = counts[:, k].reshape(shape)
            cost = np.asarray(_at(scenario, here).hybrid_monthly_cost)
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
    top = np.asarray(_at(scenario, first + 1).hybrid_search_top, dtype=float)
    return first, np.maximum(top, first)


def _hybrid_breakeven(scenario: Numeric) -> Any:
    """The least volume, over N ≥ 1 replicas, from which N replicas beat pure API.

    Each N's volume is the largest of lines in N (`hybrid_breakeven_candidate`), so it is
    convex in N: halving `_breakeven_range` finds the least, as the workbook's Hybrid sheet
    does step by step (a count that cannot pay, never, sends the search up)."""

    def rising(n: Any) -> Any:
        here = np.asarray(_at(scenario, n).hybrid_breakeven_candidate)
        return np.isfinite(here) & (_at(scenario, n + 1).hybrid_breakeven_candidate >= here)

    low = _halved(*_breakeven_range(scenario), rising)
    found = np.asarray(_at(scenario, low).hybrid_breakeven_candidate, dtype=float)
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
    scenario = _scenario(inputs)
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
    scenario = _scenario(inputs)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        chosen, cost = _optimum(scenario)
        share = _at(scenario, chosen).hybrid_selfhost_share
        results = {
            "optimal_replicas": chosen,
            "optimal_hybrid_monthly_cost": cost,
            "optimal_hybrid_selfhost_share": share,
            "hybrid_breakeven_volume": _hybrid_breakeven(scenario),
        }
    shape = np.broadcast_shapes(*(np.shape(v) for v in results.values()))
    return {name: np.broadcast_to(results[name], shape) for name in HYBRID_OUTPUTS}


def _exactly_one(scenario: Numeric, read: frozenset[str] | None = None) -> None:
    """Each scenario gives exactly one of each `ONE_OF` pair (the other blank), and holds to
    `NEEDS_POSITIVE`, where the outputs asked for read them (everywhere if `read` is None)."""
    for name, positive in NEEDS_POSITIVE:
        if read is not None and not read.issuperset((name, positive)):
            continue
        given = ~np.isnan(np.asarray(getattr(scenario, name), dtype=float))
        values = np.asarray(getattr(scenario, positive), dtype=float)
        given, values = np.broadcast_arrays(given, values)
        bad = np.flatnonzero(given & ~(values > 0))
        if bad.size:
            raise ValueError(needs_positive_violation(name, positive, float(values.flat[bad[0]])))
    for names in ONE_OF:
        if read is not None and not read.intersection(names):
            continue
        given = sum((~np.isnan(getattr(scenario, n))).astype(int) for n in names)
        wrong = np.flatnonzero(np.asarray(given) != 1)
        if wrong.size:
            how = "both" if np.ravel(given)[wrong[0]] else "neither"
            raise ValueError(f"give exactly one of {' or '.join(names)} (got {how})")


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
    scenario = _scenario(inputs)
    names = (*WATERFALL, "selfhost_cost_per_request", "api_cost_per_request")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        results = {name: np.asarray(getattr(scenario, name)) for name in names}
    shape = np.broadcast_shapes(*(v.shape for v in results.values()))
    return {name: np.broadcast_to(results[name], shape) for name in names}


def checking() -> bool:
    """False inside `unchecked()`: the caller has checked every value already."""
    return not _UNCHECKED.get()


def _scenario(
    inputs: Mapping[str, Any], read: frozenset[str] | None = None, ranges: bool = True
) -> Numeric:
    """Whole scenarios' inputs, checked (unknown and missing ones are TypeErrors): all of
    them, or the values of those in `read` (what the outputs asked for depend on); their
    ranges unless `ranges` is False (then `_check_ranges` must follow)."""
    unknown = sorted(set(inputs) - set(FIELDS) - {"hourly_profile"})
    if unknown:
        raise TypeError(f"unknown scenario input {unknown[0]!r}")
    missing = [name for name, q in FIELDS.items() if q.required and name not in inputs]
    if missing:
        raise TypeError(f"a scenario needs {missing[0]}")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scenario = _namespace(inputs, DEFINITIONS, SCENARIO_BLANKS, read, ranges)
        if not _UNCHECKED.get():
            _exactly_one(scenario, read)
    return scenario


#: scenario inputs that may be blank: those with no default
SCENARIO_BLANKS: Final = tuple(name for name, q in FIELDS.items() if q.default is None)


def _check_ranges(scenario: Numeric, read: frozenset[str] | None) -> None:
    """The range checks `_scenario(..., ranges=False)` left out, on its converted values
    (large arrays side by side; the first bad input in argument order is the one named)."""
    if _UNCHECKED.get():
        return
    items = [
        (name, value)
        for name, value in scenario.given().items()
        if (read is None or name in read)
        and name != "hourly_profile"
        and not QUANTITIES[name].choices
    ]

    def check(item: tuple[str, Any]) -> None:
        with np.errstate(invalid="ignore"):
            _check_range(item[0], item[1], item[0] in SCENARIO_BLANKS)

    _each(check, items)


def _each(work: Callable[[tuple[str, Any]], Any], items: list[tuple[str, Any]]) -> list[Any]:
    """`work` on each (name, value) in order; large arrays side by side on the shared
    threads (a check is a few reductions outside the lock). The first error in argument
    order is the one raised, so the first bad input is the one named."""
    if sum(np.size(value) for _, value in items) > CHUNK_ROWS * 4:
        return list(_pool().map(work, items))
    return [work(item) for item in items]


def evaluate(outputs: Iterable[str] | None = None, **inputs: ArrayLike | None) -> dict[str, Any]:
    """The headline figures of whole scenarios, one scenario per array element: all of
    `OUTPUTS`, or only the quantities named in `outputs` (and only what they depend on is
    computed).

    Takes the scenario inputs of `llm_breakeven.quantities.INPUTS` by name (units there);
    those with defaults may be left out, and None (or NaN) means a blank cached price.
    Choice inputs are texts, or the codes of `choice_codes` (for large sweeps). The outputs
    are the API's cost per request, one replica's cost and capacity, fixed cost, the
    minimum bill, break-even volume and utilization and, at the scenario's own monthly
    volume, replicas, peak rate, utilization, both monthly bills, cost per request, savings
    (API − self-host), the verdict, and the traffic, resilience, ownership and signal
    figures of `OUTPUTS`. Large inputs are evaluated `CHUNK_ROWS` rows at a time, so the
    temporaries stay the same size whatever the number of rows.

    Returns
    -------
    dict of ndarray
        Arrays of the broadcast shape, keyed by the outputs asked for, in their order.

    Examples
    --------
    >>> r = evaluate(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
    ...              hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000,
    ...              hours_per_month=720)
    >>> round(float(r["breakeven_volume"])), str(r["cheaper_option"])
    (1152000, 'Break-even')
    >>> evaluate(["breakeven_volume"], input_tokens=1000, output_tokens=500, input_price=0.5,
    ...          output_price=1.5, hourly_rate=[2, 4], replica_throughput=2,
    ...          monthly_volume=1_296_000, hours_per_month=720)
    {'breakeven_volume': array([1152000., 2304000.])}
    """
    names = OUTPUTS if outputs is None else _asked(outputs)
    read = None if outputs is None else _read(names)
    # the ranges are checked by the compiled loop as it reads each row, or before numpy runs
    return _evaluated(_scenario(inputs, read, ranges=False), names, read)


#: rows evaluated together: every temporary of a chunk stays within the processor's caches,
#: where a whole sweep's would cost fresh memory pages on every numpy pass
CHUNK_ROWS: Final = 32_768


def _asked(outputs: Iterable[str]) -> tuple[str, ...]:
    if isinstance(outputs, str):
        outputs = (outputs,)
    if not isinstance(outputs, Iterable):
        raise ValueError(f"outputs must be names of quantities (got {outputs!r})")
    names = tuple(outputs)
    for name in names:
        if not isinstance(name, str) or name not in DEFINITIONS:
            raise ValueError(f"outputs: {name!r} is not a quantity the engine computes")
    return names


@functools.cache
def _read(names: tuple[str, ...]) -> frozenset[str]:
    """The inputs the quantities `names` read, through their definitions."""
    found = set(names)
    for name in names:
        found |= dependencies(DEFINITIONS, name)
    return frozenset(found)


def _evaluated(
    scenario: Numeric, names: tuple[str, ...], read: frozenset[str] | None
) -> dict[str, Any]:
    """The quantities `names` of scenarios whose ranges are not yet checked (those in `read`
    must be), in chunks of `CHUNK_ROWS` rows shared out among the processor's cores: by the
    compiled loop of `llm_breakeven.kernel` where numba is there, checking each row as it
    reads it, else by numpy (whose loops also run outside the interpreter's lock)."""
    shape = scenario.row_shape()
    rows = math.prod(shape)
    loop = _compiled(names) if rows > CHUNK_ROWS else None
    if loop is None:
        _check_ranges(scenario, read)
    if rows <= CHUNK_ROWS:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            found = {name: np.asarray(getattr(scenario, name)) for name in names}
        return {name: _shown(name, np.broadcast_to(found[name], shape)) for name in names}
    given = {name: _rows(name, value, shape) for name, value in scenario.given().items()}
    # a value of every row is cut into chunks; one shared by all goes whole to each
    shared = {k for k, v in given.items() if _shared(k, v)}

    def part(start: int, stop: int) -> dict[str, Any]:
        return {k: v if k in shared else v[start:stop] for k, v in given.items()}

    def numpy_rows(start: int, stop: int) -> dict[str, np.ndarray]:
        rows_of = Numeric(DEFINITIONS, part(start, stop), _default, HOURLY)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return {name: np.asarray(getattr(rows_of, name)) for name in names}

    # the first row's types size the results
    results = {name: np.empty(rows, dtype=v.dtype) for name, v in numpy_rows(0, 1).items()}

    if loop is not None:
        held = loop.held({name: given.get(name, _default(name)) for name in loop.inputs})
        # the compiled loop needs no temporaries: chunks only share the rows out, a few a core
        size = min(CHUNK_ROWS, max(4_096, -(-rows // (4 * WORKERS))))
    else:
        size = CHUNK_ROWS

    def chunk(start: int) -> bool:
        """Fill the results of the chunk's rows; False where a row's input is out of range."""
        stop = min(start + size, rows)
        if loop is None:
            for name, values in numpy_rows(start, stop).items():
                results[name][start:stop] = values
            return True
        return bool(loop(held, start, stop, [results[name][start:stop] for name in names]))

    within = list(_pool().map(chunk, range(0, rows, size)))
    if not all(within):
        _check_ranges(scenario, read)  # names the first bad input and value
    return {name: _shown(name, results[name].reshape(shape)) for name in names}


def _compiled(names: tuple[str, ...]) -> Any:
    """The compiled loop over rows for `names` (`llm_breakeven.kernel`), or None."""
    from . import kernel  # only large evaluations need it (and numba)

    return kernel.compiled(names, DEFINITIONS, _is_input, _default, _KERNEL_CHECKS)


def _is_input(name: str) -> bool:
    return name in FIELDS or name == "hourly_profile"


#: what the compiled loop checks as it reads a row: each numeric input's bound and whether
#: it may be blank (choices are checked as codes when converted)
_KERNEL_CHECKS: Final = {
    name: (q.bound, name in SCENARIO_BLANKS) for name, q in FIELDS.items() if not q.choices
}


#: threads that share out large evaluations: one a core
WORKERS: Final = max(1, min(8, os.cpu_count() or 1))
_POOL: list[concurrent.futures.ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    """The threads large evaluations share (started once: a thread costs about a millisecond
    to start, a tenth of a 250k-row evaluation). Work run on them never waits on them."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(concurrent.futures.ThreadPoolExecutor(WORKERS, "llm-breakeven"))
        return _POOL[0]


def _rows(name: str, value: Any, shape: tuple[int, ...]) -> Any:
    """A given value as one flat run of rows (an hourly one keeps its hour axis); a value
    shared by all rows as it is."""
    array = np.asarray(value)
    if _shared(name, array):
        return array
    if name in HOURLY:
        hours = array.shape[-1:]
        return np.broadcast_to(array, shape + hours).reshape(-1, *hours)
    return np.broadcast_to(array, shape).reshape(-1)


def _shared(name: str, value: Any) -> bool:
    """Whether `value` is shared by every row: a scalar, or a single profile's hours."""
    return np.ndim(value) <= (1 if name in HOURLY else 0)


def _shown(name: str, value: Any) -> Any:
    """`value` of quantity `name` as the faces see it: a text quantity's codes as texts."""
    if name in TEXT_QUANTITIES and np.asarray(value).dtype.kind == "i":
        return texts(value)
    return value


def choice_codes(name: str, values: ArrayLike) -> npt.NDArray[np.int8]:
    """The codes of choice input `name`'s texts, checked: what a sweep of millions of rows
    passes to `evaluate` in place of the texts (one byte a row, compared in one pass).

    >>> choice_codes("billing_mode", ["always-on", "scale-to-zero"]).dtype
    dtype('int8')
    """
    quantity = QUANTITIES[name]
    if not quantity.choices:
        raise ValueError(f"{name} is not a choice input")
    return np.asarray(_choice(quantity, values, check=True), dtype=np.int8)
