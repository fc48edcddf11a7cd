"""Where the figures come from: the board pack's page of key assumptions, and the sources.

The Assumptions sheet repeats the inputs a board argues about (from Inputs, as used), the
dates each scenario's sources span, and where those figures came from. A source is listed
once, however many figures and scenarios it backs: Inputs lists every source this way, so
a price quoted for three scenarios reads once, with the scenarios' numbers beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from .. import advice
from ..quantities import QUANTITIES
from ..scenario import Scenario
from . import styles, toolkit
from .layout import Plan, SheetPlan

ASSUMPTIONS = "Assumptions"

#: the inputs the page repeats (how traffic and prices move: Projection's page)
KEY_ASSUMPTIONS = advice.KEY_ASSUMPTIONS


def plan_assumptions(sheet: SheetPlan, plan: Plan, scenarios: Sequence[Scenario]) -> None:
    toolkit.sheet_head(sheet, plan, ASSUMPTIONS, "The assumptions the recommendation rests on "
                       "most, as used, with where each came from and when. Inputs holds them "
                       "all, to change.", "Assumption")  # fmt: skip
    toolkit.section_row(sheet, "Key assumptions (from Inputs)")
    for name in KEY_ASSUMPTIONS:
        sheet.add(toolkit.echo_row(plan, QUANTITIES[name]))
    sheet.add(_dates_row(plan, 0, "Oldest source"))
    sheet.add(_dates_row(plan, 1, "Newest source"))
    toolkit.section_row(sheet, "Where they came from: figure (scenarios): source, and when "
                        "(every source: Inputs)")  # fmt: skip
    plan_sources(sheet, plan, scenarios, KEY_ASSUMPTIONS)


def _dates_row(plan: Plan, end: int, label: str) -> Callable[[Worksheet, int], None]:
    """The oldest (`end` 0) or newest (1) date each scenario's sources name, as built."""

    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, label)
        for column, ends in zip(plan.columns, plan.source_dates, strict=False):
            cell = plan.at(ws, column, row)
            toolkit.set_text(cell, "undated" if ends is None else ends[end])
            styles.look(cell, font=styles.NOTE_FONT, alignment=styles.TOP_RIGHT)
        toolkit.unit_and_note(ws, plan, row, "date", "As built")

    return render


def plan_sources(
    sheet: SheetPlan,
    plan: Plan,
    scenarios: Sequence[Scenario],
    fields: Collection[str] | None = None,
) -> None:
    """One row a source (of `fields`, or of every figure): the figures it backs, the
    scenarios (by number) that use it, and its text, with its date."""
    backs: dict[str, tuple[list[str], list[int]]] = {}
    for number, scenario in enumerate(scenarios, 1):
        for name, text in scenario.sources.items():
            if fields is not None and name not in fields:
                continue
            labels, numbers = backs.setdefault(text, ([], []))
            if QUANTITIES[name].label not in labels:
                labels.append(QUANTITIES[name].label)
            if number not in numbers:
                numbers.append(number)
    columns, chars = toolkit.grid_size(plan)
    for text, (labels, numbers) in backs.items():
        source = f"{', '.join(labels)} ({', '.join(map(str, numbers))}): {text}"
        sheet.add(toolkit.source_row(source, None, columns), toolkit.text_height([source], chars))
