"""The template workbook: inputs, native-formula calculations, results, charts and checks.

Scenarios sit side by side in columns B, C, ... on every scenario sheet, in the order of the
scenarios file. Formulas are written once, as templates such as "={hourly_rate}*{gpus}",
whose placeholders resolve to the cell holding that quantity for the scenario's column, so
every quantity has one home and one formula. Every formula mirrors an engine function, and
the parity tests prove each output equal to `llm_breakeven.model.evaluate`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import model
from ..scenario import FIELDS, ScenarioSet, bound_of
from . import styles

INPUTS, CALCULATIONS, RESULTS, TABLE, CHART_DATA, CHECKS, START = (
    "Inputs",
    "Calculations",
    "Results",
    "By utilization",
    "Chart data",
    "Checks",
    "Start",
)
FIRST_COLUMN = 2  # scenarios start in column B

#: the inputs sheet's sections, each a list of `FIELDS`
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("API pricing", ("input_tokens", "output_tokens", "input_price", "output_price",
                     "cached_share", "cached_price", "batch_discount")),
    ("GPUs and serving", ("hourly_rate", "gpus_per_replica", "hours_per_month",
                          "replica_throughput")),
    ("Traffic, headroom and failover", ("monthly_volume", "max_utilization", "peak_to_average",
                                        "failover_replicas")),
    ("People and other costs", ("ops_fte", "annual_cost_per_fte", "other_fixed_monthly_cost",
                                "variable_cost_per_request")),
    ("Verdict", ("tolerance",)),
)  # fmt: skip

#: volumes plotted per chart after zero
CHART_POINTS = 40
#: constants the formulas use instead of literals: (name, label, value, unit, note)
CONSTANTS = (
    ("seconds_per_hour", "Seconds per hour", model.SECONDS_PER_HOUR, "s / hour", ""),
    ("months_per_year", "Months per year", model.MONTHS_PER_YEAR, "months", ""),
    ("tokens_per_million", "Tokens per million", model.TOKENS_PER_MILLION, "tokens",
     "Prices are per 1M tokens."),
    ("replica_tolerance", "Replica rounding tolerance", model.REPLICA_TOLERANCE, "replicas",
     "A load this close above a whole number of replicas needs no extra replica."),
    ("check_tolerance", "Check tolerance", 1e-9, "fraction",
     "Relative tolerance of the Checks sheet."),
    ("chart_points", "Chart points", CHART_POINTS, "points",
     "Volumes plotted per chart, after zero."),
    ("chart_span", "Chart span", 2, "ratio",
     "Charts run to this multiple of the larger of break-even and own volume."),
)  # fmt: skip

_API, _EVEN, _SELF = (f'"{option}"' for option in model.OPTIONS)


def _replicas_at(volume: str) -> str:
    """`model.replicas_needed` at `volume` (a placeholder or cell), as a formula fragment."""
    return (
        f"(MAX(1,ROUNDUP({volume}*{{peak_to_average}}/({{replica_capacity}}*{{max_utilization}})"
        f"-{{replica_tolerance}},0))+{{failover_replicas}})"
    )


def _selfhost_bill_at(volume: str) -> str:
    """`model.selfhost_monthly_cost` plus variable cost at `volume`, as a formula fragment."""
    return (
        f"{_replicas_at(volume)}*{{replica_monthly_cost}}+{{fixed_monthly_cost}}"
        f"+{volume}*{{variable_cost_per_request}}"
    )


#: calculation rows: (key, label, unit, formula template, what it computes); str = section
CALCULATION_ROWS: tuple[tuple[str, str, str, str, str] | str, ...] = (
    "API",
    ("cached_price_used", "Cached input price used", "$ / 1M tokens",
     "=IF(ISBLANK({cached_price}),{input_price},{cached_price})",
     "The input price when no cached price is given."),
    ("api_cost_per_request", "API cost per request", "$ / request",
     "=({input_tokens}*(1-{cached_share})*{input_price}+{input_tokens}*{cached_share}"
     "*{cached_price_used}+{output_tokens}*{output_price})/{tokens_per_million}*(1-{batch_discount})",
     "(in × (1 − cached) × p_in + in × cached × p_cached + out × p_out) / 1M"
     " × (1 − batch discount)"),
    "One replica",
    ("replica_monthly_cost", "Replica monthly cost", "$ / month",
     "={hourly_rate}*{gpus_per_replica}*{hours_per_month}", "hourly rate × GPUs × hours"),
    ("replica_capacity", "Replica capacity at 100 %", "requests / month",
     "={replica_throughput}*{seconds_per_hour}*{hours_per_month}", "throughput × 3600 × hours"),
    ("usable_capacity", "Usable capacity per replica", "requests / month",
     "={replica_capacity}*{max_utilization}/{peak_to_average}",
     "capacity × max utilization / peak-to-average"),
    "Fixed costs",
    ("ops_monthly_cost", "Ops staff cost", "$ / month",
     "={ops_fte}*{annual_cost_per_fte}/{months_per_year}", "FTE × annual cost / 12"),
    ("fixed_monthly_cost", "Fixed monthly cost", "$ / month",
     "={ops_monthly_cost}+{other_fixed_monthly_cost}", "ops staff + other fixed cost"),
    ("minimum_monthly_cost", "Minimum self-host bill", "$ / month",
     "=(1+{failover_replicas})*{replica_monthly_cost}+{fixed_monthly_cost}",
     "one serving replica + failover replicas, + fixed cost"),
    "Break-even",
    ("api_margin", "API margin per request", "$ / request",
     "={api_cost_per_request}-{variable_cost_per_request}", "API cost − variable self-host cost"),
    ("breakeven_gap", "Full replica's margin over its cost", "$ / month",
     "={usable_capacity}*{api_margin}-{replica_monthly_cost}",
     "K·a − C: break-even exists only when this is positive"),
    ("breakeven_reachable", "Break-even reachable?", "TRUE / FALSE", "={breakeven_gap}>0",
     "FALSE: the API is cheaper at every volume"),
    ("breakeven_replicas", "Serving replicas at break-even", "replicas",
     "=IF({breakeven_reachable},MAX(1,ROUNDUP(({fixed_monthly_cost}+{failover_replicas}"
     "*{replica_monthly_cost})/{breakeven_gap}-{replica_tolerance},0)),0)",
     "n* = max(1, ceil((fixed + failover × C) / (K·a − C)))"),
    ("breakeven_volume", "Break-even volume", "requests / month",
     "=IF({breakeven_reachable},({fixed_monthly_cost}+({failover_replicas}+{breakeven_replicas})"
     '*{replica_monthly_cost})/{api_margin},"never")',
     "(fixed + (failover + n*) × C) / a: where self-host meets the API bill"),
    ("breakeven_utilization", "Break-even utilization", "fraction",
     '=IF({api_margin}>0,{minimum_monthly_cost}/({replica_capacity}*{api_margin}),"never")',
     "minimum bill / (capacity × margin); above 100 % is out of reach on one replica"),
    "At the scenario's own volume",
    ("replicas_needed", "Replicas needed", "replicas",
     "=" + _replicas_at("{monthly_volume}"),
     "max(1, ceil(volume × peak / (capacity × max utilization))) + failover"),
    ("peak_requests_per_second", "Peak request rate", "requests / s",
     "={monthly_volume}/({hours_per_month}*{seconds_per_hour})*{peak_to_average}",
     "volume / (hours × 3600) × peak-to-average"),
    ("utilization", "Utilization of serving replicas", "fraction",
     "={monthly_volume}/(({replicas_needed}-{failover_replicas})*{replica_capacity})",
     "volume / (serving replicas × capacity)"),
    ("api_monthly_cost", "API monthly bill", "$ / month",
     "={monthly_volume}*{api_cost_per_request}", "volume × API cost per request"),
    ("selfhost_monthly_cost", "Self-host monthly cost (replicas + fixed)", "$ / month",
     "={replicas_needed}*{replica_monthly_cost}+{fixed_monthly_cost}",
     "replicas × replica cost + fixed cost"),
    ("selfhost_total_monthly_cost", "Self-host monthly bill", "$ / month",
     "={selfhost_monthly_cost}+{monthly_volume}*{variable_cost_per_request}",
     "+ volume × variable cost per request"),
    ("selfhost_cost_per_request", "Self-host cost per request", "$ / request",
     "={selfhost_total_monthly_cost}/{monthly_volume}", "self-host bill / volume"),
    ("monthly_savings", "Monthly savings from self-hosting", "$ / month",
     "={api_monthly_cost}-{selfhost_total_monthly_cost}", "API bill − self-host bill"),
    ("cheaper_option", "Cheaper option", "verdict",
     f"=IF(ABS({{selfhost_cost_per_request}}-{{api_cost_per_request}})<={{tolerance}}"
     f"*{{api_cost_per_request}},{_EVEN},IF({{selfhost_cost_per_request}}<{{api_cost_per_request}},"
     f"{_SELF},{_API}))",
     "Break-even within the tolerance, else the cheaper per request"),
    "Chart",
    ("chart_max_volume", "Largest volume on the chart", "requests / month",
     "={chart_span}*MAX(IF({breakeven_reachable},{breakeven_volume},0),{monthly_volume})",
     "chart span × the larger of break-even and own volume"),
)  # fmt: skip

#: headline rows of the Results sheet: (key, label, unit)
RESULT_ROWS = (
    ("monthly_volume", "Monthly volume", "requests / month"),
    ("cheaper_option", "Cheaper option at this volume", "verdict"),
    ("api_cost_per_request", "API cost per request", "$ / request"),
    ("selfhost_cost_per_request", "Self-host cost per request", "$ / request"),
    ("api_monthly_cost", "API monthly bill", "$ / month"),
    ("selfhost_total_monthly_cost", "Self-host monthly bill", "$ / month"),
    ("monthly_savings", "Monthly savings from self-hosting", "$ / month"),
    ("replicas_needed", "Replicas needed (incl. failover)", "replicas"),
    ("utilization", "Utilization of serving replicas", "fraction"),
    ("peak_requests_per_second", "Peak request rate", "requests / s"),
    ("breakeven_volume", "Break-even volume", "requests / month"),
    ("breakeven_utilization", "Break-even utilization (one replica)", "fraction"),
    ("minimum_monthly_cost", "Minimum self-host bill", "$ / month"),
)

#: the article's by-utilization table as published (rounded), for comparison
ARTICLE_TABLE = (
    (0.05, "~260,000", "~$0.0055", "~$0.00125", "API"),
    (0.25, "~1,300,000", "~$0.0011", "~$0.00125", "≈ break-even"),
    (0.60, "~3,100,000", "~$0.00046", "~$0.00125", "Self-host"),
    (0.90, "~4,600,000", "~$0.00031", "~$0.00125", "Self-host"),
)
ARTICLE_SOURCE = "Self-hosting vs API article (seed), worked example table, updated 2026-06-13"


@dataclass
class _Layout:
    """Where each quantity lives: per-scenario rows and single constant cells."""

    rows: dict[str, tuple[str, int]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    def formula(self, template: str, column: str, sheet: str, **extra: str) -> str:
        """`template` with each {name} replaced by its cell for the scenario in `column`."""
        cells: dict[str, str] = dict(self.constants)
        for name, (home, row) in self.rows.items():
            prefix = "" if home == sheet else f"{quote_sheetname(home)}!"
            cells[name] = f"{prefix}{column}{row}"
        cells.update(extra)
        return template.format_map(cells)


def build(scenario_set: ScenarioSet) -> Workbook:
    """The template workbook for `scenario_set`, with native formulas only."""
    scenarios = scenario_set.scenarios
    columns = [get_column_letter(FIRST_COLUMN + k) for k in range(len(scenarios))]
    layout = _Layout()
    book = Workbook()
    start = book.active
    start.title = START
    sheets = {
        name: book.create_sheet(name)
        for name in (INPUTS, CALCULATIONS, RESULTS, TABLE, CHART_DATA, CHECKS)
    }

    _inputs(sheets[INPUTS], scenario_set, columns, layout, book)
    _calculations(sheets[CALCULATIONS], columns, layout, book)
    _checks(sheets[CHECKS], columns, layout, len(scenario_set.utilizations))
    book.defined_names["master_check"] = DefinedName(
        "master_check", attr_text=_absolute(CHECKS, "B3")
    )
    _results(sheets[RESULTS], columns, layout)
    _table(sheets[TABLE], columns, layout, scenario_set.utilizations)
    _charts(sheets[CHART_DATA], sheets[RESULTS], scenarios, columns, layout)
    _start(start, columns, layout)

    for sheet in book.worksheets:
        sheet.protection.sheet = True  # formulas locked, input cells unlocked
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.calculation.fullCalcOnLoad = True
    return book


# --- sheets --------------------------------------------------------------------------------


def _inputs(
    ws: Worksheet, scenario_set: ScenarioSet, columns: list[str], layout: _Layout, book: Workbook
) -> None:
    unit_col, note_col = _trailing_columns(columns)
    _title(
        ws, "Inputs", "Blue cells on a pale fill are inputs: change them. One assumption per row."
    )
    _header(
        ws, 4, ["Assumption", *[f"Scenario {k + 1}" for k in range(len(columns))], "Unit", "Note"]
    )
    _widths(ws, columns, unit_col, note_col)
    ws.freeze_panes = "B5"

    row = 5
    for key, label, values in (
        ("scenario_name", "Scenario", [s.name for s in scenario_set.scenarios]),
        ("description", "Description", [s.description for s in scenario_set.scenarios]),
    ):
        ws.cell(row, 1, label)
        for column, value in zip(columns, values, strict=True):
            cell = ws[f"{column}{row}"]
            _text(cell, value)
            _style_input(cell)
            cell.alignment = styles.WRAP
        _define(book, key, INPUTS, columns, row)
        layout.rows[key] = (INPUTS, row)
        row += 1
    ws.row_dimensions[6].height = 75

    for section, names in SECTIONS:
        row += 1
        ws.cell(row, 1, section).font = styles.SECTION_FONT
        row += 1
        for name in names:
            info = FIELDS[name]
            ws.cell(row, 1, info.label)
            for column, scenario in zip(columns, scenario_set.scenarios, strict=True):
                cell = ws[f"{column}{row}"]
                cell.value = getattr(scenario, name)
                cell.number_format = styles.UNIT_FORMATS[info.unit]
                _style_input(cell)
            ws[f"{unit_col}{row}"] = info.unit
            _text(ws[f"{note_col}{row}"], info.note)
            ws[f"{note_col}{row}"].font = styles.NOTE_FONT
            _validate(ws, name, f"{columns[0]}{row}:{columns[-1]}{row}")
            _define(book, name, INPUTS, columns, row)
            layout.rows[name] = (INPUTS, row)
            row += 1

    row += 1
    ws.cell(row, 1, "By-utilization table").font = styles.SECTION_FONT
    row += 1
    first = row
    for k, share in enumerate(scenario_set.utilizations, 1):
        ws.cell(row, 1, f"Utilization {k}")
        cell = ws[f"{columns[0]}{row}"]
        cell.value = share
        cell.number_format = styles.PERCENT
        _style_input(cell)
        ws[f"{unit_col}{row}"] = "fraction"
        _validate(ws, "utilizations", cell.coordinate)
        layout.constants[f"utilization_{k}"] = _absolute(INPUTS, cell.coordinate)
        row += 1
    book.defined_names["utilizations"] = DefinedName(
        "utilizations", attr_text=_absolute(INPUTS, f"{columns[0]}{first}:{columns[0]}{row - 1}")
    )

    row += 1
    ws.cell(row, 1, "Constants (not inputs)").font = styles.SECTION_FONT
    row += 1
    for name, label, value, unit, note in CONSTANTS:
        ws.cell(row, 1, label)
        cell = ws[f"{columns[0]}{row}"]
        cell.value = value
        cell.fill = styles.CONSTANT_FILL
        ws[f"{unit_col}{row}"] = unit
        _text(ws[f"{note_col}{row}"], note)
        ws[f"{note_col}{row}"].font = styles.NOTE_FONT
        layout.constants[name] = _absolute(INPUTS, cell.coordinate)
        book.defined_names[name] = DefinedName(name, attr_text=layout.constants[name])
        row += 1

    row += 1
    ws.cell(row, 1, "Sources (figure: where it came from, and when)").font = styles.SECTION_FONT
    row += 1
    for scenario in scenario_set.scenarios:
        for name, source in scenario.sources.items():
            _text(ws.cell(row, 1), f"{scenario.name}: {FIELDS[name].label}")
            _text(ws.cell(row, 2), source)
            ws.cell(row, 2).font = styles.NOTE_FONT
            row += 1


def _calculations(ws: Worksheet, columns: list[str], layout: _Layout, book: Workbook) -> None:
    unit_col, note_col = _trailing_columns(columns)
    _title(ws, "Calculations", "Native formulas, one quantity per row. Do not type over them.")
    _header(
        ws, 4, ["Quantity", *[f"Scenario {k + 1}" for k in range(len(columns))], "Unit", "Formula"]
    )
    _widths(ws, columns, unit_col, note_col)
    ws.freeze_panes = "B5"
    row = 5
    _scenario_names(ws, row, columns, layout)
    row += 1
    # every row is registered before any formula is written: formulas refer to later rows too
    plan: list[tuple[int, tuple[str, str, str, str, str]]] = []
    for entry in CALCULATION_ROWS:
        row += 1
        if isinstance(entry, str):
            ws.cell(row, 1, entry).font = styles.SECTION_FONT
            continue
        layout.rows[entry[0]] = (CALCULATIONS, row)
        plan.append((row, entry))
    for row, (key, label, unit, template, note) in plan:
        ws.cell(row, 1, label)
        for column in columns:
            cell = ws[f"{column}{row}"]
            cell.value = layout.formula(template, column, CALCULATIONS)
            cell.number_format = styles.UNIT_FORMATS[unit]
            cell.font = styles.FORMULA_FONT
        ws[f"{unit_col}{row}"] = unit
        _text(ws[f"{note_col}{row}"], note)
        ws[f"{note_col}{row}"].font = styles.NOTE_FONT
        if key in model.OUTPUTS:
            _define(book, key, CALCULATIONS, columns, row)


def _checks(ws: Worksheet, columns: list[str], layout: _Layout, n_utilizations: int) -> None:
    _title(ws, "Checks", "Every cell below must be TRUE. The master check sums them up.")
    ws["A3"] = "Master check"
    ws["A3"].font = styles.HEADER_FONT
    _header(ws, 5, ["Check", *[f"Scenario {k + 1}" for k in range(len(columns))]])
    _widths(ws, columns, None, None)
    ws.column_dimensions["A"].width = 58
    row = 6
    _scenario_names(ws, row, columns, layout)
    checks: list[tuple[str, str]] = []
    for _, names in SECTIONS:
        for name in names:
            condition = bound_of(name).excel_condition(f"{{{name}}}")
            if name == "cached_price":
                condition = f"OR(ISBLANK({{{name}}}),{condition})"
            checks.append((f"{FIELDS[name].label} is valid", "=" + condition))
    checks += [
        ("Break-even volume: self-host bill equals the API bill",
         "=IF({breakeven_reachable},ABS(" + _selfhost_bill_at("{breakeven_volume}")
         + "-{breakeven_volume}*{api_cost_per_request})<={check_tolerance}*{breakeven_volume}"
         "*{api_cost_per_request},TRUE)"),
        ("Break-even utilization: cost per request equals the API's",
         "=IF(ISNUMBER({breakeven_utilization}),IF({breakeven_utilization}>0,"
         "ABS({minimum_monthly_cost}/({replica_capacity}*{breakeven_utilization})"
         "+{variable_cost_per_request}-{api_cost_per_request})<={check_tolerance}"
         "*{api_cost_per_request},TRUE),TRUE)"),
        ("Replicas needed cover the peak within max utilization",
         "={monthly_volume}*{peak_to_average}/({replica_capacity}*{max_utilization})"
         "<={replicas_needed}-{failover_replicas}+{replica_tolerance}"),
        ("Bills add up: API bill − self-host bill = savings",
         "=ABS({api_monthly_cost}-{selfhost_total_monthly_cost}-{monthly_savings})"
         "<={check_tolerance}*MAX({api_monthly_cost},{selfhost_total_monthly_cost})"),
    ]  # fmt: skip
    first = row + 1
    for label, template in checks:
        row += 1
        ws.cell(row, 1, label)
        for column in columns:
            _check_cell(ws[f"{column}{row}"], layout.formula(template, column, CHECKS))
    row += 1
    ws.cell(row, 1, "Table utilizations are valid (above 0, up to 100 %)")
    bound = bound_of("utilizations")
    conditions = [
        bound.excel_condition(layout.constants[f"utilization_{k}"])
        for k in range(1, n_utilizations + 1)
    ]
    _check_cell(ws[f"{columns[0]}{row}"], f"=AND({','.join(conditions)})")
    checks_range = f"{columns[0]}{first}:{columns[-1]}{row}"
    first_cell = f"{columns[0]}{first}"
    ws["B3"] = f'=IF(AND({checks_range}),"OK","CHECK FAILED")'
    ws["B3"].font = styles.HEADER_FONT
    _verdict_colours(ws, "B3", ok='"OK"', bad='"CHECK FAILED"')
    ws.conditional_formatting.add(
        # blank cells equal FALSE too: only a real FALSE is a failed check
        checks_range,
        FormulaRule(
            formula=[f"AND(ISLOGICAL({first_cell}),NOT({first_cell}))"], fill=_fill("F8CBAD")
        ),
    )


def _results(ws: Worksheet, columns: list[str], layout: _Layout) -> None:
    unit_col, _ = _trailing_columns(columns)
    _title(
        ws, "Results", "Headline figures per scenario; charts of monthly cost against volume below."
    )
    _header(ws, 4, ["Result", *[f"Scenario {k + 1}" for k in range(len(columns))], "Unit"])
    _widths(ws, columns, unit_col, None)
    row = 5
    _scenario_names(ws, row, columns, layout)
    row = _output_rows(ws, row + 1, RESULT_ROWS, columns, layout, unit_col)
    ws.cell(row, 1, "Master check (see Checks)")
    ws[f"{columns[0]}{row}"] = "=master_check"
    _verdict_colours(ws, f"{columns[0]}{row}", ok='"OK"', bad='"CHECK FAILED"')


def _table(
    ws: Worksheet, columns: list[str], layout: _Layout, utilizations: tuple[float, ...]
) -> None:
    _title(
        ws,
        "Cost by utilization",
        "The article's table for each scenario, on its minimum self-host bill.",
    )
    for k, width in enumerate((26, 27, 27, 22, 16, 4, 14, 16, 18, 18, 16), 1):
        ws.column_dimensions[get_column_letter(k)].width = width
    row = 4
    for column in columns:
        ws.cell(
            row, 1, layout.formula("={scenario_name}", column, TABLE)
        ).font = styles.SECTION_FONT
        row += 1
        _header(ws, row, list(model.TABLE_LABELS))
        for k in range(1, len(utilizations) + 1):
            row += 1
            share = layout.constants[f"utilization_{k}"]
            cells = (
                ("={u}", styles.PERCENT),
                ("={replica_capacity}*{u}", styles.COUNT),
                ("={minimum_monthly_cost}/({replica_capacity}*{u})+{variable_cost_per_request}",
                 styles.MONEY_PER_REQUEST),
                ("={api_cost_per_request}", styles.MONEY_PER_REQUEST),
                (f"=IF(ABS({{s}}-{{a}})<={{tolerance}}*{{a}},{_EVEN},IF({{s}}<{{a}},{_SELF},{_API}))",
                 styles.TEXT),
            )  # fmt: skip
            for index, (template, number_format) in enumerate(cells, 1):
                cell = ws.cell(row, index)
                cell.value = layout.formula(
                    template, column, TABLE, u=share, s=f"C{row}", a=f"D{row}"
                )
                cell.number_format = number_format
        row += 1
        ws.cell(row, 1, "Break-even utilization")
        cell = ws.cell(row, 3, layout.formula("={breakeven_utilization}", column, TABLE))
        cell.number_format = styles.PERCENT
        row += 2

    ws["G4"] = "As published in the article (rounded)"
    ws["G4"].font = styles.SECTION_FONT
    _header(
        ws,
        5,
        ["Utilization", "Requests/month", "GPU cost/request", "API cost/request", "Cheaper"],
        first_column=7,
    )
    for k, published in enumerate(ARTICLE_TABLE, 6):
        for index, value in enumerate(published, 7):
            cell = ws.cell(k, index, value)
            if index == 7:
                cell.number_format = styles.PERCENT
    _text(ws.cell(6 + len(ARTICLE_TABLE), 7), ARTICLE_SOURCE)
    ws.cell(6 + len(ARTICLE_TABLE), 7).font = styles.NOTE_FONT


def _charts(
    data: Worksheet, results: Worksheet, scenarios: Iterable, columns: list[str], layout: _Layout
) -> None:
    _title(
        data, "Chart data", "Monthly cost of each option across volumes, for the charts on Results."
    )
    points = CHART_POINTS
    first = 7
    data.cell(first - 1, 1, "Step").font = styles.HEADER_FONT
    for step in range(points + 1):
        data.cell(first + step, 1, step)
    anchor_row = 6 + len(RESULT_ROWS) + 4
    for k, (column, scenario) in enumerate(zip(columns, scenarios, strict=True)):
        left = 2 + 4 * k
        vol, api, own = (get_column_letter(left + i) for i in range(3))
        data.cell(
            3, left, layout.formula("={scenario_name}", column, CHART_DATA)
        ).font = styles.SECTION_FONT
        data.cell(4, left, "Break-even volume")
        data.cell(4, left + 1, "Monthly cost there")
        data.cell(
            5,
            left,
            layout.formula('=IF({breakeven_reachable},{breakeven_volume},"")', column, CHART_DATA),
        )
        data.cell(
            5,
            left + 1,
            layout.formula(
                '=IF({breakeven_reachable},{breakeven_volume}*{api_cost_per_request},"")',
                column,
                CHART_DATA,
            ),
        )
        _header(data, first - 1, ["Volume", "API", "Self-host"], first_column=left)
        for step in range(points + 1):
            r = first + step
            volume = f"{vol}{r}"
            data[volume] = layout.formula(
                "=$A{r}/{chart_points}*{chart_max_volume}", column, CHART_DATA, r=str(r)
            )
            data[f"{api}{r}"] = layout.formula(
                "={v}*{api_cost_per_request}", column, CHART_DATA, v=volume
            )
            data[f"{own}{r}"] = layout.formula(
                "=" + _selfhost_bill_at("{v}"), column, CHART_DATA, v=volume
            )
            for letter in (vol, api, own):
                data[f"{letter}{r}"].number_format = styles.COUNT
        for offset, width in enumerate((16, 14, 14, 3)):
            data.column_dimensions[get_column_letter(left + offset)].width = width

        chart = ScatterChart()
        chart.title = f"{scenario.name}: monthly cost against volume"
        chart.style = 13
        chart.height, chart.width = 8.5, 16
        chart.x_axis.title = "Requests per month"
        chart.y_axis.title = "Monthly cost ($)"
        chart.x_axis.number_format = "#,##0"
        chart.y_axis.number_format = '"$"#,##0'
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        xs = Reference(data, min_col=left, min_row=first, max_row=first + points)
        for offset, title, colour in ((1, "API", "C00000"), (2, "Self-host", "2F5597")):
            ys = Reference(data, min_col=left + offset, min_row=first, max_row=first + points)
            series = Series(ys, xs, title=title)
            series.marker = Marker(symbol="none")
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22000
            series.smooth = False
            chart.series.append(series)
        marker = Series(
            Reference(data, min_col=left + 1, min_row=5, max_row=5),
            Reference(data, min_col=left, min_row=5, max_row=5),
            title="Break-even",
        )
        marker.marker = Marker(symbol="diamond", size=12)
        marker.marker.graphicalProperties = GraphicalProperties(solidFill="FFC000")
        marker.marker.graphicalProperties.line.solidFill = "7F6000"
        marker.graphicalProperties.line.noFill = True
        chart.series.append(marker)
        results.add_chart(chart, f"{'A' if k % 2 == 0 else 'D'}{anchor_row + 18 * (k // 2)}")


def _start(ws: Worksheet, columns: list[str], layout: _Layout) -> None:
    ws.column_dimensions["A"].width = 30
    for column in columns:
        ws.column_dimensions[column].width = 24
    ws["A1"] = "llm-breakeven: pay an API per token, or self-host an open-weight model?"
    ws["A1"].font = styles.TITLE_FONT
    lines = (
        ("What it answers", styles.SECTION_FONT),
        ("At what monthly volume does renting GPUs and serving a model yourself cost less than"
         " an API's per-token price, once idle time, headroom, peaks, failover and ops staff"
         " are counted?", None),
        ("How to use it", styles.SECTION_FONT),
        ("1. On Inputs, change the blue cells: one scenario per column, one assumption per row.",
         None),
        ("2. Read Results: the verdict at your volume, the break-even volume and the charts.",
         None),
        ("3. By utilization compares each scenario with the article's cost-by-utilization"
         " table.", None),
        ("4. Checks must all be TRUE; the master check below says OK when they are.", None),
        ("No macros or add-ins are needed: every figure is a native formula.", None),
    )  # fmt: skip
    row = 3
    for text, font in lines:
        cell = ws.cell(row, 1, text)
        if font:
            cell.font = font
        row += 1
    row += 1
    ws.cell(row, 1, "Colour legend").font = styles.SECTION_FONT
    legend = (
        ("Input: change it", styles.INPUT_FONT, styles.INPUT_FILL),
        ("Formula: leave it", styles.FORMULA_FONT, None),
        ("Constant: not an input", styles.FORMULA_FONT, styles.CONSTANT_FILL),
        ("Check: must be TRUE", styles.FORMULA_FONT, styles.CHECK_FILL),
    )
    for text, font, fill in legend:
        row += 1
        cell = ws.cell(row, 1, text)
        cell.font = font
        if fill:
            cell.fill = fill
        cell.border = styles.BOX
    row += 2
    ws.cell(row, 1, "Master check").font = styles.HEADER_FONT
    ws.cell(row, 2, "=master_check").font = styles.HEADER_FONT
    _verdict_colours(ws, f"B{row}", ok='"OK"', bad='"CHECK FAILED"')
    row += 2
    ws.cell(row, 1, "At a glance").font = styles.SECTION_FONT
    row += 1
    glance = (
        ("scenario_name", "Scenario", "verdict"),
        ("cheaper_option", "Cheaper at its own volume", "verdict"),
        ("breakeven_volume", "Break-even volume", "requests / month"),
    )
    _output_rows(ws, row, glance, columns, layout)


# --- helpers --------------------------------------------------------------------------------


def _output_rows(
    ws: Worksheet,
    row: int,
    rows: Iterable[tuple[str, str, str]],
    columns: list[str],
    layout: _Layout,
    unit_col: str | None = None,
) -> int:
    """One row per (key, label, unit) showing that quantity per scenario; returns the next row."""
    for key, label, unit in rows:
        ws.cell(row, 1, label)
        for column in columns:
            cell = ws[f"{column}{row}"]
            cell.value = layout.formula(f"={{{key}}}", column, ws.title)
            cell.number_format = styles.UNIT_FORMATS[unit]
            if key in ("cheaper_option", "scenario_name"):
                cell.font = styles.HEADER_FONT
        if unit_col:
            ws[f"{unit_col}{row}"] = unit
        if key == "cheaper_option":
            verdicts = f"{columns[0]}{row}:{columns[-1]}{row}"
            _verdict_colours(ws, verdicts, ok=_SELF, bad=_API, even=_EVEN)
        row += 1
    return row


def _trailing_columns(columns: list[str]) -> tuple[str, str]:
    """The unit and note columns, right of the scenarios."""
    last = FIRST_COLUMN + len(columns)
    return get_column_letter(last), get_column_letter(last + 1)


def _widths(ws: Worksheet, columns: list[str], unit_col: str | None, note_col: str | None) -> None:
    ws.column_dimensions["A"].width = 40
    for column in columns:
        ws.column_dimensions[column].width = 22
    if unit_col:
        ws.column_dimensions[unit_col].width = 18
    if note_col:
        ws.column_dimensions[note_col].width = 70


def _title(ws: Worksheet, title: str, subtitle: str) -> None:
    ws["A1"] = title
    ws["A1"].font = styles.TITLE_FONT
    ws["A2"] = subtitle
    ws["A2"].font = styles.NOTE_FONT


def _header(ws: Worksheet, row: int, labels: list[str], first_column: int = 1) -> None:
    for offset, label in enumerate(labels):
        cell = ws.cell(row, first_column + offset, label)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.HEADER_FILL


def _scenario_names(ws: Worksheet, row: int, columns: list[str], layout: _Layout) -> None:
    ws.cell(row, 1, "Scenario").font = styles.HEADER_FONT
    for column in columns:
        cell = ws[f"{column}{row}"]
        cell.value = layout.formula("={scenario_name}", column, ws.title)
        cell.font = styles.HEADER_FONT
        cell.alignment = styles.WRAP


def _text(cell, value: str) -> None:
    """Store text as text, even when it starts with "=" (never as a formula)."""
    cell.value = value
    cell.data_type = "s"


def _style_input(cell) -> None:
    cell.font = styles.INPUT_FONT
    cell.fill = styles.INPUT_FILL
    cell.protection = styles.UNLOCKED
    cell.border = styles.BOX


def _check_cell(cell, formula: str) -> None:
    cell.value = formula
    cell.fill = styles.CHECK_FILL
    cell.number_format = styles.BOOLEAN


def _validate(ws: Worksheet, name: str, cells: str) -> None:
    bound = bound_of(name)
    top_left = cells.split(":")[0]
    rule = DataValidation(
        type="custom",
        formula1=bound.excel_condition(top_left),
        allow_blank=name == "cached_price",
        showErrorMessage=True,
        errorTitle="Invalid input",
        error=f"{name} must be {bound.describe()}",
    )
    rule.add(cells)
    ws.add_data_validation(rule)


def _define(book: Workbook, name: str, sheet: str, columns: list[str], row: int) -> None:
    book.defined_names[name] = DefinedName(
        name, attr_text=_absolute(sheet, f"{columns[0]}{row}:{columns[-1]}{row}")
    )


def _absolute(sheet: str, cells: str) -> str:
    parts = []
    for ref in cells.split(":"):
        letters = "".join(ch for ch in ref if ch.isalpha())
        digits = ref[len(letters) :]
        parts.append(f"${letters}${digits}")
    return f"{quote_sheetname(sheet)}!{':'.join(parts)}"


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour, bgColor=colour)


def _verdict_colours(ws: Worksheet, cells: str, ok: str, bad: str, even: str | None = None) -> None:
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=[ok], fill=_fill("C6EFCE"))
    )
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=[bad], fill=_fill("FFC7CE"))
    )
    if even:
        ws.conditional_formatting.add(
            cells, CellIsRule(operator="equal", formula=[even], fill=_fill("FFEB9C"))
        )
