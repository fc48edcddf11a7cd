"""The Functions sheet: the engine's functions as named LAMBDAs (`llm_breakeven.lambdas`), which
Microsoft 365 computes on Windows, Mac and the web with no Python; each listed with its
arguments, a worked call and the value the engine gives for it.

No formula of the workbook calls a LAMBDA: LibreOffice, Gnumeric and Excel 2016-2021, which
have no LAMBDA, compute every sheet as before.
"""

from __future__ import annotations

import ast
import doctest
import inspect
from collections.abc import Callable
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from .. import lambdas
from ..quantities import QUANTITIES
from ..units import TEXT, Unit
from . import styles, textfit, toolkit
from .layout import Plan, SheetPlan

#: what GPU_SPEC gives: a figure in its field's own unit
_GPU_FIGURE = ("A GPU's figure", Unit("in the field's unit", "in the field's unit", "#,##0.0"))

FUNCTIONS = "Functions"
#: column widths: the function and its arguments, what it gives, the worked call, its value
WIDTHS = (66, 28, 40, 12)
#: the widths of the two argument columns: the first two columns, and the last two
_LEFT, _RIGHT = sum(WIDTHS[:2]), sum(WIDTHS[2:])
INTRO = (
    "Microsoft 365 (Windows, Mac, the web) computes these with no Python: type one in any cell. "
    "Each is the engine's definition, with the inputs it does not take at the defaults of the "
    "Excel function of the same name (the xlwings add-in's, without LB.: both work side by "
    'side); [an argument=its default] may be left out. Figures, "#N/A never: ...", labels '
    "and the errors of bad arguments are that function's; a LAMBDA takes one value an argument "
    "(no spill). No other sheet calls them, so Excel 2016-2021, LibreOffice and Gnumeric lose "
    "nothing."
)


def plan_functions(sheet: SheetPlan, plan: Plan) -> None:
    """A table of the LAMBDAs (`defined_names`); then every argument once, with its unit,
    range and default."""
    span, chars = len(WIDTHS), sum(WIDTHS)
    toolkit.title_rows(sheet, "Functions: the engine in any Microsoft 365", INTRO, span, chars)
    sheet.finally_(_widths)
    sheet.add()
    toolkit.section_row(sheet, "The functions")
    sheet.add(toolkit.heading_row(["Function", "Gives", "Worked call", "Its value"]))
    read: list[str] = []
    for function in lambdas.lambdas():
        call, value = worked_call(function)
        gives = _gives(function)
        height = max(toolkit.text_height([function.signature], WIDTHS[0], textfit.BOLD),
                     toolkit.text_height([gives], WIDTHS[1]),
                     toolkit.text_height([call], WIDTHS[2]))  # fmt: skip
        sheet.add(_function_row(function.signature, gives, call, value, _format(function)), height)
        read += [p for p in function.parameters if p not in read]
    sheet.add()
    toolkit.section_row(sheet, "Their arguments")
    sheet.add(toolkit.heading_row(["Argument: unit and range (a text: what it names)"]))
    described = [f"{name}: {_measure(name)}" for name in read]
    half = (len(described) + 1) // 2  # two to a row, down the first half then the second
    rights = described[half:] + [""] * (2 * half - len(described))
    for left, right in zip(described[:half], rights, strict=True):
        height = max(toolkit.text_height([left], _LEFT), toolkit.text_height([right], _RIGHT))
        sheet.add(_arguments_row(left, right), height)


def defined_names() -> list[DefinedName]:
    """Each LAMBDA as the workbook's name for it, with the Excel function's description as
    its comment (Excel shows it as the function's help as a formula is typed)."""
    from .. import udfs

    described = []
    for function in lambdas.lambdas():
        help_ = (getattr(udfs, function.function).__doc__ or "").strip().splitlines()[0]
        # a comment holds 255 characters: the description without its formula
        comment = help_.split(": ")[0] if len(help_) > 255 else help_
        described.append(DefinedName(function.name, attr_text=function.stored,
                                     comment=comment[:255]))  # fmt: skip
    return described


def worked_call(function: lambdas.Lambda) -> tuple[str, Any]:
    """The call of the engine function's first docstring example with plain arguments, as a
    formula's text, and the value the Excel function gives for it (a number or a text)."""
    from .. import udfs

    engine = lambdas.engine_of(function.function)
    for example in doctest.DocTestParser().get_examples(inspect.getdoc(engine) or ""):
        arguments = _plain_call(ast.parse(example.source), engine.__name__, function.parameters)
        if arguments is not None:
            places = [written(arguments[p]) if p in arguments else "" for p in
                      function.parameters]  # fmt: skip
            while not places[-1]:
                places.pop()
            value = getattr(udfs, function.function)(**arguments)
            return f"={function.name}({', '.join(places)})", value
    raise ValueError(f"{engine.__name__} has no example with plain arguments to show")


def _plain_call(tree: ast.AST, name: str, parameters: tuple[str, ...]) -> dict[str, Any] | None:
    """The arguments of the first call of `name` in `tree`, by parameter, if all are numbers
    or texts (of a list, its first: one cell of the spill the example shows), or an hourly
    profile's weights."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
            given = dict(zip(parameters, node.args, strict=False))
            given.update({k.arg: k.value for k in node.keywords if k.arg})
            arguments = {k: _value(k, v) for k, v in given.items()}
            if all(v is not None for v in arguments.values()):
                return arguments
            return None
    return None


def _value(parameter: str, node: ast.expr) -> Any:
    """A number, a text, or (for a profile) a list of numbers, from literals and the list
    arithmetic a docstring writes ([1] * 12 + [3] * 12); else None."""
    allowed = (ast.Constant, ast.List, ast.Tuple, ast.BinOp, ast.Add, ast.Mult, ast.UnaryOp,
               ast.USub, ast.Load)  # fmt: skip
    if not all(isinstance(n, allowed) for n in ast.walk(node)):
        return None
    value = eval(compile(ast.Expression(node), "<example>", "eval"), {"__builtins__": {}})
    if parameter == "hourly_profile":
        return [float(v) for v in value] if isinstance(value, list) else None
    while isinstance(value, list | tuple) and value:
        value = value[0]
    if isinstance(value, str):
        return value
    return float(value) if isinstance(value, int | float) else None


def written(value: float | str | list[float]) -> str:
    """An argument as a formula writes it: 1440, not 1440.0; text in quotes; a profile as an
    array, {1,1,3}."""
    if isinstance(value, list):
        return "{" + ",".join(written(v) for v in value) + "}"
    if isinstance(value, str):
        return f'"{value}"'
    return str(int(value)) if value.is_integer() else repr(value)


def _measure(name: str) -> str:
    quantity = QUANTITIES[name]
    return quantity.help if quantity.unit is TEXT else quantity.measure()


def _gives(function: lambdas.Lambda) -> str:
    label, unit = _output(function)
    return f"{label} ({unit.words})"


def _format(function: lambdas.Lambda) -> str:
    return _output(function)[1].number_format


def _output(function: lambdas.Lambda) -> tuple[str, Unit]:
    """What a LAMBDA gives: its label and unit, from the catalogue of quantities (the
    estimate's from the estimator's labels)."""
    from .. import estimator

    definition = lambdas.WRITTEN[function.function].definition
    if definition in QUANTITIES:
        return QUANTITIES[definition].label, QUANTITIES[definition].unit
    return _GPU_FIGURE if definition == "gpu_spec" else estimator.LABELS[definition]


def _function_row(
    signature: str, gives: str, call: str, value: Any, number_format: str
) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        for column, text in enumerate((signature, gives, call), start=1):
            cell = ws.cell(row, column)
            toolkit.set_text(cell, text)
            cell.alignment = styles.WRAP
        ws.cell(row, 1).font = styles.HEADER_FONT
        result = ws.cell(row, 4, value)
        styles.look(result, alignment=styles.TOP_RIGHT)
        if isinstance(value, float):
            result.number_format = number_format

    return render


def _arguments_row(left: str, right: str) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        for first, last, text in ((1, 2, left), (3, len(WIDTHS), right)):
            cell = ws.cell(row, first)
            toolkit.set_text(cell, text)
            cell.alignment = styles.WRAP
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    return render


def _widths(ws: Worksheet) -> None:
    for k, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(k)].width = width
