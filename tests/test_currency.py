"""The currency: in every money format as built, and following the currency input when a
person changes it in the workbook (LibreOffice prints what it shows)."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from llm_breakeven.scenario import ScenarioSet, load
from llm_breakeven.workbook import build, write_workbook
from llm_breakeven.workbook.layout import sheet_ref

#: the article example's year-1 API bill on the Summary, as LibreOffice prints it
API_YEAR_1 = "19,440"


def _money_formats(book: openpyxl.Workbook) -> list[str]:
    return [cell.number_format for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def test_money_formats_carry_the_currency_the_workbook_is_built_with():
    dollars = build(load())
    euros = build(ScenarioSet(load().scenarios, currency_symbol="€"))
    for book, symbol, other in ((dollars, "$", "€"), (euros, "€", "$")):
        formats = _money_formats(book)
        assert sum(f'"{symbol}"' in f for f in formats) > 500
        assert not any(f'"{other}"' in f for f in formats)
        summary = book["Summary"]
        assert f'"{symbol}"#,##0' in summary["D6"].number_format
        # and conditional formats over them follow the input
        rules = [r for cf in summary.conditional_formatting for r in cf.rules if r.dxf]
        conditions = {r.formula[0] for r in rules if r.dxf.numFmt is not None}
        assert f'TRIM(currency_symbol)="{other}"' in conditions
        assert f'TRIM(currency_symbol)<>"{symbol}"' in conditions
        # the charts' money axes name it, through a cell that follows the input
        ((sheet, cell),) = book.defined_names["chart_axis_monthly_cost"].destinations
        ((_, currency),) = book.defined_names["currency_symbol"].destinations
        assert book[sheet][cell.replace("$", "")].value == (
            f'="Monthly cost ("&TRIM({sheet_ref("Inputs")}!{currency})&")"'
        )


def _pages(pdf, first: int, last: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.fixture(scope="module")
def typed(print_pdf, tmp_path_factory):
    """The template printed with the currency input changed: to a common symbol, to another."""
    folder = tmp_path_factory.mktemp("currency")
    template = write_workbook(folder / "template.xlsx", load()).path
    books = []
    for symbol in ("€", "CHF"):
        book = openpyxl.load_workbook(template)
        ((sheet, cell),) = book.defined_names["currency_symbol"].destinations
        book[sheet][cell.replace("$", "")].value = symbol
        books.append(folder / f"{symbol}.xlsx")
        book.save(books[-1])
    return dict(zip(("€", "CHF"), print_pdf(*books), strict=True))


def test_a_common_currency_typed_in_the_workbook_shows_in_the_formats(typed):
    board = _pages(typed["€"], 1, 8)
    assert f"€{API_YEAR_1}" in board
    assert not re.search(r"\$[\d(]", board), "an amount still in dollars"


def test_another_currency_typed_shows_plain_amounts_beside_its_name(typed):
    board = _pages(typed["CHF"], 1, 8)
    assert API_YEAR_1 in board and f"${API_YEAR_1}" not in board
    assert not re.search(r"\$[\d(]", board), "an amount still in dollars"
    assert "CHF / year" in board  # the unit column names it


def test_the_conditional_formats_cover_the_money_cells_and_nothing_else():
    book = build(load())
    for ws in book.worksheets:
        money = {
            (c.row, c.column) for row in ws.iter_rows() for c in row if '"$"' in c.number_format
        }
        covered = set()
        for formats in ws.conditional_formatting:
            if any("currency_symbol" in (rule.formula or [""])[0] for rule in formats.rules):
                for r in formats.sqref.ranges:
                    covered |= {(row, column) for row in range(r.min_row, r.max_row + 1)
                                for column in range(r.min_col, r.max_col + 1)}  # fmt: skip
        assert covered == money, ws.title
