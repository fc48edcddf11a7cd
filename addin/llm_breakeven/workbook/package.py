"""A workbook's bytes, the same on every build of the same scenarios.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
by a fixed date so that two builds of the same scenarios are identical files.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

#: the date every build carries; change it only together with the committed workbook
BUILD_DATE = (2026, 1, 1, 0, 0, 0)
_W3C_DATE = "2026-01-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file of `workbook`, with fixed dates in its properties and zip entries."""
    raw = io.BytesIO()
    workbook.save(raw)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>" + _W3C_DATE.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(entry.filename, date_time=BUILD_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return fixed.getvalue()
