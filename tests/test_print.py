"""Printing: every sheet on landscape A4 and on Letter, legible, and paged as designed.

LibreOffice prints the workbook to PDF; each page's header names its sheet, so the pages of
each sheet are counted and compared with the page breaks the builder planned. A sheet too
wide, a row taller than planned or a chart across a break would add pages.
"""

from __future__ import annotations

import math
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from llm_breakeven import __version__
from llm_breakeven.scenario import load
from llm_breakeven.workbook import build, write_workbook
from llm_breakeven.workbook.builder import APPENDIX, BOARD_PACK
from llm_breakeven.workbook.printing import ROOM_WIDTH, SCALE, column_points

#: points in a centimetre; a planned row is 15 points high unless set otherwise
CM = 72 / 2.54


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    """The workbook as built (charts keep their size, which openpyxl does not read back)."""
    return build(load())


def _designed(book: openpyxl.Workbook) -> dict[str, int]:
    return {
        ws.title: len(ws.row_breaks.brk) + 1
        for ws in book.worksheets
        if ws.sheet_state == "visible"
    }


def _on_paper(source: Path, target: Path, size: int) -> Path:
    """A copy of the workbook set to another paper size (1: Letter), byte for byte otherwise."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for entry in zin.infolist():
            data = zin.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/sheet"):
                data, count = re.subn(rb'paperSize="9"', f'paperSize="{size}"'.encode(), data)
                assert count == 1, entry.filename
            zout.writestr(entry, data)
    return target


@pytest.fixture(scope="module")
def printed(print_pdf, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("print")
    a4 = write_workbook(folder / "a4.xlsx").path
    letter = _on_paper(a4, folder / "letter.xlsx", 1)
    return dict(zip(("A4", "Letter"), print_pdf(a4, letter), strict=True))


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def _sheet_of(page: str) -> str:
    """The sheet a page belongs to: the right of its header line."""
    header = next(line for line in page.splitlines() if line.strip())
    left, part, right = re.split(r"\s{2,}", header.strip())
    assert left == f"llm-breakeven {__version__}"
    assert part in ("Board pack", "Appendix: the model", "Reference: the functions")
    return right


@pytest.mark.libreoffice
@pytest.mark.parametrize(("paper", "size"), [("A4", (842, 595)), ("Letter", (792, 612))])
def test_every_sheet_prints_on_the_pages_designed(printed, book, paper, size):
    pages = _pages(printed[paper])
    counted: dict[str, int] = {}
    for page in pages:
        sheet = _sheet_of(page)
        counted[sheet] = counted.get(sheet, 0) + 1
    assert counted == _designed(book)
    # the board pack prints first: the Summary's one landscape page, then seven at most
    board = [_sheet_of(page) for page in pages[:8]]
    assert board[0] == "Summary" and counted["Summary"] == 1
    assert list(dict.fromkeys(board)) == list(BOARD_PACK)
    assert sum(counted[title] for title in BOARD_PACK) <= 8
    # and the model follows as an appendix of 25 pages at most; then the functions' reference
    assert sum(counted[title] for title in APPENDIX) <= 25
    assert list(counted)[-1] == "Functions" and counted["Functions"] <= 3
    # footers number the pages and date the figures
    # the footer dates the sources at both ends, as the Summary does scenario by scenario
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Sources dated 2024-10-11 to 2026-12-02" in pages[0]
    # and the Summary, each scenario's (the H100 scenario's sources span two years)
    assert "2024-10-11 to 2026-11-27." in pages[0]
    info = subprocess.run(["pdfinfo", str(printed[paper])], capture_output=True, text=True)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout).groups())
    assert (round(width), round(height)) == size
    fonts = subprocess.run(["pdffonts", str(printed[paper])], capture_output=True, text=True)
    # another font than Calibri or its metric twin Carlito lays text out wider than planned
    assert re.search(r"\+(Carlito|Calibri)\b", fonts.stdout), (
        "install fonts-crosextra-carlito: " + fonts.stdout
    )


@pytest.mark.libreoffice
def test_printed_text_is_at_least_9_points(printed):
    """Word boxes of 9 pt Carlito/Calibri text are about 12 points high; 7 pt would be 9."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(printed["A4"]), "-"], check=True, capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    heights = [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', html)
    ]
    assert len(heights) > 1000
    assert min(heights) >= 9 * 1.2


def _anchor(chart) -> tuple[int, int, float]:
    """The (row, column) of a chart's top left cell, both from 1, and how far into that
    column it starts (points)."""
    if isinstance(chart.anchor, str):
        return (*openpyxl.utils.cell.coordinate_to_tuple(chart.anchor), 0.0)
    start = chart.anchor._from
    return start.row + 1, start.col + 1, start.colOff / 12700


def test_every_sheet_fits_the_page_width(book):
    """Columns and charts of every printed sheet fit the narrower page (Letter) at the scale."""
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        used = max(c.column for row in ws.iter_rows() for c in row if c.value is not None)
        shown = [
            ws.column_dimensions[openpyxl.utils.get_column_letter(k)] for k in range(1, used + 1)
        ]
        # a folded column (a spare scenario's) does not print
        widths = [column_points(d.width or 8.43) for d in shown if not d.hidden]
        assert sum(widths) <= ROOM_WIDTH, ws.title
        printed = ROOM_WIDTH  # no print area: the page prints the charts too
        if ws.print_area:
            last = re.search(r"\$?([A-Z]+)\$?\d+$", ws.print_area).group(1)
            printed = sum(
                column_points(d.width or 8.43)
                for k in range(1, openpyxl.utils.column_index_from_string(last) + 1)
                if not (d := ws.column_dimensions[openpyxl.utils.get_column_letter(k)]).hidden
            )
        for chart in ws._charts:
            _, column, offset = _anchor(chart)
            before = sum(
                column_points(d.width or 8.43)
                for k in range(1, column)
                if not (d := ws.column_dimensions[openpyxl.utils.get_column_letter(k)]).hidden
            )
            right = before + offset + chart.width * CM
            # on the page, and inside the print area (was: Results' right charts cut off)
            assert right <= ROOM_WIDTH and right <= printed + 1, (ws.title, column, right)


def test_no_chart_straddles_a_page_break(book):
    for ws in book.worksheets:
        breaks = [b.id for b in ws.row_breaks.brk]
        for chart in ws._charts:
            top = _anchor(chart)[0]
            points, row = 0.0, top
            while points < chart.height * CM:
                points += ws.row_dimensions[row].height or 15
                row += 1
            assert not [b for b in breaks if top <= b < row - 1], (ws.title, top, row, breaks)


def test_print_setup_and_fonts(book):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale == SCALE
        assert ws.oddHeader.left.text == f"llm-breakeven {__version__}"
        assert ws.oddHeader.right.text == "&A"
        assert ws.oddFooter.right.text == "Page &P of &N"
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Calibri", (ws.title, cell.coordinate)
                    # 11 pt at 85 % prints at 9.35 pt
                    assert cell.font.size * SCALE / 100 >= 9, (ws.title, cell.coordinate)
    assert book["Inputs"].print_title_rows and book["Calculations"].print_title_rows
    assert math.isclose(SCALE, 85)


def _is_heading(cell) -> bool:
    font = cell.font
    return bool(font.b) and font.color is not None and font.color.rgb == "001F4E78"


def test_no_section_heading_ends_a_page(book):
    """A section's heading prints on the page of its first row, never alone at a foot."""
    headings = 0
    for ws in book.worksheets:
        rows = {c.row for c in ws["A"] if c.value is not None and _is_heading(c)}
        headings += len(rows)
        for brk in ws.row_breaks.brk:
            assert brk.id not in rows, (ws.title, brk.id, ws.cell(brk.id, 1).value)
    assert headings > 50


def test_spare_scenario_columns_fold_away(book):
    """An empty scenario column neither shows nor prints: it is grouped and folded, and the
    note takes its width (the printed width is unchanged)."""
    filled, spare = len(load().scenarios), "G"
    for title in ("Inputs", "Calculations", "Traffic", "Results", "Projection", "Assumptions"):
        ws = book[title]
        assert ws.column_dimensions[spare].hidden and ws.column_dimensions[spare].outline_level == 1
        for k in range(filled):
            assert not ws.column_dimensions[openpyxl.utils.get_column_letter(2 + k)].hidden
    inputs = book["Inputs"]
    assert inputs.column_dimensions["I"].width == 25 + 12  # the note, and the spare's width


def test_working_rows_and_spare_tables_stay_out_of_print(book):
    """The board pack's sheets print their figures and charts, not the rows behind them."""
    for title, last_printed in (("Projection", "Cumulative cost of both paths"),
                                ("Hybrid", "Monthly cost by replicas self-hosted"),
                                ("By utilization", "As published")):  # fmt: skip
        ws = book[title]
        end = int(re.search(r"(\d+)$", ws.print_area).group(1))
        printed = [str(c.value) for row in ws.iter_rows(max_row=end) for c in row
                   if c.value is not None]  # fmt: skip
        assert any(last_printed in text for text in printed), title
        below = [str(c.value) for c in ws["A"][end:] if c.value is not None]
        assert below and below[0].startswith("Below, out of print"), title


def test_checks_print_what_fails_not_a_wall_of_true(book):
    """The Checks page prints the master check, each scenario's count of failing checks and
    the first that fails, and the warnings; the checks themselves, one TRUE a scenario each,
    are working rows below the print area."""
    ws = book["Checks"]
    end = int(re.search(r"(\d+)$", ws.print_area).group(1))
    printed = [str(c.value) for c in ws["A"][:end] if c.value is not None]
    assert "Master check" in printed and "Checks failing" in printed
    assert any(text.startswith("Warnings") for text in printed)
    assert not any(text.endswith(" is valid") for text in printed)
    below = [str(c.value) for c in ws["A"][end:] if c.value is not None]
    assert below[0].startswith("Working rows")
    assert sum(text.endswith(" is valid") for text in below) > 40
