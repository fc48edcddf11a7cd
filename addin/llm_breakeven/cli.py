"""The command line: `llm-breakeven build | compute | project | sensitivity | simulate |
report | macros | lite | benchmark` and the catalogue look-ups.

Every command is a thin shell over a library call (`workbook.write_workbook`,
`scenario.load(...).evaluate()`, `projection.project`, `sensitivity.tornado` and `grid`,
`sensitivity.simulate`, `report.write_report`, `macros.write`, `lite.write`, `benchmark.run`)
that a user could make directly; the commands parse options, call it and format what it
returns.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from . import __version__
from .terminal import (
    PROJECTION_SHOWN,
    PROJECTION_SUMMARY,
    PROJECTION_UNITS,
    axis_of,
    carried_report,
    chosen_scenarios,
    concat_of,
    csv_text,
    figure_value,
    frame_of,
    frame_table,
    grid_table,
    guard_lookup,
    guard_value,
    guarded_call,
    infinite,
    json_value,
    money_text,
    named_of,
    pair_of,
    priced_only,
    print_table,
    refuse_overwrite,
    scenarios_of,
    simulation_row,
    simulation_table,
    summary_line,
    tornado_table,
    triple_of,
)

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
    refuse_overwrite(target, scenarios_path, filled)
    target = named_of(target, (".xlsx",))
    refuse_overwrite(target, scenarios_path, filled)
    scenario_set = scenarios_of(scenarios_path, filled)
    with _progress("build", BUILD_STEPS) as advance:
        written = guarded_call(lambda: write_workbook(target, scenario_set, advance))
    state = "written" if written.changed else "unchanged"
    click.echo(f"{written.path}: {state}")
    if written.backup is not None:
        click.echo(f"kept the previous file as {written.backup}")
    print_table(scenario_set.evaluate(), scenario_set)


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
    scenario_set = scenarios_of(scenarios_path, filled)
    results = scenario_set.evaluate()
    if fmt == "table":
        print_table(results, scenario_set)
        return
    results = priced_only(results)
    if fmt == "csv":
        frame = results.map(lambda v: "never" if infinite(v) else csv_text(v))
        frame.index = frame.index.map(csv_text)
        click.echo(frame.to_csv(lineterminator="\n"), nl=False)
    else:
        records = [
            {"scenario": name, **{k: json_value(v) for k, v in row.items()}}
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

    scenario_set = scenarios_of(scenarios_path, filled)
    chosen = chosen_scenarios(scenario_set, only)
    currency = scenario_set.currency_symbol
    tables = {s.name: guard_value(lambda s=s: projection.project(s.inputs())) for s in chosen}
    outcomes = {s.name: s.evaluate() for s in chosen}
    if fmt == "csv":
        frames = [t.assign(scenario=name) for name, t in tables.items()]
        joined = concat_of(frames)[["scenario", *projection.COLUMNS]]
        joined["scenario"] = joined["scenario"].map(csv_text)
        click.echo(joined.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        records = [
            {"scenario": name,
             **{k: json_value(outcomes[name][k]) for k in PROJECTION_SUMMARY},
             "months": [{k: json_value(v) for k, v in row.items()}
                        for row in table.to_dict(orient="records")]}
            for name, table in tables.items()
        ]  # fmt: skip
        click.echo(json.dumps(records, indent=2))
    else:
        from rich.console import Console

        console = Console()
        for name, table in tables.items():
            shown = table[list(PROJECTION_SHOWN)]
            console.print(frame_table(f"{name}: month by month", shown, PROJECTION_UNITS,
                                      currency))  # fmt: skip
            console.print(summary_line(outcomes[name], PROJECTION_SUMMARY, currency),
                          highlight=False)  # fmt: skip
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

    scenario_set = scenarios_of(scenarios_path, filled)
    chosen = chosen_scenarios(scenario_set, only)
    currency = scenario_set.currency_symbol
    ends = dict(pair_of(text) for text in given_ranges)
    results = []
    default_rows = ("utilization", list(sens.DEFAULT_UTILIZATIONS))
    row_count = len((axis_of(row_axis, "--rows") or default_rows)[1])
    with _progress("sensitivity", row_count * len(chosen)) as advance:
        for position, s in enumerate(chosen):
            inputs = s.inputs()
            rows = axis_of(row_axis, "--rows") or default_rows
            columns = axis_of(column_axis, "--columns") or (
                "hourly_rate",
                [inputs["hourly_rate"] * k for k in sens.DEFAULT_FACTORS],
            )
            tornado = guard_value(lambda i=inputs: sens.tornado(i, spread=spread, ranges=ends))
            grid = guard_value(lambda i=inputs, r=rows, c=columns, p=position, s=s: sens.grid(
                i, r, c, lambda done: advance(str(s.name), p * row_count + done)))  # fmt: skip
            results.append((s.name, tornado, grid))
    if fmt == "csv":
        frames = [t.assign(scenario=name) for name, t, _ in results]
        joined = concat_of(frames)
        joined = joined[["scenario", *[c for c in joined.columns if c != "scenario"]]]
        joined["scenario"] = joined["scenario"].map(csv_text)
        click.echo(joined.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        records = [{"scenario": name,
                    "tornado": [{k: json_value(v) for k, v in row.items()}
                                for row in t.to_dict(orient="records")],
                    "grid": {"rows": g.index.name, "columns": g.columns.name,
                             "row_values": g.index.tolist(),
                             "column_values": g.columns.tolist(),
                             "ratio": [[json_value(v) for v in r] for r in g.to_numpy()]}}
                   for name, t, g in results]  # fmt: skip
        click.echo(json.dumps(records, indent=2))
    else:
        from rich.console import Console

        console = Console()
        for name, tornado, grid in results:
            title = f"{name}: each input at ±{spread:.0%}, largest swing in savings first"
            console.print(tornado_table(title, tornado, ("savings_low", "savings_high"),
                                        currency))  # fmt: skip
            console.print(tornado_table(f"{name}: the break-even volume at each end", tornado,
                                        ("breakeven_low", "breakeven_high"), currency))  # fmt: skip
            console.print(grid_table(name, grid))
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

    scenario_set = scenarios_of(scenarios_path, filled)
    chosen = chosen_scenarios(scenario_set, only)
    currency = scenario_set.currency_symbol
    parsed = dict(triple_of(text) for text in given_ranges)
    results = []
    with _progress("simulate", samples * len(chosen)) as advance:
        for k, s in enumerate(chosen):
            inputs = s.inputs()
            ranges = parsed or guard_value(lambda i=inputs: sens.default_ranges(i, spread))
            found = guard_value(lambda i=inputs, r=ranges, k=k, s=s: sens.simulate(
                i, r, samples, seed, projection=with_projection,
                progress=lambda done: advance(str(s.name), k * samples + done)))  # fmt: skip
            results.append((s.name, ranges, found))
    rows = [simulation_row(name, found) for name, _, found in results]
    if fmt == "csv":
        frame = frame_of(rows)
        frame["scenario"] = frame["scenario"].map(csv_text)
        click.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        records = [{**row, "ranges": {k: list(v) for k, v in ranges.items()}}
                   for row, (_, ranges, _) in zip(rows, results, strict=True)]  # fmt: skip
        click.echo(json.dumps([{k: json_value(v) for k, v in r.items()} for r in records],
                              indent=2))  # fmt: skip
    else:
        out = Console()
        for row, (name, ranges, _) in zip(rows, results, strict=True):
            out.print(simulation_table(name, row, ranges, currency))


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
    default=10_000,
    show_default=True,
    help="Monte Carlo draws per scenario, for the distribution of savings (the "
    "recommendation's odds always take 10,000).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
def report(
    scenarios_path: Path | None, filled: Path | None, output: Path, samples: int, seed: int
) -> None:
    """Write one self-contained HTML page (no external resources) for people who will not
    open a spreadsheet: per scenario the verdict, cost against volume, the projection, the
    tornado, the cost waterfall and the distribution of savings."""
    from . import report as page

    refuse_overwrite(output, scenarios_path, filled)
    target = named_of(output, (".html", ".htm"))
    refuse_overwrite(target, scenarios_path, filled)
    scenario_set = scenarios_of(scenarios_path, filled)
    with _progress("report", len(scenario_set.scenarios)) as advance:
        written = guarded_call(
            lambda: page.write_report(target, scenario_set, samples, seed, advance)
        )
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

    text = dumps(carried_report(workbook))
    if output is None:
        click.echo(text, nl=False)
        return
    refuse_overwrite(output, workbook)
    output = named_of(output, (".toml",))
    refuse_overwrite(output, workbook)

    def reads_back(path: Path) -> None:
        from .scenario import loads

        loads(path.read_text(encoding="utf-8"))

    written = guarded_call(
        lambda: write_file(text.encode("utf-8"), output.expanduser(), reads_back)
    )
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

    report = guarded_call(lambda: check_workbook(workbook))
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
        table.add_row(
            p.provider, p.model, *(money_text(v) for v in (p.input, p.output, p.cache_read))
        )
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
        name = guard_lookup(lambda: catalogue.find(gpu, catalogue.gpus(), "GPU"))
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
    e = guard_lookup(lambda: estimator.estimate(*arguments))
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

    for path in guarded_call(lambda: vba.write(output_dir)):
        click.echo(str(path))


@main.command()
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Where to write main.py and requirements.txt for the xlwings Lite workbook.",
)
@click.option(
    "--wheel-url",
    default=None,
    help="Install llm-breakeven from this wheel's URL instead of by name and version.",
)
def lite(output_dir: Path, wheel_url: str | None) -> None:
    """Write what an xlwings Lite workbook needs to run the Excel functions in the browser."""
    from . import lite as browser

    for path in guarded_call(lambda: browser.write(output_dir, wheel_url)):
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
        reference = "" if f.reference is None else f"{figure_value(f.reference, f.unit)}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        table.add_row(f.name, f"{figure_value(f.value, f.unit)} {f.unit}", reference, ratio,
                      f.target, mark, f.detail)  # fmt: skip
    Console().print(table)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
