"""The engine against the article's worked example and hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import (
    ARTICLE,
    ARTICLE_API,
    ARTICLE_BREAKEVEN_UTILIZATION,
    ARTICLE_BREAKEVEN_VOLUME,
    ARTICLE_CAPACITY,
    ARTICLE_GPU_MONTH,
    ARTICLE_ROWS,
)
from llm_breakeven import model, projection


def test_article_api_cost_gpu_bill_and_capacity():
    a = ARTICLE
    assert model.api_cost_per_request(
        a["input_tokens"], a["output_tokens"], a["input_price"], a["output_price"]
    ) == pytest.approx(ARTICLE_API)
    assert model.gpu_monthly_cost(a["hourly_rate"], 1, a["hours_per_month"]) == ARTICLE_GPU_MONTH
    assert model.monthly_capacity(a["replica_throughput"], a["hours_per_month"]) == ARTICLE_CAPACITY


@pytest.mark.parametrize(("share", "served", "gpu_cost", "verdict"), ARTICLE_ROWS)
def test_article_table_row(share, served, gpu_cost, verdict):
    assert ARTICLE_CAPACITY * share == pytest.approx(served)
    cost = model.cost_per_request(ARTICLE_GPU_MONTH, ARTICLE_CAPACITY, share)
    assert round(cost, 6) == gpu_cost
    assert model.cheaper_option(cost, ARTICLE_API) == verdict


def test_article_breakeven():
    volume = model.breakeven_volume(ARTICLE_GPU_MONTH, ARTICLE_CAPACITY, ARTICLE_API)
    assert volume == pytest.approx(ARTICLE_BREAKEVEN_VOLUME)
    share = model.breakeven_utilization(ARTICLE_GPU_MONTH, ARTICLE_CAPACITY, ARTICLE_API)
    assert round(share, 4) == ARTICLE_BREAKEVEN_UTILIZATION


def test_article_table_function():
    table = model.breakeven_table(
        ARTICLE_GPU_MONTH, ARTICLE_CAPACITY, ARTICLE_API, [r[0] for r in ARTICLE_ROWS]
    )
    assert list(table) == list(model.TABLE_COLUMNS)
    assert np.round(table["volume_served"]).tolist() == [r[1] for r in ARTICLE_ROWS]
    assert np.round(table["cost_per_request"], 6).tolist() == [r[2] for r in ARTICLE_ROWS]
    assert table["cheaper_option"].tolist() == [r[3] for r in ARTICLE_ROWS]
    assert table["api_cost_per_request"].tolist() == [ARTICLE_API] * 4


def test_fully_loaded_breakeven_by_hand():
    # K = 5,184,000 × 0.7 / 2 = 1,814,400; K·a = 2,268; gap = 2,268 − 1,440 = 828
    # F' = 4,166.67 (0.25 FTE × 200k / 12) + 300 + 1 × 1,440 = 5,906.67; n* = ceil(7.134) = 8
    # volume = (5,906.67 + 8 × 1,440) / 0.00125 = 13,941,333.33
    fixed = model.ops_monthly_cost(0.25, 200_000) + 300
    assert fixed == pytest.approx(4466.6667, rel=1e-6)
    volume = model.breakeven_volume(1440, ARTICLE_CAPACITY, ARTICLE_API, fixed, 0, 0.7, 2, 1)
    assert volume == pytest.approx(13_941_333.33, rel=1e-9)
    # 9 billed replicas carry it: 13,941,333.33 / (9 × 5,184,000) = 29.9 % busy on average
    share = model.breakeven_utilization(1440, ARTICLE_CAPACITY, ARTICLE_API, 0, fixed, 0.7, 2, 1)
    assert share == pytest.approx(13_941_333.33 / (9 * ARTICLE_CAPACITY), rel=1e-9)
    assert round(share, 3) == 0.299
    # at that volume 8 serving replicas + 1 failover run, and both bills are $17,426.67
    assert model.replicas_needed(volume, ARTICLE_CAPACITY, 0.7, 2, 1) == 9
    bill = model.selfhost_monthly_cost(volume, 1440, ARTICLE_CAPACITY, fixed, 0.7, 2, 1)
    assert bill == pytest.approx(volume * ARTICLE_API) == pytest.approx(17_426.67, rel=1e-6)


def test_fully_loaded_sustained_breakeven_by_hand():
    # K·a = 2,268, gap = 828, F' = 5,906.67: whole bands pay from m = ceil(8,174.67 / 828) = 10
    # serving replicas; in band 9 self-hosting pays from (4,466.67 + (1 + 9) × 1,440) / a
    # = 15,093,333.33, which is below 9 × K = 16,329,600
    fixed = model.ops_monthly_cost(0.25, 200_000) + 300
    sizing = (1440, ARTICLE_CAPACITY, ARTICLE_API, fixed, 0, 0.7, 2, 1)
    sustained = model.sustained_breakeven_volume(*sizing)
    assert sustained == pytest.approx(15_093_333.33, rel=1e-9)
    first = model.breakeven_volume(*sizing)
    # the API is cheaper again at 14.6M (9 serving replicas), and never above the sustained
    bill = model.selfhost_monthly_cost(14_600_000, 1440, ARTICLE_CAPACITY, fixed, 0.7, 2, 1)
    assert first < 14_600_000 < sustained and bill > 14_600_000 * ARTICLE_API
    assert bill - 14_600_000 * ARTICLE_API == pytest.approx(616.67, abs=0.01)


def test_never_when_a_replica_costs_more_than_its_traffic_earns():
    # a replica carrying 1,000,000 requests earns $1,250 of API bill but costs $1,440
    assert model.breakeven_volume(1440, 1_000_000, ARTICLE_API) == math.inf
    # the variable cost eats the whole API margin
    assert (
        model.breakeven_volume(1440, ARTICLE_CAPACITY, 0.001, variable_cost_per_request=0.001)
        == math.inf
    )
    assert model.breakeven_utilization(1440, ARTICLE_CAPACITY, 0.001, 0.002) == math.inf


def test_api_cost_cache_and_batch_by_hand():
    # 1,000 input of which 40 % cached at $0.05: 600 × 0.5 + 400 × 0.05 + 500 × 1.5 = 1,070
    cost = model.api_cost_per_request(1000, 500, 0.5, 1.5, 0.4, 0.05)
    assert cost == pytest.approx(1070 / 1e6)
    assert model.api_cost_per_request(1000, 500, 0.5, 1.5, 0.4, 0.05, 0.5) == pytest.approx(
        535 / 1e6
    )
    # no cached price (None or NaN) means the input price: caching changes nothing
    assert model.api_cost_per_request(1000, 500, 0.5, 1.5, 0.4) == pytest.approx(ARTICLE_API)
    assert model.api_cost_per_request(1000, 500, 0.5, 1.5, 0.4, math.nan) == pytest.approx(
        ARTICLE_API
    )


def test_replicas_and_costs_by_hand():
    # 6,000,000 requests on 5,184,000 per replica: 2 replicas; + fixed 4,000
    assert model.replicas_needed(6_000_000, ARTICLE_CAPACITY) == 2
    assert model.replicas_needed(0, ARTICLE_CAPACITY, failover_replicas=2) == 3
    assert model.replicas_needed(ARTICLE_CAPACITY, ARTICLE_CAPACITY) == 1  # exactly full
    assert model.selfhost_monthly_cost(6_000_000, 1440, ARTICLE_CAPACITY, 4000) == 6880
    assert model.ops_monthly_cost(1.5, 240_000) == 30_000
    assert model.peak_requests_per_second(2_628_000, 3) == pytest.approx(3.0)  # 730 h default


def test_functions_broadcast_like_ufuncs():
    shares = np.array([[0.05], [0.25]])
    costs = np.array([1440.0, 2880.0, 4320.0])
    out = model.cost_per_request(costs, ARTICLE_CAPACITY, shares)
    assert out.shape == (2, 3)
    assert out[1, 1] == pytest.approx(2880 / (ARTICLE_CAPACITY * 0.25))
    assert model.cheaper_option(np.array([0.01, 0.0012, 0.0001]), ARTICLE_API).tolist() == [
        "API", "Break-even", "Self-host",
    ]  # fmt: skip
    assert isinstance(model.breakeven_volume(1440, ARTICLE_CAPACITY, ARTICLE_API), float)


def test_evaluate_article_scenario():
    r = model.evaluate(
        input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5, hourly_rate=2,
        replica_throughput=2, monthly_volume=1_296_000, hours_per_month=720,
    )  # fmt: skip
    assert set(r) == set(model.OUTPUTS)
    assert float(r["breakeven_volume"]) == pytest.approx(ARTICLE_BREAKEVEN_VOLUME)
    assert float(r["selfhost_cost_per_request"]) == pytest.approx(1440 / 1_296_000)
    assert float(r["utilization"]) == pytest.approx(0.25)
    assert float(r["monthly_savings"]) == pytest.approx(1620 - 1440)
    assert str(r["cheaper_option"]) == "Break-even"


# --- signals and the recommendation -------------------------------------------------------------

_SCENARIO = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                 hourly_rate=2, replica_throughput=2, hours_per_month=720)  # fmt: skip


def test_the_premium_for_control_is_what_the_api_would_save():
    # 300,000 requests: the API bills $375, one replica $1,440: a $1,065 premium a month
    r = model.evaluate(**_SCENARIO, monthly_volume=300_000, signal_compliance="requires self-host")
    assert float(r["control_premium_monthly"]) == pytest.approx(1440 - 375)
    year = projection.first_year(**_SCENARIO, monthly_volume=300_000,
                                 signal_compliance="requires self-host")  # fmt: skip
    assert float(year["control_premium_annual"]) == pytest.approx(12 * (1440 - 375))
    assert int(r["signals_self_host"]) == 1 and bool(r["compliance_required"])
    # no premium where self-hosting is cheaper anyway, or compliance does not require it
    cheap = model.evaluate(**_SCENARIO, monthly_volume=5e6, signal_compliance="requires self-host")
    assert float(cheap["control_premium_monthly"]) == 0.0
    free = model.evaluate(**_SCENARIO, monthly_volume=300_000, signal_compliance="lean self-host")
    assert float(free["control_premium_monthly"]) == 0.0


def test_a_signal_must_be_one_of_its_marks():
    with pytest.raises(ValueError, match="signal_team must be one of unmarked, lean API"):
        model.evaluate(**_SCENARIO, monthly_volume=1e6, signal_team="maybe")


def test_a_power_is_written_as_excel_reads_it():
    from llm_breakeven.formula import Expr

    a, b = Expr.ref("A1"), Expr.ref("B1")
    assert ((-a) ** 2).text == "-A1^2"  # Excel negates first: (-A1)^2, as Python's (-a) ** 2
    assert (-(a**2)).text == "-(A1^2)"
    assert (a ** (b - 1)).text == "A1^(B1-1)"
    assert ((a**b) ** 2).text == "A1^B1^2"  # Excel is left-associative
    assert (a ** (b**2)).text == "A1^(B1^2)"
    assert (2 * a**b).text == "2*A1^B1"
