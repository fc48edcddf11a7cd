"""The benchmark behind `llm-breakeven benchmark`: each figure beside its target, in one run.

- engine: `model.evaluate` over a sweep of random scenarios (1M rows by default), best of
  several runs after a warm-up, beside a plain-Python loop calling the engine row by row;
- the import time of `llm_breakeven.udfs` beyond `import xlwings`, in fresh interpreters;
- the time to build the default workbook, in memory;
- Monte Carlo: draws per second of `sensitivity.simulate` on the article's example (each key
  input ±20 %), alone and with each draw's 36-month projection.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import model
from .quantities import sample

ENGINE_TARGET = 10_000_000  # rows per second
IMPORT_TARGET = 0.150  # seconds beyond xlwings
BUILD_TARGET = 2.0  # seconds
SIMULATE_TARGET = 1_000_000  # draws per second


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its target."""

    name: str
    value: float
    unit: str
    target: str
    met: bool | None
    detail: str = ""


def sweep(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    """`rows` random but valid scenarios, as the keyword arrays of `model.evaluate`: every
    scenario input of the catalogue, drawn from its test range."""
    return sample(rows, seed)


def engine_throughput(
    rows: int = 1_000_000, repeats: int = 10, loop_rows: int = 20_000
) -> list[Figure]:
    """Rows per second of the vectorized engine and of a per-row Python loop over it."""
    columns = sweep(rows)
    model.evaluate(**columns)  # warm-up: the first run pays for fresh memory pages
    # the best run measures the engine; the median shows how noisy the machine was
    runs = [_time(lambda: model.evaluate(**columns)) for _ in range(repeats)]
    best, median = min(runs), statistics.median(runs)
    loop_rows = min(loop_rows, rows)
    # one scenario's inputs as Python scalars: floats, and texts for the choices
    scalars = [
        {k: v[i].item() if isinstance(v[i], np.generic) else v[i] for k, v in columns.items()}
        for i in range(loop_rows)
    ]
    looped = _time(lambda: [model.evaluate(**row) for row in scalars])
    return [
        Figure(
            "engine, vectorized",
            rows / best,
            "rows/s",
            f">= {ENGINE_TARGET:,}",
            rows / best >= ENGINE_TARGET,
            f"{rows:,} rows, best of {repeats}: {best * 1000:.1f} ms"
            f" (median {rows / median:,.0f} rows/s)",
        ),
        Figure(
            "engine, plain-Python loop",
            loop_rows / looped,
            "rows/s",
            "baseline",
            None,
            f"first {loop_rows:,} of the same rows, one engine call each",
        ),
    ]


def udfs_import(runs: int = 5) -> Figure:
    """Seconds to import `llm_breakeven.udfs` once xlwings is imported, in fresh processes."""
    code = (
        "import time, xlwings; t = time.perf_counter(); import llm_breakeven.udfs; "
        "print(time.perf_counter() - t)"
    )
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        samples.append(float(done.stdout.strip()))
    median = statistics.median(samples)
    return Figure(
        "import llm_breakeven.udfs beyond xlwings",
        median * 1000,
        "ms",
        f"<= {IMPORT_TARGET * 1000:.0f} ms",
        median <= IMPORT_TARGET,
        f"median of {runs} fresh interpreters (min {min(samples) * 1000:.1f} ms)",
    )


def workbook_build(runs: int = 3) -> Figure:
    """Seconds to build the default workbook into bytes (scenarios loaded, file not written)."""
    from .scenario import load
    from .workbook import build, workbook_bytes

    first = _time(lambda: workbook_bytes(build(load())))
    best = min([first, *(_time(lambda: workbook_bytes(build(load()))) for _ in range(runs - 1))])
    return Figure(
        "build the default workbook",
        best,
        "s",
        f"<= {BUILD_TARGET:.0f} s",
        best <= BUILD_TARGET,
        f"best of {runs}; first run {first:.3f} s",
    )


def monte_carlo(samples: int = 1_000_000) -> list[Figure]:
    """Draws per second of `simulate`, alone and with a 36-month projection per draw."""
    from . import sensitivity
    from .scenario import load

    inputs = {**load().scenarios[0].inputs(), "horizon_months": 36}
    ranges = sensitivity.default_ranges(inputs)
    alone = _time(lambda: sensitivity.simulate(inputs, ranges, samples))
    projected = _time(lambda: sensitivity.simulate(inputs, ranges, samples, projection=True))
    return [
        Figure(
            "Monte Carlo draws",
            samples / alone,
            "draws/s",
            f">= {SIMULATE_TARGET:,}",
            samples / alone >= SIMULATE_TARGET,
            f"{samples:,} draws of {len(ranges)} inputs: {alone:.2f} s",
        ),
        Figure(
            "Monte Carlo draws, 36-month projection each",
            samples / projected,
            "draws/s",
            "reported",
            None,
            f"{samples:,} draws: {projected:.2f} s, {36 * samples / projected:,.0f} month-rows/s",
        ),
    ]


def run(
    rows: int = 1_000_000,
    progress: Callable[[str], None] | None = None,
    draws: int = 1_000_000,
) -> list[Figure]:
    """Every figure, in the order the README lists them."""
    step = progress or (lambda _: None)
    step("engine")
    figures = engine_throughput(rows)
    step("udfs import")
    figures.append(udfs_import())
    step("workbook build")
    figures.append(workbook_build())
    step("Monte Carlo")
    figures.extend(monte_carlo(draws))
    return figures


def _time(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
