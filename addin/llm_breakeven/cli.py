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
    "api_cost_per_request",
    "selfhost_cost_per_request",
    "monthly_savings",
    "replicas_needed",
    "breakeven_volume",
    "sustained_breakeven_volume",
    "breakeven_utilization",
)

scenarios_option = click.option(
    "--scenarios",
    "scenarios_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Scenarios TOML file (default: the embedded default scenarios).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="llm-breakeven")
def main() -> None:
    """When does self-hosting an open-weight LLM beat paying an API per token?"""


@main.command()
@scenarios_option
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the workbook (default: llm-breakeven.xlsx in the current directory).",
)
def build(scenarios_path: Path | None, output: Path | None) -> None:
    """Write the template workbook and print the headline results."""
    from .workbook import write_workbook

    scenario_set = _load(scenarios_path)
    written = _guard(lambda: write_workbook(output, scenario_set))
    state = "written" if written.changed else "unchanged"
    click.echo(f"{written.path}: {state}")
    if written.backup is not None:
        click.echo(f"kept the previous file as {written.backup}")
    _print_table(scenario_set.evaluate())


@main.command()
@scenarios_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table for people, CSV or JSON (every output) for machines.",
)
def compute(scenarios_path: Path | None, fmt: str) -> None:
    """Print the headline results of every scenario.

    In CSV a break-even that never comes reads "never"; in JSON it is null.
    """
    results = _load(scenarios_path).evaluate()
    if fmt == "table":
        _print_table(results)
    elif fmt == "csv":
        frame = results.astype(object).map(lambda v: "never" if _infinite(v) else v)
        click.echo(frame.to_csv(lineterminator="\n"), nl=False)
    else:
        records = [
            {"scenario": name, **{k: _json_value(v) for k, v in row.items()}}
            for name, row in results.to_dict(orient="index").items()
        ]
        click.echo(json.dumps(records, indent=2))


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


def _load(path: Path | None) -> Any:
    from .scenario import load

    return _guard(lambda: load(path))


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
    """One row per headline figure, one column per scenario: fits a terminal for a few."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from .quantities import QUANTITIES

    table = Table(title="Headline results", box=box.SIMPLE_HEAD)
    # labels wrap; figures fold rather than be cut to an ellipsis
    table.add_column("", min_width=12, max_width=40, overflow="fold")
    for name in results.index:
        table.add_column(str(name), justify="right", overflow="fold")
    for key in HEADLINE:
        quantity = QUANTITIES[key]
        table.add_row(quantity.label, *(quantity.unit.show(v) for v in results[key]))
    Console().print(table)


def _infinite(value: Any) -> bool:
    return isinstance(value, float) and math.isinf(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
