"""Evaluating the definitions: inputs checked and held as the engine holds them, evaluated in
chunks over rows (compiled where the kernel can), results as each face shows them.
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
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ..bounds import Bound
from ..formula import Definition, Numeric, code, dependencies, texts
from ..quantities import (
    FIELDS,
    NEEDS_POSITIVE,
    ONE_OF,
    OUTPUTS,
    PROFILE_HOURS,
    QUANTITIES,
    needs_positive_violation,
)
from .core import CHOICE_CODES, DEFINITIONS, HOURLY, TEXT_QUANTITIES, ArrayLike


def default_of(name: str) -> Any:
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
UNCHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar("unchecked", default=False)


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """Skip input validation in this block: for callers that validate each value themselves
    and pass NaN where a value was bad (the Excel adapter marks those cells as errors)."""
    token = UNCHECKED.set(True)
    try:
        yield
    finally:
        UNCHECKED.reset(token)


#: the profile of a scenario that gives none: every hour alike
FLAT_PROFILE: Final = np.ones(24)

#: arguments that may be blank (None or NaN) where a function takes them: a blank cached price
#: means the input price; a scenario gives one of its two throughputs
BLANKS = ("cached_price",)


def namespace_of(
    args: Mapping[str, Any],
    definitions: Mapping[str, Definition],
    blanks: tuple[str, ...] = BLANKS,
    read: frozenset[str] | None = None,
    ranges: bool = True,
) -> Numeric:
    """`args` as the engine holds them, each value checked (those in `read`, if given): its
    type always, its range too unless `ranges` is False (the caller checks ranges later)."""
    check = not UNCHECKED.get()

    def held(item: tuple[str, Any]) -> npt.NDArray[Any] | None:
        name, value = item
        checked = check and (read is None or name in read)
        with np.errstate(invalid="ignore"):  # a NaN is found and named, not warned about
            return _array(name, value, checked, name in blanks, ranges)

    items = list(args.items())
    # without range checks a conversion is too little work to share out
    arrays = each_chunk(held, items) if ranges and check else [held(item) for item in items]
    given = {name: a for (name, _), a in zip(items, arrays, strict=True) if a is not None}
    return Numeric(definitions, given, default_of, HOURLY)


def _array(
    name: str, value: Any, check: bool, blank_ok: bool, ranges: bool = True
) -> npt.NDArray[np.float64] | None:
    """`value` as floats, or None for a blank that may be blank; raises ValueError naming
    `name` for None, booleans, text and (unless `ranges` is False: see `check_range`) NaN,
    infinities and values out of range."""
    quantity = QUANTITIES[name]
    if name == "hourly_profile":
        return None if value is None else profile(value, check)
    if quantity.choices:
        return choice_of(quantity, value, check)
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
        check_range(name, array, blank_ok)
    return array


def check_range(name: str, array: npt.NDArray[np.float64], blank_ok: bool) -> None:
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


def choice_of(quantity: Any, value: Any, check: bool) -> Any:
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
        # a choice's codes run unbroken (see `CHOICE_CODES`): two reductions check them
        first, last = CHOICE_CODES[quantity.name]
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


def as_output(x: Any) -> Any:
    """A 0-d result as a Python scalar, anything else unchanged."""
    return x.item() if isinstance(x, np.ndarray | np.generic) and x.ndim == 0 else x


def computed(name: str, args: Mapping[str, Any]) -> Any:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return as_output(as_shown(name, getattr(namespace_of(args, DEFINITIONS), name)))


def exactly_one(scenario: Numeric, read: frozenset[str] | None = None) -> None:
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


def checking() -> bool:
    """False inside `unchecked()`: the caller has checked every value already."""
    return not UNCHECKED.get()


def scenario_namespace(
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
        scenario = namespace_of(inputs, DEFINITIONS, SCENARIO_BLANKS, read, ranges)
        if not UNCHECKED.get():
            exactly_one(scenario, read)
    return scenario


#: scenario inputs that may be blank: those with no default
SCENARIO_BLANKS: Final = tuple(name for name, q in FIELDS.items() if q.default is None)


def _check_ranges(scenario: Numeric, read: frozenset[str] | None) -> None:
    """The range checks `scenario_namespace(..., ranges=False)` left out, on its converted values
    (large arrays side by side; the first bad input in argument order is the one named)."""
    if UNCHECKED.get():
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
            check_range(item[0], item[1], item[0] in SCENARIO_BLANKS)

    each_chunk(check, items)


def each_chunk(work: Callable[[tuple[str, Any]], Any], items: list[tuple[str, Any]]) -> list[Any]:
    """`work` on each (name, value) in order; large arrays side by side on the shared
    threads (a check is a few reductions outside the lock). The first error in argument
    order is the one raised, so the first bad input is the one named."""
    if sum(np.size(value) for _, value in items) > CHUNK_ROWS * 4:
        return list(pool().map(work, items))
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
    return _evaluated(scenario_namespace(inputs, read, ranges=False), names, read)


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
        return {name: as_shown(name, np.broadcast_to(found[name], shape)) for name in names}
    given = {name: _rows(name, value, shape) for name, value in scenario.given().items()}
    # a value of every row is cut into chunks; one shared by all goes whole to each
    shared = {k for k, v in given.items() if _shared(k, v)}

    def part(start: int, stop: int) -> dict[str, Any]:
        return {k: v if k in shared else v[start:stop] for k, v in given.items()}

    def numpy_rows(start: int, stop: int) -> dict[str, np.ndarray]:
        rows_of = Numeric(DEFINITIONS, part(start, stop), default_of, HOURLY)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return {name: np.asarray(getattr(rows_of, name)) for name in names}

    # the first row's types size the results
    results = {name: np.empty(rows, dtype=v.dtype) for name, v in numpy_rows(0, 1).items()}

    if loop is not None:
        held = loop.held({name: given.get(name, default_of(name)) for name in loop.inputs})
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

    within = list(pool().map(chunk, range(0, rows, size)))
    if not all(within):
        _check_ranges(scenario, read)  # names the first bad input and value
    return {name: as_shown(name, results[name].reshape(shape)) for name in names}


def _compiled(names: tuple[str, ...]) -> Any:
    """The compiled loop over rows for `names` (`llm_breakeven.kernel`), or None."""
    from .. import kernel  # only large evaluations need it (and numba)

    return kernel.compiled(names, DEFINITIONS, _is_input, default_of, _KERNEL_CHECKS)


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


def pool() -> concurrent.futures.ThreadPoolExecutor:
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


def as_shown(name: str, value: Any) -> Any:
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
    return np.asarray(choice_of(quantity, values, check=True), dtype=np.int8)
