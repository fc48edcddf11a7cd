"""The hybrid of a rented fleet that scales to zero: its cheapest fleet and its break-even.

The hybrid self-hosts N replicas and sends the overflow to the API. Scaling to zero, each
hour runs only the replicas its self-hosted traffic needs, N at most (`model`'s
`hybrid_hourly_replicas`), and bills them with their cold starts; the failover replicas bill
the hours of an average serving one. The hybrid's cost over the API's, as a function of N,

    D(N) = (N + f)·rate·min(W(N)/N, H) + F − a·G(N)

(f: failover replicas, W: replica-hours with cold starts, H: hours a month, F: fixed costs,
a: the API margin, G: requests the replicas serve) is not convex: the last replica of an
hour bills a whole hour for what may be a sliver of traffic. So neither the always-on
hybrid's halving nor its closed-form break-even holds. But between two consecutive hourly
needs (the whole replicas c_h each hour's traffic needs), the hours that run N and the hours
fully served are fixed, so W and G are linear in N and D is the least of a line and
α + β·N + γ/N (γ = rate·f·W(0) of the range). Its least value over whole N is at the
range's ends or beside √(γ/β): a handful of candidates per range hold the exact optimum
(`candidates`), and the engine prices each with its own definitions.

The break-even is the least volume V at which some N (1 to the replicas the volume's peak
needs) makes D ≤ 0. Between two volumes at which an hour's need or the serving replicas
change, every D(N, ·) is a line falling in V (the bill is fixed, the served traffic grows),
and which N gives the least root follows the same candidates. So `breakeven` walks the
volume's steps from a lower bound, screening each step with a bound on D that needs no
candidates, and solves the line in the step that crosses. `tests/test_fleet.py` holds the
optimum to every whole N and the break-even to a dense sweep of volumes.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from . import crossing

#: no walk takes more steps, nor prices the candidates at more of them; past either the
#: break-even is reported as not found (NaN): only vast fleets whose margin barely covers
#: their cold starts get there (tests/test_fleet.py)
MAX_STEPS = 200_000
MAX_PRICED = 2_000


@dataclass(frozen=True)
class Fleet:
    """One scenario's figures the hybrid's bill reads (names as in the catalogue)."""

    hourly_profile: np.ndarray
    hours_per_month: float
    usable_hourly_capacity: float
    replica_tolerance: float
    routed_share: float
    rate: float  # hourly rate x GPUs per replica
    cold_start_hours: float
    failover_replicas: float
    fixed_monthly_cost: float
    api_margin: float
    peak_to_average_used: float
    replica_capacity: float
    max_utilization: float

    @property
    def hours(self) -> float:
        return float(self.hourly_profile.shape[0])

    def demand(self, volume: float) -> np.ndarray:
        """Self-hosted requests in each hour of the profile (`model.hour_demand`'s arithmetic)."""
        per_hour = volume * self.hours / self.hours_per_month
        weights = self.hourly_profile
        return per_hour * weights / float(np.sum(weights)) * (1 - self.routed_share)

    def needs(self, demand: np.ndarray) -> np.ndarray:
        """Whole replicas each hour's `demand` needs (`model.traffic.replicas_for`)."""
        return np.ceil(demand / self.usable_hourly_capacity - self.replica_tolerance)

    def serving(self, volume: float) -> float:
        """The replicas the volume's peak needs: the most the hybrid runs."""
        load = volume * self.peak_to_average_used / (self.replica_capacity * self.max_utilization)
        return max(1.0, math.ceil(load - self.replica_tolerance))

    def gap(
        self, needs: np.ndarray, demand: np.ndarray, replicas: np.ndarray, capped: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """D for each of `replicas` (see the module), with the replica-hours W and the
        requests served G behind it; `capped=False` drops the cap of H hours a replica."""
        n = replicas[:, None]
        scale = self.hours_per_month / self.hours
        run = np.minimum(n, needs).sum(axis=1) * scale
        kept = np.minimum(n, np.minimum(needs, np.roll(needs, 1, axis=-1))).sum(axis=1) * scale
        hours = run + self.cold_start_hours * (run - kept)
        each = hours / replicas
        if capped:
            each = np.minimum(each, self.hours_per_month)
        cost = (replicas + self.failover_replicas) * self.rate * each + self.fixed_monthly_cost
        served = np.minimum(demand, n * self.usable_hourly_capacity).sum(axis=1) * scale
        return cost - self.api_margin * served, hours, served


def candidates(fleet: Fleet, needs: np.ndarray, demand: np.ndarray, top: float) -> np.ndarray:
    """Whole replica counts in [1, top] among which D (see the module) is least, at the
    hours' `needs` and `demand`: each range between consecutive needs gives its ends and,
    where D curves (failover replicas), the counts beside its stationary point."""
    cuts = np.unique(np.clip(np.concatenate([needs, [1.0]]), 1.0, top))
    lows = cuts
    highs = np.append(cuts[1:] - 1, top)
    found = [lows, np.minimum(lows + 1, highs), highs]
    wide = highs - lows >= 3
    if fleet.failover_replicas > 0 and wide.any():
        # on [low + 1, high] W = w0 + w1·N and G = g0 + g1·N exactly (see the module)
        first, last = lows[wide] + 1, highs[wide]
        _, w_first, g_first = fleet.gap(needs, demand, first, capped=False)
        _, w_last, g_last = fleet.gap(needs, demand, last, capped=False)
        w1 = (w_last - w_first) / (last - first)
        w0 = w_first - w1 * first
        beta = fleet.rate * w1 - fleet.api_margin * (g_last - g_first) / (last - first)
        gamma = fleet.rate * fleet.failover_replicas * w0
        curved = (gamma > 0) & (beta > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            middle = np.floor(np.sqrt(np.where(curved, gamma / beta, 0.0)))
        for offset in (-1.0, 0.0, 1.0, 2.0):
            found.append(np.clip(np.where(curved, middle + offset, first), first, last))
    return np.unique(np.concatenate(found))


def _next_step(fleet: Fleet, volume: float, needs: np.ndarray, serving: float) -> float:
    """The least volume above `volume` at which an hour's need or the serving replicas
    change, as the whole fleet's walk finds it (`crossing.next_step`)."""
    per_request = fleet.demand(1.0) / fleet.usable_hourly_capacity
    load = fleet.peak_to_average_used / (fleet.replica_capacity * fleet.max_utilization)
    return crossing.next_step(volume, needs, per_request, serving, load,
                               fleet.replica_tolerance)  # fmt: skip


def _screen(fleet: Fleet, needs: np.ndarray, demand: np.ndarray, serving: float) -> float:
    """A lower bound on D over every N ≤ `serving` at these hours' needs and at any
    demand up to `demand`: each hour at its own best count (none, all but its last
    replica, or all of them serving what they can), each replica billed at least its
    hours with its failover share, cold starts left out."""
    scale = fleet.hours_per_month / fleet.hours
    per = (1 + fleet.failover_replicas / serving) * fleet.rate
    capacity = fleet.usable_hourly_capacity
    full = per - fleet.api_margin * capacity
    served = np.minimum(demand, needs * capacity)
    best = np.minimum.reduce([
        np.zeros_like(needs), np.maximum(needs - 1, 0) * full,
        per * needs - fleet.api_margin * served,
    ])  # fmt: skip
    return fleet.fixed_monthly_cost + float(best.sum()) * scale


def breakeven(fleet: Fleet) -> float:
    """The least monthly volume at which some hybrid (1 replica or more, up to the volume's
    peak replicas) costs no more than pure API; inf: never; NaN: not found (`MAX_STEPS`,
    `MAX_PRICED`)."""
    figures = [getattr(fleet, field.name) for field in dataclasses.fields(fleet)]
    if any(np.isnan(value).any() for value in figures):
        return math.nan  # a blank or bad input (a cell in Excel) stays blank
    margin, routed = fleet.api_margin, fleet.routed_share
    if not margin > 0 or not routed < 1:
        return math.inf
    # below this, no fleet's bill can be covered: every replica-hour costs at least rate
    # and earns at most a full replica's margin (the tolerance lets a need round down)
    earns = margin - fleet.rate / fleet.usable_hourly_capacity
    slack = (1 + fleet.failover_replicas) * fleet.rate * fleet.replica_tolerance
    floor = fleet.fixed_monthly_cost - slack * fleet.hours_per_month
    if floor > 0 and earns <= 0:
        return math.inf
    # as the whole fleet's walk (`crossing`), from the least volume that needs a replica
    busiest = float(np.max(fleet.demand(1.0) / fleet.usable_hourly_capacity))
    if not busiest > 0:
        return math.inf
    volume = fleet.replica_tolerance / busiest * (1 + crossing._NUDGE)
    if floor > 0:
        volume = max(volume, floor / (earns * (1 - routed)))
    priced = 0
    for _ in range(MAX_STEPS):
        demand = fleet.demand(volume)
        needs = fleet.needs(demand)
        serving = fleet.serving(volume)
        following = _next_step(fleet, volume, needs, serving)
        ahead = fleet.demand(following)
        if _screen(fleet, needs, ahead, serving) <= 0:
            priced += 1
            if priced > MAX_PRICED:
                break
            counts = candidates(fleet, needs, demand, serving)
            here, _, _ = fleet.gap(needs, demand, counts)
            if np.any(here <= 0):
                return volume
            there, _, _ = fleet.gap(needs, ahead, counts)
            falls = there <= 0
            if falls.any():
                return _root(fleet, needs, counts[falls], here[falls], demand, volume)
        volume = following
    return math.nan


def _root(
    fleet: Fleet, needs: np.ndarray, counts: np.ndarray, gaps: np.ndarray,
    demand: np.ndarray, volume: float,
) -> float:  # fmt: skip
    """The least volume from `volume` at which one of `counts` (whose D is `gaps` there
    and falls to 0 before the next step) breaks even. Between the steps each count serves
    G = A + B·V (A: the hours it cannot serve whole, at its capacity; B: the requests per
    request a month of the others), so its bill S meets a·G at V = (S/a − A)/B; where it
    serves every hour whole, V = S/(a·(1 − routed share)), as the whole fleet's walk has."""
    scale = fleet.hours_per_month / fleet.hours
    whole = needs[None, :] <= counts[:, None]
    per_volume = fleet.demand(1.0)[None, :]
    cut = np.where(whole, 0.0, counts[:, None] * fleet.usable_hourly_capacity).sum(axis=1)
    spread = np.where(whole, per_volume, 0.0).sum(axis=1)
    _, _, served = fleet.gap(needs, demand, counts)
    bill = gaps + fleet.api_margin * served
    every = whole.all(axis=1)
    routed = 1 - fleet.routed_share
    with np.errstate(divide="ignore", invalid="ignore"):
        meets = np.where(
            every,
            bill / (fleet.api_margin * routed),
            (bill / fleet.api_margin - cut * scale) / (spread * scale),
        )
    return float(max(volume, np.min(meets)))
