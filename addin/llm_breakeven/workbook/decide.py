"""What the decision sheets share, and the Waterfall and Signals sheets.

Projection (`months`) and Sensitivity (`risk`) show the scenario picked on Inputs
(`summary_chart_scenario`) through CHOOSE over the scenario columns of their working rows;
the series of their charts, and of the Waterfall's, restate those figures on Chart data.
Waterfall lays out where the self-host cost of a request comes from; Signals sets the
article's signals beside the cost verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.title import Title
from openpyxl.worksheet.worksheet import Worksheet

from .. import advice, sensitivity
from ..formula import EXCEL, Expr, call, concat, equal, literal
from ..model import WATERFALL
from ..quantities import MAX_HORIZON_MONTHS, QUANTITIES, SIGNALS
from . import currency, styles, toolkit
from .layout import Plan, SheetPlan, absolute, sheet_ref

PROJECTION, SENSITIVITY, WATERFALL_SHEET, SIGNALS_SHEET = (
    "Projection", "Sensitivity", "Waterfall", "Signals")  # fmt: skip
SIGNAL_ROWS = ("cheaper_option", "monthly_savings", "signals_self_host", "signals_api",
               "compliance_required", "control_premium_monthly",
               "control_premium_annual")  # fmt: skip
#: the recommendation's parts (`advice.parts`), a working row each
ADVICE_PARTS = ("What to do and when", "What switching is worth", "The odds today",
                "The hybrid", "Compliance", "The other signals")  # fmt: skip
#: the Projection's month table: the best month's row is this many rows above the first month
BEST_ROW_ABOVE = 2
#: the Sensitivity's tornado: "Savings as given" (and whether the picked scenario's inputs
#: pass their checks) is this many rows above its first input
BASE_ROW_ABOVE = 2


@dataclass
class Blocks:
    """Where the decision sheets' rows are, as each is planned: the chart series on Chart
    data, and the tables and working rows that other sheets and the charts read."""

    projection_chart: int = 0
    tornado_chart: int = 0
    waterfall_chart: int = 0
    #: Projection: the first row of its month table, and of each month block
    month_table: int = 0
    months: dict[str, int] = field(default_factory=dict)
    #: Projection: the row of the months each scenario's bills run through
    bills_through: int = 0
    #: Sensitivity: the first row of its sorted tornado, of each tornado field (a row an
    #: input), and each input's rows at each end: (input, end) -> quantity -> row
    tornado_table: int = 0
    tornado: dict[str, int] = field(default_factory=dict)
    moves: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    #: Sensitivity's grid: the row holding each GPU-rate factor, and its block's first row
    grid_factors: list[int] = field(default_factory=list)
    grid: list[int] = field(default_factory=list)
    #: Sensitivity: the first and last rows of the inputs' fingerprint, part by part
    fingerprint: tuple[int, int] = (0, 0)
    #: set as Waterfall is planned: the row of each layer
    waterfall_rows: dict[str, int] = field(default_factory=dict)


def plan_blocks(sheet: SheetPlan, plan: Plan) -> Blocks:
    """Reserve the chart series' rows on Chart data; rendered once every sheet is planned."""
    blocks = Blocks()
    toolkit.section_row(sheet, "Projection chart: month, staying on the API, switching, the switch")
    blocks.projection_chart = sheet.next_row
    for _ in range(MAX_HORIZON_MONTHS):
        sheet.add()
    toolkit.section_row(sheet, "Tornado chart: input, change at its low, at its high")
    blocks.tornado_chart = sheet.next_row
    for _ in sensitivity.KEY_INPUTS:
        sheet.add()
    toolkit.section_row(sheet, "Waterfall chart: layer, base, height (self-host), height (API)")
    blocks.waterfall_chart = sheet.next_row
    for _ in range(len(WATERFALL) + 2):
        sheet.add()
    sheet.finally_(lambda ws: _render_series(ws, plan, blocks))
    return blocks


def _pick(plan: Plan) -> Expr:
    return Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))


def chosen(plan: Plan, cells: list[Expr], otherwise: Expr = toolkit.NOTHING) -> Expr:
    """The cell of the scenario picked on Inputs, of one per scenario column."""
    return call("IFERROR", call("CHOOSE", _pick(plan), *cells), otherwise)


def picked_passes(plan: Plan, sheet: str) -> Expr:
    """Whether the picked scenario's inputs pass their checks (its figures are shown)."""
    passes = [plan.quantities(c, sheet).scenario_checks_pass for c in plan.columns]
    return chosen(plan, passes, EXCEL.false)


#: the label beside a picked scenario's figures, and the cell that says whether they show
PASSES_LABEL = "Checks pass"


def _render_series(ws: Worksheet, plan: Plan, k: Blocks) -> None:
    """The chart series of Projection, Sensitivity and Waterfall: the picked scenario's."""
    # the projection chart: cumulative cost of staying and of switching in the best month
    table = sheet_ref(PROJECTION)
    best = Expr(f"{table}!$B${k.month_table - BEST_ROW_ABOVE}")
    for m in range(MAX_HORIZON_MONTHS):
        row, source = k.projection_chart + m, k.month_table + m
        # past the horizon every series is #N/A, the month too: the axis ends at the horizon
        month = Expr(f"{table}!A{source}")
        ws.cell(row, 1, "=" + call("IF", call("ISNUMBER", Expr(f"B{row}")), month,
                                   toolkit.NOTHING).text)  # fmt: skip
        for col, letter in ((2, "G"), (3, "H")):
            cell = Expr(f"{table}!{letter}{source}")
            ws.cell(row, col, "=" + call("IF", call("ISNUMBER", cell), cell, toolkit.NOTHING).text)
        mark = call("IF", equal(Expr(f"A{row}"), best), Expr(f"C{row}"), toolkit.NOTHING)
        ws.cell(row, 4, "=" + call("IFERROR", mark, toolkit.NOTHING).text)
    # the tornado chart: as Sensitivity sorts it, each end's change from the base savings
    sheet = sheet_ref(SENSITIVITY)
    base = Expr(f"{sheet}!$B${k.tornado_table - BASE_ROW_ABOVE}")
    n = len(sensitivity.KEY_INPUTS)
    for i in range(n):  # a bar chart draws its first category at the bottom: largest last
        row, source = k.tornado_chart + i, k.tornado_table + n - 1 - i
        ws.cell(row, 1, "=" + concat(Expr(f"{sheet}!A{source}"), "").text)
        for col, letter in ((2, "D"), (3, "E")):
            end = Expr(f"{sheet}!{letter}{source}")
            ws.cell(
                row, col, "=" + call("IF", call("ISNUMBER", end), end - base, toolkit.NOTHING).text
            )
    # the waterfall: each layer floats on the ones before it; the totals stand on 0
    sheet = sheet_ref(WATERFALL_SHEET)
    names = [*WATERFALL, "selfhost_cost_per_request", "api_cost_per_request"]
    for i, name in enumerate(names):
        row = k.waterfall_chart + i
        label = "Variable (and API fallback)" if name == WATERFALL[-1] else QUANTITIES[name].label
        ws.cell(row, 1, label)
        height = toolkit.picked(plan, WATERFALL_SHEET, k.waterfall_rows[name])
        api = name == "api_cost_per_request"  # its own series: the API's colour
        ws.cell(row, 4 if api else 3, "=" + height.text)
        ws.cell(row, 3 if api else 4, "=" + toolkit.NOTHING.text)
        floor: Any = Expr(f"B{row - 1}+C{row - 1}") if 0 < i < len(WATERFALL) else 0
        ws.cell(row, 2, "=" + call("IFERROR", floor, toolkit.NOTHING).text if i else 0)


# --- Waterfall --------------------------------------------------------------------------------


def plan_waterfall(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    toolkit.sheet_head(sheet, plan, WATERFALL_SHEET, "Where the self-host cost of a request comes "
                "from at the scenario's own volume, layer by layer, beside the API's.",
                "Layer")  # fmt: skip
    toolkit.section_row(sheet, "Self-host cost per request, layer by layer")
    for name in WATERFALL:
        height = toolkit.note_height(plan, [QUANTITIES[name].help])
        if name in plan.rows:  # the variable cost used lives on Calculations
            k.waterfall_rows[name] = sheet.add(toolkit.output_row(plan, QUANTITIES[name],
                                                             WATERFALL_SHEET))  # fmt: skip
            continue
        k.waterfall_rows[name] = sheet.add(_defined_row(plan, name), height)
        plan.home(name, WATERFALL_SHEET, k.waterfall_rows[name], define=False)
    for name in ("selfhost_cost_per_request", "api_cost_per_request"):
        k.waterfall_rows[name] = sheet.add(toolkit.output_row(plan, QUANTITIES[name],
                                                         WATERFALL_SHEET))  # fmt: skip
    top, title = toolkit.titled_chart_rows(sheet, plan, "Cost per request, layer by layer: ")
    sheet.finally_(_waterfall_chart(k, f"A{top}", title, currency.axis(plan, "Cost per request")))


def _defined_row(plan: Plan, name: str) -> Callable[..., None]:
    """A quantity written out from its definition (this row is its home)."""
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.WRAP)
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = plan.at(ws, column, row)
            cell.value = "=" + toolkit.guarded(s, s.define(name)).text
            cell.number_format, cell.alignment = q.unit.number_format, styles.TOP
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _waterfall_chart(
    k: Blocks, anchor: str, heading: Title, cost: Title
) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        chart = BarChart()
        chart.title = heading
        chart.grouping, chart.overlap = "stacked", 100
        chart.height, chart.width = toolkit.CHART_HEIGHT, 2 * toolkit.CHART_WIDTH
        first, last = k.waterfall_chart, k.waterfall_chart + len(WATERFALL) + 1
        floor = Series(Reference(data, min_col=2, min_row=first, max_row=last), title=" ")
        floor.graphicalProperties.noFill = True
        floor.graphicalProperties.line.noFill = True
        layer = Series(Reference(data, min_col=3, min_row=first, max_row=last),
                       title="Cost per request")  # fmt: skip
        layer.graphicalProperties.solidFill = styles.SELFHOST_COLOUR
        api = Series(Reference(data, min_col=4, min_row=first, max_row=last), title="API")
        api.graphicalProperties.solidFill = styles.API_COLOUR
        chart.series.extend([floor, layer, api])
        chart.set_categories(Reference(data, min_col=1, min_row=first, max_row=last))
        chart.y_axis.title = cost
        chart.y_axis.number_format = "0.0000"
        toolkit.style_axes(chart)
        chart.legend = None
        ws.add_chart(chart, anchor)

    return add


# --- Signals ----------------------------------------------------------------------------------


def plan_signals(sheet: SheetPlan, plan: Plan, sentences: Sequence[str]) -> None:
    """The signals beside the cost verdict, and the recommendation: each scenario's sentence
    (`sentences`, as built, size its printed row) across the page, built in working rows."""
    toolkit.sheet_head(
        sheet,
        plan,
        SIGNALS_SHEET,
        "Not only cost: the article's signals, marked on "
        "Inputs, beside the cost verdict, with a recommendation in plain words.",
        "Signal",
    )
    toolkit.section_row(sheet, "The signals (mark each on Inputs: lean API, lean self-host)")
    for name in SIGNALS:
        # what each mark means is said once, beside it on Inputs
        marks = QUANTITIES[name].choices or ()
        sheet.add(_signal_row(plan, name), toolkit.text_height(marks, toolkit.GRID_WIDTHS[1]))
    sheet.add()
    toolkit.section_row(sheet, "Beside the cost verdict")
    for name in SIGNAL_ROWS:
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], SIGNALS_SHEET))
    sheet.add()
    toolkit.section_row(sheet, "The recommendation (every page and the command line say it)")
    columns, chars = toolkit.grid_size(plan)
    for column, name, sentence in zip(plan.columns, plan.scenario_names, sentences, strict=False):
        # room to spare: changed inputs may lengthen the sentence's figures
        height = toolkit.text_height([f"{name}: {sentence} {SPARE}"], chars)
        sheet.add(_said_row(plan, column, columns), height)
    note = ("Self-hosting tends to pay only when high volume, steady traffic and a team to run "
            "it come together.")  # fmt: skip
    sheet.add(toolkit.source_row(note, None, columns), toolkit.text_height([note], chars))
    toolkit.working_rows(sheet, plan, "Below, out of print: the recommendation of every "
                         "scenario column (a spare one's prints once the workbook is built with "
                         "it), and its parts, one column a scenario.")  # fmt: skip
    parts: list[int] = []
    row = sheet.add(_recommendation_row(plan, parts), RECOMMENDATION_HEIGHT)
    plan.home("recommendation", SIGNALS_SHEET, row)
    for k, label in enumerate(ADVICE_PARTS):
        parts.append(sheet.add(_advice_part(plan, label, k)))


#: what a recommendation's row keeps room for beyond the sentence as built: longer figures
SPARE = "0" * 16


def _said_row(plan: Plan, column: str, span: int) -> Callable[..., None]:
    """A scenario's name and its recommendation, across the page."""

    def render(ws: Worksheet, row: int) -> None:
        s = plan.quantities(column, SIGNALS_SHEET)
        said = concat(s.scenario_name, ": ", s.recommendation)
        toolkit.across(ws, row, span, "=" + toolkit.in_use(s, said).text)

    return render


#: the recommendation's row: a sentence of some 300 characters in a scenario's column
RECOMMENDATION_HEIGHT = 14 * styles.SIZE * 1.4


def _recommendation_row(plan: Plan, parts: list[int]) -> Callable[..., None]:
    q = QUANTITIES["recommendation"]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), font=styles.HEADER_FONT, alignment=styles.TOP)

        def formula(column: str) -> Expr:
            s = plan.quantities(column, SIGNALS_SHEET)
            sentence = concat(*(Expr(f"{column}{part}") for part in parts), ".")
            return toolkit.guarded(s, sentence, toolkit.UNCHECKED)

        toolkit.across_row(ws, plan, row, formula, "@")
        for column in plan.columns:
            styles.look(plan.at(ws, column, row), alignment=styles.WRAP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _advice_part(plan: Plan, label: str, part: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        currency = Expr.ref(absolute(*plan.singles["currency_symbol"]))

        def formula(column: str) -> Expr:
            s = plan.quantities(column, SIGNALS_SHEET)
            return toolkit.in_use(s, advice.parts(s, advice.cells(currency))[part])

        toolkit.across_row(ws, plan, row, formula, "@")

    return render


def _signal_row(plan: Plan, name: str) -> Callable[..., None]:
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.TOP)
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = plan.at(ws, column, row)
            cell.value = "=" + call("IF", s.scenario_in_use, getattr(s, name), "").text
            styles.look(cell, alignment=styles.WRAP)
        toolkit.unit_and_note(ws, plan, row, "mark", "")
        toolkit.verdict_colours(
            ws,
            plan.span(row),
            good=literal("lean self-host"),
            bad=literal("lean API"),
            even=literal("requires self-host"),
        )

    return render
