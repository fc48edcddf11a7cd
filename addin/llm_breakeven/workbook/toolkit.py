"""The toolkit every sheet of the template is written with: sheet names and widths, the
title, section, heading, label and unit cells, a scenario column's figure as every sheet
shows it (blank where no scenario, a dash while its inputs fail a check), input and output
rows, the engine's walked values, working rows and chart basics. The sheet modules
(inputs_sheet, calculations, checks_sheet, results, table, summary, catalogue_sheet, shape,
months, risk, decide) and whatif build on it; it imports none of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.data_source import StrData, StrRef, StrVal
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.formatting.rule import CellIsRule
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..bounds import Bound
from ..formula import Expr, Symbolic, call, concat, equal, literal
from ..quantities import (
    BOOLEAN,
    OPTIONS,
    TEXT,
    VERDICT,
    Quantity,
)
from . import styles, textfit
from .check import HIDDEN
from .check import UNCHECKED as UNCHECKED_TEXT
from .layout import COLUMN, Plan, SheetPlan, absolute, sheet_ref

SUMMARY, START, INPUTS_SHEET, CALCULATIONS, RESULTS, TABLE, CATALOGUE, CHECKS, CHART_DATA = (
    "Summary",
    "Start",
    "Inputs",
    "Calculations",
    "Results",
    "By utilization",
    "Catalogue",
    "Checks",
    "Chart data",
)

TRAFFIC, HYBRID, BUY = "Traffic", "Hybrid", "Buy vs rent"

#: column widths, in characters: label, each scenario, unit, note (Inputs and Calculations)
GRID_WIDTHS = (30, 12, 16, 25)

#: the height of a row of two lines of text, such as scenario names that wrap
TWO_LINES = 2 * 11 * 1.4

#: Results: label, each scenario, unit
RESULT_WIDTHS = (36, 13, 17)


API_OPTION, EVEN_OPTION, SELFHOST_OPTION = (literal(option) for option in OPTIONS)

OK, FAILED = literal("OK"), literal("CHECK FAILED")

#: COUNTIF's criteria for a cell holding TRUE or FALSE
TRUE_CELL, FALSE_CELL = Expr("TRUE"), Expr("FALSE")

#: what a scenario whose inputs fail shows in place of a figure, and of its verdict
HIDDEN_FIGURE, UNCHECKED = literal(HIDDEN), literal(UNCHECKED_TEXT)

#: chart cells with nothing to plot: charts skip #N/A, where they would plot text as 0
NOTHING = call("NA")

#: a walked row's note, where other rows show their formula
WALKED_NOTE = "The engine's walk, at build (no formula)"

#: what a walked figure shows once its scenario's inputs differ from those it was walked for
WALKED_STALE = "out of date: build the workbook again"


def picked(plan: Plan, sheet: str, row: int) -> Expr:
    """A chart's point: the cell of `row` on `sheet` in the scenario column picked on Inputs
    (`summary_chart_scenario`), #N/A where it holds no number (the chart skips it)."""
    first, last = plan.columns[0], plan.columns[-1]
    cells = Expr.ref(f"{sheet_ref(sheet)}!${first}{row}:${last}{row}")
    value = call("INDEX", cells, Expr.ref(absolute(*plan.singles["summary_chart_scenario"])))
    return call("IFERROR", call("IF", call("ISNUMBER", value), value, NOTHING), NOTHING)


def engine_value(value: float) -> float | str:
    """An engine figure as a formula holds it: never, or not found (a walk that gave up)."""
    if math.isnan(value):
        return "not found"
    return "never" if math.isinf(value) else value


def template_row(ws: Worksheet, plan: Plan, row: int, template: str, number_format: str) -> None:
    """A formula row: `template` (written for COLUMN) copied to each scenario column."""
    for column in plan.columns:
        cell = plan.at(ws, column, row)
        cell.value = template.replace(COLUMN, column)
        styles.formula_cell(cell, number_format)


def across_row(
    ws: Worksheet, plan: Plan, row: int, formula: Callable[[str], Expr], number_format: str
) -> None:
    """A formula row: `formula(column)` written once and copied across (`Plan.across`)."""
    template_row(ws, plan, row, "=" + formula(COLUMN).text, number_format)


def across(ws: Worksheet, row: int, last: int, value: str, first: int = 1) -> Cell:
    """A cell of `row` merged from column `first` to `last` (from 1), its text wrapping
    across them: a sentence too long for one column."""
    cell = ws.cell(row, first, value)
    styles.look(cell, alignment=styles.WRAP)
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return cell


def in_use(q: Symbolic, value: Expr) -> Expr:
    return call("IF", q.scenario_in_use, value, "")


def walked_rows(
    sheet: SheetPlan, plan: Plan, q: Quantity, values: list[float], height: float,
    label: str | None = None, note: str = WALKED_NOTE,
    guard: Callable[[Symbolic, Expr], Expr] = in_use,
) -> int:  # fmt: skip
    """The engine's value of a quantity no formula finds (a walk) for each scenario built, in
    a row of values (grey), then the figure: that value where the scenario scales to zero
    while its inputs are those it was built from (the Monte Carlo's fingerprint says so), one
    formula copied across; `guard` hides it as the sheet hides figures. Returns the figure's
    row."""
    title = sheet.title

    def built(ws: Worksheet, row: int) -> None:
        styles.look(
            ws.cell(row, 1, f"{label or q.label}: the engine's walk, as built"),
            alignment=styles.WRAP,
        )
        for column, value in zip(plan.columns, values, strict=False):
            cell = plan.at(ws, column, row)
            found = engine_value(value)
            if isinstance(found, str):
                set_text(cell, found)
            else:
                cell.value = found
            cell.number_format, cell.fill = q.unit.number_format, styles.CONSTANT_FILL
            styles.look(cell, alignment=styles.TOP)
        unit_and_note(ws, plan, row, q.unit.text, note)

    def figure(ws: Worksheet, row: int) -> None:
        def formula(column: str) -> Expr:
            s = plan.quantities(column, title)
            # a column filled after the build was not walked: its fingerprint is not stored
            held = call("IF", as_built(s), Expr(f"{column}{row - 1}"), WALKED_STALE)
            return guard(s, call("IF", s.billing_scales, held, ""))

        styles.look(ws.cell(row, 1, label or q.label), alignment=styles.WRAP)
        for column, text in plan.across(formula):
            cell = plan.at(ws, column, row)
            cell.value = "=" + text
            cell.number_format, cell.alignment = q.unit.number_format, styles.TOP
        unit_and_note(ws, plan, row, q.unit.text, "While scaling to zero")

    sheet.add(built, height)
    return sheet.add(figure)  # one line: the label, and a short note


def as_built(q: Symbolic) -> Expr:
    """TRUE while the scenario's inputs are those it was built from (blank reads FALSE)."""
    return Expr(f"{q.inputs_as_built.text}=TRUE")


#: rows a chart covers, at `ROW_HEIGHT` points each (its height in cm: `CHART_HEIGHT`)
CHART_ROWS = 14

CHART_HEIGHT = 7.0

CHART_WIDTH = 13.0


def chart_title(ref: str, text: str, size: int = styles.SIZE + 2, bold: bool = True) -> Title:
    """A title inside a chart (or, smaller and plain, an axis's) that follows the cell `ref`
    (Excel reads it anew); `text` is what the cell reads as built, which LibreOffice shows."""
    cache = StrData(ptCount=1, pt=[StrVal(idx=0, v=text)])
    return Title(tx=Text(strRef=StrRef(f=ref, strCache=cache)), overlay=False,
                 txPr=styles.chart_text(size, bold=bold))  # fmt: skip


def heading_title(plan: Plan, sheet: str, row: int, text: str) -> Title:
    """The title of a chart over a `chart_heading` row: its text and the picked scenario."""
    return chart_title(f"{sheet_ref(sheet)}!$A${row}", text + plan.picked_name)


def axis_title(text: str) -> Title:
    props = CharacterProperties(latin=DrawingFont(typeface=styles.FONT_NAME),
                                sz=styles.SIZE * 100, b=False)  # fmt: skip
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props),
                          r=[RegularTextRun(rPr=props, t=text)])  # fmt: skip
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


# --- rows ------------------------------------------------------------------------------------


def title_rows(sheet: SheetPlan, title: str, subtitle: str, span: int, chars: float) -> None:
    """A title, and a subtitle wrapped across the `span` printed columns (`chars` wide)."""

    def render_title(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, title), font=styles.TITLE_FONT)

    def render_subtitle(ws: Worksheet, row: int) -> None:
        cell = ws.cell(row, 1, subtitle)
        cell.font, cell.alignment = styles.NOTE_FONT, styles.WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)

    sheet.add(render_title, 24)
    sheet.add(render_subtitle, text_height([subtitle], chars))


def section_row(sheet: SheetPlan, text: str) -> None:
    """A section's heading, printed on the page of the section's first row."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, text), font=styles.SECTION_FONT)

    sheet.add(render)
    sheet.keep_with_next()


def header_cells(cells: list[tuple[int, str]], wrap: bool = False) -> Callable[..., None]:
    """A heading row: (column number, text) pairs."""

    def render(ws: Worksheet, row: int) -> None:
        for column, label in cells:
            cell = ws.cell(row, column, label)
            cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
            if wrap:
                styles.look(cell, alignment=styles.WRAP)

    return render


def heading_row(labels: list[str], wrap: bool = False) -> Callable[..., None]:
    """A heading row of `labels` from column A on."""
    return header_cells(list(enumerate(labels, 1)), wrap)


def scenario_headings(plan: Plan) -> list[tuple[int, str]]:
    return [(k + 2, f"Scenario {k + 1}") for k in range(plan.scenario_count)]


def scenario_table_head(
    sheet: SheetPlan, plan: Plan, first: str, note: str, widths: tuple[float, ...]
) -> int:
    """A blank row, then headings (label, one per scenario, unit, note) frozen above the rows;
    returns the heading row."""
    sheet.add()
    unit = len(plan.columns) + 2
    head = sheet.add(
        header_cells([(1, first), *scenario_headings(plan), (unit, "Unit"), (unit + 1, note)])
    )
    freeze = f"{plan.columns[0]}{sheet.next_row}"
    sheet.finally_(lambda ws: setattr(ws, "freeze_panes", freeze))
    sheet.finally_(lambda ws: set_widths(ws, plan, *widths))
    return head


def names_row(plan: Plan) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "Scenario"), font=styles.HEADER_FONT)
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            # &"" shows a blank name as blank, not 0
            cell.value = "=" + concat(plan.quantities(column, ws.title).scenario_name, "").text
            styles.look(cell, font=styles.HEADER_FONT)
            styles.look(cell, alignment=styles.WRAP)

    return render


def source_row(label: str, source: str | None, span: int) -> Callable[..., None]:
    """A source: a label and its text, or (`source` None) a note across `span` columns."""

    def render(ws: Worksheet, row: int) -> None:
        set_text(ws.cell(row, 1), label)
        styles.look(ws.cell(row, 1), alignment=styles.WRAP)
        if source is None:
            styles.look(ws.cell(row, 1), font=styles.NOTE_FONT)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        else:
            cell = ws.cell(row, 2)
            set_text(cell, source)
            cell.font, cell.alignment = styles.NOTE_FONT, styles.WRAP
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=span)

    return render


def shown_output(q: Symbolic, name: str) -> Expr:
    """Quantity `name` as a results sheet shows it: blank in a column not in use, a dash (no
    verdict) while the scenario's inputs fail a check."""
    return guarded(q, getattr(q, name), UNCHECKED if name == "cheaper_option" else HIDDEN_FIGURE)


def guarded(q: Symbolic, value: Any, hidden: Any = HIDDEN_FIGURE, unused: Any = "") -> Expr:
    """A scenario column's `value` as every sheet shows it: `unused` in a column no scenario
    uses, `hidden` (a dash; #N/A for a chart) while the scenario's inputs fail a check."""
    return call("IF", q.scenario_in_use, call("IF", q.scenario_checks_pass, value, hidden), unused)


def output_row(plan: Plan, q: Quantity, sheet: str, unit: bool = True) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.TOP)  # beside a wrapped text
        for column in plan.columns:
            cell = plan.at(ws, column, row)
            cell.value = "=" + shown_output(plan.quantities(column, sheet), q.name).text
            cell.number_format = q.unit.number_format
            # a figure's "never" or dash stands where its number would
            words = q.unit in (TEXT, VERDICT, BOOLEAN)
            # a text wraps in its column (a sheet gives its row two lines)
            cell.alignment = (
                (styles.WRAP if q.unit is TEXT else styles.TOP) if words else styles.TOP_RIGHT
            )
            if q.name == "cheaper_option":
                styles.look(cell, font=styles.HEADER_FONT)
        if unit:
            unit_cell(ws, plan, f"{plan.unit_column}{row}", q.unit.text)
        if q.name == "cheaper_option":
            option_colours(ws, plan.span(row))

    return render


def echo_row(plan: Plan, q: Quantity, note: str = "") -> Callable[..., None]:
    """An input as used, repeated (grey) where figures depend on it: change it on Inputs; an
    input left blank (not given) shows blank."""

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)

        def formula(column: str) -> Expr:
            s = plan.quantities(column, ws.title)
            value = getattr(s, q.name)
            return call("IF", s.scenario_in_use, call("IF", equal(value, ""), "", value), "")

        for column, text in plan.across(formula):
            cell = plan.at(ws, column, row)
            cell.value = "=" + text
            cell.number_format, cell.font = q.unit.number_format, styles.NOTE_FONT
        unit_and_note(ws, plan, row, q.unit.text, note)

    return render


def master_row(plan: Plan, label: str) -> Callable[..., None]:
    """The master check, and beside it the first failing check."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), font=styles.HEADER_FONT)
        cell = ws[f"{plan.columns[0]}{row}"]
        cell.value = "=master_check"
        styles.look(cell, font=styles.HEADER_FONT)
        verdict_colours(ws, cell.coordinate, good=OK, bad=FAILED)
        failing = ws[f"{plan.columns[1]}{row}"]
        failing.value = (
            "="
            + call(
                "IF",
                Expr('first_failing_check=""'),
                "",
                concat("First failing: ", Expr("first_failing_check")),
            ).text
        )
        failing.font = styles.HEADER_FONT

    return render


# --- helpers --------------------------------------------------------------------------------


def text_height(texts: Iterable[str], width: float, font: Sequence[int] = textfit.EITHER) -> float:
    """The height of a row whose longest text wraps in a column (or merged columns) `width`
    characters wide: `width` digits fit, 7 pixels each."""
    points = 7 * width * 0.75
    lines = max((textfit.line_count(t, points, styles.SIZE, font) for t in texts), default=1)
    return lines * styles.SIZE * 1.4


def unit_cell(ws: Worksheet, plan: Plan, coordinate: str, unit: str) -> None:
    """A unit; money units name the currency of the `currency_symbol` input."""
    cell = ws[coordinate]
    if unit.startswith("$"):
        money = Expr.ref(absolute(*plan.singles["currency_symbol"]))
        cell.value = "=" + concat(money, unit[1:]).text
    else:
        cell.value = unit
    styles.look(cell, alignment=styles.TOP)


def unit_and_note(ws: Worksheet, plan: Plan, row: int, unit: str, note: str) -> None:
    unit_cell(ws, plan, f"{plan.unit_column}{row}", unit)
    if note:
        cell = ws[f"{plan.note_column}{row}"]
        set_text(cell, note)
        styles.look(cell, font=styles.NOTE_FONT, alignment=styles.WRAP)


def set_widths(
    ws: Worksheet,
    plan: Plan,
    label: float = 40,
    scenario: float = 22,
    unit: float | None = 18,
    note: float | None = None,
) -> None:
    """Column widths; the spare scenario columns are grouped and folded (a + above the sheet
    opens them), so neither the screen nor the printout shows empty scenarios, and the note
    takes the width they leave."""
    ws.column_dimensions["A"].width = label
    for column in plan.columns:
        ws.column_dimensions[column].width = scenario
    for column in plan.columns[plan.filled :]:
        ws.column_dimensions[column].outline_level = 1
        ws.column_dimensions[column].hidden = True
    if unit is not None:
        ws.column_dimensions[plan.unit_column].width = unit
    if note is not None:
        ws.column_dimensions[plan.note_column].width = note + scenario * plan.spare


def note_height(plan: Plan, texts: Iterable[str]) -> float:
    """The height of a row whose note (in italics) wraps in the note column of Inputs and the
    sheets laid out like it."""
    _, scenario, _, note = GRID_WIDTHS
    return text_height(texts, note + scenario * plan.spare, textfit.ITALIC)


def grid_size(plan: Plan) -> tuple[int, float]:
    """The printed columns of Inputs and Calculations, and their width in characters."""
    label, scenario, unit, note = GRID_WIDTHS
    return len(plan.columns) + 3, label + scenario * len(plan.columns) + unit + note


def set_text(cell: Cell, value: str) -> None:
    """Store text as text, even when it starts with "=" (never as a formula)."""
    cell.value = value
    cell.data_type = "s"


def style_input(cell: Cell) -> None:
    styles.look(cell, font=styles.INPUT_FONT)
    styles.look(cell, fill=styles.INPUT_FILL)
    cell.protection = styles.UNLOCKED
    cell.border = styles.BOX


def add_validation(ws: Worksheet, q: Quantity, cells: str, rule: Bound | None = None) -> None:
    if q.choices:
        listed = DataValidation(type="list", formula1='"' + ",".join(q.choices) + '"',
                                allow_blank=False, showErrorMessage=True,
                                errorTitle="Invalid input",
                                error=f"{q.name} must be one of {', '.join(q.choices)}",
                                )  # fmt: skip
        listed.add(cells)
        ws.add_data_validation(listed)
        return
    rule = rule or q.scenario_bound or q.bound
    top_left = cells.split(":")[0]
    validation = DataValidation(
        type="custom",
        formula1=rule.excel_condition(top_left),
        allow_blank=q.default is None,
        showErrorMessage=True,
        errorTitle="Invalid input",
        error=f"{q.name} must be {rule.describe()}",
    )
    validation.add(cells)
    ws.add_data_validation(validation)


def verdict_colours(
    ws: Worksheet, cells: str, good: Expr, bad: Expr, even: Expr | None = None
) -> None:
    rules: Iterable[tuple[Expr | None, Any]] = (
        (good, styles.GOOD_FILL),
        (bad, styles.BAD_FILL),
        (even, styles.EVEN_FILL),
    )
    for value, fill in rules:
        if value is not None:
            ws.conditional_formatting.add(
                cells, CellIsRule(operator="equal", formula=[value.text], fill=fill)
            )


def option_colours(ws: Worksheet, cells: str) -> None:
    """The cost verdict's cells coloured by the option they name (neither reads as bad)."""
    for value, fill in ((SELFHOST_OPTION, styles.SELFHOST_FILL), (API_OPTION, styles.API_FILL),
                        (EVEN_OPTION, styles.EVEN_FILL)):  # fmt: skip
        ws.conditional_formatting.add(
            cells, CellIsRule(operator="equal", formula=[value.text], fill=fill)
        )


# --- Traffic --------------------------------------------------------------------------------


def figures_head(sheet: SheetPlan, plan: Plan, title: str, subtitle: str, first: str) -> None:
    """A sheet of figures per scenario: title, master check, headings (`first`, one per
    scenario, unit) and the scenarios' names."""
    label, scenario, unit = RESULT_WIDTHS
    title_rows(sheet, title, subtitle, len(plan.columns) + 2, label + scenario * plan.filled + unit)
    sheet.add(master_row(plan, "Master check (see Checks)"))
    sheet.add()
    unit = len(plan.columns) + 2
    sheet.add(header_cells([(1, first), *scenario_headings(plan), (unit, "Unit")]))
    sheet.finally_(lambda ws: set_widths(ws, plan, *RESULT_WIDTHS))
    sheet.add(names_row(plan), TWO_LINES)


def sheet_head(sheet: SheetPlan, plan: Plan, title: str, subtitle: str, first: str) -> None:
    """Title, master check and the scenario headings repeated on every printed page."""
    title_rows(sheet, title, subtitle, *grid_size(plan))
    sheet.add(master_row(plan, "Master check"))
    head = scenario_table_head(sheet, plan, first, "Note", widths=GRID_WIDTHS)
    names = sheet.add(names_row(plan), TWO_LINES)
    sheet.title_rows = (head, names)


def working_rows(sheet: SheetPlan, plan: Plan, note: str, last_column: str = "") -> None:
    """What follows on `sheet` are working rows: visible to a reviewer, out of print (the
    printed rows end in `last_column`, the note column unless told)."""
    sheet.page_break()
    sheet.printed_rows = printed = sheet.next_row - 1
    area = f"A1:{last_column or plan.note_column}{printed}"
    sheet.finally_(lambda ws: setattr(ws, "print_area", area))
    columns, chars = grid_size(plan)
    sheet.add(source_row(note, None, columns), text_height([note], chars))


def anchor_at(column: int, row: int, offset: float, width: float, height: float) -> OneCellAnchor:
    """A chart `width` x `height` cm whose top left is `offset` points into `column` (from 1)
    at the top of `row`."""
    emu = 12700  # a point
    start = AnchorMarker(col=column - 1, colOff=round(offset * emu), row=row - 1, rowOff=0)
    size = XDRPositiveSize2D(cx=round(width / 2.54 * 72 * emu), cy=round(height / 2.54 * 72 * emu))
    return OneCellAnchor(_from=start, ext=size)


def chart_rows(sheet: SheetPlan, heading: Callable[[Worksheet, int], None] | None) -> int:
    """A heading row (blank when None) and the rows a chart covers, kept on one page;
    returns the chart's top row: the heading's, which the chart covers and names as its
    title (`heading_title`)."""
    # a blank row first: a chart anchored in the first row of a printed page leaks its
    # text onto the page before (LibreOffice)
    space = sheet.add()
    first = sheet.add(heading)
    for _ in range(CHART_ROWS - 1):
        sheet.add()
    sheet.block(space, first + CHART_ROWS - 1)
    return first


def titled_chart_rows(sheet: SheetPlan, plan: Plan, text: str) -> tuple[int, Title]:
    """`chart_rows` under a heading of `text` and the picked scenario's name; returns the
    chart's top row and its title (the heading)."""
    top = chart_rows(sheet, chart_heading(plan, text))
    return top, heading_title(plan, sheet.title, top, text)


def chart_heading(plan: Plan, text: str) -> Callable[[Worksheet, int], None]:
    def render(ws: Worksheet, row: int) -> None:
        pick = Expr.ref(absolute(*plan.singles["summary_chart_scenario"]))
        names = [plan.quantities(c, ws.title).scenario_name for c in plan.columns]
        name = call("IFERROR", concat(call("CHOOSE", pick, *names), ""), "")
        cell = ws.cell(row, 1, "=" + concat(text, name).text)
        styles.look(cell, font=styles.SECTION_FONT)

    return render


def style_axes(chart: BarChart | ScatterChart) -> None:
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = styles.chart_text()
    chart.y_axis.scaling.min = 0
    chart.legend.position = "t"
    chart.legend.txPr = styles.chart_text()


def marked(values: Reference, xs: Reference, title: str) -> Series:
    """A series drawn only as a diamond where it has a number: the point a chart marks."""
    series = Series(values, xs, title=title)
    series.marker = Marker(symbol="diamond", size=11)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=styles.MARKER_COLOURS[0])
    series.marker.graphicalProperties.line.solidFill = styles.MARKER_LINE_COLOUR
    series.graphicalProperties.line.noFill = True
    series.smooth = False
    return series


def constant_row(plan: Plan, q: Quantity, value: float) -> Callable[..., None]:
    """A constant (not an input): `value` in the first scenario column, grey."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, q.label), alignment=styles.TOP)
        cell = ws[f"{plan.columns[0]}{row}"]
        cell.value = value
        styles.look(cell, fill=styles.CONSTANT_FILL)
        cell.number_format = "General"
        unit_and_note(ws, plan, row, q.unit.text, q.help)

    return render
