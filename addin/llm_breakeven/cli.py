"""The command line: `llm-breakeven build | compute | macros | benchmark`.

Every command is a thin shell over a library call (`workbook.write_workbook`,
`scenario.load(...).evaluate()`, `macros.write`, `benchmark.run`) that a user could make
directly; the commands parse options, call it and format what it returns.
"""

from __future__ import annotations

import json
import math
import sys
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
    from .workbook import DEFAULT_WORKBOOK_NAME, write_workbook

    target = Path(output if output is not None else DEFAULT_WORKBOOK_NAME).expanduser()
    for source in (scenarios_path, filled):
        if source is not None and _same_file(source, target):
            raise click.ClickException(f"{target}: the output would overwrite the input")
    scenario_set = _scenarios(scenarios_path, filled)
    written = _guard(lambda: write_workbook(target, scenario_set))
    state = "written" if written.changed else "unchanged"
    click.echo(f"{written.path}: {state}")
    if written.backup is not None:
        click.echo(f"kept the previous file as {written.backup}")
    _print_table(scenario_set.evaluate())


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

    In CSV a break-even that never comes reads "never"; in JSON it is null.
    """
    results = _scenarios(scenarios_path, filled).evaluate()
    if fmt == "table":
        _print_table(results)
    elif fmt == "csv":
        frame = results.astype(object).map(lambda v: "never" if _infinite(v) else _csv_text(v))
        frame.index = frame.index.map(_csv_text)
        click.echo(frame.to_csv(lineterminator="\n"), nl=False)
    else:
        records = [
            {"scenario": name, **{k: _json_value(v) for k, v in row.items()}}
            for name, row in results.to_dict(orient="index").items()
        ]
        click.echo(json.dumps(records, indent=2))


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
    if _same_file(workbook, output):
        raise click.ClickException(f"{output}: the output would overwrite the input")

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
def benchmark(rows: int) -> None:
    """Measure engine throughput, the Excel module's import time and the workbook build time."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from . import benchmark as bench

    with Progress(transient=True) as progress:
        task = progress.add_task("benchmark", total=3)

        def step(name: str) -> None:
            progress.update(task, description=name, advance=0 if name == "engine" else 1)

        figures = bench.run(rows, step)
    table = Table(title="llm-breakeven benchmark")
    for heading in ("figure", "measured", "target", "", "how"):
        table.add_column(heading)
    for f in figures:
        mark = "" if f.met is None else ("[green]met[/]" if f.met else "[red]missed[/]")
        value = (
            f"{f.value:,.0f}"
            if f.unit == "rows/s"
            else f"{f.value:,.3f}"
            if f.unit == "s"
            else f"{f.value:,.1f}"
        )
        table.add_row(f.name, f"{value} {f.unit}", f.target, mark, f.detail)
    Console().print(table)


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
    if filled is None:
        return _load(scenarios_path)
    return _carried(filled)


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


def _print_table(results: Any) -> None:
    """The headline figures, then billing and resilience, the hybrid and buy vs rent: one
    table each, one column per scenario (see `_print_section`)."""
    from rich.console import Console

    console = Console()
    for title, keys in SECTIONS:
        _print_section(console, results, title, keys)
    alternating = [n for n, band in zip(results.index, results["in_alternating_band"],
                                        strict=True) if band]  # fmt: skip
    if alternating:
        console.print(
            f"{', '.join(map(str, alternating))}: the own volume lies between the break-even "
            "and the sustained break-even, where the cheaper option alternates as replicas "
            "are added."
        )
    unpriced = [str(n) for n, price in zip(results.index, results["purchase_price"],
                                           strict=True) if not price > 0]  # fmt: skip
    if unpriced:
        console.print(f"{', '.join(unpriced)}: no purchase price given, so owning is not "
                      "priced (–).")  # fmt: skip


def _print_section(console: Any, results: Any, title: str, keys: tuple[str, ...]) -> None:
    """One row per figure, one column per scenario, as many scenario columns as the terminal
    holds side by side: more scenarios continue in further tables, and a terminal too narrow
    for even one column gets each scenario as a list. A figure is never cut."""
    from .quantities import NEED_PURCHASE_PRICE, QUANTITIES

    labels = [QUANTITIES[key].label for key in keys]
    names = [str(name) for name in results.index]
    priced = [price > 0 for price in results["purchase_price"]]
    figures = [
        [
            "–" if key in NEED_PURCHASE_PRICE and not priced[k] else QUANTITIES[key].unit.show(v)
            for k, v in enumerate(results[key])
        ]
        for key in keys
    ]
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
