"""The hybrid of a fleet that scales to zero, held to brute force over the engine's own bills.

`llm_breakeven.fleet` finds the cheapest fleet among a few candidate counts and walks the
volume to the hybrid break-even; these tests price every whole count, and sweep the volume
densely, with the engine's definitions (`hybrid_monthly_cost` at each count).
"""

from __future__ import annotations

import numpy as np
import pytest

from llm_breakeven import fleet, model
from llm_breakeven.model import evaluation, search

#: the article's example on a day of 12 quiet hours and 12 at three times the traffic
ARTICLE_DAY = dict(
    input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5, hourly_rate=2,
    replica_throughput=2, hours_per_month=720, hourly_profile=[1] * 12 + [3] * 12,
    billing_mode="scale-to-zero",
)  # fmt: skip


def _costs(inputs: dict, volume: float) -> tuple[np.ndarray, float]:
    """The hybrid's monthly cost at every count from 0 to the peak's replicas, and the peak."""
    scenario = evaluation.scenario_namespace({**inputs, "monthly_volume": volume})
    peak = max(1.0, float(np.asarray(scenario.serving_replicas)))
    counts = np.arange(0, peak + 1)
    return np.asarray(search.at_replicas(scenario, counts).hybrid_monthly_cost), peak


def test_article_day_hybrid_by_hand() -> None:
    # 5,184,000 requests a month: 3,600 an hour in the quiet hours, 10,800 in the busy ones,
    # where a replica serves 7,200. One replica, every hour: 720 h = $1,440, serving 3/4 of
    # the volume, the API the rest (1,296,000 x $0.00125 = $1,620): $3,060. Two replicas
    # (the second only in the 12 busy hours): 1,080 h = $2,160, everything served.
    found = model.hybrid(**ARTICLE_DAY, monthly_volume=5_184_000)
    assert float(found["optimal_replicas"]) == 2
    assert float(found["optimal_hybrid_monthly_cost"]) == pytest.approx(2_160, rel=1e-12)
    assert float(found["optimal_hybrid_selfhost_share"]) == pytest.approx(1, rel=1e-12)
    costs, _ = _costs(ARTICLE_DAY, 5_184_000)
    assert costs.tolist() == pytest.approx([6_480, 3_060, 2_160])
    # below 3,456,000 one replica carries every hour and bills 720 h = $1,440, which the
    # API's bill reaches at 1,152,000 requests: whatever the own volume
    for own in (768_000, 1_152_000, 5_184_000, 40_000_000):
        volume = model.hybrid(**ARTICLE_DAY, monthly_volume=own)["hybrid_breakeven_volume"]
        assert float(volume) == pytest.approx(1_152_000, rel=1e-12)


def _random(rows: int, seed: int, hours: int = 24) -> list[dict]:
    rng = np.random.default_rng(seed)
    scenarios = []
    for _ in range(rows):
        profile = rng.choice([0, 0.2, 1, 1, 2, 3, 5], size=hours) if rng.random() < 0.7 \
            else rng.random(hours)  # fmt: skip
        profile[0] += profile.sum() == 0
        scenarios.append(dict(
            input_tokens=1000.0, output_tokens=500.0, input_price=rng.uniform(0.1, 3),
            output_price=rng.uniform(0.3, 10), hourly_rate=rng.uniform(0.5, 8),
            replica_throughput=rng.uniform(0.5, 20), monthly_volume=10 ** rng.uniform(4, 8.5),
            hours_per_month=720.0, hourly_profile=profile.tolist(),
            billing_mode="scale-to-zero", failover_replicas=float(rng.choice([0, 1, 2])),
            cold_start_hours=float(rng.choice([0, 0.1, 0.5])),
            other_fixed_monthly_cost=float(rng.choice([50, 500, 5000])),
            routed_share=float(rng.choice([0, 0, 0.3])), routed_cost_per_request=0.001,
        ))  # fmt: skip
    return scenarios


def _batch(scenarios: list[dict]) -> dict:
    """The scenarios as one evaluation's columns: every row its own profile."""
    columns = {
        k: np.array([s[k] for s in scenarios]) for k in scenarios[0] if k != "hourly_profile"
    }
    return {**columns, "hourly_profile": np.array([s["hourly_profile"] for s in scenarios])}


@pytest.mark.parametrize("seed", [1, 2])
def test_cheapest_fleet_is_the_least_of_every_count(seed: int) -> None:
    """Evaluated together, each row with its own profile, as `compute` evaluates a file."""
    scenarios = _random(80, seed)
    found = model.hybrid(**_batch(scenarios))
    bent = 0
    for i, s in enumerate(scenarios):
        costs, _ = _costs(s, s["monthly_volume"])
        # the fewest replicas on ties (to the last bits)
        best = int(np.flatnonzero(costs <= costs.min() * (1 + 1e-12))[0])
        assert found["optimal_replicas"][i] == best, i
        assert found["optimal_hybrid_monthly_cost"][i] == pytest.approx(costs[best], rel=1e-12)
        steps = np.diff(costs[1:])
        bent += bool(np.any(np.diff(steps) < -1e-9 * costs.max()))
    # the cost is not convex in N for some of them: halving would not do
    assert bent >= 2


def test_cheapest_fleet_of_a_week_with_a_thousand_replicas() -> None:
    rng = np.random.default_rng(3)
    s = {**_random(1, 3, hours=168)[0], "hourly_profile": rng.random(168).tolist(),
         "monthly_volume": 2e10, "failover_replicas": 2.0, "cold_start_hours": 0.25}  # fmt: skip
    costs, peak = _costs(s, s["monthly_volume"])
    assert peak > 1_000
    found = model.hybrid(**s)
    assert float(found["optimal_replicas"]) == np.flatnonzero(costs <= costs.min() * (1 + 1e-12))[0]


@pytest.mark.parametrize("seed", [4, 5])
def test_hybrid_breakeven_is_where_some_fleet_first_beats_the_api(seed: int) -> None:
    """At the reported volume some fleet (up to the peak's replicas) costs no more than pure
    API; at 600 volumes below it, none does."""
    checked = 0
    for s in _random(25, seed):
        volume = float(model.hybrid(**s)["hybrid_breakeven_volume"])
        assert not np.isnan(volume)
        if not np.isfinite(volume):
            continue
        costs, peak = _costs(s, volume * (1 + 1e-12))
        if peak > 300:
            continue
        assert costs[1:].min() <= costs[0] * (1 + 1e-9)
        for below in np.linspace(0, volume * (1 - 1e-7), 601)[1:]:
            costs, _ = _costs(s, below)
            assert costs[1:].min() > costs[0], (s, volume, below)
        # and the same whatever the own volume
        again = model.hybrid(**{**s, "monthly_volume": volume / 3})["hybrid_breakeven_volume"]
        assert float(again) == volume
        checked += 1
    assert checked >= 15


def test_a_walk_that_gives_up_says_not_found(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Past its budget the walk reports not found: NaN in the engine, "–" and a note on the
    table, null in JSON, blank in CSV; never a number it did not find."""
    from click.testing import CliRunner

    from llm_breakeven.cli import main
    from llm_breakeven.terminal import NOT_FOUND_NOTE

    monkeypatch.setattr(fleet, "MAX_PRICED", 0)
    s = {**ARTICLE_DAY, "other_fixed_monthly_cost": 1e6, "cold_start_hours": 0.1,
         "failover_replicas": 1.0}  # fmt: skip
    assert np.isnan(float(model.hybrid(**s, monthly_volume=4e7)["hybrid_breakeven_volume"]))
    path = tmp_path / "vast.toml"
    fields = "\n".join(f"{k} = {v!r}" for k, v in s.items()).replace("'", '"')
    path.write_text(f"[[scenario]]\nname = \"Vast\"\nmonthly_volume = 40000000\n{fields}\n",
                    encoding="utf-8")  # fmt: skip
    runner = CliRunner()
    table = runner.invoke(main, ["compute", "--scenarios", str(path)], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert f"Vast: {NOT_FOUND_NOTE}" in " ".join(table.output.split())
    shown = runner.invoke(main, ["compute", "--scenarios", str(path), "--format", "json"])
    assert '"hybrid_breakeven_volume": null' in shown.output
    assert "NaN" not in shown.output
