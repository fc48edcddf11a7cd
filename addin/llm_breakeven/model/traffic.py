"""Traffic shape and billing: the hourly profile, the replicas each hour needs, and the hours a
replica is billed.
"""

from __future__ import annotations

from typing import Any

from .core import define


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


def replicas_for(q: Any, f: Any, demand: Any) -> Any:
    load = demand / f.per_hour(q.usable_hourly_capacity)
    return f.ceil(load - f.per_hour(q.replica_tolerance))


@define
def _hourly_replicas(q: Any, f: Any) -> Any:
    return replicas_for(q, f, q.hourly_demand)


@define
def _previous_hourly_replicas(q: Any, f: Any) -> Any:
    # numpy moves each hour's replicas one hour on; a formula computes them from the
    # previous hour's weights (the same arithmetic on the same numbers)
    return f.shifted(
        q.hourly_replicas, lambda: replicas_for(q, f, hour_demand(q, f, q.previous_hourly_profile))
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
    return serving_for(q, f, q.monthly_volume)


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
def _billing_scales(q: Any, f: Any) -> Any:
    # rented replicas billed hour by hour: the replica's bill follows the volume
    scales = f.equals(q.billing_mode, "scale-to-zero")
    return f.where(scales, f.equals(q.ownership, "rent"), f.false)


def serving_for(q: Any, f: Any, volume: Any) -> Any:
    load = volume * q.peak_to_average_used / (q.replica_capacity * q.max_utilization)
    return f.maximum(1, f.ceil(load - q.replica_tolerance))
