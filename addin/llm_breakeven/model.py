"""The cost engine: pure, vectorized cost math for "API per token or self-hosted GPUs?".

Every function broadcasts like a numpy ufunc: scalars or arrays in, the broadcast shape out
(a Python float or str for all-scalar input). Nothing here validates, reads files or knows
about Excel; the faces check inputs against `llm_breakeven.bounds` before they call in.

Units: money in one currency (the examples use USD); prices per 1M tokens; rates per GPU-hour;
volumes and capacities per month, in requests (or tokens, as long as the arguments agree);
utilization and shares as fractions 0..1.

The article's worked example runs through the docstrings: 1,000 input + 500 output tokens at
$0.50 / $1.50 per 1M tokens, one $2/h GPU serving 2 requests/s over a 720-hour month.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike

#: billing hours in an average month (8760 / 12); the article uses 720
HOURS_PER_MONTH = 730.0
SECONDS_PER_HOUR = 3600.0
MONTHS_PER_YEAR = 12.0
TOKENS_PER_MILLION = 1_000_000.0
#: a load within this many replicas above a whole number counts as that whole number, so
#: float noise in volume × peak / capacity never buys an extra replica
REPLICA_TOLERANCE = 1e-9
#: the verdicts of `cheaper_option`, in code order
OPTIONS = ("API", "Break-even", "Self-host")
#: the verdicts as shared Python strings: 8 bytes a row where fixed-width unicode takes 40,
#: which is most of the fresh memory a million-row sweep would otherwise fill
_OPTION_LABELS = np.array(OPTIONS, dtype=object)


def _out(x: Any) -> Any:
    """A 0-d result as a Python scalar, anything else unchanged."""
    return x.item() if isinstance(x, np.ndarray | np.generic) and x.ndim == 0 else x


def _f(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def api_cost_per_request(
    input_tokens: ArrayLike,
    output_tokens: ArrayLike,
    input_price: ArrayLike,
    output_price: ArrayLike,
    cached_share: ArrayLike = 0.0,
    cached_price: ArrayLike | None = None,
    batch_discount: ArrayLike = 0.0,
) -> Any:
    """Cost of one request at an API's list prices.

    cost = (in × (1 − cached) × p_in + in × cached × p_cached + out × p_out) / 1e6
           × (1 − batch discount)

    The cache discount applies to input tokens only.

    Parameters: input_tokens, output_tokens in tokens per request; input_price, output_price
    and cached_price in currency per 1M tokens (cached_price None or NaN means the input
    price); cached_share and batch_discount as fractions 0..1.

    Returns currency per request.

    >>> round(api_cost_per_request(1000, 500, 0.50, 1.50), 8)
    0.00125
    >>> round(api_cost_per_request(1000, 500, 0.50, 1.50, cached_share=0.5, cached_price=0.05), 8)
    0.001025
    """
    price_in = _f(input_price)
    share = _f(cached_share)
    if cached_price is None:
        price_cached = price_in
    else:
        price_cached = _f(cached_price)
        price_cached = np.where(np.isnan(price_cached), price_in, price_cached)
    # the input tokens' price blended over cached and uncached shares
    blended = (1.0 - share) * price_in + share * price_cached
    cost = (_f(input_tokens) * blended + _f(output_tokens) * _f(output_price)) / TOKENS_PER_MILLION
    return _out(cost * (1.0 - _f(batch_discount)))


def gpu_monthly_cost(
    hourly_rate: ArrayLike, gpus: ArrayLike = 1.0, hours_per_month: ArrayLike = HOURS_PER_MONTH
) -> Any:
    """Monthly rental bill of GPUs billed around the clock.

    cost = hourly rate × gpus × hours per month

    Parameters: hourly_rate in currency per GPU-hour; gpus a count; hours_per_month in hours.

    Returns currency per month.

    >>> gpu_monthly_cost(2.0, hours_per_month=720)
    1440.0
    """
    return _out(_f(hourly_rate) * _f(gpus) * _f(hours_per_month))


def monthly_capacity(
    per_second_rate: ArrayLike, hours_per_month: ArrayLike = HOURS_PER_MONTH
) -> Any:
    """What a sustained per-second rate adds up to over a month at 100 % utilization.

    capacity = rate × 3600 × hours per month

    Parameters: per_second_rate in requests (or tokens) per second; hours_per_month in hours.

    Returns requests (or tokens) per month.

    >>> monthly_capacity(2.0, 720)
    5184000.0
    """
    return _out(_f(per_second_rate) * SECONDS_PER_HOUR * _f(hours_per_month))


def cost_per_request(
    monthly_cost: ArrayLike,
    monthly_capacity: ArrayLike,
    utilization: ArrayLike,
    variable_cost_per_request: ArrayLike = 0.0,
) -> Any:
    """Self-hosting cost of one request when capacity is used at a given utilization.

    cost = monthly cost / (monthly capacity × utilization) + variable cost per request

    Utilization is the share of capacity actually used, not the share of hours billed.

    Parameters: monthly_cost in currency per month; monthly_capacity in requests per month at
    100 %; utilization a fraction in (0, 1]; variable_cost_per_request in currency.

    Returns currency per request.

    >>> round(cost_per_request(1440, 5_184_000, 0.25), 8)
    0.00111111
    """
    served = _f(monthly_capacity) * _f(utilization)
    return _out(_f(monthly_cost) / served + _f(variable_cost_per_request))


def replicas_needed(
    monthly_volume: ArrayLike,
    replica_capacity: ArrayLike,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Any:
    """Whole replicas to serve a monthly volume at its peak, plus those held for failover.

    replicas = max(1, ceil(volume × peak-to-average / (capacity × max utilization)))
               + failover replicas

    At least one replica runs even at zero volume. A load within 1e-9 of a whole number of
    replicas rounds down to it (`REPLICA_TOLERANCE`), so float noise never buys a replica.

    Parameters: monthly_volume and replica_capacity in requests per month (capacity at 100 %);
    max_utilization a fraction in (0, 1]; peak_to_average a ratio ≥ 1; failover_replicas a
    count.

    Returns a whole number of replicas (as float).

    >>> replicas_needed(3_000_000, 5_184_000, max_utilization=0.7, peak_to_average=2,
    ...                 failover_replicas=1)
    3.0
    """
    load = _f(monthly_volume) * _f(peak_to_average) / (_f(replica_capacity) * _f(max_utilization))
    serving = np.maximum(1.0, np.ceil(load - REPLICA_TOLERANCE))
    return _out(serving + _f(failover_replicas))


def selfhost_monthly_cost(
    monthly_volume: ArrayLike,
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Any:
    """Monthly cost of the replicas a volume needs, plus fixed costs.

    cost = replicas_needed(volume, ...) × replica monthly cost + fixed monthly cost

    Variable cost per request is not included: add volume × variable cost for the total.

    Parameters: monthly_volume, replica_capacity in requests per month; replica_monthly_cost
    and fixed_monthly_cost in currency per month; the rest as in `replicas_needed`.

    Returns currency per month.

    >>> selfhost_monthly_cost(1_296_000, 1440, 5_184_000)
    1440.0
    >>> selfhost_monthly_cost(6_000_000, 1440, 5_184_000, fixed_monthly_cost=4000)
    6880.0
    """
    replicas = replicas_needed(
        monthly_volume, replica_capacity, max_utilization, peak_to_average, failover_replicas
    )
    return _out(_f(replicas) * _f(replica_monthly_cost) + _f(fixed_monthly_cost))


def breakeven_volume(
    replica_monthly_cost: ArrayLike,
    replica_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    fixed_monthly_cost: ArrayLike = 0.0,
    variable_cost_per_request: ArrayLike = 0.0,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
) -> Any:
    """Smallest monthly volume at which self-hosting costs no more than the API.

    With replica cost C, usable capacity per replica K = capacity × max utilization /
    peak-to-average, fixed cost F' = fixed + failover replicas × C and API margin
    a = API cost − variable cost per request:

    - if C ≥ K·a, every replica costs more than the API bill of the traffic it can carry, so
      the API is cheaper at every volume: the result is +inf ("never");
    - otherwise n* = max(1, ceil(F' / (K·a − C))) and volume = (F' + n*·C) / a, the first
      volume at which selfhost_monthly_cost + volume × variable cost = volume × API cost.

    Parameters: replica_monthly_cost, fixed_monthly_cost in currency per month;
    replica_capacity in requests per month at 100 %; api_cost_per_request and
    variable_cost_per_request in currency per request; the rest as in `replicas_needed`.

    Returns requests per month, or inf when the API is cheaper at every volume.

    >>> round(breakeven_volume(1440, 5_184_000, 0.00125))
    1152000
    >>> breakeven_volume(1440, 1_000_000, 0.00125)
    inf
    """
    cost = _f(replica_monthly_cost)
    usable = _f(replica_capacity) * _f(max_utilization) / _f(peak_to_average)
    margin = _f(api_cost_per_request) - _f(variable_cost_per_request)
    fixed = _f(fixed_monthly_cost) + _f(failover_replicas) * cost
    gap = usable * margin - cost
    with np.errstate(divide="ignore", invalid="ignore"):
        replicas = np.maximum(1.0, np.ceil(fixed / gap - REPLICA_TOLERANCE))
        volume = np.asarray((fixed + replicas * cost) / margin)
    np.copyto(volume, np.inf, where=~(gap > 0))  # no volume recovers a replica's cost: never
    return _out(volume)


def breakeven_utilization(
    monthly_cost: ArrayLike,
    monthly_capacity: ArrayLike,
    api_cost_per_request: ArrayLike,
    variable_cost_per_request: ArrayLike = 0.0,
) -> Any:
    """Utilization at which capacity's cost per request equals the API's.

    utilization = monthly cost / (monthly capacity × (API cost − variable cost))

    A result above 1 means break-even is out of reach on that capacity; inf means the API
    costs no more than the variable cost alone.

    Parameters: monthly_cost in currency per month; monthly_capacity in requests per month at
    100 %; api_cost_per_request and variable_cost_per_request in currency per request.

    Returns a fraction.

    >>> round(breakeven_utilization(1440, 5_184_000, 0.00125), 4)
    0.2222
    """
    margin = _f(api_cost_per_request) - _f(variable_cost_per_request)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.asarray(_f(monthly_cost) / (_f(monthly_capacity) * margin))
    np.copyto(share, np.inf, where=~(margin > 0))
    return _out(share)


def cheaper_option(
    selfhost_cost_per_request: ArrayLike,
    api_cost_per_request: ArrayLike,
    tolerance: ArrayLike = 0.15,
) -> Any:
    """Which option costs less per request, calling it even within a tolerance.

    "Break-even" when |self-host − API| ≤ tolerance × API, else "Self-host" when self-hosting
    is cheaper, else "API".

    Parameters: both costs in currency per request; tolerance a fraction of the API cost.

    Returns "API", "Break-even" or "Self-host" (an array of them, dtype object, for arrays).

    >>> [cheaper_option(c, 0.00125) for c in (0.005556, 0.001111, 0.000463)]
    ['API', 'Break-even', 'Self-host']
    """
    selfhost = _f(selfhost_cost_per_request)
    api = _f(api_cost_per_request)
    near = np.abs(selfhost - api) <= _f(tolerance) * api
    code = np.where(near, 1, np.where(selfhost < api, 2, 0))
    return _out(_OPTION_LABELS[code])


def peak_requests_per_second(
    monthly_volume: ArrayLike,
    peak_to_average: ArrayLike = 1.0,
    hours_per_month: ArrayLike = HOURS_PER_MONTH,
) -> Any:
    """The per-second rate a monthly volume reaches at its peak.

    peak rate = volume / (hours per month × 3600) × peak-to-average

    Parameters: monthly_volume in requests per month; peak_to_average a ratio; hours_per_month
    in hours.

    Returns requests per second.

    >>> peak_requests_per_second(5_184_000, 2, 720)
    4.0
    """
    average = _f(monthly_volume) / (_f(hours_per_month) * SECONDS_PER_HOUR)
    return _out(average * _f(peak_to_average))


def ops_monthly_cost(fte: ArrayLike, annual_cost_per_fte: ArrayLike) -> Any:
    """Monthly cost of the people who run the serving stack.

    cost = FTE × annual cost per FTE / 12

    Parameters: fte in full-time equivalents; annual_cost_per_fte in currency per year
    (fully loaded: salary, taxes, benefits).

    Returns currency per month.

    >>> ops_monthly_cost(0.5, 180_000)
    7500.0
    """
    return _out(_f(fte) * _f(annual_cost_per_fte) / MONTHS_PER_YEAR)


#: the columns of `breakeven_table`, in order
TABLE_COLUMNS = (
    "utilization",
    "volume_served",
    "selfhost_cost_per_request",
    "api_cost_per_request",
    "cheaper_option",
)
#: the same columns as a person reads them
TABLE_LABELS = (
    "Utilization",
    "Requests served per month",
    "Self-host cost per request",
    "API cost per request",
    "Cheaper option",
)


def breakeven_table(
    monthly_cost: float,
    monthly_capacity: float,
    api_cost_per_request: float,
    utilizations: ArrayLike,
    tolerance: float = 0.15,
    variable_cost_per_request: float = 0.0,
) -> dict[str, np.ndarray]:
    """The article's table: what self-hosting costs per request at each utilization.

    For each utilization u: volume served = capacity × u; self-host cost per request =
    `cost_per_request(monthly_cost, capacity, u, variable)`; the API's cost per request; and
    `cheaper_option` of the two.

    Parameters as in `cost_per_request` and `cheaper_option`; utilizations a 1-D array of
    fractions in (0, 1].

    Returns a dict of 1-D arrays keyed by `TABLE_COLUMNS` (pass it to pandas.DataFrame).

    >>> t = breakeven_table(1440, 5_184_000, 0.00125, [0.05, 0.25, 0.60, 0.90])
    >>> [round(v) for v in t["volume_served"]]
    [259200, 1296000, 3110400, 4665600]
    >>> t["cheaper_option"].tolist()
    ['API', 'Break-even', 'Self-host', 'Self-host']
    """
    share = np.ravel(_f(utilizations))
    selfhost = np.asarray(
        cost_per_request(monthly_cost, monthly_capacity, share, variable_cost_per_request)
    )
    api = np.full_like(share, float(api_cost_per_request))
    return {
        "utilization": share,
        "volume_served": np.asarray(_f(monthly_capacity) * share),
        "selfhost_cost_per_request": selfhost,
        "api_cost_per_request": api,
        "cheaper_option": np.asarray(cheaper_option(selfhost, api, tolerance)),
    }


#: what `evaluate` returns for each scenario, in order; the workbook names its outputs so
OUTPUTS = (
    "api_cost_per_request",
    "replica_monthly_cost",
    "replica_capacity",
    "ops_monthly_cost",
    "fixed_monthly_cost",
    "minimum_monthly_cost",
    "breakeven_volume",
    "breakeven_utilization",
    "replicas_needed",
    "peak_requests_per_second",
    "utilization",
    "api_monthly_cost",
    "selfhost_monthly_cost",
    "selfhost_total_monthly_cost",
    "selfhost_cost_per_request",
    "monthly_savings",
    "cheaper_option",
)


def evaluate(
    *,
    input_tokens: ArrayLike,
    output_tokens: ArrayLike,
    input_price: ArrayLike,
    output_price: ArrayLike,
    hourly_rate: ArrayLike,
    replica_throughput: ArrayLike,
    monthly_volume: ArrayLike,
    cached_share: ArrayLike = 0.0,
    cached_price: ArrayLike | None = None,
    batch_discount: ArrayLike = 0.0,
    gpus_per_replica: ArrayLike = 1.0,
    hours_per_month: ArrayLike = HOURS_PER_MONTH,
    max_utilization: ArrayLike = 1.0,
    peak_to_average: ArrayLike = 1.0,
    failover_replicas: ArrayLike = 0.0,
    ops_fte: ArrayLike = 0.0,
    annual_cost_per_fte: ArrayLike = 0.0,
    other_fixed_monthly_cost: ArrayLike = 0.0,
    variable_cost_per_request: ArrayLike = 0.0,
    tolerance: ArrayLike = 0.15,
) -> dict[str, np.ndarray]:
    """Every headline figure of whole scenarios, one scenario per array element.

    Chains the functions above: the API's cost per request; one replica's monthly cost
    (hourly rate × GPUs per replica × hours) and capacity (throughput × 3600 × hours); fixed
    cost = ops cost + other fixed cost; the minimum self-host bill (one serving replica plus
    failover plus fixed cost); break-even volume; break-even utilization of that minimum bill
    on one replica; and, at the scenario's own monthly volume, replicas, peak rate,
    utilization of the serving replicas, both monthly bills (self-host with and without
    variable cost), self-host cost per request, savings (API − self-host) and the verdict.

    Inputs are keyword arrays (units as in the functions above; volume in requests per
    month, throughput in requests per second); all but the first seven are optional, with
    neutral defaults. Returns a dict of arrays of the broadcast shape, keyed by `OUTPUTS`.

    >>> r = evaluate(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
    ...              hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000,
    ...              hours_per_month=720)
    >>> round(float(r["breakeven_volume"])), str(r["cheaper_option"])
    (1152000, 'Break-even')
    """
    api = _f(
        api_cost_per_request(
            input_tokens,
            output_tokens,
            input_price,
            output_price,
            cached_share,
            cached_price,
            batch_discount,
        )
    )
    replica_cost = _f(gpu_monthly_cost(hourly_rate, gpus_per_replica, hours_per_month))
    capacity = _f(monthly_capacity(replica_throughput, hours_per_month))
    ops = _f(ops_monthly_cost(ops_fte, annual_cost_per_fte))
    fixed = ops + _f(other_fixed_monthly_cost)
    sizing = (max_utilization, peak_to_average, failover_replicas)
    # selfhost_monthly_cost at zero volume: one serving replica plus failover, plus fixed cost
    minimum = (1.0 + _f(failover_replicas)) * replica_cost + fixed
    volume = _f(monthly_volume)
    replicas = _f(replicas_needed(volume, capacity, *sizing))
    # selfhost_monthly_cost(volume, ...), reusing the replicas sized just above
    selfhost = replicas * replica_cost + fixed
    variable = _f(variable_cost_per_request)
    total = selfhost + volume * variable
    api_bill = volume * api
    with np.errstate(divide="ignore", invalid="ignore"):
        per_request = total / volume
        utilization = volume / ((replicas - _f(failover_replicas)) * capacity)
    results = {
        "api_cost_per_request": api,
        "replica_monthly_cost": replica_cost,
        "replica_capacity": capacity,
        "ops_monthly_cost": ops,
        "fixed_monthly_cost": fixed,
        "minimum_monthly_cost": minimum,
        "breakeven_volume": _f(
            breakeven_volume(replica_cost, capacity, api, fixed, variable, *sizing)
        ),
        "breakeven_utilization": _f(breakeven_utilization(minimum, capacity, api, variable)),
        "replicas_needed": replicas,
        "peak_requests_per_second": _f(
            peak_requests_per_second(volume, peak_to_average, hours_per_month)
        ),
        "utilization": utilization,
        "api_monthly_cost": api_bill,
        "selfhost_monthly_cost": selfhost,
        "selfhost_total_monthly_cost": total,
        "selfhost_cost_per_request": per_request,
        "monthly_savings": api_bill - total,
        "cheaper_option": np.asarray(cheaper_option(per_request, api, tolerance)),
    }
    shape = np.broadcast_shapes(*(np.shape(v) for v in results.values()))
    return {name: np.broadcast_to(results[name], shape) for name in OUTPUTS}
