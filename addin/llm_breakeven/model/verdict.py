"""The verdict: break-even volumes and utilizations, both bills at the scenario's volume, the
savings and the cheaper option.
"""

from __future__ import annotations

from typing import Any

from ..quantities import (
    OPTIONS,
)
from .core import define
from .traffic import serving_for


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
    scaled = serving_for(q, f, q.breakeven_volume * (1 + q.replica_tolerance))
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
    above = serving_for(q, f, sustained * (1 + q.replica_tolerance))
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
    return per_request(q, f, q.selfhost_total_monthly_cost)


def per_request(q: Any, f: Any, monthly: Any) -> Any:
    # no traffic, no cost per request: never, not 0/0 (a bill of 0 scaling to zero)
    return f.where(q.monthly_volume > 0, monthly / q.monthly_volume, f.never)


@define
def _monthly_savings(q: Any, f: Any) -> Any:
    return q.api_monthly_cost - q.selfhost_total_monthly_cost


@define
def _annual_savings(q: Any, f: Any) -> Any:
    # year 1's bills are the projection's (`projection.first_year`), given
    return q.api_annual_cost - q.selfhost_annual_cost


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
    # divided in turn: capacity × utilization, both tiny, would underflow to 0 and make 0/0
    per_request = q.monthly_cost / q.replica_capacity / q.utilization
    return per_request + q.selfhost_variable_cost_per_request


@define
def _cost_per_million_tokens(q: Any, f: Any) -> Any:
    # divided in turn: a product of tiny rates would underflow to 0 and make 0/0
    per_token = q.hourly_rate * q.gpus_per_replica / q.replica_output_tokens_per_second
    return per_token / q.seconds_per_hour / q.utilization * q.tokens_per_million
