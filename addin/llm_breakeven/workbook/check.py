"""Checking a filled workbook: its inputs valid, and every result it shows the engine's.

A workbook someone filled and saved holds the values Excel or LibreOffice last calculated.
`check_workbook` validates every input, recomputes every scenario with the engine, compares
each output the file shows, and names each that differs, and each result cell whose formula
was typed over with a constant (even where the constant still agrees: it will not follow the
inputs).

A fresh build carries the engine's results as its named outputs' cached values, so it checks
at once; a file saved by a tool that keeps no calculated values cannot be checked.

>>> from llm_breakeven.workbook import write_workbook
>>> import tempfile, pathlib, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "fresh.xlsx"
>>> report = check_workbook(write_workbook(path).path)
>>> report.ok, report.compared
(True, 280)
>>> openpyxl.load_workbook(path).save(path.with_name("stripped.xlsx"))
>>> check_workbook(path.with_name("stripped.xlsx")).problems[0]
'no calculated values: open the workbook in Excel or LibreOffice, save it, and check again'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..quantities import QUANTITIES
from .reader import COMPARED, FilledWorkbook, cached_outputs, read_workbook

#: a shown figure this close to the engine's (relative, or absolute near zero) agrees
TOLERANCE = 1e-9
#: what a sheet shows in place of a figure, and of a verdict or the recommendation, while
#: the scenario's inputs fail a check
HIDDEN, UNCHECKED = "–", "Inputs fail checks"


@dataclass
class CheckReport:
    """What `check_workbook` found: `ok` only when every input is valid and every result
    shown agrees with the engine."""

    workbook: FilledWorkbook
    problems: list[str] = field(default_factory=list)
    compared: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_workbook(path: str | Path) -> CheckReport:
    """Validate, recompute and compare a filled workbook; see the module's docstring."""
    filled = read_workbook(path)
    report = CheckReport(filled)
    for carried in filled.rejected:
        report.problems.append(f"input {carried.line().removeprefix('rejected').strip()}")
    if filled.scenarios is None:
        return report
    cached, is_formula = cached_outputs(filled.path)
    shown = [v for name in cached for v in cached[name] if v is not None and v != ""]
    if not shown:
        report.problems.append(
            "no calculated values: open the workbook in Excel or LibreOffice, save it, and "
            "check again"
        )
        return report
    expected = filled.scenarios.evaluate()
    for scenario, k in filled.columns.items():
        for output in COMPARED:
            if output not in cached:
                continue  # an earlier template without this output
            got = cached[output][k] if k < len(cached[output]) else None
            if got in (HIDDEN, UNCHECKED):  # none while the scenario's inputs fail a check
                continue
            want = expected.loc[scenario, output]
            report.compared += 1
            where = f"{scenario} / {output}"
            if not is_formula[output][k]:
                report.problems.append(f"{where}: the formula was typed over with {got!r}")
            elif not _agrees(got, want):
                engine = QUANTITIES[output].unit.show(_plain(want))
                report.problems.append(
                    f"{where}: the workbook shows {got!r}, the engine gives {engine}"
                )
    return report


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _agrees(got: Any, want: Any) -> bool:
    want = _plain(want)
    if isinstance(want, bool):
        return got in (want, int(want))
    if isinstance(want, str):
        return got == want
    if math.isinf(want):
        return got == "never"
    if isinstance(got, bool) or not isinstance(got, int | float):
        return False
    return math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
