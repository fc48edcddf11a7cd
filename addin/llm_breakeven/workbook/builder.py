"""The template workbook: summary, inputs, native-formula calculations, results, charts, checks.

Scenarios sit side by side, one column each, on every scenario sheet, in the order of the
scenarios file, followed by blank spare columns (six columns at least): a person fills a
spare column's name and inputs and it is computed, charts included, with no rebuild. Every
calculation row is a definition of `llm_breakeven.model` rendered as a native formula over
the cells of the quantities it reads; labels, units, number formats and data validation come
from the catalogue of quantities. The builder first plans every sheet (`layout`), then
renders it, so no cell coordinate is written by hand.

Three gates keep what a sheet shows honest: a column whose scenario name is blank shows
nothing (`scenario_in_use`); a scenario whose inputs fail a check shows no verdict and no
figures (`scenario_checks_pass`); and the master check reads OK or CHECK FAILED, naming the
first failing check, whatever is typed into an input.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from functools import partial
from importlib.resources import files
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..bounds import Bound
from ..formula import EXCEL, TRUE, Expr, Symbolic, call, concat, literal
from ..model import DEFINITIONS, TABLE_DEFINITIONS
from ..plausibility import RULES
from ..quantities import (
    CONSTANTS,
    COUNT,
    DERIVED,
    INPUTS,
    NEEDS_POSITIVE,
    ONE_OF,
    QUANTITIES,
    TABLE_COLUMNS,
    TEXT,
    Quantity,
    Unit,
    sections,
)
from ..scenario import ScenarioSet
from . import decide, months, printing, risk, shape, styles, toolkit, whatif
from .layout import Plan, SheetPlan, absolute
from .reader import COMPARED, TYPED
from .shape import SPAN_CHECK

PROJECTION, SENSITIVITY, WATERFALL_SHEET, SIGNALS_SHEET = (
    "Projection", "Sensitivity", "Waterfall", "Signals")  # fmt: skip
SHEETS = (
    toolkit.SUMMARY,
    toolkit.START,
    toolkit.INPUTS_SHEET,
    toolkit.TRAFFIC,
    toolkit.CALCULATIONS,
    toolkit.RESULTS,
    toolkit.HYBRID,
    toolkit.BUY,
    PROJECTION,
    SENSITIVITY,
    WATERFALL_SHEET,
    SIGNALS_SHEET,
    toolkit.TABLE,
    toolkit.CATALOGUE,
    toolkit.CHECKS,
    toolkit.CHART_DATA,
)
#: sheets that print (Chart data only feeds the charts, and is hidden)
PRINTED = SHEETS[:-1]

_NUMBER = Unit("number", "number", "General")
#: grid steps of each chart; each step is two points: at its volume and just past it
CHART_STEPS = 60
#: the second point of a step, as a share of the step past the first: the riser of a stair
CHART_RISER = 0.001
IN_USE_NOTE = "A column computes once its scenario has a name"
#: Checks: label, each scenario, the failing flag
CHECK_WIDTHS = (52, 12, 9)
#: Start: label, each scenario
START_WIDTHS = (34, 13)
#: By utilization: its five columns
TABLE_WIDTHS = (36, 24, 24, 20, 14)
#: constants only the workbook uses: (quantity, value)
WORKBOOK_CONSTANTS = (
    (Quantity("check_tolerance", "Check tolerance", _NUMBER,
              "Relative tolerance of the Checks sheet"), 1e-9),
    (Quantity("chart_steps", "Chart steps", Unit("steps", "steps", "#,##0"),
              "Grid steps per chart, each a whole number of replicas or an even share of one"),
     float(CHART_STEPS)),
    (Quantity("chart_span", "Chart span", _NUMBER,
              "Charts run to this multiple of the larger of sustained break-even and own "
              "volume"), 2.0),
    (Quantity("requests_per_million", "Requests per million", _NUMBER,
              "Charts show volumes in millions of requests"), 1e6),
    (Quantity("tornado_spread", "Tornado spread", _NUMBER,
              "The Sensitivity tornado moves each key input by this share of its value"), 0.2),
)  # fmt: skip
#: inputs that belong to the workbook, not to a scenario
CURRENCY = Quantity(
    "currency_symbol",
    "Currency symbol",
    TEXT,
    "Shown with every money amount: units, sentences and chart axes",
)
CHART_PICK = Quantity(
    "summary_chart_scenario",
    "Scenario charted on Summary",
    COUNT,
    "Which scenario column the Summary's chart shows",
)


def _workbook_inputs(
    plan: Plan, scenario_set: ScenarioSet
) -> list[tuple[Quantity, Any, Bound | None]]:
    """The workbook's own inputs: (quantity, value, rule)."""
    pick = Bound(low=1, high=plan.scenario_count, whole=True)
    return [
        (CURRENCY, scenario_set.currency_symbol, None),
        (CHART_PICK, scenario_set.summary_chart_scenario, pick),
    ]


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
#: the markers of every chart: (label, x quantity, y quantity, data label position)
MARKERS = (
    ("Break-even", "breakeven_volume", "api_monthly_cost", "l"),
    ("Sustained", "sustained_breakeven_volume", "api_monthly_cost", "r"),
    ("Own volume", "monthly_volume", "selfhost_total_monthly_cost", "b"),
)


def published_table() -> list[dict[str, str]]:
    """The article's by-utilization table as published (rounded), with its source."""
    text = (files("llm_breakeven") / "data" / "article_table.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def build(scenario_set: ScenarioSet, progress: Callable[[str], None] | None = None) -> Workbook:
    """The template workbook for `scenario_set`, with native formulas only; `progress` is
    told the title of each sheet once it is rendered (`len(SHEETS)` calls)."""

    shape.check_profiles(scenario_set)
    plan = Plan(len(scenario_set.scenarios))
    sheets = {title: SheetPlan(title) for title in SHEETS}
    # plan in dependency order: inputs and calculations give every quantity its home
    _plan_inputs(sheets[toolkit.INPUTS_SHEET], plan, scenario_set)
    rows = _plan_chart_data(sheets[toolkit.CHART_DATA], plan)
    results = scenario_set.evaluate()
    shape.check_fleets(scenario_set)
    helpers = shape.plan_helpers(sheets[toolkit.CHART_DATA], plan)
    blocks = decide.plan_blocks(sheets[toolkit.CHART_DATA], plan)
    shape.plan_traffic(sheets[toolkit.TRAFFIC], plan, scenario_set, helpers)
    _plan_calculations(sheets[toolkit.CALCULATIONS], plan, results)
    shape.plan_hybrid(sheets[toolkit.HYBRID], plan, helpers, results)
    shape.plan_buy(sheets[toolkit.BUY], plan)
    months.plan_projection(sheets[PROJECTION], plan, blocks)
    risk.plan_sensitivity(sheets[SENSITIVITY], plan, blocks, scenario_set)
    decide.plan_waterfall(sheets[WATERFALL_SHEET], plan, blocks)
    decide.plan_signals(sheets[SIGNALS_SHEET], plan)
    _plan_catalogue(sheets[toolkit.CATALOGUE], plan, scenario_set)
    _plan_checks(sheets[toolkit.CHECKS], plan, scenario_set)
    _plan_results(sheets[toolkit.RESULTS], plan, rows)
    _plan_table(sheets[toolkit.TABLE], plan, len(scenario_set.utilizations))
    _plan_summary(sheets[toolkit.SUMMARY], plan, rows, scenario_set.data_date)
    _plan_start(sheets[toolkit.START], plan, scenario_set.data_date)

    book = Workbook()
    book.remove(book.active)
    for title in SHEETS:  # every sheet exists before any is rendered: charts read others
        book.create_sheet(title)
    for title in SHEETS:
        ws, sheet = book[title], sheets[title]
        sheet.render(ws)
        ws.protection.sheet = True  # formulas locked, input cells unlocked
        breaks = sheet.pages(printing.ROOM_HEIGHT) if title in PRINTED else []
        printing.setup(ws, breaks, __version__, scenario_set.data_date, sheet.title_rows)
        if progress is not None:
            progress(title)
    book[toolkit.CHART_DATA].sheet_state = "hidden"
    for name, reference in plan.names.items():
        book.defined_names[name] = DefinedName(name, attr_text=reference)
    book.calculation.fullCalcOnLoad = True
    # the engine's results as the named outputs' cached values (`package.workbook_bytes`):
    # a viewer that does not recalculate, and `llm-breakeven check`, see them at once
    book.cached_results = {name: list(results[name]) for name in COMPARED}
    # every scenario built is in use and passes its checks (its inputs were refused
    # otherwise); the spare columns are not in use
    spare = plan.scenario_count - len(scenario_set.scenarios)
    book.cached_results["scenario_in_use"] = [True] * len(scenario_set.scenarios) + [False] * spare
    book.cached_results["scenario_checks_pass"] = [True] * len(scenario_set.scenarios)
    # a looked-up input's value used is a formula: as built, the number given
    for name in PICKED:
        book.cached_results[name] = [getattr(s, name) for s in scenario_set.scenarios]
    return book


# --- sheets --------------------------------------------------------------------------------


def _plan_inputs(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
    scenarios = scenario_set.scenarios
    spare = plan.scenario_count - len(scenarios)
    toolkit.title_rows(
        sheet,
        "Inputs",
        "Blue cells on a pale fill are inputs: change them. One per row. "
        "Fill a blank column, its name first, to add a scenario.",
        *toolkit.grid_size(plan),
    )
    sheet.add(toolkit.master_row(plan, "Master check"))
    head = toolkit.scenario_table_head(
        sheet, plan, "Assumption", "Note", widths=toolkit.GRID_WIDTHS
    )
    sheet.title_rows = (head, head)

    for key, label, texts in (
        ("scenario_name", "Scenario", [s.name for s in scenarios]),
        ("description", "Description", [s.description for s in scenarios]),
    ):
        tall = key == "description"
        height = toolkit.text_height(texts, 12) if tall else 2 * styles.SIZE * 1.4
        row = sheet.add(_text_inputs(plan, label, [*texts, *[""] * spare]), height)
        plan.home(key, toolkit.INPUTS_SHEET, row)

    sheet.add()
    toolkit.section_row(sheet, "Look up: pick from the Catalogue; the values used follow (a number "
             "typed in an input's own row wins)")  # fmt: skip
    for name, label, keys, note in PICKERS:
        row = sheet.add(_picker_row(plan, label, keys, note), 3 * styles.SIZE * 1.4)
        plan.home(name, toolkit.INPUTS_SHEET, row)
    used = {
        name: sheet.add(_used_row(plan, QUANTITIES[name]), toolkit.TWO_LINES) for name in PICKED
    }

    for section, quantities in sections(INPUTS):
        sheet.add()
        toolkit.section_row(sheet, section)
        for q in quantities:
            spare_value = None if q.required or q.name in PICKED else q.default
            values = [getattr(s, q.name) for s in scenarios] + [spare_value] * spare
            row = sheet.add(_input_row(plan, q, values), toolkit.text_height([q.help], 28))
            if q.name in PICKED:  # formulas read the value used, under the pickers
                plan.looked_up[used[q.name]] = row
                plan.names[TYPED + q.name] = absolute(toolkit.INPUTS_SHEET, plan.span(row))
                row = used[q.name]
            plan.home(q.name, toolkit.INPUTS_SHEET, row)

    sheet.add()
    toolkit.section_row(sheet, "Workbook settings")
    for q, default, rule in _workbook_inputs(plan, scenario_set):
        row = sheet.add(
            _single_input(plan, q.label, q, default, rule), toolkit.text_height([q.help], 28)
        )
        plan.single(q.name, toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")

    sheet.add()
    toolkit.section_row(sheet, "By-utilization table")
    first = sheet.next_row
    utilization = QUANTITIES["utilizations"]
    for k, share in enumerate(scenario_set.utilizations, 1):
        height = toolkit.text_height([utilization.help], toolkit.GRID_WIDTHS[3])
        row = sheet.add(_single_input(plan, f"Utilization {k}", utilization, share), height)
        plan.single(f"utilization_{k}", toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")
    column = plan.columns[0]
    plan.names["utilizations"] = absolute(toolkit.INPUTS_SHEET, f"{column}{first}:{column}{row}")

    sheet.add()
    toolkit.section_row(sheet, "Constants (not inputs)")
    constants = [(q, float(q.default)) for q in CONSTANTS]  # type: ignore[arg-type]
    for q, value in [*constants, *WORKBOOK_CONSTANTS]:
        row = sheet.add(_constant_row(plan, q, value), toolkit.text_height([q.help], 28))
        plan.single(q.name, toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")

    sheet.add()
    toolkit.section_row(sheet, "Sources (figure: where it came from, and when)")
    for scenario in scenarios:
        for name, source in scenario.sources.items():
            label = f"{scenario.name}: {QUANTITIES[name].label}"
            columns, chars = toolkit.grid_size(plan)
            height = max(toolkit.text_height([source], chars - toolkit.GRID_WIDTHS[0]),
                         toolkit.text_height([label], toolkit.GRID_WIDTHS[0]))  # fmt: skip
            sheet.add(toolkit.source_row(label, source, columns), height)


#: quantities no formula can compute (the walk along a bill that scales to zero, `crossing`):
#: the engine's values at build, by the engine output that holds them
WALKED = {"scaled_breakeven_volume": "breakeven_volume",
          "scaled_sustained_breakeven_volume": "sustained_breakeven_volume"}  # fmt: skip


def _plan_calculations(sheet: SheetPlan, plan: Plan, results: Any) -> None:
    toolkit.title_rows(
        sheet,
        "Calculations",
        "Native formulas, one quantity per row. Do not type over them.",
        *toolkit.grid_size(plan),
    )
    head = toolkit.scenario_table_head(
        sheet, plan, "Quantity", "Formula", widths=toolkit.GRID_WIDTHS
    )
    names = sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    sheet.title_rows = (head, names)
    in_use = sheet.add(
        _in_use_row(plan), toolkit.text_height([IN_USE_NOTE], toolkit.GRID_WIDTHS[3])
    )
    plan.home("scenario_in_use", toolkit.CALCULATIONS, in_use)
    for section, quantities in sections(DERIVED):
        sheet.add()
        toolkit.section_row(sheet, section)
        for q in quantities:
            if q.name in WALKED:
                values = [float(v) for v in results[WALKED[q.name]]]
                row = toolkit.walked_rows(
                    sheet, plan, q, values, toolkit.text_height([toolkit.WALKED_NOTE], 28)
                )
            else:
                readable = Symbolic(DEFINITIONS, Expr.ref).define(q.name).text
                row = sheet.add(
                    _calculation_row(plan, q, readable), toolkit.text_height([readable], 28)
                )
            plan.home(q.name, toolkit.CALCULATIONS, row)


def _plan_checks(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
    n_utilizations = len(scenario_set.utilizations)
    toolkit.title_rows(
        sheet,
        "Checks",
        "Every check must be TRUE for each scenario in use. The master "
        "check sums them up and names the first that fails.",
        len(plan.columns) + 2,
        CHECK_WIDTHS[0] + CHECK_WIDTHS[1] * len(plan.columns),
    )
    failing = plan.unit_column

    def master_check(ws: Worksheet, row: int) -> None:
        flags = Expr(f"{failing}{first}:{failing}{master_last}")
        styles.look(ws.cell(row, 1, "Master check"), font=styles.HEADER_FONT)
        cell = ws[f"{plan.columns[0]}{row}"]
        # every check cell is TRUE, FALSE or blank (errors read FALSE), and IFERROR catches
        # anything else: text, blanks or error values in an input read CHECK FAILED
        verdict = call("IF", Expr(f"{call('SUM', flags).text}=0"), toolkit.OK, toolkit.FAILED)
        cell.value = "=" + call("IFERROR", verdict, toolkit.FAILED).text
        styles.look(cell, font=styles.HEADER_FONT)
        toolkit.verdict_colours(ws, cell.coordinate, good=toolkit.OK, bad=toolkit.FAILED)

    def first_failing(ws: Worksheet, row: int) -> None:
        labels = Expr(f"$A${first}:$A${master_last}")
        flags = Expr(f"${failing}${first}:${failing}${master_last}")
        styles.look(ws.cell(row, 1, "First failing check"), font=styles.HEADER_FONT)
        found = call("INDEX", labels, call("MATCH", 1, flags, 0))
        named = call("IFERROR", found, "see the Checks sheet")
        ok = Expr(f"{Expr.ref('master_check').text}={toolkit.OK.text}")
        ws[f"{plan.columns[0]}{row}"] = "=" + call("IF", ok, "", named).text

    master = sheet.add(master_check)
    plan.single("master_check", toolkit.CHECKS, f"{plan.columns[0]}{master}")
    first_failing_row = sheet.add(first_failing)
    plan.single("first_failing_check", toolkit.CHECKS, f"{plan.columns[0]}{first_failing_row}")
    sheet.add()
    head = sheet.add(
        toolkit.header_cells(
            [(1, "Check"), *toolkit.scenario_headings(plan), (len(plan.columns) + 2, "Failing")]
        )
    )
    sheet.finally_(lambda ws: toolkit.set_widths(ws, plan, *CHECK_WIDTHS))
    names = sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    sheet.title_rows = (head, names)

    first = sheet.next_row
    for q in INPUTS:
        sheet.add(_check_row(plan, f"{q.label} is valid", _valid(q)))
    sheet.add(_check_row(plan, "Hourly traffic profile: 24 numbers of at least 0, not all 0",
                         _profile_valid), 2 * styles.SIZE * 1.4)  # fmt: skip
    for name, positive in NEEDS_POSITIVE:
        label = f"{QUANTITIES[positive].label} above 0 where {QUANTITIES[name].label} is given"
        sheet.add(_check_row(plan, label, _needs_positive(name, positive)), 2 * styles.SIZE * 1.4)

    sheet.add(_check_row(plan, SPAN_CHECK, _hybrid_span), 2 * styles.SIZE * 1.4)
    for names_ in ONE_OF:
        label = f"Exactly one of {' or '.join(QUANTITIES[n].label for n in names_)} is given"
        sheet.add(_check_row(plan, label, _exactly_one(names_)), 2 * styles.SIZE * 1.4)
    for label, check in _consistency_checks():
        sheet.add(_check_row(plan, label, check), toolkit.text_height([label], 52))
    walked = ("Break-evens walked hour by hour (scale-to-zero) belong to the inputs: build the "
              "workbook again after a change")  # fmt: skip
    sheet.add(_check_row(plan, walked, _walked_current), toolkit.text_height([walked], 52))
    rules = [absolute(*plan.singles[f"utilization_{k}"]) for k in range(1, n_utilizations + 1)]
    share = QUANTITIES["utilizations"].bound
    every = Expr("AND(" + ",".join(share.excel_condition(r) for r in rules) + ")")
    sheet.add(_check_row(plan, "Table utilizations are valid", _whole_book(every), single=True))
    for q, _, rule in _workbook_inputs(plan, scenario_set):
        if rule is not None:
            condition = Expr(rule.excel_condition(absolute(*plan.singles[q.name])))
            label = f"{q.label} is valid"
            sheet.add(_check_row(plan, label, _whole_book(condition), single=True))
    for q, rule in CATALOGUE_SETTINGS:
        condition = Expr(rule.excel_condition(absolute(*plan.singles[q.name])))
        sheet.add(_check_row(plan, f"{q.label} is valid", _whole_book(condition), single=True))
    last = sheet.next_row - 1
    # the master check reads one row more than a scenario's own checks: risk results that
    # no longer belong to the inputs fail it, while the scenario's figures stay shown
    master_last = sheet.add(_check_row(
        plan, "Monte Carlo results on Sensitivity still current (or not simulated)",
        lambda q: q.inputs_as_built), 2 * styles.SIZE * 1.4)  # fmt: skip
    sheet.add()
    passes = sheet.add(_passes_row(plan, first, last))
    plan.home("scenario_checks_pass", toolkit.CHECKS, passes)
    sheet.add()
    sheet.add(toolkit.header_cells([(1, "Warnings: likely unit slips (they fail no check)")]))
    for slip in RULES:
        label = f"{QUANTITIES[slip.field].label} looks like {slip.meaning}"
        sheet.add(_warning_row(plan, label, slip.condition), toolkit.text_height([label], 52))
    _plan_check_rows(sheet, plan)


def _walked_current(q: Symbolic) -> Expr:
    # the walk needs the engine: its figures hold only for the inputs they were built from
    return call("OR", call("NOT", q.billing_scales), toolkit.as_built(q))


def _whole_book(condition: Expr) -> Callable[[Symbolic], Expr]:
    """A check of the whole workbook, the same whichever scenario asks."""

    def check(quantities: Symbolic) -> Expr:
        return condition

    return check


def _valid(q: Quantity) -> Callable[[Symbolic], Expr]:
    """A scenario input's validity, as a check formula over its cell."""
    rule = q.scenario_bound or q.bound

    def check(quantities: Symbolic) -> Expr:
        ref = getattr(quantities, q.name).text
        if q.choices:
            return call("OR", *(Expr(f"{ref}={literal(c).text}") for c in q.choices))
        condition = Expr(rule.excel_condition(ref))
        blank = EXCEL.isblank(Expr(ref))
        return call("OR", blank, condition) if q.default is None else condition

    return check


def _profile_valid(q: Symbolic) -> Expr:
    weights = q.hourly_profile
    hours = Expr(f"{call('COUNT', weights).text}=24")
    return call("AND", hours, call("MIN", weights) >= 0, call("SUM", weights) > 0)


def _hybrid_span(q: Symbolic) -> Expr:
    """The Hybrid sheet's halving searches cover what they search: 1 to the peak's replicas,
    and the fewest replicas that can pay to the most worth searching (working rows below)."""
    first, top = getattr(q, SPAN + "hybrid_paying_replicas"), getattr(q, SPAN + "hybrid_search_top")
    return call("AND", q.serving_replicas <= q.search_span, top - first <= q.search_span)


#: the Checks' working rows: the bills at the break-even volume, and just past it; the span
#: of the hybrid's break-even search
AT_BREAKEVEN, PAST_BREAKEVEN, SPAN = "at_breakeven:", "past_breakeven:", "span:"


def _plan_check_rows(sheet: SheetPlan, plan: Plan) -> None:
    toolkit.working_rows(sheet, plan, "Working rows: what the checks above compare, step by "
                       "step. They do not print.")  # fmt: skip
    bills = ("selfhost_total_monthly_cost", "api_monthly_cost")
    # each replica costs what it does at the own volume (scale-to-zero bills by volume)
    whatif.plan_rows(sheet, plan, "At the break-even volume, each replica at its own cost",
                     AT_BREAKEVEN, {
                         "monthly_volume": ("Break-even volume", lambda q, _: q.breakeven_volume),
                         "replica_monthly_cost": ("Replica monthly cost, as at the own volume",
                                                  lambda q, _: q.replica_monthly_cost),
                     }, bills)  # fmt: skip

    # scaling to zero, the walk stops where the bill is first no more than the API's: often
    # where a step lowers it, so it is read just past the step, as the walk counts steps
    def just_past(q: Symbolic, _: Any) -> Expr:
        found = q.breakeven_volume  # "never" stays so
        return EXCEL.where(call("ISNUMBER", found), found * (1 + q.replica_tolerance), found)

    past = ("Just past the break-even volume (one tolerance on)", just_past)
    whatif.plan_rows(sheet, plan, "Just past the break-even volume", PAST_BREAKEVEN,
                     {"monthly_volume": past}, bills)  # fmt: skip
    whatif.plan_rows(sheet, plan, "The hybrid's break-even search, from the fewest replicas "
                     "that can pay", SPAN, {
                         "hybrid_paying_replicas": (QUANTITIES["hybrid_paying_replicas"].label,
                                                    lambda q, _: q.hybrid_paying_replicas),
                         "replicas": ("One more", lambda q, at: at["hybrid_paying_replicas"] + 1),
                     }, ("hybrid_search_top",))  # fmt: skip


def _needs_positive(name: str, positive: str) -> Callable[[Symbolic], Expr]:
    def check(q: Symbolic) -> Expr:
        return EXCEL.where(EXCEL.isblank(getattr(q, name)), TRUE, getattr(q, positive) > 0)

    return check


def _exactly_one(names: tuple[str, ...]) -> Callable[[Symbolic], Expr]:
    def check(q: Symbolic) -> Expr:
        blanks = [EXCEL.isblank(getattr(q, name)) for name in names]
        total = blanks[0]
        for blank in blanks[1:]:
            total = total + blank
        return Expr(f"{total.text}={len(names) - 1}")

    return check


def _consistency_checks() -> list[tuple[str, Callable[[Symbolic], Expr]]]:
    """Checks that the workbook's results agree with what they mean."""

    def breakeven_bills_meet(q: Symbolic) -> Expr:
        def bill(at: str, name: str) -> Expr:
            return getattr(q, at + name)  # Checks' working rows

        selfhost, api = (
            bill(AT_BREAKEVEN, "selfhost_total_monthly_cost"),
            bill(AT_BREAKEVEN, "api_monthly_cost"),
        )
        meets = EXCEL.abs(selfhost - api) <= q.check_tolerance * api
        selfhost, api = (
            bill(PAST_BREAKEVEN, "selfhost_total_monthly_cost"),
            bill(PAST_BREAKEVEN, "api_monthly_cost"),
        )
        below = selfhost <= api + q.check_tolerance * api
        return EXCEL.where(q.breakeven_reachable, EXCEL.where(q.billing_scales, below, meets), TRUE)

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
        ("Break-even volume: self-host bill equals the API bill (scaling to zero: no more "
         "than it)", breakeven_bills_meet),
        ("Break-even utilization (one replica): cost per request equals the API's",
         breakeven_utilization_prices_as_api),
        ("Replicas needed cover the peak within max utilization", replicas_cover_the_peak),
        ("Bills add up: API bill - self-host bill = savings", bills_add_up),
    ]  # fmt: skip


def _plan_results(sheet: SheetPlan, plan: Plan, rows: ChartRows) -> None:
    toolkit.title_rows(
        sheet,
        "Results",
        "Headline figures per scenario; monthly cost against volume follows.",
        len(plan.columns) + 2,
        60,
    )
    sheet.add(toolkit.master_row(plan, "Master check (see Checks)"))
    sheet.add()
    sheet.add(toolkit.header_cells([(1, "Result"), *toolkit.scenario_headings(plan),
                             (len(plan.columns) + 2, "Unit")]))  # fmt: skip
    sheet.finally_(lambda ws: toolkit.set_widths(ws, plan, *toolkit.RESULT_WIDTHS))
    sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    for name in RESULT_ROWS:
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], toolkit.RESULTS))
    sheet.page_break()
    # two charts side by side, two rows of them a page
    for k in range(0, plan.scenario_count, 2):
        heading = sheet.add(_chart_headings(plan, k))
        top = sheet.add()
        for _ in range(toolkit.CHART_ROWS - 1):
            sheet.add()
        sheet.block(heading, top + toolkit.CHART_ROWS - 1)
        for side, column in enumerate(plan.columns[k : k + 2]):
            anchor = f"{'A' if side == 0 else get_column_letter(5)}{top}"
            left = _group_left(plan.columns.index(column))
            sheet.finally_(_chart_at(rows, left, anchor, toolkit.CHART_WIDTH, toolkit.CHART_HEIGHT))


def _plan_chart_data(sheet: SheetPlan, plan: Plan) -> ChartRows:
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
        sheet.finally_(_chart_group(plan, column, rows, _group_left(k)))
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
    """Where the rows of every chart group sit on the Chart data sheet."""

    def __init__(self, *rows: Any) -> None:
        (self.name, self.largest, self.step, self.marker_head, self.markers, self.heading,
         self.first, self.last) = rows  # fmt: skip


def _number_format(fmt: str, cell: Cell) -> None:
    cell.number_format = fmt


#: a chart point's row, written as this in the formula every point copies
_ROW = "⟦R⟧"


def _group_left(k: int) -> int:
    """The first column of chart group `k` (five columns each: four and a gap)."""
    return 2 + 5 * k


def _name_chart_group(plan: Plan, k: int, rows: ChartRows) -> None:
    left = _group_left(k)
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
        vol, millions = get_column_letter(left), get_column_letter(left + 1)
        styles.look(
            ws.cell(rows.name, left, "=" + concat(q.scenario_name, "").text),
            font=styles.SECTION_FONT,
        )
        reach = EXCEL.where(q.breakeven_reachable, q.sustained_breakeven_volume, 0)
        largest = q.chart_span * EXCEL.maximum(reach, q.monthly_volume)
        ws.cell(rows.largest, left, "Largest volume")
        ws.cell(rows.largest, left + 1, "=" + shown(largest, q).text)
        # a whole number of replicas a step, or an even share of one: risers fall on steps
        L, K = Expr(f"${millions}${rows.largest}"), q.usable_capacity
        whole = K * EXCEL.maximum(1, EXCEL.ceil(L / (q.chart_steps * K)))
        share = K / call("INT", q.chart_steps * K / L)
        step = EXCEL.where(q.chart_steps * K <= L, whole, share)
        ws.cell(rows.step, left, "Volume a step")
        ws.cell(rows.step, left + 1, "=" + shown(step, q).text)
        step_ref = Expr(f"${millions}${rows.step}")
        for offset, label in enumerate(("Marker", "Volume (M)", "Monthly cost")):
            styles.look(ws.cell(rows.marker_head, left + offset, label), font=styles.HEADER_FONT)
        for row, (label, x_name, y_name, _) in zip(rows.markers, MARKERS, strict=True):
            x = getattr(q, x_name)
            at = q.rebind(monthly_volume=x)
            y = getattr(at, y_name)
            if x_name != "monthly_volume":
                # the sustained marker only where it differs from the first break-even
                apart = q.sustained_breakeven_volume > q.breakeven_volume
                x = EXCEL.where(q.breakeven_reachable, x, toolkit.NOTHING)
                y = EXCEL.where(q.breakeven_reachable, y, toolkit.NOTHING)
                if x_name == "sustained_breakeven_volume":
                    x = EXCEL.where(q.breakeven_reachable, EXCEL.where(apart, x, toolkit.NOTHING),
                                    toolkit.NOTHING)  # fmt: skip
                    y = EXCEL.where(apart, y, toolkit.NOTHING)
            ws.cell(row, left, label)
            ws.cell(row, left + 1, "=" + shown(x / q.requests_per_million, q).text)
            ws.cell(row, left + 2, "=" + shown(y, q).text)
            ws.cell(row, left + 1).number_format = "#,##0.00"
            ws.cell(row, left + 2).number_format = "#,##0"
        for offset, label in enumerate(("Volume", "Volume (M)", "API", "Self-host")):
            cell = ws.cell(rows.heading, left + offset, label)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        # each column's formula written once, its row a token: every point is a copy
        volume = Expr(f"{vol}{_ROW}")
        at = plan.quantities(column, toolkit.CHART_DATA, monthly_volume=volume)
        points = (
            (left, shown(Expr(f"$A{_ROW}") * step_ref, q).text, "#,##0"),
            (left + 1, (volume / q.requests_per_million).text, "#,##0.000"),
            (left + 2, at.api_monthly_cost.text, "#,##0"),
            (left + 3, at.selfhost_total_monthly_cost.text, "#,##0"),
        )
        for r in range(rows.first, rows.last + 1):
            for number, formula, fmt in points:
                cell = ws.cell(r, number, "=" + formula.replace(_ROW, str(r)))
                styles.styled(cell, ("chart", fmt), partial(_number_format, fmt))
        for offset, width in enumerate((14, 11, 11, 11, 3)):
            ws.column_dimensions[get_column_letter(left + offset)].width = width

    return render


def _summary_chart_group(plan: Plan, rows: ChartRows) -> Callable[[Worksheet], None]:
    """A copy of the chart group of the scenario column `summary_chart_scenario` names."""
    left = _group_left(plan.scenario_count)

    def render(ws: Worksheet) -> None:
        pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))

        def chosen(row: int, offset: int) -> str:
            cells = [f"{get_column_letter(_group_left(k) + offset)}{row}"
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


def _chart_at(
    rows: ChartRows, left: int, anchor: str, width: float, height: float
) -> Callable[[Worksheet], None]:
    """A step chart of one chart group: API and self-host monthly cost against volume in
    millions, with the break-evens and the own volume marked and labelled."""

    def add(ws: Worksheet) -> None:
        data = ws.parent[toolkit.CHART_DATA]
        chart = ScatterChart(scatterStyle="lineMarker")
        chart.style = 13
        chart.height, chart.width = height, width
        chart.x_axis.title = toolkit.axis_title("Requests per month (millions)")
        chart.y_axis.title = toolkit.axis_title("Monthly cost")
        chart.x_axis.number_format = "#,##0.0"
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


def _plan_table(sheet: SheetPlan, plan: Plan, n_utilizations: int) -> None:
    subtitle = (
        "The article's table for each scenario: ONE replica carrying the minimum self-host "
        "bill, at utilizations up to 100 %, whatever the scenario's max utilization, peak or "
        "failover. The scenario's own figures are on Results."
    )
    toolkit.title_rows(sheet, "Cost by utilization (one replica)", subtitle, len(TABLE_WIDTHS),
           sum(TABLE_WIDTHS))  # fmt: skip
    sheet.finally_(_table_widths)
    labels = [QUANTITIES[c].label for c in TABLE_COLUMNS]
    for k, column in enumerate(plan.columns, 1):
        sheet.add()
        block = sheet.next_row
        name = _scenario_title(plan.quantities(column, toolkit.TABLE), k, "")
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


#: Catalogue column widths: name, provider, offer, pricing, price, seen, stale, source
CATALOGUE_WIDTHS = (22, 14, 26, 13, 10, 11, 7, 41)
#: the Catalogue's own inputs: when offers are compared, and after how many days they are stale
CATALOGUE_SETTINGS = (
    (Quantity("offers_compared_on", "Offers compared with", Unit("date", "date", "yyyy-mm-dd"),
              "Offers seen long before this date are marked stale; set it to today"),
     Bound(low=1)),
    (Quantity("stale_after_days", "Stale after (days)", COUNT,
              "An offer seen more days than this before the date above is stale"),
     Bound(low=1, whole=True)),
)  # fmt: skip
#: the estimates the Catalogue shows: (GPU, precision) for every model, at the fewest GPUs
#: (1, 2, 4 or 8) it fits on
ESTIMATE_SETUPS = (("H100 SXM", "fp8"), ("H100 SXM", "bf16"), ("A100 SXM 80GB", "bf16"),
                   ("L40S", "fp8"))  # fmt: skip


def _plan_catalogue(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
    """Reference figures shipped with the package, each with its source and date: GPU
    offers (stale ones marked by formula), GPU specifications, API list prices of popular
    models, and throughput estimates. Values, not formulas: copy one into Inputs to use it."""
    from .. import catalogue, estimator, prices

    widths = CATALOGUE_WIDTHS
    span, chars = len(widths), sum(widths)
    as_of = _as_of(scenario_set)
    toolkit.title_rows(
        sheet,
        "Catalogue",
        "Figures shipped with llm-breakeven, each with its source and "
        "date. They are values: copy one into Inputs to use it. Estimates are estimates.",
        span,
        chars,
    )
    sheet.finally_(lambda ws: _column_widths(ws, widths))
    for q, rule in CATALOGUE_SETTINGS:
        value = as_of if q.name == "offers_compared_on" else catalogue.STALE_DAYS
        row = sheet.add(_catalogue_setting(q, value, rule))
        plan.single(q.name, toolkit.CATALOGUE, f"B{row}")

    sheet.add()
    toolkit.section_row(sheet, "GPU rental offers, USD per GPU-hour, newest first")
    sheet.add(toolkit.heading_row(["GPU", "Provider", "Offer", "Pricing", "USD/GPU-h",
                                            "Seen", "Stale?", "Source"]))  # fmt: skip
    first = sheet.next_row
    for offer in catalogue.offers():
        cells = [offer.gpu, offer.provider, offer.offer, offer.pricing, offer.usd_per_gpu_hour,
                 catalogue.parse_date(offer.date_seen), None, offer.source]  # fmt: skip
        height = toolkit.text_height([offer.source], widths[7])
        sheet.add(_catalogue_row(cells, ("@", "@", "@", "@", "#,##0.00", "yyyy-mm-dd", "@", "@"),
                                 stale=(6, 7), plan=plan), height)  # fmt: skip
    plan.names["catalogue_offers"] = absolute(toolkit.CATALOGUE, f"A{first}:H{sheet.next_row - 1}")

    sheet.add()
    toolkit.section_row(sheet, "GPU specifications (dense peaks, no sparsity)")
    headings = ["GPU", "Memory GB", "TB/s", "BF16 TFLOPS", "FP8 TFLOPS", "Power W", "Released",
                "Source"]  # fmt: skip
    sheet.add(toolkit.heading_row(headings))
    formats = ("@", "#,##0", "0.000", "#,##0", "#,##0", "#,##0", "@", "@")
    for spec in catalogue.gpus().values():
        figures = [float(spec[f]) if spec[f] else None for f in catalogue.GPU_FIELDS]
        cells = [spec["gpu"], *figures, spec["date"], spec["source"]]
        height = toolkit.text_height([spec["source"]], widths[7])
        sheet.add(_catalogue_row(cells, formats), height)

    sheet.add()
    toolkit.section_row(sheet, f"API list prices per 1M tokens, USD: genai-prices, data as of "
                    f"{prices.data_date(as_of)}")  # fmt: skip
    sheet.add(toolkit.heading_row(["Model", "Provider", "Input", "Output",
                                            "Cached input", "Pick as"]))  # fmt: skip
    first = sheet.next_row
    for model_name, provider in prices.CURATED:
        listed = [prices.api_price(model_name, k, provider, as_of) for k in prices.KINDS]
        sheet.add(_catalogue_row([model_name, provider, *listed, api_pick(model_name, provider)],
                                 ("@", "@", "0.000", "0.000", "0.000", "@")))  # fmt: skip
    last = sheet.next_row - 1
    plan.names["catalogue_api_prices"] = absolute(toolkit.CATALOGUE, f"A{first}:E{last}")
    for name, column in (("pick_api_keys", "F"), ("pick_api_input", "C"),
                         ("pick_api_output", "D")):  # fmt: skip
        plan.names[name] = absolute(toolkit.CATALOGUE, f"{column}{first}:{column}{last}")

    sheet.add()
    toolkit.section_row(
        sheet, "GPU hourly rates to pick: the median on-demand offer, USD per GPU-hour"
    )
    sheet.add(toolkit.heading_row(["GPU", "USD/GPU-h", "Offers"]))
    first = sheet.next_row
    for gpu in catalogue.gpus():
        try:
            matching = catalogue.matching_offers(gpu)
        except LookupError:
            continue
        rate = catalogue.gpu_price(gpu)
        sheet.add(_catalogue_row([gpu, rate, len(matching)], ("@", "#,##0.00", "0")))
    last = sheet.next_row - 1
    plan.names["pick_gpu_keys"] = absolute(toolkit.CATALOGUE, f"A{first}:A{last}")
    plan.names["pick_gpu_rates"] = absolute(toolkit.CATALOGUE, f"B{first}:B{last}")

    sheet.add()
    toolkit.section_row(
        sheet,
        f"Throughput ESTIMATES (roofline, within {estimator.BAND:.0%} of published "
        "measurements), 1,000 tokens in and 250 out",
    )
    sheet.add(toolkit.heading_row(["Pick as", "Model", "GPU", "GPUs", "Precision",
                                            "Tokens/s", "Low", "High"]))  # fmt: skip
    first = sheet.next_row
    for model_name in catalogue.models():
        for gpu, precision in ESTIMATE_SETUPS:
            found = _fewest_gpus(model_name, gpu, precision)
            if found is None:
                continue
            low, high = found.band
            key = estimate_pick(model_name, found.gpus, gpu, precision)
            cells = [key, model_name, gpu, found.gpus, precision, round(found.tokens_per_second),
                     round(low), round(high)]  # fmt: skip
            sheet.add(
                _catalogue_row(cells, ("@", "@", "@", "0", "@", "#,##0", "#,##0", "#,##0")),
                toolkit.text_height([key], widths[0]),
            )
    last = sheet.next_row - 1
    plan.names["catalogue_estimates"] = absolute(toolkit.CATALOGUE, f"A{first}:H{last}")
    for name, column in (("pick_estimate_keys", "A"), ("pick_estimate_gpus", "D"),
                         ("pick_estimate_tokens", "F")):  # fmt: skip
        plan.names[name] = absolute(toolkit.CATALOGUE, f"{column}{first}:{column}{last}")


def api_pick(model_name: str, provider: str) -> str:
    """How the Inputs sheet's API picker names a model at a provider."""
    return f"{model_name} ({provider})"


def estimate_pick(model_name: str, gpus: int, gpu: str, precision: str) -> str:
    """How the Inputs sheet's throughput picker names an estimate."""
    return f"{model_name} on {gpus} x {gpu}, {precision}"


def _as_of(scenario_set: ScenarioSet) -> dt.date:
    """The date the Catalogue compares offers with and prices on: the scenarios' data date."""
    try:
        return dt.date.fromisoformat(scenario_set.data_date)
    except ValueError:
        return dt.date(2026, 1, 1)


def _fewest_gpus(model_name: str, gpu: str, precision: str) -> Any:
    from .. import estimator

    for count in (1, 2, 4, 8):
        try:
            return estimator.estimate(model_name, gpu, count, precision)
        except estimator.DoesNotFit:
            continue
    return None


def _catalogue_setting(q: Quantity, value: Any, rule: Bound) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        cell = ws.cell(row, 2, value)
        cell.number_format = q.unit.number_format
        toolkit.style_input(cell)
        note = ws.cell(row, 3, q.help)
        note.font = styles.NOTE_FONT
        toolkit.add_validation(ws, q, cell.coordinate, rule)

    return render


def _catalogue_row(
    cells: list[Any], formats: tuple[str, ...], stale: tuple[int, int] | None = None,
    plan: Plan | None = None,
) -> Callable[..., None]:  # fmt: skip
    """A row of values (text stored as text); `stale` = (seen column, flag column) adds the
    formula that marks an offer seen too long before the date compared with."""

    def render(ws: Worksheet, row: int) -> None:
        for column, (value, fmt) in enumerate(zip(cells, formats, strict=True), 1):
            cell = ws.cell(row, column)
            if isinstance(value, str):
                toolkit.set_text(cell, value)
            elif value is not None:
                cell.value = value
            cell.number_format = fmt
            cell.alignment = styles.WRAP if column == len(cells) else styles.TOP
        if stale is not None and plan is not None:
            seen, flag = stale
            compared = Expr.ref(absolute(*plan.singles["offers_compared_on"]))
            days = Expr.ref(absolute(*plan.singles["stale_after_days"]))
            age = compared - Expr.ref(f"{get_column_letter(seen)}{row}")
            ws.cell(row, flag, "=" + call("IF", age > days, "stale", "").text)

    return render


def _column_widths(ws: Worksheet, widths: tuple[float, ...]) -> None:
    for k, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = width


def _plan_summary(sheet: SheetPlan, plan: Plan, rows: ChartRows, data_date: str) -> None:
    toolkit.title_rows(sheet, "Summary: pay an API per token, or self-host?",
           f"llm-breakeven {__version__}, figures as of {data_date}. Annual figures are 12 "
           "months of the scenario's own volume.", len(SUMMARY_WIDTHS),
           sum(SUMMARY_WIDTHS))  # fmt: skip
    sheet.add(toolkit.master_row(plan, "Master check"))
    sheet.add()
    labels = ["Scenario", *(QUANTITIES[n].label for n in SUMMARY_COLUMNS)]
    head = sheet.add(toolkit.heading_row(labels, wrap=True), 3 * styles.SIZE * 1.4)
    top = sheet.next_row
    for column in plan.columns:
        sheet.add(_summary_figures(plan, column))
        sheet.add(_summary_sentence(plan, column), SENTENCE_HEIGHT)
    last = sheet.next_row - 1

    def widths(ws: Worksheet) -> None:
        for k, width in enumerate(SUMMARY_WIDTHS, 1):
            ws.column_dimensions[get_column_letter(k)].width = width

    sheet.finally_(widths)
    chart_column = get_column_letter(len(SUMMARY_WIDTHS) + 1)
    group = _group_left(plan.scenario_count)

    def heading(ws: Worksheet) -> None:
        cell = ws[f"{chart_column}{head}"]
        styles.look(cell, alignment=styles.TOP)
        pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))
        names = [plan.quantities(c, toolkit.SUMMARY).scenario_name for c in plan.columns]
        name = call("IFERROR", concat(call("CHOOSE", pick, *names), ""), "")
        cell.value = "=" + concat("Chart: scenario ", pick, " (set on Inputs): ", name).text
        styles.look(cell, font=styles.SECTION_FONT)

    sheet.finally_(heading)
    sheet.finally_(_chart_at(rows, group, f"{chart_column}{top}", 8.4, 8.6))
    sheet.block(1, last)


#: Summary column widths: scenario, verdict, then figures
SUMMARY_WIDTHS = (20, 11, 11, 11, 11, 11, 11, 11)
#: a verdict sentence wraps to three lines across the Summary's table
SENTENCE_HEIGHT = 3 * styles.SIZE * 1.4


def _summary_figures(plan: Plan, column: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        q = plan.quantities(column, toolkit.SUMMARY)
        cell = ws.cell(row, 1, "=" + concat(q.scenario_name, "").text)
        styles.look(cell, font=styles.HEADER_FONT)
        for offset, name in enumerate(SUMMARY_COLUMNS, 2):
            cell = ws.cell(row, offset, "=" + toolkit.shown_output(q, name).text)
            cell.number_format = QUANTITIES[name].unit.number_format
        verdict = ws.cell(row, 2).coordinate
        toolkit.verdict_colours(
            ws,
            verdict,
            good=toolkit.SELFHOST_OPTION,
            bad=toolkit.API_OPTION,
            even=toolkit.EVEN_OPTION,
        )

    return render


def _summary_sentence(plan: Plan, column: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        q = plan.quantities(column, toolkit.SUMMARY)
        text = call("IF", q.scenario_in_use,
                    call("IF", q.scenario_checks_pass, verdict_sentence(q, plan),
                         concat(q.scenario_name, ": inputs fail a check; no verdict until the "
                                "Checks sheet reads OK.")), "")  # fmt: skip
        cell = ws.cell(row, 1, "=" + text.text)
        styles.look(cell, alignment=styles.WRAP)
        styles.look(cell, font=styles.PLAIN_FONT)
        ws.merge_cells(start_row=row, start_column=1, end_row=row,
                       end_column=len(SUMMARY_WIDTHS))  # fmt: skip

    return render


def verdict_sentence(q: Symbolic, plan: Plan) -> Expr:
    """A scenario's verdict in plain words: its bills at its own volume, the difference, the
    first and sustained break-evens, the volume as a multiple of break-even, and whether the
    verdict alternates there."""
    money = Expr.ref(absolute(*plan.singles["currency_symbol"]))

    def amount(x: Any) -> Expr:
        return concat(money, call("FIXED", x, 0))

    def volume(x: Any) -> Expr:
        return call("FIXED", x, 0)

    difference = call(
        "IF", q.monthly_savings >= 0,
        concat(amount(q.monthly_savings), " a month less"),
        concat(amount(-q.monthly_savings), " a month more"),
    )  # fmt: skip
    bills = concat(
        q.scenario_name, ": at ", volume(q.monthly_volume), " requests a month, self-hosting "
        "costs ", amount(q.selfhost_total_monthly_cost), " a month against ",
        amount(q.api_monthly_cost), " on the API: ", difference, ". ",
    )  # fmt: skip
    later = call("IF", q.sustained_breakeven_volume > q.breakeven_volume,
                 concat(", for good from ", volume(q.sustained_breakeven_volume)), "")  # fmt: skip
    alternates = call("IF", q.in_alternating_band,
                      " Here the cheaper option alternates as replicas are added.", "")  # fmt: skip
    reachable = concat(
        "Self-hosting breaks even from ", volume(q.breakeven_volume), later,
        " requests a month; this volume is ", call("FIXED", q.breakeven_multiple, 1),
        "x break-even.", alternates,
    )  # fmt: skip
    never = literal("The API is cheaper at every volume: self-hosting never breaks even.")
    return concat(bills, call("IF", q.breakeven_reachable, reachable, never))


def _plan_start(sheet: SheetPlan, plan: Plan, data_date: str) -> None:
    first, each = START_WIDTHS
    span, chars = 1 + len(plan.columns), first + each * len(plan.columns)

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
    text(f"Version {__version__}; scenario figures as of {data_date} (see Inputs, Sources).",
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
    sheet.add(toolkit.master_row(plan, "Master check"))
    sheet.add()
    text("At a glance", styles.SECTION_FONT)
    sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    for name in GLANCE_ROWS:
        sheet.add(toolkit.output_row(plan, QUANTITIES[name], toolkit.START, unit=False))


def _in_use_row(plan: Plan) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, "Scenario in use?")
        for column in plan.columns:
            name = plan.quantities(column, toolkit.CALCULATIONS).scenario_name
            cell = plan.at(ws, column, row)
            cell.value = "=" + call("NOT", call("ISBLANK", name)).text
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
        toolkit.unit_and_note(ws, plan, row, "TRUE / FALSE", IN_USE_NOTE)

    return render


def _text_inputs(plan: Plan, label: str, values: list[str]) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.TOP)
        for column, value in zip(plan.columns, values, strict=True):
            cell = plan.at(ws, column, row)
            if value:
                toolkit.set_text(cell, value)
            toolkit.style_input(cell)
            styles.look(cell, alignment=styles.WRAP)

    return render


#: the pickers on Inputs: (name, label, the Catalogue's keys, note)
PICKERS = (
    ("api_pick", "API model", "pick_api_keys",
     "Fills the API input and output prices of a new column"),
    ("gpu_pick", "GPU", "pick_gpu_keys", "Fills the GPU hourly rate of a new column"),
    ("estimate_pick", "Throughput estimate", "pick_estimate_keys",
     "Fills output tokens per second and GPUs per replica of a new column (an ESTIMATE at "
     "1,000 in / 250 out)"),
)  # fmt: skip
#: inputs a spare column fills from a picker: (picker, the Catalogue's values, if none picked)
PICKED = {
    "input_price": ("api_pick", "pick_api_keys", "pick_api_input", None),
    "output_price": ("api_pick", "pick_api_keys", "pick_api_output", None),
    "hourly_rate": ("gpu_pick", "pick_gpu_keys", "pick_gpu_rates", None),
    "replica_output_tokens_per_second": ("estimate_pick", "pick_estimate_keys",
                                         "pick_estimate_tokens", None),
    "gpus_per_replica": ("estimate_pick", "pick_estimate_keys", "pick_estimate_gpus", 1),
}  # fmt: skip


def _picked(plan: Plan, column: str, name: str) -> Expr:
    """The look-up of `name`: what its picker names in the Catalogue, or blank text (or the
    default) while nothing is picked."""
    picker, keys, values, otherwise = PICKED[name]
    pick = plan.quantities(column, toolkit.INPUTS_SHEET).__getattr__(picker)
    found = call("INDEX", Expr.ref(plan.names[values]),
                 call("MATCH", pick, Expr.ref(plan.names[keys]), 0))  # fmt: skip
    idle = literal("" if otherwise is None else otherwise)
    return call("IF", EXCEL.isblank(pick), idle, call("IFERROR", found, ""))


def _used_row(plan: Plan, q: Quantity) -> Callable[..., None]:
    """The value of a looked-up input that every formula reads: the number typed in its
    row below, else the look-up. A locked formula: typing never loses the look-up."""

    def render(ws: Worksheet, row: int) -> None:
        typed = plan.looked_up_from(row)

        def formula(column: str) -> Expr:
            given = Expr(f"{column}{typed}")
            return call("IF", EXCEL.isblank(given), _picked(plan, column, q.name), given)

        label = f"{q.label} used (a number typed in row {typed} wins)"
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        for column, text in plan.across(formula):
            cell = plan.at(ws, column, row)
            cell.value = "=" + text
            styles.formula_cell(cell, q.unit.number_format)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, "")

    return render


def _picker_row(plan: Plan, label: str, keys: str, note: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.TOP)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            toolkit.style_input(cell)
            styles.look(cell, alignment=styles.WRAP)
        validation = DataValidation(type="list", formula1=plan.names[keys], allow_blank=True,
                                    showErrorMessage=True, errorTitle="Not in the Catalogue",
                                    error="Pick one from the list")  # fmt: skip
        validation.add(plan.span(row))
        ws.add_data_validation(validation)
        toolkit.unit_and_note(ws, plan, row, "text", note)

    return render


def _input_row(plan: Plan, q: Quantity, values: list[Any]) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.TOP)
        for column, value in zip(plan.columns, values, strict=True):
            cell = plan.at(ws, column, row)
            if isinstance(value, str):
                toolkit.set_text(cell, value)
            elif value is not None:  # a blank stays a truly empty cell
                cell.value = value
            cell.number_format = q.unit.number_format
            toolkit.style_input(cell)
            styles.look(cell, alignment=styles.TOP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)
        toolkit.add_validation(ws, q, plan.span(row))

    return render


def _single_input(
    plan: Plan, label: str, q: Quantity, value: Any, rule: Bound | None = None
) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.TOP)
        cell = ws[f"{plan.columns[0]}{row}"]
        if isinstance(value, str):
            toolkit.set_text(cell, value)
        else:
            cell.value = value
        cell.number_format = q.unit.number_format
        toolkit.style_input(cell)
        styles.look(cell, alignment=styles.TOP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)
        if q.unit is not TEXT:
            toolkit.add_validation(ws, q, cell.coordinate, rule)

    return render


def _constant_row(plan: Plan, q: Quantity, value: float) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.TOP)
        cell = ws[f"{plan.columns[0]}{row}"]
        cell.value = value
        styles.look(cell, fill=styles.CONSTANT_FILL)
        cell.number_format = "General"
        toolkit.unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render


def _calculation_row(plan: Plan, q: Quantity, readable: str) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.WRAP)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            quantities = plan.quantities(column, toolkit.CALCULATIONS)
            formula = call("IF", quantities.scenario_in_use, quantities.define(q.name), "")
            cell.value = "=" + formula.text
            cell.number_format = q.unit.number_format
            styles.look(cell, font=styles.FORMULA_FONT)
            styles.look(cell, alignment=styles.TOP)
        toolkit.unit_and_note(ws, plan, row, q.unit.text, readable)

    return render


def _check_row(
    plan: Plan, label: str, check: Callable[[Symbolic], Expr], single: bool = False
) -> Callable[..., None]:
    """A check per scenario column in use (or one, `single`, for the whole workbook): TRUE,
    FALSE (an error reads FALSE) or blank; the last column flags the row when any is FALSE."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        for column in plan.columns[:1] if single else plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            result = call("IFERROR", check(q), EXCEL.false)
            cell = plan.at(ws, column, row)
            cell.value = "=" + (result if single else
                                call("IF", q.scenario_in_use, result, "")).text  # fmt: skip
            styles.look(cell, fill=styles.CHECK_FILL)
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
            styles.look(cell, alignment=styles.TOP)
            ws.conditional_formatting.add(
                cell.coordinate,
                FormulaRule(
                    formula=[f"{cell.coordinate}={toolkit.FALSE_CELL.text}"],
                    fill=styles.FAILED_CHECK_FILL,
                ),
            )
        flag = ws[f"{plan.unit_column}{row}"]
        fails = Expr(f"{call('COUNTIF', Expr(plan.span(row)), toolkit.FALSE_CELL).text}>0")
        flag.value = "=" + call("IF", fails, 1, 0).text
        flag.alignment = styles.TOP

    return render


def _warning_row(
    plan: Plan, label: str, condition: Callable[[Symbolic, Any], Expr]
) -> Callable[..., None]:
    """A warning per scenario column in use: "check the unit" where `condition` holds."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        for column in plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            slip = call("IF", condition(q, EXCEL), "check the unit", "")
            guarded = call("IF", q.scenario_in_use, call("IFERROR", slip, ""), "")
            cell = plan.at(ws, column, row)
            cell.value = "=" + guarded.text
            styles.look(cell, font=styles.WARNING_FONT)
            styles.look(cell, alignment=styles.TOP)

    return render


def _passes_row(plan: Plan, first: int, last: int) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "All checks pass for the scenario"), font=styles.HEADER_FONT)
        for column in plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            fails = call("COUNTIF", Expr(f"{column}{first}:{column}{last}"), toolkit.FALSE_CELL)
            cell = plan.at(ws, column, row)
            cell.value = "=" + call("IF", q.scenario_in_use, Expr(f"{fails.text}=0"), "").text
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
            styles.look(cell, font=styles.HEADER_FONT)

    return render


def _value_cell(column: int, value: float) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, column, value)

    return render


def _formula_cell(column: int, formula: Expr, font: Any) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, column, "=" + formula.text)
        cell.font = font

    return render


def _chart_headings(plan: Plan, k: int) -> Callable[..., None]:
    """Above each chart, its scenario's name: the title follows the name as it changes."""

    def render(ws: Worksheet, row: int) -> None:
        for side, column in enumerate(plan.columns[k : k + 2]):
            q = plan.quantities(column, toolkit.RESULTS)
            text = _scenario_title(q, k + side + 1, ": monthly cost against volume")
            cell = ws.cell(row, 1 if side == 0 else 5, "=" + text.text)
            styles.look(cell, font=styles.SECTION_FONT)

    return render


def _scenario_title(q: Symbolic, number: int, what: str) -> Expr:
    """A heading that follows the scenario's name, or says its column is blank."""
    blank = f"Scenario {number}: blank (fill its column on Inputs)"
    return call("IF", call("ISBLANK", q.scenario_name), blank, concat(q.scenario_name, what))


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


def _legend_row(label: str, font: Any, fill: Any) -> Callable[..., None]:
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
