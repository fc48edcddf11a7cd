"""How the command line prints: tables a section each, scenario columns in chunks that fit the
terminal, CSV and JSON; and how a command reads its scenarios, guards a file it writes, and
turns a refusal into one line.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

#: the outputs of the people's table, in order (labels and formats from the catalogue)
HEADLINE = (
    "cheaper_option",
    "in_alternating_band",
    "api_cost_per_request",
    "selfhost_cost_per_request",
    "monthly_savings",
    "annual_savings",
    "replicas_needed",
    "breakeven_volume",
    "sustained_breakeven_volume",
    "breakeven_utilization",
)
#: the further tables: traffic shape and resilience, the hybrid, buy vs rent
SECTIONS = (
    ("Headline results", HEADLINE),
    ("Billing, traffic shape and resilience", (
        "billing_mode", "peak_to_average_used", "billed_replica_hours",
        "billed_hours_per_replica", "api_fallback_monthly_cost", "standby_monthly_cost",
        "cheaper_resilience",
    )),
    ("Hybrid: self-host a baseline, send the rest to the API", (
        "optimal_replicas", "optimal_hybrid_monthly_cost", "optimal_hybrid_selfhost_share",
        "hybrid_breakeven_volume",
    )),
    ("Buy vs rent, for the same replicas", (
        "ownership", "rent_monthly_cost", "own_monthly_cost", "buy_monthly_savings",
        "purchase_cost", "buy_payback_months", "one_time_payback_months",
    )),
    ("Over time: when switching pays (see llm-breakeven project)", (
        "horizon_months", "switch_now_npv", "best_switch_month", "best_switch_npv",
        "switch_payback_month",
    )),
    ("Not only cost: the signals (the recommendations follow)", (
        "signals_self_host", "signals_api", "compliance_required", "control_premium_monthly",
        "control_premium_annual",
    )),
)  # fmt: skip
#: the label column's width bounds, in characters: labels wrap within it
LABEL_WIDTH = (12, 30)
#: a scenario column is at least this wide, so short figures leave its name room to wrap
NAME_WIDTH = 12


def figure_value(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:,.3f}"
    return f"{value:,.1f}" if unit == "ms" else f"{value:,.0f}"


# --- the decision commands' tables ------------------------------------------------------------

#: what `project` prints under each scenario's monthly table
PROJECTION_SUMMARY = ("switch_now_npv", "best_switch_month", "best_switch_npv",
                      "switch_payback_month")  # fmt: skip
#: the columns of the projection a terminal shows (CSV and JSON carry them all)
PROJECTION_SHOWN = ("month", "monthly_volume", "api_monthly_cost",
                    "selfhost_total_monthly_cost", "monthly_savings", "switch_npv")  # fmt: skip
#: the quantity whose label and unit each column of a table shows (None: as it is)
PROJECTION_UNITS: dict[str, str | None] = {
    "month": "projection_month", "monthly_volume": "monthly_volume",
    "api_cost_per_request": "api_cost_per_request", "replica_monthly_cost": "replica_monthly_cost",
    "replicas_needed": "replicas_needed", "api_monthly_cost": "api_monthly_cost",
    "selfhost_total_monthly_cost": "selfhost_total_monthly_cost",
    "monthly_savings": "monthly_savings", "discount_factor": "discount_factor",
    "switch_npv": "switch_npv",
}  # fmt: skip
_TORNADO_UNITS: dict[str, str | None] = {
    "savings_low": "monthly_savings",
    "savings_high": "monthly_savings", "breakeven_low": "breakeven_volume",
    "breakeven_high": "breakeven_volume", "savings_swing": "monthly_savings",
}  # fmt: skip
_HEADINGS = {"low": "Low", "high": "High", "savings_low": "Savings at low",
             "savings_high": "Savings at high", "breakeven_low": "Break-even at low",
             "breakeven_high": "Break-even at high"}  # fmt: skip


def chosen_scenarios(scenario_set: Any, only: str | None) -> list[Any]:
    if only is None:
        return list(scenario_set.scenarios)
    found = [s for s in scenario_set.scenarios if s.name == only]
    if not found:
        names = ", ".join(repr(s.name) for s in scenario_set.scenarios)
        raise click.ClickException(f"no scenario named {only!r} (there are {names})")
    return found


def guard_value(work: Any) -> Any:
    """An engine call on checked scenarios; a value it still refuses is one line."""
    try:
        return work()
    except (ValueError, TypeError) as exc:
        raise click.ClickException(str(exc)) from None


def axis_of(text: str | None, option: str) -> tuple[str, list[float]] | None:
    """'NAME=V1,V2,...' as (name, values)."""
    if text is None:
        return None
    name, _, values = text.partition("=")
    try:
        numbers = [float(v) for v in values.split(",") if v.strip()]
    except ValueError:
        numbers = []
    if not name.strip() or not numbers or not all(map(math.isfinite, numbers)):
        raise click.BadParameter(f"expected NAME=V1,V2,... (got {text!r})", param_hint=option)
    return name.strip(), [checked_of(name.strip(), v, option) for v in numbers]


def checked_of(name: str, value: float, option: str) -> float:
    """`value` of input `name`, by the rule a scenario file applies (a one-line refusal)."""
    from .quantities import FIELDS, QUANTITIES

    quantity = QUANTITIES.get(name)
    if quantity is not None and not quantity.choices:
        reason = quantity.violation(value, scenario=name in FIELDS)
        if reason is not None:
            raise click.BadParameter(reason, param_hint=option)
    return value


def pair_of(text: str) -> tuple[str, tuple[float, float]]:
    axis = axis_of(text, "--range")
    assert axis is not None
    name, values = axis
    if len(values) != 2 or values[0] > values[1]:
        raise click.BadParameter(f"expected NAME=LOW,HIGH with LOW <= HIGH (got {text!r})",
                                 param_hint="--range")  # fmt: skip
    return name, (values[0], values[1])


def triple_of(text: str) -> tuple[str, tuple[float, float, float]]:
    axis = axis_of(text, "--range")
    assert axis is not None
    name, values = axis
    if len(values) != 3:
        raise click.BadParameter(f"expected NAME=LOW,BASE,HIGH (got {text!r})",
                                 param_hint="--range")  # fmt: skip
    return name, (values[0], values[1], values[2])


def concat_of(frames: list[Any]) -> Any:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def frame_of(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)


def shown_value(unit_of: str | None, value: Any, currency: str = "$") -> str:
    from .quantities import QUANTITIES

    if unit_of is None:
        return f"{value:,.6g}" if isinstance(value, float) else str(value)
    return QUANTITIES[unit_of].unit.show(value, currency)


def frame_table(title: str, frame: Any, units: dict[str, str | None], currency: str = "$") -> Any:
    """A frame as a table: each column's label and unit from the catalogue."""
    from .quantities import QUANTITIES

    headings = [QUANTITIES[u].label if (u := units.get(c)) else c for c in frame.columns]
    rows = [[shown_value(units.get(c), v, currency)
             for c, v in zip(frame.columns, row, strict=True)]
            for row in frame.itertuples(index=False)]  # fmt: skip
    return figures_table(title, headings, rows, label=False)


def tornado_table(title: str, tornado: Any, figures: tuple[str, ...], currency: str = "$") -> Any:
    """The tornado's `figures` beside each input's label, low and high in its own unit."""
    from .quantities import QUANTITIES

    rows = []
    for row in tornado.to_dict(orient="records"):
        q = QUANTITIES[row["input"]]
        ends = [q.unit.show(row[end], currency) for end in ("low", "high")]
        shown = [shown_value(_TORNADO_UNITS[c], row[c], currency) for c in figures]
        rows.append([q.label, *ends, *shown])
    headings = ["Input", "Low", "High", *(_HEADINGS[c] for c in figures)]
    return figures_table(title, headings, rows, label=True)


def figures_table(title: str, headings: list[str], rows: list[list[str]], label: bool) -> Any:
    """Right-aligned figures that are never cut (each column at least as wide as its widest
    figure); headings and a first label column fold instead."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for k, heading in enumerate(headings):
        if label and k == 0:
            table.add_column(heading, overflow="fold", min_width=12)
            continue
        widest = max((len(row[k]) for row in rows), default=1)
        table.add_column(heading, justify="right", overflow="fold", min_width=widest)
    for row in rows:
        table.add_row(*row)
    return table


def summary_line(outcome: dict[str, Any], keys: tuple[str, ...], currency: str = "$") -> str:
    from .quantities import QUANTITIES

    return "; ".join(f"{QUANTITIES[k].label}: {QUANTITIES[k].unit.show(outcome[k], currency)}"
                     for k in keys)  # fmt: skip


def grid_table(name: Any, grid: Any) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=f"{name}: self-host cost per request / the API's (below 1: "
                  "self-hosting is cheaper)", box=box.SIMPLE_HEAD,
                  title_justify="left")  # fmt: skip
    table.add_column(f"{grid.index.name} \\ {grid.columns.name}", justify="right")
    for value in grid.columns:
        table.add_column(f"{value:,.4g}", justify="right")
    for value, row in zip(grid.index, grid.to_numpy(), strict=True):
        cells = [f"[green]{r:.2f}[/]" if r < 1 else f"{r:.2f}" for r in row]
        table.add_row(f"{value:,.4g}", *cells)
    return table


def simulation_row(name: Any, found: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "scenario": name,
        "samples": found["samples"],
        "seed": found["seed"],
        "probability_selfhost_cheaper": found["probability_selfhost_cheaper"],
    }
    if "probability_switch_pays" in found:
        row["probability_switch_pays"] = found["probability_switch_pays"]
    for figure in ("savings", "breakeven_volume", "best_switch_npv"):
        for p, value in found.get(figure, {}).items():
            row[f"{figure}_p{p}"] = value
    return row


def _plain_number(value: float) -> str:
    """A range's end as a person writes it: 1,036,800, 0.4, 2.4."""
    return f"{value:,.0f}" if abs(value) >= 1e5 else f"{value:,.6g}"


def simulation_table(
    name: Any, row: dict[str, Any], ranges: dict[str, Any], currency: str = "$"
) -> Any:
    from rich import box
    from rich.table import Table

    from .quantities import QUANTITIES

    table = Table(title=f"{name}: {row['samples']:,} draws, seed {row['seed']}",
                  box=box.SIMPLE_HEAD, title_justify="left")  # fmt: skip
    for heading in ("", "P10", "P50", "P90"):
        table.add_column(heading, justify="right" if heading else "left")
    units = {"savings": "monthly_savings", "breakeven_volume": "breakeven_volume",
             "best_switch_npv": "best_switch_npv"}  # fmt: skip
    for figure, unit in units.items():
        if f"{figure}_p50" in row:
            table.add_row(
                QUANTITIES[unit].label,
                *(shown_value(unit, row[f"{figure}_p{p}"], currency) for p in (10, 50, 90)),
            )
    caption = f"Probability self-hosting is cheaper: {row['probability_selfhost_cheaper']:.1%}"
    if "probability_switch_pays" in row:
        caption += f"; that some switch month pays: {row['probability_switch_pays']:.1%}"
    caption += "\nRanges (low, base, high): " + "; ".join(
        f"{k} {', '.join(map(_plain_number, v))}" for k, v in ranges.items()
    )
    table.caption, table.caption_justify = caption, "left"
    return table


# --- formatting and errors ------------------------------------------------------------------


def money_text(value: float | None) -> str:
    return "-" if value is None else f"{value:,.3f}"


def guard_lookup(work: Any) -> Any:
    """A catalogue look-up; an unknown name or a model that does not fit is one line."""
    try:
        return work()
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from None


def load_scenarios(path: Path | None) -> Any:
    from .scenario import load

    return guarded_call(lambda: load(path))


def scenarios_of(scenarios_path: Path | None, filled: Path | None) -> Any:
    """The scenarios of a TOML file, or of a filled workbook (reporting what was carried)."""
    if scenarios_path is not None and filled is not None:
        raise click.UsageError("give --scenarios or --from, not both")
    scenario_set = load_scenarios(scenarios_path) if filled is None else carried_report(filled)
    _warn_slips(scenario_set)
    return scenario_set


def _warn_slips(scenario_set: Any) -> None:
    """Likely unit slips on stderr, one line each: they warn, they do not stop."""
    from .plausibility import warnings

    for s in scenario_set.scenarios:
        for slip in warnings(s.inputs()):
            click.echo(f"warning: {s.name}: {slip.line()}", err=True)


def carried_report(filled: Path) -> Any:
    """A filled workbook's scenarios; what was not carried is listed on stderr, and a
    rejected input stops the command with every rejected input named."""
    from .workbook.reader import read_workbook

    workbook = guarded_call(lambda: read_workbook(filled))
    carried = sum(1 for c in workbook.report if c.status == "carried")
    click.echo(f"{filled}: {carried} inputs carried", err=True)
    for line in workbook.report:
        if line.status != "carried":
            click.echo(f"  {line.line()}", err=True)
    if workbook.scenarios is None:
        rejected = len(workbook.rejected)
        raise click.ClickException(f"{filled}: {rejected} input(s) rejected (listed above); "
                                   "nothing written")  # fmt: skip
    return workbook.scenarios


def named_of(path: Path, suffixes: tuple[str, ...]) -> Path:
    """`path` (`~` as home) with the first of `suffixes` added if it has no suffix, saying so
    on stderr; a path with another suffix is refused in one line."""
    path = path.expanduser()
    if path.suffix.lower() in suffixes:
        return path
    if path.suffix:
        raise click.ClickException(
            f"--output must end in {' or '.join(suffixes)} (got {path.name})"
        )
    named = path.with_name(path.name + suffixes[0])
    click.echo(f"--output {path} has no {suffixes[0]}: writing {named}", err=True)
    return named


def refuse_overwrite(target: Path, *sources: Path | None) -> None:
    """Stop, in one line, before an output replaces one of the command's inputs."""
    for source in sources:
        if source is not None and _same_file(source, target):
            raise click.ClickException(f"{target}: the output would overwrite the input")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.expanduser().resolve() == b.expanduser().resolve() or (
            a.exists() and b.exists() and a.samefile(b)
        )
    except OSError:
        return False


def guarded_call(work: Any) -> Any:
    """Run `work`; bad input becomes a one-line error and a non-zero exit, not a traceback."""
    from .scenario import ScenarioError

    try:
        return work()
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(
            f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
        ) from None


#: how the figures are found where replicas scale to zero (the table and the workbook)
SCALED_HYBRID_NOTE = (
    "scaling to zero, the break-evens are walked along the hour-by-hour bill, and the "
    "hybrid bills each hour the replicas it runs (exact; the workbook shows these from "
    "its build)."
)

#: where the walk to a scaling fleet's hybrid break-even gave up (`fleet.MAX_STEPS`)
NOT_FOUND_NOTE = (
    "the hybrid break-even was not found (–): the walk along the volume's steps gave up, "
    "as it does only for vast fleets whose margin barely covers their cold starts."
)


def print_table(results: Any, scenario_set: Any) -> None:
    """The recommendation first, then the headline figures, billing and resilience, the
    hybrid and buy vs rent: one table each, one column per scenario (see `_print_section`)."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    console = Console()
    console.print("Recommendation", style="italic")
    for name, text in zip(results.index, results["recommendation"], strict=True):
        # a sentence each, its lines wrapped under its first
        sentence = Text.assemble((f"{name}: ", "bold"), str(text))
        console.print(Padding(sentence, (0, 0, 0, 2)), highlight=False)
    console.print()
    for title, keys in SECTIONS:
        _print_section(console, results, title, keys, scenario_set.currency_symbol)
    alternating = [n for n, band in zip(results.index, results["in_alternating_band"],
                                        strict=True) if band]  # fmt: skip
    if alternating:
        console.print(
            f"{', '.join(map(str, alternating))}: the own volume lies between the break-even "
            "and the sustained break-even, where the cheaper option alternates as replicas "
            "are added."
        )
    scales = scenario_set.figures(["billing_scales"])["billing_scales"]
    scaled = [str(n) for n, s in zip(results.index, scales, strict=True) if s]
    if scaled:
        console.print(f"{', '.join(scaled)}: {SCALED_HYBRID_NOTE}")
    lost = [str(n) for n, v in zip(results.index, results["hybrid_breakeven_volume"],
                                   strict=True) if math.isnan(v)]  # fmt: skip
    if lost:
        console.print(f"{', '.join(lost)}: {NOT_FOUND_NOTE}")
    unpriced = [str(n) for n, price in zip(results.index, results["purchase_price"],
                                           strict=True) if not price > 0]  # fmt: skip
    if unpriced:
        console.print(f"{', '.join(unpriced)}: no purchase price given, so owning is not "
                      "priced (–).")  # fmt: skip


def _print_section(
    console: Any, results: Any, title: str, keys: tuple[str, ...], currency: str = "$"
) -> None:
    """One row per figure, one column per scenario, as many scenario columns as the terminal
    holds side by side: more scenarios continue in further tables, and a terminal too narrow
    for even one column gets each scenario as a list. A figure is never cut."""
    from .quantities import QUANTITIES

    labels = [QUANTITIES[key].label for key in keys]
    names = [str(name) for name in results.index]
    shown = priced_only(results)
    figures = [["–" if v is None else QUANTITIES[key].unit.show(v, currency) for v in shown[key]]
               for key in keys]  # fmt: skip
    widths = [
        max(min(len(name), NAME_WIDTH), *(len(row[k]) for row in figures))
        for k, name in enumerate(names)
    ]
    # labels whole when every scenario fits beside them, else wrapped to make room; rich pads
    # every column by one character a side, and the table by one more
    label_width = max(LABEL_WIDTH[0], *map(len, labels))
    chunks = _chunks(widths, console.width - label_width - 6)
    if len(chunks) != 1:
        label_width = min(label_width, LABEL_WIDTH[1])
        chunks = _chunks(widths, console.width - label_width - 6)
    if not chunks:
        console.print(title, style="italic")
        _print_lists(console, names, labels, figures)
    for chunk in chunks:
        heading = title
        if len(chunks) > 1:
            heading += f" (scenarios {chunk[0] + 1}-{chunk[-1] + 1} of {len(names)})"
        console.print(rich_table(heading, label_width, chunk, names, widths, labels, figures))


def _chunks(widths: list[int], room: int) -> list[list[int]]:
    """Scenario indexes in runs whose columns (each padded by 2 characters) fit `room`; none
    when one column alone does not fit."""
    chunks: list[list[int]] = []
    used = room + 1
    for k, width in enumerate(widths):
        if width + 2 > room:
            return []
        if used + width + 2 > room:
            chunks.append([])
            used = 0
        chunks[-1].append(k)
        used += width + 2
    return chunks


def rich_table(
    title: str,
    label_width: int,
    chunk: list[int],
    names: list[str],
    widths: list[int],
    labels: list[str],
    figures: list[list[str]],
) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("", width=label_width, overflow="fold")
    for k in chunk:  # a name folds; its figures are never cut (the column fits them)
        table.add_column(names[k], justify="right", width=widths[k], overflow="fold")
    for label, row in zip(labels, figures, strict=True):
        table.add_row(label, *(row[k] for k in chunk))
    return table


def _print_lists(
    console: Any, names: list[str], labels: list[str], figures: list[list[str]]
) -> None:
    """Each scenario as a list of 'label: figure' lines, for a terminal too narrow for a table."""
    for k, name in enumerate(names):
        console.print(name, style="bold")
        for label, row in zip(labels, figures, strict=True):
            console.print(f"  {label}:", highlight=False)
            console.print(f"    {row[k]}", highlight=False, overflow="ignore", crop=False)


#: a text cell starting with one of these is a formula to a spreadsheet (OWASP's CSV rule)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def priced_only(results: Any) -> Any:
    """`results` (as objects) with owning's figures None where no purchase price is given:
    a payback of 0 months or savings of the whole rent would be figures with no warrant."""
    from .quantities import NEED_PURCHASE_PRICE

    shown = results.astype(object)
    unpriced = ~(results["purchase_price"] > 0)
    for key in NEED_PURCHASE_PRICE:
        if key in shown.columns:
            shown.loc[unpriced, key] = None
    return shown


def csv_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def infinite(value: Any) -> bool:
    return isinstance(value, float) and math.isinf(value)


def json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value
