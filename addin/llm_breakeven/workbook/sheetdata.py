"""A worksheet's cells as openpyxl writes them, written as text in one piece.

openpyxl serializes each of the template's some 30,000 cells as an XML element through
et_xmlfile, which is half of a build's time. The cells the template holds are plain (an
inline string, a number, a boolean, a formula, or a styled blank), so `write_rows` writes the
same bytes as openpyxl's `WorksheetWriter.write_rows` by joining strings; `tests` compare the
two byte for byte. Where openpyxl writes through lxml (when lxml is installed), or a cell is
anything else (a comment, a hyperlink, rich text, an array formula, a date), openpyxl's own
writer runs.
"""

from __future__ import annotations

from typing import Any

from openpyxl import LXML
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


def _escape(text: str) -> str:
    # et_xmlfile's escaping of text content
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class _Unusual(Exception):
    """A cell this writer does not write: openpyxl's writer takes the sheet."""


def _cell(cell: Any, letter: str, row: int) -> str:
    if cell._comment is not None or cell.hyperlink is not None:
        raise _Unusual
    value, kind = cell._value, cell.data_type
    styled = cell.has_style
    if value is None and not styled:
        return ""
    head = f'<c r="{letter}{row}"'
    if styled:
        head += f' s="{cell.style_id}"'
    if kind == "s":
        head += ' t="inlineStr"'
    elif kind != "f":
        if kind not in ("n", "b", "e"):
            raise _Unusual
        head += f' t="{kind}"'
    if value is None or value == "":
        return head + " />"
    if kind == "f":
        if not isinstance(value, str):
            raise _Unusual  # an array or data-table formula
        return f"{head}><f>{_escape(value[1:])}</f><v /></c>"
    if kind == "s":
        if not isinstance(value, str):
            raise _Unusual  # rich text
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"{head}><is><t{space}>{_escape(value)}</t></is></c>"
    shown = safe_string(value)
    return f"{head}><v>{_escape(shown)}</v></c>" if shown else f"{head}><v /></c>"


def _sheet_data(writer: WorksheetWriter) -> str:
    ws = writer.ws
    letters: dict[int, str] = {}
    parts = []
    for row, cells in writer.rows():
        attributes = "".join(f' {k}="{v}"' for k, v in {"r": str(row), **dict(
            ws.row_dimensions.get(row, {}))}.items())  # fmt: skip
        parts.append(f"<row{attributes}>")
        for cell in cells:
            column = cell.column
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            parts.append(_cell(cell, letter, row))
        parts.append("</row>")
    return "".join(parts)


class FastWorksheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, its cells written by `_sheet_data`."""

    def write_rows(self) -> None:
        try:
            text = _sheet_data(self)
        except _Unusual:
            super().write_rows()
            return
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            xf._file(text)  # et_xmlfile's raw output: the text is XML already
        self.xf.send(None)


class FastExcelWriter(ExcelWriter):
    """openpyxl's workbook writer with `FastWorksheetWriter` (openpyxl's own through lxml)."""

    def write_worksheet(self, ws: Any) -> None:
        if LXML or self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = FastWorksheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()
