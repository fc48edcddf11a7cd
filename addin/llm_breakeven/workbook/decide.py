"""The Projection, Sensitivity, Waterfall and Signals sheets, and their helper rows.

Projection runs every scenario month by month (`llm_breakeven.model.month_bindings` binds
each month's volume, API cost and GPU price; every bill of the month is a definition of the
engine written out as a native formula), finds the month in which switching is worth most
and its payback, and shows the picked scenario's months beside a chart of the cumulative
cost of both paths. Sensitivity moves each key input ±20 % (a tornado, sorted by formula)
and tabulates the self-host cost per request over the API's across utilization and the GPU
rate, with a colour scale; beside them, Monte Carlo results computed when the workbook was
built (values, labelled with their draws and seed). Waterfall lays out where the self-host
cost of a request comes from; Signals sets the article's signals beside the cost verdict.

The per-scenario month tables, tornado ends and grid live on Chart data, one block each; the
sheets show the scenario picked on Inputs (`summary_chart_scenario`) through CHOOSE.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import sensitivity
from ..formula import EXCEL, Expr, call, concat, equal, literal
from ..model import WATERFALL, month_bindings
from ..quantities import (
    FIELDS,
    MAX_HORIZON_MONTHS,
    PROJECTION_OUTPUTS,
    QUANTITIES,
    SIGNALS,
)
from ..scenario import ScenarioSet
from . import builder as b
from . import shape, styles
from .layout import COLUMN, Plan, SheetPlan, absolute, sheet_ref

PROJECTION, SENSITIVITY, WATERFALL_SHEET, SIGNALS_SHEET = (
    "Projection", "Sensitivity", "Waterfall", "Signals")  # fmt: skip
MONTHS = MAX_HORIZON_MONTHS
#: the tornado's inputs, in the engine's order (its stable sort keeps it among equal swings)
TORNADO_INPUTS = sensitivity.KEY_INPUTS
#: the tornado's spread (the CLI's default), and the Monte Carlo ranges' (the workbook's
#: `tornado_spread` constant holds it for the formulas)
SPREAD = 0.2
#: the fields of a tornado, one block of rows each on Chart data
TORNADO_FIELDS = ("low", "high", "savings_low", "savings_high", "breakeven_low",
                  "breakeven_high", "savings_swing", "rank")  # fmt: skip
GRID_ROWS = sensitivity.DEFAULT_UTILIZATIONS
GRID_COLUMNS = sensitivity.DEFAULT_FACTORS
#: Monte Carlo at build time: draws per scenario, and the seed
MC_SAMPLES = 10_000
MC_SEED = 0
#: the month table's columns on Projection, after the month
MONTH_COLUMNS = ("monthly_volume", "api_monthly_cost", "selfhost_total_monthly_cost",
                 "monthly_savings", "switch_npv")  # fmt: skip
SIGNAL_ROWS = ("cheaper_option", "monthly_savings", "signals_self_host", "signals_api",
               "compliance_required", "control_premium_monthly", "control_premium_annual",
               "recommendation")  # fmt: skip
_NOTHING = call("NA")
#: the Projection's month table: the best month's row is this many rows above the first month
BEST_ROW_ABOVE = 2
#: the Sensitivity's tornado: "Savings as given" (and whether the picked scenario's inputs
#: pass their checks) is this many rows above its first input
BASE_ROW_ABOVE = 3


@dataclass
class Blocks:
    """The first row of each helper block on Chart data."""

    months: dict[str, int] = field(default_factory=dict)
    tornado: dict[str, int] = field(default_factory=dict)
    grid: int = 0
    projection_chart: int = 0
    tornado_chart: int = 0
    waterfall_chart: int = 0
    #: set as Projection is planned: the first row of its month table
    month_table: int = 0
    #: set as Sensitivity is planned: the first row of its sorted tornado
    tornado_table: int = 0
    #: set as Waterfall is planned: the row of each layer
    waterfall_rows: dict[str, int] = field(default_factory=dict)


#: the month blocks: volume, both bills, savings, discount, the discounted savings from the
#: month on, the NPV of switching, the savings since the best switch, the months that cover
#: the migration cost
MONTH_BLOCKS = ("volume", "api", "selfhost", "savings", "discount", "from_here", "npv",
                "since", "covered")  # fmt: skip


def plan_blocks(sheet: SheetPlan, plan: Plan) -> Blocks:
    """Reserve the helper rows on Chart data; they are rendered once every sheet is planned."""
    blocks = Blocks()
    for name in MONTH_BLOCKS:
        shape._label(sheet, f"Projection: {name} by month (column A: month)")
        blocks.months[name] = sheet.next_row
        for _ in range(MONTHS):
            sheet.add()
    for name in TORNADO_FIELDS:
        shape._label(sheet, f"Tornado: {name} by input (the picked scenario after the last)")
        blocks.tornado[name] = sheet.next_row
        for _ in TORNADO_INPUTS:
            sheet.add()
    shape._label(sheet, "Grid: self-host cost per request / API's (A: utilization; the rate's "
                 "factor after the scenario columns)")  # fmt: skip
    blocks.grid = sheet.next_row
    for _ in range(len(GRID_ROWS) * len(GRID_COLUMNS)):
        sheet.add()
    shape._label(sheet, "Projection chart: month, staying on the API, switching, the switch")
    blocks.projection_chart = sheet.next_row
    for _ in range(MONTHS):
        sheet.add()
    shape._label(sheet, "Tornado chart: input, change at its low, at its high")
    blocks.tornado_chart = sheet.next_row
    for _ in TORNADO_INPUTS:
        sheet.add()
    shape._label(sheet, "Waterfall chart: layer, base, height (self-host), height (API)")
    blocks.waterfall_chart = sheet.next_row
    for _ in range(len(WATERFALL) + 2):
        sheet.add()
    sheet.finally_(lambda ws: _render_blocks(ws, plan, blocks))
    return blocks


def _pick(plan: Plan) -> Expr:
    return Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))


def _chosen(plan: Plan, cells: list[Expr], otherwise: Expr = _NOTHING) -> Expr:
    return call("IFERROR", call("CHOOSE", _pick(plan), *cells), otherwise)


def _picked_passes(plan: Plan, sheet: str) -> Expr:
    """Whether the picked scenario's inputs pass their checks (its figures are shown)."""
    passes = [plan.quantities(c, sheet).scenario_checks_pass for c in plan.columns]
    return _chosen(plan, passes, EXCEL.false)


#: the label beside a picked scenario's figures, and the cell that says whether they show
PASSES_LABEL = "Checks pass"


def _fill(template: str, column: str, rows: dict[str, str]) -> str:
    text = template.replace(COLUMN, column)
    for token, row in rows.items():
        text = text.replace(f"⟦{token}⟧", row)
    return text


def _render_blocks(ws: Worksheet, plan: Plan, k: Blocks) -> None:
    for first in k.months.values():
        for m in range(MONTHS):
            ws.cell(first + m, 1, m + 1)
    months = _month_templates(plan)
    tornado = [_tornado_templates(plan, k, i) for i in range(len(TORNADO_INPUTS))]
    grid = _grid_template(plan)
    for column in plan.columns:
        for m in range(MONTHS):
            rows = {name: str(first + m) for name, first in k.months.items()}
            rows["later"] = f"{column}{k.months['from_here'] + m + 1}" if m + 1 < MONTHS else "0"
            rows["before"] = f"{column}{k.months['since'] + m - 1}" if m else "0"
            for name, template in months.items():
                ws[f"{column}{k.months[name] + m}"] = _fill(template, column, rows)
        for i, templates in enumerate(tornado):
            for field_, template in templates.items():
                ws[f"{column}{k.tornado[field_] + i}"] = _fill(template, column, {})
        for row in range(k.grid, k.grid + len(GRID_ROWS) * len(GRID_COLUMNS)):
            ws[f"{column}{row}"] = _fill(grid, column, {"R": str(row)})
    factor = 2 + len(plan.columns)
    row = k.grid
    for u in GRID_ROWS:
        for times in GRID_COLUMNS:
            ws.cell(row, 1, u)
            ws.cell(row, factor, times)
            row += 1
    _render_picked(ws, plan, k)


def _month_templates(plan: Plan) -> dict[str, str]:
    """The month blocks' formulas: one month, its row in each block a token."""
    q = plan.quantities(COLUMN, b.CHART_DATA)
    at = {name: Expr(f"{COLUMN}⟦{name}⟧") for name in MONTH_BLOCKS}
    month = Expr("$A⟦volume⟧")
    horizon, migration, best = q.horizon_months, q.migration_cost, q.best_switch_month
    within = month <= horizon
    by = plan.quantities(COLUMN, b.CHART_DATA, projection_month=month)
    # the month's volume has a cell of its own: the bills read it
    bound = {**month_bindings(by), "monthly_volume": at["volume"]}
    then = by.rebind(None, **bound)
    cells = {
        "volume": by.projected_volume,
        "api": then.api_monthly_cost,
        "selfhost": then.selfhost_total_monthly_cost,
        "savings": at["api"] - at["selfhost"],
        "discount": by.discount_factor,
        # the engine's reversed running sum: the same additions in the same order
        "from_here": at["savings"] * at["discount"] + Expr("⟦later⟧"),
        "npv": at["from_here"] - migration * at["discount"],
        # "never" is text, and a number is less than any text: nothing since
        "since": call("IF", month < best, 0, at["savings"] + Expr("⟦before⟧")),
        "covered": call("IF", call("AND", month >= best, at["since"] >= migration), month, ""),
    }
    return {
        name: "=" + call("IF", q.scenario_in_use, call(
            "IF", within, value, 0 if name == "from_here" else ""), "").text
        for name, value in cells.items()
    }  # fmt: skip


def _projection_formulas(plan: Plan, k: Blocks) -> dict[str, Callable[[str], Expr]]:
    """The projection's outputs of the scenario in a column, from its month blocks."""

    def block(name: str, column: str) -> Expr:
        first = k.months[name]
        prefix = sheet_ref(b.CHART_DATA)
        return Expr(f"{prefix}!{column}{first}:{column}{first + MONTHS - 1}")

    def best(column: str) -> Expr:
        npv = block("npv", column)
        top = call("MAX", npv)
        return call("IF", top > 0, call("MATCH", top, npv, 0), EXCEL.never)

    def payback(column: str) -> Expr:
        q = plan.quantities(column, PROJECTION)
        covered = block("covered", column)
        none = equal(call("COUNT", covered), 0)
        found = call("IF", none, EXCEL.never, call("MIN", covered))
        return call("IF", call("ISNUMBER", q.best_switch_month), found, EXCEL.never)

    def now(column: str) -> Expr:
        return Expr(f"{sheet_ref(b.CHART_DATA)}!{column}{k.months['npv']}")

    return {
        "switch_now_npv": now,
        "best_switch_month": best,
        "best_switch_npv": lambda c: call("MAX", block("npv", c)),
        "switch_payback_month": payback,
    }


def _clipped(plan: Plan, name: str, value: Expr) -> Expr:
    """A moved input kept within its valid values, as `sensitivity` clips it."""
    q = FIELDS[name]
    bound = q.scenario_bound or q.bound
    if bound.high != math.inf:
        value = call("MIN", value, bound.high)
    if bound.low_open:
        return call("MAX", value, bound.low + Expr.ref(absolute(*plan.singles["tiny"])))
    return call("MAX", value, bound.low)


def _tornado_templates(plan: Plan, k: Blocks, i: int) -> dict[str, str]:
    """The tornado's formulas for input `i`, any scenario column."""
    name = TORNADO_INPUTS[i]
    q = plan.quantities(COLUMN, b.CHART_DATA)
    spread = Expr.ref(absolute(*plan.singles["tornado_spread"]))
    first = k.tornado["savings_swing"]
    swings = Expr(f"{COLUMN}{first}:{COLUMN}{first + len(TORNADO_INPUTS) - 1}")
    at = {f: Expr(f"{COLUMN}{row + i}") for f, row in k.tornado.items()}
    base = getattr(q, name)
    given = call("AND", call("ISNUMBER", base), base > 0)  # key inputs are never negative
    low = q.rebind(None, **{name: at["low"]})
    high = q.rebind(None, **{name: at["high"]})
    # equal swings keep the inputs' order, as the engine's stable sort does
    before = Expr(f"{COLUMN}{first}:{COLUMN}{first + i - 1}")
    ties = call("SUMPRODUCT", equal(before, at["savings_swing"]) * 1) if i else 0
    cells = {
        "low": _clipped(plan, name, base * (1 - spread)),
        "high": _clipped(plan, name, base * (1 + spread)),
        "savings_low": low.monthly_savings,
        "savings_high": high.monthly_savings,
        "breakeven_low": low.breakeven_volume,
        "breakeven_high": high.breakeven_volume,
        "savings_swing": call("ABS", at["savings_high"] - at["savings_low"]),
        "rank": call("SUMPRODUCT", (swings > at["savings_swing"]) * 1) + ties + 1,
    }
    templates = {}
    for f, value in cells.items():
        if f == "savings_swing":
            value = call("IF", given, value, -1)
        elif f != "rank":
            value = call("IF", given, value, "")
        templates[f] = "=" + call("IF", q.scenario_in_use, value, "").text
    return templates


def _grid_template(plan: Plan) -> str:
    """The grid's formula: the utilization in column A, the rate's factor after the scenarios."""
    q = plan.quantities(COLUMN, b.CHART_DATA)
    factor = Expr(f"${get_column_letter(2 + len(plan.columns))}⟦R⟧")
    at = q.rebind(None, utilization=Expr("$A⟦R⟧"), hourly_rate=q.hourly_rate * factor)
    ratio = at.cost_per_request / q.api_cost_per_request
    return "=" + call("IF", q.scenario_in_use, ratio, "").text


def _render_picked(ws: Worksheet, plan: Plan, k: Blocks) -> None:
    """The picked scenario's tornado (unsorted, after the scenario columns) and the chart
    series of Projection, Sensitivity and Waterfall."""
    picked = plan.unit_column
    for first in k.tornado.values():
        for i, name in enumerate(TORNADO_INPUTS):
            ws.cell(first + i, 1, FIELDS[name].label)
            cells = [Expr(f"{c}{first + i}") for c in plan.columns]
            ws[f"{picked}{first + i}"] = "=" + _chosen(plan, cells, literal("")).text
    # the projection chart: cumulative cost of staying and of switching in the best month
    table = sheet_ref(PROJECTION)
    best = Expr(f"{table}!$B${k.month_table - BEST_ROW_ABOVE}")
    for m in range(MONTHS):
        row, source = k.projection_chart + m, k.month_table + m
        # past the horizon every series is #N/A, the month too: the axis ends at the horizon
        month = Expr(f"{table}!A{source}")
        ws.cell(row, 1, "=" + call("IF", call("ISNUMBER", Expr(f"B{row}")), month,
                                   _NOTHING).text)  # fmt: skip
        for col, letter in ((2, "G"), (3, "H")):
            cell = Expr(f"{table}!{letter}{source}")
            ws.cell(row, col, "=" + call("IF", call("ISNUMBER", cell), cell, _NOTHING).text)
        mark = call("IF", equal(Expr(f"A{row}"), best), Expr(f"C{row}"), _NOTHING)
        ws.cell(row, 4, "=" + call("IFERROR", mark, _NOTHING).text)
    # the tornado chart: as Sensitivity sorts it, each end's change from the base savings
    sheet = sheet_ref(SENSITIVITY)
    base = Expr(f"{sheet}!$B${k.tornado_table - BASE_ROW_ABOVE}")
    n = len(TORNADO_INPUTS)
    for i in range(n):  # a bar chart draws its first category at the bottom: largest last
        row, source = k.tornado_chart + i, k.tornado_table + n - 1 - i
        ws.cell(row, 1, "=" + concat(Expr(f"{sheet}!A{source}"), "").text)
        for col, letter in ((2, "D"), (3, "E")):
            end = Expr(f"{sheet}!{letter}{source}")
            ws.cell(row, col, "=" + call("IF", call("ISNUMBER", end), end - base, _NOTHING).text)
    # the waterfall: each layer floats on the ones before it; the totals stand on 0
    sheet = sheet_ref(WATERFALL_SHEET)
    names = [*WATERFALL, "selfhost_cost_per_request", "api_cost_per_request"]
    for i, name in enumerate(names):
        row = k.waterfall_chart + i
        label = "Variable (and API fallback)" if name == WATERFALL[-1] else QUANTITIES[name].label
        ws.cell(row, 1, label)
        source = k.waterfall_rows[name]
        cells = [Expr(f"{sheet}!{c}{source}") for c in plan.columns]
        height = _chosen(plan, [call("IF", call("ISNUMBER", c), c, _NOTHING) for c in cells])
        api = name == "api_cost_per_request"  # its own series: the API's colour
        ws.cell(row, 4 if api else 3, "=" + height.text)
        ws.cell(row, 3 if api else 4, "=" + _NOTHING.text)
        floor: Any = Expr(f"B{row - 1}+C{row - 1}") if 0 < i < len(WATERFALL) else 0
        ws.cell(row, 2, "=" + call("IFERROR", floor, _NOTHING).text if i else 0)


# --- Projection -------------------------------------------------------------------------------


def plan_projection(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    shape._head(sheet, plan, PROJECTION, "Month by month as traffic grows and prices change "
                "(Inputs: Over time): the month in which switching to self-hosting is worth "
                "most today, and when it pays back its migration cost.", "Figure")  # fmt: skip
    b._section(sheet, "Assumed (change them on Inputs: Over time)")
    for name in ("monthly_growth", "api_price_change_per_year", "gpu_price_change_per_year",
                 "migration_cost", "annual_discount_rate", "horizon_months"):  # fmt: skip
        sheet.add(_echo_row(plan, name))
    sheet.add()
    b._section(sheet, "When switching pays")
    for name in PROJECTION_OUTPUTS:
        height = b._text_height([QUANTITIES[name].help], b.GRID_WIDTHS[3])
        row = sheet.add(_projection_row(plan, name, _projection_formulas(plan, k)[name]), height)
        plan.home(name, PROJECTION, row)
    top = shape._chart_rows(sheet, shape._chart_heading(plan, "Cumulative cost of both paths: "))
    sheet.finally_(_projection_chart(k, f"A{top}"))
    sheet.page_break()
    # no section row: the best month heads the table, and 60 months print on two pages
    sheet.add(_best_row(plan))
    labels = ["Month", *(QUANTITIES[c].label for c in MONTH_COLUMNS), "Cumulative: API",
              "Cumulative: switching in the best month"]  # fmt: skip
    head = sheet.add(b._headings(labels, wrap=True), 3 * styles.SIZE * 1.4)
    sheet.title_rows = (head, head)
    k.month_table = sheet.next_row
    for m in range(MONTHS):
        sheet.add(_month_row(plan, k, m))


def _projection_row(plan: Plan, name: str, formula: Callable[[str], Expr]) -> Callable[..., None]:
    """A computed output: blank where no scenario, a dash while the scenario fails a check."""
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label).alignment = styles.WRAP
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = ws[f"{column}{row}"]
            cell.value = "=" + b.guarded(s, formula(column)).text
            cell.number_format = q.unit.number_format
            cell.font = styles.HEADER_FONT if name == "best_switch_month" else styles.FORMULA_FONT
            cell.alignment = styles.TOP_RIGHT  # "never" beside the numbers
        b._unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _echo_row(plan: Plan, name: str) -> Callable[..., None]:
    """An input repeated (grey) beside the figures that depend on it."""
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = ws[f"{column}{row}"]
            cell.value = "=" + call("IF", s.scenario_in_use, getattr(s, name), "").text
            cell.number_format, cell.font = q.unit.number_format, styles.NOTE_FONT
        b._unit_and_note(ws, plan, row, q.unit.text, "From Inputs")

    return render


def _best_row(plan: Plan) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Month by month: best month").font = styles.SECTION_FONT
        months = [plan.quantities(c, PROJECTION).best_switch_month for c in plan.columns]
        cell = ws.cell(row, 2, "=" + _chosen(plan, months, literal("")).text)
        cell.font = styles.HEADER_FONT
        migration = [plan.quantities(c, PROJECTION).migration_cost for c in plan.columns]
        ws.cell(row, 3, "Migration cost").alignment = styles.LEFT
        paid = ws.cell(row, 4, "=" + _chosen(plan, migration, literal("")).text)
        paid.number_format = QUANTITIES["migration_cost"].unit.number_format
        ws.cell(row, 5, PASSES_LABEL).alignment = styles.LEFT
        ws.cell(row, 6, "=" + _picked_passes(plan, PROJECTION).text)

    return render


def _month_row(plan: Plan, k: Blocks, m: int) -> Callable[..., None]:
    sources = {"monthly_volume": "volume", "api_monthly_cost": "api",
               "selfhost_total_monthly_cost": "selfhost", "monthly_savings": "savings",
               "switch_npv": "npv"}  # fmt: skip

    def render(ws: Worksheet, row: int) -> None:
        data = sheet_ref(b.CHART_DATA)
        first = k.month_table
        above = first - BEST_ROW_ABOVE
        best, migration, passes = Expr(f"$B${above}"), Expr(f"$D${above}"), Expr(f"$F${above}")
        ws.cell(row, 1, m + 1).alignment = styles.LEFT
        for offset, name in enumerate(MONTH_COLUMNS, 2):
            source = k.months[sources[name]] + m
            cells = [Expr(f"{data}!{c}{source}") for c in plan.columns]
            # no figure while the picked scenario fails a check (the flag heads the table)
            shown_value = call("IF", passes, _chosen(plan, cells, literal("")), b._HIDDEN)
            cell = ws.cell(row, offset, "=" + shown_value.text)
            cell.number_format = QUANTITIES[name].unit.number_format
        api, selfhost = Expr(f"C{row}"), Expr(f"D{row}")
        shown = call("ISNUMBER", api)
        month = Expr(f"A{row}")
        switched = call("IF", month < best, api,
                        selfhost + call("IF", equal(month, best), migration, 0))  # fmt: skip
        before_api = Expr(f"G{row - 1}") if m else 0
        before_switch = Expr(f"H{row - 1}") if m else 0
        ws.cell(row, 7, "=" + call("IF", shown, before_api + api, "").text)
        ws.cell(row, 8, "=" + call("IF", shown, before_switch + switched, "").text)
        for col in (7, 8):
            ws.cell(row, col).number_format = QUANTITIES["api_monthly_cost"].unit.number_format

    return render


def _projection_chart(k: Blocks, anchor: str) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[b.CHART_DATA]
        chart = ScatterChart(scatterStyle="lineMarker")
        chart.height, chart.width = b._CHART_HEIGHT, 2 * b._CHART_WIDTH
        first, last = k.projection_chart, k.projection_chart + MONTHS - 1
        months = Reference(data, min_col=1, min_row=first, max_row=last)
        for col, title, colour in ((2, "Staying on the API", styles.API_COLOUR),
                                   (3, "Switching in the best month",
                                    styles.SELFHOST_COLOUR)):  # fmt: skip
            series = Series(Reference(data, min_col=col, min_row=first, max_row=last), months,
                            title=title)  # fmt: skip
            series.marker = Marker(symbol="none")
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22000
            series.smooth = False
            chart.series.append(series)
        best = shape.marked(Reference(data, min_col=4, min_row=first, max_row=last), months,
                            "Best month to switch")  # fmt: skip
        chart.series.append(best)
        chart.x_axis.title = b._axis_title("Month")
        chart.y_axis.title = b._axis_title("Cumulative cost")
        chart.x_axis.scaling.min = 1
        chart.x_axis.number_format = "0"
        chart.y_axis.number_format = "#,##0"
        shape._style_axes(chart)
        ws.add_chart(chart, anchor)

    return add


# --- Sensitivity ------------------------------------------------------------------------------


def plan_sensitivity(sheet: SheetPlan, plan: Plan, k: Blocks, scenario_set: ScenarioSet) -> None:
    shape._head(sheet, plan, SENSITIVITY, "Which assumption matters most, and how likely "
                "self-hosting is to come out cheaper when every key input is uncertain.",
                "Figure")  # fmt: skip
    b._section(sheet, "Risk: Monte Carlo, computed when this workbook was built")
    note = (f"{MC_SAMPLES:,} draws per scenario, seed {MC_SEED}: each key input the scenario "
            f"gives is drawn from a triangular range ±{SPREAD:.0%} around its value. These are "
            "fixed numbers, not recalculated (each shown while its scenario's inputs pass "
            "their checks): after changing inputs, refresh them with llm-breakeven build "
            "--from this workbook, or use =PROB_SELFHOST_CHEAPER(...) in Excel, or "
            "llm-breakeven simulate.")  # fmt: skip
    columns, chars = b._grid(plan)
    sheet.add(b._source_row(note, None, columns), b._text_height([note], chars))
    found = [sensitivity.simulate(s.inputs(), sensitivity.default_ranges(s.inputs(), SPREAD),
                                  MC_SAMPLES, MC_SEED) for s in scenario_set.scenarios]  # fmt: skip
    rows = [("probability_selfhost_cheaper", "Probability self-hosting is cheaper",
             [f["probability_selfhost_cheaper"] for f in found])]  # fmt: skip
    for figure, unit, label in (
        ("savings", "monthly_savings", "Monthly savings"),
        ("breakeven_volume", "breakeven_volume", "Break-even volume"),
    ):
        for p in sensitivity.PERCENTILES:
            rows.append((unit, f"{label}, P{p}", [f[figure][p] for f in found]))
    for unit, label, values in rows:
        sheet.add(_value_row(plan, unit, label, values))
    _plan_freshness(sheet, plan, len(scenario_set.scenarios))
    sheet.page_break()

    b._section(sheet, "Tornado: each key input at ±20 %, the others as given")
    sheet.add(_base_row(plan))
    heading = shape._chart_heading(plan, "Largest swing in monthly savings first: ")
    sheet.add(heading)
    labels = ["Input", "Low", "High", "Savings at low", "Savings at high", "Break-even at low",
              "Break-even at high"]  # fmt: skip
    sheet.add(b._headings(labels, wrap=True), 2 * styles.SIZE * 1.4)
    k.tornado_table = sheet.next_row
    for i in range(len(TORNADO_INPUTS)):
        sheet.add(_tornado_row(plan, k, i))
    top = shape._chart_rows(sheet, None)
    sheet.finally_(_tornado_chart(k, f"A{top}"))
    sheet.page_break()

    b._section(sheet, "Self-host cost per request over the API's (below 1: self-hosting is "
               "cheaper): utilization down, GPU hourly rate across")  # fmt: skip
    sheet.add(shape._chart_heading(plan, "One replica carrying the minimum bill, for "))
    sheet.add(_grid_head(plan, k))
    first = sheet.next_row
    for r in range(len(GRID_ROWS)):
        sheet.add(_grid_row(plan, k, r))
    span = f"B{first}:{get_column_letter(1 + len(GRID_COLUMNS))}{first + len(GRID_ROWS) - 1}"
    sheet.finally_(lambda ws: ws.conditional_formatting.add(span, ColorScaleRule(
        start_type="num", start_value=0, start_color="63BE7B", mid_type="num", mid_value=1,
        mid_color="FFFFFF", end_type="num", end_value=2, end_color="F8696B")))  # fmt: skip


# --- whether the values of the build (the Monte Carlo above, the break-evens Calculations
# holds walked) still belong to the inputs --------------------------------------------------
# A fingerprint of a scenario's inputs, taken when the values were computed and again by
# formula now: every number of its Inputs column and of its hourly profile weighed by the
# square root of its row, and every text by its length and first character (which tell each
# choice apart). A changed input changes it; the results are then out of date.


def _fingerprint_ranges(plan: Plan) -> list[tuple[str, int, int, bool]]:
    """(sheet, first row, last row, with texts) of what the fingerprint reads."""
    rows = [plan.rows[name][1] for name in FIELDS if name != "hourly_profile"]
    sheet, first, last = plan.ranges["hourly_profile"]
    return [(b.INPUTS_SHEET, min(rows), max(rows), True), (sheet, first, last, False)]


def _fingerprint_formula(plan: Plan, column: str) -> Expr:
    terms = []
    for sheet, first, last, texts in _fingerprint_ranges(plan):
        cells = Expr(f"{sheet_ref(sheet)}!{column}{first}:{column}{last}")
        weights = call("SQRT", call("ROW", cells))
        terms.append(call("SUMPRODUCT", cells, weights))
        if texts:
            text = call("ISTEXT", cells) * (call("LEN", cells) + call("CODE", concat(cells, " ")))
            terms.append(call("SUMPRODUCT", text, weights))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _fingerprint_value(ws: Worksheet, plan: Plan, column: str) -> float:
    """What `_fingerprint_formula` gives over the cells as built."""
    total = 0.0
    for sheet, first, last, texts in _fingerprint_ranges(plan):
        for row in range(first, last + 1):
            value = ws.parent[sheet][f"{column}{row}"].value
            if isinstance(value, int | float) and not isinstance(value, bool):
                total += value * math.sqrt(row)
            elif texts and isinstance(value, str) and value:
                total += (len(value) + ord(value[0])) * math.sqrt(row)
    return total


#: a fingerprint is read for equality, not size: three digits show it changing
_FINGERPRINT_FORMAT = "0.000E+00"


def _plan_freshness(sheet: SheetPlan, plan: Plan, simulated: int) -> None:
    """The fingerprint when built (a value), now (a formula), and whether they agree."""
    stored = sheet.next_row

    def when_simulated(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Inputs fingerprint when built")
        for column in plan.columns[:simulated]:
            cell = ws[f"{column}{row}"]
            cell.value = _fingerprint_value(ws, plan, column)
            cell.number_format, cell.fill = _FINGERPRINT_FORMAT, styles.CONSTANT_FILL
        b._unit_and_note(ws, plan, row, "number", "")

    def now(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Inputs fingerprint now")
        for column in plan.columns:
            q = plan.quantities(column, SENSITIVITY)
            cell = ws[f"{column}{row}"]
            fingerprint = _fingerprint_formula(plan, column)
            cell.value = "=" + call("IF", q.scenario_in_use, fingerprint, "").text
            cell.number_format = _FINGERPRINT_FORMAT
        b._unit_and_note(ws, plan, row, "number", "")

    def current(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Inputs as built (Monte Carlo, walked break-evens)")
        for column in plan.columns:
            q = plan.quantities(column, SENSITIVITY)
            was, is_ = Expr(f"{column}{stored}"), Expr(f"{column}{stored + 1}")
            same = EXCEL.abs(is_ - was) <= q.check_tolerance * EXCEL.abs(was)
            cell = ws[f"{column}{row}"]
            cell.value = "=" + call("IF", EXCEL.isblank(was), "", same).text
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
        b._unit_and_note(ws, plan, row, "TRUE / FALSE", "")

    def status(ws: Worksheet, row: int) -> None:
        label = ws.cell(row, 1, "Monte Carlo results")
        label.font, label.alignment = styles.HEADER_FONT, styles.TOP
        for column in plan.columns:
            q = plan.quantities(column, SENSITIVITY)
            fresh = Expr(f"{column}{row - 1}")
            stale = "out of date: inputs changed; refresh as the note says"
            shown = call("IF", EXCEL.isblank(fresh), "not simulated",
                         call("IF", fresh, "current", stale))  # fmt: skip
            cell = ws[f"{column}{row}"]
            cell.value = "=" + call("IF", q.scenario_in_use, shown, "").text
            cell.alignment = styles.WRAP
        b._unit_and_note(ws, plan, row, "text", "")

    sheet.add(when_simulated)
    sheet.add(now)
    plan.home("inputs_as_built", SENSITIVITY, sheet.add(current), define=False)
    sheet.add(status, 2 * styles.SIZE * 1.4)


def _value_row(plan: Plan, unit: str, label: str, values: list[float]) -> Callable[..., None]:
    q = QUANTITIES[unit]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        for column, value in zip(plan.columns, values, strict=False):
            cell = ws[f"{column}{row}"]
            # a value of the build, shown only while the scenario's inputs pass their checks
            s = plan.quantities(column, ws.title)
            cell.value = "=" + b.guarded(s, "never" if math.isinf(value) else value).text
            cell.number_format, cell.fill = q.unit.number_format, styles.CONSTANT_FILL
            cell.alignment = styles.TOP
        b._unit_and_note(ws, plan, row, q.unit.text, "")

    return render


def _base_row(plan: Plan) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Savings as given").font = styles.HEADER_FONT
        cells = [plan.quantities(c, SENSITIVITY).monthly_savings for c in plan.columns]
        passes = Expr(f"$D${row}")
        shown = call("IF", passes, _chosen(plan, cells, literal("")), b._HIDDEN)
        cell = ws.cell(row, 2, "=" + shown.text)
        cell.number_format = QUANTITIES["monthly_savings"].unit.number_format
        ws.cell(row, 3, PASSES_LABEL).alignment = styles.LEFT
        ws.cell(row, 4, "=" + _picked_passes(plan, SENSITIVITY).text)

    return render


def _tornado_row(plan: Plan, k: Blocks, i: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        data = sheet_ref(b.CHART_DATA)
        picked = plan.unit_column
        n = len(TORNADO_INPUTS)

        def block(f: str, column: str = picked) -> Expr:
            first = k.tornado[f]
            return Expr(f"{data}!${column}${first}:${column}${first + n - 1}")

        # the i-th largest swing among the inputs the scenario gives (swing -1: not given)
        rank = call("ROWS", Expr(f"$A${k.tornado_table}:$A{row}"))
        index = call("MATCH", rank, block("rank"), 0)
        given = call("INDEX", block("savings_swing"), index) >= 0
        label = call("INDEX", block("low", "A"), index)
        ws.cell(row, 1, "=" + call("IFERROR", call("IF", given, label, ""), "").text)
        passes = Expr(f"$D${k.tornado_table - BASE_ROW_ABOVE}")
        for col, f in enumerate(TORNADO_FIELDS[:6], 2):
            value = call("IF", given, call("INDEX", block(f), index), "")
            shown = call("IF", passes, call("IFERROR", value, ""), b._HIDDEN)
            cell = ws.cell(row, col, "=" + shown.text)
            name = TORNADO_INPUTS[0] if f in ("low", "high") else None
            unit = {"savings_low": "monthly_savings", "savings_high": "monthly_savings",
                    "breakeven_low": "breakeven_volume",
                    "breakeven_high": "breakeven_volume"}.get(f, name)  # fmt: skip
            cell.number_format = "#,##0.####" if f in ("low", "high") else \
                QUANTITIES[str(unit)].unit.number_format  # fmt: skip

    return render


def _tornado_chart(k: Blocks, anchor: str) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[b.CHART_DATA]
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "clustered", 100
        chart.height, chart.width = b._CHART_HEIGHT, 2 * b._CHART_WIDTH
        first, last = k.tornado_chart, k.tornado_chart + len(TORNADO_INPUTS) - 1
        for col, title, colour in ((2, "Input at its low", styles.API_COLOUR),
                                   (3, "Input at its high", styles.SELFHOST_COLOUR)):  # fmt: skip
            series = Series(Reference(data, min_col=col, min_row=first, max_row=last),
                            title=title)  # fmt: skip
            series.graphicalProperties.solidFill = colour
            chart.series.append(series)
        chart.set_categories(Reference(data, min_col=1, min_row=first, max_row=last))
        chart.gapWidth = 40
        chart.x_axis.tickLblPos = "low"  # the inputs' names left of the bars, not on them
        chart.y_axis.title = b._axis_title("Change in monthly savings")
        chart.y_axis.number_format = "#,##0"
        shape._style_axes(chart)
        chart.y_axis.scaling.min = None
        ws.add_chart(chart, anchor)

    return add


def _grid_head(plan: Plan, k: Blocks) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, "Utilization \\ GPU hourly rate")
        cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        rates = [plan.quantities(c, SENSITIVITY).hourly_rate for c in plan.columns]
        data = sheet_ref(b.CHART_DATA)
        for col in range(2, 2 + len(GRID_COLUMNS)):
            # the factors sit beside the grid's first row of utilizations on Chart data
            factor = Expr(f"{data}!${get_column_letter(2 + len(plan.columns))}${k.grid + col - 2}")
            rate = _chosen(plan, rates, literal("")) * factor
            cell = ws.cell(row, col, "=" + call("IFERROR", rate, "").text)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
            cell.number_format = QUANTITIES["hourly_rate"].unit.number_format

    return render


def _grid_row(plan: Plan, k: Blocks, r: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        data = sheet_ref(b.CHART_DATA)
        ws.cell(row, 1, GRID_ROWS[r]).number_format = "0%"
        ws.cell(row, 1).alignment = styles.LEFT
        for c in range(len(GRID_COLUMNS)):
            source = k.grid + r * len(GRID_COLUMNS) + c
            cells = [Expr(f"{data}!{column}{source}") for column in plan.columns]
            passes = Expr(f"$D${k.tornado_table - BASE_ROW_ABOVE}")
            shown = call("IF", passes, _chosen(plan, cells, literal("")), b._HIDDEN)
            cell = ws.cell(row, 2 + c, "=" + shown.text)
            cell.number_format = "0.00"

    return render


# --- Waterfall --------------------------------------------------------------------------------


def plan_waterfall(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    shape._head(sheet, plan, WATERFALL_SHEET, "Where the self-host cost of a request comes "
                "from at the scenario's own volume, layer by layer, beside the API's.",
                "Layer")  # fmt: skip
    b._section(sheet, "Self-host cost per request, layer by layer")
    for name in WATERFALL:
        height = b._text_height([QUANTITIES[name].help], b.GRID_WIDTHS[3])
        if name in plan.rows:  # the variable cost used lives on Calculations
            k.waterfall_rows[name] = sheet.add(b._output_row(plan, QUANTITIES[name],
                                                             WATERFALL_SHEET))  # fmt: skip
            continue
        k.waterfall_rows[name] = sheet.add(_defined_row(plan, name), height)
        plan.home(name, WATERFALL_SHEET, k.waterfall_rows[name], define=False)
    for name in ("selfhost_cost_per_request", "api_cost_per_request"):
        k.waterfall_rows[name] = sheet.add(b._output_row(plan, QUANTITIES[name],
                                                         WATERFALL_SHEET))  # fmt: skip
    top = shape._chart_rows(sheet, shape._chart_heading(plan, "Cost per request: "))
    sheet.finally_(_waterfall_chart(k, f"A{top}"))


def _defined_row(plan: Plan, name: str) -> Callable[..., None]:
    """A quantity written out from its definition (this row is its home)."""
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label).alignment = styles.WRAP
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = ws[f"{column}{row}"]
            cell.value = "=" + b.guarded(s, s.define(name)).text
            cell.number_format, cell.alignment = q.unit.number_format, styles.TOP
        b._unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _waterfall_chart(k: Blocks, anchor: str) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[b.CHART_DATA]
        chart = BarChart()
        chart.grouping, chart.overlap = "stacked", 100
        chart.height, chart.width = b._CHART_HEIGHT, 2 * b._CHART_WIDTH
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
        chart.y_axis.title = b._axis_title("Cost per request")
        chart.y_axis.number_format = "0.0000"
        shape._style_axes(chart)
        chart.legend = None
        ws.add_chart(chart, anchor)

    return add


# --- Signals ----------------------------------------------------------------------------------


def plan_signals(sheet: SheetPlan, plan: Plan) -> None:
    shape._head(sheet, plan, SIGNALS_SHEET, "Not only cost: the article's signals, marked on "
                "Inputs, beside the cost verdict, with a recommendation in plain words.",
                "Signal")  # fmt: skip
    b._section(sheet, "The signals (mark each on Inputs: lean API, lean self-host)")
    for name in SIGNALS:
        height = b._text_height([QUANTITIES[name].help], b.GRID_WIDTHS[3])
        sheet.add(_signal_row(plan, name), height)
    sheet.add()
    b._section(sheet, "Beside the cost verdict")
    for name in SIGNAL_ROWS:
        sheet.add(b._output_row(plan, QUANTITIES[name], SIGNALS_SHEET))
    note = ("Self-hosting tends to pay only when high volume, steady traffic and a team to run "
            "it come together. When compliance requires self-hosting below break-even, the "
            "premium above is what control costs.")  # fmt: skip
    columns, chars = b._grid(plan)
    sheet.add()
    sheet.add(b._source_row(note, None, columns), b._text_height([note], chars))


def _signal_row(plan: Plan, name: str) -> Callable[..., None]:
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label).alignment = styles.TOP
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = ws[f"{column}{row}"]
            cell.value = "=" + call("IF", s.scenario_in_use, getattr(s, name), "").text
            cell.alignment = styles.WRAP
        b._unit_and_note(ws, plan, row, "mark", q.help)
        b._verdict_colours(
            ws,
            plan.span(row),
            good=literal("lean self-host"),
            bad=literal("lean API"),
            even=literal("requires self-host"),
        )

    return render
