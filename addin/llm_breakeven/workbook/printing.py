"""How every sheet prints: landscape on A4 or Letter, legible, paged where the plan says.

One page geometry serves both papers: the narrower width (Letter, 11 in) and the shorter
height (A4, 210 mm) of the two in landscape. Every sheet prints at one fixed scale, so text
set at 11 pt prints at 9.35 pt; its columns are planned to fit that width, and its rows are
cut into pages by `llm_breakeven.workbook.layout.SheetPlan.pages`, so a chart never straddles
a page break and the page count is the one designed.
"""

from __future__ import annotations

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from . import styles

#: printed size, as a percentage of the sheet: 11 pt text prints at 9.35 pt
SCALE = 85
#: landscape page in points: the narrower width (Letter) and the shorter height (A4)
PAGE_WIDTH, PAGE_HEIGHT = 792.0, 595.3
PAPER_SIZES = {"A4": 9, "Letter": 1}
#: margins in inches: left/right, top/bottom, and where the header and footer sit
SIDE, TOP, HEADER = 0.5, 0.75, 0.3
#: a share of the page kept free for rounding in how each program lays out columns and rows
#: (rows are laid out to the point: less is kept free down the page than across)
SLACK, SLACK_DOWN = 0.93, 0.97
#: sheet points one printed page holds, across and down
ROOM_WIDTH = (PAGE_WIDTH - 2 * 72 * SIDE) / (SCALE / 100) * SLACK
ROOM_HEIGHT = (PAGE_HEIGHT - 2 * 72 * TOP) / (SCALE / 100) * SLACK_DOWN


def column_points(width: float) -> float:
    """Printed width in points of a column `width` characters wide (7 px a character + 5)."""
    return (7 * width + 5) * 0.75


def column_width(points: float) -> float:
    """The width in characters of a column `points` wide (`column_points` turned round)."""
    return (points / 0.75 - 5) / 7


def setup(
    ws: Worksheet,
    breaks: list[int],
    version: str,
    dated: str,
    part: str,
    title_rows: tuple[int, int] | None = None,
) -> None:
    """Landscape A4 at `SCALE` %, margins, header and footer, print titles and page breaks;
    the header names the `part` of the printout the sheet belongs to."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_SIZES["A4"]
    ws.page_setup.scale = SCALE
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins = PageMargins(
        left=SIDE, right=SIDE, top=TOP, bottom=TOP, header=HEADER, footer=HEADER
    )
    for place, text in (
        (ws.oddHeader.left, f"llm-breakeven {version}"),
        (ws.oddHeader.center, part),
        (ws.oddHeader.right, "&A"),
        (ws.oddFooter.left, dated[0].upper() + dated[1:]),
        (ws.oddFooter.right, "Page &P of &N"),
    ):
        place.text = text
        place.font = f"{styles.FONT_NAME},Regular"
        place.size = styles.SIZE
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    for row in breaks:
        ws.row_breaks.append(Break(id=row))
