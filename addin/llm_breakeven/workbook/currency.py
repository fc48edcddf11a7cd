"""Money in the currency Inputs names: in the number formats and on the charts' money axes.

A number format is fixed text, but the currency is an input a person may change in the
workbook. So money cells carry the currency the workbook is built with, and conditional
formats follow the input: a common symbol typed there shows in the formats in its place;
any other shows plain amounts (the unit column beside them names it). Nothing is left
showing a currency the input no longer names.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart.title import Title
from openpyxl.formatting.rule import Rule
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import Expr, call, concat, equal, unequal
from ..units import MONEY_MARK
from . import styles, toolkit
from .layout import Plan, SheetPlan, absolute

#: symbols the formats follow when typed as the currency
COMMON = ("$", "€", "£", "¥")
#: the charts' money axes: what each measures, its title naming the currency
MONEY_AXES = ("Monthly cost", "Cumulative cost", "Cost per request", "Change in monthly savings")
#: custom number formats of the conditional formats start here (openpyxl numbers its own below)
_FIRST_FORMAT_ID = 300


def in_currency(number_format: str, symbol: str) -> str:
    """A money format with `symbol` in place of the mark ("" for plain amounts)."""
    quoted = '"' + symbol.replace('"', '""') + '"' if symbol else ""
    return number_format.replace(MONEY_MARK, quoted)


def plan_money_axes(sheet: SheetPlan, plan: Plan) -> None:
    """A cell for each money axis's title, e.g. "Monthly cost ($)", following the input."""
    for what in MONEY_AXES:

        def render(ws: Worksheet, row: int, what: str = what) -> None:
            symbol = call("TRIM", Expr.ref(absolute(*plan.singles["currency_symbol"])))
            ws.cell(row, 1, "=" + concat(f"{what} (", symbol, ")").text)

        row = sheet.add(render)
        plan.single(_axis_name(what), toolkit.CHART_DATA, f"A{row}")


def axis(plan: Plan, what: str) -> Title:
    """The title of a money axis: its cell on Chart data, as built until recalculated."""
    ref = absolute(*plan.singles[_axis_name(what)])
    return toolkit.chart_title(ref, f"{what} ({plan.currency.strip()})", styles.SIZE, bold=False)


#: the id of a workbook's first custom number format (those below are built in)
_CUSTOM = 164


def localise(book: Workbook, built: str) -> None:
    """Every money cell in the built currency, and the conditional formats that follow the
    currency input (see the module's docstring)."""
    typed = call("TRIM", Expr.ref("currency_symbol"))
    following = [(equal(typed, symbol), symbol) for symbol in COMMON if symbol != built.strip()]
    otherwise = (unequal(typed, built.strip()), "")
    # the cells' own custom formats are numbered from 164 when saved: keep clear of them
    assert _CUSTOM + len(book._number_formats) < _FIRST_FORMAT_ID
    # one differential style a format and symbol, shared by the sheets: openpyxl compares a
    # new one with every one before it
    shown: dict[tuple[str, str], DifferentialStyle] = {}
    # a cell's format by its id in the workbook's list of custom formats: reading each cell's
    # number_format through openpyxl looks the text up, on some 50,000 cells
    custom = list(book._number_formats)
    marked = {_CUSTOM + k: f for k, f in enumerate(custom) if MONEY_MARK in f}
    localised = {k: _CUSTOM + book._number_formats.add(in_currency(f, built)) for k, f in
                 marked.items()}  # fmt: skip
    for ws in book.worksheets:
        money: dict[int, list[Cell]] = defaultdict(list)
        for cell in ws._cells.values():  # the cells written: iter_rows would make the rest
            if cell._style is not None and cell._style.numFmtId in marked:
                money[cell._style.numFmtId].append(cell)
        for format_id, cells in money.items():
            number_format = marked[format_id]
            for cell in cells:  # each cell holds a style array of its own (`styles.look`)
                cell._style.numFmtId = localised[format_id]
            ranges = " ".join(_runs(cells))
            for condition, symbol in [*following, otherwise]:
                key = (number_format, symbol)
                if key not in shown:
                    code = in_currency(number_format, symbol)
                    number = NumberFormat(numFmtId=_FIRST_FORMAT_ID + len(shown), formatCode=code)
                    shown[key] = DifferentialStyle(numFmt=number)
                rule = Rule(type="expression", formula=[condition.text], stopIfTrue=True,
                            dxf=shown[key])  # fmt: skip
                ws.conditional_formatting.add(ranges, rule)


def _runs(cells: list[Cell]) -> list[str]:
    """The cells as rectangles: runs of adjacent cells in a row, stacked where the rows
    below repeat them, e.g. "B5:G9" (a sheet's money cells in a few hundred ranges, not
    thousands)."""
    rows: dict[int, list[int]] = defaultdict(list)
    for cell in cells:
        rows[cell.row].append(cell.column)
    # (first column, last column) -> [first row, last row] of the rectangle still open
    open_: dict[tuple[int, int], list[int]] = {}
    done: list[tuple[int, int, int, int]] = []
    for row, columns in sorted(rows.items()):
        for run in _column_runs(sorted(columns)):
            span = open_.get(run)
            if span is not None and span[1] == row - 1:
                span[1] = row
                continue
            if span is not None:
                done.append((span[0], run[0], span[1], run[1]))
            open_[run] = [row, row]
    done += [(top, first, bottom, last) for (first, last), (top, bottom) in open_.items()]
    return [_range(*rectangle) for rectangle in sorted(done)]


def _column_runs(columns: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for column in columns:
        if runs and runs[-1][1] == column - 1:
            runs[-1] = (runs[-1][0], column)
        else:
            runs.append((column, column))
    return runs


def _range(top: int, first: int, bottom: int, last: int) -> str:
    start = f"{get_column_letter(first)}{top}"
    end = f"{get_column_letter(last)}{bottom}"
    return start if start == end else f"{start}:{end}"


def _axis_name(what: str) -> str:
    return "chart_axis_" + what.lower().replace(" ", "_")
