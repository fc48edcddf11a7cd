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
from . import styles, toolkit
from .layout import Plan, SheetPlan, absolute
from .results import scenario_title

#: By utilization: its five columns
TABLE_WIDTHS = (36, 24, 24, 20, 14)


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
    toolkit.title_rows(sheet, "Cost by utilization (one replica)", subtitle, len(TABLE_WIDTHS),
           sum(TABLE_WIDTHS))  # fmt: skip
    sheet.finally_(_table_widths)
    labels = [QUANTITIES[c].label for c in TABLE_COLUMNS]
    for k, column in enumerate(plan.columns[: plan.filled], 1):
        _plan_scenario_table(sheet, plan, k, column, labels, n_utilizations)
    _plan_published(sheet)
    if plan.spare:
        toolkit.working_rows(sheet, plan, "Below, out of print: the spare scenario columns' "
                             "tables. Each prints once the workbook is built with it.",
                             get_column_letter(len(TABLE_WIDTHS)))  # fmt: skip
    for k, column in enumerate(plan.columns[plan.filled :], plan.filled + 1):
        _plan_scenario_table(sheet, plan, k, column, labels, n_utilizations)


def _plan_scenario_table(
    sheet: SheetPlan, plan: Plan, k: int, column: str, labels: list[str], n_utilizations: int
) -> None:
    """Scenario `k`'s table: its name, the heading, a row a utilization, its break-even."""
    sheet.add()
    block = sheet.next_row
    name = scenario_title(plan.quantities(column, toolkit.TABLE), k, "")
    sheet.add(_formula_cell(1, name, styles.SECTION_FONT))
    sheet.add(toolkit.heading_row(labels))
    first = sheet.next_row
    for u in range(1, n_utilizations + 1):
        sheet.add(_table_row(plan, column, u))
    plan.names[f"utilization_table_{k}"] = absolute(
        toolkit.TABLE, f"A{first}:{get_column_letter(len(labels))}{sheet.next_row - 1}"
    )
    last = sheet.add(_table_breakeven(plan, column))
    sheet.block(block, last)


def _plan_published(sheet: SheetPlan) -> None:
    """The article's own table, as published, to compare with the first scenario's."""
    sheet.add()
    block = sheet.next_row
    toolkit.section_row(sheet, "As published in the article (rounded)")
    published = published_table()
    sheet.add(toolkit.heading_row(["Utilization", "Requests/month", "GPU cost/request",
                                            "API cost/request", "Cheaper"]))  # fmt: skip
    for entry in published:
        sheet.add(_published_row(entry))
    source = published[0]["source"]
    last = sheet.add(toolkit.source_row(source, None, len(TABLE_WIDTHS)),
                     toolkit.text_height([source], sum(TABLE_WIDTHS)))  # fmt: skip
    sheet.block(block, last)


def _formula_cell(column: int, formula: Expr, font: Any) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, column, "=" + formula.text)
        cell.font = font

    return render


def _table_row(plan: Plan, column: str, k: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        share = Expr.ref(absolute(*plan.singles[f"utilization_{k}"]))
        cells = [Expr.ref(f"{get_column_letter(i)}{row}") for i in range(1, 6)]
        in_use = plan.quantities(column, toolkit.TABLE).scenario_in_use
        # each column after the first reads the ones before it on the same row
        for index, name in enumerate(TABLE_COLUMNS):
            bound = dict(zip(TABLE_COLUMNS[:index], cells[:index], strict=True))
            bound["utilization"] = share
            q = plan.quantities(column, toolkit.TABLE, TABLE_DEFINITIONS, **bound)
            value = share if name == "utilization" else getattr(q, name)
            cell = ws.cell(row, index + 1, "=" + call("IF", in_use, value, "").text)
            cell.number_format = QUANTITIES[name].unit.number_format

    return render


def _table_breakeven(plan: Plan, column: str) -> Callable[..., None]:
    q = QUANTITIES["one_replica_breakeven_utilization"]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        quantities = plan.quantities(column, toolkit.TABLE)
        value = call("IF", quantities.scenario_in_use, quantities.one_replica_breakeven_utilization,
                     "")  # fmt: skip
        cell = ws.cell(row, 3, "=" + value.text)
        cell.number_format = q.unit.number_format

    return render


def _published_row(entry: dict[str, str]) -> Callable[..., None]:
    keys = ("utilization", "requests_per_month", "gpu_cost_per_request",
            "api_cost_per_request", "cheaper")  # fmt: skip

    def render(ws: Worksheet, row: int) -> None:
        for index, key in enumerate(keys, 1):
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
    for k, width in enumerate(TABLE_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(k)].width = width
