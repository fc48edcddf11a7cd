"""Projection over months: today's figures when nothing changes, NPV and the best switch
month against hand sums and brute force (issue "Decide over time and under uncertainty")."""

from __future__ import annotations

import numpy as np
import pytest

from llm_breakeven import model, projection
from llm_breakeven.scenario import load


def _inputs(k: int = 2) -> dict:
    """Default scenario `k` with nothing changing over time (its own growth and price
    changes taken out): the tests set the changes they mean."""
    from llm_breakeven.quantities import TIME_INPUTS

    inputs = load().scenarios[k].inputs()
    for name in TIME_INPUTS:
        inputs.pop(name, None)
    return inputs


@pytest.mark.parametrize("k", range(5))
def test_nothing_changing_repeats_todays_month(k):
    inputs = _inputs(k)
    today = model.evaluate(**inputs)
    table = projection.project(inputs, horizon_months=24)
    assert table["month"].tolist() == list(range(1, 25))
    for name in ("api_monthly_cost", "selfhost_total_monthly_cost", "monthly_savings",
                 "replicas_needed", "api_cost_per_request", "replica_monthly_cost"):  # fmt: skip
        assert np.allclose(table[name], float(today[name]), rtol=1e-12), name
    assert table["discount_factor"].tolist() == [1.0] * 24


def test_growth_and_price_changes_by_hand():
    inputs = _inputs(0)  # the article's example
    table = projection.project(inputs, monthly_growth=0.05, api_price_change_per_year=-0.3,
                               gpu_price_change_per_year=-0.1, annual_discount_rate=0.08,
                               horizon_months=25)  # fmt: skip
    row = table.iloc[12]  # month 13: a year on
    assert row["monthly_volume"] == pytest.approx(1_296_000 * 1.05**12)
    assert row["api_cost_per_request"] == pytest.approx(0.00125 * 0.7)
    assert row["replica_monthly_cost"] == pytest.approx(1440 * 0.9)
    assert row["discount_factor"] == pytest.approx(1.08 ** (-13 / 12))
    volume = 1_296_000 * 1.05**12
    replicas = np.ceil(volume / 5_184_000)
    assert row["monthly_savings"] == pytest.approx(volume * 0.00125 * 0.7 - replicas * 1296)


def test_npv_at_zero_discount_is_the_cumulative_difference():
    table = projection.project(_inputs(2), monthly_growth=0.08, horizon_months=36)
    savings = table["monthly_savings"].to_numpy()
    for s in (1, 7, 20, 36):
        assert projection.table_switch_npv(table, s, 25_000) == pytest.approx(
            savings[s - 1 :].sum() - 25_000
        )


@pytest.mark.parametrize("seed", range(20))
def test_best_switch_month_is_the_brute_force_best(seed):
    rng = np.random.default_rng(seed)
    table = projection.project(
        _inputs(int(rng.integers(0, 5))), monthly_growth=float(rng.uniform(-0.05, 0.15)),
        api_price_change_per_year=float(rng.uniform(-0.5, 0.1)),
        gpu_price_change_per_year=float(rng.uniform(-0.4, 0.1)),
        annual_discount_rate=float(rng.uniform(0, 0.2)), horizon_months=int(rng.integers(6, 60)),
    )  # fmt: skip
    migration = float(rng.uniform(0, 200_000))
    npvs = {int(s): projection.table_switch_npv(table, int(s), migration) for s in table["month"]}
    best = max(npvs.values())
    expected = min(s for s, v in npvs.items() if v == best) if best > 0 else None
    assert projection.table_best_switch_month(table, migration) == expected
    assert np.allclose(projection.switch_npvs(table, migration), list(npvs.values()))
    if expected is not None:
        paid = projection.table_payback_month(table, expected, migration)
        savings = table["monthly_savings"].to_numpy()
        if paid is not None:
            assert savings[expected - 1 : paid].sum() >= migration
            assert savings[expected - 1 : paid - 1].sum() < migration or paid == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"monthly_growth": -1}, "monthly_growth must be greater than -1 (got -1)"),
     ({"annual_discount_rate": float("nan")}, "annual_discount_rate must be a finite number"),
     ({"horizon_months": 0}, "horizon_months must be a whole number between 1 and 60 (got 0)"),
     ({"horizon_months": 12.5}, "must be a whole number between 1 and 60 (got 12.5)"),
     ({"api_price_change_per_year": "fast"}, "api_price_change_per_year must be a number")],
)  # fmt: skip
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        projection.project(_inputs(0), **kwargs)
    with pytest.raises(ValueError, match="migration_cost must be at least 0"):
        projection.table_best_switch_month(projection.project(_inputs(0)), -1)


# --- every scenario at once, and the Excel functions -------------------------------------------


def test_switch_outcome_of_many_equals_each_projection():
    from llm_breakeven.sampling import sample

    columns = sample(60, seed=11)
    outcome = projection.switch_outcome(**columns)
    for k in range(60):
        one = {n: (v[k].item() if hasattr(v[k], "item") else v[k]) for n, v in columns.items()}
        table = projection.project(one)
        migration = one["migration_cost"]
        best = projection.table_best_switch_month(table, migration)
        assert outcome["best_switch_month"][k] == (np.inf if best is None else best)
        assert outcome["switch_now_npv"][k] == pytest.approx(table["switch_npv"].iloc[0])
        # the NPV by a plain loop: discounted savings from the month on, less the migration
        npv_now = (
            sum(
                s * d
                for s, d in zip(table["monthly_savings"], table["discount_factor"], strict=True)
            )
            - migration * table["discount_factor"][0]
        )
        assert outcome["switch_now_npv"][k] == pytest.approx(npv_now, rel=1e-9, abs=1e-6)
        if best is not None:
            paid = projection.table_payback_month(table, best, migration)
            assert outcome["switch_payback_month"][k] == (np.inf if paid is None else paid)


def test_excel_functions_equal_the_engine_on_a_rented_scenario():
    from llm_breakeven import model, udfs

    inputs = {**_inputs(2), "monthly_growth": 0.07, "api_price_change_per_year": -0.25,
              "gpu_price_change_per_year": -0.1, "migration_cost": 20_000,
              "annual_discount_rate": 0.08, "horizon_months": 48}  # fmt: skip
    r = model.evaluate(**inputs)
    components = (
        inputs["monthly_volume"],
        float(r["api_cost_per_request"]),
        float(r["replica_monthly_cost"]),
        float(r["replica_capacity"]),
        float(r["fixed_monthly_cost"]),
        inputs.get("variable_cost_per_request", 0.0),
        inputs.get("max_utilization", 1.0),
        inputs.get("peak_to_average", 1.0),
        inputs.get("failover_replicas", 0.0),
        0.07,
        -0.25,
        -0.1,
        20_000,
        0.08,
        48,
    )
    table = projection.project(inputs)
    spilled = udfs.PROJECTION(*components)
    assert spilled[0][0] == "Month" and len(spilled) == 49
    for row, want in zip(spilled[1:], table.itertuples(index=False), strict=True):
        assert row[-1] == pytest.approx(want.switch_npv, rel=1e-12)
        assert row[6] == pytest.approx(want.selfhost_total_monthly_cost, rel=1e-12)
    outcome = projection.switch_outcome(**inputs)
    best = udfs.BEST_SWITCH_MONTH(*components)
    if np.isinf(outcome["best_switch_month"]):
        assert best.startswith("#N/A never")
    else:
        assert best == outcome["best_switch_month"]
    assert udfs.SWITCH_NPV(5, *components) == pytest.approx(table["switch_npv"][4], rel=1e-12)


def test_the_h100_example_pays_from_month_17():
    """The default example that grows 8 % a month while API prices fall 20 % a year: the
    switch is worth most in month 17 and its $40,000 migration is paid back in month 27,
    while switching now loses to the API for months."""
    from llm_breakeven.scenario import load

    growing = load().scenarios[2]
    table = projection.project(growing.inputs())
    best = projection.table_best_switch_month(table, 40_000)
    assert best == 17
    assert projection.table_payback_month(table, 17, 40_000) == 27
    assert table["monthly_savings"][0] < 0 < table["monthly_savings"][16]
