"""The By utilization sheet: the article's table for one replica beside the published one."""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import Expr, call
from ..model import TABLE_DEFINITIONS
from ..quantities import (
    QUANTITIES,
    TABLE_COLUMNS,
)
from . import layout, styles, textfit, toolkit
from .layout import Plan, SheetPlan, absolute
from .results import scenario_title

#: By utilization: the five columns of a table, two tables side by side with a gap between
TABLE_WIDTHS = (11, 16, 16, 14, 12)
GAP = 3
#: the first column of each of the two tables side by side (from 0)
SIDES = (0, len(TABLE_WIDTHS) + 1)
SPAN = 2 * len(TABLE_WIDTHS) + 1


def published_table() -> list[dict[str, str]]:
    """The article's by-utilization table as published (rounded), with its source."""
    text = (files("llm_breakeven") / "data" / "article_table.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def plan_table(sheet: SheetPlan, plan: Plan, n_utilizations: int) -> None:
    subtitle = (
        "The article's table for each scenario: ONE replica carrying the minimum self-host "
        "bill, at utilizations up to 100 %, whatever the scenario's max utilization, peak or "
        "failover. The scenario's own figures are on Results."
    )
    toolkit.title_rows(sheet, "Cost by utilization (one replica)", subtitle, SPAN,
                       2 * sum(TABLE_WIDTHS) + GAP)  # fmt: skip
    sheet.finally_(_table_widths)
    labels = [QUANTITIES[c].label for c in TABLE_COLUMNS]
    heading = max(toolkit.text_height([label], width, textfit.BOLD)
                  for label, width in zip(labels, TABLE_WIDTHS, strict=True))  # fmt: skip
    pairs = _pairs(list(enumerate(plan.columns[: plan.filled], 1)))
    for pair in pairs:
        # the article's own table takes the place a last, odd scenario leaves beside it
        beside = _published(SIDES[1]) if len(pair) == 1 else None
        _plan_scenario_tables(sheet, plan, pair, labels, heading, n_utilizations, beside)
    if not pairs or len(pairs[-1]) == 2:
        sheet.add()
        block = sheet.next_row
        for render in _published(0):
            sheet.add(render)
        sheet.block(block, sheet.next_row - 1)
    if plan.spare:
        toolkit.working_rows(sheet, plan, "Below, out of print: the spare scenario columns' "
                             "tables. Each prints once the workbook is built with it.",
                             get_column_letter(SPAN))  # fmt: skip
    for pair in _pairs(list(enumerate(plan.columns[plan.filled :], plan.filled + 1))):
        _plan_scenario_tables(sheet, plan, pair, labels, heading, n_utilizations)


Render = Callable[[Worksheet, int], None]
Scenario = tuple[int, str]  # its number and its column


def _pairs(scenarios: list[Scenario]) -> list[list[Scenario]]:
    return [scenarios[k : k + 2] for k in range(0, len(scenarios), 2)]


def _side_by_side(renders: list[Render]) -> Render:
    def render(ws: Worksheet, row: int) -> None:
        for each in renders:
            each(ws, row)

    return render


def _plan_scenario_tables(
    sheet: SheetPlan, plan: Plan, pair: list[Scenario], labels: list[str], heading: float,
    n_utilizations: int, beside: list[Render] | None = None,
) -> None:  # fmt: skip
    """Two scenarios' tables side by side (`pair`, one or two): each its name, the heading,
    a row a utilization, its break-even; `beside`, rows to the right of a single table."""
    sides = list(zip(SIDES, pair, strict=False))
    rows: list[tuple[list[Render], float]] = [
        ([_formula_cell(left + 1, scenario_title(plan.quantities(column, toolkit.TABLE), k, ""),
                        styles.SECTION_FONT) for left, (k, column) in sides], layout.ROW_HEIGHT),
        ([toolkit.header_cells(list(enumerate(labels, left + 1)), wrap=True)
          for left, _ in sides], heading),
        *(([_table_row(plan, column, u, left) for left, (_, column) in sides], layout.ROW_HEIGHT)
          for u in range(1, n_utilizations + 1)),
        ([_table_breakeven(plan, column, left) for left, (_, column) in sides],
         layout.ROW_HEIGHT),
    ]  # fmt: skip
    sheet.add()
    block = sheet.next_row
    beside = beside or []
    for k in range(max(len(rows), len(beside))):
        renders, height = rows[k] if k < len(rows) else ([], layout.ROW_HEIGHT)
        sheet.add(_side_by_side([*renders, *beside[k : k + 1]]), height)
    # the utilization rows: after the name and the heading, before the break-even
    first, last = block + 2, block + len(rows) - 2
    for left, (k, _) in sides:
        cells = f"{get_column_letter(left + 1)}{first}:{get_column_letter(left + len(labels))}"
        plan.names[f"utilization_table_{k}"] = absolute(toolkit.TABLE, f"{cells}{last}")
    sheet.block(block, sheet.next_row - 1)


def _published(left: int) -> list[Render]:
    """The article's own table, as published, to compare with the first scenario's: a row
    each, from column `left` (from 0) on."""
    published = published_table()
    source = published[0]["source"]

    def title(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, left + 1, "As published in the article (rounded)"),
                    font=styles.SECTION_FONT)  # fmt: skip

    def cite(ws: Worksheet, row: int) -> None:
        # runs on over the empty cells beside it
        styles.look(ws.cell(row, left + 1, source), font=styles.NOTE_FONT)

    head = toolkit.header_cells(list(enumerate(PUBLISHED_HEADINGS, left + 1)), wrap=True)
    return [title, head, *(_published_row(entry, left) for entry in published), cite]


PUBLISHED_HEADINGS = ["Utilization", "Requests/month", "GPU cost/request", "API cost/request",
                      "Cheaper"]  # fmt: skip


def _formula_cell(column: int, formula: Expr, font: Any) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, column, "=" + formula.text)
        cell.font = font

    return render


def _table_row(plan: Plan, column: str, k: int, left: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        share = Expr.ref(absolute(*plan.singles[f"utilization_{k}"]))
        cells = [Expr.ref(f"{get_column_letter(left + i)}{row}") for i in range(1, 6)]
        in_use = plan.quantities(column, toolkit.TABLE).scenario_in_use
        # each column after the first reads the ones before it on the same row
        for index, name in enumerate(TABLE_COLUMNS):
            bound = dict(zip(TABLE_COLUMNS[:index], cells[:index], strict=True))
            bound["utilization"] = share
            q = plan.quantities(column, toolkit.TABLE, TABLE_DEFINITIONS, **bound)
            value = share if name == "utilization" else getattr(q, name)
            cell = ws.cell(row, left + index + 1, "=" + call("IF", in_use, value, "").text)
            cell.number_format = QUANTITIES[name].unit.number_format

    return render


def _table_breakeven(plan: Plan, column: str, left: int) -> Callable[..., None]:
    q = QUANTITIES["one_replica_breakeven_utilization"]

    def render(ws: Worksheet, row: int) -> None:
        # the label runs on over the empty cells beside it, the figure under API cost
        ws.cell(row, left + 1, q.label)
        quantities = plan.quantities(column, toolkit.TABLE)
        value = call("IF", quantities.scenario_in_use, quantities.one_replica_breakeven_utilization,
                     "")  # fmt: skip
        cell = ws.cell(row, left + 4, "=" + value.text)
        cell.number_format = q.unit.number_format

    return render


def _published_row(entry: dict[str, str], left: int) -> Render:
    keys = ("utilization", "requests_per_month", "gpu_cost_per_request",
            "api_cost_per_request", "cheaper")  # fmt: skip

    def render(ws: Worksheet, row: int) -> None:
        for index, key in enumerate(keys, left + 1):
            if key == "utilization":
                cell = ws.cell(row, index, float(entry[key]))
                cell.number_format = QUANTITIES["utilization"].unit.number_format
            else:
                toolkit.set_text(ws.cell(row, index), entry[key])

    return render


def legend_row(label: str, font: Any, fill: Any) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, label)
        cell.font = font
        if fill is not None:
            cell.fill = fill
        cell.border = styles.BOX

    return render


def _table_widths(ws: Worksheet) -> None:
    for k, width in enumerate((*TABLE_WIDTHS, GAP, *TABLE_WIDTHS), 1):
        ws.column_dimensions[get_column_letter(k)].width = width
