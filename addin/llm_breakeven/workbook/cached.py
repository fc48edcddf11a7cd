"""The values a freshly built workbook shows before anything recalculates it.

openpyxl writes formulas without results, so a viewer that does not recalculate (a mail
preview, pandas, openpyxl's data_only, `llm-breakeven check`) would see empty cells. The
builder knows the engine's result of every named output (`cached_results`); from those and
the constants typed into the sheets, `values` works out every formula that only passes
them on: a reference, `IF(condition, a, b)` and text joined with `&`, as the Summary,
Results and most rows of the other sheets are written. A formula that does anything more
(arithmetic, other functions) is left without a cached value; Excel and LibreOffice
recalculate every formula on opening all the same.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.cell import get_column_letter as letter

#: a formula's pieces: a quoted text, a reference (perhaps on another sheet), IF's opening,
#: a name, a number, and the punctuation the formulas above use
_REFERENCE = r"""
    (?:'(?P<quoted>(?:[^']|'')+)'!|(?P<sheet>[A-Za-z_][\w.]*)!)?
    \$?(?P<col>[A-Z]{1,3})\$?(?P<row>[0-9]+)(?![\w(])"""
_TOKEN = re.compile(
    rf"""\s*(?:
      (?P<text>"(?:[^"]|"")*")
    | {_REFERENCE}
    | (?P<if>IF\()
    | (?P<name>[A-Za-z_][\w.]*)(?![\w(!])
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
    | (?P<punct>[,()&])
    )""",
    re.X,
)


#: what a formula that only passes values on never holds outside its texts (arithmetic, a
#: comparison, a range, a function other than IF): such a formula is left at once, unread
_MORE = re.compile(r"[-+*/^<>=:]|(?<![\w.])(?!IF\()[A-Za-z_][\w.]*\(")
_TEXTS = re.compile(r'"(?:[^"]|"")*"')


class _Unknown(Exception):
    """The formula does more than pass known values on, or reads a value not known."""


def values(workbook: Workbook) -> dict[tuple[str, str], Any]:
    """By (sheet title, coordinate): the named outputs' cached results and the value of
    every formula of the visible sheets that only passes them on."""
    known = _named(workbook)
    # the cells written, by sheet and coordinate (openpyxl keeps them in _cells; reading
    # ws[...] or iter_rows would add empty ones to the file)
    cells = {(ws.title, c.coordinate): c for ws in workbook.worksheets for c in ws._cells.values()}
    reader = _Reader(workbook, cells, known)
    shown = {ws.title for ws in workbook.worksheets if ws.sheet_state != "hidden"}
    for (title, coordinate), cell in cells.items():
        # a hidden sheet's chart series: no viewer shows them
        if title in shown and cell.data_type == "f" and (title, coordinate) not in known:
            with contextlib.suppress(_Unknown):  # left for the spreadsheet to work out
                reader.value(title, coordinate)
    return {key: value for key, value in known.items() if value is not None}


def _named(workbook: Workbook) -> dict[tuple[str, str], Any]:
    """The cells of `cached_results` (output name -> one value per scenario column)."""
    known: dict[tuple[str, str], Any] = {}
    for name, found in getattr(workbook, "cached_results", {}).items():
        if name not in workbook.defined_names:
            continue
        ((title, span),) = workbook.defined_names[name].destinations
        column, row = coordinate_from_string(span.replace("$", "").split(":")[0])
        for k, value in enumerate(found):
            known[(title, f"{letter(column_index_from_string(column) + k)}{row}")] = value
    return known


class _Reader:
    """Values of cells: known, constant, or a formula that passes known values on."""

    def __init__(
        self,
        workbook: Workbook,
        cells: dict[tuple[str, str], Any],
        known: dict[tuple[str, str], Any],
    ) -> None:
        self.workbook = workbook
        self.cells = cells
        self.known = known
        self.unknown: set[tuple[str, str]] = set()
        self._busy: set[tuple[str, str]] = set()

    def value(self, title: str, coordinate: str) -> Any:
        key = (title, coordinate)
        if key in self.known:
            return self.known[key]
        if key in self.unknown or key in self._busy:
            raise _Unknown(key)
        cell = self.cells.get(key)
        if cell is None:
            return None  # an empty cell
        if cell.data_type != "f":
            return cell.value  # a constant, or None for an empty cell
        text = str(cell.value).removeprefix("=")
        if _MORE.search(_TEXTS.sub("", text)):
            self.unknown.add(key)
            raise _Unknown(key)
        self._busy.add(key)
        try:
            found = _Formula(self, title, text).evaluate()
        except _Unknown:
            self.unknown.add(key)
            raise
        finally:
            self._busy.discard(key)
        self.known[key] = found
        return found

    def named(self, name: str) -> Any:
        if name not in self.workbook.defined_names:
            raise _Unknown(name)
        destinations = list(self.workbook.defined_names[name].destinations)
        if len(destinations) != 1 or ":" in destinations[0][1]:
            raise _Unknown(name)  # a row of cells, read by a column's position
        title, coordinate = destinations[0]
        return self.value(title, coordinate.replace("$", ""))


class _Formula:
    """One formula read by recursive descent (expr := atom ("&" atom)*) into a value that is
    worked out when asked for: IF reads only the branch its condition picks."""

    def __init__(self, reader: _Reader, title: str, text: str) -> None:
        self.reader, self.title = reader, title
        self.tokens = list(self._tokens(text.removeprefix("=")))
        self.at = 0

    @staticmethod
    def _tokens(text: str) -> Iterator[re.Match[str]]:
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise _Unknown(text)
            position = match.end()
            yield match

    def evaluate(self) -> Any:
        found = self._expression()
        if self.at != len(self.tokens):
            raise _Unknown("more than a value")
        return found()

    def _next(self) -> re.Match[str]:
        if self.at >= len(self.tokens):
            raise _Unknown("an unfinished formula")
        self.at += 1
        return self.tokens[self.at - 1]

    def _peek(self, punct: str) -> bool:
        return self.at < len(self.tokens) and self.tokens[self.at]["punct"] == punct

    def _expression(self) -> Callable[[], Any]:
        first = self._atom()
        if not self._peek("&"):
            # a reference to an empty cell shows 0
            return lambda: 0 if (found := first()) is None else found
        parts = [first]
        while self._peek("&"):
            self.at += 1
            parts.append(self._atom())

        def joined() -> str:
            texts = [part() for part in parts]
            if any(not (text is None or isinstance(text, str)) for text in texts):
                raise _Unknown("a number joined to text")  # its text is Excel's format's
            return "".join(text or "" for text in texts)

        return joined

    def _atom(self) -> Callable[[], Any]:
        token = self._next()
        if token["text"] is not None:
            text = token["text"][1:-1].replace('""', '"')
            return lambda: text
        if token["col"] is not None:
            sheet = token["quoted"].replace("''", "'") if token["quoted"] else token["sheet"]
            where = (sheet or self.title, f"{token['col']}{token['row']}")
            return lambda: self.reader.value(*where)
        if token["number"] is not None:
            number = float(token["number"])
            return lambda: number
        if token["name"] is not None:
            name = token["name"]
            return lambda: self.reader.named(name)
        if token["if"] is not None:
            condition = self._expression()
            self._expect(",")
            if_true = self._expression()
            self._expect(",")
            if_false = self._expression()
            self._expect(")")

            def chosen() -> Any:
                holds = condition()
                if isinstance(holds, str):
                    raise _Unknown("a condition that is text")
                return if_true() if holds else if_false()

            return chosen
        raise _Unknown(token.group(0))

    def _expect(self, punct: str) -> None:
        if not self._peek(punct):
            raise _Unknown(f"no {punct}")
        self.at += 1
