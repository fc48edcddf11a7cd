"""The Traffic, Hybrid and Buy vs rent sheets, and the helper rows they need on Chart data.

Traffic holds each scenario's hourly profile (24 blue cells a column), the requests of each
hour at the scenario's volume, what the profile and the billing mode make of them, and a
chart of demand against self-hosted capacity by hour. Hybrid tabulates the monthly cost of
0 to the busiest hour's replicas, marks the cheapest, and finds the hybrid break-even.
Buy vs rent sets renting and owning the same replicas side by side. Every figure is a native
formula from `llm_breakeven.model`'s definitions; the helpers the hour-by-hour formulas read
(each hour's predecessor, the sorted weights) have cells of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import EXCEL, Expr, call, concat
from ..model import hour_demand
from ..quantities import NEED_PURCHASE_PRICE, QUANTITIES
from ..scenario import ScenarioSet
from . import builder as b
from . import styles
from .layout import Plan, SheetPlan, absolute

TRAFFIC, HYBRID, BUY = "Traffic", "Hybrid", "Buy vs rent"
#: the workbook's profiles are a day long (a weekly profile is refused by `check_profiles`)
HOURS = 24
#: the Hybrid sheet prices 0 to this many replicas at least, and at most (a bigger fleet
#: fails the check that the table reaches the peak's replicas: its hybrid is in `compute`)
HYBRID_ROWS = 40
HYBRID_MAX_ROWS = 200

SHAPE_ROWS = ("profile_peak_to_average", "peak_to_average_used", "serving_replicas",
              "usable_hourly_capacity", "billing_mode", "billed_hours_per_replica",
              "billed_replica_hours", "replica_starts_per_month", "availability",
              "api_fallback_monthly_cost", "standby_monthly_cost",
              "cheaper_resilience")  # fmt: skip
BUY_ROWS = ("ownership", "replicas_needed", "gpus_per_replica", "rented_replica_monthly_cost",
            "owned_monthly_cost", "owned_cash_monthly_cost", "owned_replica_monthly_cost",
            "rent_monthly_cost", "own_monthly_cost", "buy_monthly_savings", "purchase_cost",
            "buy_payback_months", "amortized_monthly_cost", "one_time_payback_months")  # fmt: skip
_NOTHING = call("NA")


def check_profiles(scenario_set: ScenarioSet) -> None:
    """Refuse a weekly profile: the workbook's Traffic sheet holds a day."""
    from ..scenario import ScenarioError

    for s in scenario_set.scenarios:
        profile = s.inputs().get("hourly_profile")
        if profile is not None and len(profile) != HOURS:
            raise ScenarioError(
                f"scenario {s.name!r}: the workbook holds 24-hour profiles; this one has "
                f"{len(profile)} hours (compute takes it; a workbook needs a day)"
            )


def hybrid_rows(scenario_set: ScenarioSet, evaluated: Any) -> int:
    """Replica counts the Hybrid sheet prices beyond 0: twice the largest peak at a
    scenario's own volume or at its hybrid break-even (`evaluated`: the set's results),
    40 to 200. A scenario whose peak needs more is refused (ScenarioError), with the words
    of the workbook's own check, rather than built into a workbook whose checks fail."""
    from ..model import figures
    from ..scenario import ScenarioError

    peaks = []
    for s, replicas, volume in zip(scenario_set.scenarios, evaluated["replicas_needed"],
                                   evaluated["hybrid_breakeven_volume"], strict=True):  # fmt: skip
        peak = float(replicas) - s.failover_replicas
        if np.isfinite(volume):
            at = figures(("serving_replicas",), {**s.inputs(), "monthly_volume": volume})
            peak = max(peak, float(at["serving_replicas"]))
        if peak > HYBRID_MAX_ROWS:
            raise ScenarioError(
                f"scenario {s.name!r}: its busiest hour needs {peak:,.0f} replicas, and the "
                f"workbook's Hybrid sheet prices up to {HYBRID_MAX_ROWS} (its check \"The "
                f"Hybrid sheet's replicas reach the peak's\" would fail); compute, report and "
                "the Excel functions take any size"
            )
        peaks.append(peak)
    return min(HYBRID_MAX_ROWS, max(HYBRID_ROWS, 2 * int(max(peaks))))


@dataclass
class Helpers:
    """Rows of Chart data the new sheets use."""

    sorted_first: int
    tail_first: int
    candidates_first: int
    traffic_first: int
    hybrid_first: int
    replicas: int
    #: set as Traffic and Hybrid are planned: the last profile row, the first row of
    #: requests per hour, the first row of the cost table
    profile_last: int = 0
    demand_first: int = 0
    cost_first: int = 0


def plan_helpers(sheet: SheetPlan, plan: Plan, replicas: int) -> Helpers:
    """Sorted weights and the shares outside the busiest hours (for the hybrid break-even),
    each replica count's break-even, and the series of the Traffic and Hybrid charts."""
    sheet.add()
    _label(sheet, "Sorted weights, largest first (each scenario column)")
    sorted_first = sheet.next_row
    for _ in range(HOURS):
        sheet.add()
    _label(sheet, "Share outside the j busiest hours (column A: j)")
    tail_first = sheet.next_row
    for _ in range(HOURS):
        sheet.add()
    plan.hours("tail_shares", b.CHART_DATA, tail_first, tail_first + HOURS - 1)
    plan.single("hour_rank", b.CHART_DATA, f"A{tail_first}:A{tail_first + HOURS - 1}")
    _label(sheet, "Volume from which N replicas beat pure API (column A: N)")
    candidates_first = sheet.next_row
    for _ in range(replicas):
        sheet.add()
    # read by the Checks' Hybrid reach, which cannot read the Hybrid sheet's shown break-even
    # (hidden while a check fails: a circle); no defined name
    plan.ranges["hybrid_breakeven_candidates"] = (
        b.CHART_DATA, candidates_first, candidates_first + replicas - 1
    )  # fmt: skip
    _label(sheet, "Traffic chart: hour, requests, serving capacity, hybrid capacity")
    traffic_first = sheet.next_row
    for _ in range(HOURS):
        sheet.add()
    _label(sheet, "Hybrid chart: replicas, monthly cost, the optimum")
    hybrid_first = sheet.next_row
    for _ in range(replicas + 1):
        sheet.add()
    helpers = Helpers(sorted_first, tail_first, candidates_first, traffic_first, hybrid_first,
                      replicas)  # fmt: skip
    sheet.finally_(lambda ws: _render_helpers(ws, plan, helpers))
    return helpers


def _label(sheet: SheetPlan, text: str) -> None:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, text).font = styles.SECTION_FONT

    sheet.add(render)


def _render_helpers(ws: Worksheet, plan: Plan, h: Helpers) -> None:
    pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))
    for column in plan.columns:
        q = plan.quantities(column, b.CHART_DATA)
        for k in range(HOURS):
            rank = Expr(f"$A{h.sorted_first + k}")
            ws[f"{column}{h.sorted_first + k}"] = "=" + call("LARGE", q.hourly_profile, rank).text
            outside = Expr(f"{column}{h.sorted_first + k}:{column}{h.sorted_first + HOURS - 1}")
            total = call("SUM", q.hourly_profile)
            ws[f"{column}{h.tail_first + k}"] = "=" + (call("SUM", outside) / total).text
        for n in range(1, h.replicas + 1):
            row = h.candidates_first + n - 1
            at = plan.quantities(column, b.CHART_DATA, replicas=Expr(f"$A{row}"))
            value = call("IF", q.scenario_in_use, at.hybrid_breakeven_candidate, "")
            ws[f"{column}{row}"] = "=" + value.text
    for k in range(HOURS):
        ws.cell(h.sorted_first + k, 1, k + 1)
        ws.cell(h.tail_first + k, 1, k)
    for n in range(1, h.replicas + 1):
        ws.cell(h.candidates_first + n - 1, 1, n)

    def chosen(cells: list[Expr]) -> str:
        return "=" + call("IFERROR", call("CHOOSE", pick, *cells), _NOTHING).text

    for k in range(HOURS):
        row = h.traffic_first + k
        ws.cell(row, 1, f"{k:02d}:00")
        sheet = quote_sheetname(TRAFFIC)
        demand = [Expr(f"{sheet}!{c}{h.demand_first + k}") for c in plan.columns]
        ws.cell(row, 2, chosen([call("IF", call("ISNUMBER", d), d, _NOTHING) for d in demand]))
        for offset, replicas in ((3, "serving_replicas"), (4, "optimal_replicas")):
            cells = []
            for column in plan.columns:
                q = plan.quantities(column, b.CHART_DATA)
                capacity = getattr(q, replicas) * q.usable_hourly_capacity
                cells.append(b.guarded(q, capacity, _NOTHING, _NOTHING))
            ws.cell(row, offset, chosen(cells))
    cost_first = h.cost_first
    for n in range(h.replicas + 1):
        row = h.hybrid_first + n
        ws.cell(row, 1, n)
        costs = [Expr(f"{quote_sheetname(HYBRID)}!{c}{cost_first + n}") for c in plan.columns]
        ws.cell(row, 2, chosen([call("IF", call("ISNUMBER", c), c, _NOTHING) for c in costs]))
        # the replica count, where its cost is priced: the axis ends at the peak's replicas
        count = Expr(f"A{row}")
        ws.cell(row, 4, "=" + call("IF", call("ISNUMBER", Expr(f"B{row}")), count, _NOTHING).text)
        best = []
        for column, cost in zip(plan.columns, costs, strict=True):
            q = plan.quantities(column, b.CHART_DATA)
            best.append(call("IF", Expr(f"{q.optimal_replicas.text}=A{row}"), cost, _NOTHING))
        ws.cell(row, 3, chosen(best))


# --- Traffic --------------------------------------------------------------------------------


def _head(sheet: SheetPlan, plan: Plan, title: str, subtitle: str, first: str) -> None:
    """Title, master check and the scenario headings repeated on every printed page."""
    b._title(sheet, title, subtitle, *b._grid(plan))
    sheet.add(b._master_row(plan, "Master check"))
    head = b._scenario_table_head(sheet, plan, first, "Note", widths=b.GRID_WIDTHS)
    names = sheet.add(b._names_row(plan), b.TWO_LINES)
    sheet.title_rows = (head, names)
    sheet.add()


def plan_traffic(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet, h: Helpers) -> None:
    scenarios = scenario_set.scenarios
    spare = plan.scenario_count - len(scenarios)
    _head(
        sheet,
        plan,
        TRAFFIC,
        "Traffic in each hour of a day (blue: weights, only their "
        "proportions matter), what it needs and what the billing mode bills.",
        "Hour",
    )
    b._section(sheet, "Hourly traffic profile (weights; a flat day when none is given)")
    note = (
        "The weight of the traffic in each hour of the day; only their proportions matter "
        "(all 1: a flat day). The row in grey repeats the last hour: the day repeats, and "
        "scale-to-zero counts the replicas started from one hour to the next."
    )
    columns, chars = b._grid(plan)
    sheet.add(b._source_row(note, None, columns), b._text_height([note], chars))
    wrap = sheet.add(_wrap_row(plan, h))
    first = sheet.next_row
    profiles = [s.inputs().get("hourly_profile") or (1.0,) * HOURS for s in scenarios]
    profiles += [(1.0,) * HOURS] * spare
    for k in range(HOURS):
        sheet.add(_weight_row(plan, k, [p[k] for p in profiles]))
    last = first + HOURS - 1
    plan.hours("hourly_profile", TRAFFIC, first, last)
    plan.hours("previous_hourly_profile", TRAFFIC, wrap, last - 1)
    h.profile_last = last

    sheet.add()
    b._section(sheet, "Requests in each hour at the scenario's own volume")
    h.demand_first = sheet.next_row
    for k in range(HOURS):
        sheet.add(_demand_cells(plan, k, first))

    sheet.add()
    b._section(sheet, "What the shape and the billing mode make of it")
    for name in SHAPE_ROWS:
        sheet.add(b._output_row(plan, QUANTITIES[name], TRAFFIC))
    sheet.page_break()
    top = _chart_rows(sheet, _chart_heading(plan, "Requests per hour and self-hosted capacity: "))
    sheet.finally_(_traffic_chart(h, f"A{top}"))


def _wrap_row(plan: Plan, h: Helpers) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "23:00 (the hour before 00:00)").font = styles.NOTE_FONT
        for column in plan.columns:
            cell = ws[f"{column}{row}"]
            cell.value = f"={column}{h.profile_last}"
            cell.font, cell.number_format = styles.FORMULA_FONT, "#,##0.00"
        b._unit_and_note(ws, plan, row, "weight", "")

    return render


def _weight_row(plan: Plan, hour: int, values: list[float]) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES["hourly_profile"]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, f"{hour:02d}:00 to {hour + 1:02d}:00").alignment = styles.TOP
        for column, value in zip(plan.columns, values, strict=True):
            cell = ws[f"{column}{row}"]
            cell.value = value
            cell.number_format = q.unit.number_format
            b._style_input(cell)
        b._unit_and_note(ws, plan, row, "weight", "")
        b._validate(ws, q, plan.span(row))

    return render


def _demand_cells(plan: Plan, hour: int, first: int) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, f"{hour:02d}:00 to {hour + 1:02d}:00")
        for column in plan.columns:
            q = plan.quantities(column, TRAFFIC)
            demand = hour_demand(q, EXCEL, Expr(f"{column}{first + hour}"))
            cell = ws[f"{column}{row}"]
            cell.value = "=" + b.guarded(q, demand).text
            cell.number_format, cell.font = "#,##0", styles.FORMULA_FONT
        b._unit_and_note(ws, plan, row, "requests / hour", "")

    return render


def _chart_rows(sheet: SheetPlan, heading: Callable[[Worksheet, int], None] | None) -> int:
    """A heading row (blank when None) and the rows a chart covers, kept on one page;
    returns the chart's top row."""
    first = sheet.add(heading)
    top = sheet.add()
    for _ in range(b.CHART_ROWS - 1):
        sheet.add()
    sheet.block(first, top + b.CHART_ROWS - 1)
    return top


def _chart_heading(plan: Plan, text: str) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))
        names = [plan.quantities(c, ws.title).scenario_name for c in plan.columns]
        name = call("IFERROR", concat(call("CHOOSE", pick, *names), ""), "")
        cell = ws.cell(row, 1, "=" + concat(text, name, " (pick it on Inputs)").text)
        cell.font = styles.SECTION_FONT

    return render


def _traffic_chart(h: Helpers, anchor: str) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[b.CHART_DATA]
        bars = BarChart()
        bars.height, bars.width = b._CHART_HEIGHT, 2 * b._CHART_WIDTH
        last = h.traffic_first + HOURS - 1
        hours = Reference(data, min_col=1, min_row=h.traffic_first, max_row=last)
        demand = Series(Reference(data, min_col=2, min_row=h.traffic_first, max_row=last),
                        title="Requests in the hour")  # fmt: skip
        demand.graphicalProperties.solidFill = styles.API_COLOUR
        bars.series.append(demand)
        bars.set_categories(hours)
        lines = LineChart()
        for col, title, colour in ((3, "Capacity of the serving replicas", styles.SELFHOST_COLOUR),
                                   (4, "Capacity of the hybrid's replicas",
                                    styles.MARKER_COLOURS[0])):  # fmt: skip
            series = Series(Reference(data, min_col=col, min_row=h.traffic_first, max_row=last),
                            title=title)  # fmt: skip
            series.marker = Marker(symbol="none")
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22000
            lines.series.append(series)
        bars.x_axis.title = b._axis_title("Hour of the day")
        bars.y_axis.title = b._axis_title("Requests per hour")
        bars.y_axis.number_format = "#,##0"
        bars += lines
        _style_axes(bars)
        ws.add_chart(bars, anchor)

    return add


def _style_axes(chart: BarChart | ScatterChart) -> None:
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = styles.chart_text()
    chart.y_axis.scaling.min = 0
    chart.legend.position = "t"
    chart.legend.txPr = styles.chart_text()


# --- Hybrid ---------------------------------------------------------------------------------


def plan_hybrid(sheet: SheetPlan, plan: Plan, h: Helpers) -> None:
    _head(
        sheet,
        plan,
        HYBRID,
        "Self-host a baseline of N replicas, send the overflow hour by "
        "hour to the API: the monthly cost of each N, and the cheapest.",
        "Replicas",
    )
    b._section(sheet, "The cost-optimal hybrid")

    def costs(column: str) -> Expr:  # rendered once the cost table below is planned
        return Expr(f"{column}{h.cost_first}:{column}{h.cost_first + h.replicas}")

    formulas: dict[str, Callable[[str], Expr]] = {
        "optimal_replicas": lambda c: call("MATCH", call("MIN", costs(c)), costs(c), 0) - 1,
        "optimal_hybrid_monthly_cost": lambda c: call("MIN", costs(c)),
        "optimal_hybrid_selfhost_share": lambda c: plan.quantities(
            c, HYBRID, replicas=plan.quantities(c, HYBRID).optimal_replicas
        ).hybrid_selfhost_share,
        "hybrid_breakeven_volume": lambda c: least_candidate(plan.quantities(c, HYBRID)),
    }  # fmt: skip
    for name, formula in formulas.items():
        height = b._text_height([QUANTITIES[name].help], b.GRID_WIDTHS[3])
        row = sheet.add(_computed_row(plan, name, formula), height)
        plan.home(name, HYBRID, row)
    for name in ("api_monthly_cost", "selfhost_total_monthly_cost"):
        sheet.add(b._output_row(plan, QUANTITIES[name], HYBRID))
    top = _chart_rows(sheet, _chart_heading(plan, "Monthly cost by replicas self-hosted: "))
    sheet.finally_(_hybrid_chart(h, f"A{top}"))
    sheet.page_break()
    b._section(sheet, "Monthly cost with N replicas self-hosted (blank beyond the peak's)")
    h.cost_first = sheet.next_row
    for n in range(h.replicas + 1):
        sheet.add(_cost_cells(plan, n))


def least_candidate(q: Any, none: Any = EXCEL.never) -> Expr:
    """The hybrid break-even: the least of each replica count's volume (`none` if none)."""
    candidates = q.hybrid_breakeven_candidates
    return EXCEL.where(call("COUNT", candidates) > 0, call("MIN", candidates), none)


def _computed_row(
    plan: Plan, name: str, formula: Callable[[str], Expr]
) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label).alignment = styles.WRAP
        for column in plan.columns:
            cell = ws[f"{column}{row}"]
            # no figure while the scenario's inputs fail a check
            cell.value = "=" + b.guarded(plan.quantities(column, HYBRID), formula(column)).text
            cell.number_format = q.unit.number_format
            cell.font = styles.HEADER_FONT if name == "optimal_replicas" else styles.FORMULA_FONT
            cell.alignment = styles.TOP
        b._unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _cost_cells(plan: Plan, n: int) -> Callable[[Worksheet, int], None]:
    q_cost = QUANTITIES["hybrid_monthly_cost"]

    def render(ws: Worksheet, row: int) -> None:
        count = ws.cell(row, 1, n)
        count.number_format = '0;-0;"0 (pure API)"'
        count.alignment = styles.LEFT
        replicas = Expr(f"$A{row}")
        for column in plan.columns:
            q = plan.quantities(column, HYBRID)
            at = plan.quantities(column, HYBRID, replicas=replicas)
            within = call("IF", replicas <= q.serving_replicas, at.hybrid_monthly_cost, "")
            cell = ws[f"{column}{row}"]
            cell.value = "=" + b.guarded(q, within).text
            cell.number_format, cell.font = q_cost.unit.number_format, styles.FORMULA_FONT
        b._unit_and_note(ws, plan, row, q_cost.unit.text, "")

    return render


def marked(values: Reference, xs: Reference, title: str) -> Series:
    """A series drawn only as a diamond where it has a number: the point a chart marks."""
    series = Series(values, xs, title=title)
    series.marker = Marker(symbol="diamond", size=11)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=styles.MARKER_COLOURS[0])
    series.marker.graphicalProperties.line.solidFill = styles.MARKER_LINE_COLOUR
    series.graphicalProperties.line.noFill = True
    series.smooth = False
    return series


def _hybrid_chart(h: Helpers, anchor: str) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[b.CHART_DATA]
        chart = ScatterChart(scatterStyle="lineMarker")
        chart.height, chart.width = b._CHART_HEIGHT, 2 * b._CHART_WIDTH
        last = h.hybrid_first + h.replicas
        xs = Reference(data, min_col=4, min_row=h.hybrid_first, max_row=last)
        cost = Series(Reference(data, min_col=2, min_row=h.hybrid_first, max_row=last), xs,
                      title="Monthly cost")  # fmt: skip
        cost.marker = Marker(symbol="circle", size=5)
        cost.graphicalProperties.line.solidFill = styles.SELFHOST_COLOUR
        cost.smooth = False
        best = marked(Reference(data, min_col=3, min_row=h.hybrid_first, max_row=last), xs,
                      "Cheapest")  # fmt: skip
        chart.series.extend([cost, best])
        chart.x_axis.title = b._axis_title("Replicas self-hosted (0: pure API)")
        chart.y_axis.title = b._axis_title("Monthly cost")
        chart.x_axis.scaling.min = 0
        chart.x_axis.majorUnit = 1  # whole replicas
        chart.x_axis.number_format = "0"
        chart.y_axis.number_format = "#,##0"
        _style_axes(chart)
        ws.add_chart(chart, anchor)

    return add


# --- Buy vs rent ------------------------------------------------------------------------------


def plan_buy(sheet: SheetPlan, plan: Plan) -> None:
    b._title(sheet, BUY, "Renting and owning the replicas each scenario needs, side by side; "
             "owning is priced once a purchase price is given.", len(plan.columns) + 2,
             60)  # fmt: skip
    sheet.add(b._master_row(plan, "Master check (see Checks)"))
    sheet.add()
    sheet.add(b._header_cells([(1, "Figure"), *b._heading_cells(plan),
                               (len(plan.columns) + 2, "Unit")]))  # fmt: skip
    sheet.finally_(lambda ws: b._widths(ws, plan, *b.RESULT_WIDTHS))
    sheet.add(b._names_row(plan), b.TWO_LINES)
    rows = {}
    for name in BUY_ROWS:
        rows[name] = sheet.add(_buy_row(plan, name))
    top = _chart_rows(sheet, None)
    sheet.finally_(_buy_chart(plan, rows["rent_monthly_cost"], rows["own_monthly_cost"],
                              f"A{top}"))  # fmt: skip


def _buy_row(plan: Plan, name: str) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES[name]
    row_of = b._output_row(plan, q, BUY)
    if name not in NEED_PURCHASE_PRICE:
        return row_of

    def render(ws: Worksheet, row: int) -> None:
        row_of(ws, row)
        for column in plan.columns:
            cell = ws[f"{column}{row}"]
            q = plan.quantities(column, BUY)
            unpriced = call("IF", q.scenario_in_use, b._HIDDEN, "")
            cell.value = "=" + call("IF", q.purchase_price > 0, Expr(cell.value[1:]),
                                    unpriced).text  # fmt: skip

    return render


def _buy_chart(plan: Plan, rent: int, own: int, anchor: str) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        chart = BarChart()
        chart.height, chart.width = b._CHART_HEIGHT, 2 * b._CHART_WIDTH
        first, last = 2, 1 + len(plan.columns)
        for row, title, colour in ((rent, "Renting", styles.API_COLOUR),
                                   (own, "Owning", styles.SELFHOST_COLOUR)):  # fmt: skip
            series = Series(Reference(ws, min_col=first, max_col=last, min_row=row),
                            title=title)  # fmt: skip
            series.graphicalProperties.solidFill = colour
            chart.series.append(series)
        names = Reference(ws, min_col=first, max_col=last, min_row=rent - BUY_ROWS.index(
            "rent_monthly_cost") - 1)  # fmt: skip
        chart.set_categories(names)
        chart.y_axis.title = b._axis_title("Monthly cost")
        chart.y_axis.number_format = "#,##0"
        _style_axes(chart)
        ws.add_chart(chart, anchor)

    return add
