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
from functools import partial
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.title import Title
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import EXCEL, Expr, Symbolic, call
from ..model import DEFINITIONS
from ..quantities import NEED_PURCHASE_PRICE, QUANTITIES, TEXT, Quantity
from ..scenario import ScenarioSet
from . import currency, styles, toolkit
from .layout import ROW_HEIGHT, Plan, SheetPlan, sheet_ref

#: the workbook's profiles are a day long (a weekly profile is refused by `check_profiles`)
HOURS = 24
#: the Hybrid sheet's cost curve: this many points past 0 replicas, every count up to the
#: peak's for a small fleet, evenly spread counts for a larger one
POINTS = 40
#: the halving searches for the cheapest fleet and the hybrid break-even take this many
#: steps: they cover ranges of up to 2 ** SEARCH_STEPS replicas (`search_span`)
SEARCH_STEPS = 24

SHAPE_ROWS = ("profile_peak_to_average", "peak_to_average_used", "serving_replicas",
              "usable_hourly_capacity", "billing_mode", "billed_hours_per_replica",
              "billed_replica_hours", "replica_starts_per_month", "availability",
              "api_fallback_monthly_cost", "standby_monthly_cost",
              "cheaper_resilience")  # fmt: skip
BUY_ROWS = ("ownership", "replicas_needed", "gpus_per_replica", "rented_replica_monthly_cost",
            "owned_monthly_cost", "owned_cash_monthly_cost", "owned_replica_monthly_cost",
            "rent_monthly_cost", "own_monthly_cost", "buy_monthly_savings", "purchase_cost",
            "buy_payback_months", "amortized_monthly_cost", "one_time_payback_months")  # fmt: skip


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


def check_fleets(scenario_set: ScenarioSet) -> None:
    """Refuse a scenario whose hybrid searches span more replicas than the workbook's halving
    searches cover (`search_span`, some 16.7 million), in the words of the workbook's own
    check, rather than build a workbook whose checks fail."""
    from ..model import hybrid_search_ranges
    from ..scenario import ScenarioError

    span = float(QUANTITIES["search_span"].default)  # type: ignore[arg-type]
    for s in scenario_set.scenarios:
        found = {k: float(v) for k, v in hybrid_search_ranges(**s.inputs()).items()}
        first = found["hybrid_paying_replicas"]
        widest = max(found["serving_replicas"], found["hybrid_search_top"] - first)
        if not widest <= span:
            raise ScenarioError(
                f"scenario {s.name!r}: its hybrid searches span {widest:,.0f} replicas, and "
                f'the workbook\'s halving searches cover {span:,.0f} (its check "{SPAN_CHECK}" '
                "would fail); compute, report and the Excel functions take any size"
            )


#: the Checks' words for a fleet the Hybrid sheet's searches cannot cover
SPAN_CHECK = "The Hybrid sheet's searches cover the replicas they search"


@dataclass
class Helpers:
    """Rows the chart series and the hour-by-hour formulas read, set as sheets are planned:
    Chart data's series, Traffic's last profile row and requests per hour, Hybrid's sorted
    weights and the first rows of the cost curve's replica counts and costs."""

    traffic_first: int
    hybrid_first: int
    profile_last: int = 0
    demand_first: int = 0
    sorted_first: int = 0
    counts_first: int = 0
    cost_first: int = 0
    serving_capacity: int = 0
    hybrid_capacity: int = 0


def plan_helpers(sheet: SheetPlan, plan: Plan) -> Helpers:
    """The series of the Traffic and Hybrid charts (restating figures of those sheets)."""
    sheet.add()
    toolkit.section_row(sheet, "Traffic chart: hour, requests, serving capacity, hybrid capacity")
    traffic_first = sheet.next_row
    for _ in range(HOURS):
        sheet.add()
    toolkit.section_row(
        sheet, "Hybrid chart: point, monthly cost, cheapest cost, replicas, cheapest replicas"
    )
    hybrid_first = sheet.next_row
    for _ in range(POINTS + 1):
        sheet.add()
    helpers = Helpers(traffic_first, hybrid_first)
    sheet.finally_(lambda ws: _render_helpers(ws, plan, helpers))
    return helpers


def _render_helpers(ws: Worksheet, plan: Plan, h: Helpers) -> None:
    for k in range(HOURS):
        row = h.traffic_first + k
        ws.cell(row, 1, f"{k:02d}:00")
        ws.cell(row, 2, "=" + toolkit.picked(plan, toolkit.TRAFFIC, h.demand_first + k).text)
        for offset, capacity in ((3, h.serving_capacity), (4, h.hybrid_capacity)):
            ws.cell(row, offset, "=" + toolkit.picked(plan, toolkit.TRAFFIC, capacity).text)
    for k in range(POINTS + 1):
        row = h.hybrid_first + k
        ws.cell(row, 1, k)
        ws.cell(row, 2, "=" + toolkit.picked(plan, toolkit.HYBRID, h.cost_first + k).text)
        # the replica count, where its cost is priced: the axis ends at the peak's replicas
        count = toolkit.picked(plan, toolkit.HYBRID, h.counts_first + k)
        ws.cell(row, 4, "=" + call("IF", call("ISNUMBER", Expr(f"B{row}")), count,
                                   toolkit.NOTHING).text)  # fmt: skip
    # the cheapest fleet, a point of its own (a large fleet's is seldom among the counts)
    for offset, name in ((3, "optimal_hybrid_monthly_cost"), (5, "optimal_replicas")):
        ws.cell(h.hybrid_first, offset, "=" + toolkit.picked(plan, *plan.rows[name]).text)


def plan_traffic(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet, h: Helpers) -> None:
    scenarios = scenario_set.scenarios
    spare = plan.scenario_count - len(scenarios)
    toolkit.sheet_head(
        sheet,
        plan,
        toolkit.TRAFFIC,
        "Traffic in each hour of a day (blue: weights, only their "
        "proportions matter), what it needs and what the billing mode bills.",
        "Hour",
    )
    toolkit.section_row(sheet, "Hourly traffic profile (weights; a flat day when none is given)")
    note = (
        "The weight of the traffic in each hour of the day; only their proportions matter "
        "(all 1: a flat day). The row in grey repeats the last hour: the day repeats, and "
        "scale-to-zero counts the replicas started from one hour to the next."
    )
    columns, chars = toolkit.grid_size(plan)
    sheet.add(toolkit.source_row(note, None, columns), toolkit.text_height([note], chars))
    wrap = sheet.add(_wrap_row(plan, h))
    first = sheet.next_row
    profiles = [s.inputs().get("hourly_profile") or (1.0,) * HOURS for s in scenarios]
    profiles += [(1.0,) * HOURS] * spare
    for k in range(HOURS):
        sheet.add(_weight_row(plan, k, [p[k] for p in profiles]))
    last = first + HOURS - 1
    plan.hours("hourly_profile", toolkit.TRAFFIC, first, last)
    plan.hours("previous_hourly_profile", toolkit.TRAFFIC, wrap, last - 1)
    h.profile_last = last

    sheet.add()
    toolkit.section_row(sheet, "What the shape and the billing mode make of it")
    for name in SHAPE_ROWS:
        words = QUANTITIES[name].unit is TEXT  # a text wraps to two lines in its column
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], toolkit.TRAFFIC),
                  toolkit.TWO_LINES if words else ROW_HEIGHT)  # fmt: skip
    # the capacity lines of the chart below
    h.serving_capacity = sheet.add(_capacity_row(plan, "serving_replicas"))
    h.hybrid_capacity = sheet.add(_capacity_row(plan, "optimal_replicas"))
    top, title = toolkit.titled_chart_rows(
        sheet, plan, "Requests per hour and self-hosted capacity: "
    )
    sheet.finally_(_traffic_chart(h, f"A{top}", title))
    toolkit.working_rows(
        sheet,
        plan,
        "Below, out of print: the requests in each hour at the scenario's own volume (the "
        "chart draws them), then working rows: the replicas each hour needs, which the "
        "billed hours and the starts of a fleet scaling to zero add up.",
    )
    toolkit.section_row(sheet, "Requests in each hour at the scenario's own volume")
    h.demand_first = sheet.next_row
    for k in range(HOURS):
        sheet.add(_demand_cells(plan, k))
    hourly_block(sheet, plan, toolkit.TRAFFIC, "hourly_demand")
    hourly_block(sheet, plan, toolkit.TRAFFIC, "hourly_load")
    hourly_block(sheet, plan, toolkit.TRAFFIC, "kept_hourly_weight")
    hourly_block(sheet, plan, toolkit.TRAFFIC, "kept_hourly_load")
    hourly_block(sheet, plan, toolkit.TRAFFIC, "hourly_replicas")
    hourly_block(sheet, plan, toolkit.TRAFFIC, "kept_hourly_replicas")


def hourly_block(
    sheet: SheetPlan, plan: Plan, title: str, name: str,
    previous: tuple[str, str] | None = None,
) -> None:  # fmt: skip
    """`name`, an hourly quantity, in rows of its own: one row an hour, one cell a scenario;
    `previous`: (a quantity `name` reads, the hourly quantity whose previous hour it is),
    read in the cell of the hour before (the day repeats)."""
    sheet.add()
    toolkit.section_row(sheet, QUANTITIES[name].help)
    first = sheet.next_row
    for k in range(HOURS):
        sheet.add(_hour_cells(plan, title, name, k, previous))
    plan.hours(name, title, first, first + HOURS - 1)


def _hour_cells(
    plan: Plan, title: str, name: str, hour: int, previous: tuple[str, str] | None
) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, f"{hour:02d}:00 to {hour + 1:02d}:00")

        def formula(column: str) -> Expr:
            bound = {}
            if previous is not None:  # the day repeats: the first hour's predecessor is the last
                before = plan.at_hour(column, title, (hour - 1) % HOURS)(previous[1])
                assert before is not None, f"{previous[1]} has no cells"
                bound[previous[0]] = before
            cells = plan.at_hour(column, title, hour)
            value = Symbolic(DEFINITIONS, cells, bound).define(name)
            # as on Calculations, which reads them: no check reads its own result
            return toolkit.in_use(plan.quantities(column, title), value)

        toolkit.across_row(ws, plan, row, formula, q.unit.number_format)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, "")

    return render


CAPACITY_LABELS = {
    "serving_replicas": "Serving replicas' capacity",
    "optimal_replicas": "Cheapest hybrid's capacity",
}


def _capacity_row(plan: Plan, replicas: str) -> Callable[[Worksheet, int], None]:
    """Requests an hour the `replicas` carry: the serving fleet's, or the cheapest hybrid's."""
    label = CAPACITY_LABELS[replicas]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)

        def formula(column: str) -> Expr:
            q = plan.quantities(column, toolkit.TRAFFIC)
            return toolkit.guarded(q, getattr(q, replicas) * q.usable_hourly_capacity)

        toolkit.across_row(ws, plan, row, formula, QUANTITIES["hourly_demand"].unit.number_format)
        toolkit.unit_and_note(ws, plan, row, QUANTITIES["hourly_demand"].unit.text, "")

    return render


def _wrap_row(plan: Plan, h: Helpers) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "23:00 (the hour before 00:00)"), font=styles.NOTE_FONT)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            cell.value = f"={column}{h.profile_last}"
            cell.font, cell.number_format = styles.FORMULA_FONT, "#,##0.00"
        toolkit.unit_and_note(ws, plan, row, "weight", "")

    return render


def _weight_row(plan: Plan, hour: int, values: list[float]) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES["hourly_profile"]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, f"{hour:02d}:00 to {hour + 1:02d}:00"), alignment=styles.TOP)
        for column, value in zip(plan.columns, values, strict=True):
            cell = plan.at(ws, column, row)
            cell.value = value
            cell.number_format = q.unit.number_format
            toolkit.style_input(cell)
        toolkit.unit_and_note(ws, plan, row, "weight", "")
        toolkit.add_validation(ws, q, plan.span(row))

    return render


def _demand_cells(plan: Plan, hour: int) -> Callable[[Worksheet, int], None]:
    """The requests of `hour`, from the working rows, shown while the inputs pass."""

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, f"{hour:02d}:00 to {hour + 1:02d}:00")
        for column in plan.columns:
            q = plan.quantities(column, toolkit.TRAFFIC)
            demand = plan.at_hour(column, toolkit.TRAFFIC, hour)("hourly_demand")
            cell = plan.at(ws, column, row)
            cell.value = "=" + toolkit.guarded(q, demand).text
            styles.formula_cell(cell, "#,##0")
        toolkit.unit_and_note(ws, plan, row, "requests / hour", "")

    return render


def _traffic_chart(h: Helpers, anchor: str, heading: Title) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        bars = BarChart()
        bars.title = heading
        bars.height, bars.width = toolkit.CHART_HEIGHT, 2 * toolkit.CHART_WIDTH
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
            series.smooth = False
            if col == 4:  # dashed: where the hybrid runs every serving replica, both show
                series.graphicalProperties.line.prstDash = "dash"
            lines.series.append(series)
        bars.x_axis.title = toolkit.axis_title("Hour of the day")
        bars.y_axis.title = toolkit.axis_title("Requests per hour")
        bars.y_axis.number_format = "#,##0"
        bars += lines
        toolkit.style_axes(bars)
        ws.add_chart(bars, anchor)

    return add


# --- Hybrid ---------------------------------------------------------------------------------


def plan_hybrid(sheet: SheetPlan, plan: Plan, h: Helpers, results: Any) -> None:
    toolkit.sheet_head(
        sheet,
        plan,
        toolkit.HYBRID,
        "Self-host a baseline of N replicas, send the overflow hour by "
        "hour to the API: the monthly cost of each N, and the cheapest.",
        "Replicas",
    )
    toolkit.section_row(sheet, "The cost-optimal hybrid (a fleet scaling to zero: the engine's "
                        "figures, at build)")  # fmt: skip
    # the working rows below are planned after these rows, which read where they are
    ends: dict[str, int] = {}
    at_optimum: dict[str, int] = {}
    curve: dict[str, int] = {}

    def ended(name: str, column: str) -> Expr:
        return Expr(f"{column}{ends[name]}")

    def engine(name: str, c: str, native: Expr) -> Expr:
        # scaling to zero, the engine's figure from the build, in a working row below
        q = plan.quantities(c, toolkit.HYBRID)
        return call("IF", q.billing_scales, ended(name, c), native)

    def cheapest(c: str) -> Expr:
        fewest = ended("cheapest_low", c)
        native = call("IF", ended("cheapest_cost", c) < ended("pure_api_cost", c), fewest, 0)
        return engine("optimal_replicas", c, native)

    def at_cheapest(c: str, name: str) -> Expr:
        chosen = plan.quantities(c, toolkit.HYBRID).optimal_replicas
        value = getattr(_priced_at(plan, c, chosen, at_optimum), name)
        # a count out of date shows why, where its cost would be
        return call("IF", call("ISNUMBER", chosen), value, chosen)

    formulas: dict[str, Callable[[str], Expr]] = {
        "optimal_replicas": cheapest,
        "optimal_hybrid_monthly_cost": lambda c: at_cheapest(c, "hybrid_monthly_cost"),
        "optimal_hybrid_selfhost_share": lambda c: at_cheapest(c, "hybrid_selfhost_share"),
        "hybrid_breakeven_volume": lambda c: engine("hybrid_breakeven_volume", c,
                                                    ended("breakeven_volume", c)),
    }  # fmt: skip
    for name, formula in formulas.items():
        height = toolkit.note_height(plan, [QUANTITIES[name].help])
        row = sheet.add(_computed_row(plan, name, formula), height)
        plan.home(name, toolkit.HYBRID, row)
    for name in ("api_monthly_cost", "selfhost_total_monthly_cost"):
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], toolkit.HYBRID))
    top, title = toolkit.titled_chart_rows(sheet, plan, "Monthly cost by replicas self-hosted: ")
    sheet.finally_(_hybrid_chart(h, f"A{top}", title, currency.axis(plan, "Monthly cost")))
    toolkit.working_rows(sheet, plan, "Below, out of print: the points the chart draws, then "
                 "working rows finding the figures above. Scaling to zero, the engine's (the "
                 "cost is not convex in N); otherwise each step halves the replicas left, as "
                 "the engine does.")  # fmt: skip
    sheet.add(_scaled_note(plan), toolkit.note_height(plan, [SCALED_NOTE]))
    toolkit.section_row(sheet, f"Replicas self-hosted at {POINTS + 1} points from 0 to the peak's")
    h.counts_first = sheet.next_row
    for k in range(POINTS + 1):
        sheet.add(_count_cells(plan, k, h))
    toolkit.section_row(sheet, "Monthly cost at each of those points")
    h.cost_first = sheet.next_row
    for k in range(POINTS + 1):
        sheet.add(_curve_cells(plan, k, h, "hybrid_monthly_cost", curve, printed=True))
    sheet.add()
    for name in ("hybrid_hourly_demand", "hybrid_hourly_needs"):
        hourly_block(sheet, plan, toolkit.HYBRID, name)
    hourly_block(sheet, plan, toolkit.HYBRID, "kept_hybrid_hourly_needs",
                 ("previous_hybrid_hourly_needs", "hybrid_hourly_needs"))  # fmt: skip
    _plan_shares(sheet, plan, h)
    sheet.add()
    api = QUANTITIES["hybrid_api_monthly_cost"]
    row = sheet.add(_search_row(plan, api.label, lambda q, c: q.define(api.name), api))
    plan.home(api.name, toolkit.HYBRID, row, define=False)
    for name in PRICED[:-1]:
        sheet.add()
        toolkit.section_row(sheet, f"{QUANTITIES[name].label} at each point of the cost curve")
        curve[name] = sheet.next_row
        for k in range(POINTS + 1):
            sheet.add(_curve_cells(plan, k, h, name, curve))
    sheet.add()
    toolkit.section_row(sheet, "At the cheapest count")
    chosen = plan.rows["optimal_replicas"][1]
    at_optimum.update(
        _plan_priced(sheet, plan, "At the cheapest count", partial(_cell, row=chosen))
    )
    _plan_searches(sheet, plan, ends, results)


#: beside a scenario whose replicas scale to zero: where its hybrid figures come from
SCALED_NOTE = (
    "Costs priced hour by hour; the cheapest fleet and the break-even are the "
    "engine's, at build (no halving: the cost is not convex in N)"
)
#: what a scenario column that scales to zero reads in that row
SCALED = "the engine's, at build"


def _scaled_note(plan: Plan) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        label = ws.cell(row, 1, "Scaling to zero")
        label.font, label.alignment = styles.NOTE_FONT, styles.TOP
        for column in plan.columns:
            q = plan.quantities(column, toolkit.HYBRID)
            note = call("IF", q.scenario_in_use, call("IF", q.billing_scales, SCALED, ""), "")
            cell = plan.at(ws, column, row)
            cell.value = "=" + note.text
            cell.font, cell.alignment = styles.NOTE_FONT, styles.WRAP
        toolkit.unit_and_note(ws, plan, row, "text", SCALED_NOTE)

    return render


def _plan_searches(sheet: SheetPlan, plan: Plan, ends: dict[str, int], results: Any) -> None:
    """The two halving searches, step by step, as the engine takes them (`model.search.optimum`,
    `model.search.hybrid_breakeven_of`): the cheapest fleet from 1 to the peak's replicas (the cost
    is convex past the first replica), and the fewest replicas' least break-even volume
    (convex in the replicas)."""
    sheet.add()
    toolkit.section_row(sheet, "Scaling to zero: the engine's figures, from the build")
    for name in ("optimal_replicas", "hybrid_breakeven_volume"):
        q = QUANTITIES[name]
        ends[name] = toolkit.walked_rows(
            sheet,
            plan,
            q,
            [float(v) for v in results[name]],
            2 * styles.SIZE * 1.4,
            f"{q.label}, scaling to zero",
            "Scaling to zero (no formula finds it)",
        )
    sheet.add()
    toolkit.section_row(sheet, "Finding the cheapest fleet: halving 1 to the peak's replicas")

    def monthly_cost(label: str, replicas: Callable[[str], Expr]) -> int:
        return _plan_priced(sheet, plan, label, replicas)["hybrid_monthly_cost"]

    ends["pure_api_cost"] = monthly_cost("At 0 replicas (pure API)", lambda c: Expr("0"))
    low = sheet.add(_search_row(plan, "Start: fewest replicas", lambda q, c: Expr("1")))
    high = sheet.add(_search_row(plan, "Start: most replicas",
                                 lambda q, c: EXCEL.maximum(q.serving_replicas, 1)))  # fmt: skip
    low, high = _halving(sheet, plan, low, high, monthly_cost, "the cost",
                         lambda here, after: after >= here)  # fmt: skip
    ends["cheapest_low"] = low
    ends["cheapest_cost"] = monthly_cost("At the cheapest count past 0", partial(_cell, row=low))

    sheet.add()
    toolkit.section_row(sheet, "Finding the hybrid break-even: halving the replicas that can pay")
    first = sheet.add(_search_row(plan, QUANTITIES["hybrid_paying_replicas"].label,
                                  lambda q, c: q.hybrid_paying_replicas))  # fmt: skip

    after = _plan_priced(sheet, plan, "One more than the fewest", partial(_next, row=first),
                         BREAKEVEN)  # fmt: skip

    def top(q: Any, c: str) -> Expr:
        more = _priced_at(plan, c, _next(c, first), after).hybrid_search_top
        return EXCEL.maximum(more, _cell(c, first))

    high = sheet.add(_search_row(plan, QUANTITIES["hybrid_search_top"].label, top))

    def falling_ends(here: Expr, after: Expr) -> Expr:
        # a count that cannot pay (never) sends the search up
        return call("IF", call("ISNUMBER", here), after >= here, EXCEL.false)

    def breakeven(label: str, replicas: Callable[[str], Expr]) -> int:
        return _plan_priced(sheet, plan, label, replicas, BREAKEVEN)["hybrid_breakeven_candidate"]

    low, _ = _halving(sheet, plan, first, high, breakeven, "the break-even volume", falling_ends)
    ends["breakeven_low"] = low
    ends["breakeven_volume"] = breakeven("At the fewest replicas found", partial(_cell, row=low))


def _plan_shares(sheet: SheetPlan, plan: Plan, h: Helpers) -> None:
    """The weights sorted, largest first, and the share of the traffic outside the j
    busiest hours, which the hybrid break-even reads."""
    sheet.add()
    toolkit.section_row(sheet, "The profile's weights, largest first (column A: the rank)")
    h.sorted_first = sheet.next_row
    for k in range(HOURS):
        sheet.add(_share_cells(plan, h, k, False))
    sheet.add()
    toolkit.section_row(sheet, QUANTITIES["tail_shares"].help + " (column A: j)")
    first = sheet.next_row
    for k in range(HOURS):
        sheet.add(_share_cells(plan, h, k, True))
    plan.hours("tail_shares", toolkit.HYBRID, first, first + HOURS - 1)
    plan.single("hour_rank", toolkit.HYBRID, f"A{first}:A{first + HOURS - 1}")
    hourly_block(sheet, plan, toolkit.HYBRID, "tail_divisors")


def _share_cells(plan: Plan, h: Helpers, k: int, tail: bool) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, k if tail else k + 1), alignment=styles.LEFT)

        def formula(column: str) -> Expr:
            q = plan.quantities(column, toolkit.HYBRID)
            if tail:
                outside = Expr(f"{column}{h.sorted_first + k}:{column}{h.sorted_first + HOURS - 1}")
                return call("SUM", outside) / call("SUM", q.hourly_profile)
            return call("LARGE", q.hourly_profile, Expr(f"$A{row}"))

        toolkit.across_row(ws, plan, row, formula, "0.0000")
        toolkit.unit_and_note(ws, plan, row, "share" if tail else "weight", "")

    return render


#: the hybrid's monthly cost at N replicas, a row each, in the order each reads the last
PRICED = ("hybrid_served", "hybrid_replica_hours", "hybrid_kept_replica_hours",
          "hybrid_replica_starts", "hybrid_replica_monthly_cost",
          "hybrid_monthly_cost")  # fmt: skip


def _priced_at(plan: Plan, column: str, replicas: Expr, rows: dict[str, int]) -> Any:
    """The quantities of `column` at `replicas`, with those in `rows` read there."""
    cells: dict[str, Any] = {name: _cell(column, row) for name, row in rows.items()}
    return plan.quantities(column, toolkit.HYBRID, replicas=replicas, **cells)


#: the volume from which N replicas beat the API, a row each
BREAKEVEN = ("hybrid_breakeven_worth", "hybrid_breakeven_capacity", "hybrid_breakeven_served",
             "hybrid_breakeven_candidate")  # fmt: skip


def _plan_priced(
    sheet: SheetPlan, plan: Plan, label: str, replicas: Callable[[str], Expr],
    names: tuple[str, ...] = PRICED,
) -> dict[str, int]:  # fmt: skip
    """The rows of `names` at the replicas `replicas(column)` gives, each reading those
    before it; returns their rows."""
    rows: dict[str, int] = {}
    for name in names:
        q = QUANTITIES[name]
        before = dict(rows)

        def formula(s: Any, c: str, name: str = name, before: dict[str, int] = before) -> Expr:
            return getattr(_priced_at(plan, c, replicas(c), before), name)

        rows[name] = sheet.add(_search_row(plan, f"{label}: {q.label.lower()}", formula, q))
    return rows


def _next(column: str, row: int) -> Expr:
    return _cell(column, row) + 1


def _cell(column: str, row: int) -> Expr:
    return Expr(f"{column}{row}")


#: plans the rows of a value at the replicas a function of the column gives; returns the
#: row that holds the value
Evaluate = Callable[[str, Callable[[str], Expr]], int]


def _halving(
    sheet: SheetPlan, plan: Plan, low: int, high: int, evaluate: Evaluate, what: str,
    rising: Callable[[Expr, Expr], Expr],
) -> tuple[int, int]:  # fmt: skip
    """SEARCH_STEPS steps of halving [low, high]: the middle, the value there and one count
    on (`evaluate`), and the halves kept (the lower where `rising`); returns the last step's
    rows."""

    def middle(lo: int, hi: int, q: Any, c: str) -> Expr:
        return call("INT", (_cell(c, lo) + _cell(c, hi)) * q.half)

    def kept(lo: int, hi: int, m: int, here: int, after: int, lower: bool, q: Any, c: str) -> Expr:
        up = rising(_cell(c, here), _cell(c, after))
        searching = _cell(c, lo) < _cell(c, hi)
        if lower:
            return call(
                "IF", searching, call("IF", up, _cell(c, lo), _cell(c, m) + 1), _cell(c, lo)
            )
        return call("IF", searching, call("IF", up, _cell(c, m), _cell(c, hi)), _cell(c, hi))

    for k in range(1, SEARCH_STEPS + 1):
        mid = sheet.add(_search_row(plan, f"Step {k}: middle", partial(middle, low, high)))
        here = evaluate(f"Step {k}: {what} there", partial(_cell, row=mid))
        after = evaluate(f"Step {k}: {what} one more", partial(_next, row=mid))
        rows = (low, high, mid, here, after)
        low = sheet.add(_search_row(plan, f"Step {k}: fewest replicas left",
                                    partial(kept, *rows, True)))  # fmt: skip
        high = sheet.add(_search_row(plan, f"Step {k}: most replicas left",
                                     partial(kept, *rows, False)))  # fmt: skip
    return low, high


def _search_row(
    plan: Plan, label: str, formula: Callable[[Any, str], Expr], quantity: Quantity | None = None
) -> Callable[[Worksheet, int], None]:
    """A row of a search: `formula(q, column)` in each scenario column (of `quantity`'s
    unit; replicas when None)."""
    unit = quantity.unit if quantity is not None else QUANTITIES["replicas"].unit

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)

        def figure(column: str) -> Expr:
            # a working row, as the hourly ones: the figures it finds are guarded where shown
            q = plan.quantities(column, toolkit.HYBRID)
            return toolkit.in_use(q, formula(q, column))

        toolkit.across_row(ws, plan, row, figure, unit.number_format)
        toolkit.unit_and_note(ws, plan, row, unit.text, "")

    return render


def _computed_row(
    plan: Plan, name: str, formula: Callable[[str], Expr]
) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.WRAP)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            # no figure while the scenario's inputs fail a check
            cell.value = (
                "=" + toolkit.guarded(plan.quantities(column, toolkit.HYBRID), formula(column)).text
            )
            cell.number_format = q.unit.number_format
            cell.font = styles.HEADER_FONT if name == "optimal_replicas" else styles.FORMULA_FONT
            styles.look(cell, alignment=styles.TOP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _count_cells(plan: Plan, k: int, h: Helpers) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, k), alignment=styles.LEFT)
        point, last = Expr(f"$A{row}"), Expr(f"$A${h.counts_first + POINTS}")

        def formula(column: str) -> Expr:
            q = plan.quantities(column, toolkit.HYBRID)
            peak = q.serving_replicas
            each = call("IF", point <= peak, point, "")
            spread = call("INT", point * peak / last + q.half)  # the nearest count
            return toolkit.guarded(q, call("IF", peak <= last, each, spread))

        toolkit.across_row(ws, plan, row, formula, '0;-0;"0 (pure API)"')
        toolkit.unit_and_note(ws, plan, row, "replicas", "")

    return render


def _curve_cells(
    plan: Plan, k: int, h: Helpers, name: str, curve: dict[str, int], printed: bool = False
) -> Callable[[Worksheet, int], None]:
    """`name` (one of PRICED) at the curve's point `k`, reading the rows before it there:
    where the count is a number; otherwise blank in a working row and, `printed`, what the
    count shows (blank, or a dash while the inputs fail a check)."""
    q_name = QUANTITIES[name]

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, k), alignment=styles.LEFT)
        before = {n: curve[n] + k for n in PRICED[: PRICED.index(name)]}

        def formula(column: str) -> Expr:
            # the count is guarded as a printed figure: its row says whether to show any
            replicas = Expr(f"{column}{h.counts_first + k}")
            value = getattr(_priced_at(plan, column, replicas, before), name)
            return call("IF", call("ISNUMBER", replicas), value, replicas if printed else "")

        toolkit.across_row(ws, plan, row, formula, q_name.unit.number_format)
        toolkit.unit_and_note(ws, plan, row, q_name.unit.text, "")

    return render


def _hybrid_chart(
    h: Helpers, anchor: str, heading: Title, y_title: Title
) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        chart = ScatterChart(scatterStyle="lineMarker")
        chart.title = heading
        chart.height, chart.width = toolkit.CHART_HEIGHT, 2 * toolkit.CHART_WIDTH
        last = h.hybrid_first + POINTS
        xs = Reference(data, min_col=4, min_row=h.hybrid_first, max_row=last)
        cost = Series(Reference(data, min_col=2, min_row=h.hybrid_first, max_row=last), xs,
                      title="Monthly cost")  # fmt: skip
        cost.marker = Marker(symbol="circle", size=5)
        cost.graphicalProperties.line.solidFill = styles.SELFHOST_COLOUR
        cost.smooth = False
        best = toolkit.marked(
            Reference(data, min_col=3, min_row=h.hybrid_first),
            Reference(data, min_col=5, min_row=h.hybrid_first),
            "Cheapest",
        )
        chart.series.extend([cost, best])
        chart.x_axis.title = toolkit.axis_title("Replicas self-hosted (0: pure API)")
        chart.y_axis.title = y_title
        chart.x_axis.scaling.min = 0
        chart.x_axis.number_format = "0"
        chart.y_axis.number_format = "#,##0"
        toolkit.style_axes(chart)
        ws.add_chart(chart, anchor)

    return add


# --- Buy vs rent ------------------------------------------------------------------------------


def plan_buy(sheet: SheetPlan, plan: Plan) -> None:
    toolkit.figures_head(sheet, plan, toolkit.BUY, "Renting and owning the replicas each "
                         "scenario needs, side by side; owning is priced once a purchase price "
                         "is given.", "Figure")  # fmt: skip
    rows = {}
    for name in BUY_ROWS:
        rows[name] = sheet.add(_buy_row(plan, name))
    text = "Monthly cost of each scenario's replicas: renting against owning"
    top = toolkit.chart_rows(
        sheet, lambda ws, row: styles.look(ws.cell(row, 1, text), font=styles.SECTION_FONT)
    )
    title = toolkit.chart_title(f"{sheet_ref(toolkit.BUY)}!$A${top}", text)
    sheet.finally_(_buy_chart(plan, rows["rent_monthly_cost"], rows["own_monthly_cost"],
                              f"A{top}", title))  # fmt: skip


def _buy_row(plan: Plan, name: str) -> Callable[[Worksheet, int], None]:
    q = QUANTITIES[name]
    row_of = toolkit.output_row(plan, q, toolkit.BUY)
    if name not in NEED_PURCHASE_PRICE:
        return row_of

    def render(ws: Worksheet, row: int) -> None:
        row_of(ws, row)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            q = plan.quantities(column, toolkit.BUY)
            unpriced = call("IF", q.scenario_in_use, toolkit.HIDDEN_FIGURE, "")
            cell.value = "=" + call("IF", q.purchase_price > 0, Expr(cell.value[1:]),
                                    unpriced).text  # fmt: skip

    return render


def _buy_chart(
    plan: Plan, rent: int, own: int, anchor: str, heading: Title
) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        chart = BarChart()
        chart.height, chart.width = toolkit.CHART_HEIGHT, 2 * toolkit.CHART_WIDTH
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
        chart.title = heading
        chart.y_axis.title = currency.axis(plan, "Monthly cost")
        chart.y_axis.number_format = "#,##0"
        toolkit.style_axes(chart)
        ws.add_chart(chart, anchor)

    return add
