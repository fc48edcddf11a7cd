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

from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from .. import __version__
from ..scenario import ScenarioSet
from . import currency, decide, months, printing, risk, shape, toolkit
from .assumptions import ASSUMPTIONS, plan_assumptions
from .calculations import plan_calculations
from .catalogue_sheet import plan_catalogue
from .checks_sheet import plan_checks
from .functions_sheet import FUNCTIONS, defined_names, plan_functions
from .inputs_sheet import PICKED, plan_inputs
from .layout import Plan, SheetPlan
from .reader import COMPARED
from .results import plan_chart_data, plan_results
from .summary import plan_start, plan_summary
from .table import plan_table

PROJECTION, SENSITIVITY, WATERFALL_SHEET, SIGNALS_SHEET = (
    "Projection", "Sensitivity", "Waterfall", "Signals")  # fmt: skip
#: the board pack: the Summary, then what a board reads after it (how the answer moves over
#: time and under risk, the hybrid, where a request's cost comes from, and the assumptions)
BOARD_PACK = (toolkit.SUMMARY, PROJECTION, SENSITIVITY, toolkit.HYBRID, WATERFALL_SHEET,
              ASSUMPTIONS)  # fmt: skip
#: the model, printed after the board pack as its appendix
APPENDIX = (toolkit.START, toolkit.INPUTS_SHEET, toolkit.TRAFFIC, toolkit.CALCULATIONS,
            toolkit.RESULTS, toolkit.BUY, SIGNALS_SHEET, toolkit.TABLE, toolkit.CATALOGUE,
            toolkit.CHECKS)  # fmt: skip
#: not the model but a tool for Microsoft 365: the engine's functions, printed last
REFERENCE = (FUNCTIONS,)
#: sheets that print, in order (Chart data only feeds the charts, and is hidden)
PRINTED = BOARD_PACK + APPENDIX + REFERENCE
#: the part of the printout each printed sheet's header names
PARTS = {**dict.fromkeys(BOARD_PACK, "Board pack"),
         **dict.fromkeys(APPENDIX, "Appendix: the model"),
         **dict.fromkeys(REFERENCE, "Reference: the functions")}  # fmt: skip
SHEETS = (*PRINTED, toolkit.CHART_DATA)
#: the order sheets are written in: a sheet that reads cells as written (the Monte Carlo's
#: fingerprint of the inputs) after the sheets it reads
WRITTEN = (toolkit.INPUTS_SHEET, toolkit.TRAFFIC, toolkit.CALCULATIONS, toolkit.RESULTS,
           toolkit.HYBRID, toolkit.BUY, PROJECTION, SENSITIVITY)  # fmt: skip


def build(scenario_set: ScenarioSet, progress: Callable[[str], None] | None = None) -> Workbook:
    """The template workbook for `scenario_set`, with native formulas only; `progress` is
    told the title of each sheet once it is rendered (`len(SHEETS)` calls)."""

    shape.check_profiles(scenario_set)
    plan = Plan(len(scenario_set.scenarios))
    plan.scenario_names = [s.name for s in scenario_set.scenarios]
    plan.source_dates = [s.source_dates() for s in scenario_set.scenarios]
    plan.chart_scenario = scenario_set.summary_chart_scenario
    plan.currency = scenario_set.currency_symbol
    sheets = {title: SheetPlan(title) for title in SHEETS}
    # plan in dependency order: inputs and calculations give every quantity its home
    plan_inputs(sheets[toolkit.INPUTS_SHEET], plan, scenario_set)
    rows = plan_chart_data(sheets[toolkit.CHART_DATA], plan)
    results = scenario_set.evaluate()
    shape.check_fleets(scenario_set)
    helpers = shape.plan_helpers(sheets[toolkit.CHART_DATA], plan)
    blocks = decide.plan_blocks(sheets[toolkit.CHART_DATA], plan)
    currency.plan_money_axes(sheets[toolkit.CHART_DATA], plan)
    shape.plan_traffic(sheets[toolkit.TRAFFIC], plan, scenario_set, helpers)
    plan_calculations(sheets[toolkit.CALCULATIONS], plan, results)
    shape.plan_hybrid(sheets[toolkit.HYBRID], plan, helpers, results)
    shape.plan_buy(sheets[toolkit.BUY], plan)
    months.plan_projection(sheets[PROJECTION], plan, blocks)
    risk.plan_sensitivity(sheets[SENSITIVITY], plan, blocks, scenario_set)
    decide.plan_waterfall(sheets[WATERFALL_SHEET], plan, blocks)
    decide.plan_signals(sheets[SIGNALS_SHEET], plan, list(results["recommendation"]))
    plan_assumptions(sheets[ASSUMPTIONS], plan, scenario_set.scenarios)
    plan_catalogue(sheets[toolkit.CATALOGUE], plan, scenario_set)
    plan_functions(sheets[FUNCTIONS], plan)
    plan_checks(sheets[toolkit.CHECKS], plan, scenario_set)
    plan_results(sheets[toolkit.RESULTS], plan, rows)
    plan_table(sheets[toolkit.TABLE], plan, len(scenario_set.utilizations))
    plan_summary(sheets[toolkit.SUMMARY], plan, rows, scenario_set.dated)
    plan_start(sheets[toolkit.START], plan, scenario_set.dated)

    book = Workbook()
    book.remove(book.active)
    for title in SHEETS:  # every sheet exists before any is rendered: charts read others
        book.create_sheet(title)
    for title in (*WRITTEN, *(t for t in SHEETS if t not in WRITTEN)):
        ws, sheet = book[title], sheets[title]
        sheet.render(ws)
        ws.protection.sheet = True  # formulas locked, input cells unlocked
        breaks = sheet.pages(printing.ROOM_HEIGHT) if title in PRINTED else []
        printing.setup(ws, breaks, __version__, scenario_set.dated, PARTS.get(title, ""),
                       sheet.title_rows)  # fmt: skip
        if progress is not None:
            progress(title)
    book[toolkit.CHART_DATA].sheet_state = "hidden"
    currency.localise(book, scenario_set.currency_symbol)
    for name, reference in plan.names.items():
        book.defined_names[name] = DefinedName(name, attr_text=reference)
    for named in defined_names():
        book.defined_names[named.name] = named
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
