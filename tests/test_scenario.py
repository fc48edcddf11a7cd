"""Typed scenarios: loading, validation messages and evaluation."""

from __future__ import annotations

import math

import pytest

from conftest import ARTICLE_BREAKEVEN_VOLUME
from llm_breakeven import model
from llm_breakeven.quantities import ADVICE_OUTPUTS, PROJECTION_OUTPUTS, YEAR_OUTPUTS
from llm_breakeven.scenario import (
    ECHOED,
    FIELDS,
    Scenario,
    ScenarioError,
    dumps,
    evaluate,
    load,
    loads,
)

BASE = """
[[scenario]]
name = "A"
input_tokens = 1000
output_tokens = 500
input_price = 0.5
output_price = 1.5
hourly_rate = 2
replica_throughput = 2
monthly_volume = 1296000
hours_per_month = 720
"""


def test_default_scenarios_load_in_file_order():
    scenario_set = load()
    names = [s.name for s in scenario_set.scenarios]
    assert names[:2] == ["Article example", "Article, fully loaded"]
    assert scenario_set.utilizations == (0.05, 0.25, 0.60, 0.90)
    article = scenario_set.scenarios[0]
    # the article's example exactly: 720 hours and no hidden costs
    assert (article.hours_per_month, article.ops_fte, article.failover_replicas) == (720, 0, 0)
    assert (article.max_utilization, article.peak_to_average) == (1, 1)


def test_default_results_show_how_far_hidden_costs_move_breakeven():
    results = load().evaluate()
    assert results.loc["Article example", "breakeven_volume"] == pytest.approx(
        ARTICLE_BREAKEVEN_VOLUME
    )
    loaded = results.loc["Article, fully loaded", "breakeven_volume"]
    assert loaded == pytest.approx(13_941_333.33, rel=1e-9)  # see test_engine's hand calculation
    assert list(results.columns) == [*model.OUTPUTS, *model.HYBRID_OUTPUTS,
                                     *PROJECTION_OUTPUTS, *YEAR_OUTPUTS, *ECHOED,
                                     *ADVICE_OUTPUTS]  # fmt: skip
    assert results.loc["Article example", "cheaper_option"] == "Break-even"
    assert results.loc["Article, fully loaded", "cheaper_option"] == "API"
    # utilization of the 9 billed replicas at the break-even, not one replica's 113 %
    assert round(results.loc["Article, fully loaded", "breakeven_utilization"], 3) == 0.299
    assert results.loc["Article, fully loaded", "one_replica_breakeven_utilization"] > 1


def test_every_default_figure_from_outside_has_a_source():
    for scenario in load().scenarios:
        throughput = (
            "replica_throughput"
            if scenario.replica_throughput is not None
            else "replica_output_tokens_per_second"
        )
        for name in ("input_price", "output_price", "hourly_rate", throughput):
            assert name in scenario.sources, f"{scenario.name}: {name} has no source"


def test_throughput_in_tokens_per_second_equals_the_same_in_requests_per_second():
    tokens = loads(
        BASE.replace("replica_throughput = 2", "replica_output_tokens_per_second = 1000")
    )
    # 1,000 output tokens per second at 500 output tokens per request: 2 requests per second
    assert tokens.evaluate().iloc[0].to_dict() == loads(BASE).evaluate().iloc[0].to_dict()
    llama = load().scenarios[2]
    assert llama.replica_throughput is None and llama.replica_output_tokens_per_second == 15220


@pytest.mark.parametrize(
    ("change", "got"),
    [("", "neither"), ("replica_throughput = 2\n", "both")],
)
def test_exactly_one_throughput(change, got):
    text = BASE.replace("replica_throughput = 2\n", change)
    if got == "both":
        text += "replica_output_tokens_per_second = 1000\n"
    with pytest.raises(ScenarioError) as info:
        loads(text)
    assert str(info.value) == (
        "scenario 'A': give exactly one of replica_throughput or "
        f"replica_output_tokens_per_second (got {got})"
    )


def test_scenario_evaluate_and_table_match_the_article():
    s = loads(BASE).scenarios[0]
    assert s.evaluate()["breakeven_volume"] == pytest.approx(ARTICLE_BREAKEVEN_VOLUME)
    table = s.table([0.05, 0.25])
    assert table["cheaper_option"].tolist() == ["API", "Break-even"]
    assert table["volume_served"].tolist() == [259_200, 1_296_000]


def test_cached_price_blank_means_input_price():
    s = loads(BASE + "cached_share = 0.5\n").scenarios[0]
    assert s.cached_price is None
    assert s.evaluate()["api_cost_per_request"] == pytest.approx(0.00125)
    frame = evaluate([s])
    assert frame.loc["A", "api_cost_per_request"] == pytest.approx(0.00125)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("hourly_rate = -2\n", "scenario 'A': hourly_rate must be at least 0 (got -2)"),
        (
            "max_utilization = 1.5\n",
            "scenario 'A': max_utilization must be between 0 and 1 (got 1.5)",
        ),
        ("max_utilization = 0\n", "scenario 'A': max_utilization must be greater than 0 (got 0)"),
        (
            "failover_replicas = 1.5\n",
            "failover_replicas must be a whole number at least 0 (got 1.5)",
        ),
        ("peak_to_average = 0.5\n", "peak_to_average must be at least 1 (got 0.5)"),
        ('gpus_per_replica = "two"\n', "gpus_per_replica must be a number (got 'two')"),
        ("tolerance = true\n", "tolerance must be a number (got True)"),
        ("ops_fte = nan\n", "ops_fte must be a finite number (got nan)"),
        ("hourly_rat = 2\n", "unknown field 'hourly_rat' (did you mean 'hourly_rate'?)"),
        ("[scenario.sources]\nhourly = 'x'\n", "sources names an unknown field 'hourly'"),
    ],
)
def test_bad_fields_name_the_field_and_value(extra, message):
    text = (
        BASE.replace("hourly_rate = 2\n", "") + extra
        if extra.startswith("hourly_rate")
        else BASE + extra
    )
    with pytest.raises(ScenarioError) as info:
        loads(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[scenario]]\nname = 'A'\n", "scenario 'A': input_tokens is required"),
        ("", "there must be at least one [[scenario]]"),
        (BASE + BASE, "scenario names must be unique ('A' appears twice)"),
        ("[[scenario]\n", "not valid TOML"),
        (
            BASE + "[table]\nutilizations = [0.5, 1.2]\n",
            "utilizations must be between 0 and 1 (got 1.2)",
        ),
        ("title = 'x'\n" + BASE, "unknown top-level key 'title'"),
        (
            BASE.replace("monthly_volume = 1296000", "monthly_volume = 0"),
            "monthly_volume must be greater than 0",
        ),
    ],
)
def test_bad_files_give_one_line_errors(text, message):
    with pytest.raises(ScenarioError, match=None) as info:
        loads(text)
    assert message in str(info.value)


def test_load_names_the_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(BASE.replace("hourly_rate = 2", "hourly_rate = -1"), encoding="utf-8")
    with pytest.raises(
        ScenarioError, match=r"^mine.toml: scenario 'A': hourly_rate must be at least 0"
    ):
        load(path)
    with pytest.raises(ScenarioError, match="no such scenarios file"):
        load(tmp_path / "missing.toml")


def test_every_field_is_an_input_of_evaluate_with_its_default():
    results = model.evaluate(input_tokens=1000, output_tokens=500, input_price=0.5,
                             output_price=1.5, hourly_rate=2, replica_throughput=2,
                             monthly_volume=1_296_000)  # fmt: skip
    assert float(results["replica_monthly_cost"]) == 2 * 730  # hours_per_month defaults to 730
    with pytest.raises(TypeError, match="unknown scenario input 'gpus'"):
        model.evaluate(gpus=1)
    assert all(
        math.isfinite(getattr(load().scenarios[0], f))
        for f, q in FIELDS.items()
        if q.default is not None and not q.choices
    )
    assert load().scenarios[0].billing_mode == "always-on"


def test_scenario_rejects_an_empty_name():
    with pytest.raises(ScenarioError, match="name must be non-empty"):
        Scenario(name=" ", input_tokens=1, output_tokens=1, input_price=1, output_price=1,
                 hourly_rate=1, replica_throughput=1, monthly_volume=1)  # fmt: skip


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('hourly_profile = [1, 2, 3]', "hourly_profile must have 24 (a day) or 168 (a week) "
                                       "weights (got 3)"),
        ('hourly_profile = "busy"', "hourly_profile must be a list of weights (got 'busy')"),
        ("hourly_profile = [" + "0, " * 23 + "0]", "hourly_profile must have a weight above 0"),
        ("hourly_profile = [" + "1, " * 23 + "-1]", "hourly_profile weights must be finite and "
                                                    "at least 0 (got -1)"),
        ('billing_mode = "nights"', "billing_mode must be one of always-on, active-window, "
                                    "scale-to-zero (got 'nights')"),
        ("billing_mode = 2", "billing_mode must be one of always-on, active-window, "
                             "scale-to-zero (got 2)"),
        ('ownership = "lease"', "ownership must be one of rent, buy (got 'lease')"),
        ("availability = 0", "availability must be greater than 0 (got 0)"),
        ("pue = 0.9", "pue must be at least 1 (got 0.9)"),
        ("active_hours_per_day = 25", "active_hours_per_day must be in (0, 24] (got 25)"),
    ],
)  # fmt: skip
def test_new_inputs_are_validated_in_a_scenarios_file(line, message):
    text = (
        '[[scenario]]\nname = "A"\ninput_tokens = 1000\noutput_tokens = 500\n'
        "input_price = 0.5\noutput_price = 1.5\nhourly_rate = 2\nreplica_throughput = 2\n"
        f"monthly_volume = 1000000\n{line}\n"
    )
    with pytest.raises(ScenarioError) as info:
        loads(text)
    assert str(info.value).startswith("scenario 'A': " + message), str(info.value)


def test_a_profile_and_choices_round_trip_through_a_scenarios_file():
    week = [1.0] * 120 + [0.25] * 48
    text = (
        '[[scenario]]\nname = "A"\ninput_tokens = 1000\noutput_tokens = 500\n'
        "input_price = 0.5\noutput_price = 1.5\nhourly_rate = 2\nreplica_throughput = 2\n"
        f'monthly_volume = 1000000\nbilling_mode = "scale-to-zero"\nhourly_profile = {week}\n'
    )
    scenarios = loads(text)
    (a,) = scenarios.scenarios
    assert a.billing_mode == "scale-to-zero" and a.hourly_profile == tuple(week)
    assert loads(dumps(scenarios)) == scenarios
    # a week holds a workbook's day only when it is one: build refuses it with one line
    from llm_breakeven.workbook import build

    with pytest.raises(ScenarioError, match="the workbook holds 24-hour profiles"):
        build(scenarios)
