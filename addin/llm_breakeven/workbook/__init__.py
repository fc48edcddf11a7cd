"""The template workbook: built by openpyxl from a scenarios file, native formulas only.

>>> from llm_breakeven.scenario import load
>>> data = workbook_bytes(build(load()))
>>> data[:2]
b'PK'
"""

from __future__ import annotations

from pathlib import Path

from ..scenario import DEFAULT_SCENARIOS, ScenarioSet, load
from .builder import build
from .package import Written, workbook_bytes, write_file

#: where `llm-breakeven build` writes by default: beside the embedded scenarios
DEFAULT_WORKBOOK = DEFAULT_SCENARIOS.with_name("llm-breakeven.xlsx")

__all__ = ["DEFAULT_WORKBOOK", "Written", "build", "workbook_bytes", "write_workbook"]


def write_workbook(path: str | Path | None = None, scenarios: ScenarioSet | None = None) -> Written:
    """Build the workbook from `scenarios` (default: the embedded ones) and save it to `path`.

    See `write_file`: atomic, and an existing file with other content is kept as a backup.
    """
    target = Path(path) if path is not None else DEFAULT_WORKBOOK
    return write_file(workbook_bytes(build(scenarios if scenarios is not None else load())), target)
