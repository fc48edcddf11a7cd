"""The Sensitivity sheet: which assumption matters most, and how likely self-hosting is to
come out cheaper.

A tornado moves each key input to its low and its high (±`tornado_spread`, clipped to valid
values) with the others as given, and sorts the inputs by the swing in monthly savings, by
formula; a grid tabulates the self-host cost per request over the API's across utilization
and the GPU rate, with a colour scale. Both show the scenario picked on Inputs
(`summary_chart_scenario`). Beside them, Monte Carlo results computed when the workbook was
built (values, labelled with their draws and seed, and whether the inputs changed since).

Below the printed pages, working rows compute them for every scenario: for each input and
end, the moved value and every quantity that follows from it, a labelled row each
(`whatif`); the tornado's ends and ranks by input; the grid, one block per GPU-rate factor.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.title import Title
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import advice, sensitivity
from ..formula import EXCEL, Expr, Symbolic, call, equal, literal
from ..quantities import FIELDS, QUANTITIES
from ..scenario import ScenarioSet
from . import currency, styles, toolkit, whatif
from .decide import BASE_ROW_ABOVE, PASSES_LABEL, Blocks, chosen, picked_passes
from .layout import COLUMN, Plan, SheetPlan, absolute, sheet_ref

SENSITIVITY = "Sensitivity"
#: the tornado's inputs, in the engine's order (its stable sort keeps it among equal swings)
TORNADO_INPUTS = sensitivity.KEY_INPUTS
#: the tornado's spread (the CLI's default), and the Monte Carlo ranges' (the workbook's
#: `tornado_spread` constant holds it for the formulas)
SPREAD = advice.SPREAD
#: an input's two ends: name, and the sign of its move
ENDS = (("low", -1), ("high", 1))
#: what the tornado computes at each end: the monthly savings and the break-even volume
TORNADO_TARGETS = ("monthly_savings", "breakeven_volume")
#: the fields of the tornado, a block of rows each (one row an input)
TORNADO_FIELDS = ("low", "high", "savings_low", "savings_high", "breakeven_low",
                  "breakeven_high", "savings_swing", "rank")  # fmt: skip
GRID_ROWS = sensitivity.DEFAULT_UTILIZATIONS
GRID_COLUMNS = sensitivity.DEFAULT_FACTORS
#: Monte Carlo at build time: draws per scenario, and the seed
MC_SAMPLES, MC_SEED = advice.SAMPLES, advice.SEED


def plan_sensitivity(sheet: SheetPlan, plan: Plan, k: Blocks, scenario_set: ScenarioSet) -> None:
    toolkit.sheet_head(sheet, plan, SENSITIVITY, "Which assumption matters most, and how likely "
                "self-hosting is to come out cheaper when every key input is uncertain.",
                "Figure")  # fmt: skip
    toolkit.section_row(sheet, "Risk: Monte Carlo, computed when this workbook was built")
    note = (f"{MC_SAMPLES:,} draws per scenario, seed {MC_SEED}, each key input from a "
            f"triangular range ±{SPREAD:.0%} around its value: fixed numbers from the build, "
            "shown while the scenario passes its checks. After changing inputs, refresh them: "
            "llm-breakeven build --from this workbook, =PROB_SELFHOST_CHEAPER(...) in Excel, "
            "or llm-breakeven simulate.")  # fmt: skip
    columns, chars = toolkit.grid_size(plan)
    sheet.add(toolkit.source_row(note, None, columns), toolkit.text_height([note], chars))
    found = [advice.simulated(s.inputs()) for s in scenario_set.scenarios]
    rows = [("probability_selfhost_cheaper", "Probability self-hosting is cheaper",
             [f["probability_selfhost_cheaper"] for f in found])]  # fmt: skip
    for figure, unit, label in (
        ("savings", "monthly_savings", "Monthly savings"),
        ("breakeven_volume", "breakeven_volume", "Break-even volume"),
    ):
        for p in sensitivity.PERCENTILES:
            rows.append((unit, f"{label}, P{p}", [f[figure][p] for f in found]))
    simulated = [sheet.add(_value_row(plan, unit, label, values)) for unit, label, values in rows]
    # no blank row: the grid's heading and its eleven rows print on the Monte Carlo's page
    sheet.add(_status_row(plan), 2 * styles.SIZE * 1.4)
    toolkit.section_row(
        sheet,
        "Self-host cost per request over the API's (below 1: self-hosting is "
        "cheaper): utilization down, GPU hourly rate across",
    )
    sheet.add(toolkit.chart_heading(plan, "One replica carrying the minimum bill, for "))
    sheet.add(_grid_head(plan, k))
    first = sheet.next_row
    for r in range(len(GRID_ROWS)):
        sheet.add(_grid_row(plan, k, r))
    span = f"B{first}:{get_column_letter(1 + len(GRID_COLUMNS))}{first + len(GRID_ROWS) - 1}"
    sheet.finally_(lambda ws: ws.conditional_formatting.add(span, ColorScaleRule(
        start_type="num", start_value=0, start_color="63BE7B", mid_type="num", mid_value=1,
        mid_color="FFFFFF", end_type="num", end_value=2, end_color="F8696B")))  # fmt: skip
    sheet.page_break()

    # the tornado's heading, table and chart print on one page: its heading names the picked
    # scenario and is the chart's title; the chart follows the table, no row between
    swing = "Tornado, each key input at its low and its high, the largest swing first: "
    heading = sheet.add(toolkit.chart_heading(plan, swing))
    sheet.add(_base_row(plan))
    labels = ["Input", "Low", "High", "Savings at low", "Savings at high", "Break-even at low",
              "Break-even at high"]  # fmt: skip
    sheet.add(toolkit.heading_row(labels, wrap=True), 2 * styles.SIZE * 1.4)
    k.tornado_table = sheet.next_row
    for i in range(len(TORNADO_INPUTS)):
        sheet.add(_tornado_row(plan, k, i))
    top = sheet.next_row
    for _ in range(toolkit.CHART_ROWS):
        sheet.add()
    sheet.block(heading, top + toolkit.CHART_ROWS - 1)
    title = toolkit.heading_title(plan, SENSITIVITY, heading, swing)
    sheet.finally_(_tornado_chart(k, f"A{top}", title,
                                  currency.axis(plan, "Change in monthly savings")))  # fmt: skip

    toolkit.working_rows(sheet, plan, "Working rows: the tornado and the grid of every scenario, "
                       "step by step. They do not print.")  # fmt: skip
    toolkit.section_row(sheet, "Whether the Monte Carlo above belongs to the inputs now")
    _plan_freshness(sheet, plan, k, len(scenario_set.scenarios))
    _plan_moves(sheet, plan, k)
    _plan_tornado_fields(sheet, plan, k)
    _plan_grid(sheet, plan, k)
    _plan_fingerprint(sheet, plan, k)
    sheet.add()
    toolkit.section_row(sheet, "The odds the recommendation reads (Signals)")
    plan.home("probability_selfhost_cheaper", SENSITIVITY, sheet.add(_odds_row(plan, simulated[0])))


# --- whether the values of the build (the Monte Carlo above, the break-evens Calculations
# holds walked) still belong to the inputs --------------------------------------------------
# A fingerprint of a scenario's inputs, taken when the values were computed and again by
# formula now: every number of its Inputs column and of its hourly profile weighed by the
# square root of its row, and every choice's text the same way times the number of the
# working row that counts it. A changed input changes it; the results are then out of date. Only
# arithmetic and comparisons act on the ranges, which every engine reads cell by cell inside
# SUMPRODUCT (Gnumeric applies no other function to a range there).

#: a fingerprint is read for equality, not size: three digits show it changing
_FINGERPRINT_FORMAT = "0.000E+00"
#: the texts of every choice input, each counted in a working row of its own
CHOICE_TEXTS = tuple(dict.fromkeys(c for q in FIELDS.values() for c in q.choices or ()))


def _fingerprint_ranges(plan: Plan) -> list[tuple[str, int, int, bool]]:
    """(sheet, first row, last row, with texts) of what the fingerprint reads."""
    # where inputs are typed (a looked-up input is read where its number is typed)
    homes = [plan.rows[name][1] for name in FIELDS if name != "hourly_profile"]
    rows = [plan.looked_up.get(row, row) for row in homes]
    sheet, first, last = plan.ranges["hourly_profile"]
    return [(toolkit.INPUTS_SHEET, min(rows), max(rows), True), (sheet, first, last, False)]


def _fingerprint_parts(plan: Plan, column: str) -> list[tuple[str, Expr]]:
    """The fingerprint's parts, a working row each: the numbers, then each choice's text,
    weighed by the row that counts it (ROW(): each text its own weight)."""
    half = plan.quantities(column, SENSITIVITY).half
    numbers: Expr | None = None
    parts = []
    for sheet, first, last, texts in _fingerprint_ranges(plan):
        cells = Expr(f"{sheet_ref(sheet)}!{column}{first}:{column}{last}")
        weights = call("ROW", cells) ** half
        term = call("SUMPRODUCT", cells, weights)
        numbers = term if numbers is None else numbers + term
        if texts:
            for text in CHOICE_TEXTS:
                found = call("SUMPRODUCT", equal(cells, literal(text)) * weights)
                parts.append((f'Inputs fingerprint: the choice "{text}"', found * call("ROW")))
    assert numbers is not None
    return [("Inputs fingerprint: the numbers", numbers), *parts]


def _fingerprint_value(ws: Worksheet, plan: Plan, k: Blocks, column: str) -> float:
    """What the fingerprint's parts add up to over the cells as built."""
    total = 0.0
    first_choice = k.fingerprint[0] + 1  # the numbers' row, then a row per choice
    for sheet, first, last, texts in _fingerprint_ranges(plan):
        for row in range(first, last + 1):
            value = ws.parent[sheet][f"{column}{row}"].value
            if isinstance(value, int | float) and not isinstance(value, bool):
                total += value * math.sqrt(row)
            elif texts and value in CHOICE_TEXTS:
                total += (first_choice + CHOICE_TEXTS.index(value)) * math.sqrt(row)
    return total


def _plan_fingerprint(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    """The fingerprint now, part by part (working rows)."""
    sheet.add()
    toolkit.section_row(
        sheet, "The inputs' fingerprint now, part by part (Monte Carlo results above)"
    )
    labels = [label for label, _ in _fingerprint_parts(plan, plan.columns[0])]
    first = sheet.next_row
    for i, label in enumerate(labels):
        sheet.add(_fingerprint_row(plan, label, i))
    k.fingerprint = (first, sheet.next_row - 1)


def _fingerprint_row(plan: Plan, label: str, i: int) -> Callable[[Worksheet, int], None]:
    def formula(column: str) -> Expr:
        q = plan.quantities(column, SENSITIVITY)
        return toolkit.in_use(q, _fingerprint_parts(plan, column)[i][1])

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        toolkit.across_row(ws, plan, row, formula, _FINGERPRINT_FORMAT)
        toolkit.unit_and_note(ws, plan, row, "number", "")

    return render


def _plan_freshness(sheet: SheetPlan, plan: Plan, k: Blocks, simulated: int) -> None:
    """The fingerprint when built (a value), now (a formula), and whether they agree
    (working rows: `_status_row` says so in words above)."""
    stored = sheet.next_row

    def when_simulated(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Inputs fingerprint when built")
        for column in plan.columns[:simulated]:
            cell = plan.at(ws, column, row)
            cell.value = _fingerprint_value(ws, plan, k, column)
            cell.number_format, cell.fill = _FINGERPRINT_FORMAT, styles.CONSTANT_FILL
        toolkit.unit_and_note(ws, plan, row, "number", "")

    def now(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Inputs fingerprint now")
        for column in plan.columns:
            q = plan.quantities(column, SENSITIVITY)
            cell = plan.at(ws, column, row)
            first, last = k.fingerprint
            fingerprint = call("SUM", Expr(f"{column}{first}:{column}{last}"))
            cell.value = "=" + call("IF", q.scenario_in_use, fingerprint, "").text
            cell.number_format = _FINGERPRINT_FORMAT
        toolkit.unit_and_note(ws, plan, row, "number", "")

    def current(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Inputs as built (Monte Carlo, walked break-evens)")
        for column in plan.columns:
            q = plan.quantities(column, SENSITIVITY)
            was, is_ = Expr(f"{column}{stored}"), Expr(f"{column}{stored + 1}")
            same = EXCEL.abs(is_ - was) <= q.check_tolerance * EXCEL.abs(was)
            cell = plan.at(ws, column, row)
            cell.value = "=" + call("IF", EXCEL.isblank(was), "", same).text
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
        toolkit.unit_and_note(ws, plan, row, "TRUE / FALSE", "")

    sheet.add(when_simulated)
    sheet.add(now)
    plan.home("inputs_as_built", SENSITIVITY, sheet.add(current), define=False)


def _status_row(plan: Plan) -> Callable[[Worksheet, int], None]:
    """Whether the Monte Carlo's results belong to the inputs now (the fingerprints agree)."""

    def render(ws: Worksheet, row: int) -> None:
        label = ws.cell(row, 1, "Monte Carlo results")
        label.font, label.alignment = styles.HEADER_FONT, styles.TOP
        for column in plan.columns:
            q = plan.quantities(column, SENSITIVITY)
            fresh = Expr(f"{column}{plan.rows['inputs_as_built'][1]}")
            stale = "out of date: inputs changed; refresh as the note says"
            shown = call("IF", EXCEL.isblank(fresh), "not simulated",
                         call("IF", fresh, "current", stale))  # fmt: skip
            cell = plan.at(ws, column, row)
            cell.value = "=" + call("IF", q.scenario_in_use, shown, "").text
            styles.look(cell, alignment=styles.WRAP)
        toolkit.unit_and_note(ws, plan, row, "text", "")

    return render


def _odds_row(plan: Plan, simulated: int) -> Callable[..., None]:
    """The Monte Carlo's probability while the inputs are those it drew around."""
    q = QUANTITIES["probability_selfhost_cheaper"]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Probability, while the inputs are those it drew around")

        def formula(column: str) -> Expr:
            s = plan.quantities(column, SENSITIVITY)
            current = call("IF", toolkit.as_built(s), Expr(f"{column}{simulated}"), "out of date")
            return toolkit.in_use(s, current)

        toolkit.across_row(ws, plan, row, formula, q.unit.number_format)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, "")

    return render


def _value_row(plan: Plan, unit: str, label: str, values: list[float]) -> Callable[..., None]:
    q = QUANTITIES[unit]

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        for column, value in zip(plan.columns, values, strict=False):
            cell = plan.at(ws, column, row)
            # a value of the build, shown only while the scenario's inputs pass their checks
            s = plan.quantities(column, ws.title)
            cell.value = "=" + toolkit.guarded(s, "never" if math.isinf(value) else value).text
            cell.number_format, cell.fill = q.unit.number_format, styles.CONSTANT_FILL
            styles.look(cell, alignment=styles.TOP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, "")

    return render


def _base_row(plan: Plan) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "Savings as given"), font=styles.HEADER_FONT)
        cells = [plan.quantities(c, SENSITIVITY).monthly_savings for c in plan.columns]
        passes = Expr(f"$D${row}")
        shown = call("IF", passes, chosen(plan, cells, literal("")), toolkit.HIDDEN_FIGURE)
        cell = ws.cell(row, 2, "=" + shown.text)
        cell.number_format = QUANTITIES["monthly_savings"].unit.number_format
        styles.look(ws.cell(row, 3, PASSES_LABEL), alignment=styles.LEFT)
        ws.cell(row, 4, "=" + picked_passes(plan, SENSITIVITY).text)

    return render


def _tornado_row(plan: Plan, k: Blocks, i: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        picked = plan.unit_column
        n = len(TORNADO_INPUTS)

        def block(f: str, column: str = picked) -> Expr:
            first = k.tornado[f]
            return Expr(f"${column}${first}:${column}${first + n - 1}")

        # the i-th largest swing among the inputs the scenario gives (swing -1: not given)
        rank = call("ROWS", Expr(f"$A${k.tornado_table}:$A{row}"))
        index = call("MATCH", rank, block("rank"), 0)
        given = call("INDEX", block("savings_swing"), index) >= 0
        label = call("INDEX", block("low", "A"), index)
        ws.cell(row, 1, "=" + call("IFERROR", call("IF", given, label, ""), "").text)
        passes = Expr(f"$D${k.tornado_table - BASE_ROW_ABOVE}")
        for col, f in enumerate(TORNADO_FIELDS[:6], 2):
            value = call("IF", given, call("INDEX", block(f), index), "")
            shown = call("IF", passes, call("IFERROR", value, ""), toolkit.HIDDEN_FIGURE)
            cell = ws.cell(row, col, "=" + shown.text)
            unit = _FIELD_LABELS[f][1]
            cell.number_format = "#,##0.####" if unit is None else \
                QUANTITIES[unit].unit.number_format  # fmt: skip

    return render


def _tornado_chart(
    k: Blocks, anchor: str, heading: Title, change: Title
) -> Callable[[Worksheet], None]:
    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        chart = BarChart()
        chart.title = heading
        chart.type, chart.grouping, chart.overlap = "bar", "clustered", 100
        chart.height, chart.width = toolkit.CHART_HEIGHT, 2 * toolkit.CHART_WIDTH
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
        chart.y_axis.title = change
        chart.y_axis.number_format = "#,##0"
        toolkit.style_axes(chart)
        chart.y_axis.scaling.min = None
        ws.add_chart(chart, anchor)

    return add


def _grid_head(plan: Plan, k: Blocks) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, "Utilization \\ GPU hourly rate")
        cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        rates = [plan.quantities(c, SENSITIVITY).hourly_rate for c in plan.columns]
        for col, factor_row in enumerate(k.grid_factors, 2):
            # each factor heads its block of the working rows
            rate = chosen(plan, rates, literal("")) * Expr(f"$A${factor_row}")
            cell = ws.cell(row, col, "=" + call("IFERROR", rate, "").text)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
            cell.number_format = QUANTITIES["hourly_rate"].unit.number_format

    return render


def _grid_row(plan: Plan, k: Blocks, r: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, GRID_ROWS[r]).number_format = "0%"
        styles.look(ws.cell(row, 1), alignment=styles.LEFT)
        for c, first in enumerate(k.grid):
            cells = [Expr(f"{column}{first + r}") for column in plan.columns]
            passes = Expr(f"$D${k.tornado_table - BASE_ROW_ABOVE}")
            shown = call("IF", passes, chosen(plan, cells, literal("")), toolkit.HIDDEN_FIGURE)
            cell = ws.cell(row, 2 + c, "=" + shown.text)
            cell.number_format = "0.00"

    return render


# --- the tornado's working rows ---------------------------------------------------------------


def _plan_moves(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    """For each input and end: the moved input, then each quantity that follows from it."""
    for name in TORNADO_INPUTS:
        for end, sign in ENDS:
            moved = (
                f"{QUANTITIES[name].label}, moved",
                functools.partial(_moved, plan, name, sign),
            )
            heading = f"{FIELDS[name].label} at its {end}, the other inputs as given"
            k.moves[name, end] = whatif.plan_rows(
                sheet, plan, heading, f"{end} {name}:", {name: moved}, TORNADO_TARGETS
            )


def _clipped(plan: Plan, name: str, value: Expr) -> Expr:
    """A moved input kept within its valid values, as `sensitivity` clips it."""
    q = FIELDS[name]
    bound = q.scenario_bound or q.bound
    if bound.high != math.inf:
        value = call("MIN", value, bound.high)
    if bound.low_open:
        return call("MAX", value, bound.low + Expr.ref(absolute(*plan.singles["tiny"])))
    return call("MAX", value, bound.low)


def _moved(plan: Plan, name: str, sign: int, q: Symbolic, _: Mapping[str, Expr]) -> Expr:
    """The input at its end (blank where the scenario does not give it)."""
    spread = Expr.ref(absolute(*plan.singles["tornado_spread"]))
    base = getattr(q, name)
    given = call("AND", call("ISNUMBER", base), base > 0)  # key inputs are never negative
    moved = _clipped(plan, name, base * (1 + spread if sign > 0 else 1 - spread))
    return call("IF", given, moved, "")


#: the tornado's fields as their blocks are labelled, and the quantity whose unit each takes
_FIELD_LABELS = {
    "low": ("Each input at its low", None),
    "high": ("Each input at its high", None),
    "savings_low": ("Monthly savings, the input at its low", "monthly_savings"),
    "savings_high": ("Monthly savings, the input at its high", "monthly_savings"),
    "breakeven_low": ("Break-even volume, the input at its low", "breakeven_volume"),
    "breakeven_high": ("Break-even volume, the input at its high", "breakeven_volume"),
    "savings_swing": ("Swing in monthly savings (-1: the input is not given)", "monthly_savings"),
    "rank": ("Rank by swing, largest first (equal swings in the inputs' order)", "replicas"),
}


def _plan_tornado_fields(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    """The tornado by input, a block a field; after the scenarios, the picked one's."""
    for f in TORNADO_FIELDS:
        label, _ = _FIELD_LABELS[f]
        sheet.add()
        sheet.add(_field_head(plan, label))
        k.tornado[f] = sheet.next_row
        for i in range(len(TORNADO_INPUTS)):
            sheet.add(_field_cells(plan, k, f, i))


def _field_head(plan: Plan, label: str) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), font=styles.SECTION_FONT)
        ws[f"{plan.unit_column}{row}"] = "Picked"
        styles.look(ws[f"{plan.unit_column}{row}"], font=styles.HEADER_FONT)

    return render


def _field_formula(plan: Plan, k: Blocks, f: str, i: int, column: str) -> Expr:
    name = TORNADO_INPUTS[i]
    low, high = k.moves[name, "low"], k.moves[name, "high"]
    q = plan.quantities(column, SENSITIVITY)

    def at(rows: dict[str, int], n: str) -> Expr:
        # a quantity the input does not move keeps its value as given
        if n not in rows:
            return call("IF", call("ISNUMBER", Expr(f"{column}{rows[name]}")), getattr(q, n), "")
        return Expr(f"{column}{rows[n]}")

    first = k.tornado["savings_swing"]
    swing = Expr(f"{column}{first + i}")
    if f == "savings_swing":
        apart = Expr(f"{column}{k.tornado['savings_high'] + i}") - Expr(
            f"{column}{k.tornado['savings_low'] + i}"
        )
        moved = call("ISNUMBER", Expr(f"{column}{low[name]}"))
        return toolkit.in_use(q, call("IF", moved, call("ABS", apart), -1))
    if f == "rank":
        swings = Expr(f"{column}${first}:{column}${first + len(TORNADO_INPUTS) - 1}")
        # equal swings keep the inputs' order, as the engine's stable sort does
        before = Expr(f"{column}${first}:{column}{first + i - 1}")
        ties = call("SUMPRODUCT", equal(before, swing) * 1) if i else 0
        return toolkit.in_use(q, call("SUMPRODUCT", (swings > swing) * 1) + ties + 1)
    read = {"low": (low, name), "high": (high, name),
            "savings_low": (low, "monthly_savings"), "savings_high": (high, "monthly_savings"),
            "breakeven_low": (low, "breakeven_volume"),
            "breakeven_high": (high, "breakeven_volume")}  # fmt: skip
    return at(*read[f])


def _field_cells(plan: Plan, k: Blocks, f: str, i: int) -> Callable[[Worksheet, int], None]:
    name = TORNADO_INPUTS[i]
    unit = _FIELD_LABELS[f][1] or name
    number_format = QUANTITIES[unit].unit.number_format

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, FIELDS[name].label)
        toolkit.across_row(
            ws, plan, row, functools.partial(_field_formula, plan, k, f, i), number_format
        )
        cells = [Expr(f"{c}{row}") for c in plan.columns]
        ws[f"{plan.unit_column}{row}"] = "=" + chosen(plan, cells, literal("")).text

    return render


# --- the grid's working rows ------------------------------------------------------------------


def _plan_grid(sheet: SheetPlan, plan: Plan, k: Blocks) -> None:
    """The grid of every scenario: a block per GPU-rate factor, a row per utilization."""
    template = functools.cache(lambda: _grid_template(plan))
    for factor in GRID_COLUMNS:
        sheet.add()
        k.grid_factors.append(sheet.add(_factor_head(plan, factor)))
        k.grid.append(sheet.next_row)
        for u in GRID_ROWS:
            sheet.add(_grid_cells(plan, u, k.grid_factors[-1], template))


def _factor_head(plan: Plan, factor: float) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, factor)
        # the factor is the cell's value, which the rows below read; the text is its format
        cell.number_format = ('"The GPU hourly rate × "0.0#": self-host cost per request over '
                              'the API\'s (column A: utilization)"')  # fmt: skip
        cell.font, cell.alignment = styles.SECTION_FONT, styles.LEFT
        toolkit.unit_and_note(ws, plan, row, "ratio", "")

    return render


def _grid_template(plan: Plan) -> str:
    """The grid's formula: the utilization in column A, the rate's factor above (⟦F⟧)."""
    q = plan.quantities(COLUMN, SENSITIVITY)
    factor = Expr("$A$⟦F⟧")
    at = q.rebind(None, utilization=Expr("$A⟦R⟧"), hourly_rate=q.hourly_rate * factor)
    return "=" + toolkit.in_use(q, at.cost_per_request / q.api_cost_per_request).text


def _grid_cells(
    plan: Plan, utilization: float, factor_row: int, template: Callable[[], str]
) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, utilization)
        cell.number_format, cell.alignment = "0%", styles.LEFT
        text = template().replace("⟦F⟧", str(factor_row)).replace("⟦R⟧", str(row))
        toolkit.template_row(ws, plan, row, text, "0.000")

    return render
