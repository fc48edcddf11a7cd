"""Break-evens of a fleet that scales to zero, held to the engine's own bills.

The walk (`llm_breakeven.crossing`) reports where the self-host bill, hour by hour, meets the
API's; these tests find the same points by brute force: the engine's bills over a dense sweep
of volumes, and at the reported volumes and just below them.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from llm_breakeven import crossing, model
from llm_breakeven.benchmark import BUSINESS_DAY

#: the article's example, on a day of 12 quiet hours and 12 at three times the traffic
ARTICLE_DAY = dict(
    input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5, hourly_rate=2,
    replica_throughput=2, hours_per_month=720, hourly_profile=[1] * 12 + [3] * 12,
    billing_mode="scale-to-zero",
)  # fmt: skip
BILLS = ["api_monthly_cost", "selfhost_total_monthly_cost"]
BREAKEVENS = ["breakeven_volume", "sustained_breakeven_volume"]


def _bills(volumes: np.ndarray, **inputs: object) -> tuple[np.ndarray, np.ndarray]:
    found = model.evaluate(BILLS, monthly_volume=volumes, **inputs)
    return np.asarray(found["api_monthly_cost"]), np.asarray(found["selfhost_total_monthly_cost"])


def test_article_day_breaks_even_where_the_bills_meet_whatever_the_own_volume() -> None:
    # a replica carries 2 req/s x 3,600 x 720 = 5,184,000 requests a month; at $0.00125 a
    # request, the one replica that the busy hours' traffic needs up to 1,152,000 a month
    # (the 12 busy hours carry 3/4 of it at up to 2 req/s) bills 720 hours = $1,440, which
    # the API's bill reaches at 1,440 / 0.00125 = 1,152,000 requests
    for own in (768_000, 1_152_000, 40_000_000):
        found = model.evaluate(BREAKEVENS, monthly_volume=own, **ARTICLE_DAY)
        assert float(found["breakeven_volume"]) == pytest.approx(1_152_000, rel=1e-12)
        assert float(found["sustained_breakeven_volume"]) == pytest.approx(1_152_000, rel=1e-12)
    api, selfhost = _bills(np.array([768_000.0, 1_152_000.0]), **ARTICLE_DAY)
    assert api.tolist() == pytest.approx([960, 1440])
    assert selfhost.tolist() == pytest.approx([1440, 1440])


def _random_scaled(rows: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return dict(
        input_tokens=rng.uniform(200, 3000, rows), output_tokens=rng.uniform(100, 1500, rows),
        input_price=rng.uniform(0.1, 3, rows), output_price=rng.uniform(0.3, 12, rows),
        hourly_rate=rng.uniform(0.5, 6, rows), replica_throughput=rng.uniform(0.5, 20, rows),
        hours_per_month=np.full(rows, 730.0), max_utilization=rng.uniform(0.5, 1, rows),
        peak_to_average=rng.uniform(1, 2, rows), cold_start_hours=rng.choice([0, 0.1, 0.5], rows),
        failover_replicas=rng.integers(0, 3, rows).astype(float),
        ops_fte=rng.choice([0, 0.1, 0.5], rows), annual_cost_per_fte=np.full(rows, 150_000.0),
        billing_mode=np.array(["scale-to-zero"] * rows),
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_breakevens_are_the_first_and_last_crossings_of_a_dense_sweep(seed: int) -> None:
    inputs = _random_scaled(12, seed)
    found = model.evaluate(BREAKEVENS, monthly_volume=1e6, hourly_profile=BUSINESS_DAY, **inputs)
    for i in range(12):
        row = {k: v[i] for k, v in inputs.items()}
        first = float(found["breakeven_volume"][i])
        sustained = float(found["sustained_breakeven_volume"][i])
        top = 3 * sustained if np.isfinite(sustained) else 3 * first if np.isfinite(first) else 1e9
        volumes = np.linspace(top / 200_000, top, 200_000)
        api, selfhost = _bills(volumes, hourly_profile=BUSINESS_DAY, **row)
        cheaper = selfhost <= api
        if not np.isfinite(first):
            assert not cheaper.any()
            continue
        # no swept volume below the first break-even is cheaper self-hosted, none above the
        # sustained one dearer; the sweep meets each within its spacing
        spacing = volumes[1] - volumes[0]
        assert not cheaper[volumes < first].any()
        assert volumes[cheaper.argmax()] - first <= spacing
        if np.isfinite(sustained):
            assert cheaper[volumes >= sustained].all()
            dearer = volumes[~cheaper]
            assert sustained - dearer.max() <= spacing * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_at_each_breakeven_the_bills_meet_and_just_below_they_do_not(seed: int) -> None:
    inputs = _random_scaled(400, seed + 10)
    found = model.evaluate(BREAKEVENS, monthly_volume=1e6, hourly_profile=BUSINESS_DAY, **inputs)
    for name in BREAKEVENS:
        volume = np.asarray(found[name])
        finite = np.isfinite(volume)
        assert 0.15 < finite.mean() < 1  # the draws hold both kinds
        chosen = {k: v[finite] for k, v in inputs.items()}
        api, selfhost = _bills(volume[finite], hourly_profile=BUSINESS_DAY, **chosen)
        assert (selfhost <= api * (1 + 1e-12)).all()
        below = volume[finite] * (1 - 1e-9)
        api, selfhost = _bills(below, hourly_profile=BUSINESS_DAY, **chosen)
        if name == "breakeven_volume":
            assert (selfhost > api).all()
        else:  # just below the sustained one the API is cheaper, unless it is also the first
            first = np.asarray(found["breakeven_volume"])[finite]
            assert ((selfhost > api) | (volume[finite] == first)).all()


def test_a_week_of_hours_and_a_large_fleet_walk_to_the_same_crossings() -> None:
    week = np.tile(BUSINESS_DAY, 7) * np.repeat([1, 1, 1, 1, 1, 0.4, 0.3], 24)
    inputs = dict(ARTICLE_DAY, hourly_profile=week, ops_fte=20, annual_cost_per_fte=180_000,
                  failover_replicas=1, cold_start_hours=0.25)  # fmt: skip
    found = model.evaluate(BREAKEVENS, monthly_volume=1e6, **inputs)
    first, sustained = (float(found[n]) for n in BREAKEVENS)
    # twenty FTEs cost $300,000 a month: a hundred replicas and more before the API pays them
    assert 200e6 < first <= sustained < np.inf
    replicas = model.evaluate(["replicas_needed"], monthly_volume=sustained, **inputs)
    assert float(replicas["replicas_needed"]) > 100
    volumes = np.linspace(first * 0.98, sustained * 1.02, 400_001)
    api, selfhost = _bills(volumes, **inputs)
    cheaper = selfhost <= api
    spacing = volumes[1] - volumes[0]
    assert volumes[cheaper.argmax()] - first <= spacing
    assert not cheaper[volumes < first].any() and cheaper[volumes >= sustained].all()
    # a week's steps can be narrower than the sweep's: the API is cheaper just below it
    api, selfhost = _bills(np.array([sustained * (1 - 1e-9)]), **inputs)
    assert selfhost[0] > api[0]


def test_the_walk_never_crosses_where_every_replica_costs_more_than_its_traffic() -> None:
    dear = dict(ARTICLE_DAY, hourly_rate=50)
    found = model.evaluate([*BREAKEVENS, "breakeven_reachable"], monthly_volume=1e6, **dear)
    assert np.isinf(found["breakeven_volume"]) and np.isinf(found["sustained_breakeven_volume"])
    assert not bool(found["breakeven_reachable"])


def test_owned_replicas_and_other_billing_keep_their_closed_forms() -> None:
    # owned replicas cost the month whatever the traffic: the closed form, not the walk
    owned = dict(ARTICLE_DAY, ownership="buy", purchase_price=30_000)
    always = dict(owned, billing_mode="always-on")
    assert float(model.evaluate(["breakeven_volume"], monthly_volume=1e6, **owned)[
        "breakeven_volume"]) == float(model.evaluate(["breakeven_volume"], monthly_volume=1e6,
                                                      **always)["breakeven_volume"])  # fmt: skip


def test_the_compiled_walk_and_the_plain_one_agree_to_the_last_bit() -> None:
    inputs = _random_scaled(3000, 99)
    asked = ["breakeven_volume", "sustained_breakeven_volume", "breakeven_utilization"]
    compiled = model.evaluate(asked, monthly_volume=1e6, hourly_profile=BUSINESS_DAY, **inputs)
    os.environ["LLM_BREAKEVEN_KERNEL"] = "0"
    try:
        plain = model.evaluate(asked, monthly_volume=1e6, hourly_profile=BUSINESS_DAY, **inputs)
    finally:
        del os.environ["LLM_BREAKEVEN_KERNEL"]
    for name in asked:
        assert np.array_equal(compiled[name], plain[name])


def test_a_blank_argument_gives_a_blank_not_a_number() -> None:
    scratch = np.empty(24), np.empty(24)
    args = (105.0, 730.0, 900.0, 1e-9, 2.0, 1e6, 0.7, 2.0, 0.0, 0.0, 100.0, float("nan"))
    assert np.isnan(crossing.scaled_breakeven(0, BUSINESS_DAY, *args, *scratch, crossing.FEW_STEPS))


def test_a_long_walk_leaves_plain_python_for_the_compiler_with_the_same_answer() -> None:
    # a bill that tracks the API's line to 0.1 % for billions of requests (two-hour cold
    # starts, three failover replicas): tens of thousands of steps before it is never
    args = (105.0, 739.0007880804254, 7110.813625265067, 1e-09, 6.044040468137966,
            21765575.17681405, 0.7093440995908864, 60.9836744329728, 2.0, 3.0,
            1011.9857583810868, 0.010206771807503035)  # fmt: skip
    weights = np.asarray(BUSINESS_DAY, dtype=float)
    scratch = np.empty(24), np.empty(24)
    short = crossing.scaled_breakeven(0, weights, *args, *scratch, crossing.FEW_STEPS)
    assert short == crossing.GAVE_UP
    whole = crossing.scaled_breakeven(0, weights, *args, *scratch, crossing.MAX_STEPS)
    assert crossing.walk(0, weights, *args) == whole == np.inf


def test_the_table_says_how_scale_to_zero_figures_are_found(tmp_path) -> None:
    from click.testing import CliRunner

    from llm_breakeven.cli import main
    from llm_breakeven.terminal import SCALED_HYBRID_NOTE

    path = tmp_path / "scaled.toml"
    fields = "\n".join(f"{k} = {v!r}" for k, v in ARTICLE_DAY.items()).replace("'", '"')
    path.write_text(f"[[scenario]]\nname = \"Day\"\nmonthly_volume = 2000000\n{fields}\n",
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path)],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Day: {SCALED_HYBRID_NOTE}" in " ".join(result.output.split())
