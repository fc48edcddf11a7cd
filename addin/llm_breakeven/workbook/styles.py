"""Fonts, fills and colours of the template workbook: the only place that names any.

FAST / ICAEW conventions: inputs blue on a pale fill, formulas black, constants grey,
checks green. Every font names its face and size (11 pt prints at 9.35 pt at the sheets'
print scale), charts included. Number formats belong to units, in `llm_breakeven.quantities`.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from copy import copy
from typing import Any

from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

FONT_NAME = "Calibri"
SIZE = 11


def _font(**kwargs: object) -> Font:
    return Font(name=FONT_NAME, **{"size": SIZE, **kwargs})


def _fill(colour: str) -> PatternFill:
    # conditional formats read bgColor, cell fills fgColor: set both
    return PatternFill("solid", fgColor=colour, bgColor=colour)


PLAIN_FONT = _font()
INPUT_FONT = _font(color="0000FF")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
FORMULA_FONT = _font(color="000000")
CONSTANT_FILL = PatternFill("solid", fgColor="EDEDED")
CHECK_FILL = PatternFill("solid", fgColor="E2EFDA")
TITLE_FONT = _font(bold=True, size=14)
SECTION_FONT = _font(bold=True, color="1F4E78")
HEADER_FONT = _font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NOTE_FONT = _font(italic=True, color="595959")
#: a warning that blocks nothing: dark orange, readable in print
WARNING_FONT = _font(bold=True, color="C55A11")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TOP_RIGHT = Alignment(vertical="top", horizontal="right")
LEFT = Alignment(horizontal="left")
UNLOCKED = Protection(locked=False)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

#: verdict and check colours (conditional formats)
GOOD_FILL = _fill("C6EFCE")
BAD_FILL = _fill("FFC7CE")
EVEN_FILL = _fill("FFEB9C")
FAILED_CHECK_FILL = _fill("F8CBAD")
#: the cost verdict's colours: an option is not bad news, so neither is red (the charts'
#: API red and self-host blue, faint; break-even as EVEN_FILL)
API_FILL = _fill("F2F2F2")
SELFHOST_FILL = _fill("DDEBF7")

#: chart colours: API, self-host, and the markers (break-even, sustained, own volume)
API_COLOUR = "C00000"
SELFHOST_COLOUR = "2F5597"
MARKER_COLOURS = ("FFC000", "70AD47", "7030A0")
MARKER_LINE_COLOUR = "404040"


def chart_text(size: int = SIZE, bold: bool = False) -> RichText:
    """Text properties for a chart part, naming the font (else viewers pick a serif)."""
    props = CharacterProperties(latin=DrawingFont(typeface=FONT_NAME), sz=size * 100, b=bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


#: by workbook, each style worked out: setting a cell's font, format and alignment through
#: openpyxl is much slower than copying a style, on each of some 30,000 cells (a style
#: indexes its own workbook's tables, so it is kept per workbook)
_KNOWN: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def look(cell: Any, **attributes: Any) -> None:
    """Set style attributes (number_format="0.00", font=FORMULA_FONT, ...) on a cell: the
    style they make from the cell's present one is worked out once a workbook, then copied."""
    present = () if cell._style is None else tuple(cell._style)  # None: not styled yet
    # a format by its text; a font, fill or alignment (this module's constants) by identity
    given = tuple((k, v if isinstance(v, str) else id(v)) for k, v in attributes.items())
    known = _KNOWN.setdefault(cell.parent.parent, {})
    key = (present, given)
    if key not in known:
        for name, value in attributes.items():
            setattr(cell, name, value)
        # the values are held with the style, so no id is reused while the workbook lives
        known[key] = (copy(cell._style), tuple(attributes.values()))
    else:
        cell._style = copy(known[key][0])


def formula_cell(cell: Any, number_format: str) -> None:
    """A formula's cell in the formula font, with `number_format`."""
    look(cell, number_format=number_format, font=FORMULA_FONT)
