"""Traffic shape, billing modes, hybrid serving, API fallback and owned hardware: the engine
against hand calculations, published examples and brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest

from llm_breakeven import model
from llm_breakeven.model import evaluation, search
from llm_breakeven.quantities import HYBRID_OUTPUTS

ARTICLE = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
               hourly_rate=2.0, replica_throughput=2.0, hours_per_month=720.0)  # fmt: skip
#: busy days, quiet nights: 8 hours at 1, 16 hours at 3
DIURNAL = [1.0] * 8 + [3.0] * 16


def _random_scenarios(rows: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    hours = np.where(rng.uniform(size=rows) < 0.2, 168, 24)
    profile = rng.uniform(0, 5, (rows, 24)) * (rng.uniform(size=(rows, 24)) > 0.2)
    profile[:, 12] += 0.5  # some traffic every day
    del hours
    return dict(
        input_tokens=rng.uniform(100, 4000, rows), output_tokens=rng.uniform(50, 1000, rows),
        input_price=rng.uniform(0.05, 3, rows), output_price=rng.uniform(0.1, 12, rows),
        hourly_rate=rng.uniform(0.5, 8, rows), replica_throughput=rng.uniform(0.5, 20, rows),
        monthly_volume=np.exp(rng.uniform(np.log(1e5), np.log(2e8), rows)),
        max_utilization=rng.uniform(0.4, 1, rows), failover_replicas=rng.integers(0, 2, rows),
        ops_fte=rng.uniform(0, 1, rows), annual_cost_per_fte=rng.uniform(0, 200_000, rows),
        variable_cost_per_request=rng.uniform(0, 1e-4, rows),
        peak_to_average=rng.uniform(1, 1.5, rows), hourly_profile=profile,
    )  # fmt: skip


def _brute_costs(s: dict, top: int) -> np.ndarray:
    """The hybrid cost of every N from 0 to `top`, a column each, evaluated directly."""
    with np.errstate(all="ignore"):
        scenario = evaluation.scenario_namespace(s)
        return np.stack(
            [search.at_replicas(scenario, float(n)).hybrid_monthly_cost for n in range(top + 1)],
            axis=-1,
        )


# --- traffic shape ---------------------------------------------------------------------------


def test_peak_to_average_of_profiles() -> None:
    assert model.peak_to_average([1] * 24) == 1
    assert model.peak_to_average(DIURNAL) == pytest.approx(3 / (56 / 24))
    week = [1.0] * 120 + [0.0] * 48  # weekdays only
    assert model.peak_to_average(week) == pytest.approx(168 / 120)
    # a daily profile repeated seven times is the same week
    assert model.peak_to_average(DIURNAL * 7) == pytest.approx(model.peak_to_average(DIURNAL))


def test_profile_sizes_replicas_for_its_busiest_hour() -> None:
    # 5,184,000 requests a month, 3/56 of each day's traffic in a busy hour: 24 × 3 / 56 =
    # 1.2857 times the average; one replica at 100 % holds the average, so the peak needs two
    flat = model.evaluate(**ARTICLE, monthly_volume=5_184_000)
    shaped = model.evaluate(**ARTICLE, monthly_volume=5_184_000, hourly_profile=DIURNAL)
    assert flat["replicas_needed"] == 1
    assert shaped["replicas_needed"] == 2
    assert shaped["peak_to_average_used"] == pytest.approx(24 * 3 / 56)
    # the profile in place of the ratio gives the same sizing as the ratio itself
    ratio = model.evaluate(**ARTICLE, monthly_volume=5_184_000, peak_to_average=24 * 3 / 56)
    assert ratio["replicas_needed"] == shaped["replicas_needed"]
    assert ratio["breakeven_volume"] == pytest.approx(shaped["breakeven_volume"])


@pytest.mark.parametrize(
    "weights, message",
    [([1] * 23, "24 (a day) or 168"), ([1] * 23 + [-1], "at least 0"),
     ([0] * 24, "above 0"), ([1] * 23 + [math.nan], "finite"), ([1] * 23 + ["x"], "numbers")],
)  # fmt: skip
def test_bad_profiles_are_refused(weights: list, message: str) -> None:
    with pytest.raises(ValueError, match="hourly_profile") as info:
        model.peak_to_average(weights)
    assert message in str(info.value)


# --- billing modes ----------------------------------------------------------------------------


def test_billed_hours_by_hand() -> None:
    day = [0.0] * 12 + [1.0] * 12  # traffic half the day
    # 2,592,000 requests over the 12 busy hours of 30 days: 7,200 an hour, one replica's
    # capacity at 100 % (2 requests/s)
    args = (2_592_000, day, 5_184_000)
    assert model.billed_hours(*args, hours_per_month=720) == 720
    assert model.billed_hours(*args, "active-window", active_hours_per_day=12,
                              hours_per_month=720) == 360  # fmt: skip
    assert model.billed_hours(*args, "scale-to-zero", hours_per_month=720) == 360
    # one start a day, 30 a month, at 15 minutes each
    assert model.billed_hours(*args, "scale-to-zero", cold_start_hours=0.25,
                              hours_per_month=720) == pytest.approx(367.5)  # fmt: skip
    # two replicas in the busiest hours: 6 hours at 2, 6 at 1, 12 at 0 → 18 replica-hours a
    # day, 540 a month; two starts a day
    steps = [0.0] * 12 + [1.0] * 6 + [2.0] * 6
    hours = model.billed_hours(3_888_000, steps, 5_184_000, "scale-to-zero",
                               cold_start_hours=0.5, hours_per_month=720)  # fmt: skip
    assert hours == pytest.approx(540 + 0.5 * 2 * 30)
    assert model.billed_hours(3_888_000, steps, 5_184_000, hours_per_month=720) == 1440


def test_scale_to_zero_never_bills_more_than_always_on() -> None:
    s = _random_scenarios(400, seed=3)
    rng = np.random.default_rng(4)
    for cold in (0.0, rng.uniform(0, 3, 400)):
        args = dict(monthly_volume=s["monthly_volume"], hourly_profile=s["hourly_profile"],
                    replica_capacity=5_184_000 * s["replica_throughput"] / 2,
                    max_utilization=s["max_utilization"], cold_start_hours=cold)  # fmt: skip
        always = model.billed_hours(**args)
        scaled = model.billed_hours(**args, billing_mode="scale-to-zero")
        assert np.all(scaled <= always * (1 + 1e-12))
        assert np.all(scaled > 0)


def test_billing_mode_sets_the_replica_bill() -> None:
    window = model.evaluate(**ARTICLE, monthly_volume=2e6, billing_mode="active-window",
                            active_hours_per_day=10)  # fmt: skip
    assert window["replica_monthly_cost"] == pytest.approx(2 * 10 * 30)
    assert window["billed_replica_hours"] == pytest.approx(300)
    with pytest.raises(ValueError, match="billing_mode must be one of always-on"):
        model.evaluate(**ARTICLE, monthly_volume=2e6, billing_mode="sometimes")


# --- hybrid -----------------------------------------------------------------------------------


def test_optimal_replicas_is_the_brute_force_argmin() -> None:
    s = _random_scenarios(150, seed=1)
    found = model.hybrid(**s)
    peak = model.evaluate(**s)["replicas_needed"] - s["failover_replicas"]
    top = int(peak.max())
    costs = _brute_costs(s, top)
    # beyond each scenario's peak more replicas only cost more
    costs = np.where(np.arange(top + 1) <= peak[:, None], costs, np.inf)
    expected = np.argmin(costs, axis=-1)
    assert np.array_equal(found["optimal_replicas"], expected)
    np.testing.assert_allclose(found["optimal_hybrid_monthly_cost"], costs.min(axis=-1),
                               rtol=1e-12)  # fmt: skip


def test_hybrid_optimum_never_dearer_than_either_pure_option() -> None:
    s = _random_scenarios(500, seed=2)
    found = model.hybrid(**s)
    headline = model.evaluate(**s)
    best = found["optimal_hybrid_monthly_cost"]
    assert np.all(best <= headline["api_monthly_cost"] * (1 + 1e-12))
    assert np.all(best <= headline["selfhost_total_monthly_cost"] * (1 + 1e-12))
    assert np.any(best < np.minimum(headline["api_monthly_cost"],
                                    headline["selfhost_total_monthly_cost"]) * 0.999)  # fmt: skip


def test_hybrid_at_the_peaks_replicas_is_the_selfhost_bill() -> None:
    s = _random_scenarios(300, seed=5)
    headline = model.evaluate(**s)
    serving = headline["replicas_needed"] - s["failover_replicas"]
    with np.errstate(all="ignore"):
        scenario = evaluation.scenario_namespace(s)
        for extra in (0, 1, 3):
            at = search.at_replicas(scenario, serving + extra)
            expected = (
                headline["selfhost_total_monthly_cost"] + extra * (headline["replica_monthly_cost"])
            )
            np.testing.assert_allclose(at.hybrid_monthly_cost, expected, rtol=1e-9)
            np.testing.assert_allclose(at.hybrid_selfhost_share, 1, rtol=1e-9)
        # no replica at all is the API's bill
        np.testing.assert_allclose(search.at_replicas(scenario, 0).hybrid_monthly_cost,
                                   headline["api_monthly_cost"], rtol=1e-12)  # fmt: skip


def test_routed_share_goes_to_the_frontier_api_whatever_the_replicas() -> None:
    day = DIURNAL
    base = dict(monthly_volume=5_184_000, hourly_profile=day, replica_monthly_cost=1440,
                replica_capacity=5_184_000, api_cost_per_request=0.00125)  # fmt: skip
    routed = dict(routed_share=0.2, routed_cost_per_request=0.01)
    for n in (0, 1, 2, 5):
        plain = model.hybrid_monthly_cost(**{**base, "monthly_volume": 5_184_000 * 0.8},
                                          replicas=n)  # fmt: skip
        both = model.hybrid_monthly_cost(**base, **routed, replicas=n)
        assert both == pytest.approx(plain + 5_184_000 * 0.2 * 0.01)


def test_hybrid_breakeven_with_a_flat_profile_is_the_breakeven() -> None:
    s = _random_scenarios(300, seed=7)
    s["hourly_profile"] = np.ones(24)
    found = model.hybrid(**s)["hybrid_breakeven_volume"]
    expected = model.evaluate(**s)["breakeven_volume"]
    np.testing.assert_allclose(found, expected, rtol=1e-9)


def test_hybrid_breakeven_against_brute_force() -> None:
    s = _random_scenarios(120, seed=11)
    volume = model.hybrid(**s)["hybrid_breakeven_volume"]
    finite = np.isfinite(volume)
    assert finite.sum() > 60
    with np.errstate(all="ignore"):
        top = int(np.nanmax(model.evaluate(**{**s, "monthly_volume": np.where(
            finite, volume * 1.01, 1)})["replicas_needed"])) + 2  # fmt: skip

        def beaten(at: np.ndarray) -> np.ndarray:
            costs = _brute_costs({**s, "monthly_volume": at}, top)
            return np.min(costs[:, 1:], axis=-1) <= costs[:, 0] * (1 + 1e-12)

        assert np.all(beaten(np.where(finite, volume * (1 + 1e-9), 1))[finite])
        assert not np.any(beaten(np.where(finite, volume * (1 - 1e-6), 1))[finite])
        # where it never comes, no replica count beats the API even at a huge volume
        assert not np.any(beaten(np.full(120, 1e12))[~finite])


def test_hybrid_outputs_of_the_diurnal_article() -> None:
    # 8 quiet hours at 1, 16 busy at 3: 3/56 of a day's traffic in each busy hour. At
    # 5,184,000 requests a month one replica (7,200 requests an hour) carries the quiet
    # hours (3,085.7 an hour) and 7,200 of the busy hours' 9,257.1: 75.2 % of the volume
    found = model.hybrid(**{**ARTICLE, "output_price": 0.6}, monthly_volume=5_184_000,
                         hourly_profile=DIURNAL)  # fmt: skip
    assert list(found) == list(HYBRID_OUTPUTS)
    served = (8 * 5_184_000 / 720 / 56 * 24 + 16 * 7200) * 30
    assert found["optimal_replicas"] == 1
    assert found["optimal_hybrid_selfhost_share"] == pytest.approx(served / 5_184_000)
    assert found["optimal_hybrid_monthly_cost"] == pytest.approx(
        1440 + (5_184_000 - served) * 0.0008
    )


# --- resilience -------------------------------------------------------------------------------


def test_api_fallback_replaces_failover() -> None:
    assert model.api_fallback_monthly_cost(14_600_000, 0.995, 0.00125) == pytest.approx(91.25)
    fallback = model.evaluate(**ARTICLE, monthly_volume=14_600_000, availability=0.995)
    standby = model.evaluate(**ARTICLE, monthly_volume=14_600_000, availability=0.995,
                             failover_replicas=1)  # fmt: skip
    # without failover replicas 0.5 % of the traffic is billed by the API
    assert fallback["selfhost_total_monthly_cost"] == pytest.approx(3 * 1440 + 91.25)
    assert standby["selfhost_total_monthly_cost"] == pytest.approx(4 * 1440)
    assert fallback["cheaper_resilience"] == "API fallback"
    assert fallback["standby_monthly_cost"] == 1440
    # the break-even's margin is the available share of the API's price
    assert fallback["breakeven_volume"] == pytest.approx(1440 / (0.995 * 0.00125))
    huge = model.evaluate(**ARTICLE, monthly_volume=5e9, availability=0.99)
    assert huge["cheaper_resilience"] == "Standby replicas"


# --- owning -----------------------------------------------------------------------------------


def test_straight_line_depreciation_published_example() -> None:
    # computetape.com, "How Fast Does an H100 Depreciate?" (retrieved 2026-12-02): a $30,000
    # accelerator straight-line over 3 years is $10,000 a year, over 5 years $6,000
    yearly = [model.owned_monthly_cost(30_000, months) * 12 for months in (36, 60)]
    assert yearly == pytest.approx([10_000, 6_000])


def test_running_costs_published_example() -> None:
    # redc unit economics, "Server Unit Economics Snapshot (Phase 0)" (retrieved 2026-12-02):
    # a 4x A100 80GB server insured at EUR 74,000, maintenance EUR 600 per GPU a year,
    # insurance 3 % a year, about 817 kWh a month at EUR 0.10, EUR 350 a month of site
    # overhead, 730 hours: total costs EUR 816.67 a month (no depreciation: residual 100 %)
    kw = 816.7 / 730
    cost = model.owned_monthly_cost(
        74_000, 36, residual_share=1, annual_maintenance_share=(4 * 600 + 0.03 * 74_000) / 74_000,
        power_kw=kw, price_per_kwh=0.10, colocation_per_kw_month=350 / kw,
    )  # fmt: skip
    assert cost == pytest.approx(816.67, abs=0.01)


def test_owned_cost_by_hand_and_buy_vs_rent() -> None:
    # $25,000 over 48 months, 20 % residual, 8 % capital, 5 % maintenance, 1 kW at PUE 1.3,
    # $0.12 per kWh, $180 per kW-month
    parts = [25_000 * 0.8 / 48, 0.08 / 12 * 25_000 * 1.2 / 2, 0.05 / 12 * 25_000,
             1 * 1.3 * 730 * 0.12, 180]  # fmt: skip
    args = dict(purchase_price=25_000, life_months=48, residual_share=0.2,
                annual_cost_of_capital=0.08, annual_maintenance_share=0.05, power_kw=1,
                pue=1.3, price_per_kwh=0.12, colocation_per_kw_month=180)  # fmt: skip
    assert model.owned_monthly_cost(**args) == pytest.approx(sum(parts))
    rented = model.evaluate(**{**ARTICLE, "hours_per_month": 730.0}, monthly_volume=2e7, **args)
    bought = model.evaluate(**{**ARTICLE, "hours_per_month": 730.0}, monthly_volume=2e7,
                            ownership="buy", **args)  # fmt: skip
    replicas = rented["replicas_needed"]
    assert bought["replica_monthly_cost"] == pytest.approx(sum(parts))
    assert rented["rent_monthly_cost"] == pytest.approx(replicas * 2 * 730)
    assert rented["own_monthly_cost"] == pytest.approx(replicas * sum(parts))
    assert rented["purchase_cost"] == pytest.approx(replicas * 25_000)
    cash = replicas * sum(parts[2:])
    assert rented["buy_payback_months"] == pytest.approx(
        replicas * 25_000 / (replicas * 2 * 730 - cash)
    )
    # the verdict follows the bill the scenario pays
    assert bought["selfhost_monthly_cost"] == pytest.approx(replicas * sum(parts))


def test_payback_times_savings_is_the_upfront_cost() -> None:
    rng = np.random.default_rng(0)
    upfront, savings = rng.uniform(0, 1e6, 1000), rng.uniform(-1e4, 1e5, 1000)
    months = model.payback_months(upfront, savings)
    paying = savings > 0
    np.testing.assert_allclose(months[paying] * savings[paying], upfront[paying], rtol=1e-12)
    assert np.all(np.isinf(months[~paying]))


def test_one_time_cost_is_amortized_into_the_fixed_cost() -> None:
    assert model.amortized_monthly_cost(36_000, 24) == 1500
    plain = model.evaluate(**ARTICLE, monthly_volume=2e7)
    moved = model.evaluate(**ARTICLE, monthly_volume=2e7, one_time_cost=36_000,
                           amortization_months=24)  # fmt: skip
    assert moved["fixed_monthly_cost"] == plain["fixed_monthly_cost"] + 1500
    assert moved["monthly_savings"] == pytest.approx(plain["monthly_savings"] - 1500)
    assert moved["one_time_payback_months"] == pytest.approx(36_000 / plain["monthly_savings"])


def test_hybrid_breakeven_is_the_least_over_every_fleet_even_with_idle_hours():
    """Brute force over 1 to 400 replicas. Hours with no traffic make more replicas needed
    before any pays: a search that stopped at the fleet whose full use pays missed the
    break-even (a scale-to-zero scenario with 5 idle hours: never, where 13.0M is right)."""
    from test_parity import random_scenarios

    checked = 0
    for seed in (0, 1, 2026):
        for s in random_scenarios(30, seed=seed, redraw=False).scenarios:
            inputs = s.inputs()
            found = float(model.hybrid(**inputs)["hybrid_breakeven_volume"])
            candidates = model.figures(("hybrid_breakeven_candidate",), inputs,
                                       replicas=np.arange(1, 401))  # fmt: skip
            brute = float(np.min(candidates["hybrid_breakeven_candidate"]))
            if (
                s.inputs().get("billing_mode") == "scale-to-zero"
                and s.inputs().get("ownership", "rent") == "rent"
            ):
                continue  # walked: tests/test_fleet.py
            assert found == pytest.approx(brute, rel=1e-12) or found == brute == np.inf, s.name
            checked += math.isfinite(found)
    assert checked > 20
