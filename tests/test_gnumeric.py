"""A second spreadsheet engine: Gnumeric recalculates the template (ssconvert --recalc) to the
engine's named values, as LibreOffice does (test_parity), with no error value on a visible
sheet. The formulas use only what both compute alike: inside SUMPRODUCT, arithmetic,
comparisons and LARGE act on a range hour by hour in both, where Gnumeric applies no other
function (MAX, ABS, INT, LEN) to a range.

Known limit, tested as such: a fleet that scales to zero rounds and takes absolute values
hour by hour inside SUMPRODUCT, which Gnumeric does not do; its figures need Excel or
LibreOffice.
"""

from __future__ import annotations

import dataclasses
import math

import openpyxl
import pytest

from llm_breakeven import model
from llm_breakeven.quantities import PROJECTION_OUTPUTS
from llm_breakeven.scenario import ScenarioSet, load
from llm_breakeven.workbook import write_workbook
from test_parity import ERRORS, random_scenarios

pytestmark = [
    pytest.mark.gnumeric,
    pytest.mark.filterwarnings("ignore:Workbook contains no default style"),
]

NAMED = (*model.OUTPUTS, *model.HYBRID_OUTPUTS, *PROJECTION_OUTPUTS)


def _not_scaling(count: int, seed: int) -> ScenarioSet:
    found = random_scenarios(count, seed=seed)
    kept = [s for s in found.scenarios if s.billing_mode != "scale-to-zero"]
    return dataclasses.replace(found, scenarios=tuple(kept[:5]))


@pytest.fixture(scope="module")
def books(recalculate_gnumeric, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gnumeric-books")
    sets = {"default": load(), "random": _not_scaling(12, seed=7),
            "scaling": random_scenarios(12, seed=7)}  # fmt: skip
    paths = [write_workbook(folder / f"{name}.xlsx", s).path for name, s in sets.items()]
    done = recalculate_gnumeric(*paths)
    return {name: (sets[name], openpyxl.load_workbook(path, data_only=True))
            for name, path in zip(sets, done, strict=True)}  # fmt: skip


def _row(book, name):
    ((sheet, cells),) = book.defined_names[name].destinations
    found = book[sheet][cells.replace("$", "")]
    return [found.value] if isinstance(found, openpyxl.cell.Cell) else [c.value for c in found[0]]


def _agrees(got, want) -> bool:
    want = want.item() if hasattr(want, "item") else want
    if isinstance(want, bool | str):
        return got == want
    if math.isinf(want):
        return got == "never"
    return isinstance(got, int | float) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


def _disagreements(scenario_set, book):
    results = scenario_set.evaluate()
    found = []
    for name in NAMED:
        shown = _row(book, name)
        for k, want in enumerate(results[name]):
            if not _agrees(shown[k], want):
                found.append((name, k, shown[k], want))
    return found


@pytest.mark.parametrize("which", ["default", "random"])
def test_gnumeric_recalculates_every_named_output_to_the_engines(books, which):
    scenario_set, book = books[which]
    assert len(scenario_set.scenarios) == 5
    assert _disagreements(scenario_set, book) == []
    assert _row(book, "master_check") == ["OK"]


@pytest.mark.parametrize("which", ["default", "random"])
def test_gnumeric_shows_no_error_value(books, which):
    _, book = books[which]
    errors = [
        (ws.title, c.coordinate, c.value)
        for ws in book.worksheets
        if ws.title != "Chart data"  # #N/A there marks what a chart leaves out
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(ERRORS)
    ]
    assert errors == []


def test_a_fleet_scaling_to_zero_is_the_known_limit(books):
    """The scaling scenario's figures differ (Gnumeric shows #VALUE!); every other scenario
    of the same workbook is the engine's."""
    scenario_set, book = books["scaling"]
    scaling = {k for k, s in enumerate(scenario_set.scenarios) if s.billing_mode == "scale-to-zero"}
    assert scaling
    wrong = {k for _, k, _, _ in _disagreements(scenario_set, book)}
    assert wrong and wrong <= scaling
