"""Planning a workbook before writing it: which row of which sheet holds each quantity.

A `SheetPlan` is a list of rows, each a function that renders it once its row number is
known; a `Plan` records where every quantity lives (its home) and the workbook's defined
names. The builder plans every sheet first, so a formula may refer to a row planned later,
then renders them. No cell coordinate is written by hand anywhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import Definition, Expr, HourCell, Symbolic
from ..model import DEFINITIONS
from ..scenario import SCENARIO_COLUMNS

#: scenarios start in this column (B); column A holds the labels
FIRST_COLUMN = 2
#: a row's height in points unless told otherwise
ROW_HEIGHT = 15.0

Render = Callable[[Worksheet, int], None]
_COLUMN_NUMBERS: dict[str, int] = {}

#: a column written as this makes one formula text serve every scenario column: each
#: definition is written out once per row, not once per cell
COLUMN = "⟦C⟧"


def absolute(sheet: str, cells: str) -> str:
    """'Inputs', 'B5:D5' -> "Inputs!$B$5:$D$5"."""
    parts = []
    for ref in cells.split(":"):
        letters = "".join(ch for ch in ref if ch.isalpha())
        parts.append(f"${letters}${ref[len(letters) :]}")
    return f"{sheet_ref(sheet)}!{':'.join(parts)}"


def _prefix(home: str, sheet: str) -> str:
    """What a formula on `sheet` writes before a cell of `home`: nothing on the same sheet."""
    return "" if home == sheet else f"{sheet_ref(home)}!"


@functools.cache
def sheet_ref(title: str) -> str:
    """A sheet's name as a formula refers to it: quoted only where Excel needs quotes
    ('Buy vs rent', not 'Inputs'), which keeps formulas short."""
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(
        r"[A-Za-z]{1,3}[0-9]+|[Rr]([0-9]*[Cc][0-9]*)?|[Cc][0-9]*|TRUE|FALSE", title
    )
    return title if plain else quote_sheetname(title)


class SheetPlan:
    """The rows of one sheet, in order; `add` returns the row number a row will have.

    Each row has a height, so the sheet can be cut into printed pages before it is written:
    `pages` puts a break where the next row would overflow the page, never inside a block
    (a chart and the rows it covers), and always where `page_break` asks.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self._rows: list[Render | None] = []
        self.heights: list[float] = []
        self._finish: list[Callable[[Worksheet], None]] = []
        #: (first, last) rows that must print on one page
        self.blocks: list[tuple[int, int]] = []
        #: rows after which a new page starts whatever the room left
        self.forced: set[int] = set()
        #: rows that print on the page of the row after them (a section's heading)
        self.kept: set[int] = set()
        #: rows repeated at the top of every printed page
        self.title_rows: tuple[int, int] | None = None
        #: the last row that prints (None: every row); the rows below are working rows
        self.printed_rows: int | None = None

    @property
    def next_row(self) -> int:
        return len(self._rows) + 1

    def add(self, render: Render | None = None, height: float = ROW_HEIGHT) -> int:
        """Plan a row (None: a blank one); returns its row number."""
        self._rows.append(render)
        self.heights.append(height)
        return len(self._rows)

    def block(self, first: int, last: int) -> None:
        """Rows `first` to `last` print on one page (a chart over them, say)."""
        self.blocks.append((first, last))

    def keep_with_next(self) -> None:
        """The last row planned so far prints on the same page as the row after it."""
        self.kept.add(len(self._rows))

    def page_break(self) -> None:
        """Start a new printed page after the last row planned so far."""
        if self._rows:
            self.forced.add(len(self._rows))

    def finally_(self, finish: Callable[[Worksheet], None]) -> None:
        """Something to do to the whole sheet once its rows are written (widths, charts...)."""
        self._finish.append(finish)

    def pages(self, room: float) -> list[int]:
        """The rows after which a printed page ends, for pages `room` points high (within
        `printed_rows`)."""
        repeated = 0.0
        if self.title_rows is not None:
            first, last = self.title_rows
            repeated = sum(self.heights[first - 1 : last])
        breaks: list[int] = []
        used, row = 0.0, 1
        last = len(self._rows) if self.printed_rows is None else self.printed_rows
        starts = {first: end for first, end in self.blocks}
        while row <= last:
            end = starts.get(row, row)
            while end in self.kept and end < last:  # a heading goes with what it heads
                end = starts.get(end + 1, end + 1)
            block = (row, end)
            height = sum(self.heights[block[0] - 1 : block[1]])
            if used > 0 and used + height > room - (repeated if breaks else 0.0):
                breaks.append(row - 1)
                used = 0.0
            used += height
            row = block[1] + 1
            if row - 1 in self.forced and row <= last:
                breaks.append(row - 1)
                used = 0.0
        return breaks

    def render(self, ws: Worksheet) -> None:
        for row, render in enumerate(self._rows, 1):
            if render is not None:
                render(ws, row)
            ws.row_dimensions[row].height = self.heights[row - 1]
        for finish in self._finish:
            finish(ws)


@dataclass
class Plan:
    """Where each quantity lives, per scenario column or in a single cell, and the names."""

    #: scenarios given by the scenarios file; the columns after them are spare
    filled: int
    #: per-scenario quantities: name -> (sheet, row); one cell per scenario column
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: single-cell quantities (constants, table utilizations): name -> (sheet, coordinate)
    singles: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the workbook's defined names: name -> absolute reference
    names: dict[str, str] = field(default_factory=dict)
    #: hourly quantities: name -> (sheet, first row, last row); a range per scenario column
    ranges: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    #: Inputs rows of a looked-up input's value used -> the row where a number is typed
    looked_up: dict[int, int] = field(default_factory=dict)
    #: as built: the scenario column the charts show (from 1), the currency symbol, the
    #: scenarios' names (the spare columns have none) and the oldest and newest dates their
    #: sources name; what a chart's title and axes read until a spreadsheet recalculates them
    chart_scenario: int = 1
    currency: str = "$"
    scenario_names: list[str] = field(default_factory=list)
    source_dates: list[tuple[str, str] | None] = field(default_factory=list)

    @property
    def picked_name(self) -> str:
        """The name of the scenario the charts show as built (blank: a spare column)."""
        k = self.chart_scenario - 1
        return self.scenario_names[k] if k < len(self.scenario_names) else ""

    def looked_up_from(self, row: int) -> int:
        """The Inputs row where the number that wins over the look-up in `row` is typed."""
        return self.looked_up[row]

    @property
    def scenario_count(self) -> int:
        """Scenario columns: the filled ones and at least enough spare ones to make six."""
        return max(self.filled, SCENARIO_COLUMNS)

    @property
    def spare(self) -> int:
        """Spare scenario columns: folded away until someone opens them to add a scenario."""
        return self.scenario_count - self.filled

    @property
    def columns(self) -> list[str]:
        """The scenario columns' letters."""
        return [get_column_letter(FIRST_COLUMN + k) for k in range(self.scenario_count)]

    @property
    def unit_column(self) -> str:
        return get_column_letter(FIRST_COLUMN + self.scenario_count)

    @property
    def note_column(self) -> str:
        return get_column_letter(FIRST_COLUMN + self.scenario_count + 1)

    def at(self, ws: Worksheet, column: str, row: int) -> Any:
        """The cell of scenario column `column` in `row` (no coordinate parsed: the build
        writes some 30,000 cells this way)."""
        number = _COLUMN_NUMBERS.get(column)
        if number is None:
            number = _COLUMN_NUMBERS[column] = column_index_from_string(column)
        return ws.cell(row, number)

    def span(self, row: int) -> str:
        """The scenario cells of `row`, e.g. "B7:D7"."""
        return f"{self.columns[0]}{row}:{self.columns[-1]}{row}"

    def home(self, name: str, sheet: str, row: int, define: bool = True) -> None:
        """`name` lives in `row` of `sheet`, one cell per scenario; named unless told not."""
        self.rows[name] = (sheet, row)
        if define:
            self.names[name] = absolute(sheet, self.span(row))

    def hours(self, name: str, sheet: str, first: int, last: int) -> None:
        """`name` lives in rows `first` to `last` of `sheet`, a range per scenario column."""
        self.ranges[name] = (sheet, first, last)
        self.names[name] = absolute(sheet, f"{self.columns[0]}{first}:{self.columns[-1]}{last}")

    def single(self, name: str, sheet: str, coordinate: str) -> None:
        """`name` lives in one cell (the same for every scenario), under its own name."""
        self.singles[name] = (sheet, coordinate)
        self.names[name] = absolute(sheet, coordinate)

    def cell(self, column: str, sheet: str) -> Callable[[str], Expr | None]:
        """How a formula in `column` of `sheet` refers to each quantity (None: no home)."""

        def ref(name: str) -> Expr | None:
            if name in self.rows:
                home, row = self.rows[name]
                prefix = _prefix(home, sheet)
                return Expr.ref(f"{prefix}{column}{row}")
            if name in self.singles:
                return Expr.ref(absolute(*self.singles[name]))
            if name in self.ranges:
                home, first, last = self.ranges[name]
                prefix = _prefix(home, sheet)
                # the column is relative: a formula copied to the next scenario reads its own hours
                return Expr.ref(f"{prefix}{column}${first}:{column}${last}")
            return None

        return ref

    def at_hour(self, column: str, sheet: str, hour: int) -> Callable[[str], Expr | None]:
        """Like `cell`, with each hourly quantity read in its cell of `hour` (0: the first)."""
        whole = self.cell(column, sheet)

        def ref(name: str) -> Expr | None:
            if name in self.ranges:
                home, first, last = self.ranges[name]
                prefix = _prefix(home, sheet)
                hours = f"{prefix}{column}${first}:{column}${last}"
                return HourCell(f"{prefix}{column}{first + hour}", hours)
            return whole(name)

        return ref

    def across(self, formula: Callable[[str], Expr]) -> Iterator[tuple[str, str]]:
        """Each scenario column with `formula`'s text there: written once for COLUMN and
        copied, as a formula is filled right (`formula` may tell columns apart only by the
        cells it reads)."""
        text = formula(COLUMN).text
        for column in self.columns:
            yield column, text.replace(COLUMN, column)

    def quantities(
        self,
        column: str,
        sheet: str,
        definitions: Mapping[str, Definition] = DEFINITIONS,
        **bound: Any,
    ) -> Symbolic:
        """The quantities of the scenario in `column`, as formula text for `sheet`."""
        return Symbolic(definitions, self.cell(column, sheet), bound)
