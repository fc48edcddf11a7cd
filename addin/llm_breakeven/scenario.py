"""Typed inputs: one full set of assumptions per scenario, validated, loaded from TOML.

A `Scenario` holds the inputs of one deployment decision; `load` reads a scenarios file
(`templates/scenarios.toml` by default); `evaluate` runs the engine over scenarios and returns
a pandas table with one row per scenario and one column per `llm_breakeven.model.OUTPUTS`.

>>> s = Scenario(name="Article", input_tokens=1000, output_tokens=500, input_price=0.5,
...              output_price=1.5, hourly_rate=2, replica_throughput=2,
...              monthly_volume=1_296_000, hours_per_month=720)
>>> round(s.evaluate()["breakeven_volume"])
1152000
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import model
from .bounds import BOUNDS, POSITIVE, Bound, violation

#: the embedded defaults, beside the generated workbook in the source tree
DEFAULT_SCENARIOS = Path(__file__).resolve().parents[2] / "templates" / "scenarios.toml"
#: the article's utilizations, used when a scenarios file does not list its own
DEFAULT_UTILIZATIONS = (0.05, 0.25, 0.60, 0.90)


class ScenarioError(ValueError):
    """An input that cannot be used, with a message naming the field and the value."""


@dataclass(frozen=True)
class Field:
    """How an input is shown: its label, unit and what it means."""

    label: str
    unit: str
    note: str


#: every numeric input in the order the workbook lists them
FIELDS: dict[str, Field] = {
    "input_tokens": Field(
        "Input tokens per request", "tokens", "Prompt sent per request, system prompt included."
    ),
    "output_tokens": Field("Output tokens per request", "tokens", "Tokens generated per request."),
    "input_price": Field(
        "API input price", "$ / 1M tokens", "List price of uncached input tokens."
    ),
    "output_price": Field("API output price", "$ / 1M tokens", "List price of output tokens."),
    "cached_share": Field(
        "Cached input share", "fraction 0..1", "Share of input tokens billed at the cached price."
    ),
    "cached_price": Field(
        "API cached input price", "$ / 1M tokens", "Blank means the input price."
    ),
    "batch_discount": Field(
        "Batch discount",
        "fraction 0..1",
        "Discount on the whole API bill, e.g. 0.5 for batch APIs.",
    ),
    "hourly_rate": Field("GPU hourly rate", "$ / GPU-hour", "Rental price of one GPU."),
    "gpus_per_replica": Field(
        "GPUs per replica", "GPUs", "GPUs one serving instance of the model needs."
    ),
    "hours_per_month": Field(
        "Hours per month", "hours", "Billed hours a month: 730 on average, 720 in the article."
    ),
    "replica_throughput": Field(
        "Replica throughput", "requests / s", "Sustained requests per second one replica serves."
    ),
    "monthly_volume": Field(
        "Monthly volume", "requests / month", "The traffic this scenario expects."
    ),
    "max_utilization": Field(
        "Max utilization",
        "fraction 0..1",
        "Highest planned load per replica; 1 − this is headroom.",
    ),
    "peak_to_average": Field(
        "Peak-to-average", "ratio ≥ 1", "Peak request rate over the average rate."
    ),
    "failover_replicas": Field(
        "Failover replicas", "replicas", "Replicas held in reserve beyond what the peak needs."
    ),
    "ops_fte": Field("Ops staff", "FTE", "People-time spent running the serving stack."),
    "annual_cost_per_fte": Field(
        "Cost per FTE", "$ / year", "Fully loaded annual cost of one person."
    ),
    "other_fixed_monthly_cost": Field(
        "Other fixed cost", "$ / month", "Monitoring, storage, amortized setup: paid while serving."
    ),
    "variable_cost_per_request": Field(
        "Variable cost per request",
        "$ / request",
        "Self-host cost that scales with traffic (egress, logging).",
    ),
    "tolerance": Field(
        "Break-even tolerance",
        "fraction of API",
        "Costs this close to the API's are called break-even.",
    ),
}

#: a scenario's own volume must be positive: its cost per request divides by it
_FIELD_BOUNDS = {"monthly_volume": POSITIVE}


def bound_of(name: str) -> Bound:
    """The valid range of a scenario field (or of any quantity named in `BOUNDS`)."""
    return _FIELD_BOUNDS.get(name, BOUNDS[name])


@dataclass(frozen=True)
class Scenario:
    """One full set of inputs; units as in `FIELDS`. Invalid values raise `ScenarioError`."""

    name: str
    input_tokens: float
    output_tokens: float
    input_price: float
    output_price: float
    hourly_rate: float
    replica_throughput: float
    monthly_volume: float
    cached_share: float = 0.0
    cached_price: float | None = None
    batch_discount: float = 0.0
    gpus_per_replica: float = 1.0
    hours_per_month: float = model.HOURS_PER_MONTH
    max_utilization: float = 1.0
    peak_to_average: float = 1.0
    failover_replicas: float = 0.0
    ops_fte: float = 0.0
    annual_cost_per_fte: float = 0.0
    other_fixed_monthly_cost: float = 0.0
    variable_cost_per_request: float = 0.0
    tolerance: float = 0.15
    description: str = ""
    #: where a figure came from and when, keyed by field name
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"scenario {self.name!r}: " if self.name else ""
        if not isinstance(self.name, str) or not self.name.strip():
            raise ScenarioError(f"name must be non-empty text (got {self.name!r})")
        for name in FIELDS:
            value = getattr(self, name)
            if value is None and name == "cached_price":
                continue
            number = _number(name, value, where)
            reason = violation(name, number, bound_of(name))
            if reason:
                raise ScenarioError(where + reason)
            object.__setattr__(self, name, number)
        for name, text in self.sources.items():
            if name not in FIELDS:
                raise ScenarioError(f"{where}sources names an unknown field {name!r}{_hint(name)}")
            if not isinstance(text, str):
                raise ScenarioError(f"{where}sources.{name} must be text (got {text!r})")

    def inputs(self) -> dict[str, float | None]:
        """The numeric inputs by field name, as `llm_breakeven.model.evaluate` takes them."""
        return {name: getattr(self, name) for name in FIELDS}

    def evaluate(self) -> dict[str, Any]:
        """Every headline output of this scenario, keyed by `llm_breakeven.model.OUTPUTS`."""
        results = model.evaluate(**self.inputs())
        return {name: np.asarray(value).item() for name, value in results.items()}

    def table(self, utilizations: Iterable[float] = DEFAULT_UTILIZATIONS) -> pd.DataFrame:
        """The article's by-utilization table for this scenario's minimum self-host bill."""
        results = self.evaluate()
        return pd.DataFrame(
            model.breakeven_table(
                results["minimum_monthly_cost"],
                results["replica_capacity"],
                results["api_cost_per_request"],
                list(utilizations),
                self.tolerance,
                self.variable_cost_per_request,
            )
        )


@dataclass(frozen=True)
class ScenarioSet:
    """The scenarios of one file, in file order, and the utilizations its table shows."""

    scenarios: tuple[Scenario, ...]
    utilizations: tuple[float, ...] = DEFAULT_UTILIZATIONS

    def __post_init__(self) -> None:
        if not self.scenarios:
            raise ScenarioError("there must be at least one [[scenario]]")
        names = [s.name for s in self.scenarios]
        for name in names:
            if names.count(name) > 1:
                raise ScenarioError(f"scenario names must be unique ({name!r} appears twice)")
        if not self.utilizations:
            raise ScenarioError("table.utilizations must list at least one utilization")
        for value in self.utilizations:
            reason = violation("utilizations", _number("table.utilizations", value, ""))
            if reason:
                raise ScenarioError(f"table.{reason}")

    def evaluate(self) -> pd.DataFrame:
        """Headline results: one row per scenario (indexed by name), one column per output."""
        return evaluate(self.scenarios)


def evaluate(scenarios: Iterable[Scenario]) -> pd.DataFrame:
    """Run the engine over scenarios at once: one row per scenario, one column per output."""
    scenarios = list(scenarios)
    rows = [s.inputs() for s in scenarios]
    # a missing cached price travels as NaN, which the engine reads as "the input price"
    columns = {name: np.array([row[name] for row in rows], dtype=float) for name in FIELDS}
    results = model.evaluate(**columns)
    frame = pd.DataFrame({name: results[name] for name in model.OUTPUTS})
    frame.index = pd.Index([s.name for s in scenarios], name="scenario")
    return frame


def load(path: str | Path | None = None) -> ScenarioSet:
    """Read a scenarios file: `[[scenario]]` tables and an optional `[table] utilizations`.

    Raises `ScenarioError` with a one-line message naming the file, the field and the value.
    """
    path = Path(path) if path is not None else DEFAULT_SCENARIOS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenarios file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read ({exc})") from None
    try:
        return loads(text)
    except ScenarioError as exc:
        raise ScenarioError(f"{path.name}: {exc}") from None


def loads(text: str) -> ScenarioSet:
    """`load` for the text of a scenarios file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML ({exc})") from None
    unknown = set(data) - {"scenario", "table"}
    if unknown:
        raise ScenarioError(
            f"unknown top-level key {sorted(unknown)[0]!r} (expected [[scenario]] or [table])"
        )
    tables = data.get("scenario", [])
    if not isinstance(tables, list):
        raise ScenarioError("scenarios must be written as [[scenario]] tables")
    table = data.get("table", {})
    if set(table) - {"utilizations"}:
        raise ScenarioError(f"unknown key in [table]: {sorted(set(table) - {'utilizations'})[0]!r}")
    utilizations = table.get("utilizations", DEFAULT_UTILIZATIONS)
    if not isinstance(utilizations, list | tuple):
        raise ScenarioError(
            f"table.utilizations must be a list of fractions (got {utilizations!r})"
        )
    return ScenarioSet(tuple(_scenario(i, t) for i, t in enumerate(tables, 1)), tuple(utilizations))


_KNOWN = {f.name for f in fields(Scenario)}


def _scenario(position: int, table: dict[str, Any]) -> Scenario:
    name = table.get("name")
    where = f"scenario {name!r}" if isinstance(name, str) else f"scenario #{position}"
    for key in table:
        if key not in _KNOWN:
            raise ScenarioError(f"{where}: unknown field {key!r}{_hint(key)}")
    missing = [f.name for f in fields(Scenario) if f.name in _REQUIRED and f.name not in table]
    if missing:
        raise ScenarioError(f"{where}: {missing[0]} is required")
    return Scenario(**table)


_REQUIRED = {
    f.name for f in fields(Scenario) if f.default is MISSING and f.default_factory is MISSING
}


def _number(name: str, value: Any, where: str) -> float:
    # bool is an int in Python but never a quantity here
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}{name} must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(f"{where}{name} must be a finite number (got {value!r})")
    return number


def _hint(name: str) -> str:
    close = difflib.get_close_matches(name, [*_KNOWN], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
