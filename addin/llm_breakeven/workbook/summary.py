"""The Summary and Start sheets: each scenario's verdict at a glance, in figures and in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..formula import Expr, call, concat
from ..quantities import DEFAULT_TOLERANCE, QUANTITIES
from . import currency, styles, toolkit
from .layout import Plan, SheetPlan, absolute, sheet_ref
from .results import ChartRows, chart_at, group_left
from .table import legend_row

#: Start: label, each scenario
START_WIDTHS = (34, 13)
#: the Summary's columns, one row per scenario
SUMMARY_COLUMNS = (
    "cheaper_option",
    "monthly_volume",
    "api_annual_cost",
    "selfhost_annual_cost",
    "annual_savings",
    "breakeven_volume",
    "sustained_breakeven_volume",
)
#: the Start sheet's results at a glance
GLANCE_ROWS = (
    "cheaper_option",
    "breakeven_volume",
    "sustained_breakeven_volume",
    "best_switch_month",
)


def plan_summary(sheet: SheetPlan, plan: Plan, rows: ChartRows, dated: str) -> None:
    toolkit.title_rows(sheet, "Summary: pay an API per token, or self-host?",
           f"llm-breakeven {__version__}, {dated}. Year-1 figures are "
           "months 1 to 12 of the projection: the scenario's growth and price paths.",
           len(SUMMARY_WIDTHS),
           sum(SUMMARY_WIDTHS))  # fmt: skip
    sheet.add(toolkit.master_row(plan, "Master check"))
    sheet.add()
    labels = ["Scenario", *(QUANTITIES[n].label for n in SUMMARY_COLUMNS)]
    head = sheet.add(toolkit.heading_row(labels, wrap=True), 3 * styles.SIZE * 1.4)
    top = sheet.next_row
    for column in plan.columns:
        # a long name wraps in its cell, the row as tall as it (a name is not cut)
        k = plan.columns.index(column)
        name = plan.scenario_names[k] if k < len(plan.scenario_names) else ""
        sheet.add(_summary_figures(plan, column), toolkit.text_height([name], SUMMARY_WIDTHS[0]))
        sheet.add(_summary_sentence(plan, column), SENTENCE_HEIGHT)
    note = (f"Cheaper option: Break-even where the two costs per request lie within the "
            f"scenario's tolerance (Inputs; {DEFAULT_TOLERANCE:.0%} by default) of the API's. "
            "The recommendation under each scenario weighs the whole horizon, the odds, the "
            "hybrid and the signals (Signals).")  # fmt: skip
    sheet.add(toolkit.source_row(note, None, len(SUMMARY_WIDTHS)),
              toolkit.text_height([note], sum(SUMMARY_WIDTHS)))  # fmt: skip
    last = sheet.next_row - 1

    def widths(ws: Worksheet) -> None:
        for k, width in enumerate(SUMMARY_WIDTHS, 1):
            ws.column_dimensions[get_column_letter(k)].width = width

    sheet.finally_(widths)
    chart_column = get_column_letter(len(SUMMARY_WIDTHS) + 1)
    group = group_left(plan.scenario_count)

    def heading(ws: Worksheet) -> None:
        cell = ws[f"{chart_column}{head}"]
        styles.look(cell, alignment=styles.TOP)
        pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))
        names = [plan.quantities(c, toolkit.SUMMARY).scenario_name for c in plan.columns]
        name = call("IFERROR", concat(call("CHOOSE", pick, *names), ""), "")
        cell.value = "=" + concat("Chart: scenario ", pick, " (set on Inputs): ", name).text
        styles.look(cell, font=styles.SECTION_FONT)

    sheet.finally_(heading)
    name = f"{sheet_ref(toolkit.CHART_DATA)}!${get_column_letter(group)}${rows.name}"
    title = toolkit.chart_title(name, plan.picked_name)
    sheet.finally_(chart_at(rows, group, f"{chart_column}{top}", 8.4, 8.6, title,
                            currency.axis(plan, "Monthly cost")))  # fmt: skip
    sheet.block(1, last)


#: Summary column widths: scenario, verdict, then figures
SUMMARY_WIDTHS = (20, 11, 11, 11, 11, 11, 11, 11)
#: a verdict sentence wraps to three lines across the Summary's table
SENTENCE_HEIGHT = 3 * styles.SIZE * 1.4


def _summary_figures(plan: Plan, column: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        q = plan.quantities(column, toolkit.SUMMARY)
        cell = ws.cell(row, 1, "=" + concat(q.scenario_name, "").text)
        styles.look(cell, font=styles.HEADER_FONT, alignment=styles.WRAP)
        for offset, name in enumerate(SUMMARY_COLUMNS, 2):
            cell = ws.cell(row, offset, "=" + toolkit.shown_output(q, name).text)
            cell.number_format = QUANTITIES[name].unit.number_format
        toolkit.option_colours(ws, ws.cell(row, 2).coordinate)

    return render


def _summary_sentence(plan: Plan, column: str) -> Callable[..., None]:
    """A scenario's recommendation, as Signals words it."""

    def render(ws: Worksheet, row: int) -> None:
        q = plan.quantities(column, toolkit.SUMMARY)
        k = plan.columns.index(column)
        ends = plan.source_dates[k] if k < len(plan.source_dates) else None
        # as built: a column filled in the workbook names no sources' dates
        dated = f" Sources dated {ends[0]} to {ends[1]}." if ends else ""
        said = concat(q.scenario_name, ": ", q.recommendation,
                      call("IF", q.scenario_checks_pass, dated, "") if dated else "")  # fmt: skip
        text = call("IF", q.scenario_in_use, said, "")
        cell = toolkit.across(ws, row, len(SUMMARY_WIDTHS), "=" + text.text)
        styles.look(cell, font=styles.PLAIN_FONT)

    return render


def plan_start(sheet: SheetPlan, plan: Plan, dated: str) -> None:
    first, each = START_WIDTHS
    # the spare columns are folded away: the text wraps in the filled ones
    span, chars = 1 + len(plan.columns), first + each * plan.filled

    def text(value: str, font: Any = None, height: float | None = None) -> None:
        def render(ws: Worksheet, row: int) -> None:
            cell = ws.cell(row, 1)
            toolkit.set_text(cell, value)
            cell.font, cell.alignment = font or styles.PLAIN_FONT, styles.WRAP
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)

        sheet.add(render, height or toolkit.text_height([value], chars))

    sheet.finally_(lambda ws: toolkit.set_widths(ws, plan, *START_WIDTHS, None))
    text("llm-breakeven: pay an API per token, or self-host an open-weight model?",
         styles.TITLE_FONT, 24)  # fmt: skip
    text(f"Version {__version__}; scenario {dated} (see Inputs, Sources).",
         styles.NOTE_FONT)  # fmt: skip
    sheet.add()
    text("What it answers", styles.SECTION_FONT)
    text("At what monthly volume does renting GPUs and serving a model yourself cost less than"
         " an API's per-token price, once idle time, headroom, peaks, failover and ops staff"
         " are counted?")  # fmt: skip
    text("How to use it", styles.SECTION_FONT)
    text("1. On Inputs, change the blue cells: one scenario per column, one assumption per row;"
         " fill a blank column to add a scenario.")  # fmt: skip
    text("2. Read Summary and Results: the verdict at your volume, both break-evens, charts.")
    text(
        "3. On Traffic, give each scenario's day shape hour by hour; Hybrid finds how many"
        " replicas to self-host and what to send to the API; Buy vs rent prices owning."
    )
    text(
        "4. Over time and under uncertainty: Projection finds the month in which switching"
        " is worth most, Sensitivity which assumption matters and the odds, Waterfall where"
        " the cost of a request comes from, Signals the reasons that are not cost."
    )
    text("5. By utilization compares each scenario with the article's cost-by-utilization table.")
    text("6. Checks must all be TRUE; the master check below says OK when they are.")
    text("No macros or add-ins are needed: every figure is a native formula. In Microsoft 365,"
         " Functions lists the engine's functions, which you may call in any cell.")  # fmt: skip
    sheet.add()
    text("Colour legend", styles.SECTION_FONT)
    for label, font, fill in (
        ("Input: change it", styles.INPUT_FONT, styles.INPUT_FILL),
        ("Formula: leave it", styles.FORMULA_FONT, None),
        ("Constant: not an input", styles.FORMULA_FONT, styles.CONSTANT_FILL),
        ("Check: must be TRUE", styles.FORMULA_FONT, styles.CHECK_FILL),
    ):
        sheet.add(legend_row(label, font, fill))
    sheet.add()
    sheet.add(toolkit.master_row(plan, "Master check"))
    sheet.add()
    text("At a glance", styles.SECTION_FONT)
    sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    for name in GLANCE_ROWS:
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], toolkit.START, unit=False))
