"""The throughput picker's estimate, worked out on Inputs for each scenario column.

The roofline estimator's definitions (`llm_breakeven.estimator.DEFINITIONS`) written as
formulas, one row each: they read the model, GPU and precision the picker names, their
figures from the Catalogue, and the column's own tokens in and out and GPUs per replica. So a
picked estimate follows the request shape as the engine's look-up does, to the last digit.
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl.worksheet.worksheet import Worksheet

from ..estimator import (
    CONSTANTS,
    DEFINITIONS,
    GPU_FIGURES,
    LABELS,
    MODEL_FIGURES,
    PRECISION_FIGURES,
    USED_DIGITS,
)
from ..formula import EXCEL, Expr, call, equal
from ..units import TEXT, TOKENS_PER_SECOND, Unit
from . import toolkit
from .layout import Plan, SheetPlan

#: what the picker names, from the Catalogue's estimates: (name, label, the Catalogue's column)
SETUP = (
    ("estimate_model", "Model picked", "pick_estimate_models"),
    ("estimate_chip", "GPU picked", "pick_estimate_chips"),
    ("estimate_precision", "Precision picked", "pick_estimate_precisions"),
)
#: the picker's value: the estimate, rounded as the engine's look-up rounds it
ESTIMATED = "estimated_throughput"
DOES_NOT_FIT = "does not fit"


def plan_estimate(sheet: SheetPlan, plan: Plan) -> None:
    """The estimate's rows, from what the picker names to the output tokens per second."""
    sheet.add()
    toolkit.section_row(sheet, "Throughput estimate the picker fills in, at each column's tokens "
                        "in and out (the engine's roofline estimator, row by row)")  # fmt: skip
    for q in CONSTANTS:
        row = sheet.add(toolkit.constant_row(plan, q, float(q.default)),  # type: ignore[arg-type]
                        toolkit.note_height(plan, [q.help]))  # fmt: skip
        plan.single(q.name, toolkit.INPUTS_SHEET, f"{plan.columns[0]}{row}")
    rows: list[tuple[str, str, Unit, Callable[[str], Expr]]] = []
    pick = _on_inputs(plan, "estimate_pick")
    for name, label, values in SETUP:
        rows.append((name, label, TEXT, _setup(plan, pick, values)))
    model, chip = _on_inputs(plan, "estimate_model"), _on_inputs(plan, "estimate_chip")
    for figure in MODEL_FIGURES:
        rows.append(_figure_row(plan, figure, f"catalogue_model_{figure}", model,
                                "catalogue_model_name"))  # fmt: skip
    for figure in GPU_FIGURES:
        rows.append(
            _figure_row(plan, figure, f"catalogue_gpu_{figure}", chip, "catalogue_gpu_name")
        )
    precision = _on_inputs(plan, "estimate_precision")
    for figure in PRECISION_FIGURES:
        rows.append(_figure_row(plan, figure, f"catalogue_precision_{figure}", precision,
                                "catalogue_precision_name"))  # fmt: skip
    for name in DEFINITIONS:
        label, unit = LABELS[name]
        rows.append((name, label, unit, _defined(plan, name, model)))
    rows.append((ESTIMATED, "Output tokens per second, picked", TOKENS_PER_SECOND,
                 _picked(plan, model)))  # fmt: skip
    for name, label, unit, formula in rows:
        row = sheet.add(_row(plan, label, unit, formula))
        plan.home(name, toolkit.INPUTS_SHEET, row, define=name == ESTIMATED)


def _on_inputs(plan: Plan, name: str) -> Callable[[str], Expr]:
    def ref(column: str) -> Expr:
        found = plan.cell(column, toolkit.INPUTS_SHEET)(name)
        assert found is not None, name
        return found

    return ref


def _setup(plan: Plan, pick: Callable[[str], Expr], values: str) -> Callable[[str], Expr]:
    def formula(column: str) -> Expr:  # read when rendered: the Catalogue is planned last
        keys = Expr.ref(plan.names["pick_estimate_keys"])
        found = call("INDEX", Expr.ref(plan.names[values]), call("MATCH", pick(column), keys, 0))
        return call("IF", EXCEL.isblank(pick(column)), "", call("IFERROR", found, ""))

    return formula


def _figure_row(
    plan: Plan, figure: str, values: str, key: Callable[[str], Expr], keys: str
) -> tuple[str, str, Unit, Callable[[str], Expr]]:
    """A figure of the picked model or GPU from the Catalogue; a blank one (no fp8) as 0."""
    label, unit = LABELS[figure]

    def formula(column: str) -> Expr:
        where = call("MATCH", key(column), Expr.ref(plan.names[keys]), 0)
        found = call("N", call("INDEX", Expr.ref(plan.names[values]), where))
        return call("IFERROR", found, "")

    return figure, label, unit, formula


def _defined(plan: Plan, name: str, model: Callable[[str], Expr]) -> Callable[[str], Expr]:
    def formula(column: str) -> Expr:
        q = plan.quantities(column, toolkit.INPUTS_SHEET, DEFINITIONS)
        return call("IF", equal(model(column), ""), "", q.define(name))

    return formula


def _picked(plan: Plan, model: Callable[[str], Expr]) -> Callable[[str], Expr]:
    def formula(column: str) -> Expr:
        q = plan.quantities(column, toolkit.INPUTS_SHEET, DEFINITIONS)
        fits = call(
            "IF",
            q.batch < 1,
            DOES_NOT_FIT,
            call("ROUND", q.estimated_tokens_per_second, USED_DIGITS),
        )
        return call("IF", equal(model(column), ""), "", fits)

    return formula


def _row(plan: Plan, label: str, unit: Unit, formula: Callable[[str], Expr]) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        toolkit.across_row(ws, plan, row, formula, unit.number_format)
        toolkit.unit_and_note(ws, plan, row, unit.text, "")

    return render
