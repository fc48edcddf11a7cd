"""The template workbook: built by openpyxl from a scenarios file, native formulas only.

>>> from llm_breakeven.scenario import load
>>> data = workbook_bytes(build(load()))
>>> data[:2]
b'PK'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..files import FileRefused, Written, write_file
from ..scenario import ScenarioSet, load
from .builder import SHEETS, build
from .package import workbook_bytes

#: where `llm-breakeven build` writes when no --output is given: the current directory
DEFAULT_WORKBOOK_NAME = "llm-breakeven.xlsx"

__all__ = [
    "BUILD_STEPS",
    "DEFAULT_WORKBOOK_NAME",
    "Written",
    "build",
    "workbook_bytes",
    "write_workbook",
]


#: the steps `write_workbook` tells its `progress`: each sheet rendered, then saving
BUILD_STEPS = len(SHEETS) + 1


def write_workbook(
    path: str | Path | None = None,
    scenarios: ScenarioSet | None = None,
    progress: Callable[[str], None] | None = None,
) -> Written:
    """Build the workbook from `scenarios` (default: the embedded ones) and save it to `path`
    (default: llm-breakeven.xlsx in the current directory); `progress` is told each of the
    `BUILD_STEPS` steps as it ends.

    See `llm_breakeven.files.write_file`: atomic, and an existing file with other content is
    kept as a backup.
    """
    if not isinstance(path, str | Path | None):
        raise TypeError(f"write_workbook: path must be a path (got {type(path).__name__})")
    if not isinstance(scenarios, ScenarioSet | None):
        kind = type(scenarios).__name__
        raise TypeError(f"write_workbook: scenarios must be a ScenarioSet (got {kind})")
    target = Path(path if path is not None else DEFAULT_WORKBOOK_NAME).expanduser()
    book = build(scenarios if scenarios is not None else load(), progress)
    written = write_file(workbook_bytes(book), target, verify=_opens)
    if progress is not None:
        progress("saved")
    return written


def _opens(path: Path) -> None:
    """Refuse to let a workbook replace anything unless it opens again, every sheet."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(max_row=1):
                pass
        book.close()
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise FileRefused(
            f"the workbook built for {path.name} does not open again ({exc})"
        ) from None
