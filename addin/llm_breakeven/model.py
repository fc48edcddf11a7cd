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

import contextlib
import contextvars
import dataclasses
import math
import numbers
from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from .bounds import Bound
from .formula import Definition, Numeric
from .quantities import (
    DEFAULT_TOLERANCE,
    FIELDS,
    HOURS_PER_MONTH,
    ONE_OF,
    OPTIONS,
    OUTPUTS,
    QUANTITIES,
    TABLE_COLUMNS,
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
def _replica_monthly_cost(q: Any, f: Any) -> Any:
    return q.hourly_rate * q.gpus_per_replica * q.hours_per_month


@define
def _replica_capacity(q: Any, f: Any) -> Any:
    return q.requests_per_second * q.seconds_per_hour * q.hours_per_month


@define
def _usable_capacity(q: Any, f: Any) -> Any:
    return q.replica_capacity * q.max_utilization / q.peak_to_average


@define
def _ops_monthly_cost(q: Any, f: Any) -> Any:
    return q.ops_fte * q.annual_cost_per_fte / q.months_per_year


@define
def _fixed_monthly_cost(q: Any, f: Any) -> Any:
    return q.ops_monthly_cost + q.other_fixed_monthly_cost


@define
def _minimum_monthly_cost(q: Any, f: Any) -> Any:
    # the self-host bill at zero volume: one serving replica runs whatever the traffic
    return (1 + q.failover_replicas) * q.replica_monthly_cost + q.fixed_monthly_cost


@define
def _monthly_cost(q: Any, f: Any) -> Any:
    return q.minimum_monthly_cost


@define
def _api_margin(q: Any, f: Any) -> Any:
    return q.api_cost_per_request - q.variable_cost_per_request


@define
def _breakeven_gap(q: Any, f: Any) -> Any:
    return q.usable_capacity * q.api_margin - q.replica_monthly_cost


@define
def _breakeven_reachable(q: Any, f: Any) -> Any:
    # a replica that costs more than the API bill of the traffic it carries never pays off
    return q.breakeven_gap > 0


@define
def _breakeven_replicas(q: Any, f: Any) -> Any:
    fixed = q.fixed_monthly_cost + q.failover_replicas * q.replica_monthly_cost
    needed = f.maximum(1, f.ceil(fixed / q.breakeven_gap - q.replica_tolerance))
    return f.where(q.breakeven_reachable, needed, 0)


@define
def _breakeven_volume(q: Any, f: Any) -> Any:
    replicas = q.failover_replicas + q.breakeven_replicas
    volume = (q.fixed_monthly_cost + replicas * q.replica_monthly_cost) / q.api_margin
    return f.where(q.breakeven_reachable, volume, f.never)


@define
def _sustained_breakeven_replicas(q: Any, f: Any) -> Any:
    # n serving replicas pay for themselves over their whole band of traffic, from just above
    # (n − 1)·K, when (n + failover)·C + F ≤ a·(n − 1)·K, that is n·(K·a − C) ≥ F' + K·a
    fixed = q.fixed_monthly_cost + q.failover_replicas * q.replica_monthly_cost
    carried = q.usable_capacity * q.api_margin
    needed = f.maximum(1, f.ceil((fixed + carried) / q.breakeven_gap - q.replica_tolerance))
    return f.where(q.breakeven_reachable, needed, 0)


@define
def _sustained_breakeven_volume(q: Any, f: Any) -> Any:
    # the band below is cheaper only from where its bill meets the API's, if at all
    below = q.sustained_breakeven_replicas - 1
    meets = (q.fixed_monthly_cost + (q.failover_replicas + below) * q.replica_monthly_cost) / (
        q.api_margin
    )
    volume = f.where(below > 0, f.minimum(meets, below * q.usable_capacity), q.breakeven_volume)
    return f.where(q.breakeven_reachable, volume, f.never)


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
    load = q.monthly_volume * q.peak_to_average / (q.replica_capacity * q.max_utilization)
    return f.maximum(1, f.ceil(load - q.replica_tolerance)) + q.failover_replicas


@define
def _peak_requests_per_second(q: Any, f: Any) -> Any:
    average = q.monthly_volume / (q.hours_per_month * q.seconds_per_hour)
    return average * q.peak_to_average


@define
def _utilization(q: Any, f: Any) -> Any:
    serving = q.replicas_needed - q.failover_replicas
    return q.monthly_volume / (serving * q.replica_capacity)


@define
def _api_monthly_cost(q: Any, f: Any) -> Any:
    return q.monthly_volume * q.api_cost_per_request


@define
def _selfhost_monthly_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.replica_monthly_cost + q.fixed_monthly_cost


@define
def _selfhost_total_monthly_cost(q: Any, f: Any) -> Any:
    return q.selfhost_monthly_cost + q.monthly_volume * q.variable_cost_per_request


@define
def _selfhost_cost_per_request(q: Any, f: Any) -> Any:
    return q.selfhost_total_monthly_cost / q.monthly_volume


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
    return q.monthly_cost / served + q.variable_cost_per_request


@define
def _cost_per_million_tokens(q: Any, f: Any) -> Any:
    # divided in turn: a product of tiny rates would underflow to 0 and make 0/0
    per_token = q.hourly_rate * q.gpus_per_replica / q.replica_output_tokens_per_second
    return per_token / q.seconds_per_hour / q.utilization * q.tokens_per_million


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


#: arguments that may be blank (None or NaN) where a function takes them: a blank cached price
#: means the input price; a scenario gives one of its two throughputs
BLANKS = ("cached_price",)


def _namespace(
    args: Mapping[str, Any], definitions: Mapping[str, Definition], blanks: tuple[str, ...] = BLANKS
) -> Numeric:
    check = not _UNCHECKED.get()
    given = {}
    for name, value in args.items():
        array = _array(name, value, check, name in blanks)
        if array is not None:
            given[name] = array
    return Numeric(definitions, given, _default)


def _array(name: str, value: Any, check: bool, blank_ok: bool) -> npt.NDArray[np.float64] | None:
    """`value` as floats, or None for a blank that may be blank; raises ValueError naming
    `name` for None, booleans, text, NaN, infinities and values out of range.

    The check costs two reductions per argument (its minimum and maximum), so it adds little
    to a vectorized call; an element is looked for only once the check has failed.
    """
    quantity = QUANTITIES[name]
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
    if check and array.size and not _within(quantity.bound, array, blank_ok):
        values = array[~np.isnan(array)] if blank_ok else array
        bad = values.flat[np.flatnonzero(~_each_within(quantity.bound, values))[0]]
        raise ValueError(quantity.bound.violation(name, float(bad)))
    return array


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
        return _out(getattr(_namespace(args, DEFINITIONS), name))


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
        return {name: np.broadcast_to(getattr(table, name), rows) for name in TABLE_COLUMNS}


def _exactly_one(scenario: Numeric) -> None:
    """Each scenario gives exactly one of each `ONE_OF` pair (the other blank)."""
    for names in ONE_OF:
        given = sum((~np.isnan(getattr(scenario, n))).astype(int) for n in names)
        wrong = np.flatnonzero(np.asarray(given) != 1)
        if wrong.size:
            how = "both" if np.ravel(given)[wrong[0]] else "neither"
            raise ValueError(f"give exactly one of {' or '.join(names)} (got {how})")


def evaluate(**inputs: ArrayLike | None) -> dict[str, np.ndarray]:
    """Every headline figure of whole scenarios, one scenario per array element.

    Takes the scenario inputs of `llm_breakeven.quantities.INPUTS` by name (units there);
    those with defaults may be left out, and None (or NaN) means a blank cached price.
    Evaluates every definition the outputs need, once each: the API's cost per request,
    one replica's cost and capacity, fixed cost, the minimum bill, break-even volume and
    utilization and, at the scenario's own monthly volume, replicas, peak rate, utilization,
    both monthly bills, cost per request, savings (API − self-host) and the verdict.

    Returns
    -------
    dict of ndarray
        Arrays of the broadcast shape, keyed by `OUTPUTS`.

    Examples
    --------
    >>> r = evaluate(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
    ...              hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000,
    ...              hours_per_month=720)
    >>> round(float(r["breakeven_volume"])), str(r["cheaper_option"])
    (1152000, 'Break-even')
    >>> evaluate(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
    ...          hourly_rate=[2, 4], replica_throughput=2, monthly_volume=1_296_000,
    ...          hours_per_month=720)["breakeven_volume"].tolist()
    [1152000.0, 2304000.0]
    """
    unknown = sorted(set(inputs) - set(FIELDS))
    if unknown:
        raise TypeError(f"evaluate() got an unknown input {unknown[0]!r}")
    missing = [name for name, q in FIELDS.items() if q.required and name not in inputs]
    if missing:
        raise TypeError(f"evaluate() needs {missing[0]}")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        blanks = tuple(name for name, q in FIELDS.items() if q.default is None)
        scenario = _namespace(inputs, DEFINITIONS, blanks)
        if not _UNCHECKED.get():
            _exactly_one(scenario)
        results = {name: np.asarray(getattr(scenario, name)) for name in OUTPUTS}
    shape = np.broadcast_shapes(*(v.shape for v in results.values()))
    return {name: np.broadcast_to(results[name], shape) for name in OUTPUTS}
