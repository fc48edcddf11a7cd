"""Writing files the user keeps: atomically, and never over an edited file without a backup.

Used by the workbook and the VBA writer alike; it knows nothing of what it writes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


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
