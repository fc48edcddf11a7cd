"""Tornado, two-way grid and Monte Carlo (issue "Decide over time and under uncertainty"):
endpoints equal direct evaluations, degenerate ranges give exact probabilities, and the
simulation converges to the analytic answer where there is one."""

from __future__ import annotations

import math

import numpy as np
import pytest

from llm_breakeven import model, sensitivity
from llm_breakeven.scenario import load


@pytest.mark.parametrize("k", range(5))
def test_tornado_is_sorted_and_every_end_is_a_direct_evaluation(k):
    inputs = load().scenarios[k].inputs()
    table = sensitivity.tornado(inputs)
    swings = table["savings_swing"].tolist()
    assert swings == sorted(swings, reverse=True)
    assert len(table) >= 7
    for _, row in table.iterrows():
        for end in ("low", "high"):
            direct = model.evaluate(**{**inputs, row["input"]: row[end]})
            assert row[f"savings_{end}"] == pytest.approx(float(direct["monthly_savings"]))
            want = float(direct["breakeven_volume"])
            got = row[f"breakeven_{end}"]
            assert (math.isinf(want) and math.isinf(got)) or got == pytest.approx(want)
        value = float(inputs[row["input"]])
        # ±20 %, kept within the input's valid range (a peak-to-average stays at least 1)
        assert row["low"] == pytest.approx(sensitivity._clip(row["input"], value * 0.8))
        assert row["high"] == pytest.approx(sensitivity._clip(row["input"], value * 1.2))


def test_tornado_takes_given_ranges_and_clips_to_valid_values():
    inputs = load().scenarios[1].inputs()  # the article fully loaded: 70 % max utilization
    table = sensitivity.tornado(inputs, ["max_utilization", "hourly_rate"], spread=0.5,
                                ranges={"hourly_rate": (1.0, 6.0)})  # fmt: skip
    rows = table.set_index("input")
    assert rows.loc["max_utilization", "high"] == 1.0  # 0.7 x 1.5 clipped to at most 1
    assert (rows.loc["hourly_rate", "low"], rows.loc["hourly_rate", "high"]) == (1.0, 6.0)
    with pytest.raises(ValueError, match="billing_mode is not a numeric scenario input"):
        sensitivity.tornado(inputs, ["billing_mode"])
    with pytest.raises(ValueError, match="spread must be a fraction"):
        sensitivity.tornado(inputs, spread=1.5)


def test_grid_crosses_one_at_the_breakeven():
    inputs = load().scenarios[0].inputs()  # one replica: break-even at 1,152,000 requests
    volumes = [1_000_000, 1_152_000, 2_000_000]
    g = sensitivity.grid(inputs, ("hourly_rate", [2.0]), ("monthly_volume", volumes))
    assert g.loc[2.0].tolist()[0] > 1
    assert g.loc[2.0].tolist()[1] == pytest.approx(1)
    assert g.loc[2.0].tolist()[2] < 1


@pytest.mark.parametrize(("rate", "expected"), [(1.0, 1.0), (3.0, 0.0)])
def test_degenerate_ranges_give_probability_zero_or_one_exactly(rate, expected):
    inputs = load().scenarios[0].inputs()
    found = sensitivity.simulate(inputs, {"hourly_rate": (rate, rate, rate)}, 5_000, seed=3)
    assert found["probability_selfhost_cheaper"] == expected
    assert found["savings"][10] == found["savings"][90]


def test_simulation_converges_to_the_analytic_probability():
    # the article at 1,296,000 requests: self-hosting is cheaper while the replica costs less
    # than the API bill, $1,620 a month, i.e. hourly rate < 1620 / 720 = 2.25. With the rate
    # triangular on (1, 2, 3): P(rate < 2.25) = 1 - (3 - 2.25)^2 / ((3 - 1)(3 - 2)) = 0.71875
    inputs = load().scenarios[0].inputs()
    found = sensitivity.simulate(inputs, {"hourly_rate": (1.0, 2.0, 3.0)}, 400_000, seed=7)
    assert found["probability_selfhost_cheaper"] == pytest.approx(0.71875, abs=0.003)
    again = sensitivity.simulate(inputs, {"hourly_rate": (1.0, 2.0, 3.0)}, 400_000, seed=7)
    assert again == found  # seeded: reproducible
    # the median rate is 2: savings at the median are the article's $180
    assert found["savings"][50] == pytest.approx(180, abs=3)


def test_bad_ranges_are_named():
    inputs = load().scenarios[0].inputs()
    with pytest.raises(ValueError, match=r"hourly_rate needs low <= base <= high"):
        sensitivity.simulate(inputs, {"hourly_rate": (3, 2, 1)})
    with pytest.raises(ValueError, match="samples must be a whole number at least 1"):
        sensitivity.simulate(inputs, {"hourly_rate": (1, 2, 3)}, samples=0)
    assert np.isfinite(sensitivity.simulate(inputs, {}, 10)["savings"][50])


def test_the_waterfall_adds_up_to_the_selfhost_cost_per_request():
    from llm_breakeven.sampling import sample

    columns = sample(20_000, seed=9)
    layers = model.cost_waterfall(**columns)
    total = sum(layers[name] for name in model.WATERFALL)
    np.testing.assert_allclose(total, layers["selfhost_cost_per_request"], rtol=1e-9)
    # every layer but idle capacity is at least 0; idle is never below zero either, as whole
    # replicas at the average load carry at least the volume
    for name in model.WATERFALL:
        assert np.all(layers[name] >= -1e-15), name
    evaluated = model.evaluate(**columns)
    np.testing.assert_allclose(layers["selfhost_cost_per_request"],
                               evaluated["selfhost_cost_per_request"], rtol=1e-12)  # fmt: skip


def test_prob_selfhost_cheaper_in_excel_equals_the_engine_and_is_seeded():
    from llm_breakeven import udfs

    args = ([["replica_monthly_cost", 1000, 1500, 2000], [None, None, None, None]], 20_000, 4,
            1_296_000, 0.00125, 1440, 5_184_000)  # fmt: skip
    first = udfs.PROB_SELFHOST_CHEAPER(*args)
    assert first == udfs.PROB_SELFHOST_CHEAPER(*args)  # never volatile: the seed fixes it
    assert first == sensitivity.probability_selfhost_cheaper(
        {"replica_monthly_cost": (1000, 1500, 2000)},
        20_000,
        4,
        monthly_volume=1_296_000,
        api_cost_per_request=0.00125,
        replica_monthly_cost=1440,
        replica_capacity=5_184_000,
    )
    # triangular (1000, 1500, 2000) below 1620: 1 - 380² / (1000 × 500)
    assert first == pytest.approx(1 - 380**2 / 500_000, abs=0.01)
    bad = udfs.PROB_SELFHOST_CHEAPER([["replica_monthly_cost", 2000, 1500, 1000]], 100, 0,
                                     1_296_000, 0.00125, 1440, 5_184_000)  # fmt: skip
    assert bad.startswith("#VALUE! ranges: replica_monthly_cost needs low <= base <= high")
    assert udfs.PROB_SELFHOST_CHEAPER([["x", 1]], 100, 0, 1, 1, 1, 1).startswith(
        "#VALUE! ranges must be rows of 4 cells"
    )


def test_simulate_with_the_projection_counts_the_switch_that_pays():
    article = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                   hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000,
                   hours_per_month=720, migration_cost=10_000)  # fmt: skip
    # at $2 an hour 36 months save $6,480 < $10,000: never; at $1 they save $32,400: always
    never = sensitivity.simulate(article, {"hourly_rate": (2, 2, 2)}, 100, projection=True)
    always = sensitivity.simulate(article, {"hourly_rate": (1, 1, 1)}, 100, projection=True)
    assert never["probability_switch_pays"] == 0.0
    assert always["probability_switch_pays"] == 1.0
    assert always["best_switch_npv"][50] == pytest.approx(36 * 900 - 10_000)


def test_the_grid_across_utilization_is_the_by_utilization_table():
    from llm_breakeven import model

    article = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                   hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000,
                   hours_per_month=720)  # fmt: skip
    shares = [0.05, 0.25, 0.6, 0.9]
    table = model.breakeven_table(1440, 5_184_000, 0.00125, shares)
    ratio = sensitivity.grid(article, ("utilization", shares), ("hourly_rate", [2]))
    assert ratio[2].tolist() == pytest.approx((table["cost_per_request"] / 0.00125).tolist())


def test_default_ranges_skip_what_is_not_given():
    ranges = sensitivity.default_ranges({"hourly_rate": 2.0, "ops_fte": 0.0,
                                         "replica_throughput": None})  # fmt: skip
    assert ranges == {"hourly_rate": pytest.approx((1.6, 2.0, 2.4))}
