"""The Projection sheet: every scenario month by month, and when switching pays.

A month changes three things of a scenario (`llm_breakeven.model.month_bindings`): its
volume, the API's price and the GPU's. Each month's two bills follow from them through the
engine's definitions, a labelled row per step (`whatif`), then the savings, their discounted
sum from the month to the horizon and the NPV of switching in the month. From those rows the
sheet finds the month in which switching is worth most and when it pays back its migration
cost, and shows the picked scenario's months beside a chart of both paths' cumulative cost.

The month blocks are working rows below the printed pages: one block a quantity, one row a
month, one column a scenario, each row the fill-right copy of its first cell.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.title import Title
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import EXCEL, Expr, call, equal, literal
from ..model import month_bindings
from ..projection import YEAR_MONTHS
from ..quantities import MAX_HORIZON_MONTHS, PROJECTION_OUTPUTS, QUANTITIES, YEAR_OUTPUTS
from . import currency, styles, toolkit, whatif
from .decide import BEST_ROW_ABOVE, PASSES_LABEL, Blocks, chosen, picked_passes
from .layout import COLUMN, Plan, SheetPlan

PROJECTION = "Projection"
MONTHS = MAX_HORIZON_MONTHS
#: what a month changes (`model.month_bindings`), a block each
MONTH_CHANGED = ("monthly_volume", "api_cost_per_request", "hourly_rate")
#: the month's two bills, and each step to them that follows from what the month changes
MONTH_BILLS = tuple(
    whatif.recomputed(("api_monthly_cost", "selfhost_total_monthly_cost"), MONTH_CHANGED)
)
#: from the bills to the NPV of switching in the month and to the payback: (label, unit) of
#: the steps that are not quantities of the engine
MONTH_STEPS: dict[str, tuple[str, str] | None] = {
    "monthly_savings": None,
    "discount_factor": None,
    "from_here": ("Discounted savings from the month to the horizon", "switch_npv"),
    "switch_npv": None,
    "since": ("Savings since the best month to switch", "switch_npv"),
    "covered": ("Month whose savings since the best month cover the migration cost",
                "best_switch_month"),
}  # fmt: skip
MONTH_BLOCKS = (*MONTH_CHANGED, *MONTH_BILLS, *MONTH_STEPS)
#: the month table's columns on Projection, after the month
MONTH_COLUMNS = ("monthly_volume", "api_monthly_cost", "selfhost_total_monthly_cost",
                 "monthly_savings", "switch_npv")  # fmt: skip


def plan_projection(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    toolkit.sheet_head(sheet, plan, PROJECTION, "Month by month as traffic grows and prices change "
                "(Inputs: Over time): the month in which switching to self-hosting is worth "
                "most today, and when it pays back its migration cost.", "Figure")  # fmt: skip
    toolkit.section_row(sheet, "Assumed (change them on Inputs: Over time)")
    for name in ("monthly_growth", "api_price_change_per_year", "gpu_price_change_per_year",
                 "migration_cost", "annual_discount_rate", "horizon_months"):  # fmt: skip
        sheet.add(toolkit.echo_row(plan, QUANTITIES[name], "From Inputs"))
    sheet.add()
    toolkit.section_row(sheet, "When switching pays")
    formulas = _projection_formulas(k)
    for name in PROJECTION_OUTPUTS:
        height = toolkit.note_height(plan, [QUANTITIES[name].help])
        row = sheet.add(_projection_row(plan, name, formulas[name]), height)
        plan.home(name, PROJECTION, row)
    sheet.add()
    toolkit.section_row(sheet, "Year 1: months 1 to 12 of the projection, whatever the horizon")
    for name, formula in _year_formulas(k).items():
        height = toolkit.note_height(plan, [QUANTITIES[name].help])
        plan.home(name, PROJECTION, sheet.add(_projection_row(plan, name, formula), height))
    top, title = toolkit.titled_chart_rows(sheet, plan, "Cumulative cost of both paths: ")
    sheet.finally_(_projection_chart(k, f"A{top}", title, currency.axis(plan, "Cumulative cost")))
    toolkit.working_rows(
        sheet,
        plan,
        "Below, out of print: the picked scenario month by month (what the chart draws), "
        "then working rows computing each scenario's months, one block a step, as the "
        "engine's projection does.",
    )
    # no section row: the best month heads the table
    sheet.add(_best_row(plan))
    labels = ["Month", *(QUANTITIES[c].label for c in MONTH_COLUMNS), "Cumulative: API",
              "Cumulative: switching in the best month"]  # fmt: skip
    sheet.add(toolkit.heading_row(labels, wrap=True), 3 * styles.SIZE * 1.4)
    k.month_table = sheet.next_row
    for m in range(MONTHS):
        sheet.add(_month_row(plan, k, m))
    sheet.add()
    _plan_month_blocks(sheet, plan, k)


# --- the month blocks ---------------------------------------------------------------------


def _block_label(name: str) -> tuple[str, str]:
    """A month block's label and the quantity whose unit it takes."""
    step = MONTH_STEPS.get(name)
    return step if step is not None else (QUANTITIES[name].label, name)


def _plan_month_blocks(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    k.bills_through = sheet.add(_bills_through_row(plan))
    templates = functools.cache(lambda: _month_templates(plan, k.bills_through))
    for name in MONTH_BLOCKS:
        label, unit = _block_label(name)
        sheet.add()
        sheet.add(_block_head(plan, f"{label}, month by month (column A: the month)", unit))
        k.months[name] = sheet.next_row
        for m in range(MONTHS):
            sheet.add(_month_cells(plan, k, name, m, templates, unit))


def _block_head(plan: Plan, label: str, unit: str) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), font=styles.SECTION_FONT)
        toolkit.unit_cell(ws, plan, f"{plan.unit_column}{row}", QUANTITIES[unit].unit.text)

    return render


def _bills_through_row(plan: Plan) -> Callable[[Worksheet, int], None]:
    """The months whose bills the blocks compute: the horizon, and all of year 1."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "Months billed: the horizon, and year 1 at least"),
                    alignment=styles.WRAP)  # fmt: skip

        def formula(column: str) -> Expr:
            q = plan.quantities(column, PROJECTION)
            return toolkit.in_use(q, EXCEL.maximum(q.horizon_months, q.months_per_year))

        toolkit.across_row(ws, plan, row, formula, "0")
        toolkit.unit_and_note(ws, plan, row, QUANTITIES["horizon_months"].unit.text, "")

    return render


def _month_templates(plan: Plan, bills_through: int) -> dict[str, str]:
    """Each block's formula for any month: the rows it reads are tokens (⟦name⟧, and
    ⟦row⟧ its own), the column is COLUMN."""
    at = {name: Expr(f"{COLUMN}⟦{name}⟧") for name in MONTH_BLOCKS}
    month = Expr("$A⟦row⟧")
    q = plan.quantities(COLUMN, PROJECTION)
    by = plan.quantities(COLUMN, PROJECTION, projection_month=month)
    changed = month_bindings(by)
    assert tuple(changed) == MONTH_CHANGED, changed
    # the bills and the savings: the engine's definitions over the month's rows
    written = (*MONTH_BILLS, "monthly_savings")
    bills = whatif.rewritten(by, {n: at[n] for n in MONTH_CHANGED}, {n: at[n] for n in written})
    migration, best = q.migration_cost, q.best_switch_month
    cells = {
        **changed,
        **bills,
        "discount_factor": by.discount_factor,
        # the engine's reversed running sum: the same additions in the same order
        "from_here": at["monthly_savings"] * at["discount_factor"] + Expr("⟦later⟧"),
        "switch_npv": at["from_here"] - migration * at["discount_factor"],
        # "never" is text, and a number is less than any text: nothing since
        "since": call("IF", month < best, 0, at["monthly_savings"] + Expr("⟦before⟧")),
        "covered": call("IF", call("AND", month >= best, at["since"] >= migration), month, ""),
    }
    within = month <= q.horizon_months
    # the month's bills run to the horizon, and through year 1 whatever the horizon
    year = month <= Expr(f"{COLUMN}${bills_through}")
    billed = {*MONTH_CHANGED, *written}

    def guarded(name: str, value: Expr) -> str:
        shown = call("IF", year if name in billed else within, value,
                     0 if name == "from_here" else "")  # fmt: skip
        return "=" + toolkit.in_use(q, shown).text

    return {name: guarded(name, value) for name, value in cells.items()}


def _month_cells(
    plan: Plan, k: Blocks, name: str, m: int, templates: Callable[[], dict[str, str]], unit: str
) -> Callable[[Worksheet, int], None]:
    number_format = QUANTITIES[unit].unit.number_format

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, m + 1), alignment=styles.LEFT)
        rows = {block: str(first + m) for block, first in k.months.items()}
        rows["row"] = str(row)
        last = m + 1 == MONTHS
        rows["later"] = "0" if last else f"{COLUMN}{k.months['from_here'] + m + 1}"
        rows["before"] = f"{COLUMN}{k.months['since'] + m - 1}" if m else "0"
        toolkit.template_row(ws, plan, row, whatif.fill(templates()[name], rows), number_format)

    return render


def _block(k: Blocks, name: str, column: str) -> Expr:
    first = k.months[name]
    return Expr(f"{column}{first}:{column}{first + MONTHS - 1}")


def _year_formulas(k: Blocks) -> dict[str, Callable[[Plan, str], Expr]]:
    """Year 1's figures of the scenario in a column: its first 12 months' bills summed."""

    def summed(name: str) -> Callable[[Plan, str], Expr]:
        def formula(plan: Plan, column: str) -> Expr:
            first = k.months[name]
            return call("SUM", Expr(f"{column}{first}:{column}{first + YEAR_MONTHS - 1}"))

        return formula

    def defined(name: str) -> Callable[[Plan, str], Expr]:
        # the engine's definition, reading the sums above
        return lambda plan, column: plan.quantities(column, PROJECTION).define(name)

    formulas = {"api_annual_cost": summed("api_monthly_cost"),
                "selfhost_annual_cost": summed("selfhost_total_monthly_cost"),
                "annual_savings": defined("annual_savings"),
                "control_premium_annual": defined("control_premium_annual")}  # fmt: skip
    assert tuple(formulas) == YEAR_OUTPUTS
    return formulas


def _projection_formulas(k: Blocks) -> dict[str, Callable[[Plan, str], Expr]]:
    """The projection's outputs of the scenario in a column, from its month blocks."""

    def best(plan: Plan, column: str) -> Expr:
        npv = _block(k, "switch_npv", column)
        top = call("MAX", npv)
        return call("IF", top > 0, call("MATCH", top, npv, 0), EXCEL.never)

    def payback(plan: Plan, column: str) -> Expr:
        q = plan.quantities(column, PROJECTION)
        covered = _block(k, "covered", column)
        none = equal(call("COUNT", covered), 0)
        found = call("IF", none, EXCEL.never, call("MIN", covered))
        return call("IF", call("ISNUMBER", q.best_switch_month), found, EXCEL.never)

    return {
        "switch_now_npv": lambda plan, c: Expr(f"{c}{k.months['switch_npv']}"),
        "best_switch_month": best,
        "best_switch_npv": lambda plan, c: call("MAX", _block(k, "switch_npv", c)),
        "switch_payback_month": payback,
    }


# --- the printed rows -------------------------------------------------------------------------


def _projection_row(
    plan: Plan, name: str, formula: Callable[[Plan, str], Expr]
) -> Callable[..., None]:
    """A computed output: blank where no scenario, a dash while the scenario fails a check."""
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.WRAP)
        for column in plan.columns:
            s = plan.quantities(column, ws.title)
            cell = plan.at(ws, column, row)
            cell.value = "=" + toolkit.guarded(s, formula(plan, column)).text
            cell.number_format = q.unit.number_format
            cell.font = styles.HEADER_FONT if name == "best_switch_month" else styles.FORMULA_FONT
            cell.alignment = styles.TOP_RIGHT  # "never" beside the numbers
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _best_row(plan: Plan) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "Month by month: best month"), font=styles.SECTION_FONT)
        months = [plan.quantities(c, PROJECTION).best_switch_month for c in plan.columns]
        cell = ws.cell(row, 2, "=" + chosen(plan, months, literal("")).text)
        styles.look(cell, font=styles.HEADER_FONT)
        migration = [plan.quantities(c, PROJECTION).migration_cost for c in plan.columns]
        styles.look(ws.cell(row, 3, "Migration cost"), alignment=styles.LEFT)
        paid = ws.cell(row, 4, "=" + chosen(plan, migration, literal("")).text)
        paid.number_format = QUANTITIES["migration_cost"].unit.number_format
        styles.look(ws.cell(row, 5, PASSES_LABEL), alignment=styles.LEFT)
        ws.cell(row, 6, "=" + picked_passes(plan, PROJECTION).text)
        styles.look(ws.cell(row, 7, "Horizon"), alignment=styles.LEFT)
        horizons = [plan.quantities(c, PROJECTION).horizon_months for c in plan.columns]
        ws.cell(row, 8, "=" + chosen(plan, horizons, literal("")).text).number_format = "0"

    return render


def _month_row(plan: Plan, k: Blocks, m: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        first = k.month_table
        above = first - BEST_ROW_ABOVE
        best, migration, passes = Expr(f"$B${above}"), Expr(f"$D${above}"), Expr(f"$F${above}")
        # the months within the picked scenario's horizon (its bills run through year 1)
        within = Expr(f"A{row}") <= Expr(f"$H${above}")
        styles.look(ws.cell(row, 1, m + 1), alignment=styles.LEFT)
        for offset, name in enumerate(MONTH_COLUMNS, 2):
            source = k.months[name] + m
            cells = [Expr(f"{c}{source}") for c in plan.columns]
            # no figure while the picked scenario fails a check (the flag heads the table)
            shown_value = call(
                "IF",
                passes,
                call("IF", within, chosen(plan, cells, literal("")), ""),
                toolkit.HIDDEN_FIGURE,
            )
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


def _projection_chart(
    k: Blocks, anchor: str, heading: Title, cost: Title
) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        chart = ScatterChart(scatterStyle="lineMarker")
        chart.title = heading
        chart.height, chart.width = toolkit.CHART_HEIGHT, 2 * toolkit.CHART_WIDTH
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
        best = toolkit.marked(Reference(data, min_col=4, min_row=first, max_row=last), months,
                            "Best month to switch")  # fmt: skip
        chart.series.append(best)
        chart.x_axis.title = toolkit.axis_title("Month")
        chart.y_axis.title = cost
        chart.x_axis.scaling.min = 1
        chart.x_axis.number_format = "0"
        chart.y_axis.number_format = "#,##0"
        toolkit.style_axes(chart)
        ws.add_chart(chart, anchor)

    return add
