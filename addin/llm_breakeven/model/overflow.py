"""The hybrid: replicas serve up to their capacity hour by hour, the API takes the rest."""

from __future__ import annotations

from typing import Any

from .core import define
from .traffic import hour_demand, replicas_for, serving_for


@define
def _hybrid_hourly_demand(q: Any, f: Any) -> Any:
    return q.hourly_demand * f.per_hour(1 - q.routed_share)


@define
def _hybrid_hourly_needs(q: Any, f: Any) -> Any:
    return replicas_for(q, f, q.hybrid_hourly_demand)


@define
def _previous_hybrid_hourly_needs(q: Any, f: Any) -> Any:
    def built() -> Any:
        demand = hour_demand(q, f, q.previous_hourly_profile)
        return replicas_for(q, f, demand * f.per_hour(1 - q.routed_share))

    return f.shifted(q.hybrid_hourly_needs, built)


@define
def _kept_hybrid_hourly_needs(q: Any, f: Any) -> Any:
    return f.smaller(q.hybrid_hourly_needs, q.previous_hybrid_hourly_needs)


@define
def _hybrid_served(q: Any, f: Any) -> Any:
    capacity = f.per_hour(q.replicas * q.usable_hourly_capacity)
    return f.hour_sum(f.smaller(q.hybrid_hourly_demand, capacity)) * q.profile_repeats


@define
def _hybrid_hourly_replicas(q: Any, f: Any) -> Any:
    # a fleet scaling to zero runs what the hour needs, N at most
    return f.smaller(q.hybrid_hourly_needs, f.per_hour(q.replicas))


@define
def _hybrid_replica_hours(q: Any, f: Any) -> Any:
    return f.hour_sum(q.hybrid_hourly_replicas) * q.profile_repeats


@define
def _hybrid_kept_replica_hours(q: Any, f: Any) -> Any:
    kept = f.smaller(q.kept_hybrid_hourly_needs, f.per_hour(q.replicas))
    return f.hour_sum(kept) * q.profile_repeats


@define
def _hybrid_replica_starts(q: Any, f: Any) -> Any:
    def started(q: Any) -> Any:
        # a replica starts where an hour runs more than it kept from the hour before
        return q.hybrid_replica_hours - q.hybrid_kept_replica_hours

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
def _hybrid_api_monthly_cost(q: Any, f: Any) -> Any:
    # no replica: the API takes what is not routed, the routed share goes at its own price
    routed = q.monthly_volume * q.routed_share * q.routed_cost_per_request
    return q.monthly_volume * (1 - q.routed_share) * q.api_cost_per_request + routed


@define
def _hybrid_monthly_cost(q: Any, f: Any) -> Any:
    # fixed costs and failover replicas come with the first self-hosted replica; failover
    # replicas bill the hours of an average serving one; each request the replicas serve
    # saves the API's margin over their variable cost
    each = q.hybrid_replica_monthly_cost
    running = q.fixed_monthly_cost + q.failover_replicas * each
    selfhost = q.replicas * each + f.where(q.replicas > 0, running, 0)
    return selfhost + q.hybrid_api_monthly_cost - q.hybrid_served * q.api_margin


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
    carry = serving_for(q, f, volume * (1 - q.routed_share))
    return f.where(f.isnumber(volume), f.maximum(q.replicas, carry), q.replicas)
