"""Serving and pricing: what an API request costs, what a replica costs and carries, the fixed
costs and the margin each request leaves.
"""

from __future__ import annotations

from typing import Any

from .core import define


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
