"""What-if rows: a scenario's quantities computed again with some of them changed.

A month of the projection changes the volume and both prices; the tornado moves one input
by ±20 %. Every quantity that follows from a changed one must be computed again. Written out
inline, that is one formula of thousands of characters; here each such quantity gets a
labelled row of its own that reads the rows above it, so a reviewer follows the bill step
by step, as on Calculations. Hourly quantities stay inside the sums that read them (a row
each would take 24).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from ..formula import Expr, Symbolic, call, dependencies
from ..model import DEFINITIONS, HOURLY
from ..quantities import QUANTITIES
from . import styles, toolkit
from .layout import Plan, SheetPlan


def recomputed(targets: Iterable[str], changed: Collection[str]) -> list[str]:
    """The `targets`, and what they read, that follow from a `changed` quantity: each after
    the ones it reads (hourly quantities left out)."""
    wanted: set[str] = set()
    for target in targets:
        for name in {target, *dependencies(DEFINITIONS, target)}:
            reads = dependencies(DEFINITIONS, name)
            if (
                name in DEFINITIONS
                and name not in HOURLY
                and name not in changed
                and (reads & set(changed))
            ):
                wanted.add(name)
    ordered: list[str] = []
    waiting = [name for name in DEFINITIONS if name in wanted]
    while waiting:
        ready = [n for n in waiting if not (dependencies(DEFINITIONS, n) & set(waiting) - {n})]
        ordered.extend(ready)
        waiting = [n for n in waiting if n not in ready]
    return ordered


def fill(template: str, tokens: Mapping[str, object]) -> str:
    """A block's formula for one of its rows: each ⟦token⟧ of `template` replaced (a block
    of rows, one a step, writes its formula once with the rows it reads as tokens)."""
    for token, value in tokens.items():
        template = template.replace(f"⟦{token}⟧", str(value))
    return template


def rewritten(
    q: Symbolic, changed: Mapping[str, Any], cells: Mapping[str, Expr]
) -> dict[str, Expr]:
    """Each quantity of `cells` written for its cell there: its definition with `changed`
    bound and every other quantity of `cells` read in its cell."""
    s = q.rebind(None, **changed, **cells)
    return {name: s.define(name) for name in cells}


#: a changed quantity's row: its label, and its formula from the scenario's quantities as
#: given and the cells of the quantities changed before it
Change = tuple[str, Callable[[Symbolic, Mapping[str, Expr]], Expr]]


def plan_rows(
    sheet: SheetPlan, plan: Plan, heading: str, prefix: str,
    changed: Mapping[str, Change], targets: Iterable[str],
) -> dict[str, int]:  # fmt: skip
    """A what-if block among `sheet`'s working rows: `heading`, a row for each changed
    quantity, then one for each quantity that follows, each with its unit; every row is a
    home named `prefix` + its quantity, so a formula of `sheet` reads it by that name.
    Returns each quantity's row. The rows are blank in a column no scenario uses, and the
    rows below the first where it is not a number."""

    sheet.add()
    toolkit.section_row(sheet, heading)
    names = [*changed, *recomputed(targets, tuple(changed))]
    rows = {name: sheet.next_row + k for k, name in enumerate(names)}
    for name in names:
        label = changed[name][0] if name in changed else QUANTITIES[name].label
        sheet.add(_row(plan, sheet.title, label, name, rows, changed.get(name)))
        plan.home(prefix + name, sheet.title, rows[name], define=False)
    return rows


def _row(
    plan: Plan, title: str, label: str, name: str, rows: Mapping[str, int], change: Change | None
) -> Callable[[Worksheet, int], None]:

    unit = QUANTITIES[name].unit

    def formula(column: str) -> Expr:
        q = plan.quantities(column, title)
        # every quantity of the block above this row is read in its row
        above = {n: Expr(f"{column}{r}") for n, r in rows.items() if n != name}
        if change is not None:
            earlier = {n: cell for n, cell in above.items() if rows[n] < rows[name]}
            value = change[1](q, earlier)
        else:
            value = q.rebind(None, **above).define(name)
        first = min(rows, key=rows.__getitem__)
        if name == first:
            return toolkit.in_use(q, value)
        # nothing follows from a first step that is not a number ("never", or blank where no
        # scenario is in use)
        return call("IF", call("ISNUMBER", above[first]), value, "")

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        toolkit.across_row(ws, plan, row, formula, unit.number_format)
        toolkit.unit_and_note(ws, plan, row, unit.text, "")

    return render
