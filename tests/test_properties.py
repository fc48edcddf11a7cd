"""Property tests of the engine's invariants (DESIGN.md section 8)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from llm_breakeven import model, udfs

# zero, or at least a cent: sub-cent monthly costs only probe float underflow
money = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=1e5))
capacity = st.floats(min_value=1e3, max_value=1e9, allow_nan=False)
price = st.floats(min_value=1e-6, max_value=0.1, allow_nan=False)
share = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)
peak = st.floats(min_value=1.0, max_value=10.0, allow_nan=False)
failover = st.integers(min_value=0, max_value=3)

sizing = st.fixed_dictionaries(
    {
        "replica_monthly_cost": money,
        "replica_capacity": capacity,
        "api_cost_per_request": price,
        "fixed_monthly_cost": money,
        "variable_cost_per_request": st.floats(min_value=0.0, max_value=1e-3, allow_nan=False),
        "max_utilization": share,
        "peak_to_average": peak,
        "failover_replicas": failover,
    }
)


@st.composite
def reachable(draw: st.DrawFn) -> dict:
    """Sizing where a full replica earns more than it costs: C < K·a, so break-even exists."""
    s = draw(sizing)
    usable = s["replica_capacity"] * s["max_utilization"] / s["peak_to_average"]
    margin = s["api_cost_per_request"] - s["variable_cost_per_request"]
    if margin <= 0:
        s["variable_cost_per_request"] = 0.0
        margin = s["api_cost_per_request"]
    # free, or at least 1 % of what it earns: sub-cent costs only probe float underflow
    share = draw(st.one_of(st.just(0.0), st.floats(0.01, 0.99)))
    s["replica_monthly_cost"] = usable * margin * share
    return s


@st.composite
def never(draw: st.DrawFn) -> dict:
    """Sizing where every replica costs at least the API bill of what it carries: C ≥ K·a."""
    s = draw(sizing)
    usable = s["replica_capacity"] * s["max_utilization"] / s["peak_to_average"]
    margin = max(0.0, s["api_cost_per_request"] - s["variable_cost_per_request"])
    s["replica_monthly_cost"] = usable * margin * draw(st.floats(1.0, 10.0)) + draw(money)
    return s


def _bills(volume: float, s: dict) -> tuple[float, float]:
    selfhost = model.selfhost_monthly_cost(
        volume, s["replica_monthly_cost"], s["replica_capacity"], s["fixed_monthly_cost"],
        s["max_utilization"], s["peak_to_average"], s["failover_replicas"],
    ) + volume * s["variable_cost_per_request"]  # fmt: skip
    return selfhost, volume * s["api_cost_per_request"]


@settings(max_examples=examples(300), deadline=None)
@given(reachable())
def test_breakeven_is_the_first_volume_where_the_bills_meet(s):
    volume = model.breakeven_volume(**s)
    assert math.isfinite(volume)
    selfhost, api = _bills(volume, s)
    assert selfhost == pytest.approx(api, rel=1e-9, abs=1e-9)
    if volume > 0:  # free replicas and no fixed cost break even at once
        below, api_below = _bills(volume * (1 - 1e-7), s)
        assert below > api_below


@settings(max_examples=examples(300), deadline=None)
@given(never(), st.floats(min_value=0.0, max_value=1e10, allow_nan=False))
def test_never_means_the_api_is_cheaper_at_every_volume(s, volume):
    assert model.breakeven_volume(**s) == math.inf
    selfhost, api = _bills(volume, s)
    assert selfhost > api or math.isclose(selfhost, api, rel_tol=1e-12)


@settings(max_examples=examples(200), deadline=None)
@given(reachable())
def test_sustained_breakeven_against_a_brute_force_sweep(s):
    """Above the sustained break-even self-hosting never costs more; just below it, it does."""
    first = model.breakeven_volume(**s)
    sustained = model.sustained_breakeven_volume(**s)
    assert first <= sustained * (1 + 1e-12)
    usable = s["replica_capacity"] * s["max_utilization"] / s["peak_to_average"]
    top = 2 * sustained + 3 * usable
    # the dearest point of each band is just above its step: the first 200 steps, the steps
    # around the sustained volume and a dense grid up to twice it
    last = int(sustained / usable)
    bands = np.unique(np.concatenate([np.arange(1, 201), np.arange(max(1, last - 3), last + 5)]))
    steps = bands * usable
    volumes = np.concatenate([np.linspace(0, top, 20_001), steps * (1 + 1e-9), steps])
    selfhost, api = _bills(volumes, s)
    dearer = selfhost > api * (1 + 1e-9) + 1e-9
    assert not dearer[volumes > sustained * (1 + 1e-9)].any()
    if sustained > first * (1 + 1e-9):
        # the band the sustained volume lies in starts dearer: its step did not pay for itself
        step = (math.ceil(sustained / usable * (1 - 1e-12)) - 1) * usable
        if sustained - step > 1e-6 * usable:  # wider than the replica rounding tolerance
            below, api_below = _bills((step + sustained) / 2, s)
            assert below > api_below


@settings(max_examples=examples(200), deadline=None)
@given(st.one_of(reachable(), never()))
def test_the_alternating_band_is_reported_where_the_verdict_flips(s):
    """On a brute-force sweep: every volume past the first break-even where the API is dearer
    is reported as in the alternating band; no volume below the first break-even or from the
    sustained one on is."""
    first = model.breakeven_volume(**s)
    sustained = model.sustained_breakeven_volume(**s)
    usable = s["replica_capacity"] * s["max_utilization"] / s["peak_to_average"]
    top = 2 * (sustained if math.isfinite(sustained) else 50 * usable) + 3 * usable
    steps = np.arange(1, 201) * usable
    volumes = np.concatenate([np.linspace(0, top, 5_001), steps * (1 + 1e-6)])
    band = model.in_alternating_band(volumes, **s)
    if not math.isfinite(first):
        assert not band.any()
        return
    selfhost, api = _bills(volumes, s)
    api_cheaper_again = (volumes > first) & (selfhost > api * (1 + 1e-9) + 1e-9)
    assert band[api_cheaper_again].all()
    assert not band[volumes < first * (1 - 1e-12)].any()
    assert not band[volumes >= sustained].any()


@settings(max_examples=examples(200), deadline=None)
@given(sizing, st.floats(min_value=0, max_value=1e9), st.floats(min_value=0, max_value=1e9))
def test_costs_never_decrease_with_volume(s, v1, v2):
    low, high = sorted((v1, v2))
    assert _bills(low, s)[0] <= _bills(high, s)[0]


@settings(max_examples=examples(200), deadline=None)
@given(money, capacity, share, share, st.floats(min_value=0, max_value=1e-3))
def test_more_utilization_never_raises_cost_per_request(cost, cap, u1, u2, variable):
    low, high = sorted((u1, u2))
    assert model.cost_per_request(cost, cap, high, variable) <= model.cost_per_request(
        cost, cap, low, variable
    )


@settings(max_examples=examples(150), deadline=None)
@given(sizing)
def test_excel_breakeven_volume_is_where_selfhost_monthly_cost_meets_the_api(s):
    """BREAKEVEN_VOLUME is where SELFHOST_MONTHLY_COST + volume × variable = volume × API."""
    volume = udfs.BREAKEVEN_VOLUME(**s)
    if isinstance(volume, str):
        assert volume.startswith("#N/A never")
        assert model.breakeven_volume(**s) == math.inf
        return
    selfhost = udfs.SELFHOST_MONTHLY_COST(
        volume, s["replica_monthly_cost"], s["replica_capacity"], s["fixed_monthly_cost"],
        s["max_utilization"], s["peak_to_average"], s["failover_replicas"],
    )  # fmt: skip
    assert selfhost + volume * s["variable_cost_per_request"] == pytest.approx(
        volume * s["api_cost_per_request"], rel=1e-9, abs=1e-9
    )
