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
from llm_breakeven import model
from llm_breakeven.scenario import Scenario, ScenarioSet, evaluate, load
from llm_breakeven.workbook import write_workbook

pytestmark = pytest.mark.libreoffice

ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "Err:")


def random_scenarios(count: int, seed: int = 2026) -> ScenarioSet:
    rng = np.random.default_rng(seed)
    scenarios = []
    for k in range(count):
        scenarios.append(
            Scenario(
                name=f"Random {k + 1}",
                input_tokens=float(rng.integers(50, 8000)),
                output_tokens=float(rng.integers(10, 2000)),
                input_price=round(float(rng.uniform(0.02, 5)), 3),
                output_price=round(float(rng.uniform(0.05, 15)), 3),
                cached_share=round(float(rng.uniform(0, 0.9)), 2) if k % 2 else 0.0,
                cached_price=round(float(rng.uniform(0.01, 0.5)), 3) if k % 3 else None,
                batch_discount=0.5 if k % 5 == 0 else 0.0,
                hourly_rate=round(float(rng.uniform(0.4, 12)), 2),
                gpus_per_replica=float(rng.integers(1, 9)),
                hours_per_month=float(rng.choice([720, 730, 744])),
                replica_throughput=round(float(rng.uniform(0.2, 40)), 2),
                monthly_volume=float(rng.integers(10_000, 500_000_000)),
                max_utilization=round(float(rng.uniform(0.3, 1)), 2),
                peak_to_average=round(float(rng.uniform(1, 5)), 2),
                failover_replicas=float(rng.integers(0, 3)),
                ops_fte=round(float(rng.uniform(0, 2)), 2),
                annual_cost_per_fte=float(rng.integers(0, 300_000)),
                other_fixed_monthly_cost=round(float(rng.uniform(0, 3000)), 2),
                variable_cost_per_request=round(float(rng.uniform(0, 2e-4)), 7) if k % 4 else 0.0,
                tolerance=round(float(rng.uniform(0, 0.3)), 2),
            )
        )
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
    sets = {"default": load(), "random": random_scenarios(25)}
    paths = [write_workbook(folder / f"{name}.xlsx", s).path for name, s in sets.items()]
    # a person doubles the GPU rate; another types a negative one (data validation bypassed)
    paths.append(_edited(paths[0], folder / "edited.xlsx", "hourly_rate", 4.0))
    paths.append(_edited(paths[0], folder / "broken.xlsx", "hourly_rate", -1.0))
    books = recalculate(*paths)
    names = [*sets, "edited", "broken"]
    return {
        name: (sets.get(name), openpyxl.load_workbook(book, data_only=True))
        for name, book in zip(names, books, strict=True)
    }


def _named_row(book, name):
    ((sheet, cells),) = book.defined_names[name].destinations
    found = book[sheet][cells.replace("$", "")]
    return [found.value] if isinstance(found, openpyxl.cell.Cell) else [c.value for c in found[0]]


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
    sheet = book["By utilization"]
    assert sheet["A4"].value == "Article example"
    for offset, (share, served, cost, verdict) in enumerate(ARTICLE_ROWS):
        row = 6 + offset
        assert sheet[f"A{row}"].value == pytest.approx(share)
        assert sheet[f"B{row}"].value == pytest.approx(served)
        assert round(sheet[f"C{row}"].value, 6) == cost
        assert sheet[f"D{row}"].value == pytest.approx(0.00125)
        assert sheet[f"E{row}"].value == verdict
    assert _named_row(book, "breakeven_volume")[0] == pytest.approx(1_152_000)
    assert round(_named_row(book, "breakeven_utilization")[0], 4) == 0.2222


def test_chart_data_meets_at_the_breakeven(recalculated):
    _, book = recalculated["default"]
    sheet = book["Chart data"]
    volume, cost = sheet["B5"].value, sheet["C5"].value
    assert volume == pytest.approx(1_152_000) and cost == pytest.approx(1440)
    # the self-host line is flat at $1,440 until one replica is full
    assert sheet["D7"].value == pytest.approx(1440) and sheet["C7"].value == 0


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
