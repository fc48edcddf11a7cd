"""The benchmark behind `llm-breakeven benchmark`: each figure beside its target, in one run.

- the engine: `model.evaluate` over a 1M-row mixed sweep of random scenarios (on rows this
  many, the compiled loop of `llm_breakeven.kernel`, compiled or loaded from its cache in
  the warm-up), for the headline
  outputs and for every output, beside `reference_headline`, the same headline arithmetic
  written in plain numpy (it checks the engine's figures too); then per row class (flat,
  hourly always-on, active window, scale-to-zero, owned, hybrid), so a slow class cannot hide
  in an average; and the peak memory of a whole evaluation, inputs and outputs included;
- Monte Carlo: draws per second of `sensitivity.simulate` on the first default scenario
  (each key input ±20 %), alone and with each draw's 36-month projection (month-rows/s);
- the import time of `llm_breakeven.udfs` beyond `import xlwings`, in fresh interpreters;
- the time to build the default workbook (in memory) and to render the HTML report.

Times are the best of several runs after a warm-up (the median shows how noisy the machine
was); a figure's target is the one DESIGN.md and the README state.
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from . import model
from .quantities import FIELDS, REPLICA_TOLERANCE
from .sampling import sample

HEADLINE_TARGET = 10_000_000  # rows per second
EVERY_OUTPUT_TARGET = 4_000_000  # rows per second
MEMORY_TARGET = 1_600  # bytes a row, inputs and outputs included
PROJECTED_TARGET = 25_000_000  # month-rows per second
IMPORT_TARGET = 0.100  # seconds beyond xlwings
BUILD_TARGET = 1.0  # seconds
REPORT_TARGET = 2.0  # seconds

#: the headline outputs: what a decision reads first
HEADLINE = (
    "api_cost_per_request", "replica_monthly_cost", "replica_capacity", "replicas_needed",
    "utilization", "api_monthly_cost", "selfhost_total_monthly_cost", "selfhost_cost_per_request",
    "monthly_savings", "breakeven_volume", "breakeven_utilization", "cheaper_option",
)  # fmt: skip

#: a business day: quiet nights, a morning and an afternoon peak (the hourly classes' profile)
BUSINESS_DAY = np.array([1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 8, 9, 9, 8, 6, 4, 3, 2, 2, 1, 1],
                        dtype=float)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its plain-numpy reference (if any) and its target."""

    name: str
    value: float
    unit: str
    target: str
    met: bool | None
    detail: str = ""
    reference: float | None = None

    @property
    def ratio(self) -> float | None:
        """The engine's speed as a share of the reference's (1 is as fast)."""
        return None if self.reference is None else self.value / self.reference


def sweep(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    """`rows` random but valid scenarios, as the keyword arrays of `model.evaluate`: every
    scenario input of the catalogue drawn from its test range, the choices as the codes a
    large sweep passes (`model.choice_codes`)."""
    columns = sample(rows, seed)
    for name, quantity in FIELDS.items():
        if quantity.choices:
            columns[name] = model.choice_codes(name, columns[name])
    return columns


def row_class(name: str, rows: int, seed: int = 0) -> dict[str, Any]:
    """A sweep of one row class: "flat" (always-on, rented, no profile), "hourly always-on"
    (a business-day profile), "active window", "scale-to-zero" (the profile, hour by hour),
    "owned" (bought replicas) or "hybrid" (flat inputs, for `model.hybrid`)."""
    columns: dict[str, Any] = sweep(rows, seed)
    mode = {"active window": "active-window", "scale-to-zero": "scale-to-zero"}
    columns["billing_mode"] = model.choice_codes("billing_mode", [mode.get(name, "always-on")])
    columns["ownership"] = model.choice_codes("ownership", ["buy" if name == "owned" else "rent"])
    if name in ("hourly always-on", "scale-to-zero"):
        columns["hourly_profile"] = BUSINESS_DAY
    if name == "owned":
        columns["purchase_price"] = np.full(rows, 30_000.0)
    return columns


def reference_headline(c: dict[str, Any]) -> dict[str, np.ndarray]:
    """The headline arithmetic in plain numpy, from DESIGN.md's relations, for rows that
    give every input (as `sweep` draws them) and a profile shared by every row (or none).
    Written apart from the engine's definitions: the benchmark's yardstick and a check."""
    cached = np.where(np.isnan(c["cached_price"]), c["input_price"], c["cached_price"])
    share = c["cached_share"]
    blended = (1 - share) * c["input_price"] + share * cached
    api = (c["input_tokens"] * blended + c["output_tokens"] * c["output_price"]) / 1e6
    api = api * (1 - c["batch_discount"])
    hours = c["hours_per_month"]
    rps = c["replica_throughput"]
    rps = np.where(np.isnan(rps), c["replica_output_tokens_per_second"] / c["output_tokens"], rps)
    capacity = rps * 3600 * hours
    weights = np.asarray(c.get("hourly_profile", np.ones(24)), dtype=float)
    peak = weights.max() / weights.mean() * c["peak_to_average"]
    volume, headroom = c["monthly_volume"], c["max_utilization"]
    serving = np.maximum(1, np.ceil(volume * peak / (capacity * headroom) - REPLICA_TOLERANCE))
    # billed hours: always on, a daily window, or the replica-hours each hour of the day needs
    mode = np.broadcast_to(c["billing_mode"], volume.shape)
    billed = np.where(
        mode == model.choice_codes("billing_mode", ["active-window"])[0],
        c["active_hours_per_day"] * hours / 24,
        hours,
    )
    scaled = np.flatnonzero(mode == model.choice_codes("billing_mode", ["scale-to-zero"])[0])
    if scaled.size:  # hour by hour, on those rows alone
        hours_s, count = hours[scaled], len(weights)
        per_hour = (volume[scaled] * count / hours_s)[:, None] * weights / weights.sum()
        usable = capacity[scaled] / hours_s * headroom[scaled] / c["peak_to_average"][scaled]
        each = np.ceil(per_hour / usable[:, None] - REPLICA_TOLERANCE)
        starts = np.abs(each - np.roll(each, 1, axis=1)).sum(axis=1) / 2 * hours_s / count
        needed = each.sum(axis=1) * hours_s / count
        per_replica = (needed + c["cold_start_hours"][scaled] * starts) / serving[scaled]
        billed[scaled] = np.minimum(per_replica, hours_s)
    price = c["purchase_price"]
    owned = (price * (1 - c["residual_share"]) / c["life_months"]
             + c["annual_cost_of_capital"] / 12 * price * (1 + c["residual_share"]) / 2
             + c["annual_maintenance_share"] / 12 * price
             + c["power_kw"] * c["pue"] * hours * c["price_per_kwh"]
             + c["colocation_per_kw_month"] * c["power_kw"])  # fmt: skip
    bought = c["ownership"] == model.choice_codes("ownership", ["buy"])[0]
    gpus = c["gpus_per_replica"]
    replica = np.where(bought, gpus * owned, c["hourly_rate"] * gpus * billed)
    fixed = (c["ops_fte"] * c["annual_cost_per_fte"] / 12 + c["other_fixed_monthly_cost"]
             + c["one_time_cost"] / c["amortization_months"])  # fmt: skip
    failover = c["failover_replicas"]
    fallback = np.where(failover > 0, 0.0, 1 - c["availability"])
    variable = (1 - fallback) * c["variable_cost_per_request"] + fallback * api
    replicas = serving + failover
    selfhost = replicas * replica + fixed + volume * variable
    per_request = selfhost / volume
    # break-even with whole replicas: n* replicas first meet the API bill
    margin = api - variable
    gap = capacity * headroom / peak * margin - replica
    reachable = gap > 0
    first = np.maximum(1, np.ceil((fixed + failover * replica) / gap - REPLICA_TOLERANCE))
    breakeven = np.where(reachable, (fixed + (failover + first) * replica) / margin, np.inf)
    one = np.where(margin > 0, ((1 + failover) * replica + fixed) / (capacity * margin), np.inf)
    utilization_then = np.where(reachable, breakeven / ((first + failover) * capacity), one)
    # a rented fleet scaling to zero has no closed form: its break-evens are walked
    # (`crossing`, held to a dense sweep by tests/test_crossing.py), and not compared here
    walked = (mode == model.choice_codes("billing_mode", ["scale-to-zero"])[0]) & ~bought
    breakeven = np.where(walked, np.nan, breakeven)
    utilization_then = np.where(walked, np.nan, utilization_then)
    near = np.abs(per_request - api) <= c["tolerance"] * api
    verdict = np.where(near, 1, np.where(per_request < api, 2, 0))
    return {
        "api_cost_per_request": api, "replica_monthly_cost": replica,
        "replica_capacity": capacity, "replicas_needed": replicas,
        "utilization": volume / (serving * capacity), "api_monthly_cost": volume * api,
        "selfhost_total_monthly_cost": selfhost, "selfhost_cost_per_request": per_request,
        "monthly_savings": volume * api - selfhost, "breakeven_volume": breakeven,
        "breakeven_utilization": utilization_then, "cheaper_option": verdict,
    }  # fmt: skip


def largest_difference(engine: dict[str, Any], reference: dict[str, np.ndarray]) -> float:
    """The largest relative difference between the engine's headline and the reference's
    (infinities and verdicts must agree exactly)."""
    worst = 0.0
    verdicts = {"API": 0, "Break-even": 1, "Self-host": 2}
    for name, want in reference.items():
        got = engine[name]
        if name == "cheaper_option":
            codes = np.vectorize(verdicts.__getitem__, otypes=[int])(got)
            worst = max(worst, float(np.mean(codes != want)))
            continue
        compared = ~np.isnan(want)  # NaN: a figure the reference leaves out
        got, want = np.asarray(got, dtype=float)[compared], want[compared]
        finite = np.isfinite(want)
        if np.any(np.isfinite(got) != finite):
            return math.inf
        scale = np.maximum(np.abs(want[finite]), 1e-300)
        worst = max(worst, float(np.max(np.abs(got[finite] - want[finite]) / scale, initial=0)))
    return worst


def engine(rows: int = 1_000_000, repeats: int = 5) -> list[Figure]:
    """The mixed sweep: headline and every output beside the plain-numpy reference, and the
    peak memory of a whole evaluation."""
    columns = sweep(rows)
    headline = model.evaluate(HEADLINE, **columns)  # warm-up: fresh pages paid for here
    reference = reference_headline(columns)
    difference = largest_difference(headline, reference)
    plain = _best(lambda: reference_headline(columns), repeats)
    fast = _best(lambda: model.evaluate(HEADLINE, **columns), repeats)
    every = _best(lambda: model.evaluate(**columns), max(2, repeats // 2))
    figures = [
        Figure("engine, headline outputs", rows / fast[0], "rows/s", f">= {HEADLINE_TARGET:,}",
               rows / fast[0] >= HEADLINE_TARGET,
               f"{len(HEADLINE)} outputs of {rows:,} mixed rows: {fast[0] * 1000:.0f} ms "
               f"(median {rows / fast[1]:,.0f} rows/s); equals the reference to "
               f"{difference:.0e}", rows / plain[0]),
        Figure("engine, every output", rows / every[0], "rows/s", f">= {EVERY_OUTPUT_TARGET:,}",
               rows / every[0] >= EVERY_OUTPUT_TARGET,
               f"{len(model.OUTPUTS)} outputs: {every[0] * 1000:.0f} ms; reference: the "
               "headline arithmetic", rows / plain[0]),
    ]  # fmt: skip
    figures.append(fresh_memory(rows, len(model.OUTPUTS)))
    figures.append(peak_memory(rows, columns))
    return figures


def fresh_memory(rows: int, outputs: int, repeats: int = 3) -> Figure:
    """The floor under every output's figure on this machine: rows per second at which
    `outputs` fresh float arrays can merely be written (each new page costs a fault)."""

    def write() -> None:
        held = [np.empty(rows) for _ in range(outputs)]  # all at once, as results are
        for array in held:
            array.fill(1.0)

    best, _ = _best(write, repeats)
    return Figure("  floor: writing every output into fresh memory", rows / best, "rows/s",
                  "reported", None,
                  f"{outputs} arrays of {rows:,} floats held at once: "
                  f"{best * 1000:.0f} ms")  # fmt: skip


def classes(rows: int = 250_000, repeats: int = 3) -> list[Figure]:
    """Headline rows per second of each row class beside the reference on the same rows
    (the hybrid: `model.hybrid`'s optimum and break-even, which the reference lacks)."""
    figures = []
    for name in ("flat", "hourly always-on", "active window", "scale-to-zero", "owned"):
        columns = row_class(name, rows)
        fast = _best(partial(model.evaluate, HEADLINE, **columns), repeats)
        plain = _best(partial(reference_headline, columns), repeats)
        figures.append(Figure(f"  class: {name}", rows / fast[0], "rows/s",
                              f">= {HEADLINE_TARGET:,}", rows / fast[0] >= HEADLINE_TARGET,
                              f"{rows:,} rows, headline outputs", rows / plain[0]))  # fmt: skip
    hybrid_rows = max(1_000, rows // 25)
    columns = row_class("hybrid", hybrid_rows)
    hybrid = _best(lambda: model.hybrid(**columns), 1)
    figures.append(Figure("  class: hybrid", hybrid_rows / hybrid[0], "rows/s", "reported", None,
                          f"{hybrid_rows:,} rows: the cost-optimal fleet and the hybrid "
                          "break-even (a search over replicas)"))  # fmt: skip
    return figures


def peak_memory(rows: int, columns: dict[str, np.ndarray] | None = None) -> Figure:
    """Bytes a row at the peak of one evaluation of every output: the inputs, the outputs
    and every temporary (numpy reports its buffers to tracemalloc)."""
    columns = sweep(rows) if columns is None else columns
    inputs = sum(np.asarray(v).nbytes for v in columns.values())
    tracemalloc.start()
    try:
        results = model.evaluate(**columns)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    outputs = sum(np.asarray(v).nbytes for v in results.values())
    per_row = (inputs + peak) / rows
    return Figure("peak memory, every output", per_row, "bytes/row", f"<= {MEMORY_TARGET:,}",
                  per_row <= MEMORY_TARGET,
                  f"inputs {inputs / rows:,.0f} + outputs {outputs / rows:,.0f} + temporaries "
                  f"{(peak - outputs) / rows:,.0f} bytes a row")  # fmt: skip


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

    best, median = _best(lambda: workbook_bytes(build(load())), runs)
    return Figure(
        "build the default workbook",
        best,
        "s",
        f"<= {BUILD_TARGET:.0f} s",
        best <= BUILD_TARGET,
        f"best of {runs} after a warm-up (median {median:.3f} s)",
    )


def report(runs: int = 2) -> Figure:
    """Seconds to render the HTML report of the default scenarios (not written)."""
    from . import report as report_module
    from .scenario import load

    best, median = _best(lambda: report_module.render(load()), runs)
    return Figure(
        "render the HTML report",
        best,
        "s",
        f"<= {REPORT_TARGET:.0f} s",
        best <= REPORT_TARGET,
        f"default scenarios, best of {runs} after a warm-up (median {median:.2f} s)",
    )


def monte_carlo(samples: int = 1_000_000) -> list[Figure]:
    """Draws per second of `simulate`, alone and with a 36-month projection per draw."""
    from . import sensitivity
    from .scenario import load

    inputs = {**load().scenarios[0].inputs(), "horizon_months": 36}
    ranges = sensitivity.default_ranges(inputs)
    sensitivity.simulate(inputs, ranges, 10_000, projection=True)
    alone = _best(lambda: sensitivity.simulate(inputs, ranges, samples), 2)[0]
    projected = _best(lambda: sensitivity.simulate(inputs, ranges, samples, projection=True), 1)
    month_rows = 36 * samples / projected[0]
    return [
        Figure("Monte Carlo draws", samples / alone, "draws/s", "reported", None,
               f"{samples:,} draws of {len(ranges)} inputs: {alone:.2f} s"),
        Figure("Monte Carlo, 36-month projection each", month_rows, "month-rows/s",
               f">= {PROJECTED_TARGET:,}", month_rows >= PROJECTED_TARGET,
               f"{samples:,} draws: {projected[0]:.2f} s, {samples / projected[0]:,.0f} draws/s"),
    ]  # fmt: skip


#: the steps of `run`, in order, for a progress bar
STEPS = ("engine", "row classes", "Monte Carlo", "udfs import", "workbook build", "report")


def run(
    rows: int = 1_000_000,
    progress: Callable[[str], None] | None = None,
    draws: int = 1_000_000,
) -> list[Figure]:
    """Every figure, in the order the README lists them; `progress` is told each step."""
    step = progress or (lambda _: None)
    step(STEPS[0])
    figures = engine(rows)
    step(STEPS[1])
    figures.extend(classes(max(1_000, rows // 4)))
    step(STEPS[2])
    figures.extend(monte_carlo(draws))
    step(STEPS[3])
    figures.append(udfs_import())
    step(STEPS[4])
    figures.append(workbook_build())
    step(STEPS[5])
    figures.append(report())
    return figures


def _best(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """The best and the median seconds of `runs` runs of `work`, after one warm-up run."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)
