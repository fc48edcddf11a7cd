"""The template workbook's structure, formulas and determinism (no LibreOffice needed)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token

from conftest import REPO
from llm_breakeven import macros, model
from llm_breakeven.quantities import DERIVED, FIELDS
from llm_breakeven.scenario import load, loads
from llm_breakeven.workbook import build, workbook_bytes, write_workbook

#: functions that Excel 2010+, LibreOffice 7.4 and Google Sheets all compute
ALLOWED_FUNCTIONS = {
    # hour by hour over a profile range: SUMPRODUCT evaluates its argument as an array
    "SUMPRODUCT",
    # the inputs' fingerprint beside the Monte Carlo values
    "SQRT",
    "ROW",
    "ISTEXT",
    "LEN",
    "CODE",
    "ROWS",
    "COUNT",
    "LARGE",
    "IF",
    "AND",
    "OR",
    "NOT",
    "MAX",
    "MIN",
    "ABS",
    "INT",
    "ISBLANK",
    "ISNUMBER",
    "COUNTIF",
    "IFERROR",
    "INDEX",
    "MATCH",
    "SUM",
    "FIXED",
    "ROUND",
    "CHOOSE",
    "NA",
    # the throughput estimate: tensor-parallel overhead per doubling, a Catalogue figure or 0
    "LOG",
    "N",
    # a money axis's title names the currency input without its padding
    "TRIM",
}
FORBIDDEN = {
    "XLOOKUP",
    "LET",
    "LAMBDA",
    "FILTER",
    "IFS",
    "OFFSET",
    "INDIRECT",
    "NOW",
    "TODAY",
    "RAND",
    "TABLE",
}


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(build(load()))))


def _formulas(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    yield sheet.title, cell.coordinate, cell.value


def test_sheets_in_reading_order(book):
    """The board pack first (what a board reads), then the model, as its appendix, then the
    functions for Microsoft 365."""
    board = ["Summary", "Projection", "Sensitivity", "Hybrid", "Waterfall", "Assumptions"]
    model = ["Start", "Inputs", "Traffic", "Calculations", "Results", "Buy vs rent", "Signals",
             "By utilization", "Catalogue", "Checks"]  # fmt: skip
    assert book.sheetnames == [*board, *model, "Functions", "Chart data"]
    for title in board:
        assert book[title].oddHeader.center.text == "Board pack"
    for title in model:
        assert book[title].oddHeader.center.text == "Appendix: the model"
    assert book["Functions"].oddHeader.center.text == "Reference: the functions"
    assert [ws.sheet_state for ws in book.worksheets].count("hidden") == 1
    assert book["Chart data"].sheet_state == "hidden"


def test_every_formula_uses_only_portable_functions(book):
    used = set()
    count = 0
    for _, _, formula in _formulas(book):
        count += 1
        for token in Tokenizer(formula).items:
            if token.type == Token.FUNC and token.subtype == Token.OPEN:
                used.add(token.value.rstrip("("))
    assert count > 300
    assert used <= ALLOWED_FUNCTIONS, used - ALLOWED_FUNCTIONS
    assert not used & FORBIDDEN


def test_no_constants_inside_calculation_formulas(book):
    """Only 0 and 1 appear as literals; every other number is an input or a named constant.

    The Checks sheet's input rules are exempt: their bounds (such as 744 hours) are the rule.
    So are the Monte Carlo results computed at build time (grey: fixed numbers, each shown
    only while its scenario's inputs pass their checks). The break-evens walked hour by hour
    and the scale-to-zero hybrid's figures are grey values in rows of their own.
    """
    fixed = []
    for sheet, where, formula in _formulas(book):
        if sheet == "Checks":
            continue
        if book[sheet][where].fill.fgColor.rgb == "00EDEDED":
            fixed.append((sheet, where))
            continue
        # a logarithm's base is its meaning, not an assumption: log2 counts doublings
        plain = re.sub(r"(LOG\([^(),]+),2\)", r"\1)", formula)
        numbers = {
            t.value
            for t in Tokenizer(plain).items
            if t.type == Token.OPERAND and t.subtype == Token.NUMBER
        }
        assert numbers <= {"0", "1"}, (sheet, where, formula)
    # the seven Monte Carlo rows of each default scenario; the walked figures (Calculations'
    # two break-evens, Hybrid's cheapest fleet and break-even scaling to zero) are values in
    # grey rows of their own, which the formulas below them read
    sensitivity = [where for sheet, where in fixed if sheet == "Sensitivity"]
    assert len(fixed) == len(sensitivity) == 7 * len(load().scenarios)
    walked = [
        (ws.title, c.coordinate)
        for ws in (book["Calculations"], book["Hybrid"])
        for row in ws.iter_rows()
        for c in row[1:2]
        if c.fill.fgColor.rgb == "00EDEDED" and not str(c.value).startswith("=")
    ]
    assert len(walked) == 4


def test_inputs_and_outputs_are_named_rows_in_scenario_order(book):
    scenarios = load().scenarios
    names = book.defined_names
    for name in [*FIELDS, "scenario_name", "description", *model.OUTPUTS]:
        assert name in names, name
        ((sheet, cells),) = names[name].destinations
        first, last = cells.replace("$", "").split(":")
        # five scenarios and one blank spare column: B to G
        assert first[0] == "B" and last[0] == "G", (name, cells)
        assert re.sub(r"\D", "", first) == re.sub(r"\D", "", last)
    ((sheet, cells),) = names["typed_hourly_rate"].destinations
    typed = [c.value for c in book[sheet][cells.replace("$", "")][0]]
    assert typed == [*(s.hourly_rate for s in scenarios), None]
    typed_row = re.sub(r"\D", "", cells.split(":")[0])
    # the rate used is a locked formula in every column: the number typed, else the look-up
    # of the GPU picked (typing never loses the look-up)
    ((sheet, cells),) = names["hourly_rate"].destinations
    used = book[sheet][cells.replace("$", "")][0]
    ((_, pick),) = names["gpu_pick"].destinations
    spare_pick = pick.replace("$", "").split(":")[0].replace("B", "G")
    spare = f'=IF(G{typed_row}="",IF({spare_pick}="","",IFERROR(INDEX('
    assert used[5].value.startswith(spare), used[5].value
    assert all(c.protection.locked and c.value.startswith("=") for c in used)
    # a spare column: blank name and required inputs, optional inputs at their defaults
    for name, spare in (("scenario_name", None), ("input_tokens", None), ("max_utilization", 1),
                        ("cached_price", None), ("hours_per_month", 730)):  # fmt: skip
        ((sheet, cells),) = names[name].destinations
        assert book[sheet][cells.replace("$", "").split(":")[1]].value == spare, name
    assert "master_check" in names and "utilizations" in names


def test_every_derived_quantity_with_a_section_is_a_named_calculation_row(book):
    for q in DERIVED:
        if q.section is None:
            continue
        ((sheet, cells),) = book.defined_names[q.name].destinations
        first = book[sheet][cells.replace("$", "").split(":")[0]]
        assert sheet == "Calculations" and first.data_type == "f", q.name
        assert book[sheet].cell(first.row, 1).value == q.label


def test_every_field_is_a_validated_blue_input(book):
    inputs = book["Inputs"]
    validated = " ".join(str(dv.sqref) for dv in inputs.data_validations.dataValidation)
    for name in FIELDS:
        # a looked-up input is typed in its own row, named typed_...
        typed = f"typed_{name}" if f"typed_{name}" in book.defined_names else name
        ((_, cells),) = book.defined_names[typed].destinations
        first = cells.replace("$", "").split(":")[0]
        cell = inputs[first]
        assert cell.font.color.rgb.endswith("0000FF") and not cell.protection.locked, name
        assert first in validated, name
    assert inputs.protection.sheet


def test_calculation_is_forced_on_open_and_axes_are_visible(book):
    assert book.calculation.fullCalcOnLoad
    charts = book["Results"]._charts
    assert len(charts) == 6  # one per scenario column, spare ones included
    assert len(book["Summary"]._charts) == 1
    for chart in [*charts, *book["Summary"]._charts]:
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
        # API, self-host, and the break-even, sustained break-even and own-volume markers
        assert [s.tx.v if s.tx.v else None for s in chart.series][:2] == ["API", "Self-host"]
        assert len(chart.series) == 5
        assert all(s.smooth is False for s in chart.series)
        assert [s.dLbls.showSerName for s in chart.series[2:]] == [True] * 3


def test_text_from_data_is_never_a_formula():
    text = (
        '[[scenario]]\nname = "=HYPERLINK(\\"http://x\\")"\ndescription = "=1+1"\n'
        "input_tokens = 1\n"
        "output_tokens = 1\ninput_price = 1\noutput_price = 1\nhourly_rate = 1\n"
        'replica_throughput = 1\nmonthly_volume = 1\n[scenario.sources]\nhourly_rate = "=cmd"\n'
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(build(loads(text)))))
    inputs = book["Inputs"]
    for name, text in (("scenario_name", '=HYPERLINK("http://x")'), ("description", "=1+1")):
        ((_, cells),) = book.defined_names[name].destinations
        cell = inputs[cells.replace("$", "").split(":")[0]]
        assert cell.data_type == "s" and cell.value == text
    # a source reads after the figure it backs and the scenarios that use it
    sources = [c for ws in (inputs, book["Assumptions"]) for row in ws.iter_rows() for c in row
               if c.value == "GPU hourly rate (1): =cmd"]  # fmt: skip
    assert len(sources) == 2 and all(c.data_type == "s" for c in sources)


def test_two_builds_are_byte_identical_and_dated(tmp_path):
    first = workbook_bytes(build(load()))
    second = workbook_bytes(build(load()))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "2026-01-01T00:00:00Z" in core


def test_committed_workbook_is_a_fresh_build():
    committed = REPO / "templates" / "llm-breakeven.xlsx"
    assert committed.read_bytes() == workbook_bytes(build(load())), (
        "run: llm-breakeven build --output templates/llm-breakeven.xlsx"
    )


def test_committed_macros_are_current():
    for name, text in macros.generate().items():
        assert (REPO / "macros" / name).read_bytes() == text.encode(), (
            f"run: llm-breakeven macros --output-dir macros ({name})"
        )


def test_calculation_formulas_are_the_engine_definitions(book):
    """The workbook's formula for a quantity reads as its definition in the engine."""
    calc = book["Calculations"]
    ((_, cells),) = book.defined_names["rented_replica_monthly_cost"].destinations
    first = calc[cells.replace("$", "").split(":")[0]]
    rows = {
        name: book.defined_names[name].destinations
        for name in ("hourly_rate", "gpus_per_replica", "billed_hours_per_replica")
    }
    refs = [
        ("" if sheet == "Calculations" else f"{sheet}!") + cells.replace("$", "").split(":")[0]
        for ((sheet, cells),) in (list(d) for d in rows.values())
    ]
    ((_, in_use),) = book.defined_names["scenario_in_use"].destinations
    gate = in_use.replace("$", "").split(":")[0]
    assert first.value == f'=IF({gate},{"*".join(refs)},"")'
    # a column computes once its scenario has a name
    ((_, names),) = book.defined_names["scenario_name"].destinations
    assert calc[gate].value == f"=NOT(ISBLANK(Inputs!{names.replace('$', '').split(':')[0]}))"
    notes = [c.value for row in calc.iter_rows() for c in row if isinstance(c.value, str)]
    assert "hourly_rate*gpus_per_replica*billed_hours_per_replica" in notes


def test_rewriting_keeps_a_backup_of_an_edited_file(tmp_path):
    path = tmp_path / "book.xlsx"
    first = write_workbook(path)
    assert first.changed and first.backup is None
    again = write_workbook(path)
    assert not again.changed and again.backup is None
    path.write_bytes(b"edited by a person")
    third = write_workbook(path)
    assert third.backup == tmp_path / "book.backup-1.xlsx"
    assert third.backup.read_bytes() == b"edited by a person"
    assert path.read_bytes() == workbook_bytes(build(load()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.backup-1.xlsx", "book.xlsx"]


@pytest.mark.parametrize("empty", [b"<v/>", b"<v />", b"<v></v>"])
def test_cached_values_fill_a_formula_cell_whichever_writer_wrote_it(empty):
    """openpyxl writes an empty value as <v/> through et_xmlfile and as <v></v> through lxml
    (used wherever lxml is installed): both get the engine's value, each cell its own."""
    from llm_breakeven.workbook.package import _with_values

    xml = (b'<row><c r="B5" s="16"><f>Inputs!B6&amp;""</f>' + empty + b"</c>"
           b'<c r="C5"><f>1+2</f>' + empty + b"</c></row>")  # fmt: skip
    filled = _with_values(xml, {"B5": ("str", "Article example"), "C5": (None, "3.0")})
    assert filled == (
        b'<row><c r="B5" s="16" t="str"><f>Inputs!B6&amp;""</f><v>Article example</v></c>'
        b'<c r="C5"><f>1+2</f><v>3.0</v></c></row>'
    )


def _parts(workbook, writer) -> dict[str, bytes]:
    raw = io.BytesIO()
    writer(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED)).save()
    found = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    return {n: found.read(n) for n in found.namelist() if n.startswith("xl/worksheets/")}


def test_the_fast_cell_writer_writes_openpyxls_bytes():
    """Every sheet of the template, and cells of every kind (a comment makes openpyxl's
    writer take its sheet), come out byte for byte as openpyxl writes them."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    from llm_breakeven.workbook.sheetdata import FastExcelWriter

    assert _parts(build(load()), FastExcelWriter) == _parts(build(load()), ExcelWriter)

    def odd() -> openpyxl.Workbook:
        book = openpyxl.Workbook()
        ws = book.active
        for row, value in enumerate([" padded ", "a < b & c", True, 1.5e-300, float("nan"),
                                     "=A1&\"<\"", 7], 1):  # fmt: skip
            ws.cell(row, 1, value)
        ws.cell(9, 2).font = Font(bold=True)  # a styled blank
        ws.row_dimensions[12].height = 30  # a row with no cells
        other = book.create_sheet("Commented")
        other["A1"] = "note"
        other["A1"].comment = Comment("why", "me")
        return book

    assert _parts(odd(), FastExcelWriter) == _parts(odd(), ExcelWriter)


def _text(title) -> str:
    """A chart or axis title's text: its cached cell text, or its own words."""
    if title.tx.strRef is not None:
        return title.tx.strRef.strCache.pt[0].v
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))


def test_every_chart_carries_its_title_and_its_units(book):
    """A chart pasted into slides keeps its title (the heading cell it covers, which follows
    the scenario picked on Inputs), axis titles with units and the currency on money, and
    unsmoothed lines (a smoothed staircase would misstate a cost)."""
    charts = [(ws.title, chart) for ws in book.worksheets for chart in ws._charts]
    assert len(charts) == 13
    picked = load().scenarios[2].name  # the default picks scenario 3, a rented H100
    for sheet, chart in charts:
        ref = chart.title.tx.strRef
        assert ref is not None, sheet
        ((target, cell),) = openpyxl.workbook.defined_name.DefinedName(
            "t", attr_text=ref.f).destinations  # fmt: skip
        assert target in book.sheetnames and cell.startswith("$"), (sheet, ref.f)
        title = _text(chart.title)
        assert title, sheet
        if sheet not in ("Results", "Buy vs rent"):
            assert title.endswith(picked), (sheet, title)
        # a bar chart's categories name themselves; a scatter's x axis has a title
        scatter = isinstance(chart, openpyxl.chart.ScatterChart)
        for axis in [chart.y_axis] + ([chart.x_axis] if scatter else []):
            assert _text(axis.title), (sheet, axis)
        if sheet != "Traffic":  # every other chart plots money
            assert _text(chart.y_axis.title).endswith("($)"), (sheet, _text(chart.y_axis.title))
        for series in chart.series:
            assert not series.smooth, (sheet, series.tx)
