"""What a reviewer checks by eye, measured on the committed template: one formula per row
copied across the scenario columns, and short formulas where the hybrid is priced.

These hold for the sheets laid out by scenario column (Traffic, Calculations, Hybrid, Buy vs
rent, Checks) and for the working rows of Projection and Sensitivity, whose printed tables
show the picked scenario instead (and, on Results, the charts). The hidden Chart data sheet
restates what the visible sheets compute, for the charts.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator

from llm_breakeven.formula import HourCell
from llm_breakeven.workbook.layout import Plan, sheet_ref

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "llm-breakeven.xlsx"
BY_SCENARIO = ("Traffic", "Calculations", "Hybrid", "Buy vs rent", "Checks")
#: sheets whose printed tables show the picked scenario, and whose working rows (below the
#: print area) compute every scenario, a column each
PICKED = ("Results", "Projection", "Sensitivity")


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(TEMPLATE)


def _formula(cell) -> str | None:
    value = cell.value
    return value if isinstance(value, str) and value.startswith("=") else None


def _working_rows(ws) -> int:
    """The first row below a sheet's print area."""
    return int(re.findall(r"\d+", str(ws.print_area))[-1]) + 1


@pytest.mark.parametrize("title", BY_SCENARIO + PICKED)
def test_each_row_is_one_formula_copied_across(book, title):
    ws = book[title]
    scenario_columns = range(3, 8)  # C..G beside B
    # a table of the picked scenario (Projection's months, out of print) is no scenario row
    ((sheet, cell),) = book.defined_names["summary_chart_scenario"].destinations
    picked = f"{sheet}!{cell}"
    copied = 0
    for row in ws.iter_rows(min_row=_working_rows(ws) if title in PICKED else 5):
        first = _formula(row[1])
        if first is None or picked in first:
            continue
        for cell in (row[c - 1] for c in scenario_columns):
            formula = _formula(cell)
            if formula is None:
                continue
            expected = Translator(first, origin=row[1].coordinate).translate_formula(
                cell.coordinate
            )
            assert formula == expected, (title, cell.coordinate, formula[:200], expected[:200])
            copied += 1
    assert copied > 50, "the check found no rows to compare"


def test_formulas_are_short_enough_to_read(book):
    """None over 400 characters and 95 % within 150, on every sheet: a repeated
    sub-expression is a labelled row of its own, the checks and the what-ifs read working
    rows (was: 7,034 at the longest, 69 % within 150)."""
    lengths = {ws.title: [len(f) for row in ws.iter_rows() for c in row if (f := _formula(c))]
               for ws in book.worksheets}  # fmt: skip
    every = [n for sheet in lengths.values() for n in sheet]
    assert len(every) > 20_000
    longest = {title: max(n) for title, n in lengths.items() if n}
    assert max(longest.values()) <= 400, longest
    assert sum(n <= 150 for n in every) / len(every) >= 0.95


def test_no_visible_cell_reads_a_hidden_sheet(book):
    """Every calculation behind a visible figure is on a visible sheet; a hidden sheet holds
    only chart series (and its names only name them)."""
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    assert hidden == ["Chart data"]
    prefixes = [f"{sheet_ref(t)}!" for t in hidden] + [f"'{t}'!" for t in hidden]
    reads = [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows()
        for c in row
        if (f := _formula(c)) and any(p in f for p in prefixes)
    ]
    assert reads == []
    on_hidden = [n for n, d in book.defined_names.items() if "Chart data" in d.attr_text]
    assert on_hidden and all(n.startswith("chart_") for n in on_hidden), on_hidden


def test_the_projection_computes_a_month_step_by_step(book):
    """A month's self-host bill reads labelled rows (replicas, billed hours, the replica's
    cost) instead of writing them out: it is short and reads no hourly range."""
    ws = book["Projection"]
    first = _working_rows(ws)
    labels = {ws.cell(r, 1).value: r for r in range(first, ws.max_row + 1)}
    head = next(
        r for label, r in labels.items() if str(label).startswith("Self-host monthly bill,")
    )
    bill = ws.cell(head + 1, 2).value
    assert len(bill) < 150 and "Traffic!" not in bill, bill
    assert any(str(label).startswith("Billed hours per replica,") for label in labels)


def test_hourly_quantities_have_cells_of_their_own(book):
    """The hour-by-hour formulas read each hour's cells instead of writing the hour's
    arithmetic out again: the Hybrid's replica-hours at a count read the needs' cells, its
    starts the two rows of replica-hours above (run, and kept from the hour before)."""
    ws = book["Hybrid"]

    def first(label: str) -> tuple[int, str]:
        rows = [c.row for c in ws["A"] if str(c.value).endswith(label)]
        assert len(rows) > 50, label
        return rows[0], ws.cell(rows[0], 2).value

    run, run_formula = first("replica-hours the hybrid runs")
    kept, kept_formula = first("replica-hours kept from the hour before")
    for formula in (run_formula, kept_formula):
        assert len(set(re.findall(r"B\$\d+:B\$\d+", formula))) == 1, formula
        assert "INT(" not in formula, formula
    assert run_formula != kept_formula
    _, starts = first("hybrid replica starts")
    assert f"B{run}-B{kept}" in starts and "SUMPRODUCT" not in starts, starts


def test_sheet_names_are_quoted_only_where_excel_needs_it():
    assert sheet_ref("Inputs") == "Inputs"
    assert sheet_ref("Buy vs rent") == "'Buy vs rent'"
    # names that read as a cell, a row-column reference or a boolean keep their quotes
    for name in ("AB12", "R1C1", "C", "TRUE"):
        assert sheet_ref(name) == f"'{name}'"


def test_an_hour_cell_reads_its_hour_and_sums_all_hours():
    """A definition written for one hour reads that hour's cell, and its sums over the day
    (the profile's total) read every hour's."""
    plan = Plan(1)
    plan.hours("hourly_profile", "Traffic", 11, 34)
    cell = plan.at_hour("C", "Hybrid", 5)("hourly_profile")
    assert isinstance(cell, HourCell)
    assert cell.text == "Traffic!C16" and cell.hours.text == "Traffic!C$11:C$34"
    from llm_breakeven.formula import EXCEL

    assert EXCEL.hour_sum(cell).text == "SUMPRODUCT(Traffic!C$11:C$34)"


def test_the_charts_plot_what_results_computes(book):
    """A chart's points restate the Results working rows (#N/A where a chart leaves a point
    out): the self-host bill at each volume is computed on Results, step by step."""
    ((sheet, cells),) = book.defined_names["chart_series_1"].destinations
    first = cells.replace("$", "").split(":")[0]
    ws = book[sheet]
    row = ws[first].row
    volume, _, api, selfhost = (ws.cell(row + 1, ws[first].column + k).value for k in range(4))
    for formula in (volume, api, selfhost):
        assert "Results!" in formula and "Inputs!" not in formula and len(formula) < 120, formula
    results = book["Results"]
    labels = {str(c.value) for c in results["A"] if c.value}
    assert any(label.startswith("Billed hours per replica, at each point") for label in labels)
