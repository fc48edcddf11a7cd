"""Traffic shape and billing: the hourly profile, the replicas each hour needs, and the hours a
replica is billed.
"""

from __future__ import annotations

from collections.abc import Callable
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
def _profile_repeats(q: Any, f: Any) -> Any:
    return q.hours_per_month / q.profile_hours


@define
def _load_per_weight(q: Any, f: Any) -> Any:
    # the break-even walks step on the same numbers
    return (
        q.profile_hours
        / q.hours_per_month
        / f.hour_sum(q.hourly_profile)
        / q.usable_hourly_capacity
    )


@define
def _hourly_load(q: Any, f: Any) -> Any:
    return q.hourly_profile * f.per_hour(q.load_per_weight)


@define
def _kept_hourly_weight(q: Any, f: Any) -> Any:
    # the replicas of the lesser of an hour and the one before run through both
    return f.smaller(q.hourly_profile, q.previous_hourly_profile)


@define
def _kept_hourly_load(q: Any, f: Any) -> Any:
    return q.kept_hourly_weight * f.per_hour(q.load_per_weight)


def replicas_at(q: Any, f: Any, load: Any) -> Any:
    """Whole replicas for hourly `load` (replicas per request a month) at the volume."""
    return f.ceil(f.per_hour(q.monthly_volume) * load - f.per_hour(q.replica_tolerance))


@define
def _hourly_replicas(q: Any, f: Any) -> Any:
    return replicas_at(q, f, q.hourly_load)


@define
def _kept_hourly_replicas(q: Any, f: Any) -> Any:
    return replicas_at(q, f, q.kept_hourly_load)


def _scaling(q: Any, f: Any, replicas: Callable[[Any], Any]) -> Any:
    """Replica-hours a month of the hourly `replicas(q)`, where the fleet scales to zero (the
    hour-by-hour pass runs only there); 0 elsewhere."""
    return f.when(q, q.scales_to_zero, lambda q: f.hour_sum(replicas(q)) * q.profile_repeats,
                  lambda q: 0)  # fmt: skip


@define
def _needed_replica_hours(q: Any, f: Any) -> Any:
    return _scaling(q, f, lambda q: q.hourly_replicas)


@define
def _kept_replica_hours(q: Any, f: Any) -> Any:
    return _scaling(q, f, lambda q: q.kept_hourly_replicas)


@define
def _replica_starts_per_month(q: Any, f: Any) -> Any:
    # a replica starts where an hour runs more than it kept from the hour before
    return q.needed_replica_hours - q.kept_replica_hours


@define
def _scales_to_zero(q: Any, f: Any) -> Any:
    return f.equals(q.billing_mode, "scale-to-zero")


@define
def _fixed_billed_hours(q: Any, f: Any) -> Any:
    window = q.active_hours_per_day * q.hours_per_month / q.hours_per_day
    return f.where(f.equals(q.billing_mode, "active-window"), window, q.hours_per_month)


@define
def _serving_replicas(q: Any, f: Any) -> Any:
    return serving_for(q, f, q.monthly_volume)


@define
def _billed_hours_per_replica(q: Any, f: Any) -> Any:
    def scaled(q: Any) -> Any:
        hours = q.needed_replica_hours + q.cold_start_hours * q.replica_starts_per_month
        # a scaler whose cold starts would cost more than staying on stays on
        return f.minimum(hours / q.serving_replicas, q.hours_per_month)

    # the hour-by-hour pass runs only on the rows that bill by the hour
    return f.when(q, q.scales_to_zero, scaled, lambda q: q.fixed_billed_hours)


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
