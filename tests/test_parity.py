"""Workbook parity: LibreOffice's recalculation of the workbook equals the engine.

For the default scenarios and 25 random valid ones: every named output, every cell free of
errors, the master check OK, and the article's table on the By utilization sheet.
"""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest

from conftest import ARTICLE_ROWS
from llm_breakeven import advice, model
from llm_breakeven.quantities import (
    ADVICE_OUTPUTS,
    FIELDS,
    PROJECTION_OUTPUTS,
    QUANTITIES,
    YEAR_OUTPUTS,
)
from llm_breakeven.sampling import sample
from llm_breakeven.scenario import Scenario, ScenarioSet, evaluate, load
from llm_breakeven.workbook import write_workbook

pytestmark = pytest.mark.libreoffice

ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "Err:")


def random_scenarios(count: int, seed: int = 2026, redraw: bool = True) -> ScenarioSet:
    """`count` random valid scenarios, every input drawn from its catalogue range, two in
    three with a random hourly profile (some hours empty). Volumes are cut to what 50
    serving replicas carry at the profile's busiest hour, and a scenario whose hybrid
    break-even needs more than 100 is drawn again, so the Hybrid sheet's table (twice the
    largest peak, 40 to 200 rows) reaches every peak; a fleet beyond it fails a named check,
    tested in test_hybrid (`redraw=False` keeps them)."""
    drawn = 3 * count
    columns = sample(drawn, seed)
    rng = np.random.default_rng(seed)
    profiles = []
    for k in range(drawn):
        weights = rng.uniform(0, 4, 24) * (rng.uniform(size=24) > 0.25)
        profiles.append([*weights[:23], weights[23] + 0.5] if k % 3 else [1.0] * 24)
    # at most 50 serving replicas at the busiest hour of each profile
    peak = model.evaluate(**columns, hourly_profile=np.array(profiles))["replicas_needed"]
    peak = peak - columns["failover_replicas"]
    columns["monthly_volume"] = columns["monthly_volume"] * np.minimum(1, 50 / peak)
    scenarios: list[Scenario] = []
    for k in range(drawn):
        # numbers as floats, choices as texts
        inputs = {name: values[k].item() if isinstance(values[k], np.generic) else values[k]
                  for name, values in columns.items()}  # fmt: skip
        # NaN is a blank cell in the workbook: None for the scenario
        inputs = {n: None if isinstance(v, float) and math.isnan(v) else v
                  for n, v in inputs.items()}  # fmt: skip
        if k % 3:
            inputs["hourly_profile"] = profiles[k]
        hybrid = float(model.hybrid(**inputs)["hybrid_breakeven_volume"])
        if redraw and math.isfinite(hybrid):
            at = model.figures(("serving_replicas",), {**inputs, "monthly_volume": hybrid})
            if float(at["serving_replicas"]) > 100:
                continue
        scenarios.append(Scenario(name=f"Random {len(scenarios) + 1}", **inputs))
        if len(scenarios) == count:
            break
    return ScenarioSet(tuple(scenarios))


def _edited(source, target, name: str, value, column: int = 0, **more):
    """A copy of the workbook with inputs of one scenario column changed, as a person would
    type them: `name` = `value`, and any `more`."""
    book = openpyxl.load_workbook(source)
    for key, typed in {name: value, **more}.items():
        if f"typed_{key}" in book.defined_names:  # a looked-up input: typed in its own row
            key = f"typed_{key}"
        ((sheet, cells),) = book.defined_names[key].destinations
        book[sheet][cells.replace("$", "").split(":")[0]].offset(0, column).value = typed
    book.save(target)
    return target


#: fleets a large customer runs: 2 billion requests a month on the article's replicas (794
#: replicas with a business day's peak), and 60 billion with failover and four FTEs (34,016)
_DAY = (1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 8, 9, 9, 8, 6, 4, 3, 2, 2, 1, 1)
_ARTICLE = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                hourly_rate=2, replica_throughput=2, hours_per_month=720,
                hourly_profile=_DAY)  # fmt: skip
LARGE = ScenarioSet((
    Scenario(name="Two billion", monthly_volume=2e9, **_ARTICLE),
    Scenario(name="Sixty billion", monthly_volume=6e10, max_utilization=0.7,
             failover_replicas=2, ops_fte=4, annual_cost_per_fte=200_000, **_ARTICLE),
))  # fmt: skip


#: a person fills spare column 4 with the article fully loaded, at 14.6M requests a month:
#: between its break-even (13,941,333) and its sustained break-even (15,093,333)
FILLED = {
    "scenario_name": "Mine", "input_tokens": 1000, "output_tokens": 500, "input_price": 0.5,
    "output_price": 1.5, "hourly_rate": 2, "hours_per_month": 720, "replica_throughput": 2,
    "max_utilization": 0.7, "peak_to_average": 2, "failover_replicas": 1, "ops_fte": 0.25,
    "annual_cost_per_fte": 200_000, "other_fixed_monthly_cost": 300,
}  # fmt: skip
FILLED_VOLUME = 14_600_000
#: a person names a scenario, types its traffic and picks the rest from the Catalogue
PICKED_INPUTS = {
    "input_tokens": 3000, "output_tokens": 600, "monthly_volume": 30_000_000,
    "api_pick": "llama-3.3-70b-versatile (groq)", "gpu_pick": "H100 SXM",
    "estimate_pick": "Llama 3.3 70B on 2 x H100 SXM, bf16",
}  # fmt: skip


#: estimates picked across the six columns, at shapes from a chat turn to a long document:
#: (pick, input tokens, output tokens). The first five columns type 1 GPU per replica, which
#: wins over the pick's count (the 70B in bf16 then does not fit); the sixth takes the pick's
#: 4. A mixture of experts, fp8 on GPUs with an fp8 peak, a batch memory caps at 1 and
#: tensor parallelism.
ESTIMATE_PICKS = (
    ("Mixtral 8x7B on 1 x H100 SXM, fp8", 800, 300),
    ("Llama 3.1 8B on 1 x L40S, fp8", 12_000, 400),
    ("Llama 3.3 70B on 2 x A100 SXM 80GB, bf16", 3_500, 900),
    ("Llama 3.1 8B on 1 x A100 SXM 80GB, bf16", 150, 1_500),
    ("Llama 3.3 70B on 1 x H100 SXM, fp8", 5_000, 200),
    ("Qwen2.5 72B on 4 x H100 SXM, bf16", 1_000, 250),
)


def _picked_everywhere(source, target):
    book = openpyxl.load_workbook(source)
    for column, (pick, tokens_in, tokens_out) in enumerate(ESTIMATE_PICKS):
        for name, value in (("estimate_pick", pick), ("input_tokens", tokens_in),
                            ("output_tokens", tokens_out)):  # fmt: skip
            ((sheet, cells),) = book.defined_names[name].destinations
            book[sheet][cells.replace("$", "").split(":")[0]].offset(0, column).value = value
    book.save(target)
    return target


#: the charts, Projection and Sensitivity show the scenario picked on Inputs: the first, where
#: a test breaks its inputs
PICK_FIRST = {"summary_chart_scenario": 1}


@pytest.fixture(scope="module")
def recalculated(recalculate, tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    # the first three default scenarios leave three spare columns to fill
    three = ScenarioSet(load().scenarios[:3])
    sets = {"default": load(), "random": random_scenarios(30), "three": three,
            "large": LARGE}  # fmt: skip
    paths = [write_workbook(folder / f"{name}.xlsx", s).path for name, s in sets.items()]
    # a person doubles the GPU rate; another types a negative one (data validation bypassed)
    paths.append(_edited(paths[0], folder / "edited.xlsx", "hourly_rate", 4.0))
    paths.append(_edited(paths[0], folder / "broken.xlsx", "hourly_rate", -1.0, **PICK_FIRST))
    # and another gives the throughput twice: in requests and in tokens per second
    paths.append(
        _edited(
            paths[0], folder / "both.xlsx", "replica_output_tokens_per_second", 1e3, **PICK_FIRST
        )
    )
    # and another sets output tokens to 0 where the throughput is in tokens per second
    paths.append(_edited(paths[0], folder / "zero-output.xlsx", "output_tokens", 0, 2))
    # and another types a price per token into the per-1M field: valid, but a likely slip
    paths.append(_edited(paths[0], folder / "slipped.xlsx", "input_price", 5e-07))
    # and another lets the article's replicas scale to zero (a walk only the engine takes)
    paths.append(_edited(paths[0], folder / "scaled.xlsx", "billing_mode", "scale-to-zero"))
    # and text, a blank and an error value where numbers belong
    paths.append(
        _edited(paths[0], folder / "text.xlsx", "hourly_rate", "two dollars", **PICK_FIRST)
    )
    paths.append(_edited(paths[0], folder / "blank.xlsx", "monthly_volume", None, **PICK_FIRST))
    paths.append(_edited(paths[0], folder / "error.xlsx", "max_utilization", "=1/0", **PICK_FIRST))
    # and another fills spare column 5 by picking from the Catalogue
    paths.append(_edited(paths[2], folder / "picked.xlsx", "scenario_name", "Picked", 4,
                         **PICKED_INPUTS))  # fmt: skip
    # and another picks a model whose KV cache does not fit at its long prompts
    paths.append(_edited(paths[2], folder / "unfit.xlsx", "scenario_name", "Long", 4,
                         **{**PICKED_INPUTS, "input_tokens": 20_000}))  # fmt: skip
    # and another picks an estimate in every column, each at a request shape of its own
    paths.append(_picked_everywhere(paths[0], folder / "estimates.xlsx"))
    # and another fills spare column 4 (no rebuild)
    filled = _edited(paths[2], folder / "filling.xlsx", "monthly_volume", FILLED_VOLUME, 3,
                     **FILLED)  # fmt: skip
    # and shows it on the Summary's chart
    paths.append(_edited(filled, folder / "filled.xlsx", "summary_chart_scenario", 4))
    names = [*sets, "edited", "broken", "both", "zero-output", "slipped", "scaled", "text", "blank",
             "error", "picked", "unfit", "estimates", "filled"]  # fmt: skip
    books = recalculate(*paths)
    return {
        name: (sets.get(name), openpyxl.load_workbook(book, data_only=True))
        for name, book in zip(names, books, strict=True)
    }


def _named(book, name):
    """The values of a defined name's cells, row by row."""
    ((sheet, cells),) = book.defined_names[name].destinations
    found = book[sheet][cells.replace("$", "")]
    if isinstance(found, openpyxl.cell.Cell):
        return [[found.value]]
    return [[c.value for c in row] for row in found]


def _named_row(book, name):
    (row,) = _named(book, name)
    return row


def test_random_scenarios_cover_every_field_and_its_default():
    scenarios = random_scenarios(30).scenarios
    for name, field in FIELDS.items():
        values = {s.inputs()[name] for s in scenarios}
        assert len(values) > 1, f"{name} is never varied"
        if not field.required:
            assert field.default in values, f"{name} never takes its default"


@pytest.mark.parametrize("which", ["default", "random", "three", "large"])
def test_every_output_equals_the_engine(recalculated, which):
    scenario_set, book = recalculated[which]
    expected = evaluate(scenario_set.scenarios)
    filled = len(expected)
    never = 0
    for output in (*model.OUTPUTS, *model.HYBRID_OUTPUTS, *PROJECTION_OUTPUTS, *YEAR_OUTPUTS,
                   *ADVICE_OUTPUTS):  # fmt: skip
        got = _named_row(book, output)
        # spare columns stay blank
        assert all(v in (None, "") for v in got[filled:]), (output, got[filled:])
        for name, value in zip(expected.index, got[:filled], strict=True):
            want = expected.loc[name, output]
            if isinstance(want, str):
                assert value == want, (name, output)
            elif math.isinf(want):
                never += 1
                assert value == "never", (name, output, value)
            else:
                assert value == pytest.approx(float(want), rel=1e-12, abs=1e-12), (name, output)
    if which == "large":  # the fleets are as large as meant
        assert [round(v) for v in _named_row(book, "replicas_needed")[:2]] == [794, 34016]
    if which == "random":
        assert never > 0, "the random set should include a scenario where the API always wins"


@pytest.mark.parametrize("which", ["default", "random", "three", "large"])
def test_no_error_cells_and_master_check_ok(recalculated, which):
    _, book = recalculated[which]
    _assert_no_errors(book)
    assert _named_row(book, "master_check") == ["OK"]
    assert _named_row(book, "first_failing_check") in ([None], [""])
    start = book["Start"]
    (shown,) = [start.cell(c.row, 2).value for c in start["A"] if c.value == "Master check"]
    assert shown == "OK"


def test_article_table_in_the_recalculated_workbook(recalculated):
    _, book = recalculated["default"]
    table = _named(book, "utilization_table_1")
    assert len(table) == len(ARTICLE_ROWS)
    for got, (share, served, cost, verdict) in zip(table, ARTICLE_ROWS, strict=True):
        assert got[0] == pytest.approx(share)
        assert got[1] == pytest.approx(served)
        assert round(got[2], 6) == cost
        assert got[3] == pytest.approx(0.00125)
        assert got[4] == verdict
    assert _named_row(book, "breakeven_volume")[0] == pytest.approx(1_152_000)
    assert round(_named_row(book, "breakeven_utilization")[0], 4) == 0.2222


def _assert_no_errors(book):
    """No cell holds an error value; Chart data's #N/A marks what a chart leaves out."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if sheet.title == "Chart data" and cell.value == "#N/A":
                    continue
                assert not (isinstance(cell.value, str) and cell.value.startswith(ERRORS)), (
                    sheet.title, cell.coordinate, cell.value,
                )  # fmt: skip


def test_chart_data_is_a_staircase_with_its_markers(recalculated):
    _, book = recalculated["default"]
    # the article: break-even at 1.152M requests and $1,440; no separate sustained marker (the
    # two coincide); own volume 1.296M on the self-host bill
    markers = _named(book, "chart_markers_1")
    assert markers[0] == [pytest.approx(1.152), pytest.approx(1440)]
    assert markers[1] == ["#N/A", "#N/A"]
    assert markers[2] == [pytest.approx(1.296), pytest.approx(1440)]
    series = _named(book, "chart_series_1")
    # to twice the own volume (2,592,000) in 60 steps of 43,200 (one replica is 5,184,000),
    # two points a step; one replica throughout: a flat $1,440
    assert len(series) == 122
    assert series[0] == [0, 0, 0, pytest.approx(1440)]
    assert series[-2][0] == pytest.approx(2_592_000)
    assert series[-2][2] == pytest.approx(2_592_000 * 0.00125)
    assert {round(row[3], 6) for row in series} == {1440}

    # fully loaded: usable capacity per replica 5,184,000 x 0.7 / 2 = 1,814,400; steps of a
    # third of it (604,800): every third step a riser of one replica ($1,440)
    series = _named(book, "chart_series_2")
    volumes, bills = [row[0] for row in series], [row[3] for row in series]
    at_step = volumes.index(pytest.approx(1_814_400))
    assert volumes[at_step + 1] == pytest.approx(1_814_400 + 604.8)
    assert bills[at_step + 1] - bills[at_step] == pytest.approx(1440, rel=1e-6)
    assert bills[at_step - 1] == pytest.approx(bills[at_step], rel=1e-6)  # no riser mid-band
    markers = _named(book, "chart_markers_2")
    assert markers[0][0] == pytest.approx(13.941333, rel=1e-6)
    assert markers[1][0] == pytest.approx(15.093333, rel=1e-6)
    # the chart reaches past twice the sustained break-even, both break-evens in range
    assert volumes[-1] >= 2 * 15_093_333
    # spare columns plot nothing
    assert {v for row in _named(book, "chart_series_6") for v in row} == {"#N/A"}
    # the Summary's chart shows the scenario the scenarios file picks (3, on a rented H100)
    # until told otherwise
    assert load().summary_chart_scenario == 3
    assert _named(book, "chart_series_summary") == _named(book, "chart_series_3")
    assert _named(book, "chart_series_summary") != _named(book, "chart_series_1")


def test_the_workbook_follows_a_changed_input(recalculated):
    _, book = recalculated["edited"]
    # twice the GPU rate: twice the break-even volume (1440 × 2 / 0.00125)
    assert _named_row(book, "breakeven_volume")[0] == pytest.approx(2_304_000)
    assert _named_row(book, "cheaper_option")[0] == "API"
    # the Monte Carlo values of build time no longer belong to the first scenario: the
    # master check says so, its figures stay shown, and the others' results are current
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    assert _named_row(book, "first_failing_check") == [STALE]
    assert _named_row(book, "scenario_checks_pass")[:5] == [True] * 5
    status = _shown_beside(book, "Sensitivity", "Monte Carlo results")
    assert status[0].startswith("out of date") and status[1:5] == ["current"] * 4


#: the check that fails when the Monte Carlo values no longer belong to the inputs
STALE = "Monte Carlo results on Sensitivity still current (or not simulated)"


def test_risk_results_are_current_until_an_input_changes(recalculated):
    _, book = recalculated["default"]
    assert _shown_beside(book, "Sensitivity", "Monte Carlo results")[:6] == [
        "current", "current", "current", "current", "current", None
    ]  # fmt: skip
    _, filled = recalculated["filled"]  # a spare column filled by a person: never simulated
    assert _shown_beside(filled, "Sensitivity", "Monte Carlo results")[3] == "not simulated"
    assert _named_row(filled, "master_check") == ["OK"]


def test_the_checks_catch_a_bad_input(recalculated):
    _, book = recalculated["broken"]
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    checks = book["Checks"]
    (row,) = [c.row for c in checks["A"] if c.value == "GPU hourly rate is valid"]
    assert [checks.cell(row, k).value for k in (2, 3, 4)] == [False, True, True]
    # the printed summary tells what fails, and for which scenario
    grid = [c.row for c in checks["A"] if str(c.value).endswith(" is valid")]
    failing = [checks.cell(r, 1).value for r in range(grid[0], grid[-1] + 1)
               if checks.cell(r, 2).value in (False,)]  # fmt: skip
    assert failing[0] == "GPU hourly rate is valid"
    assert _shown_beside(book, "Checks", "Checks failing")[:6] == [len(failing), 0, 0, 0, 0, None]
    assert _shown_beside(book, "Checks", "All checks pass for the scenario")[:2] == [False, True]
    told = [c.value for c in checks["A"] if str(c.value).startswith("Article")]
    assert told == [f"Article example: {len(failing)} checks fail; the first: {failing[0]}",
                    "Article, fully loaded: every check passes"]  # fmt: skip


def test_the_checks_catch_a_throughput_given_twice(recalculated):
    _, book = recalculated["both"]
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    checks = book["Checks"]
    label = "Exactly one of Replica throughput or Replica output tokens per second is given"
    (row,) = [c.row for c in checks["A"] if c.value == label]
    assert [checks.cell(row, k).value for k in (2, 3, 4)] == [False, True, True]
    # the replica throughput is given twice, so the throughput used is no longer the one checked
    failing = _shown_beside(book, "Checks", "Checks failing")[0]
    said = next(c.value for c in checks["A"] if str(c.value).startswith("Article example:"))
    assert failing >= 1 and said.startswith(f"Article example: {failing} check")
    assert label in said or failing > 1


@pytest.mark.parametrize("which", ["text", "blank", "error"])
def test_the_master_check_fails_plainly_on_text_blanks_and_errors(recalculated, which):
    _, book = recalculated[which]
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    start = book["Start"]
    (shown,) = [start.cell(c.row, 2).value for c in start["A"] if c.value == "Master check"]
    assert shown == "CHECK FAILED"


def _shown_beside(book, sheet, label):
    """The cells right of `label` in column A of `sheet`."""
    ws = book[sheet]
    (row,) = [c.row for c in ws["A"] if c.value == label]
    return [ws.cell(row, k).value for k in range(2, 8)]


@pytest.mark.parametrize(
    ("which", "failing"),
    [
        ("broken", "GPU hourly rate is valid"),
        ("text", "GPU hourly rate is valid"),
        ("blank", "Monthly volume is valid"),
        ("error", "Max utilization is valid"),
        ("both", "Exactly one of Replica throughput or Replica output tokens per second is given"),
    ],
)
def test_a_failing_input_is_named_everywhere_and_hides_its_verdict(recalculated, which, failing):
    _, book = recalculated[which]
    assert _named_row(book, "first_failing_check") == [failing]
    for sheet in ("Summary", "Start", "Inputs"):
        shown = _shown_beside(book, sheet, "Master check")
        assert shown[:2] == ["CHECK FAILED", f"First failing: {failing}"], sheet
    # scenario 1 shows no verdict and no figures; the others still do
    results = _shown_beside(book, "Results", "Cheaper option")
    assert results[:3] == ["Inputs fail checks", "API", "API"]
    assert _shown_beside(book, "Results", "Break-even volume")[0] == "–"
    # nor does the Hybrid sheet (its break-even is still read by the Checks, from its helpers)
    hybrid = _shown_beside(book, "Hybrid", "Cost-optimal replicas in the hybrid")
    assert hybrid[0] == "–" and all(isinstance(v, int | float) for v in hybrid[1:5]), hybrid
    # nor Projection, Traffic's hourly requests or Sensitivity's risk figures (the others do)
    for sheet, label in (("Projection", "NPV of switching now"),
                         ("Sensitivity", "Probability self-hosting is cheaper"),
                         ("Sensitivity", "Break-even volume, P50")):  # fmt: skip
        shown = _shown_beside(book, sheet, label)
        assert shown[0] == "–" and all(isinstance(v, int | float) for v in shown[1:5]), label
    traffic = book["Traffic"]
    noon = [c.row for c in traffic["A"] if c.value == "12:00 to 13:00"][1]  # its requests
    assert traffic.cell(noon, 2).value == "–" and traffic.cell(noon, 3).value > 0
    # the picked scenario (the first) fails: its months, tornado and grid show no figure
    for sheet, label in (("Projection", "Month by month: best month"),
                         ("Sensitivity", "Savings as given")):  # fmt: skip
        shown = _shown_beside(book, sheet, label)
        flag = shown.index("Checks pass") + 1
        assert shown[0] == "–" and shown[flag] is False, (sheet, shown)
    projection, sensitivity = book["Projection"], book["Sensitivity"]
    (first,) = [c.row + 1 for c in projection["A"] if c.value == "Month"]
    assert [projection.cell(first, k).value for k in range(1, 7)] == [1, *["–"] * 5]
    cumulative = [c.value for row in projection[f"G{first}:H{first + 59}"] for c in row]
    assert set(cumulative) <= {"", None}, cumulative
    head = "Utilization \\ GPU hourly rate"
    (grid,) = [c.row + 1 for c in sensitivity["A"] if c.value == head]
    assert {sensitivity.cell(grid, k).value for k in range(2, 6)} == {"–"}
    summary = book["Summary"]
    (row,) = [c.row for c in summary["A"] if c.value == "Article example"]
    assert summary.cell(row, 2).value == "Inputs fail checks"
    assert summary.cell(row + 1, 1).value == "Article example: Inputs fail checks"
    assert "never" not in str(_named_row(book, "scenario_checks_pass"))
    assert _named_row(book, "scenario_checks_pass")[:3] == [False, True, True]


def test_a_filled_spare_column_is_computed_with_no_rebuild(recalculated):
    _, book = recalculated["filled"]
    assert _named_row(book, "master_check") == ["OK"]
    _assert_no_errors(book)
    mine = Scenario(name="Mine", monthly_volume=FILLED_VOLUME,
                    **{k: v for k, v in FILLED.items() if k != "scenario_name"})  # fmt: skip
    expected = mine.evaluate()
    for output in (*model.OUTPUTS, *model.HYBRID_OUTPUTS, *PROJECTION_OUTPUTS, *YEAR_OUTPUTS):
        got = _named_row(book, output)[3]
        want = expected[output]
        if isinstance(want, str):
            assert got == want, output
        elif math.isinf(want):
            assert got == "never", output
        else:
            assert got == pytest.approx(float(want), rel=1e-12, abs=1e-12), output
    # no Monte Carlo ran for it: the recommendation says all but the odds, as the engine
    # words it without them
    assert _named_row(book, "probability_selfhost_cheaper")[3] == "out of date"
    horizon = mine.inputs().get("horizon_months") or FIELDS["horizon_months"].default
    figures = {**expected, "horizon_months": horizon}
    assert _named_row(book, "recommendation")[3] == advice.recommend(figures)
    # the alternating band: at 14.6M the API is cheaper again, and the Results say so
    assert expected["in_alternating_band"] is True and expected["monthly_savings"] < 0
    assert _shown_beside(book, "Results", "Verdict alternates at this volume?")[3] == 1
    # the Summary says the recommendation, word for word: a hybrid beats both paths today
    summary = book["Summary"]
    (row,) = [c.row for c in summary["A"] if c.value == "Mine"]
    sentence = summary.cell(row + 1, 1).value
    assert sentence == "Mine: " + advice.recommend(figures)
    assert sentence == (
        "Mine: Stay on the API (switching does not pay within 36 months); cheaper today than "
        "either path: a hybrid of 8 replicas, the API taking the rest, at $17,533 a month."
    )
    # its chart has points, markers and a heading that follows its name; 5 and 6 stay blank
    assert all(isinstance(v, float | int) for row in _named(book, "chart_series_4") for v in row)
    assert _named(book, "chart_markers_4")[2][0] == pytest.approx(14.6)
    headings = [c.value for row in book["Results"].iter_rows() for c in row if c.value]
    assert "Mine: monthly cost" in headings
    assert "Scenario 5: blank (fill its column on Inputs)" in headings
    assert _named_row(book, "scenario_in_use") == [True, True, True, True, False, False]
    assert _named(book, "chart_series_summary") == _named(book, "chart_series_4")
    assert _named(book, "chart_markers_summary") == _named(book, "chart_markers_4")
    assert _named_row(book, "breakeven_volume")[4:] in ([None, None], ["", ""])


def test_the_catalogue_sheet_shows_the_catalogues(recalculated):
    """Offers marked stale by formula as the catalogue marks them; API prices and estimates
    as the library gives them on the scenarios' date."""
    import datetime as dt

    from llm_breakeven import catalogue, estimator, prices

    _, book = recalculated["default"]
    as_of = dt.date.fromisoformat(load().data_date)  # the default scenarios' data date
    offers = _named(book, "catalogue_offers")
    assert len(offers) == len(catalogue.offers())
    for row, offer in zip(offers, catalogue.offers(), strict=True):
        assert row[:5] == [offer.gpu, offer.provider, offer.offer, offer.pricing,
                           pytest.approx(offer.usd_per_gpu_hour)]  # fmt: skip
        want = "stale" if offer.stale(as_of, catalogue.STALE_DAYS) else None
        assert (row[6] or None) == want, offer
    assert sum(1 for row in offers if row[6] == "stale") > 0
    for model_name, provider, *listed in _named(book, "catalogue_api_prices"):
        expected = [prices.api_price(model_name, k, provider, as_of) for k in prices.KINDS]
        assert listed == pytest.approx(expected), model_name
    estimates = _named(book, "catalogue_estimates")
    assert len(estimates) >= 20
    for model_name, gpus, gpu, precision, tokens, _, _, key in estimates:
        assert key == f"{model_name} on {gpus} x {gpu}, {precision}"
        found = estimator.estimate(model_name, gpu, gpus, precision)
        assert tokens == round(found.tokens_per_second)
        with pytest.raises(estimator.DoesNotFit):
            if gpus > 1:
                estimator.estimate(model_name, gpu, gpus // 2, precision)
            else:
                raise estimator.DoesNotFit("one GPU is the fewest")


def test_a_spare_column_filled_by_picking_from_the_catalogue(recalculated):
    from llm_breakeven import catalogue, estimator, lookups, prices

    _, book = recalculated["picked"]
    assert _named_row(book, "master_check") == ["OK"]
    _assert_no_errors(book)
    as_of = __import__("datetime").date.fromisoformat(ScenarioSet(load().scenarios[:3]).data_date)
    # the estimate at the column's own request shape, as the engine looks it up for a
    # scenario that names the model and GPU
    names = {"model": "Llama 3.3 70B", "gpu": "H100 SXM", "precision": "bf16"}
    shape = {"input_tokens": 3000, "output_tokens": 600, "gpus_per_replica": 2}
    found, _ = lookups.resolve(names, shape, "")
    at_reference = estimator.estimate("Llama 3.3 70B", "H100 SXM", 2, "bf16", 1000, 250)
    assert found["replica_output_tokens_per_second"] < 0.8 * at_reference.tokens_per_second
    looked_up = {
        "input_price": prices.api_price("llama-3.3-70b-versatile", "input", "groq", as_of),
        "output_price": prices.api_price("llama-3.3-70b-versatile", "output", "groq", as_of),
        "hourly_rate": catalogue.gpu_price("H100 SXM"),
        "replica_output_tokens_per_second": found["replica_output_tokens_per_second"],
        "gpus_per_replica": 2,
    }
    for name, value in looked_up.items():
        assert _named_row(book, name)[4] == pytest.approx(value), name
    inputs = {k: v for k, v in PICKED_INPUTS.items() if not k.endswith("_pick")}
    expected = Scenario(name="Picked", **inputs, **looked_up).evaluate()
    for output in model.OUTPUTS:
        got, want = _named_row(book, output)[4], expected[output]
        if isinstance(want, str):
            assert got == want, output
        elif math.isinf(want):
            assert got == "never", output
        else:
            assert got == pytest.approx(float(want), rel=1e-12, abs=1e-12), output
    # and the spare column left alone stays blank, its look-ups blank text, out of the checks
    assert _named_row(book, "hourly_rate")[5] in (None, "")
    assert _named_row(book, "estimated_throughput")[5] in (None, "")


def test_every_picked_estimate_follows_its_columns_request_shape(recalculated):
    """The workbook's estimate rows against the engine's look-up, column by column."""
    from llm_breakeven import lookups

    _, book = recalculated["estimates"]
    estimated = _named_row(book, "estimated_throughput")
    gpus = _named_row(book, "gpus_per_replica")
    for k, (pick, tokens_in, tokens_out) in enumerate(ESTIMATE_PICKS):
        model_name, rest = pick.split(" on ")
        gpu, precision = rest.split(" x ")[1].split(", ")
        names = {"model": model_name, "gpu": gpu, "precision": precision}
        # at the GPUs per replica the column uses: its own where it types them, else the pick's
        shape = {"input_tokens": tokens_in, "output_tokens": tokens_out,
                 "gpus_per_replica": gpus[k]}  # fmt: skip
        try:
            found, _ = lookups.resolve(names, shape, "")
        except lookups.LookupFailed:
            assert estimated[k] == "does not fit", pick
            continue
        assert estimated[k] == pytest.approx(found["replica_output_tokens_per_second"]), pick
    assert [v == "does not fit" for v in estimated] == [False, False, True, False, False, False]
    assert gpus == [1, 1, 1, 1, 1, 4]


def test_a_picked_model_that_does_not_fit_the_request_shape_says_so(recalculated):
    from llm_breakeven import lookups

    _, book = recalculated["unfit"]
    names = {"model": "Llama 3.3 70B", "gpu": "H100 SXM", "precision": "bf16"}
    shape = {"input_tokens": 20_000, "output_tokens": 600, "gpus_per_replica": 2}
    with pytest.raises(lookups.LookupFailed, match=r"needs [\d.]+ GB of weights"):
        lookups.resolve(names, shape, "")
    assert _named_row(book, "estimated_throughput")[4] == "does not fit"
    assert _named_row(book, "replica_output_tokens_per_second")[4] == "does not fit"
    assert _named_row(book, "master_check") == ["CHECK FAILED"]


def test_no_output_tokens_beside_a_throughput_in_tokens_names_its_own_check(recalculated):
    _, book = recalculated["zero-output"]
    failing = ("Output tokens per request above 0 where Replica output tokens per second is "
               "given")  # fmt: skip
    assert _named_row(book, "first_failing_check") == [failing]
    assert _shown_beside(book, "Start", "Master check")[:2] == [
        "CHECK FAILED", f"First failing: {failing}"
    ]  # fmt: skip
    # the third scenario (tokens per second) shows no verdict; the others still do
    results = _shown_beside(book, "Results", "Cheaper option")
    assert results[2] == "Inputs fail checks" and "Inputs fail checks" not in results[:2]
    assert _named_row(book, "scenario_checks_pass")[:3] == [True, True, False]


def test_a_scenario_switched_to_scale_to_zero_in_the_workbook_shows_no_stale_breakeven(
    recalculated,
):
    from llm_breakeven.workbook.toolkit import WALKED_STALE

    _, book = recalculated["scaled"]
    failing = ("Break-evens walked hour by hour (scale-to-zero) belong to the inputs: build "
               "the workbook again after a change")  # fmt: skip
    assert _named_row(book, "first_failing_check") == [failing]
    # the walked rows say why; the scenario's figures are hidden; the others stand
    assert _named_row(book, "scaled_breakeven_volume")[:2] == [WALKED_STALE, None]
    results = _shown_beside(book, "Results", "Cheaper option")
    assert results[0] == "Inputs fail checks" and "Inputs fail checks" not in results[1:5]
    assert _shown_beside(book, "Results", "Break-even volume")[0] == "–"
    # its hybrid says what it is: priced at the own volume's billed hours
    from llm_breakeven.workbook.shape import SCALED

    assert _shown_beside(book, "Hybrid", "Scaling to zero")[:2] == [SCALED, None]


def test_a_likely_unit_slip_is_a_warning_row_not_a_failed_check(recalculated):
    from llm_breakeven.plausibility import warnings

    _, book = recalculated["slipped"]
    # no check fails for the slip (only the Monte Carlo values of the old price are stale)
    assert _named_row(book, "first_failing_check") == [STALE]
    label = "API input price looks like a price per token"
    assert _shown_beside(book, "Checks", label)[:3] == ["check the unit", None, None]
    # the same rule as the command line's, which names it for the same scenario
    article = load().scenarios[0].inputs()
    assert [w.field for w in warnings({**article, "input_price": 5e-07})] == ["input_price"]
    # the default scenarios are plausible: every warning row is empty
    _, default = recalculated["default"]
    checks = default["Checks"]
    (start,) = [c.row for c in checks["A"] if str(c.value).startswith("Warnings: likely")]
    rows = [[checks.cell(r, k).value for k in range(2, 7)] for r in range(start + 1, start + 7)]
    assert all(v in (None, "") for row in rows for v in row), rows


def test_a_fresh_workbook_shows_what_libreoffice_works_out(recalculate, tmp_path):
    """The cached values of a fresh build (what a mail preview or pandas shows) are the values
    LibreOffice computes, cell by cell, on every visible sheet; the Summary's figures among them."""
    sets = {"default": load(), "three": ScenarioSet(load().scenarios[:3]),
            "random": random_scenarios(8, seed=7)}  # fmt: skip
    fresh = [write_workbook(tmp_path / f"{name}.xlsx", s).path for name, s in sets.items()]
    for before, after in zip(fresh, recalculate(*fresh), strict=True):
        cached = openpyxl.load_workbook(before, data_only=True)
        worked_out = openpyxl.load_workbook(after, data_only=True)
        formulas = openpyxl.load_workbook(before)
        compared = 0
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    shown = cached[ws.title][cell.coordinate].value
                    if shown is None:
                        continue
                    compared += 1
                    want = worked_out[ws.title][cell.coordinate].value
                    where = (before.name, ws.title, cell.coordinate, shown, want)
                    if isinstance(shown, float) and isinstance(want, int | float):
                        assert shown == pytest.approx(want, rel=1e-9, abs=1e-9), where
                    else:
                        assert shown == ("" if want is None else want), where
        assert compared > 500, (before.name, compared)
        first = next(iter(sets[before.stem].scenarios))
        assert cached["Summary"]["A6"].value == first.name
        assert isinstance(cached["Summary"]["D6"].value, float)  # the API's annual bill


def test_the_assumptions_page_repeats_the_inputs_used(recalculated):
    """The board pack's key assumptions read what Inputs uses, a blank input blank; a changed
    input follows there too."""
    from llm_breakeven.workbook.assumptions import KEY_ASSUMPTIONS

    scenarios, book = recalculated["default"]
    for name in KEY_ASSUMPTIONS:
        label = QUANTITIES[name].label
        given = [getattr(s, name) for s in scenarios.scenarios]
        shown = _shown_beside(book, "Assumptions", label)[: len(given)]
        assert shown == [None if v is None else pytest.approx(v) for v in given], name
    assert _shown_beside(book, "Assumptions", "GPU hourly rate")[0] == 2.0
    _, edited = recalculated["edited"]
    assert _shown_beside(edited, "Assumptions", "GPU hourly rate")[0] == 4.0
    # the dates each scenario's sources span, as the Summary gives them
    oldest = _shown_beside(book, "Assumptions", "Oldest source")
    newest = _shown_beside(book, "Assumptions", "Newest source")
    assert (oldest[2], newest[2]) == ("2024-10-11", "2026-11-27")
