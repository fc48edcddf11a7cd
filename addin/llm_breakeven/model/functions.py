"""The spreadsheet-patterned functions of serving and the verdict, in the manner of numpy-
financial: scalars or arrays in, the broadcast shape out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..quantities import (
    DEFAULT_TOLERANCE,
    HOURS_PER_MONTH,
    TABLE_COLUMNS,
)
from .core import ArrayLike, Floats, Verdicts
from .evaluation import as_shown, computed, namespace_of
from .waterfall import TABLE_DEFINITIONS


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
    return computed("api_cost_per_request", locals())


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
    return computed("replica_monthly_cost", locals())


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
    return computed("requests_per_second", locals())


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
    return computed("replica_capacity", locals())


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
    return computed("cost_per_request", locals())


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
    return computed("replicas_needed", locals())


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
    return computed("selfhost_monthly_cost", locals())


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
    return computed("breakeven_volume", locals())


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
    return computed("sustained_breakeven_volume", locals())


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
    return computed("in_alternating_band", locals())


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
    return computed("breakeven_utilization", args)


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
    return computed("cost_per_million_tokens", locals())


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
    return computed("cheaper_option", locals())


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
    return computed("peak_requests_per_second", locals())


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
    return computed("ops_monthly_cost", locals())


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
        table = namespace_of(args, TABLE_DEFINITIONS)
        rows = args["utilization"].shape
        return {
            name: np.broadcast_to(as_shown(name, getattr(table, name)), rows)
            for name in TABLE_COLUMNS
        }
