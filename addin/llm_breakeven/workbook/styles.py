"""Fonts, fills and colours of the template workbook: the only place that names any.

FAST / ICAEW conventions: inputs blue on a pale fill, formulas black, constants grey,
checks green. Number formats belong to units, in `llm_breakeven.quantities`.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

FONT_NAME = "Calibri"


def _fill(colour: str) -> PatternFill:
    # conditional formats read bgColor, cell fills fgColor: set both
    return PatternFill("solid", fgColor=colour, bgColor=colour)


INPUT_FONT = Font(name=FONT_NAME, color="0000FF")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
FORMULA_FONT = Font(name=FONT_NAME, color="000000")
CONSTANT_FILL = PatternFill("solid", fgColor="EDEDED")
CHECK_FILL = PatternFill("solid", fgColor="E2EFDA")
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
SECTION_FONT = Font(name=FONT_NAME, bold=True, color="1F4E78")
HEADER_FONT = Font(name=FONT_NAME, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NOTE_FONT = Font(name=FONT_NAME, italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

#: verdict and check colours (conditional formats)
GOOD_FILL = _fill("C6EFCE")
BAD_FILL = _fill("FFC7CE")
EVEN_FILL = _fill("FFEB9C")
FAILED_CHECK_FILL = _fill("F8CBAD")

#: chart colours: API, self-host, the break-even marker and its outline
API_COLOUR = "C00000"
SELFHOST_COLOUR = "2F5597"
MARKER_COLOUR = "FFC000"
MARKER_LINE_COLOUR = "7F6000"
