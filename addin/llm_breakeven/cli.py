"""The command line: `llm-breakeven build | compute | project | sensitivity | simulate |
report | macros | benchmark` and the catalogue look-ups.

Every command is a thin shell over a library call (`workbook.write_workbook`,
`scenario.load(...).evaluate()`, `projection.project`, `sensitivity.tornado` and `grid`,
`sensitivity.simulate`, `report.write_report`, `macros.write`, `benchmark.run`) that a user
could make directly; the commands parse options, call it and format what it returns.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__

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

scenarios_option = click.option(
    "--scenarios",
    "scenarios_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Scenarios TOML file (default: the embedded default scenarios).",
)
from_option = click.option(
    "--from",
    "filled",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Take the scenarios from a filled workbook's inputs instead (values only).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="llm-breakeven")
def main() -> None:
    """When does self-hosting an open-weight LLM beat paying an API per token?"""
    # a name in any script prints on any console: what the encoding lacks becomes \uXXXX
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


@contextlib.contextmanager
def _progress(description: str, total: int) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr while the block runs, when stderr is a terminal (nothing
    otherwise); yields `advance(label, done=None)`: `done` steps, or one step more."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(description, total=total)

        def advance(label: str, done: int | None = None) -> None:
            shown = f"{description}: {label}"
            if done is None:
                bar.update(task, advance=1, description=shown)
            else:
                bar.update(task, completed=done, description=shown)

        yield advance


@main.command()
@scenarios_option
@from_option
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the workbook (default: llm-breakeven.xlsx in the current directory).",
)
def build(scenarios_path: Path | None, filled: Path | None, output: Path | None) -> None:
    """Write the template workbook and print the headline results.

    With --from, the new workbook carries every input of a filled one (spare columns someone
    filled included); each input is reported carried, defaulted or rejected, and nothing is
    written while any is rejected.
    """
    from .workbook import BUILD_STEPS, DEFAULT_WORKBOOK_NAME, write_workbook

    target = Path(output if output is not None else DEFAULT_WORKBOOK_NAME)
    _refuse_overwrite(target, scenarios_path, filled)
    target = _named(target, (".xlsx",))
    _refuse_overwrite(target, scenarios_path, filled)
    scenario_set = _scenarios(scenarios_path, filled)
    with _progress("build", BUILD_STEPS) as advance:
        written = _guard(lambda: write_workbook(target, scenario_set, advance))
    state = "written" if written.changed else "unchanged"
    click.echo(f"{written.path}: {state}")
    if written.backup is not None:
        click.echo(f"kept the previous file as {written.backup}")
    _print_table(scenario_set.evaluate(), scenario_set)


@main.command()
@scenarios_option
@from_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table for people, CSV or JSON (every output) for machines.",
)
def compute(scenarios_path: Path | None, filled: Path | None, fmt: str) -> None:
    """Print the headline results of every scenario.

    In CSV a break-even that never comes reads "never"; in JSON it is null. Owning's figures
    of a scenario with no purchase price are blank in CSV and null in JSON ("–" in the
    table): not priced, rather than a payback of 0.
    """
    scenario_set = _scenarios(scenarios_path, filled)
    results = scenario_set.evaluate()
    if fmt == "table":
        _print_table(results, scenario_set)
        return
    results = _priced_only(results)
    if fmt == "csv":
        frame = results.map(lambda v: "never" if _infinite(v) else _csv_text(v))
        frame.index = frame.index.map(_csv_text)
        click.echo(frame.to_csv(lineterminator="\n"), nl=False)
    else:
        records = [
            {"scenario": name, **{k: _json_value(v) for k, v in row.items()}}
            for name, row in results.to_dict(orient="index").items()
        ]
        click.echo(json.dumps(records, indent=2))


scenario_option = click.option(
    "--scenario",
    "only",
    default=None,
    help="Only the scenario of this name (default: every scenario).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table for people, CSV or JSON for machines.",
)


@main.command()
@scenarios_option
@from_option
@scenario_option
@format_option
def project(scenarios_path: Path | None, filled: Path | None, only: str | None, fmt: str) -> None:
    """Each scenario month by month: volume growing, prices changing, both bills, and the NPV
    of switching in each month, with the best month to switch and its payback.

    The growth, price changes, migration cost, discount rate and horizon are scenario
    inputs (the Inputs sheet's "Over time" section)."""
    from . import projection

    chosen = _chosen(_scenarios(scenarios_path, filled), only)
    tables = {s.name: _guard_value(lambda s=s: projection.project(s.inputs())) for s in chosen}
    outcomes = {s.name: s.evaluate() for s in chosen}
    if fmt == "csv":
        frames = [t.assign(scenario=name) for name, t in tables.items()]
        joined = _concat(frames)[["scenario", *projection.COLUMNS]]
        joined["scenario"] = joined["scenario"].map(_csv_text)
        click.echo(joined.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        records = [
            {"scenario": name,
             **{k: _json_value(outcomes[name][k]) for k in PROJECTION_SUMMARY},
             "months": [{k: _json_value(v) for k, v in row.items()}
                        for row in table.to_dict(orient="records")]}
            for name, table in tables.items()
        ]  # fmt: skip
        click.echo(json.dumps(records, indent=2))
    else:
        from rich.console import Console

        console = Console()
        for name, table in tables.items():
            shown = table[list(PROJECTION_SHOWN)]
            console.print(_frame_table(f"{name}: month by month", shown, _PROJECTION_UNITS))
            console.print(_summary_line(outcomes[name], PROJECTION_SUMMARY), highlight=False)
            console.print()


@main.command()
@scenarios_option
@from_option
@scenario_option
@click.option(
    "--spread",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.2,
    show_default=True,
    help="How far each input moves, as a share of its value.",
)
@click.option(
    "--range",
    "given_ranges",
    multiple=True,
    metavar="NAME=LOW,HIGH",
    help="An input's own low and high for the tornado, in place of ±spread; repeat for more.",
)
@click.option(
    "--rows",
    "row_axis",
    default=None,
    metavar="NAME=V1,V2,...",
    help="The grid's rows: an input (or utilization) and its values "
    "(default: utilization 10 % to 100 %).",
)
@click.option(
    "--columns",
    "column_axis",
    default=None,
    metavar="NAME=V1,V2,...",
    help="The grid's columns (default: the GPU hourly rate at 50 % to 150 %).",
)
@format_option
def sensitivity(
    scenarios_path: Path | None,
    filled: Path | None,
    only: str | None,
    spread: float,
    given_ranges: tuple[str, ...],
    row_axis: str | None,
    column_axis: str | None,
    fmt: str,
) -> None:
    """Which assumption matters most: a tornado of the key inputs moved ±spread (monthly
    savings and break-even at each end, largest swing first), and a grid of the self-host
    cost per request over the API's across two inputs (below 1: self-hosting is cheaper)."""
    from . import sensitivity as sens

    chosen = _chosen(_scenarios(scenarios_path, filled), only)
    ends = dict(_pair(text) for text in given_ranges)
    results = []
    default_rows = ("utilization", list(sens.DEFAULT_UTILIZATIONS))
    row_count = len((_axis(row_axis, "--rows") or default_rows)[1])
    with _progress("sensitivity", row_count * len(chosen)) as advance:
        for position, s in enumerate(chosen):
            inputs = s.inputs()
            rows = _axis(row_axis, "--rows") or default_rows
            columns = _axis(column_axis, "--columns") or (
                "hourly_rate",
                [inputs["hourly_rate"] * k for k in sens.DEFAULT_FACTORS],
            )
            tornado = _guard_value(lambda i=inputs: sens.tornado(i, spread=spread, ranges=ends))
            grid = _guard_value(lambda i=inputs, r=rows, c=columns, p=position, s=s: sens.grid(
                i, r, c, lambda done: advance(str(s.name), p * row_count + done)))  # fmt: skip
            results.append((s.name, tornado, grid))
    if fmt == "csv":
        frames = [t.assign(scenario=name) for name, t, _ in results]
        joined = _concat(frames)
        joined = joined[["scenario", *[c for c in joined.columns if c != "scenario"]]]
        joined["scenario"] = joined["scenario"].map(_csv_text)
        click.echo(joined.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        records = [{"scenario": name,
                    "tornado": [{k: _json_value(v) for k, v in row.items()}
                                for row in t.to_dict(orient="records")],
                    "grid": {"rows": g.index.name, "columns": g.columns.name,
                             "row_values": g.index.tolist(),
                             "column_values": g.columns.tolist(),
                             "ratio": [[_json_value(v) for v in r] for r in g.to_numpy()]}}
                   for name, t, g in results]  # fmt: skip
        click.echo(json.dumps(records, indent=2))
    else:
        from rich.console import Console

        console = Console()
        for name, tornado, grid in results:
            title = f"{name}: each input at ±{spread:.0%}, largest swing in savings first"
            console.print(_tornado_table(title, tornado, ("savings_low", "savings_high")))
            console.print(_tornado_table(f"{name}: the break-even volume at each end", tornado,
                                         ("breakeven_low", "breakeven_high")))  # fmt: skip
            console.print(_grid_table(name, grid))
            console.print()


@main.command()
@scenarios_option
@from_option
@scenario_option
@click.option(
    "--range",
    "given_ranges",
    multiple=True,
    metavar="NAME=LOW,BASE,HIGH",
    help="An input's triangular range; repeat for more (default: each key input ±spread).",
)
@click.option(
    "--spread",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.2,
    show_default=True,
    help="The default ranges' width, as a share of each value.",
)
@click.option("--samples", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--projection/--no-projection",
    "with_projection",
    default=True,
    show_default=True,
    help="Also run each draw's projection (best switch NPV).",
)
@format_option
def simulate(
    scenarios_path: Path | None,
    filled: Path | None,
    only: str | None,
    given_ranges: tuple[str, ...],
    spread: float,
    samples: int,
    seed: int,
    with_projection: bool,
    fmt: str,
) -> None:
    """How likely self-hosting is to come out cheaper: Monte Carlo over triangular ranges,
    seeded and reproducible, with P10 / P50 / P90 of monthly savings, break-even volume and
    (with the projection) the best switch NPV."""
    from rich.console import Console

    from . import sensitivity as sens

    chosen = _chosen(_scenarios(scenarios_path, filled), only)
    parsed = dict(_triple(text) for text in given_ranges)
    results = []
    with _progress("simulate", samples * len(chosen)) as advance:
        for k, s in enumerate(chosen):
            inputs = s.inputs()
            ranges = parsed or _guard_value(lambda i=inputs: sens.default_ranges(i, spread))
            found = _guard_value(lambda i=inputs, r=ranges, k=k, s=s: sens.simulate(
                i, r, samples, seed, projection=with_projection,
                progress=lambda done: advance(str(s.name), k * samples + done)))  # fmt: skip
            results.append((s.name, ranges, found))
    rows = [_simulation_row(name, found) for name, _, found in results]
    if fmt == "csv":
        frame = _frame(rows)
        frame["scenario"] = frame["scenario"].map(_csv_text)
        click.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        records = [{**row, "ranges": {k: list(v) for k, v in ranges.items()}}
                   for row, (_, ranges, _) in zip(rows, results, strict=True)]  # fmt: skip
        click.echo(json.dumps([{k: _json_value(v) for k, v in r.items()} for r in records],
                              indent=2))  # fmt: skip
    else:
        out = Console()
        for row, (name, ranges, _) in zip(rows, results, strict=True):
            out.print(_simulation_table(name, row, ranges))


@main.command()
@scenarios_option
@from_option
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the page, e.g. decision.html.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=20_000,
    show_default=True,
    help="Monte Carlo draws per scenario.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
def report(
    scenarios_path: Path | None, filled: Path | None, output: Path, samples: int, seed: int
) -> None:
    """Write one self-contained HTML page (no external resources) for people who will not
    open a spreadsheet: per scenario the verdict, cost against volume, the projection, the
    tornado, the cost waterfall and the distribution of savings."""
    from . import report as page

    _refuse_overwrite(output, scenarios_path, filled)
    target = _named(output, (".html", ".htm"))
    _refuse_overwrite(target, scenarios_path, filled)
    scenario_set = _scenarios(scenarios_path, filled)
    with _progress("report", len(scenario_set.scenarios)) as advance:
        written = _guard(lambda: page.write_report(target, scenario_set, samples, seed, advance))
    state = "written" if written.changed else "unchanged"
    click.echo(f"{written.path}: {state}")


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the scenarios file here (default: print it).",
)
def scenarios(workbook: Path, output: Path | None) -> None:
    """Write a filled workbook's scenarios out as a scenarios TOML file."""
    from .files import write_file
    from .scenario import dumps

    text = dumps(_carried(workbook))
    if output is None:
        click.echo(text, nl=False)
        return
    _refuse_overwrite(output, workbook)
    output = _named(output, (".toml",))
    _refuse_overwrite(output, workbook)

    def reads_back(path: Path) -> None:
        from .scenario import loads

        loads(path.read_text(encoding="utf-8"))

    written = _guard(lambda: write_file(text.encode("utf-8"), output.expanduser(), reads_back))
    click.echo(f"{written.path}: {'written' if written.changed else 'unchanged'}")
    if written.backup is not None:
        click.echo(f"kept the previous file as {written.backup}")


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
def check(workbook: Path) -> None:
    """Check a filled workbook: every input valid, every result it shows the engine's.

    Exit 0 only when all agree; otherwise each problem is listed, one a line.
    """
    from .workbook.check import check_workbook

    report = _guard(lambda: check_workbook(workbook))
    if report.ok:
        count = len(report.workbook.columns)
        click.echo(f"{workbook}: OK ({count} scenarios, {report.compared} results agree)")
        return
    for problem in report.problems:
        click.echo(f"  {problem}", err=True)
    raise click.ClickException(f"{workbook}: {len(report.problems)} problem(s) (listed above)")


@main.command()
@click.argument("text", required=False, default="")
def prices(text: str) -> None:
    """List API models and their prices per 1M tokens, from genai-prices' bundled data.

    TEXT narrows the list to providers or models containing it (e.g. "llama-3.1-8b").
    """
    from rich.console import Console
    from rich.table import Table

    from . import prices as api

    found = api.search(text)
    if not found:
        raise click.ClickException(f"no API model matches {text!r}")
    table = Table(title=f"API prices per 1M tokens (USD), data as of {api.data_date()}",
                  title_justify="left")  # fmt: skip
    for heading in ("provider", "model"):
        table.add_column(heading, overflow="fold")
    for heading in ("input", "output", "cache read"):
        table.add_column(heading, justify="right", no_wrap=True)
    for p in found:
        table.add_row(p.provider, p.model, *(_money(v) for v in (p.input, p.output, p.cache_read)))
    Console().print(table)


@main.command()
@click.option("--gpu", default=None, help="Only this GPU's offers.")
@click.option(
    "--stale-after",
    type=click.IntRange(min=1),
    default=None,
    help="Days after which an offer is marked stale (default 120).",
)
def gpus(gpu: str | None, stale_after: int | None) -> None:
    """List GPU rental offers from the catalogue, newest first, stale ones marked."""
    from rich.console import Console
    from rich.table import Table

    from . import catalogue

    after = stale_after or catalogue.STALE_DAYS
    offers = catalogue.offers()
    if gpu is not None:
        name = _guard_lookup(lambda: catalogue.find(gpu, catalogue.gpus(), "GPU"))
        offers = [o for o in offers if o.gpu == name]
    table = Table(title=f"GPU offers, USD per GPU-hour (stale: seen over {after} days ago)",
                  title_justify="left")  # fmt: skip
    for heading in ("GPU", "provider", "offer", "pricing", "USD/GPU-h", "seen", "source"):
        table.add_column(heading, justify="right" if heading == "USD/GPU-h" else "left",
                         overflow="fold")  # fmt: skip
    for o in offers:
        seen = f"{o.date_seen} [red]stale[/]" if o.stale(after_days=after) else o.date_seen
        table.add_row(o.gpu, o.provider, o.offer, o.pricing, f"{o.usd_per_gpu_hour:,.2f}", seen,
                      o.source)  # fmt: skip
    Console().print(table)


@main.command()
@click.option(
    "--model", "model_name", required=True, help="An open-weight model, e.g. 'Llama 3.1 8B'."
)
@click.option("--gpu", required=True, help="A GPU of the catalogue, e.g. 'H100 SXM'.")
@click.option("--gpus", "gpu_count", type=click.IntRange(min=1), default=1, show_default=True,
              help="GPUs in one replica (tensor parallel).")  # fmt: skip
@click.option("--precision", default="bf16", show_default=True, help="bf16, fp16, fp8 or int4.")
@click.option("--input-tokens", type=click.FloatRange(min=0), default=1000.0, show_default=True)
@click.option("--output-tokens", type=click.FloatRange(min=1), default=250.0, show_default=True)
@click.option("--max-batch", type=click.IntRange(min=1), default=256, show_default=True)
def estimate(
    model_name: str, gpu: str, gpu_count: int, precision: str, input_tokens: float,
    output_tokens: float, max_batch: int,
) -> None:  # fmt: skip
    """Estimate one replica's serving throughput, with its band and memory breakdown."""
    from . import estimator

    arguments = (model_name, gpu, gpu_count, precision, input_tokens, output_tokens, max_batch)
    e = _guard_lookup(lambda: estimator.estimate(*arguments))
    low, high = e.band
    lines = [
        f"ESTIMATE (roofline calibrated on published measurements; within "
        f"{estimator.BAND:.0%} on them)",
        f"{e.model}, {e.precision}, on {e.gpus} x {e.gpu}; {e.input_tokens:,.0f} tokens in, "
        f"{e.output_tokens:,.0f} out",
        f"  output tokens per second  {e.tokens_per_second:,.0f}  ({low:,.0f} to {high:,.0f})",
        f"  requests per second       {e.requests_per_second:,.2f}",
        f"  batch                     {e.batch} sequences",
        f"  memory                    weights {e.weights_gb:,.1f} GB; KV cache "
        f"{e.kv_gb_per_sequence:,.3f} GB a sequence; {e.usable_gb:,.1f} GB usable",
        f"  decode step               {e.step_seconds * 1000:,.2f} ms, {e.bound}-bound",
    ]
    click.echo("\n".join(lines))


@main.command()
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the .bas files (default: macros/ in the current directory).",
)
def macros(output_dir: Path | None) -> None:
    """Write the VBA modules for Windows Excel: xlwings' wrappers and the functions' help."""
    from . import macros as vba

    for path in _guard(lambda: vba.write(output_dir)):
        click.echo(str(path))


@main.command()
@click.option(
    "--rows",
    type=click.IntRange(min=1000),
    default=1_000_000,
    show_default=True,
    help="Rows in the engine sweep.",
)
@click.option(
    "--draws",
    type=click.IntRange(min=1000),
    default=1_000_000,
    show_default=True,
    help="Monte Carlo draws, alone and with a 36-month projection each.",
)
def benchmark(rows: int, draws: int) -> None:
    """Measure the engine (headline, every output, each row class, peak memory) beside plain
    numpy, the Monte Carlo, the Excel module's import, the workbook build and the report."""
    from rich.console import Console
    from rich.table import Table

    from . import benchmark as bench

    with _progress("benchmark", len(bench.STEPS)) as advance:
        figures = bench.run(rows, advance, draws)
    table = Table(title="llm-breakeven benchmark")
    for heading in ("figure", "engine", "plain numpy", "ratio", "target", "", "how"):
        table.add_column(heading, overflow="fold")
    for f in figures:
        mark = "" if f.met is None else ("[green]met[/]" if f.met else "[red]missed[/]")
        reference = "" if f.reference is None else f"{_figure_value(f.reference, f.unit)}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        table.add_row(f.name, f"{_figure_value(f.value, f.unit)} {f.unit}", reference, ratio,
                      f.target, mark, f.detail)  # fmt: skip
    Console().print(table)


def _figure_value(value: float, unit: str) -> str:
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
_PROJECTION_UNITS: dict[str, str | None] = {
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


def _chosen(scenario_set: Any, only: str | None) -> list[Any]:
    if only is None:
        return list(scenario_set.scenarios)
    found = [s for s in scenario_set.scenarios if s.name == only]
    if not found:
        names = ", ".join(repr(s.name) for s in scenario_set.scenarios)
        raise click.ClickException(f"no scenario named {only!r} (there are {names})")
    return found


def _guard_value(work: Any) -> Any:
    """An engine call on checked scenarios; a value it still refuses is one line."""
    try:
        return work()
    except (ValueError, TypeError) as exc:
        raise click.ClickException(str(exc)) from None


def _axis(text: str | None, option: str) -> tuple[str, list[float]] | None:
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
    return name.strip(), [_checked(name.strip(), v, option) for v in numbers]


def _checked(name: str, value: float, option: str) -> float:
    """`value` of input `name`, by the rule a scenario file applies (a one-line refusal)."""
    from .quantities import FIELDS, QUANTITIES

    quantity = QUANTITIES.get(name)
    if quantity is not None and not quantity.choices:
        reason = quantity.violation(value, scenario=name in FIELDS)
        if reason is not None:
            raise click.BadParameter(reason, param_hint=option)
    return value


def _pair(text: str) -> tuple[str, tuple[float, float]]:
    axis = _axis(text, "--range")
    assert axis is not None
    name, values = axis
    if len(values) != 2 or values[0] > values[1]:
        raise click.BadParameter(f"expected NAME=LOW,HIGH with LOW <= HIGH (got {text!r})",
                                 param_hint="--range")  # fmt: skip
    return name, (values[0], values[1])


def _triple(text: str) -> tuple[str, tuple[float, float, float]]:
    axis = _axis(text, "--range")
    assert axis is not None
    name, values = axis
    if len(values) != 3:
        raise click.BadParameter(f"expected NAME=LOW,BASE,HIGH (got {text!r})",
                                 param_hint="--range")  # fmt: skip
    return name, (values[0], values[1], values[2])


def _concat(frames: list[Any]) -> Any:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)


def _shown(unit_of: str | None, value: Any) -> str:
    from .quantities import QUANTITIES

    if unit_of is None:
        return f"{value:,.6g}" if isinstance(value, float) else str(value)
    return QUANTITIES[unit_of].unit.show(value)


def _frame_table(title: str, frame: Any, units: dict[str, str | None]) -> Any:
    """A frame as a table: each column's label and unit from the catalogue."""
    from .quantities import QUANTITIES

    headings = [QUANTITIES[u].label if (u := units.get(c)) else c for c in frame.columns]
    rows = [[_shown(units.get(c), v) for c, v in zip(frame.columns, row, strict=True)]
            for row in frame.itertuples(index=False)]  # fmt: skip
    return _figures_table(title, headings, rows, label=False)


def _tornado_table(title: str, tornado: Any, figures: tuple[str, ...]) -> Any:
    """The tornado's `figures` beside each input's label, low and high in its own unit."""
    from .quantities import QUANTITIES

    rows = []
    for row in tornado.to_dict(orient="records"):
        q = QUANTITIES[row["input"]]
        rows.append([q.label, q.unit.show(row["low"]), q.unit.show(row["high"]),
                     *(_shown(_TORNADO_UNITS[c], row[c]) for c in figures)])  # fmt: skip
    headings = ["Input", "Low", "High", *(_HEADINGS[c] for c in figures)]
    return _figures_table(title, headings, rows, label=True)


def _figures_table(title: str, headings: list[str], rows: list[list[str]], label: bool) -> Any:
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


def _summary_line(outcome: dict[str, Any], keys: tuple[str, ...]) -> str:
    from .quantities import QUANTITIES

    return "; ".join(f"{QUANTITIES[k].label}: {QUANTITIES[k].unit.show(outcome[k])}"
                     for k in keys)  # fmt: skip


def _grid_table(name: Any, grid: Any) -> Any:
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


def _simulation_row(name: Any, found: dict[str, Any]) -> dict[str, Any]:
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


def _simulation_table(name: Any, row: dict[str, Any], ranges: dict[str, Any]) -> Any:
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
                QUANTITIES[unit].label, *(_shown(unit, row[f"{figure}_p{p}"]) for p in (10, 50, 90))
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


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.3f}"


def _guard_lookup(work: Any) -> Any:
    """A catalogue look-up; an unknown name or a model that does not fit is one line."""
    try:
        return work()
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from None


def _load(path: Path | None) -> Any:
    from .scenario import load

    return _guard(lambda: load(path))


def _scenarios(scenarios_path: Path | None, filled: Path | None) -> Any:
    """The scenarios of a TOML file, or of a filled workbook (reporting what was carried)."""
    if scenarios_path is not None and filled is not None:
        raise click.UsageError("give --scenarios or --from, not both")
    scenario_set = _load(scenarios_path) if filled is None else _carried(filled)
    _warn_slips(scenario_set)
    return scenario_set


def _warn_slips(scenario_set: Any) -> None:
    """Likely unit slips on stderr, one line each: they warn, they do not stop."""
    from .plausibility import warnings

    for s in scenario_set.scenarios:
        for slip in warnings(s.inputs()):
            click.echo(f"warning: {s.name}: {slip.line()}", err=True)


def _carried(filled: Path) -> Any:
    """A filled workbook's scenarios; what was not carried is listed on stderr, and a
    rejected input stops the command with every rejected input named."""
    from .workbook.reader import read_workbook

    workbook = _guard(lambda: read_workbook(filled))
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


def _named(path: Path, suffixes: tuple[str, ...]) -> Path:
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


def _refuse_overwrite(target: Path, *sources: Path | None) -> None:
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


def _guard(work: Any) -> Any:
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


def _print_table(results: Any, scenario_set: Any) -> None:
    """The headline figures, then billing and resilience, the hybrid and buy vs rent: one
    table each, one column per scenario (see `_print_section`)."""
    from rich.console import Console

    console = Console()
    for title, keys in SECTIONS:
        _print_section(console, results, title, keys)
    console.print("Recommendation", style="italic")
    for name, text in zip(results.index, results["recommendation"], strict=True):
        console.print(f"  {name}: {text}", highlight=False)
    console.print()
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


def _print_section(console: Any, results: Any, title: str, keys: tuple[str, ...]) -> None:
    """One row per figure, one column per scenario, as many scenario columns as the terminal
    holds side by side: more scenarios continue in further tables, and a terminal too narrow
    for even one column gets each scenario as a list. A figure is never cut."""
    from .quantities import QUANTITIES

    labels = [QUANTITIES[key].label for key in keys]
    names = [str(name) for name in results.index]
    shown = _priced_only(results)
    figures = [["–" if v is None else QUANTITIES[key].unit.show(v) for v in shown[key]]
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
        console.print(_table(heading, label_width, chunk, names, widths, labels, figures))


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


def _table(
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


def _priced_only(results: Any) -> Any:
    """`results` (as objects) with owning's figures None where no purchase price is given:
    a payback of 0 months or savings of the whole rent would be figures with no warrant."""
    from .quantities import NEED_PURCHASE_PRICE

    shown = results.astype(object)
    unpriced = ~(results["purchase_price"] > 0)
    for key in NEED_PURCHASE_PRICE:
        if key in shown.columns:
            shown.loc[unpriced, key] = None
    return shown


def _csv_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _infinite(value: Any) -> bool:
    return isinstance(value, float) and math.isinf(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
