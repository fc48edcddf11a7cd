"""Reading a filled workbook back: its inputs by defined name, values only, safely.

A team fills the template, saves it from Excel or LibreOffice, and months later wants a fresh
template with the same numbers, the engine's results for them, or a check that nothing was
typed over. `read_workbook` reads every scenario input by its defined name (wherever the name
points now, in this template version or an earlier one), the spare columns someone filled
included, and reports each input as carried, defaulted (absent from that file) or rejected
(with the reason and the cell). Only values are read: never macros, links or formulas (a
formula's cached value is its value). `cached_outputs` reads the results the file last
showed, for `llm-breakeven check`.

A workbook is a zip of XML from whoever sent it, so it is refused before parsing when it is
not a regular file, is larger than `MAX_FILE_BYTES`, is not a zip, holds no workbook, or
would unpack to more than `MAX_UNPACKED_BYTES` (a zip bomb); the XML is parsed with
defusedxml (no entity expansion); and only the rows that hold inputs are read, so a sheet
claiming millions of rows costs nothing.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..quantities import (
    ADVICE_OUTPUTS,
    FIELDS,
    HYBRID_OUTPUTS,
    OUTPUTS,
    PROJECTION_OUTPUTS,
    QUANTITIES,
    YEAR_OUTPUTS,
)
from ..scenario import (
    DEFAULT_UTILIZATIONS,
    Scenario,
    ScenarioError,
    ScenarioSet,
    check_text,
    regular_file_size,
)

#: the largest workbook read, and the most its parts may unpack to
MAX_FILE_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 200_000_000
MAX_PARTS = 5_000
#: the widest input row read, in columns (a name claiming a whole row is refused)
MAX_COLUMNS = 200
#: where a workbook-wide setting or scenario text lives, besides the catalogue's inputs
TEXTS = ("scenario_name", "description")
SETTINGS = ("currency_symbol", "summary_chart_scenario")

#: a looked-up input's defined name names the value used (a formula); this prefix names the
#: cells where a number that wins over the look-up is typed
TYPED = "typed_"

_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


class WorkbookError(ScenarioError):
    """A workbook that cannot be read, with a one-line reason naming the file."""


@dataclass(frozen=True)
class Carried:
    """What became of one input: "carried", "defaulted" or "rejected" (with the reason)."""

    scenario: str
    field: str
    cell: str
    status: str
    value: Any = None
    reason: str = ""

    def line(self) -> str:
        where = f" ({self.cell})" if self.cell else ""
        detail = f": {self.reason}" if self.reason else f" = {self.value!r}"
        return f"{self.status:9} {self.scenario} / {self.field}{where}{detail}"


@dataclass(frozen=True)
class FilledWorkbook:
    """A filled workbook's scenarios (None when an input was rejected) and what became of
    every input, and where each scenario's column sits."""

    path: Path
    scenarios: ScenarioSet | None
    report: tuple[Carried, ...]
    #: the column index (from 0) of each scenario read, by name
    columns: Mapping[str, int]

    @property
    def rejected(self) -> list[Carried]:
        return [c for c in self.report if c.status == "rejected"]


def read_workbook(path: str | Path) -> FilledWorkbook:
    """Every input of a filled workbook, validated; see the module's docstring."""
    path = Path(path).expanduser()
    book = _open(path)
    try:
        return _read(path, book)
    finally:
        book.close()


#: the outputs a workbook shows per scenario that the engine recomputes
COMPARED = (*OUTPUTS, *HYBRID_OUTPUTS, *PROJECTION_OUTPUTS, *YEAR_OUTPUTS, *ADVICE_OUTPUTS)


def cached_outputs(path: str | Path) -> tuple[dict[str, list[Any]], dict[str, list[bool]]]:
    """The results a workbook last showed, by output name and scenario column, and which of
    those cells hold a formula (False: a constant typed over it)."""
    path = Path(path).expanduser()
    values = _named_rows(_open(path), COMPARED)
    formulas = _named_rows(_open(path, values=False), COMPARED)
    is_formula = {
        name: [isinstance(v, str) and v.startswith("=") for v in named.values]
        for name, named in formulas.items()
    }
    return {name: named.values for name, named in values.items()}, is_formula


# --- opening safely --------------------------------------------------------------------------


def _open(path: Path, values: bool = True) -> Any:
    """The workbook at `path`, read-only (cached values, or formulas), after the checks."""
    from openpyxl import load_workbook

    _check_file(path)
    try:
        return load_workbook(path, read_only=True, data_only=values, keep_links=False)
    except Exception as exc:  # openpyxl and the XML parser raise many kinds
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(f"{path}: not a workbook openpyxl can read ({reason})") from None


def _check_file(path: Path) -> None:
    if regular_file_size(path, "workbook", WorkbookError) > MAX_FILE_BYTES:
        raise WorkbookError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path}: not an .xlsx workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(f"{path}: a broken zip archive ({exc})") from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        raise WorkbookError(f"{path}: a zip archive with no workbook in it (no xl/workbook.xml)")
    if len(parts) > MAX_PARTS:
        raise WorkbookError(f"{path}: {len(parts):,} parts; a workbook has a few dozen")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            f"{path}: would unpack to {unpacked:,} bytes (over {MAX_UNPACKED_BYTES:,}): refused"
        )


# --- reading ---------------------------------------------------------------------------------


def _read(path: Path, book: Any) -> FilledWorkbook:
    wanted = (*TEXTS, *FIELDS, *(TYPED + f for f in FIELDS), "hourly_profile", "utilizations",
              *SETTINGS)  # fmt: skip
    rows = _named_rows(book, wanted)
    if "scenario_name" not in rows:
        raise WorkbookError(f"{path}: no scenario_name defined name; not an llm-breakeven workbook")
    sheet, names = rows["scenario_name"].sheet, rows["scenario_name"].values
    report: list[Carried] = []
    scenarios: list[dict[str, Any]] = []
    columns: dict[str, int] = {}
    for k, name in enumerate(names):
        if name is None or (isinstance(name, str) and not name.strip()):
            continue  # a blank column: not in use
        label = str(name)
        inputs, rejected = _column(rows, k, label, report)
        columns[label] = k
        if not rejected:
            scenarios.append({"name": label, **inputs})
    sources = _sources(book, sheet, [s["name"] for s in scenarios])
    utilizations = _utilizations(rows, report)
    settings = _settings(rows, report)
    built: ScenarioSet | None = None
    if not any(c.status == "rejected" for c in report):
        try:
            built = ScenarioSet(
                tuple(Scenario(**s, sources=sources.get(s["name"], {})) for s in scenarios),
                utilizations,
                **settings,
            )
        except ScenarioError as exc:
            report.append(Carried("(workbook)", "scenarios", "", "rejected", reason=str(exc)))
    return FilledWorkbook(path, built, tuple(report), columns)


def _column(
    rows: Mapping[str, Named], k: int, label: str, report: list[Carried]
) -> tuple[dict[str, Any], bool]:
    """One scenario column's inputs, each reported; whether any was rejected."""
    inputs: dict[str, Any] = {}
    rejected = False
    try:
        check_text("name", label)
    except ScenarioError as exc:
        report.append(Carried(label, "scenario_name", _cell(rows, "scenario_name", k),
                              "rejected", label, str(exc)))  # fmt: skip
        return inputs, True
    description = _value(rows, "description", k)
    if isinstance(description, str) and description:
        inputs["description"] = description
    for field, quantity in FIELDS.items():
        cell = _cell(rows, field, k)
        if field not in rows:
            if quantity.required:
                report.append(Carried(label, field, "", "rejected", None,
                                      "absent from this workbook"))  # fmt: skip
                rejected = True
            else:
                report.append(Carried(label, field, "", "defaulted", quantity.default))
            continue
        value = _value(rows, field, k)
        typed = _value(rows, TYPED + field, k)
        if typed is not None and typed != "":  # a number typed wins over the look-up
            value, cell = typed, _cell(rows, TYPED + field, k)
        if quantity.choices:
            text = value.strip() if isinstance(value, str) else value
            if text is None or text == "":
                report.append(Carried(label, field, cell, "defaulted", quantity.default))
            elif text in quantity.choices:
                inputs[field] = text
                report.append(Carried(label, field, cell, "carried", text))
            else:
                why = quantity.violation(str(text)) or f"{field} is not valid"
                report.append(Carried(label, field, cell, "rejected", value, why))
                rejected = True
            continue
        number, reason = _number(field, value)
        if reason is None and number is None and quantity.required:
            reason = f"{field} is required (the cell is blank)"
        if reason is not None:
            report.append(Carried(label, field, cell, "rejected", value, reason))
            rejected = True
            continue
        if number is not None:
            inputs[field] = number
        elif quantity.default is None:
            inputs[field] = None
        report.append(Carried(label, field, cell, "carried", number))
    if "hourly_profile" in rows:
        profile, refused = _profile(rows["hourly_profile"], k)
        cell = _cell(rows, "hourly_profile", k)
        if refused is not None:
            report.append(Carried(label, "hourly_profile", cell, "rejected", None, refused))
            rejected = True
        elif profile is not None and len(set(profile)) == 1:  # flat: the default
            report.append(Carried(label, "hourly_profile", cell, "defaulted", None))
        else:
            inputs["hourly_profile"] = profile
            report.append(Carried(label, "hourly_profile", cell, "carried", profile))
    else:
        report.append(Carried(label, "hourly_profile", "", "defaulted", None))
    return inputs, rejected


def _profile(named: Named, k: int) -> tuple[tuple[float, ...] | None, str | None]:
    """Scenario column `k` of the hourly profile (24 rows, a column per scenario)."""
    from .. import model

    width = len(named.values) // HOURS
    weights = []
    for hour in range(HOURS):
        value = named.values[hour * width + k] if k < width else None
        number, reason = _number("hourly_profile", value)
        if reason is not None:
            return None, reason
        weights.append(0.0 if number is None else number)
    try:
        return tuple(float(w) for w in model.profile(weights)), None
    except ValueError as exc:
        return None, str(exc)


#: the hours of a workbook's profile
HOURS = 24


def _number(field: str, value: Any) -> tuple[float | None, str | None]:
    """A cell's value as a valid number of `field`, None for a blank, or the reason not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"{field} must be a number (got {value!r})"
    number = float(value)
    if not math.isfinite(number):
        return None, f"{field} must be a finite number (got {value!r})"
    reason = QUANTITIES[field].violation(number, scenario=True)
    return (None, reason) if reason else (number, None)


def _utilizations(rows: Mapping[str, Named], report: list[Carried]) -> tuple[float, ...]:
    if "utilizations" not in rows:
        report.append(Carried("(workbook)", "utilizations", "", "defaulted", DEFAULT_UTILIZATIONS))
        return DEFAULT_UTILIZATIONS
    values = rows["utilizations"].values
    shares = []
    for k, value in enumerate(values):
        number, reason = _number("utilizations", value)
        if number is not None:
            reason = QUANTITIES["utilizations"].violation(number)
        cell = _cell(rows, "utilizations", k)
        if reason is None and number is not None:
            shares.append(number)
        elif reason is None:  # a cleared row: the table has one row fewer
            report.append(Carried("(workbook)", "utilizations", cell, "defaulted", None,
                                  "blank: left out of the table"))  # fmt: skip
        else:
            report.append(Carried("(workbook)", "utilizations", cell, "rejected", value, reason))
    report.append(Carried("(workbook)", "utilizations", "", "carried", tuple(shares)))
    return tuple(shares)


def _settings(rows: Mapping[str, Named], report: list[Carried]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for name in SETTINGS:
        if name not in rows:
            report.append(Carried("(workbook)", name, "", "defaulted"))
            continue
        value = rows[name].values[0]
        if name == "summary_chart_scenario":
            good = isinstance(value, int | float) and not isinstance(value, bool) and \
                float(value).is_integer()  # fmt: skip
            value = int(value) if good else value
        else:
            good = isinstance(value, str) and bool(value)
        if good:
            settings[name] = value
            report.append(Carried("(workbook)", name, _cell(rows, name, 0), "carried", value))
        else:
            report.append(Carried("(workbook)", name, _cell(rows, name, 0), "rejected", value,
                                  f"{name} is not valid (got {value!r})"))  # fmt: skip
    return settings


def _sources(book: Any, sheet: str, names: Sequence[str]) -> dict[str, dict[str, str]]:
    """Each scenario's sources, from the Inputs sheet's rows "Field label, ... (1, 3): text"
    (`assumptions.plan_sources`: the scenarios by number, in the order of `names`), or, in a
    workbook built before them, "Name: Field label" | text."""
    labels = {q.label: field for field, q in FIELDS.items()}
    labels[QUANTITIES["hourly_profile"].label] = "hourly_profile"
    found: dict[str, dict[str, str]] = {}
    if sheet not in book.sheetnames:
        return found
    for first, second in book[sheet].iter_rows(min_col=1, max_col=2, values_only=True):
        if not isinstance(first, str):
            continue
        backed: list[tuple[str, str, str]] = []  # (scenario, field, text)
        match = _SOURCE.match(first)
        if match:
            numbers = [int(n) for n in match["numbers"].split(", ")]
            backed = [(names[n - 1], field, match["text"])
                      for field in _labelled(match["labels"], labels)
                      for n in numbers if 1 <= n <= len(names)]  # fmt: skip
        elif isinstance(second, str):
            # a name or a label may hold ": " itself: the row is the name, ": ", a known label
            backed = [(n, labels[first[len(n) + 2 :]], second) for n in names
                      if first.startswith(n + ": ") and first[len(n) + 2 :] in labels]  # fmt: skip
        for name, field, text in backed:
            try:
                check_text("source", text, lines=True)
            except ScenarioError:
                continue
            found.setdefault(name, {})[field] = text
    return found


#: a source's row: the figures it backs, the scenarios by number, its text
_SOURCE = re.compile(r"(?P<labels>.+?) \((?P<numbers>\d+(?:, \d+)*)\): (?P<text>.+)", re.DOTALL)


def _labelled(text: str, labels: Mapping[str, str]) -> list[str]:
    """The fields of `text`, known labels joined by ", " (a label may hold a comma); none
    where a part is no label."""
    fields: list[str] = []
    while text:
        label = max((k for k in labels if text == k or text.startswith(k + ", ")),
                    key=len, default=None)  # fmt: skip
        if label is None:
            return []
        fields.append(labels[label])
        text = text[len(label) + 2 :]
    return fields


# --- cells by defined name -------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """The cells of one defined name: its sheet, top-left cell, direction and values."""

    sheet: str
    left: int
    top: int
    across: bool
    values: list[Any]

    def cell(self, k: int) -> str:
        """The k-th cell (from 0), e.g. 'Inputs'!C18."""
        from openpyxl.utils import get_column_letter, quote_sheetname

        column, row = (self.left + k, self.top) if self.across else (self.left, self.top + k)
        return f"{quote_sheetname(self.sheet)}!{get_column_letter(column)}{row}"


def _named_rows(book: Any, wanted: Iterable[str]) -> dict[str, Named]:
    """Each defined name in `wanted` that the book has, with the values of its cells (a row
    or a column), read in one pass over the rows each sheet needs."""
    places: dict[str, tuple[str, int, int, int, int]] = {}
    for name in wanted:
        if name not in book.defined_names:
            continue
        destinations = list(book.defined_names[name].destinations)
        if len(destinations) != 1:
            continue
        sheet, ref = destinations[0]
        match = _REFERENCE.match(ref)
        if sheet not in book.sheetnames or match is None:
            continue
        first_col, first_row, last_col, last_row = match.groups()
        left, top = _column_number(first_col), int(first_row)
        right = _column_number(last_col) if last_col else left
        bottom = int(last_row) if last_row else top
        if right - left >= MAX_COLUMNS or bottom - top >= MAX_COLUMNS:
            raise WorkbookError(f"the defined name {name} covers {ref}: too large for an input")
        places[name] = (sheet, left, top, right, bottom)
    found: dict[str, Named] = {}
    for sheet in sorted({p[0] for p in places.values()}):
        mine = {n: p for n, p in places.items() if p[0] == sheet}
        top = min(p[2] for p in mine.values())
        bottom = max(p[4] for p in mine.values())
        right = max(p[3] for p in mine.values())
        rows = book[sheet].iter_rows(min_row=top, max_row=bottom, max_col=right, values_only=True)
        grid = dict(enumerate(rows, top))
        for name, (_, left, first, last_col, last) in mine.items():
            values = [
                grid.get(r, ())[c - 1] if c - 1 < len(grid.get(r, ())) else None
                for r in range(first, last + 1)
                for c in range(left, last_col + 1)
            ]
            found[name] = Named(sheet, left, first, last == first, values)
    return found


def _value(rows: Mapping[str, Named], name: str, k: int) -> Any:
    values = rows[name].values if name in rows else []
    return values[k] if k < len(values) else None


def _cell(rows: Mapping[str, Named], name: str, k: int) -> str:
    return rows[name].cell(k) if name in rows else ""


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number
