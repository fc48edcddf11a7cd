"""The Calculations sheet: one native formula per derived quantity, its definition beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from ..formula import Expr, Symbolic, call
from ..model import DEFINITIONS
from ..quantities import (
    DERIVED,
    QUANTITIES,
    TEXT,
    Quantity,
    sections,
)
from . import styles, toolkit
from .layout import Plan, SheetPlan

IN_USE_NOTE = "A column computes once its scenario has a name"


#: quantities no formula can compute (the walk along a bill that scales to zero, `crossing`):
#: the engine's values at build, by the engine output that holds them
WALKED = {"scaled_breakeven_volume": "breakeven_volume",
          "scaled_sustained_breakeven_volume": "sustained_breakeven_volume"}  # fmt: skip


def plan_calculations(sheet: SheetPlan, plan: Plan, results: Any) -> None:
    toolkit.title_rows(
        sheet,
        "Calculations",
        "Native formulas, one quantity per row. Do not type over them.",
        *toolkit.grid_size(plan),
    )
    head = toolkit.scenario_table_head(
        sheet, plan, "Quantity", "Formula", widths=toolkit.GRID_WIDTHS
    )
    names = sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    sheet.title_rows = (head, names)
    in_use = sheet.add(_in_use_row(plan), toolkit.note_height(plan, [IN_USE_NOTE]))
    plan.home("scenario_in_use", toolkit.CALCULATIONS, in_use)
    for section, quantities in sections(DERIVED):
        sheet.add()
        toolkit.section_row(sheet, section)
        for q in quantities:
            if q.name in WALKED:
                values = [float(v) for v in results[WALKED[q.name]]]
                row = toolkit.walked_rows(
                    sheet, plan, q, values, toolkit.note_height(plan, [toolkit.WALKED_NOTE])
                )
            else:
                readable = Symbolic(DEFINITIONS, Expr.ref).define(q.name).text
                row = _plan_calculation(sheet, plan, q, readable)
            plan.home(q.name, toolkit.CALCULATIONS, row)


def _plan_calculation(sheet: SheetPlan, plan: Plan, q: Quantity, readable: str) -> int:
    """A quantity's row, its formula in words beside it or, past two lines, across the row
    below (from the first scenario column to the note's)."""
    beside = toolkit.note_height(plan, [readable])
    label = toolkit.text_height([q.label], toolkit.GRID_WIDTHS[0])
    if beside <= toolkit.TWO_LINES:
        return sheet.add(_calculation_row(plan, q, readable), max(beside, label))
    row = sheet.add(_calculation_row(plan, q, ""), label)
    sheet.keep_with_next()
    columns, chars = toolkit.grid_size(plan)
    below = toolkit.text_height([readable], chars - toolkit.GRID_WIDTHS[0])
    sheet.add(_formula_below(readable, columns), below)
    return row


def _formula_below(readable: str, last: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = toolkit.across(ws, row, last, readable, first=2)
        cell.data_type = "s"  # text, even where it starts with "="
        styles.look(cell, font=styles.NOTE_FONT)

    return render


def _in_use_row(plan: Plan) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Scenario in use?")
        for column in plan.columns:
            name = plan.quantities(column, toolkit.CALCULATIONS).scenario_name
            cell = plan.at(ws, column, row)
            cell.value = "=" + call("NOT", call("ISBLANK", name)).text
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
        toolkit.unit_and_note(ws, plan, row, "TRUE / FALSE", IN_USE_NOTE)

    return render


def _calculation_row(plan: Plan, q: Quantity, readable: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.WRAP)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            quantities = plan.quantities(column, toolkit.CALCULATIONS)
            formula = call("IF", quantities.scenario_in_use, quantities.define(q.name), "")
            cell.value = "=" + formula.text
            cell.number_format = q.unit.number_format
            styles.look(cell, font=styles.FORMULA_FONT)
            # words wrap in their column ("No downtime given" was cut)
            styles.look(cell, alignment=styles.WRAP if q.unit is TEXT else styles.TOP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, readable)

    return render
