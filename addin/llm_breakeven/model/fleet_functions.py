"""The spreadsheet-patterned functions of traffic, the hybrid and owning."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..quantities import (
    HOURS_PER_MONTH,
)
from .core import DEFINITIONS, ArrayLike, Floats
from .evaluation import as_output, computed, namespace_of
from .search import optimum


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
    return computed("profile_peak_to_average", locals())


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
    return computed("billed_replica_hours", locals())


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
    return computed("hybrid_monthly_cost", locals())


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
    return computed("hybrid_selfhost_share", locals())


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
        scenario = namespace_of(args, DEFINITIONS)
        return as_output(optimum(scenario)[0])


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
    return computed("api_fallback_monthly_cost", locals())


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

    >>> round(owned_monthly_cost(30_000, 36), 2)
    833.33
    >>> [round(owned_monthly_cost(30_000, m) * 12) for m in (36, 60)]
    [10000, 6000]
    """
    return computed("owned_monthly_cost", locals())


def amortized_monthly_cost(one_time_cost: ArrayLike, amortization_months: ArrayLike) -> Floats:
    """A one-time cost spread evenly over months.

    cost = one-time cost / months

    Examples
    --------
    >>> amortized_monthly_cost(36_000, 24)
    1500.0
    """
    return computed("amortized_monthly_cost", locals())


def payback_months(upfront_cost: ArrayLike, monthly_savings: ArrayLike) -> Floats:
    """Months of savings that repay an upfront cost.

    months = upfront cost / monthly savings, or inf ("never") when savings are not positive

    Examples
    --------
    >>> payback_months(30_000, [2_500, 0]).tolist()
    [12.0, inf]
    """
    return computed("payback_months", locals())
