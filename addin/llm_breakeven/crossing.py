"""Break-evens of a rented fleet that scales to zero, on its own cost curve.

Always on, a replica costs the same whatever the traffic, so the self-host bill is a staircase
of whole replicas and the break-evens have closed forms (`model`). Scaling to zero, each hour
bills the replicas its traffic needs, so the bill S(V) at volume V is a staircase with a step
wherever one hour's replicas (or the serving replicas) change, and its steps are not monotone:
a cold start saved, or failover spread over more replicas, can lower it. The break-evens are
where that staircase meets the API's line a·V (a: the API margin per request):

- the first: the least V with S(V) ≤ a·V;
- the sustained: the least V from which S stays ≤ a·V at every larger volume.

Both are found by walking the steps: S is constant between two steps, so each step either
holds the crossing (at S/a) or is passed whole. Bounds on S let the walk leap over steps that
cannot hold a crossing, so it visits only the steps near one:

- below a crossing, no volume beyond V is billed less than F + rate·N(V) (N: the replica-hours
  V needs, which only grow), nor, while the n serving replicas stay, less than
  F + rate·(1 + f/n)·N(V) (f: failover replicas), so nothing before that bill over a can cross;
- above it, with slack s = a·V − (F + rate·(1 + f/n)·X(V)) (X: replica-hours with cold starts),
  the bill can rise by at most K = rate·(1 + f/n)·(H/P)·(1 + cold start) per replica-hour step,
  and there are at most ΔV·Σc + P such steps in ΔV;
- the bill lies between two lines of the same slope, rate·min((H/P)·(Σc + ½·cold·Σ|Δc|),
  H·k) (c: each hour's replicas per request a month, k: the serving replicas'), so a margin
  above that slope meets it for good by a known volume, and one below never does.

The walk reads the bill with the definitions' own arithmetic, operation for operation (it is
the engine's hour-by-hour bill at one volume, written for a loop the compiler can take), so at
the volume it reports the engine's own bills meet; `tests/test_crossing.py` holds the two
readings together and the walk to a dense sweep. Plain Python here; `kernel` compiles the same
source with numba for large evaluations, with identical results.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

#: a step of the walk that cannot move (volumes to the last bit) moves this share on
_NUDGE = 2.0**-51
#: a step narrower than this share of its volume is where two steps meet but for rounding
#: (the serving replicas' and the busiest hour's, say): its bill counts for nothing
_SLIVER = 1e-9
#: no row walks further (a margin exactly equal to the bill's slope could walk for ever):
#: past it the walk reports never
MAX_STEPS = 2_000_000
#: a walk in plain Python takes this many steps at most, then hands the row to the compiler
FEW_STEPS = 2_000
#: what a walk that gave up before MAX_STEPS returns
GAVE_UP = -1.0

#: what a row's bill reads besides the volume, in `scaled_breakeven`'s argument order:
#: weight sum, hours per month, usable hourly capacity, tolerance, peak-to-average used,
#: replica capacity, max utilization, rate (hourly rate × GPUs per replica), cold start
#: hours, failover replicas, fixed monthly cost
Bill = tuple[float, float, float, float, float, float, float, float, float, float, float]


def scaled_cost(
    volume: float, weights: np.ndarray, bill: Bill, replicas: np.ndarray
) -> tuple[float, float, float, float]:
    """The self-host monthly bill (before variable costs) at `volume`, scaling to zero, and
    the serving replicas, replica-hours and replica-hours with cold starts behind it (`bill`:
    see `Bill`). `replicas` (one per hour) receives each hour's replicas. The arithmetic is
    the definitions' (`model`), in their order."""
    (weight_sum, hours_per_month, usable_hourly_capacity, tolerance, peak_to_average_used,
     replica_capacity, max_utilization, rate, cold_start_hours, failover_replicas,
     fixed_monthly_cost) = bill  # fmt: skip
    hours = weights.shape[0]
    count = float(hours)
    per_request = count / hours_per_month / weight_sum / usable_hourly_capacity
    total, kept = 0.0, 0.0
    for h in range(hours):
        replicas[h] = np.ceil(volume * (weights[h] * per_request) - tolerance)
        total += replicas[h]
    for h in range(hours):
        kept += np.ceil(volume * (min(weights[h], weights[h - 1]) * per_request) - tolerance)
    repeats = hours_per_month / count
    needed = total * repeats
    starts = needed - kept * repeats
    load = volume * peak_to_average_used / (replica_capacity * max_utilization)
    serving = max(1.0, np.ceil(load - tolerance))
    with_starts = needed + cold_start_hours * starts
    billed = min(with_starts / serving, hours_per_month)
    cost = (serving + failover_replicas) * (rate * billed) + fixed_monthly_cost
    return cost, serving, needed, with_starts


def next_step(
    volume: float, replicas: np.ndarray, per_request: np.ndarray, serving: float,
    serving_per_request: float, tolerance: float,
) -> float:  # fmt: skip
    """The least volume above `volume` at which some hour's replicas, or the serving
    replicas, change (at least a nudge above `volume`)."""
    step = (serving + tolerance) / serving_per_request
    for h in range(replicas.shape[0]):
        if per_request[h] > 0:
            step = min(step, (replicas[h] + tolerance) / per_request[h])
    return max(step, volume * (1 + _NUDGE))


def scaled_breakeven(
    which: int,
    weights: np.ndarray,
    weight_sum: float,
    hours_per_month: float,
    usable_hourly_capacity: float,
    tolerance: float,
    peak_to_average_used: float,
    replica_capacity: float,
    max_utilization: float,
    rate: float,
    cold_start_hours: float,
    failover_replicas: float,
    fixed_monthly_cost: float,
    margin: float,
    replicas: np.ndarray,
    per_request: np.ndarray,
    steps: int,
) -> float:
    """The first (`which` 0) or the sustained (1) break-even volume (requests a month; inf:
    never) of a rented fleet that scales to zero, by the walk the module describes. Arguments
    as `scaled_cost`'s; `margin`: API cost per request less the self-host variable cost used.
    NaN in any argument gives NaN (a blank cell in Excel). `replicas` and `per_request`:
    scratch arrays of one number per hour (a loop over rows allocates them once). A walk
    longer than `steps` gives up: -1 (`GAVE_UP`), or never when `steps` is `MAX_STEPS`."""
    bill = (weight_sum, hours_per_month, usable_hourly_capacity, tolerance,
            peak_to_average_used, replica_capacity, max_utilization, rate, cold_start_hours,
            failover_replicas, fixed_monthly_cost)  # fmt: skip
    for value in bill:
        if math.isnan(value):
            return math.nan
    if math.isnan(margin):
        return math.nan
    for h in range(weights.shape[0]):
        if math.isnan(weights[h]):
            return math.nan
    if not margin > 0:
        return math.inf
    hours = weights.shape[0]
    count = float(hours)
    # replicas per request a month, each hour and serving: where the steps fall (not the bill)
    unit = count / hours_per_month / weight_sum / usable_hourly_capacity
    for h in range(hours):
        per_request[h] = weights[h] * unit
    serving_per_request = peak_to_average_used / (replica_capacity * max_utilization)
    busiest, spread, swings = 0.0, 0.0, 0.0
    for h in range(hours):
        busiest = max(busiest, per_request[h])
        spread += per_request[h]
        swings += abs(per_request[h] - per_request[h - 1])
    if not busiest > 0:
        return math.inf
    share = hours_per_month / count
    # the two lines the bill lies between, by their common slopes: hour by hour, or capped
    # at every serving replica on all month
    hourly_slope = rate * share * (spread + 0.5 * cold_start_hours * swings)
    peak_slope = rate * hours_per_month * serving_per_request
    lines = (serving_per_request, busiest, spread, swings, hourly_slope, peak_slope)
    first = _first(weights, bill, margin, replicas, per_request, lines, steps)
    if which == 0 or math.isinf(first) or first == GAVE_UP:
        return first
    # from here on the bill stays below the API's line, by its upper lines
    settled = math.inf
    if hourly_slope < margin:
        above = rate * (failover_replicas * hours_per_month
                        + hours_per_month * (1 + 0.5 * cold_start_hours))  # fmt: skip
        settled = (fixed_monthly_cost + above) / (margin - hourly_slope)
    if peak_slope < margin:
        above = rate * hours_per_month * (1 + failover_replicas)
        settled = min(settled, (fixed_monthly_cost + above) / (margin - peak_slope))
    if math.isinf(settled):
        return math.inf
    # down from there, step by step, to the first part of a step the API's line is under
    volume = settled
    for _ in range(steps):
        if volume <= first:
            return first
        cost, serving, _needed, _starts = scaled_cost(volume, weights, bill, replicas)
        below = _previous_step(volume, replicas, per_request, serving, serving_per_request,
                               tolerance)  # fmt: skip
        if volume - below <= _SLIVER * volume:
            volume = below  # a sliver
            continue
        if cost > volume * margin:
            return volume  # the step above is cheaper from its start
        crossing = cost / margin
        if crossing > below * (1 + _SLIVER):
            # S/a times a can round below S: the crossing is within a few last bits of it
            for _ in range(8):
                if crossing > volume:
                    break
                if _meets(crossing, weights, bill, margin, replicas):
                    return max(crossing, first)
                crossing *= 1 + _NUDGE
            return volume
        volume = below
    return GAVE_UP if steps < MAX_STEPS else math.inf


def _previous_step(
    volume: float, replicas: np.ndarray, per_request: np.ndarray, serving: float,
    serving_per_request: float, tolerance: float,
) -> float:  # fmt: skip
    """The greatest volume below `volume` at which some hour's replicas, or the serving
    replicas, change: the start of `volume`'s step (at least a nudge below `volume`)."""
    step = 0.0
    if serving > 1:
        step = (serving - 1 + tolerance) / serving_per_request
    for h in range(replicas.shape[0]):
        if per_request[h] > 0 and replicas[h] > 0:
            step = max(step, (replicas[h] - 1 + tolerance) / per_request[h])
    return min(step, volume * (1 - _NUDGE))


def _meets(
    volume: float, weights: np.ndarray, bill: Bill, margin: float, replicas: np.ndarray
) -> bool:
    """Whether the bill at `volume` is no more than the API's."""
    return scaled_cost(volume, weights, bill, replicas)[0] <= volume * margin


def _first(
    weights: np.ndarray, bill: Bill, margin: float, replicas: np.ndarray,
    per_request: np.ndarray, lines: tuple[float, float, float, float, float, float], steps: int,
) -> float:  # fmt: skip
    """The first break-even, walking up from the least volume that needs a replica (`lines`:
    the steps and slopes `scaled_breakeven` works out)."""
    hours_per_month, tolerance, rate = bill[1], bill[3], bill[7]
    cold_start_hours, failover_replicas, fixed_monthly_cost = bill[8], bill[9], bill[10]
    serving_per_request, busiest, spread, swings, hourly_slope, peak_slope = lines
    count = float(weights.shape[0])
    # past `hopeless`, both lower lines of the bill run above the API's
    hopeless = math.inf
    if margin < hourly_slope and margin < peak_slope:
        below = rate * hours_per_month * (tolerance + 0.5 * cold_start_hours)
        hopeless = max(0.0, (below - fixed_monthly_cost) / (hourly_slope - margin))
        below = rate * hours_per_month * tolerance
        hopeless = max(hopeless, (below - fixed_monthly_cost) / (peak_slope - margin))
    # below this, no hour needs a replica (the tolerance's rounding): not counted
    volume = tolerance / busiest * (1 + _NUDGE)
    # then to where the API's line meets the bill's lower line: each hour's load rounded
    # down, each hour's change rounded down, the failover's share of at most V·k + 1
    # serving replicas, R = rate·H/P: a·V = F + R·(V·s − P·d)·(1 + f/(V·k + 1)) with
    # s = Σc + ½·cold·Σ|Δc| and d = τ + ½·cold, a quadratic once times (V·k + 1); or, capped
    # at every serving replica all month, a·V = F + rate·H·(V·k − τ + f)
    per_volume = rate * hours_per_month / count
    k, f = serving_per_request, failover_replicas
    s = spread + 0.5 * cold_start_hours * swings
    slack = per_volume * count * (tolerance + 0.5 * cold_start_hours)
    a2 = k * (margin - per_volume * s)
    a1 = margin - fixed_monthly_cost * k - per_volume * s * (1 + f) + slack * k
    a0 = slack * (1 + f) - fixed_monthly_cost
    roots = a1 * a1 - 4 * a2 * a0
    # each line is crossed where the API's rises above it: at once if it is above already,
    # else (the parabola opening upward) at its larger root
    lowest = volume
    if (a2 * volume + a1) * volume + a0 < 0:
        lowest = math.inf
        if a2 > 0 and roots >= 0:
            # the larger root, written so it does not cancel
            q = -0.5 * (a1 - math.sqrt(roots)) if a1 < 0 else -0.5 * (a1 + math.sqrt(roots))
            lowest = max(q / a2, a0 / q) if q != 0 else volume
    capped = margin - rate * hours_per_month * k
    line = fixed_monthly_cost + rate * hours_per_month * (f - tolerance)
    if volume * capped >= line:
        lowest = volume
    elif capped > 0:
        lowest = min(lowest, line / capped)
    if lowest < math.inf:
        volume = max(volume, lowest * (1 - 1e-9))
    for _ in range(steps):
        if volume > hopeless:
            return math.inf
        cost, serving, needed, _starts = scaled_cost(volume, weights, bill, replicas)
        step = next_step(volume, replicas, per_request, serving, serving_per_request, tolerance)
        if cost <= volume * margin and step - volume > _SLIVER * volume:
            return volume
        crossing = max(cost / margin, volume)
        if crossing <= step and step - crossing > _SLIVER * crossing:
            if _meets(crossing, weights, bill, margin, replicas):
                return crossing
            volume = crossing * (1 + _NUDGE)
            continue
        # no larger volume is billed less than the fixed costs and the replica-hours now; none
        # before the serving replicas next change, less than those with their failover share
        beyond = (fixed_monthly_cost + rate * needed) / margin
        band_end = (serving + tolerance) / serving_per_request
        in_band = (fixed_monthly_cost + rate * (1 + failover_replicas / serving) * needed) / margin
        if in_band >= band_end:
            in_band = band_end * (1 + _NUDGE)
        volume = max(step, beyond, in_band)
    return GAVE_UP if steps < MAX_STEPS else math.inf


#: the functions `kernel` compiles, callees first
COMPILED = (scaled_cost, next_step, _previous_step, _meets, _first, scaled_breakeven)


def walk(which: int, weights: np.ndarray, *args: float) -> float:
    """`scaled_breakeven` of one row (`args` as it takes them, up to `margin`): in plain
    Python while the walk is short (a workbook cell need not load the compiler), compiled
    (`kernel`, where numba is at hand) for a long one; the two agree to the last bit."""
    scratch = np.empty(weights.shape[-1]), np.empty(weights.shape[-1])
    plain: Callable[..., float] = scaled_breakeven
    found = plain(which, weights, *args, *scratch, FEW_STEPS)
    if found != GAVE_UP:
        return found
    from . import kernel

    longer = kernel.compiled_crossing() or plain
    return float(longer(which, weights, *args, *scratch, MAX_STEPS))
