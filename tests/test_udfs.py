"""Excel functions under the plain and classic-Windows xlwings runtimes."""

from __future__ import annotations

import inspect
import io
import json
import math
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, cast

import pytest
import xlwings as xw

from conftest import (
    ARTICLE_API,
    ARTICLE_BREAKEVEN_UTILIZATION,
    ARTICLE_BREAKEVEN_VOLUME,
    ARTICLE_CAPACITY,
    ARTICLE_GPU_MONTH,
    ARTICLE_ROWS,
)
from llm_breakeven import macros, model, udf_adapter, udfs
from llm_breakeven.quantities import QUANTITIES, doc
from llm_breakeven.scenario import load
from llm_breakeven.units import BOOLEAN

#: a range of 24 hourly weights, as Excel passes a column: quiet nights, busy days
DAY = [[1.0]] * 8 + [[3.0]] * 16

FUNCTIONS = {
    "API_COST_PER_REQUEST": (1000, 500, 0.5, 1.5),
    "GPU_MONTHLY_COST": (2.0,),
    "MONTHLY_CAPACITY": (2.0,),
    "REQUESTS_PER_SECOND": (15_220.0, 1000.0),
    "COST_PER_REQUEST": (1440.0, ARTICLE_CAPACITY, 0.25),
    "BREAKEVEN_VOLUME": (1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "SUSTAINED_BREAKEVEN_VOLUME": (1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "BREAKEVEN_UTILIZATION": (1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "IN_ALTERNATING_BAND": (1_000_000.0, 1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "CHEAPER_OPTION": (0.001, ARTICLE_API),
    "PEAK_REQUESTS_PER_SECOND": (1_000_000.0,),
    "REPLICAS_NEEDED": (6_000_000.0, ARTICLE_CAPACITY),
    "OPS_MONTHLY_COST": (0.5, 180_000.0),
    "SELFHOST_MONTHLY_COST": (6_000_000.0, 1440.0, ARTICLE_CAPACITY),
    "BREAKEVEN_TABLE": (1440.0, ARTICLE_CAPACITY, ARTICLE_API, [[0.25]]),
    "COST_PER_MILLION_TOKENS": (3.99, 15_220.0),
    "GPU_SPEC": ("H100 SXM", "hbm_gb"),
    "GPU_PRICE": ("H100 SXM",),
    "MODEL_MEMORY_GB": ("Llama 3.1 8B",),
    "TOKENS_PER_SECOND_ESTIMATE": ("Llama 3.1 8B", "H100 SXM"),
    "THROUGHPUT_ESTIMATE": ("Llama 3.1 8B", "H100 SXM"),
    "API_PRICE": ("gpt-4o",),
    "MODEL_API_COST_PER_REQUEST": ("gpt-4o", 1000.0, 500.0),
    "PEAK_TO_AVERAGE": (DAY,),
    "BILLED_HOURS": (6_000_000.0, DAY, ARTICLE_CAPACITY),
    "HYBRID_MONTHLY_COST": (6_000_000.0, DAY, 1.0, 1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "HYBRID_SELFHOST_SHARE": (6_000_000.0, DAY, 1.0, 1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "OPTIMAL_REPLICAS": (6_000_000.0, DAY, 1440.0, ARTICLE_CAPACITY, ARTICLE_API),
    "API_FALLBACK_MONTHLY_COST": (6_000_000.0, 0.995, ARTICLE_API),
    "OWNED_MONTHLY_COST": (30_000.0, 36.0),
    "AMORTIZED_MONTHLY_COST": (36_000.0, 24.0),
    "PAYBACK_MONTHS": (30_000.0, 2_500.0),
    "PROJECTION": (1_296_000.0, ARTICLE_API, 1440.0, ARTICLE_CAPACITY),
    "BEST_SWITCH_MONTH": (1_296_000.0, ARTICLE_API, 1440.0, ARTICLE_CAPACITY),
    "SWITCH_NPV": (2.0, 1_296_000.0, ARTICLE_API, 1440.0, ARTICLE_CAPACITY),
    "PROB_SELFHOST_CHEAPER": (
        [["replica_monthly_cost", 1000.0, 1500.0, 2000.0]],
        500.0,
        0.0,
        1_296_000.0,
        ARTICLE_API,
        1440.0,
        ARTICLE_CAPACITY,
    ),
    "RECOMMENDATION": (17.0, 79_355.4, 36.0, 0.0, 8_800.0, 8_800.0, 13_404.77, 0.36),
}


#: functions that look names up in the catalogues: every argument a single cell
SINGLE_CELL = {"GPU_SPEC", "GPU_PRICE", "MODEL_MEMORY_GB", "TOKENS_PER_SECOND_ESTIMATE",
               "THROUGHPUT_ESTIMATE", "API_PRICE", "MODEL_API_COST_PER_REQUEST"}  # fmt: skip


def _udf(name):
    return getattr(udfs, name)


# --- the article, through every function -----------------------------------------------------


def test_article_through_the_excel_functions():
    api = udfs.API_COST_PER_REQUEST(1000, 500, 0.5, 1.5)
    assert api == pytest.approx(ARTICLE_API)
    gpu = udfs.GPU_MONTHLY_COST(2, 1, 720)
    assert gpu == ARTICLE_GPU_MONTH
    capacity = udfs.MONTHLY_CAPACITY(2, 720)
    assert capacity == ARTICLE_CAPACITY
    column = [[r[0]] for r in ARTICLE_ROWS]
    costs = udfs.COST_PER_REQUEST(gpu, capacity, column)
    assert [round(row[0], 6) for row in costs] == [r[2] for r in ARTICLE_ROWS]
    assert udfs.CHEAPER_OPTION(costs, api) == [[r[3]] for r in ARTICLE_ROWS]
    assert udfs.BREAKEVEN_VOLUME(gpu, capacity, api) == pytest.approx(ARTICLE_BREAKEVEN_VOLUME)
    assert round(udfs.BREAKEVEN_UTILIZATION(gpu, capacity, api), 4) == ARTICLE_BREAKEVEN_UTILIZATION


def test_article_breakeven_table_spills_with_a_header():
    table = udfs.BREAKEVEN_TABLE(
        1440, ARTICLE_CAPACITY, ARTICLE_API, [[r[0]] for r in ARTICLE_ROWS]
    )
    assert table[0] == [
        "Utilization", "Requests served per month", "Self-host cost per request",
        "API cost per request", "Cheaper option",
    ]  # fmt: skip
    for row, (share, served, cost, verdict) in zip(table[1:], ARTICLE_ROWS, strict=True):
        assert row[0] == share
        assert row[1] == pytest.approx(served)
        assert round(row[2], 6) == cost
        assert row[3] == ARTICLE_API
        assert row[4] == verdict
    # a row of utilizations gives the same table
    assert (
        udfs.BREAKEVEN_TABLE(1440, ARTICLE_CAPACITY, ARTICLE_API, [[0.05, 0.25, 0.6, 0.9]]) == table
    )


def test_other_functions_by_hand():
    assert udfs.REQUESTS_PER_SECOND(15_220, 1000) == pytest.approx(15.22)
    assert udfs.REQUESTS_PER_SECOND([[1000]], [[500, 2000]]) == [[2.0, 0.5]]
    assert udfs.PEAK_REQUESTS_PER_SECOND(5_184_000, 2, 720) == pytest.approx(4.0)
    assert udfs.REPLICAS_NEEDED(3_000_000, ARTICLE_CAPACITY, 0.7, 2, 1) == 3
    assert udfs.OPS_MONTHLY_COST(0.5, 180_000) == 7500
    assert udfs.SELFHOST_MONTHLY_COST(6_000_000, 1440, ARTICLE_CAPACITY, 4000) == 6880
    assert udfs.API_COST_PER_REQUEST(1000, 500, 0.5, 1.5, 0.4, 0.05, 0.5) == pytest.approx(535e-6)
    assert udfs.CHEAPER_OPTION(0.00140, ARTICLE_API, 0.05) == "API"
    assert udfs.BREAKEVEN_UTILIZATION(1440, ARTICLE_CAPACITY, 0.001, 0.001) == (
        "#N/A never: the API costs no more than the variable cost"
    )


def test_sustained_breakeven_volume_has_breakeven_volumes_arguments():
    assert list(inspect.signature(udfs.SUSTAINED_BREAKEVEN_VOLUME).parameters) == list(
        inspect.signature(udfs.BREAKEVEN_VOLUME).parameters
    )
    # the article fully loaded, by hand in test_engine: 15,093,333.33
    fixed = 0.25 * 200_000 / 12 + 300
    got = udfs.SUSTAINED_BREAKEVEN_VOLUME(1440, ARTICLE_CAPACITY, ARTICLE_API, fixed, 0, 0.7, 2, 1)
    assert got == pytest.approx(15_093_333.33, rel=1e-9)
    assert udfs.SUSTAINED_BREAKEVEN_VOLUME(1440, 1_000_000, ARTICLE_API) == (
        "#N/A never: the API is cheaper at every volume"
    )


def test_in_alternating_band_says_where_the_verdict_flips():
    fixed = 0.25 * 200_000 / 12 + 300
    # the article fully loaded: break-even 13,941,333, sustained 15,093,333 (by hand in
    # test_engine); at 14.6M the API is cheaper again (one more replica), at 16M never again
    volumes = [[13_000_000.0], [13_941_334.0], [14_600_000.0], [15_093_334.0]]
    got = udfs.IN_ALTERNATING_BAND(volumes, 1440, ARTICLE_CAPACITY, ARTICLE_API, fixed, 0, 0.7,
                                   2, 1)  # fmt: skip
    assert got == [[False], [True], [True], [False]]
    assert udfs.IN_ALTERNATING_BAND(2e6, 1440, 1_000_000, ARTICLE_API) is False
    assert udfs.IN_ALTERNATING_BAND(-1, 1440, ARTICLE_CAPACITY, ARTICLE_API) == (
        "#VALUE! monthly_volume must be at least 0 (got -1)"
    )


def test_ranges_broadcast_and_spill():
    row, column = [[1000, 2000]], [[500], [600], [700]]
    out = udfs.API_COST_PER_REQUEST(row, column, 0.5, 1.5)
    assert len(out) == 3 and all(len(r) == 2 for r in out)
    assert out[2][1] == pytest.approx((2000 * 0.5 + 700 * 1.5) / 1e6)
    # a 1x1 range is a single value, as Office.js passes every argument with ndim=2
    assert udfs.GPU_MONTHLY_COST([[2.0]], [[1.0]], [[720.0]]) == 1440.0
    assert udfs.API_COST_PER_REQUEST(row, [[500, 600, 700]], 0.5, 1.5) == (
        "#VALUE! ranges do not match: input_tokens is 1x2, output_tokens is 1x3"
    )


def test_a_bad_cell_errs_alone_in_a_spill():
    out = udfs.COST_PER_REQUEST(1440, ARTICLE_CAPACITY, [[0.25, 1.5, None, "#N/A"]])
    assert out[0][0] == pytest.approx(1440 / (ARTICLE_CAPACITY * 0.25))
    assert out[0][1] == "#VALUE! utilization must be between 0 and 1 (got 1.5)"
    assert out[0][2] == "#VALUE! utilization is required (the cell is blank)"
    assert out[0][3] == "#N/A utilization refers to an error (#N/A)"
    out = udfs.BREAKEVEN_VOLUME(1440, [[ARTICLE_CAPACITY, 1_000_000]], ARTICLE_API)
    assert out == [
        [pytest.approx(ARTICLE_BREAKEVEN_VOLUME), "#N/A never: the API is cheaper at every volume"]
    ]


def test_blank_optional_arguments_take_their_defaults():
    assert udfs.GPU_MONTHLY_COST(2, None, "") == 2 * 730
    assert udfs.API_COST_PER_REQUEST(1000, 500, 0.5, 1.5, None, None, None) == pytest.approx(
        ARTICLE_API
    )
    assert udfs.API_COST_PER_REQUEST(1000, 500, 0.5, 1.5, 0.5, "", "") == pytest.approx(ARTICLE_API)
    assert udfs.CHEAPER_OPTION(0.00110, ARTICLE_API, None) == "Break-even"  # 0.15 by default


def test_numeric_text_is_a_number_and_other_text_is_an_error():
    assert udfs.OPS_MONTHLY_COST(" 0.5 ", "180000") == 7500
    assert udfs.OPS_MONTHLY_COST("half", 180_000) == '#VALUE! ops_fte must be a number (got "half")'


# --- traffic shape, hybrid, fallback and owning ------------------------------------------------


def test_new_functions_equal_the_engine():
    profile = [row[0] for row in DAY]
    assert udfs.PEAK_TO_AVERAGE(DAY) == pytest.approx(3 / (56 / 24))
    assert udfs.PEAK_TO_AVERAGE(DAY) == model.peak_to_average(profile)
    # a row of weights reads like a column
    assert udfs.PEAK_TO_AVERAGE([profile]) == model.peak_to_average(profile)
    assert udfs.BILLED_HOURS(6e6, DAY, ARTICLE_CAPACITY, "scale-to-zero", 0.8, None, 0.25) == (
        model.billed_hours(6e6, profile, ARTICLE_CAPACITY, "scale-to-zero", 0.8, 24, 0.25)
    )
    costs = udfs.HYBRID_MONTHLY_COST(6e6, DAY, [[0, 1, 2, 3]], 1440, ARTICLE_CAPACITY, ARTICLE_API)
    assert costs == [model.hybrid_monthly_cost(6e6, profile, [0, 1, 2, 3], 1440,
                                               ARTICLE_CAPACITY, ARTICLE_API).tolist()]  # fmt: skip
    best = udfs.OPTIMAL_REPLICAS(6e6, DAY, 1440, ARTICLE_CAPACITY, ARTICLE_API)
    assert best == min(range(4), key=lambda n: costs[0][n])
    assert udfs.API_FALLBACK_MONTHLY_COST(14_600_000, 0.995, 0.00125) == pytest.approx(91.25)
    assert udfs.OWNED_MONTHLY_COST(30_000, 60) * 12 == pytest.approx(6_000)
    assert udfs.AMORTIZED_MONTHLY_COST(36_000, 24) == 1500
    assert udfs.PAYBACK_MONTHS(30_000, [[2_500], [-1]]) == [
        [12.0],
        ["#N/A never: the savings are not positive"],
    ]


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ([[1.0]] * 23, "#VALUE! hourly_profile must have 24 (a day) or 168 (a week) weights "
                       "(got 23)"),
        ([[0.0]] * 24, "#VALUE! hourly_profile must have a weight above 0 in some hour"),
        ([[1.0]] * 23 + [[-2.0]], "#VALUE! hourly_profile must be at least 0 (got -2)"),
        ([[1.0]] * 23 + [["busy"]], '#VALUE! hourly_profile must be a number (got "busy")'),
        ([[1.0]] * 23 + [[True]], "#VALUE! hourly_profile must be a number (got TRUE)"),
        ([[1.0]] * 23 + [["#DIV/0!"]], "#DIV/0! hourly_profile refers to an error (#DIV/0!)"),
        (None, "#VALUE! hourly_profile is required (the cell is blank)"),
    ],
)  # fmt: skip
def test_bad_profiles_name_the_profile(profile, message):
    assert udfs.PEAK_TO_AVERAGE(profile) == message
    assert udfs.OPTIMAL_REPLICAS(6e6, profile, 1440, ARTICLE_CAPACITY, ARTICLE_API) == message


def test_blank_hours_weigh_nothing_and_a_week_works():
    night = [[None]] * 8 + [[3.0]] * 16
    assert udfs.PEAK_TO_AVERAGE(night) == pytest.approx(1.5)
    week = DAY * 7
    assert udfs.PEAK_TO_AVERAGE(week) == pytest.approx(udfs.PEAK_TO_AVERAGE(DAY))


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("always-on", None), ("", None), (None, None),
     ("sometimes", "#VALUE! billing_mode must be one of always-on, active-window, "
                   "scale-to-zero (got 'sometimes')"),
     (3.0, "#VALUE! billing_mode must be text (got 3.0)"),
     ("#N/A", "#N/A billing_mode refers to an error (#N/A)"),
     ([["always-on", "scale-to-zero"]], "#VALUE! billing_mode must be a single cell in "
                                        "BILLED_HOURS")],
)  # fmt: skip
def test_billing_mode_is_one_of_three_texts(mode, expected):
    result = udfs.BILLED_HOURS(6e6, DAY, ARTICLE_CAPACITY, mode)
    assert result == (expected or 8760 / 12 * 2)


# --- bad input, every function and argument ---------------------------------------------------

BAD = {
    "blank": None,
    "empty": "",
    "text": "abc",
    "TRUE": True,
    "negative": -1.0,
    "zero": 0.0,
    "NaN": math.nan,
    "infinity": math.inf,
    "#N/A": "#N/A",
}


def _cases():
    for name, required in FUNCTIONS.items():
        params = list(inspect.signature(_udf(name)).parameters.values())
        for index, param in enumerate(params):
            if param.name in (
                *udf_adapter._TEXT_ARGUMENTS,
                "hourly_profile",
                "billing_mode",
                "ranges",
                "currency",
            ):
                continue  # names of catalogue entries: their bad inputs are in test_catalogue
            for label, value in BAD.items():
                yield pytest.param(
                    name, required, index, param, value, id=f"{name}-{param.name}-{label}"
                )


def _expected(name: str, param: inspect.Parameter, value, result) -> str | None:
    """What a bad `value` for `param` must give: an error naming the argument, or a number."""
    arg = param.name
    optional = param.default is not inspect.Parameter.empty
    if value is None or value == "":
        return None if optional else f"#VALUE! {arg} is required (the cell is blank)"
    if value is True:
        if QUANTITIES[arg].unit is BOOLEAN:  # a flag holds TRUE or FALSE
            return None
        return f"#VALUE! {arg} must be a number (got TRUE)"
    if value == "abc":
        return f'#VALUE! {arg} must be a number (got "abc")'
    if value == "#N/A":
        return f"#N/A {arg} refers to an error (#N/A)"
    if isinstance(value, float) and not math.isfinite(value):
        return f"#VALUE! {arg} must be a finite number (got {value})"
    rule = RULES.get(arg, "at least 0")
    if value == -1.0 and arg in NEGATIVE_OK:
        return None
    if value == -1.0:
        return f"#VALUE! {arg} must be {rule} (got -1)"
    if value == 0.0 and arg in ZERO_IS_BAD:
        return ZERO_IS_BAD[arg]
    return None


#: each argument's rule in words, where it is not "at least 0" (as the README states them)
RULES = {
    "cached_share": "between 0 and 1",
    "batch_discount": "in [0, 1)",
    "gpus_per_replica": "greater than 0",
    "hours_per_month": "in (0, 744]",
    "replica_throughput": "greater than 0",
    "replica_output_tokens_per_second": "greater than 0",
    "replica_capacity": "greater than 0",
    "utilization": "between 0 and 1",
    "utilizations": "between 0 and 1",
    "max_utilization": "between 0 and 1",
    "peak_to_average": "at least 1",
    "failover_replicas": "a whole number at least 0",
    "max_batch": "greater than 0",
    "life_months": "greater than 0",
    "amortization_months": "greater than 0",
    "availability": "between 0 and 1",
    "residual_share": "between 0 and 1",
    "routed_share": "between 0 and 1",
    "pue": "at least 1",
    "active_hours_per_day": "in (0, 24]",
    "replicas": "a whole number at least 0",
    "monthly_growth": "greater than -1",
    "api_price_change_per_year": "greater than -1",
    "gpu_price_change_per_year": "greater than -1",
    "annual_discount_rate": "greater than -1",
    "horizon_months": "a whole number between 1 and 60",
    "switch_month": "a whole number at least 1",
    "samples": "a whole number at least 1",
    "seed": "a whole number at least 0",
}
#: arguments that may be negative
NEGATIVE_OK = {"monthly_savings", "best_switch_npv"}
ZERO_IS_BAD = {
    "gpus_per_replica": "#VALUE! gpus_per_replica must be greater than 0 (got 0)",
    "hours_per_month": "#VALUE! hours_per_month must be in (0, 744] (got 0)",
    "replica_throughput": "#VALUE! replica_throughput must be greater than 0 (got 0)",
    "replica_output_tokens_per_second": (
        "#VALUE! replica_output_tokens_per_second must be greater than 0 (got 0)"
    ),
    "replica_capacity": "#VALUE! replica_capacity must be greater than 0 (got 0)",
    "utilization": "#VALUE! utilization must be greater than 0 (got 0)",
    "utilizations": "#VALUE! utilizations must be greater than 0 (got 0)",
    "max_utilization": "#VALUE! max_utilization must be greater than 0 (got 0)",
    "peak_to_average": "#VALUE! peak_to_average must be at least 1 (got 0)",
    "max_batch": "#VALUE! max_batch must be greater than 0 (got 0)",
    "life_months": "#VALUE! life_months must be greater than 0 (got 0)",
    "amortization_months": "#VALUE! amortization_months must be greater than 0 (got 0)",
    "availability": "#VALUE! availability must be greater than 0 (got 0)",
    "pue": "#VALUE! pue must be at least 1 (got 0)",
    "active_hours_per_day": "#VALUE! active_hours_per_day must be in (0, 24] (got 0)",
    "horizon_months": "#VALUE! horizon_months must be a whole number between 1 and 60 (got 0)",
    "switch_month": "#VALUE! switch_month must be a whole number at least 1 (got 0)",
    "samples": "#VALUE! samples must be a whole number at least 1 (got 0)",
}


@pytest.mark.parametrize(("name", "required", "index", "param", "value"), list(_cases()))
def test_bad_input_table(name, required, index, param, value):
    args = list(required) + [
        p.default for p in list(inspect.signature(_udf(name)).parameters.values())[len(required) :]
    ]
    args[index] = value
    result = _udf(name)(*args)
    if name == "BREAKEVEN_TABLE" and not isinstance(result, str):
        result = result[1][0]  # the first data row carries a bad utilization's error
    expected = _expected(name, param, value, result)
    if (name, param.name, value) == ("REQUESTS_PER_SECOND", "output_tokens", 0.0):
        expected = "#NUM! no finite result"  # zero tokens a request: no finite request rate
    if name.endswith("_ESTIMATE") and (param.name, value) == ("output_tokens", 0.0):
        expected = "#VALUE! output_tokens must be a number at least 1 (got 0)"
    if expected is None:
        assert not (isinstance(result, str) and result.startswith("#")) or result.startswith(
            "#N/A never"
        ), result
    else:
        assert result == expected


def test_recommendation_says_the_engines_sentence_word_for_word():
    """From the figures other functions give (never as BEST_SWITCH_MONTH's word, flags as
    TRUE or FALSE), the sentence every face shows."""
    scenario_set = load()
    results = scenario_set.evaluate()
    for s in scenario_set.scenarios:
        r = results.loc[s.name]
        month = "never" if math.isinf(r["best_switch_month"]) else r["best_switch_month"]
        got = udfs.RECOMMENDATION(
            month, r["best_switch_npv"], s.inputs()["horizon_months"] or 36,
            r["optimal_replicas"], r["optimal_hybrid_monthly_cost"], r["api_monthly_cost"],
            r["selfhost_total_monthly_cost"], r["probability_selfhost_cheaper"],
            bool(r["compliance_required"]), r["control_premium_annual"],
            bool(r["signals_lean_api"]), bool(r["signals_lean_self_host"]),
        )  # fmt: skip
        assert got == r["recommendation"], s.name
    # never as BEST_SWITCH_MONTH gives it, chained into RECOMMENDATION
    never = udfs.BEST_SWITCH_MONTH(1_000.0, ARTICLE_API, 1440.0, ARTICLE_CAPACITY)
    assert never.startswith("#N/A never")
    assert udfs.RECOMMENDATION(never, -1, 36, 0, 1, 1, 2, 0.0).startswith(
        "Stay on the API (switching does not pay within 36 months"
    )
    # a spill of switch months, and another currency
    spill = udfs.RECOMMENDATION([[1], [17]], 6_480, 36, 0, 1_620, 1_620, 1_440, 0.5,
                                currency="€")  # fmt: skip
    odds = "; self-hosting is cheaper today in 50% of draws"
    assert spill == [[f"Self-host now (NPV €6,480 over 36 months{odds})."],
                     ["Stay on the API for now; switch in month 17 (NPV €6,480 over 36 "
                      f"months{odds})."]]  # fmt: skip
    assert udfs.RECOMMENDATION(1, 1, 36, 0, 1, 1, 1, 0.5, currency=12).startswith(
        "#VALUE! currency must be text"
    )


def test_errors_raise_xlwings_error_under_office_js(monkeypatch):
    monkeypatch.setattr(udf_adapter, "office_js", lambda: True)
    with pytest.raises(
        xw.XlwingsError, match=r"^#VALUE! utilization must be between 0 and 1 \(got 1.5\)$"
    ):
        udfs.COST_PER_REQUEST(1440, ARTICLE_CAPACITY, 1.5)
    # in a spill the others still compute and the bad cell holds its code alone, which
    # xlwings' Office.js engine turns into an error value
    out = udfs.COST_PER_REQUEST(1440, ARTICLE_CAPACITY, [[0.25, 1.5]])
    assert out[0][0] == pytest.approx(1440 / (ARTICLE_CAPACITY * 0.25))
    assert out[0][1] == "#VALUE!"


def test_no_traceback_reaches_a_cell(monkeypatch):
    def boom(**_):
        raise ZeroDivisionError("float division by zero\nTraceback line")

    monkeypatch.setattr(model, "ops_monthly_cost", boom)
    assert udfs.OPS_MONTHLY_COST(1, 2) == "#VALUE! ZeroDivisionError: float division by zero"


# --- documentation and runtimes ----------------------------------------------------------------


@pytest.fixture(scope="module")
def classic():
    """llm_breakeven.udfs re-imported under xlwings' classic Windows decorators."""
    with macros.classic_decorators() as module:
        yield module


def test_plain_runtime_leaves_the_functions_plain():
    assert xw.func.__module__ == "xlwings"
    assert not hasattr(udfs.BREAKEVEN_VOLUME, "__xlfunc__")


def test_classic_runtime_metadata(classic):
    metas = {m["name"]: m for m in macros.functions(classic)}
    assert sorted(metas) == sorted(FUNCTIONS)
    for name, meta in metas.items():
        signature = inspect.signature(getattr(udfs, name))
        assert [a["name"] for a in meta["args"]] == list(signature.parameters)
        description = meta["ret"]["doc"]
        assert 20 <= len(description) <= 255, name
        description.encode("ascii")  # xlwings writes the VBA through a cp1252 text file
        for arg, param in zip(meta["args"], signature.parameters.values(), strict=True):
            assert not arg["doc"].startswith("Positional argument"), f"{name}.{arg['name']}"
            assert len(arg["doc"]) <= 255
            arg["doc"].encode("ascii")
            assert "(" in arg["doc"], f"{name}.{arg['name']} names no unit"
            # numbers may be ranges that spill; catalogue look-ups take single cells
            single = name in SINGLE_CELL or arg["name"] in ("billing_mode", "currency")
            assert arg["options"] == ({"err_to_str": True} if single else
                                      {"ndim": 2, "err_to_str": True})  # fmt: skip
            # from the catalogue, with a function's own default where the quantity has none
            own = param.default if isinstance(param.default, int | float | str) else None
            assert arg["doc"] in (doc(arg["name"]), doc(arg["name"], own)), "not the catalogue's"
            if param.default is not inspect.Parameter.empty:
                assert arg["optional"] == param.default
                assert "default" in arg["doc"], f"{name}.{arg['name']} hides its default"
        assert meta["category"] == "xlwings" and not meta["volatile"]
    # importing the classic module left the plain runtime as it was
    assert "pythoncom" in sys.modules


def test_classic_runtime_computes_the_article(classic):
    assert classic.BREAKEVEN_VOLUME(1440.0, ARTICLE_CAPACITY, ARTICLE_API) == pytest.approx(
        ARTICLE_BREAKEVEN_VOLUME
    )


def test_generated_vba_wraps_every_function(classic):
    xl_udfs = sys.modules["xlwings.udfs"]
    buffer = io.StringIO()
    xl_udfs.generate_vba_wrapper(
        "llm_breakeven.udfs", classic, buffer, types.SimpleNamespace(Name="x.xlsm")
    )
    vba = buffer.getvalue()
    assert vba.count("\nEnd Function") + vba.startswith("End Function") == len(FUNCTIONS)
    assert (
        "Function BREAKEVEN_VOLUME(replica_monthly_cost, replica_capacity, api_cost_per_request,"
        " Optional fixed_monthly_cost, Optional variable_cost_per_request,"
        " Optional max_utilization, Optional peak_to_average, Optional failover_replicas)" in vba
    )
    assert 'XLPy.CallUDF("llm_breakeven.udfs", "BREAKEVEN_TABLE"' in vba


def test_generation_restores_the_decorators_it_found():
    before = (xw.func, xw.arg, sys.modules.get("pythoncom"))
    macros.generate()
    assert (xw.func, xw.arg, sys.modules.get("pythoncom")) == before


@pytest.fixture(scope="module")
def office_js() -> dict[str, Any]:
    """What xlwings' Office.js code (the code xlwings Lite runs in the browser) registers and
    returns, from a fresh Python: that code asks for a licence key when xlwings is first
    imported, and "noncommercial" is the free key xlwings documents."""
    probe = Path(__file__).with_name("officejs_probe.py")
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, str(probe)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return cast(dict[str, Any], json.loads(done.stdout))


def test_every_function_registers_through_office_js(office_js: dict[str, Any]):
    registered = {f["name"]: f for f in office_js["meta"]["functions"]}
    assert set(registered) == set(FUNCTIONS)
    for name, function in registered.items():
        parameters = [p["name"] for p in function["parameters"]]
        assert parameters == list(inspect.signature(getattr(udfs, name)).parameters), name
    optional = [p.get("optional", False) for p in registered["BREAKEVEN_VOLUME"]["parameters"]]
    assert optional == [False] * 3 + [True] * 5


def test_office_js_results_are_numbers_and_real_errors(office_js: dict[str, Any]):
    assert office_js["article"] == [[1_152_000.0]]
    # a spill keeps its good cells; each bad one is an error value, not a text
    assert office_js["spilled"] == [
        [1_152_000.0],
        [{"type": "Error", "errorType": "Value"}],
        [{"type": "Error", "errorType": "NotAvailable"}],  # never: 100 a month cannot pay
    ]
    # a single cell's error keeps its message (Excel shows it on hover)
    assert office_js["single"] == "#VALUE! utilization must be between 0 and 1 (got 1.5)"
