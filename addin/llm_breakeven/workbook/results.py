"""The Results sheet and the Chart data sheet: the headline figures per scenario, and each
scenario's chart of monthly cost against volume (the points computed on Chart data).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.title import Title
from openpyxl.drawing.spreadsheet_drawing import OneCellAnchor
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import EXCEL, Expr, Symbolic, call, concat
from ..quantities import (
    QUANTITIES,
)
from . import currency, printing, styles, toolkit, whatif
from .layout import COLUMN, Plan, SheetPlan, absolute

#: grid steps of each chart; each step is two points: at its volume and just past it
CHART_STEPS = 60
#: the second point of a step, as a share of the step past the first: the riser of a stair
CHART_RISER = 0.001


#: headline rows of the Results sheet, by quantity
RESULT_ROWS = (
    "monthly_volume",
    "cheaper_option",
    "in_alternating_band",
    "api_cost_per_request",
    "selfhost_cost_per_request",
    "api_monthly_cost",
    "selfhost_total_monthly_cost",
    "monthly_savings",
    "api_annual_cost",
    "selfhost_annual_cost",
    "annual_savings",
    "replicas_needed",
    "utilization",
    "peak_requests_per_second",
    "breakeven_volume",
    "sustained_breakeven_volume",
    "breakeven_multiple",
    "breakeven_utilization",
    "minimum_monthly_cost",
)
#: the markers of every chart: (label, x quantity, y quantity, data label position)
MARKERS = (
    ("Break-even", "breakeven_volume", "api_monthly_cost", "t"),
    ("Sustained", "sustained_breakeven_volume", "api_monthly_cost", "r"),
    ("Own volume", "monthly_volume", "selfhost_total_monthly_cost", "b"),
)


def plan_results(sheet: SheetPlan, plan: Plan, rows: ChartRows) -> None:
    toolkit.figures_head(sheet, plan, toolkit.RESULTS, "Headline figures per scenario; monthly "
                         "cost against volume follows.", "Result")  # fmt: skip
    for name in RESULT_ROWS:
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], toolkit.RESULTS))
    sheet.page_break()
    slots = _chart_slots(plan)
    sheet.finally_(lambda ws: _widen_note(ws, plan))
    # three charts side by side, two rows of them a page: the scenarios built
    for k in range(0, plan.filled, ACROSS):
        _plan_charts(sheet, plan, rows, list(range(k, min(k + ACROSS, plan.filled))), slots)
    toolkit.working_rows(sheet, plan, "Working rows: what each scenario's chart plots, step by "
                         "step (Chart data restates them, #N/A where a chart leaves a point "
                         "out), and the charts of the spare columns (a column filled on Inputs "
                         "is charted here; it prints once the workbook is built with it). They "
                         "do not print.")  # fmt: skip
    for k in range(plan.filled, plan.scenario_count, ACROSS):
        _plan_charts(sheet, plan, rows, list(range(k, min(k + ACROSS, plan.scenario_count))),
                     slots)  # fmt: skip
    _plan_points(sheet, plan, rows)


#: charts side by side on Results, each this wide (cm): together they span the printed page
ACROSS = 3
CHART_WIDTH = round((printing.ROOM_WIDTH / ACROSS - 9) / 72 * 2.54, 1)

#: a chart's place in its row: the column a heading under it sits in, and the column it
#: starts in with how far into that column (points)
Slot = tuple[int, int, float]


def _printed_widths(plan: Plan) -> list[float]:
    """Results' columns as printed, in points: label, scenarios (spare ones folded), unit,
    and the note column, widened to the page's edge."""
    label, scenario, unit = toolkit.RESULT_WIDTHS
    widths = [label] + [scenario] * plan.filled + [0.0] * plan.spare + [unit]
    points = [printing.column_points(w) if w else 0.0 for w in widths]
    return [*points, max(printing.ROOM_WIDTH - sum(points), 0.0)]


def _widen_note(ws: Worksheet, plan: Plan) -> None:
    # the charts reach the page's right edge: the print area must too
    room = _printed_widths(plan)[-1]
    if room > 0:  # many scenarios fill the page with their own columns
        ws.column_dimensions[plan.note_column].width = printing.column_width(room)


def _chart_slots(plan: Plan) -> list[Slot]:
    edges = [0.0]
    for width in _printed_widths(plan):
        edges.append(edges[-1] + width)
    slots = []
    for k in range(ACROSS):
        x = k * printing.ROOM_WIDTH / ACROSS
        start = max(j for j, edge in enumerate(edges[:-1]) if edge <= x)
        # a heading sits under its chart: in the first shown column starting inside it
        inside = [j for j, edge in enumerate(edges[:-1]) if edge >= x and edges[j + 1] > edge]
        heading = min(inside, default=start)
        slots.append((heading + 1, start + 1, x - edges[start]))
    return slots


def _plan_charts(
    sheet: SheetPlan, plan: Plan, rows: ChartRows, columns: list[int], slots: list[Slot]
) -> None:
    """The charts of the scenario columns `columns` (up to `ACROSS`), side by side; each
    covers its heading and names it as its title."""
    heading = toolkit.chart_rows(sheet, _chart_headings(plan, columns, slots))
    for (under, start, offset), k in zip(slots, columns, strict=False):
        letter = get_column_letter(under)
        built = (f"{plan.scenario_names[k]}{CHART_WHAT}" if k < len(plan.scenario_names)
                 else _blank(k + 1))  # fmt: skip
        title = toolkit.chart_title(f"{toolkit.RESULTS}!${letter}${heading}", built)
        cost = currency.axis(plan, "Monthly cost")
        anchor = toolkit.anchor_at(start, heading, offset, CHART_WIDTH, toolkit.CHART_HEIGHT)
        sheet.finally_(chart_at(rows, group_left(k), anchor, CHART_WIDTH, toolkit.CHART_HEIGHT,
                                title, cost))  # fmt: skip


def plan_chart_data(sheet: SheetPlan, plan: Plan) -> ChartRows:
    toolkit.title_rows(
        sheet,
        "Chart data",
        "Monthly cost of each option across volumes, for the charts. "
        "#N/A marks what a chart leaves out.",
        5,
        60,
    )
    name_row = sheet.add()
    largest_row = sheet.add()
    step_row = sheet.add()
    marker_head = sheet.add()
    marker_rows = [sheet.add() for _ in MARKERS]
    heading = sheet.add()
    first = sheet.next_row
    # two points a step: at j steps, and a riser's width past it, where the next replica starts
    positions = [j + rise for j in range(CHART_STEPS + 1) for rise in (0.0, CHART_RISER)]
    for position in positions:
        sheet.add(_value_cell(1, position))
    last = first + len(positions) - 1
    rows = ChartRows(name_row, largest_row, step_row, marker_head, marker_rows, heading,
                     first, last)  # fmt: skip
    for k, column in enumerate(plan.columns):
        sheet.finally_(_chart_group(plan, column, rows, group_left(k)))
        _name_chart_group(plan, k, rows)
    # the Summary's chart: whichever scenario column `summary_chart_scenario` picks
    sheet.finally_(_summary_chart_group(plan, rows))
    _name_chart_group(plan, plan.scenario_count, rows)

    def heading_cells(ws: Worksheet) -> None:
        styles.look(ws.cell(heading, 1, "Steps"), font=styles.HEADER_FONT)
        ws.column_dimensions["A"].width = 8

    sheet.finally_(heading_cells)
    return rows


class ChartRows:
    """Where the rows of every chart group sit on the Chart data sheet, and (`points`) the
    Results working rows each restates: quantity or marker -> row."""

    def __init__(self, *rows: Any) -> None:
        (self.name, self.largest, self.step, self.marker_head, self.markers, self.heading,
         self.first, self.last) = rows  # fmt: skip
        self.points: dict[str, int] = {}


#: what the chart of a scenario plots at each point: the volume, both bills, and the steps
#: of the self-host bill worth a row (the others are written out in the bill's formula)
POINT_STEPS = ("serving_replicas", "needed_replica_hours", "kept_replica_hours",
               "replica_starts_per_month", "billed_hours_per_replica")  # fmt: skip
POINT_BLOCKS = ("monthly_volume", "api_monthly_cost", *POINT_STEPS, "selfhost_total_monthly_cost")


def _plan_points(sheet: SheetPlan, plan: Plan, rows: ChartRows) -> None:
    """The chart's range, its markers, and each quantity at every point, a block of rows
    (column A: the point, in steps), one column a scenario."""
    toolkit.section_row(sheet, "The range charted")
    rows.points["largest"] = sheet.add(_point_row(plan, "Largest volume charted",
                                                  "monthly_volume", _largest))  # fmt: skip
    rows.points["step"] = sheet.add(_point_row(plan, "Volume a step (a whole number of "
                                               "replicas, or an even share of one)",
                                               "monthly_volume",
                                               partial(_step, rows)))  # fmt: skip
    sheet.add()
    toolkit.section_row(sheet, "The markers")
    for label, x_name, y_name, _ in MARKERS:
        x_row = sheet.add(_point_row(plan, f"{label}: volume", "monthly_volume",
                                     partial(_marker_x, x_name)))  # fmt: skip
        rows.points[f"{label}:x"] = x_row
        rows.points[f"{label}:y"] = sheet.add(_point_row(
            plan, f"{label}: monthly cost", y_name,
            partial(_marker_y, y_name, x_row, x_name == "monthly_volume")))  # fmt: skip
    templates = _point_templates(plan, rows)
    positions = [j + rise for j in range(CHART_STEPS + 1) for rise in (0.0, CHART_RISER)]
    for name in POINT_BLOCKS:
        sheet.add()
        label = QUANTITIES[name].label
        toolkit.section_row(sheet, f"{label}, at each point of the chart (column A: the point)")
        rows.points[name] = sheet.next_row
        for position in positions:
            sheet.add(_point_cells(plan, rows, name, position, templates))


def _largest(q: Symbolic, column: str) -> Expr:
    reach = EXCEL.where(q.breakeven_reachable, q.sustained_breakeven_volume, 0)
    return q.chart_span * EXCEL.maximum(reach, q.monthly_volume)


def _step(rows: ChartRows, q: Symbolic, column: str) -> Expr:
    # a whole number of replicas a step, or an even share of one: risers fall on steps
    L, K = Expr(f"{column}{rows.points['largest']}"), q.usable_capacity
    whole = K * EXCEL.maximum(1, EXCEL.ceil(L / (q.chart_steps * K)))
    share = K / call("INT", q.chart_steps * K / L)
    return EXCEL.where(q.chart_steps * K <= L, whole, share)


def _marker_x(x_name: str, q: Symbolic, column: str) -> Expr:
    x = getattr(q, x_name)
    if x_name == "monthly_volume":
        return x
    # a break-even marker only where self-hosting breaks even; the sustained one only where
    # it differs from the first
    if x_name == "sustained_breakeven_volume":
        x = EXCEL.where(q.sustained_breakeven_volume > q.breakeven_volume, x, "")
    return EXCEL.where(q.breakeven_reachable, x, "")


def _marker_y(y_name: str, x_row: int, own: bool, q: Symbolic, column: str) -> Expr:
    x = Expr(f"{column}{x_row}")
    # at the scenario's own volume its own bill, which has a cell; elsewhere written again
    at = q if own else q.rebind(monthly_volume=x)
    return EXCEL.where(call("ISNUMBER", x), getattr(at, y_name), "")


def _point_row(
    plan: Plan, label: str, unit: str, formula: Callable[[Symbolic, str], Expr]
) -> Callable[[Worksheet, int], None]:
    number_format = QUANTITIES[unit].unit.number_format

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)

        def written(column: str) -> Expr:
            q = plan.quantities(column, toolkit.RESULTS)
            return toolkit.in_use(q, formula(q, column))

        toolkit.across_row(ws, plan, row, written, number_format)
        toolkit.unit_and_note(ws, plan, row, QUANTITIES[unit].unit.text, "")

    return render


def _point_templates(plan: Plan, rows: ChartRows) -> Callable[[], dict[str, str]]:
    """Each block's formula for any point: its row and the blocks' rows are tokens."""

    def make() -> dict[str, str]:
        at = {name: Expr(f"{COLUMN}⟦{name}⟧") for name in POINT_BLOCKS}
        q = plan.quantities(COLUMN, toolkit.RESULTS)
        step = Expr(f"{COLUMN}${rows.points['step']}")
        changed = {"monthly_volume": at["monthly_volume"]}
        steps = {n: at[n] for n in (*POINT_STEPS, "selfhost_total_monthly_cost")}
        bills = whatif.rewritten(q, changed, steps)
        bills["api_monthly_cost"] = q.rebind(None, **changed).api_monthly_cost
        given = call("ISNUMBER", at["monthly_volume"])
        cells = {"monthly_volume": toolkit.in_use(q, Expr("$A⟦row⟧") * step)}
        for name in POINT_BLOCKS[1:]:
            cells[name] = call("IF", given, bills[name], "")
        return {name: "=" + value.text for name, value in cells.items()}

    return functools.cache(make)


def _point_cells(
    plan: Plan, rows: ChartRows, name: str, position: float,
    templates: Callable[[], dict[str, str]],
) -> Callable[[Worksheet, int], None]:  # fmt: skip
    number_format = QUANTITIES[name].unit.number_format

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, position)
        offset = row - rows.points[name]  # the point's place in every block
        tokens = {"row": row, **{block: rows.points[block] + offset for block in POINT_BLOCKS}}
        toolkit.template_row(ws, plan, row, whatif.fill(templates()[name], tokens), number_format)

    return render


#: a chart point's row, written as this in the formula every point copies
_ROW = "⟦R⟧"


def group_left(k: int) -> int:
    """The first column of chart group `k` (five columns each: four and a gap)."""
    return 2 + 5 * k


def _name_chart_group(plan: Plan, k: int, rows: ChartRows) -> None:
    left = group_left(k)
    x, y = get_column_letter(left + 1), get_column_letter(left + 2)
    suffix = k + 1 if k < plan.scenario_count else "summary"
    first_marker, last_marker = rows.markers[0], rows.markers[-1]
    plan.names[f"chart_markers_{suffix}"] = absolute(
        toolkit.CHART_DATA, f"{x}{first_marker}:{y}{last_marker}"
    )
    right = get_column_letter(left + 3)
    plan.names[f"chart_series_{suffix}"] = absolute(
        toolkit.CHART_DATA, f"{get_column_letter(left)}{rows.first}:{right}{rows.last}"
    )


def _chart_group(
    plan: Plan, column: str, rows: ChartRows, left: int
) -> Callable[[Worksheet], None]:
    """The points of one scenario's chart: its staircase of self-host cost, the API's line,
    and its markers, all #N/A while the column is not in use or its inputs fail."""

    def shown(value: Expr, q: Symbolic) -> Expr:
        return call(
            "IF",
            q.scenario_in_use,
            call("IF", q.scenario_checks_pass, value, toolkit.NOTHING),
            toolkit.NOTHING,
        )

    def render(ws: Worksheet) -> None:
        q = plan.quantities(column, toolkit.CHART_DATA)
        vol = get_column_letter(left)
        points = rows.points

        def results(row: int) -> Expr:
            return Expr(f"{toolkit.RESULTS}!{column}{row}")

        def restated(row: int, scale: Expr | None = None) -> Expr:
            # a number of the Results working rows, or #N/A: a chart leaves the point out
            value = results(row) if scale is None else results(row) / scale
            return shown(call("IF", call("ISNUMBER", results(row)), value, toolkit.NOTHING), q)

        styles.look(
            ws.cell(rows.name, left, "=" + concat(q.scenario_name, "").text),
            font=styles.SECTION_FONT,
        )
        ws.cell(rows.largest, left, "Largest volume")
        ws.cell(rows.largest, left + 1, "=" + restated(points["largest"]).text)
        ws.cell(rows.step, left, "Volume a step")
        ws.cell(rows.step, left + 1, "=" + restated(points["step"]).text)
        for offset, label in enumerate(("Marker", "Volume (M)", "Monthly cost")):
            styles.look(ws.cell(rows.marker_head, left + offset, label), font=styles.HEADER_FONT)
        for row, (label, _, _, _) in zip(rows.markers, MARKERS, strict=True):
            ws.cell(row, left, label)
            x = restated(points[f"{label}:x"], q.requests_per_million)
            ws.cell(row, left + 1, "=" + x.text)
            ws.cell(row, left + 2, "=" + restated(points[f"{label}:y"]).text)
            ws.cell(row, left + 1).number_format = "#,##0.00"
            ws.cell(row, left + 2).number_format = "#,##0"
        for offset, label in enumerate(("Volume", "Volume (M)", "API", "Self-host")):
            cell = ws.cell(rows.heading, left + offset, label)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        # each column's formula written once, its row a token: every point is a copy
        volume = Expr(f"{vol}{_ROW}")

        def bill(name: str) -> str:
            first = points[name] - rows.first
            there = Expr(f"{toolkit.RESULTS}!{column}⟦+{first}⟧")
            return call("IF", call("ISNUMBER", volume), there, toolkit.NOTHING).text

        first_volume = points["monthly_volume"] - rows.first
        plotted = (
            (left, restated_token(q, column, first_volume, shown), "#,##0"),
            (left + 1, (volume / q.requests_per_million).text, "#,##0.000"),
            (left + 2, bill("api_monthly_cost"), "#,##0"),
            (left + 3, bill("selfhost_total_monthly_cost"), "#,##0"),
        )
        # a point's row on Results: its row here, a block's distance on (a token, ⟦+k⟧)
        shifts = [re.search(r"⟦\+(\d+)⟧", formula) for _, formula, _ in plotted]
        for r in range(rows.first, rows.last + 1):
            for (number, formula, fmt), shift in zip(plotted, shifts, strict=True):
                if shift is not None:
                    formula = formula.replace(shift.group(0), str(r + int(shift.group(1))))
                cell = ws.cell(r, number, "=" + formula.replace(_ROW, str(r)))
                styles.look(cell, number_format=fmt)
        for offset, width in enumerate((14, 11, 11, 11, 3)):
            ws.column_dimensions[get_column_letter(left + offset)].width = width

    return render


def restated_token(
    q: Symbolic, column: str, offset: int, shown: Callable[[Expr, Symbolic], Expr]
) -> str:
    """A point's volume on Results (its row `offset` rows after the chart's), or #N/A."""
    there = Expr(f"{toolkit.RESULTS}!{column}⟦+{offset}⟧")
    return shown(call("IF", call("ISNUMBER", there), there, toolkit.NOTHING), q).text


def _summary_chart_group(plan: Plan, rows: ChartRows) -> Callable[[Worksheet], None]:
    """A copy of the chart group of the scenario column `summary_chart_scenario` names."""
    left = group_left(plan.scenario_count)

    def render(ws: Worksheet) -> None:
        pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))

        def chosen(row: int, offset: int) -> str:
            cells = [f"{get_column_letter(group_left(k) + offset)}{row}"
                     for k in range(plan.scenario_count)]  # fmt: skip
            return (
                "=" + call("IFERROR", call("CHOOSE", pick, *map(Expr, cells)), toolkit.NOTHING).text
            )

        ws.cell(rows.name, left, "=" + call("IFERROR", Expr(chosen(rows.name, 0)[1:]), "").text)
        styles.look(ws.cell(rows.name, left), font=styles.SECTION_FONT)
        for row in rows.markers:
            for offset in (1, 2):
                ws.cell(row, left + offset, chosen(row, offset))
        for offset, label in enumerate(("Volume", "Volume (M)", "API", "Self-host")):
            cell = ws.cell(rows.heading, left + offset, label)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        for r in range(rows.first, rows.last + 1):
            for offset in range(4):
                ws.cell(r, left + offset, chosen(r, offset))

    return render


def chart_at(
    rows: ChartRows, left: int, anchor: str | OneCellAnchor, width: float, height: float,
    heading: Title,
    cost: Title,
) -> Callable[[Worksheet], None]:  # fmt: skip
    """A step chart of one chart group: API and self-host monthly cost against volume in
    millions, with the break-evens and the own volume marked and labelled."""

    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        chart = ScatterChart(scatterStyle="lineMarker")
        chart.style = 13
        chart.height, chart.width = height, width
        chart.title = heading
        chart.x_axis.title = toolkit.axis_title("Requests per month (millions)")
        chart.y_axis.title = cost
        # as short as the value: "20", not "20.0", so ticks of tens of millions stay level
        chart.x_axis.number_format = "General"
        chart.y_axis.number_format = "#,##0"
        chart.x_axis.scaling.min = 0
        chart.y_axis.scaling.min = 0
        for axis in (chart.x_axis, chart.y_axis):
            axis.delete = False
            axis.txPr = styles.chart_text()
            axis.majorGridlines = None if axis is chart.x_axis else axis.majorGridlines
        chart.legend.position = "t"
        chart.legend.txPr = styles.chart_text()
        # the markers carry their own labels: the legend names the two lines only
        chart.legend.legendEntry = [LegendEntry(idx=k, delete=True) for k in range(2, 5)]
        xs = Reference(data, min_col=left + 1, min_row=rows.first, max_row=rows.last)
        for offset, legend, colour in (
            (2, "API", styles.API_COLOUR),
            (3, "Self-host", styles.SELFHOST_COLOUR),
        ):
            ys = Reference(data, min_col=left + offset, min_row=rows.first, max_row=rows.last)
            series = Series(ys, xs, title=legend)
            series.marker = Marker(symbol="none")
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22000
            series.smooth = False
            chart.series.append(series)
        for row, (label, _, _, position), colour in zip(
            rows.markers, MARKERS, styles.MARKER_COLOURS, strict=True
        ):
            point = Series(
                Reference(data, min_col=left + 2, min_row=row, max_row=row),
                Reference(data, min_col=left + 1, min_row=row, max_row=row),
                title=label,
            )
            point.marker = Marker(symbol="diamond", size=11)
            point.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
            point.marker.graphicalProperties.line.solidFill = styles.MARKER_LINE_COLOUR
            point.graphicalProperties.line.noFill = True
            point.smooth = False
            point.dLbls = DataLabelList(showSerName=True, showVal=False, showCatName=False,
                                        showLegendKey=False, showPercent=False,
                                        dLblPos=position)  # fmt: skip
            point.dLbls.txPr = styles.chart_text()
            chart.series.append(point)
        ws.add_chart(chart, anchor)

    return add


def _value_cell(column: int, value: float) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, column, value)

    return render


def _chart_headings(plan: Plan, columns: list[int], slots: list[Slot]) -> Callable[..., None]:
    """Under each chart, its scenario's name: the title follows the name as it changes."""

    def render(ws: Worksheet, row: int) -> None:
        for (under, _, _), k in zip(slots, columns, strict=False):
            q = plan.quantities(plan.columns[k], toolkit.RESULTS)
            text = scenario_title(q, k + 1, CHART_WHAT)
            cell = ws.cell(row, under, "=" + text.text)
            styles.look(cell, font=styles.SECTION_FONT)

    return render


def scenario_title(q: Symbolic, number: int, what: str) -> Expr:
    """A heading that follows the scenario's name, or says its column is blank."""
    return call("IF", call("ISBLANK", q.scenario_name), _blank(number),
                concat(q.scenario_name, what))  # fmt: skip


#: what each scenario's chart on Results shows, after its name
CHART_WHAT = ": monthly cost"


def _blank(number: int) -> str:
    return f"Scenario {number}: blank (fill its column on Inputs)"
