"""The Inputs sheet: a column a scenario, a row an input, the pickers and the values they look
up, the workbook's settings, the by-utilization table's utilizations, the constants and the
sources.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..bounds import Bound
from ..formula import EXCEL, Expr, call, literal
from ..quantities import (
    CONSTANTS,
    COUNT,
    INPUTS,
    QUANTITIES,
    TEXT,
    Quantity,
    Unit,
    sections,
)
from ..scenario import ScenarioSet
from . import assumptions, estimate, styles, toolkit
from .layout import Plan, SheetPlan, absolute
from .reader import TYPED
from .results import CHART_STEPS

_NUMBER = Unit("number", "number", "General")
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


def workbook_inputs(
    plan: Plan, scenario_set: ScenarioSet
) -> list[tuple[Quantity, Any, Bound | None]]:
    """The workbook's own inputs: (quantity, value, rule)."""
    pick = Bound(low=1, high=plan.scenario_count, whole=True)
    return [
        (CURRENCY, scenario_set.currency_symbol, None),
        (CHART_PICK, scenario_set.summary_chart_scenario, pick),
    ]


# --- sheets --------------------------------------------------------------------------------


def plan_inputs(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
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
    used = {}
    for name in PICKED:
        height = toolkit.text_height([_used_label(QUANTITIES[name])], toolkit.GRID_WIDTHS[0])
        used[name] = sheet.add(_used_row(plan, QUANTITIES[name]), height)

    for section, quantities in sections(INPUTS):
        sheet.add()
        toolkit.section_row(sheet, section)
        for q in quantities:
            spare_value = None if q.required or q.name in PICKED else q.default
            values = [getattr(s, q.name) for s in scenarios] + [spare_value] * spare
            row = sheet.add(_input_row(plan, q, values), toolkit.note_height(plan, [q.help]))
            if q.name in PICKED:  # formulas read the value used, under the pickers
                plan.looked_up[used[q.name]] = row
                plan.names[TYPED + q.name] = absolute(toolkit.INPUTS_SHEET, plan.span(row))
                row = used[q.name]
            plan.home(q.name, toolkit.INPUTS_SHEET, row)

    sheet.add()
    toolkit.section_row(sheet, "Workbook settings")
    for q, default, rule in workbook_inputs(plan, scenario_set):
        row = sheet.add(
            _single_input(plan, q.label, q, default, rule), toolkit.note_height(plan, [q.help])
        )
        plan.single(q.name, toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")

    sheet.add()
    toolkit.section_row(sheet, "By-utilization table")
    first = sheet.next_row
    utilization = QUANTITIES["utilizations"]
    for k, share in enumerate(scenario_set.utilizations, 1):
        height = toolkit.note_height(plan, [utilization.help])
        row = sheet.add(_single_input(plan, f"Utilization {k}", utilization, share), height)
        plan.single(f"utilization_{k}", toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")
    column = plan.columns[0]
    plan.names["utilizations"] = absolute(toolkit.INPUTS_SHEET, f"{column}{first}:{column}{row}")

    sheet.add()
    toolkit.section_row(sheet, "Constants (not inputs)")
    constants = [(q, float(q.default)) for q in CONSTANTS]  # type: ignore[arg-type]
    for q, value in [*constants, *WORKBOOK_CONSTANTS]:
        row = sheet.add(toolkit.constant_row(plan, q, value), toolkit.note_height(plan, [q.help]))
        plan.single(q.name, toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")

    sheet.add()
    toolkit.section_row(sheet, "Sources: figure (scenarios): where it came from, and when")
    assumptions.plan_sources(sheet, plan, scenarios)

    toolkit.working_rows(sheet, plan, "Below, out of print: the throughput estimate a column's "
                         "picker fills in, worked out at that column's request shape.")  # fmt: skip
    estimate.plan_estimate(sheet, plan)


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
     "Fills output tokens per second and GPUs per replica of a new column: an ESTIMATE at "
     "the column's tokens in and out, worked out below the print area"),
)  # fmt: skip
#: inputs a spare column fills from a picker: (picker, the Catalogue's values, if none picked)
PICKED = {
    "input_price": ("api_pick", "pick_api_keys", "pick_api_input", None),
    "output_price": ("api_pick", "pick_api_keys", "pick_api_output", None),
    "hourly_rate": ("gpu_pick", "pick_gpu_keys", "pick_gpu_rates", None),
    "replica_output_tokens_per_second": ("estimate_pick", "pick_estimate_keys",
                                         estimate.ESTIMATED, None),
    "gpus_per_replica": ("estimate_pick", "pick_estimate_keys", "pick_estimate_gpus", 1),
}  # fmt: skip


def _picked(plan: Plan, column: str, name: str) -> Expr:
    """The look-up of `name`: what its picker names in the Catalogue, or blank text (or the
    default) while nothing is picked."""
    picker, keys, values, otherwise = PICKED[name]
    pick = plan.quantities(column, toolkit.INPUTS_SHEET).__getattr__(picker)
    found = (
        plan.cell(column, toolkit.INPUTS_SHEET)(values)  # worked out on Inputs
        if values == estimate.ESTIMATED
        else call("INDEX", Expr.ref(plan.names[values]),
                  call("MATCH", pick, Expr.ref(plan.names[keys]), 0))
    )  # fmt: skip
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

        styles.look(ws.cell(row, 1, _used_label(q)), alignment=styles.WRAP)
        toolkit.across_row(ws, plan, row, formula, q.unit.number_format)
        note = f"A number in row {typed} wins"
        toolkit.unit_and_note(ws, plan, row, q.unit.text, note)

    return render


def _used_label(q: Quantity) -> str:
    return f"{q.label}, used"


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
