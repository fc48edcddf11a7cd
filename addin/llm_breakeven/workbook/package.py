"""Saving a workbook byte for byte the same on every build, atomically, keeping a backup.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
by a fixed date so that two builds of the same scenarios are identical files.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Written:
    """What `write_file` did: whether the file changed, and where the old one was kept."""

    path: Path
    changed: bool
    backup: Path | None


def write_file(data: bytes, path: Path) -> Written:
    """Write `data` to `path` atomically, unless the file already holds exactly `data`.

    An existing file with other content (perhaps edited by a person) is kept beside it as
    NAME.backup-N.ext; the new file appears under `path` only once fully written.
    """
    if path.exists() and path.read_bytes() == data:
        return Written(path, changed=False, backup=None)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        backup = None
        if path.exists():
            backup = _free_backup_name(path)
            os.replace(path, backup)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Written(path, changed=True, backup=backup)


def _free_backup_name(path: Path) -> Path:
    number = 1
    while (candidate := path.with_name(f"{path.stem}.backup-{number}{path.suffix}")).exists():
        number += 1
    return candidate
