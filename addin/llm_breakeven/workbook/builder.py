"""The template workbook: inputs, native-formula calculations, results, charts and checks.

Scenarios sit side by side, one column each, on every scenario sheet, in the order of the
scenarios file. Every calculation row is a definition of `llm_breakeven.model` rendered as
a native formula over the cells of the quantities it reads; labels, units, number formats
and data validation come from the catalogue of quantities. The builder first plans every
sheet (`layout`), then renders it, so no cell coordinate is written by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from importlib.resources import files
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import EXCEL, TRUE, Expr, Symbolic, call, literal
from ..model import DEFINITIONS, TABLE_DEFINITIONS
from ..quantities import (
    CONSTANTS,
    DERIVED,
    FIELDS,
    INPUTS,
    ONE_OF,
    OPTIONS,
    QUANTITIES,
    TABLE_COLUMNS,
    Quantity,
    Unit,
    sections,
)
from ..scenario import ScenarioSet
from . import styles
from .layout import Plan, SheetPlan, absolute

START, INPUTS_SHEET, CALCULATIONS, RESULTS, TABLE, CHART_DATA, CHECKS = (
    "Start",
    "Inputs",
    "Calculations",
    "Results",
    "By utilization",
    "Chart data",
    "Checks",
)
SHEETS = (START, INPUTS_SHEET, CALCULATIONS, RESULTS, TABLE, CHART_DATA, CHECKS)

_NUMBER = Unit("number", "number", "General")
CHART_POINTS = 40
_POINTS = Unit("points", "points", "#,##0")
#: constants only the workbook uses: (quantity, value)
WORKBOOK_CONSTANTS = (
    (Quantity("check_tolerance", "Check tolerance", _NUMBER,
              "Relative tolerance of the Checks sheet"), 1e-9),
    (Quantity("chart_points", "Chart points", _POINTS,
              "Volumes plotted per chart, after zero"), CHART_POINTS),
    (Quantity("chart_span", "Chart span", _NUMBER,
              "Charts run to this multiple of the larger of break-even and own volume"), 2),
)  # fmt: skip
CHART_POINTS = 40

#: headline rows of the Results sheet, by quantity
RESULT_ROWS = (
    "monthly_volume",
    "cheaper_option",
    "api_cost_per_request",
    "selfhost_cost_per_request",
    "api_monthly_cost",
    "selfhost_total_monthly_cost",
    "monthly_savings",
    "replicas_needed",
    "utilization",
    "peak_requests_per_second",
    "breakeven_volume",
    "sustained_breakeven_volume",
    "breakeven_utilization",
    "minimum_monthly_cost",
)
#: the Start sheet's results at a glance
GLANCE_ROWS = ("cheaper_option", "breakeven_volume")

_API, _EVEN, _SELF = (literal(option) for option in OPTIONS)
_OK, _FAILED = literal("OK"), literal("CHECK FAILED")
#: COUNTIF's criterion for a cell holding TRUE
TRUE_CELL = Expr("TRUE")


def published_table() -> list[dict[str, str]]:
    """The article's by-utilization table as published (rounded), with its source."""
    text = (files("llm_breakeven") / "data" / "article_table.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def build(scenario_set: ScenarioSet) -> Workbook:
    """The template workbook for `scenario_set`, with native formulas only."""
    plan = Plan(len(scenario_set.scenarios))
    sheets = {title: SheetPlan(title) for title in SHEETS}
    # plan in dependency order: inputs and calculations give every quantity its home
    _plan_inputs(sheets[INPUTS_SHEET], plan, scenario_set)
    _plan_calculations(sheets[CALCULATIONS], plan)
    _plan_checks(sheets[CHECKS], plan, len(scenario_set.utilizations))
    titles = [f"{s.name}: monthly cost against volume" for s in scenario_set.scenarios]
    _plan_results(sheets[RESULTS], plan, sheets[CHART_DATA], titles)
    _plan_table(sheets[TABLE], plan, len(scenario_set.utilizations))
    _plan_start(sheets[START], plan)

    book = Workbook()
    book.remove(book.active)
    for title in SHEETS:  # every sheet exists before any is rendered: charts read others
        book.create_sheet(title)
    for title in SHEETS:
        ws = book[title]
        sheets[title].render(ws)
        ws.protection.sheet = True  # formulas locked, input cells unlocked
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    for name, reference in plan.names.items():
        book.defined_names[name] = DefinedName(name, attr_text=reference)
    book.calculation.fullCalcOnLoad = True
    return book


# --- sheets --------------------------------------------------------------------------------


def _plan_inputs(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
    scenarios = scenario_set.scenarios
    _title(sheet, "Inputs", "Blue cells on a pale fill are inputs: change them. One per row.")
    _scenario_table_head(sheet, plan, "Assumption", "Note", note_width=70)

    for key, label, texts in (
        ("scenario_name", "Scenario", [s.name for s in scenarios]),
        ("description", "Description", [s.description for s in scenarios]),
    ):
        row = sheet.add(_text_inputs(plan, label, texts, tall=key == "description"))
        plan.home(key, INPUTS_SHEET, row)

    for section, quantities in sections(INPUTS):
        sheet.add()
        _section(sheet, section)
        for q in quantities:
            values = [getattr(s, q.name) for s in scenarios]
            row = sheet.add(_input_row(plan, q, values))
            plan.home(q.name, INPUTS_SHEET, row)

    sheet.add()
    _section(sheet, "By-utilization table")
    first = sheet.next_row
    utilization = QUANTITIES["utilizations"]
    for k, share in enumerate(scenario_set.utilizations, 1):
        row = sheet.add(_single_input(plan, f"Utilization {k}", utilization, share))
        plan.single(f"utilization_{k}", INPUTS_SHEET, f"{plan.columns[0]}{row}")
    column = plan.columns[0]
    plan.names["utilizations"] = absolute(INPUTS_SHEET, f"{column}{first}:{column}{row}")

    sheet.add()
    _section(sheet, "Constants (not inputs)")
    constants = [(q, float(q.default)) for q in CONSTANTS]  # type: ignore[arg-type]
    for q, value in [*constants, *WORKBOOK_CONSTANTS]:
        row = sheet.add(_constant_row(plan, q, value))
        plan.single(q.name, INPUTS_SHEET, f"{plan.columns[0]}{row}")

    sheet.add()
    _section(sheet, "Sources (figure: where it came from, and when)")
    for scenario in scenarios:
        for name, source in scenario.sources.items():
            sheet.add(_source_row(f"{scenario.name}: {FIELDS[name].label}", source))


def _plan_calculations(sheet: SheetPlan, plan: Plan) -> None:
    _title(sheet, "Calculations", "Native formulas, one quantity per row. Do not type over them.")
    _scenario_table_head(sheet, plan, "Quantity", "Formula", note_width=90)
    sheet.add(_names_row(plan))
    for section, quantities in sections(DERIVED):
        sheet.add()
        _section(sheet, section)
        for q in quantities:
            row = sheet.add(_calculation_row(plan, q))
            plan.home(q.name, CALCULATIONS, row)


def _plan_checks(sheet: SheetPlan, plan: Plan, n_utilizations: int) -> None:
    _title(sheet, "Checks", "Every cell below must be TRUE. The master check sums them up.")

    def master_check(ws: Worksheet, row: int) -> None:
        # `first` and `last` are the check rows, planned below before any row is rendered
        checks = f"{plan.columns[0]}{first}:{plan.columns[-1]}{last}"
        top_left = f"{plan.columns[0]}{first}"
        ws.cell(row, 1, "Master check").font = styles.HEADER_FONT
        cell = ws[f"{plan.columns[0]}{row}"]
        # OK only when every check cell holds TRUE: COUNTIF skips error values, which AND
        # would pass on, so text or an error in an input reads CHECK FAILED, not #VALUE!
        passed = call("COUNTIF", Expr(checks), TRUE_CELL)
        every = Expr(f"{passed.text}={call('COUNTA', Expr(checks)).text}")
        cell.value = "=" + call("IF", every, _OK, _FAILED).text
        cell.font = styles.HEADER_FONT
        _verdict_colours(ws, cell.coordinate, good=_OK, bad=_FAILED)
        # blank cells equal FALSE too: only a real FALSE is a failed check
        ws.conditional_formatting.add(
            checks,
            FormulaRule(
                formula=[f"AND(ISLOGICAL({top_left}),NOT({top_left}))"],
                fill=styles.FAILED_CHECK_FILL,
            ),
        )

    master = sheet.add(master_check)
    plan.single("master_check", CHECKS, f"{plan.columns[0]}{master}")
    sheet.add()
    _header(sheet, ["Check", *_scenario_headings(plan)])
    sheet.finally_(lambda ws: _widths(ws, plan, label=58))
    sheet.add(_names_row(plan))

    first = sheet.next_row
    for q in INPUTS:
        sheet.add(_check_row(plan, f"{q.label} is valid", _valid(q)))
    for names in ONE_OF:
        label = f"Exactly one of {' or '.join(QUANTITIES[n].label for n in names)} is given"
        sheet.add(_check_row(plan, label, _exactly_one(names)))
    for label, check in _consistency_checks():
        sheet.add(_check_row(plan, label, check))
    share = QUANTITIES["utilizations"].bound
    rules = [
        share.excel_condition(absolute(*plan.singles[f"utilization_{k}"]))
        for k in range(1, n_utilizations + 1)
    ]
    every_rule = Expr("AND(" + ",".join(rules) + ")")
    label = "Table utilizations are valid"
    last = sheet.add(_check_row(plan, label, lambda q: every_rule, first_column_only=True))


def _valid(q: Quantity) -> Callable[[Symbolic], Expr]:
    """A scenario input's validity, as a check formula over its cell."""
    rule = q.scenario_bound or q.bound

    def check(quantities: Symbolic) -> Expr:
        ref = getattr(quantities, q.name).text
        condition = Expr(rule.excel_condition(ref))
        return call("OR", call("ISBLANK", Expr(ref)), condition) if q.default is None else condition

    return check


def _exactly_one(names: tuple[str, ...]) -> Callable[[Symbolic], Expr]:
    def check(q: Symbolic) -> Expr:
        blanks = [call("ISBLANK", getattr(q, name)) for name in names]
        total = blanks[0]
        for blank in blanks[1:]:
            total = total + blank
        return Expr(f"{total.text}={len(names) - 1}")

    return check


def _consistency_checks() -> list[tuple[str, Callable[[Symbolic], Expr]]]:
    """Checks that the workbook's results agree with what they mean."""

    def breakeven_bills_meet(q: Symbolic) -> Expr:
        at = q.rebind(monthly_volume=q.breakeven_volume)
        gap = EXCEL.abs(at.selfhost_total_monthly_cost - at.api_monthly_cost)
        return EXCEL.where(
            q.breakeven_reachable, gap <= q.check_tolerance * at.api_monthly_cost, TRUE
        )

    def breakeven_utilization_prices_as_api(q: Symbolic) -> Expr:
        share = q.one_replica_breakeven_utilization
        at = q.rebind(TABLE_DEFINITIONS, utilization=share)
        gap = EXCEL.abs(at.selfhost_cost_per_request - q.api_cost_per_request)
        close = gap <= q.check_tolerance * q.api_cost_per_request
        positive = EXCEL.where(share > 0, close, TRUE)
        return EXCEL.where(call("ISNUMBER", share), positive, TRUE)

    def replicas_cover_the_peak(q: Symbolic) -> Expr:
        load = q.monthly_volume * q.peak_to_average / (q.replica_capacity * q.max_utilization)
        return load <= q.replicas_needed - q.failover_replicas + q.replica_tolerance

    def bills_add_up(q: Symbolic) -> Expr:
        gap = EXCEL.abs(q.api_monthly_cost - q.selfhost_total_monthly_cost - q.monthly_savings)
        larger = EXCEL.maximum(q.api_monthly_cost, q.selfhost_total_monthly_cost)
        return gap <= q.check_tolerance * larger

    return [
        ("Break-even volume: self-host bill equals the API bill", breakeven_bills_meet),
        ("Break-even utilization (one replica): cost per request equals the API's",
         breakeven_utilization_prices_as_api),
        ("Replicas needed cover the peak within max utilization", replicas_cover_the_peak),
        ("Bills add up: API bill - self-host bill = savings", bills_add_up),
    ]  # fmt: skip


def _plan_results(sheet: SheetPlan, plan: Plan, data: SheetPlan, titles: list[str]) -> None:
    _title(sheet, "Results", "Headline figures per scenario; monthly cost against volume below.")
    sheet.add()
    _header(sheet, ["Result", *_scenario_headings(plan), "Unit"])
    sheet.finally_(lambda ws: _widths(ws, plan))
    sheet.add(_names_row(plan))
    for name in RESULT_ROWS:
        sheet.add(_output_row(plan, QUANTITIES[name], RESULTS))
    sheet.add(_master_row(plan, "Master check (see Checks)"))
    sheet.add()
    charts = sheet.next_row
    _plan_chart_data(data, plan, sheet, charts, titles)


def _plan_chart_data(
    sheet: SheetPlan, plan: Plan, results: SheetPlan, anchor: int, titles: list[str]
) -> None:
    _title(sheet, "Chart data", "Monthly cost of each option across volumes, for the charts.")
    name_row = sheet.add()
    marker_label = sheet.add()
    marker = sheet.add()
    span_row = sheet.add()
    heading = sheet.add()
    first = sheet.next_row
    for step in range(CHART_POINTS + 1):
        sheet.add(_step_cell(step))
    last = first + CHART_POINTS

    for k, column in enumerate(plan.columns):
        left = 2 + 4 * k
        vol, api, own = (get_column_letter(left + i) for i in range(3))

        def group(
            ws: Worksheet,
            column: str = column,
            left: int = left,
            letters: tuple[str, str, str] = (vol, api, own),
        ) -> None:
            vol, api, own = letters
            q = plan.quantities(column, CHART_DATA)
            ws.cell(name_row, left, "=" + q.scenario_name.text).font = styles.SECTION_FONT
            ws.cell(marker_label, left, "Break-even volume")
            ws.cell(marker_label, left + 1, "Monthly cost there")
            never = literal("")
            be = EXCEL.where(q.breakeven_reachable, q.breakeven_volume, never)
            bill = EXCEL.where(
                q.breakeven_reachable, q.breakeven_volume * q.api_cost_per_request, never
            )
            ws.cell(marker, left, "=" + be.text)
            ws.cell(marker, left + 1, "=" + bill.text)
            ws.cell(span_row, left, "Largest volume")
            upto = EXCEL.maximum(EXCEL.where(q.breakeven_reachable, q.breakeven_volume, 0),
                                 q.monthly_volume)  # fmt: skip
            ws.cell(span_row, left + 1, "=" + (q.chart_span * upto).text)
            largest = Expr(f"${get_column_letter(left + 1)}${span_row}")
            for offset, label in enumerate(("Volume", "API", "Self-host")):
                cell = ws.cell(heading, left + offset, label)
                cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
            for r in range(first, last + 1):
                volume = Expr(f"{vol}{r}")
                at = plan.quantities(column, CHART_DATA, monthly_volume=volume)
                ws[volume.text] = "=" + (Expr(f"$A{r}") / q.chart_points * largest).text
                ws[f"{api}{r}"] = "=" + at.api_monthly_cost.text
                ws[f"{own}{r}"] = "=" + at.selfhost_total_monthly_cost.text
                for letter in (vol, api, own):
                    ws[f"{letter}{r}"].number_format = "#,##0"
            for offset, width in enumerate((16, 14, 14, 3)):
                ws.column_dimensions[get_column_letter(left + offset)].width = width

        sheet.finally_(group)
        plan.names[f"chart_breakeven_{k + 1}"] = absolute(
            CHART_DATA, f"{vol}{marker}:{api}{marker}"
        )
        plan.names[f"chart_series_{k + 1}"] = absolute(CHART_DATA, f"{vol}{first}:{own}{last}")
        results.finally_(
            _chart(titles[k], left, first, last, marker, anchor + 18 * (k // 2), k % 2)
        )

    def heading_cells(ws: Worksheet) -> None:
        ws.cell(heading, 1, "Step").font = styles.HEADER_FONT

    sheet.finally_(heading_cells)


def _chart(
    title: str, left: int, first: int, last: int, marker_row: int, row: int, side: int
) -> Callable[[Worksheet], None]:
    def add(results: Worksheet) -> None:
        data = results.parent[CHART_DATA]
        chart = ScatterChart()
        chart.title = title
        chart.style = 13
        chart.height, chart.width = 8.5, 16
        chart.x_axis.title = "Requests per month"
        chart.y_axis.title = "Monthly cost ($)"
        chart.x_axis.number_format = "#,##0"
        chart.y_axis.number_format = '"$"#,##0'
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        xs = Reference(data, min_col=left, min_row=first, max_row=last)
        for offset, legend, colour in (
            (1, "API", styles.API_COLOUR),
            (2, "Self-host", styles.SELFHOST_COLOUR),
        ):
            ys = Reference(data, min_col=left + offset, min_row=first, max_row=last)
            series = Series(ys, xs, title=legend)
            series.marker = Marker(symbol="none")
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22000
            series.smooth = False
            chart.series.append(series)
        point = Series(
            Reference(data, min_col=left + 1, min_row=marker_row, max_row=marker_row),
            Reference(data, min_col=left, min_row=marker_row, max_row=marker_row),
            title="Break-even",
        )
        point.marker = Marker(symbol="diamond", size=12)
        point.marker.graphicalProperties = GraphicalProperties(solidFill=styles.MARKER_COLOUR)
        point.marker.graphicalProperties.line.solidFill = styles.MARKER_LINE_COLOUR
        point.graphicalProperties.line.noFill = True
        chart.series.append(point)
        results.add_chart(chart, f"{'A' if side == 0 else 'D'}{row}")

    return add


def _plan_table(sheet: SheetPlan, plan: Plan, n_utilizations: int) -> None:
    subtitle = (
        "The article's table for each scenario: one replica carrying the minimum self-host "
        "bill, at utilizations up to 100 %, whatever the scenario's max utilization."
    )
    _title(sheet, "Cost by utilization", subtitle)
    sheet.finally_(_table_widths)
    labels = [QUANTITIES[c].label for c in TABLE_COLUMNS]
    for k, column in enumerate(plan.columns, 1):
        sheet.add()
        name = plan.quantities(column, TABLE).scenario_name
        sheet.add(_formula_cell(1, name, styles.SECTION_FONT))
        _header(sheet, labels)
        first = sheet.next_row
        for u in range(1, n_utilizations + 1):
            sheet.add(_table_row(plan, column, u))
        plan.names[f"utilization_table_{k}"] = absolute(
            TABLE, f"A{first}:{get_column_letter(len(labels))}{sheet.next_row - 1}"
        )
        sheet.add(_table_breakeven(plan, column))

    sheet.add()
    _section(sheet, "As published in the article (rounded)")
    published = published_table()
    _header(sheet, ["Utilization", "Requests/month", "GPU cost/request", "API cost/request",
                    "Cheaper"])  # fmt: skip
    for entry in published:
        sheet.add(_published_row(entry))
    sheet.add(_source_row(published[0]["source"], None))


def _plan_start(sheet: SheetPlan, plan: Plan) -> None:
    def text(value: str, font: Any = None) -> None:
        def render(ws: Worksheet, row: int) -> None:
            cell = ws.cell(row, 1)
            _set_text(cell, value)
            if font is not None:
                cell.font = font

        sheet.add(render)

    sheet.finally_(lambda ws: _widths(ws, plan, label=30, scenario=24, unit=None))
    text("llm-breakeven: pay an API per token, or self-host an open-weight model?",
         styles.TITLE_FONT)  # fmt: skip
    sheet.add()
    text("What it answers", styles.SECTION_FONT)
    text("At what monthly volume does renting GPUs and serving a model yourself cost less than"
         " an API's per-token price, once idle time, headroom, peaks, failover and ops staff"
         " are counted?")  # fmt: skip
    text("How to use it", styles.SECTION_FONT)
    text("1. On Inputs, change the blue cells: one scenario per column, one assumption per row.")
    text("2. Read Results: the verdict at your volume, the break-even volume and the charts.")
    text("3. By utilization compares each scenario with the article's cost-by-utilization table.")
    text("4. Checks must all be TRUE; the master check below says OK when they are.")
    text("No macros or add-ins are needed: every figure is a native formula.")
    sheet.add()
    text("Colour legend", styles.SECTION_FONT)
    for label, font, fill in (
        ("Input: change it", styles.INPUT_FONT, styles.INPUT_FILL),
        ("Formula: leave it", styles.FORMULA_FONT, None),
        ("Constant: not an input", styles.FORMULA_FONT, styles.CONSTANT_FILL),
        ("Check: must be TRUE", styles.FORMULA_FONT, styles.CHECK_FILL),
    ):
        sheet.add(_legend_row(label, font, fill))
    sheet.add()
    sheet.add(_master_row(plan, "Master check"))
    sheet.add()
    text("At a glance", styles.SECTION_FONT)
    sheet.add(_names_row(plan))
    for name in GLANCE_ROWS:
        sheet.add(_output_row(plan, QUANTITIES[name], START, unit=False))


# --- rows ------------------------------------------------------------------------------------


def _title(sheet: SheetPlan, title: str, subtitle: str) -> None:
    def render_title(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, title).font = styles.TITLE_FONT

    def render_subtitle(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, subtitle).font = styles.NOTE_FONT

    sheet.add(render_title)
    sheet.add(render_subtitle)


def _section(sheet: SheetPlan, text: str) -> None:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, text).font = styles.SECTION_FONT

    sheet.add(render)


def _header(sheet: SheetPlan, labels: list[str]) -> None:
    def render(ws: Worksheet, row: int) -> None:
        for offset, label in enumerate(labels, 1):
            cell = ws.cell(row, offset, label)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL

    sheet.add(render)


def _scenario_table_head(
    sheet: SheetPlan, plan: Plan, first: str, note: str, note_width: float
) -> None:
    """A blank row, then headings (label, one per scenario, unit, note) frozen above the rows."""
    sheet.add()
    _header(sheet, [first, *_scenario_headings(plan), "Unit", note])
    freeze = f"{plan.columns[0]}{sheet.next_row}"
    sheet.finally_(lambda ws: setattr(ws, "freeze_panes", freeze))
    sheet.finally_(lambda ws: _widths(ws, plan, note=note_width))


def _scenario_headings(plan: Plan) -> list[str]:
    return [f"Scenario {k}" for k in range(1, plan.scenario_count + 1)]


def _names_row(plan: Plan) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Scenario").font = styles.HEADER_FONT
        for column in plan.columns:
            cell = ws[f"{column}{row}"]
            cell.value = "=" + plan.quantities(column, ws.title).scenario_name.text
            cell.font = styles.HEADER_FONT
            cell.alignment = styles.WRAP

    return render


def _text_inputs(plan: Plan, label: str, values: list[str], tall: bool) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        for column, value in zip(plan.columns, values, strict=True):
            cell = ws[f"{column}{row}"]
            _set_text(cell, value)
            _style_input(cell)
            cell.alignment = styles.WRAP
        if tall:
            ws.row_dimensions[row].height = 75

    return render


def _input_row(plan: Plan, q: Quantity, values: list[float | None]) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        for column, value in zip(plan.columns, values, strict=True):
            cell = ws[f"{column}{row}"]
            cell.value = value
            cell.number_format = q.unit.number_format
            _style_input(cell)
        _unit_and_note(ws, plan, row, q.unit.text, q.help)
        _validate(ws, q, plan.span(row))

    return render


def _single_input(plan: Plan, label: str, q: Quantity, value: float) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        cell = ws[f"{plan.columns[0]}{row}"]
        cell.value = value
        cell.number_format = q.unit.number_format
        _style_input(cell)
        ws[f"{plan.unit_column}{row}"] = q.unit.text
        _validate(ws, q, cell.coordinate)

    return render


def _constant_row(plan: Plan, q: Quantity, value: float) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        cell = ws[f"{plan.columns[0]}{row}"]
        cell.value = value
        cell.fill = styles.CONSTANT_FILL
        _unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _source_row(label: str, source: str | None) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        _set_text(ws.cell(row, 1), label)
        if source is None:
            ws.cell(row, 1).font = styles.NOTE_FONT
        else:
            _set_text(ws.cell(row, 2), source)
            ws.cell(row, 2).font = styles.NOTE_FONT

    return render


def _calculation_row(plan: Plan, q: Quantity) -> Callable[..., None]:
    readable = Symbolic(DEFINITIONS, Expr.ref).define(q.name).text

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        for column in plan.columns:
            cell = ws[f"{column}{row}"]
            cell.value = "=" + plan.quantities(column, CALCULATIONS).define(q.name).text
            cell.number_format = q.unit.number_format
            cell.font = styles.FORMULA_FONT
        _unit_and_note(ws, plan, row, q.unit.text, readable)

    return render


def _output_row(plan: Plan, q: Quantity, sheet: str, unit: bool = True) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        for column in plan.columns:
            cell = ws[f"{column}{row}"]
            cell.value = "=" + getattr(plan.quantities(column, sheet), q.name).text
            cell.number_format = q.unit.number_format
            if q.name == "cheaper_option":
                cell.font = styles.HEADER_FONT
        if unit:
            ws[f"{plan.unit_column}{row}"] = q.unit.text
        if q.name == "cheaper_option":
            _verdict_colours(ws, plan.span(row), good=_SELF, bad=_API, even=_EVEN)

    return render


def _master_row(plan: Plan, label: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label).font = styles.HEADER_FONT
        cell = ws[f"{plan.columns[0]}{row}"]
        cell.value = "=master_check"
        cell.font = styles.HEADER_FONT
        _verdict_colours(ws, cell.coordinate, good=_OK, bad=_FAILED)

    return render


def _check_row(
    plan: Plan, label: str, check: Callable[[Symbolic], Expr], first_column_only: bool = False
) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        for column in plan.columns[:1] if first_column_only else plan.columns:
            cell = ws[f"{column}{row}"]
            cell.value = "=" + check(plan.quantities(column, CHECKS)).text
            cell.fill = styles.CHECK_FILL
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format

    return render


def _step_cell(step: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, step)

    return render


def _formula_cell(column: int, formula: Expr, font: Any) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, column, "=" + formula.text)
        cell.font = font

    return render


def _table_row(plan: Plan, column: str, k: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        share = Expr.ref(absolute(*plan.singles[f"utilization_{k}"]))
        cells = [Expr.ref(f"{get_column_letter(i)}{row}") for i in range(1, 6)]
        # each column after the first reads the ones before it on the same row
        for index, name in enumerate(TABLE_COLUMNS):
            bound = dict(zip(TABLE_COLUMNS[:index], cells[:index], strict=True))
            bound["utilization"] = share
            q = plan.quantities(column, TABLE, TABLE_DEFINITIONS, **bound)
            value = share if name == "utilization" else getattr(q, name)
            cell = ws.cell(row, index + 1, "=" + value.text)
            cell.number_format = QUANTITIES[name].unit.number_format

    return render


def _table_breakeven(plan: Plan, column: str) -> Callable[..., None]:
    q = QUANTITIES["one_replica_breakeven_utilization"]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        value = plan.quantities(column, TABLE).one_replica_breakeven_utilization
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
                _set_text(ws.cell(row, index), entry[key])

    return render


def _legend_row(label: str, font: Any, fill: Any) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, label)
        cell.font = font
        if fill is not None:
            cell.fill = fill
        cell.border = styles.BOX

    return render


# --- helpers --------------------------------------------------------------------------------


def _unit_and_note(ws: Worksheet, plan: Plan, row: int, unit: str, note: str) -> None:
    ws[f"{plan.unit_column}{row}"] = unit
    cell = ws[f"{plan.note_column}{row}"]
    _set_text(cell, note)
    cell.font = styles.NOTE_FONT


def _widths(
    ws: Worksheet,
    plan: Plan,
    label: float = 40,
    scenario: float = 22,
    unit: float | None = 18,
    note: float | None = None,
) -> None:
    ws.column_dimensions["A"].width = label
    for column in plan.columns:
        ws.column_dimensions[column].width = scenario
    if unit is not None:
        ws.column_dimensions[plan.unit_column].width = unit
    if note is not None:
        ws.column_dimensions[plan.note_column].width = note


def _table_widths(ws: Worksheet) -> None:
    for k, width in enumerate((36, 27, 27, 22, 16), 1):
        ws.column_dimensions[get_column_letter(k)].width = width


def _set_text(cell: Cell, value: str) -> None:
    """Store text as text, even when it starts with "=" (never as a formula)."""
    cell.value = value
    cell.data_type = "s"


def _style_input(cell: Cell) -> None:
    cell.font = styles.INPUT_FONT
    cell.fill = styles.INPUT_FILL
    cell.protection = styles.UNLOCKED
    cell.border = styles.BOX


def _validate(ws: Worksheet, q: Quantity, cells: str) -> None:
    rule = q.scenario_bound or q.bound
    top_left = cells.split(":")[0]
    validation = DataValidation(
        type="custom",
        formula1=rule.excel_condition(top_left),
        allow_blank=q.default is None,
        showErrorMessage=True,
        errorTitle="Invalid input",
        error=f"{q.name} must be {rule.describe()}",
    )
    validation.add(cells)
    ws.add_data_validation(validation)


def _verdict_colours(
    ws: Worksheet, cells: str, good: Expr, bad: Expr, even: Expr | None = None
) -> None:
    rules: Iterable[tuple[Expr | None, Any]] = (
        (good, styles.GOOD_FILL),
        (bad, styles.BAD_FILL),
        (even, styles.EVEN_FILL),
    )
    for value, fill in rules:
        if value is not None:
            ws.conditional_formatting.add(
                cells, CellIsRule(operator="equal", formula=[value.text], fill=fill)
            )
