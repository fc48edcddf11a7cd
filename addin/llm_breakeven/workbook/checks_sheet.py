"""The Checks sheet: every input valid, the results what they mean, the master check; and
the working rows two of the checks compare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.worksheet import Worksheet

from ..formula import EXCEL, TRUE, Expr, Symbolic, call, concat, literal
from ..model import TABLE_DEFINITIONS
from ..plausibility import RULES
from ..quantities import (
    INPUTS,
    NEEDS_POSITIVE,
    ONE_OF,
    QUANTITIES,
    Quantity,
)
from ..scenario import ScenarioSet
from . import styles, toolkit, whatif
from .catalogue_sheet import CATALOGUE_SETTINGS
from .inputs_sheet import workbook_inputs
from .layout import Plan, SheetPlan, absolute
from .shape import SPAN_CHECK

#: Checks: label, each scenario, the failing flag
CHECK_WIDTHS = (52, 12, 9)


def plan_checks(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
    toolkit.title_rows(
        sheet,
        "Checks",
        "Every check must pass for each scenario in use. The master check sums them up and "
        "names the first that fails; below, what fails for each scenario. The checks, one row "
        "each, are below the print area.",
        len(plan.columns) + 2,
        CHECK_WIDTHS[0] + CHECK_WIDTHS[1] * len(plan.columns),
    )
    failing = plan.unit_column

    def master_check(ws: Worksheet, row: int) -> None:
        flags = Expr(f"{failing}{first}:{failing}{master_last}")
        styles.look(ws.cell(row, 1, "Master check"), font=styles.HEADER_FONT)
        cell = ws[f"{plan.columns[0]}{row}"]
        # every check cell is TRUE, FALSE or blank (errors read FALSE), and IFERROR catches
        # anything else: text, blanks or error values in an input read CHECK FAILED
        verdict = call("IF", Expr(f"{call('SUM', flags).text}=0"), toolkit.OK, toolkit.FAILED)
        cell.value = "=" + call("IFERROR", verdict, toolkit.FAILED).text
        styles.look(cell, font=styles.HEADER_FONT)
        toolkit.verdict_colours(ws, cell.coordinate, good=toolkit.OK, bad=toolkit.FAILED)

    def first_failing(ws: Worksheet, row: int) -> None:
        labels = Expr(f"$A${first}:$A${master_last}")
        flags = Expr(f"${failing}${first}:${failing}${master_last}")
        styles.look(ws.cell(row, 1, "First failing check"), font=styles.HEADER_FONT)
        found = call("INDEX", labels, call("MATCH", 1, flags, 0))
        named = call("IFERROR", found, "see the Checks sheet")
        ok = Expr(f"{Expr.ref('master_check').text}={toolkit.OK.text}")
        ws[f"{plan.columns[0]}{row}"] = "=" + call("IF", ok, "", named).text

    master = sheet.add(master_check)
    plan.single("master_check", toolkit.CHECKS, f"{plan.columns[0]}{master}")
    first_failing_row = sheet.add(first_failing)
    plan.single("first_failing_check", toolkit.CHECKS, f"{plan.columns[0]}{first_failing_row}")
    sheet.add()
    sheet.finally_(lambda ws: toolkit.set_widths(ws, plan, *CHECK_WIDTHS))
    head = sheet.add(toolkit.header_cells([(1, "Summary"), *toolkit.scenario_headings(plan)]))
    names = sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    sheet.title_rows = (head, names)
    # what prints is what fails: the checks themselves, one TRUE each, are working rows
    sheet.add(_count_row(plan, lambda: (first, last)))
    passes = sheet.add(_passes_row(plan, lambda: (first, last)))
    plan.home("scenario_checks_pass", toolkit.CHECKS, passes)
    span = len(plan.columns) + 2
    sheet.add()
    sheet.add(toolkit.header_cells([(1, "First failing check, by scenario")]))
    sheet.keep_with_next()
    checks = _checks(plan, scenario_set)
    # the longest sentence one could read: the longest name (and room to rename it), many
    # checks failing, the longest label first
    name = max(plan.scenario_names, key=len, default="") + " " * 15
    label = max((label for label, _, _ in checks), key=len)
    said = f"{name}: {len(checks)} checks fail{FAILING_SAID}{label}"
    height = toolkit.text_height([said], CHECK_WIDTHS[0] + CHECK_WIDTHS[1] * span)
    for column in plan.columns:
        sheet.add(_failing_row(plan, column, span, lambda: (first, last)), height)
    sheet.add()
    sheet.add(toolkit.header_cells([(1, "Warnings: likely unit slips (they fail no check)")]))
    sheet.keep_with_next()
    for slip in RULES:
        label = f"{QUANTITIES[slip.field].label} looks like {slip.meaning}"
        sheet.add(_warning_row(plan, label, slip.condition), toolkit.text_height([label], 52))

    toolkit.working_rows(
        sheet,
        plan,
        "Working rows: every check, one row each (TRUE passes), "
        "and what some of them compare, step by step. They do not print.",
    )
    sheet.add(
        toolkit.header_cells(
            [(1, "Check"), *toolkit.scenario_headings(plan), (len(plan.columns) + 2, "Failing")]
        )
    )
    sheet.add(toolkit.names_row(plan), toolkit.TWO_LINES)
    first = sheet.next_row
    for label, check, single in checks:
        sheet.add(_check_row(plan, label, check, single), toolkit.text_height([label], 52))
    last = sheet.next_row - 1
    # the master check reads one row more than a scenario's own checks: risk results that
    # no longer belong to the inputs fail it, while the scenario's figures stay shown
    master_last = sheet.add(_check_row(
        plan, "Monte Carlo results on Sensitivity still current (or not simulated)",
        lambda q: q.inputs_as_built), 2 * styles.SIZE * 1.4)  # fmt: skip
    _plan_check_rows(sheet, plan)


#: how a scenario's failing checks are told, before the first one's label
FAILING_SAID = "; the first: "

Check = tuple[str, Callable[[Symbolic], Expr], bool]


def _checks(plan: Plan, scenario_set: ScenarioSet) -> list[Check]:
    """Every check: its label, its formula, and whether it checks the whole workbook once."""
    checks: list[Check] = [(f"{q.label} is valid", _valid(q), False) for q in INPUTS]
    checks.append(("Hourly traffic profile: 24 numbers of at least 0, not all 0",
                   _profile_valid, False))  # fmt: skip
    for name, positive in NEEDS_POSITIVE:
        label = f"{QUANTITIES[positive].label} above 0 where {QUANTITIES[name].label} is given"
        checks.append((label, _needs_positive(name, positive), False))
    checks.append((SPAN_CHECK, _hybrid_span, False))
    for names_ in ONE_OF:
        label = f"Exactly one of {' or '.join(QUANTITIES[n].label for n in names_)} is given"
        checks.append((label, _exactly_one(names_), False))
    checks += [(label, check, False) for label, check in _consistency_checks()]
    walked = ("Break-evens walked hour by hour (scale-to-zero) belong to the inputs: build the "
              "workbook again after a change")  # fmt: skip
    checks.append((walked, _walked_current, False))
    rules = [absolute(*plan.singles[f"utilization_{k}"])
             for k in range(1, len(scenario_set.utilizations) + 1)]  # fmt: skip
    share = QUANTITIES["utilizations"].bound
    every = Expr("AND(" + ",".join(share.excel_condition(r) for r in rules) + ")")
    checks.append(("Table utilizations are valid", _whole_book(every), True))
    for q, _, rule in workbook_inputs(plan, scenario_set):
        if rule is not None:
            condition = Expr(rule.excel_condition(absolute(*plan.singles[q.name])))
            checks.append((f"{q.label} is valid", _whole_book(condition), True))
    for q, rule in CATALOGUE_SETTINGS:
        condition = Expr(rule.excel_condition(absolute(*plan.singles[q.name])))
        checks.append((f"{q.label} is valid", _whole_book(condition), True))
    return checks


def _walked_current(q: Symbolic) -> Expr:
    # the walk needs the engine: its figures hold only for the inputs they were built from
    return call("OR", call("NOT", q.billing_scales), toolkit.as_built(q))


def _whole_book(condition: Expr) -> Callable[[Symbolic], Expr]:
    """A check of the whole workbook, the same whichever scenario asks."""

    def check(quantities: Symbolic) -> Expr:
        return condition

    return check


def _valid(q: Quantity) -> Callable[[Symbolic], Expr]:
    """A scenario input's validity, as a check formula over its cell."""
    rule = q.scenario_bound or q.bound

    def check(quantities: Symbolic) -> Expr:
        ref = getattr(quantities, q.name).text
        if q.choices:
            return call("OR", *(Expr(f"{ref}={literal(c).text}") for c in q.choices))
        condition = Expr(rule.excel_condition(ref))
        blank = EXCEL.isblank(Expr(ref))
        return call("OR", blank, condition) if q.default is None else condition

    return check


def _profile_valid(q: Symbolic) -> Expr:
    weights = q.hourly_profile
    hours = Expr(f"{call('COUNT', weights).text}=24")
    return call("AND", hours, call("MIN", weights) >= 0, call("SUM", weights) > 0)


def _hybrid_span(q: Symbolic) -> Expr:
    """The Hybrid sheet's halving searches cover what they search: 1 to the peak's replicas,
    and the fewest replicas that can pay to the most worth searching (working rows below)."""
    first, top = getattr(q, SPAN + "hybrid_paying_replicas"), getattr(q, SPAN + "hybrid_search_top")
    return call("AND", q.serving_replicas <= q.search_span, top - first <= q.search_span)


#: the Checks' working rows: the bills at the break-even volume, and just past it; the span
#: of the hybrid's break-even search
AT_BREAKEVEN, PAST_BREAKEVEN, SPAN = "at_breakeven:", "past_breakeven:", "span:"


def _plan_check_rows(sheet: SheetPlan, plan: Plan) -> None:
    sheet.add()
    bills = ("selfhost_total_monthly_cost", "api_monthly_cost")
    # each replica costs what it does at the own volume (scale-to-zero bills by volume)
    whatif.plan_rows(sheet, plan, "At the break-even volume, each replica at its own cost",
                     AT_BREAKEVEN, {
                         "monthly_volume": ("Break-even volume", lambda q, _: q.breakeven_volume),
                         "replica_monthly_cost": ("Replica monthly cost, as at the own volume",
                                                  lambda q, _: q.replica_monthly_cost),
                     }, bills)  # fmt: skip

    # scaling to zero, the walk stops where the bill is first no more than the API's: often
    # where a step lowers it, so it is read just past the step, as the walk counts steps
    def just_past(q: Symbolic, _: Any) -> Expr:
        found = q.breakeven_volume  # "never" stays so
        return EXCEL.where(call("ISNUMBER", found), found * (1 + q.replica_tolerance), found)

    past = ("Just past the break-even volume (one tolerance on)", just_past)
    whatif.plan_rows(sheet, plan, "Just past the break-even volume", PAST_BREAKEVEN,
                     {"monthly_volume": past}, bills)  # fmt: skip
    whatif.plan_rows(sheet, plan, "The hybrid's break-even search, from the fewest replicas "
                     "that can pay", SPAN, {
                         "hybrid_paying_replicas": (QUANTITIES["hybrid_paying_replicas"].label,
                                                    lambda q, _: q.hybrid_paying_replicas),
                         "replicas": ("One more", lambda q, at: at["hybrid_paying_replicas"] + 1),
                     }, ("hybrid_search_top",))  # fmt: skip


def _needs_positive(name: str, positive: str) -> Callable[[Symbolic], Expr]:
    def check(q: Symbolic) -> Expr:
        return EXCEL.where(EXCEL.isblank(getattr(q, name)), TRUE, getattr(q, positive) > 0)

    return check


def _exactly_one(names: tuple[str, ...]) -> Callable[[Symbolic], Expr]:
    def check(q: Symbolic) -> Expr:
        blanks = [EXCEL.isblank(getattr(q, name)) for name in names]
        total = blanks[0]
        for blank in blanks[1:]:
            total = total + blank
        return Expr(f"{total.text}={len(names) - 1}")

    return check


def _consistency_checks() -> list[tuple[str, Callable[[Symbolic], Expr]]]:
    """Checks that the workbook's results agree with what they mean."""

    def breakeven_bills_meet(q: Symbolic) -> Expr:
        def bill(at: str, name: str) -> Expr:
            return getattr(q, at + name)  # Checks' working rows

        selfhost, api = (
            bill(AT_BREAKEVEN, "selfhost_total_monthly_cost"),
            bill(AT_BREAKEVEN, "api_monthly_cost"),
        )
        meets = EXCEL.abs(selfhost - api) <= q.check_tolerance * api
        selfhost, api = (
            bill(PAST_BREAKEVEN, "selfhost_total_monthly_cost"),
            bill(PAST_BREAKEVEN, "api_monthly_cost"),
        )
        below = selfhost <= api + q.check_tolerance * api
        return EXCEL.where(q.breakeven_reachable, EXCEL.where(q.billing_scales, below, meets), TRUE)

    def breakeven_utilization_prices_as_api(q: Symbolic) -> Expr:
        share = q.one_replica_breakeven_utilization
        at = q.rebind(TABLE_DEFINITIONS, utilization=share)
        gap = EXCEL.abs(at.selfhost_cost_per_request - q.api_cost_per_request)
        close = gap <= q.check_tolerance * q.api_cost_per_request
        positive = EXCEL.where(share > 0, close, TRUE)
        return EXCEL.where(call("ISNUMBER", share), positive, TRUE)

    def replicas_cover_the_peak(q: Symbolic) -> Expr:
        load = q.monthly_volume * q.peak_to_average / (q.replica_capacity * q.max_utilization)
        return load <= q.replicas_needed - q.failover_replicas + q.replica_tolerance

    def bills_add_up(q: Symbolic) -> Expr:
        gap = EXCEL.abs(q.api_monthly_cost - q.selfhost_total_monthly_cost - q.monthly_savings)
        larger = EXCEL.maximum(q.api_monthly_cost, q.selfhost_total_monthly_cost)
        return gap <= q.check_tolerance * larger

    return [
        ("Break-even volume: self-host bill equals the API bill (scaling to zero: no more "
         "than it)", breakeven_bills_meet),
        ("Break-even utilization (one replica): cost per request equals the API's",
         breakeven_utilization_prices_as_api),
        ("Replicas needed cover the peak within max utilization", replicas_cover_the_peak),
        ("Bills add up: API bill - self-host bill = savings", bills_add_up),
    ]  # fmt: skip


def _check_row(
    plan: Plan, label: str, check: Callable[[Symbolic], Expr], single: bool = False
) -> Callable[..., None]:
    """A check per scenario column in use (or one, `single`, for the whole workbook): TRUE,
    FALSE (an error reads FALSE) or blank; the last column flags the row when any is FALSE."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        for column in plan.columns[:1] if single else plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            result = call("IFERROR", check(q), EXCEL.false)
            cell = plan.at(ws, column, row)
            cell.value = "=" + (result if single else
                                call("IF", q.scenario_in_use, result, "")).text  # fmt: skip
            styles.look(cell, fill=styles.CHECK_FILL)
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
            styles.look(cell, alignment=styles.TOP)
            ws.conditional_formatting.add(
                cell.coordinate,
                FormulaRule(
                    formula=[f"{cell.coordinate}={toolkit.FALSE_CELL.text}"],
                    fill=styles.FAILED_CHECK_FILL,
                ),
            )
        flag = ws[f"{plan.unit_column}{row}"]
        fails = Expr(f"{call('COUNTIF', Expr(plan.span(row)), toolkit.FALSE_CELL).text}>0")
        flag.value = "=" + call("IF", fails, 1, 0).text
        flag.alignment = styles.TOP

    return render


def _warning_row(
    plan: Plan, label: str, condition: Callable[[Symbolic, Any], Expr]
) -> Callable[..., None]:
    """A warning per scenario column in use: "check the unit" where `condition` holds."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, label), alignment=styles.WRAP)
        for column in plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            slip = call("IF", condition(q, EXCEL), "check the unit", "")
            guarded = call("IF", q.scenario_in_use, call("IFERROR", slip, ""), "")
            cell = plan.at(ws, column, row)
            cell.value = "=" + guarded.text
            styles.look(cell, font=styles.WARNING_FONT)
            styles.look(cell, alignment=styles.TOP)

    return render


Rows = Callable[[], tuple[int, int]]


def _failing(column: str, rows: Rows) -> Expr:
    first, last = rows()
    return call("COUNTIF", Expr(f"{column}{first}:{column}{last}"), toolkit.FALSE_CELL)


def _count_row(plan: Plan, rows: Rows) -> Callable[..., None]:
    """How many of a scenario's checks fail (`rows`: its first and last check row)."""

    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "Checks failing"), font=styles.HEADER_FONT)
        for column in plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            cell = plan.at(ws, column, row)
            cell.value = "=" + toolkit.in_use(q, _failing(column, rows)).text
            cell.number_format = "0"

    return render


def _passes_row(plan: Plan, rows: Rows) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        styles.look(ws.cell(row, 1, "All checks pass for the scenario"), font=styles.HEADER_FONT)
        for column in plan.columns:
            q = plan.quantities(column, toolkit.CHECKS)
            cell = plan.at(ws, column, row)
            cell.value = "=" + toolkit.in_use(q, Expr(f"{_failing(column, rows).text}=0")).text
            cell.number_format = QUANTITIES["breakeven_reachable"].unit.number_format
            styles.look(cell, font=styles.HEADER_FONT)

    return render


def _failing_row(plan: Plan, column: str, span: int, rows: Rows) -> Callable[..., None]:
    """A scenario's name and what of its checks fails, across the page."""

    def render(ws: Worksheet, row: int) -> None:
        first, last = rows()
        q = plan.quantities(column, toolkit.CHECKS)
        count = _failing(column, rows)
        found = call("MATCH", toolkit.FALSE_CELL, Expr(f"{column}{first}:{column}{last}"), 0)
        label = call("INDEX", Expr(f"$A${first}:$A${last}"), found)
        fail = call("IF", Expr(f"{count.text}=1"), " check fails", " checks fail")
        told = call("IF", Expr(f"{count.text}=0"), "every check passes",
                    concat(count, fail, FAILING_SAID, label))  # fmt: skip
        said = concat(q.scenario_name, ": ", told)
        toolkit.across(ws, row, span, "=" + toolkit.in_use(q, said).text)

    return render
