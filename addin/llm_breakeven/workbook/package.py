"""A workbook's bytes, the same on every build of the same scenarios.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
by a fixed date so that two builds of the same scenarios are identical files. openpyxl writes
no cached value for a formula: where the workbook carries `cached_results` (output name ->
one value per scenario column, from the engine), those are written into the named output
cells, and into every formula that passes them on (`cached.values`), so a viewer that does
not recalculate shows them. Excel and LibreOffice recalculate on load all the same
(fullCalcOnLoad).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

from .sheetdata import FastExcelWriter

#: the date every build carries; change it only together with the committed workbook
BUILD_DATE = (2026, 1, 1, 0, 0, 0)
_W3C_DATE = "2026-01-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file of `workbook`, with fixed dates in its properties and zip entries."""
    raw = io.BytesIO()
    # stored, not compressed: the entries are compressed once, below
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True)
    FastExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        cached = _cached_cells(workbook)
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>" + _W3C_DATE.encode() + rb"\g<2>", data)
            if entry.filename in cached:
                data = _with_values(data, cached[entry.filename])
            info = zipfile.ZipInfo(entry.filename, date_time=BUILD_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return fixed.getvalue()


def _cached_cells(workbook: Workbook) -> dict[str, dict[str, tuple[str | None, str]]]:
    """By sheet part, the formula cells whose value is known at build (`cached.values`) and
    what to write into each: a type (None: a number, "str" or "b") and the value's text."""
    from .cached import values

    cells: dict[str, dict[str, tuple[str | None, str]]] = {}
    for (title, coordinate), value in values(workbook).items():
        shown = _shown(value)
        if shown is not None:
            part = f"xl/worksheets/sheet{workbook.sheetnames.index(title) + 1}.xml"
            cells.setdefault(part, {})[coordinate] = shown
    return cells


def _shown(value: Any) -> tuple[str | None, str] | None:
    """A result as its cell shows it: "never" for an infinite one, none for NaN."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, bool):
        return "b", str(int(value))
    if isinstance(value, str):
        return "str", escape(value)
    if isinstance(value, int | float):
        if math.isnan(value):
            return None
        return ("str", "never") if math.isinf(value) else (None, repr(float(value)))
    return None


#: a formula cell as openpyxl writes it, its value empty: `<v/>` (et_xmlfile) or `<v></v>`
#: (lxml, where installed); a formula's text holds no "<" (it is escaped)
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v(?: ?/>|></v>)</c>')


def _with_values(xml: bytes, cells: Mapping[str, tuple[str | None, str]]) -> bytes:
    def cached(match: re.Match[bytes]) -> bytes:
        found = cells.get(match.group(1).decode())
        if found is None:
            return match.group(0)
        kind, text = found
        typed = b"" if kind is None else b' t="' + kind.encode() + b'"'
        return (b'<c r="' + match.group(1) + b'"' + match.group(2) + typed + b"><f>"
                + match.group(3) + b"</f><v>" + text.encode() + b"</v></c>")  # fmt: skip

    return _FORMULA_CELL.sub(cached, xml)
