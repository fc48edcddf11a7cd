"""Workbook parity: LibreOffice's recalculation of the workbook equals the engine.

For the default scenarios and 25 random valid ones: every named output, every cell free of
errors, the master check OK, and the article's table on the By utilization sheet.
"""

from __future__ import annotations

import math

import openpyxl
import pytest

from conftest import ARTICLE_ROWS
from llm_breakeven import model
from llm_breakeven.quantities import FIELDS, sample
from llm_breakeven.scenario import Scenario, ScenarioSet, evaluate, load
from llm_breakeven.workbook import write_workbook

pytestmark = pytest.mark.libreoffice

ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "Err:")


def random_scenarios(count: int, seed: int = 2026) -> ScenarioSet:
    """`count` random valid scenarios, every input drawn from its catalogue range."""
    columns = sample(count, seed)
    scenarios = []
    for k in range(count):
        inputs = {name: float(values[k]) for name, values in columns.items()}
        # NaN is a blank cell in the workbook: None for the scenario
        inputs = {n: None if math.isnan(v) else v for n, v in inputs.items()}
        scenarios.append(Scenario(name=f"Random {k + 1}", **inputs))
    return ScenarioSet(tuple(scenarios))


def _edited(source, target, name: str, value: float):
    """A copy of the workbook with one scenario-1 input changed, as a person would type it."""
    book = openpyxl.load_workbook(source)
    ((sheet, cells),) = book.defined_names[name].destinations
    book[sheet][cells.replace("$", "").split(":")[0]].value = value
    book.save(target)
    return target


@pytest.fixture(scope="module")
def recalculated(recalculate, tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    sets = {"default": load(), "random": random_scenarios(30)}
    paths = [write_workbook(folder / f"{name}.xlsx", s).path for name, s in sets.items()]
    # a person doubles the GPU rate; another types a negative one (data validation bypassed)
    paths.append(_edited(paths[0], folder / "edited.xlsx", "hourly_rate", 4.0))
    paths.append(_edited(paths[0], folder / "broken.xlsx", "hourly_rate", -1.0))
    # and another gives the throughput twice: in requests and in tokens per second
    paths.append(_edited(paths[0], folder / "both.xlsx", "replica_output_tokens_per_second", 1e3))
    # and text, a blank and an error value where numbers belong
    paths.append(_edited(paths[0], folder / "text.xlsx", "hourly_rate", "two dollars"))
    paths.append(_edited(paths[0], folder / "blank.xlsx", "monthly_volume", None))
    paths.append(_edited(paths[0], folder / "error.xlsx", "max_utilization", "=1/0"))
    names = [*sets, "edited", "broken", "both", "text", "blank", "error"]
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


@pytest.mark.parametrize("which", ["default", "random"])
def test_every_output_equals_the_engine(recalculated, which):
    scenario_set, book = recalculated[which]
    expected = evaluate(scenario_set.scenarios)
    never = 0
    for output in model.OUTPUTS:
        got = _named_row(book, output)
        for name, value in zip(expected.index, got, strict=True):
            want = expected.loc[name, output]
            if isinstance(want, str):
                assert value == want, (name, output)
            elif math.isinf(want):
                never += 1
                assert value == "never", (name, output, value)
            else:
                assert value == pytest.approx(want, rel=1e-12, abs=1e-12), (name, output)
    if which == "random":
        assert never > 0, "the random set should include a scenario where the API always wins"


@pytest.mark.parametrize("which", ["default", "random"])
def test_no_error_cells_and_master_check_ok(recalculated, which):
    _, book = recalculated[which]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith(ERRORS)), (
                    sheet.title, cell.coordinate, cell.value,
                )  # fmt: skip
    assert _named_row(book, "master_check") == ["OK"]
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


def test_chart_data_meets_at_the_breakeven(recalculated):
    _, book = recalculated["default"]
    ((volume, cost),) = _named(book, "chart_breakeven_1")
    assert volume == pytest.approx(1_152_000) and cost == pytest.approx(1440)
    series = _named(book, "chart_series_1")
    # at zero volume the API costs nothing and one replica $1,440; the chart runs to twice
    # the break-even (1,152,000 < own volume 1,296,000: to 2,592,000) in 40 steps
    assert series[0] == [0, 0, pytest.approx(1440)]
    assert series[-1][0] == pytest.approx(2 * 1_296_000)
    assert series[-1][1] == pytest.approx(2 * 1_296_000 * 0.00125)
    assert series[-1][2] == pytest.approx(1440)  # one replica holds 5,184,000 a month


def test_the_workbook_follows_a_changed_input(recalculated):
    _, book = recalculated["edited"]
    # twice the GPU rate: twice the break-even volume (1440 × 2 / 0.00125)
    assert _named_row(book, "breakeven_volume")[0] == pytest.approx(2_304_000)
    assert _named_row(book, "cheaper_option")[0] == "API"
    assert _named_row(book, "master_check") == ["OK"]


def test_the_checks_catch_a_bad_input(recalculated):
    _, book = recalculated["broken"]
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    checks = book["Checks"]
    (row,) = [c.row for c in checks["A"] if c.value == "GPU hourly rate is valid"]
    assert [checks.cell(row, k).value for k in (2, 3, 4)] == [False, True, True]


def test_the_checks_catch_a_throughput_given_twice(recalculated):
    _, book = recalculated["both"]
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    checks = book["Checks"]
    label = "Exactly one of Replica throughput or Replica output tokens per second is given"
    (row,) = [c.row for c in checks["A"] if c.value == label]
    assert [checks.cell(row, k).value for k in (2, 3, 4)] == [False, True, True]


@pytest.mark.parametrize("which", ["text", "blank", "error"])
def test_the_master_check_fails_plainly_on_text_blanks_and_errors(recalculated, which):
    _, book = recalculated[which]
    assert _named_row(book, "master_check") == ["CHECK FAILED"]
    start = book["Start"]
    (shown,) = [start.cell(c.row, 2).value for c in start["A"] if c.value == "Master check"]
    assert shown == "CHECK FAILED"
