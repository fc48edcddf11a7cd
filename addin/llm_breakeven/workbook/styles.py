"""Cell styles of the template workbook (FAST / ICAEW colours: inputs blue on a pale fill)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

INPUT_FONT = Font(color="0000FF")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
FORMULA_FONT = Font(color="000000")
CONSTANT_FILL = PatternFill("solid", fgColor="EDEDED")
CHECK_FILL = PatternFill("solid", fgColor="E2EFDA")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, color="1F4E78")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NOTE_FONT = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# number formats by unit
MONEY = '"$"#,##0.00'
MONEY_PER_REQUEST = '"$"0.000000'
MONEY_PER_MTOK = '"$"0.000'
COUNT = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.0%"
TEXT = "@"
#: LibreOffice shows a formula's TRUE as 1 under "General"; Excel shows TRUE either way
BOOLEAN = '"TRUE";"TRUE";"FALSE"'

#: the number format of each unit string used in `llm_breakeven.scenario.FIELDS` and below
UNIT_FORMATS = {
    "tokens": COUNT,
    "$ / 1M tokens": MONEY_PER_MTOK,
    "fraction 0..1": PERCENT,
    "fraction": PERCENT,
    "fraction of API": PERCENT,
    "$ / GPU-hour": MONEY,
    "GPUs": DECIMAL,
    "hours": COUNT,
    "requests / s": DECIMAL,
    "requests / month": COUNT,
    "ratio ≥ 1": DECIMAL,
    "replicas": COUNT,
    "FTE": DECIMAL,
    "$ / year": MONEY,
    "$ / month": MONEY,
    "$ / request": MONEY_PER_REQUEST,
    "verdict": TEXT,
    "TRUE / FALSE": BOOLEAN,
}
