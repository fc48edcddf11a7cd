"""Typed inputs: one full set of assumptions per scenario, validated, loaded from TOML.

A `Scenario` holds the inputs of one deployment decision, one per scenario input of the
catalogue (`llm_breakeven.quantities.INPUTS`); `load` reads a scenarios file (the embedded
`templates/scenarios.toml` by default); `evaluate` runs the engine over scenarios and
returns a pandas table with one row per scenario and one column per output.

>>> s = Scenario(name="Article", input_tokens=1000, output_tokens=500, input_price=0.5,
...              output_price=1.5, hourly_rate=2, replica_throughput=2,
...              monthly_volume=1_296_000, hours_per_month=720)
>>> round(s.evaluate()["breakeven_volume"])
1152000
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import advice, model, projection
from .quantities import (
    FIELDS,
    HYBRID_OUTPUTS,
    MAX_SYMBOL,
    NEEDS_POSITIVE,
    ONE_OF,
    OUTPUTS,
    PROJECTION_OUTPUTS,
    QUANTITIES,
    YEAR_OUTPUTS,
    needs_positive_violation,
)

#: the embedded default scenarios: templates/scenarios.toml, shipped as package data
DEFAULT_SCENARIOS: Traversable = files("llm_breakeven.templates") / "scenarios.toml"
#: the article's utilizations, used when a scenarios file does not list its own
DEFAULT_UTILIZATIONS = (0.05, 0.25, 0.60, 0.90)
#: scenario columns the workbook has at least (the rest of its first six are spare)
SCENARIO_COLUMNS = 6
#: the largest scenarios file read: a real one is a few kilobytes
MAX_FILE_BYTES = 1_000_000
#: a date as sources write it
_DATE = re.compile(r"\b(20\d\d-[01]\d-[0-3]\d)\b")
#: names a scenario may give so that prices, the hourly rate and the throughput are looked up
LOOKUP_KEYS = ("api_model", "api_provider", "gpu", "gpu_provider", "gpu_pricing", "model",
               "precision")  # fmt: skip
#: the keys of a [[scenario]] table beside the inputs
_TEXT_KEYS = ("name", "description", "sources", *LOOKUP_KEYS)


class ScenarioError(ValueError):
    """An input that cannot be used, with a message naming the field and the value."""


class Scenario:
    """One full set of inputs (units as in the catalogue); invalid values raise ScenarioError.

    Inputs are read as attributes (`s.hourly_rate`); those left out take their default.
    """

    name: str
    description: str
    #: where a figure came from and when, keyed by field name
    sources: Mapping[str, str]

    def __init__(
        self,
        name: str,
        description: str = "",
        sources: Mapping[str, str] | None = None,
        **inputs: Any,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ScenarioError(f"name must be non-empty text (got {name!r})")
        check_text("name", name)
        where = f"scenario {name!r}: "
        if not isinstance(description, str):
            raise ScenarioError(f"{where}description must be text (got {description!r})")
        check_text("description", description, where, lines=True)
        lookups = {key: inputs.pop(key) for key in LOOKUP_KEYS if key in inputs}
        if lookups:  # numbers looked up by name; typed numbers and sources win
            from .lookups import LookupFailed, resolve

            typed = {key: value for key, value in inputs.items() if value is not None}
            try:
                found, found_sources = resolve(lookups, typed, where)
            except LookupFailed as exc:
                raise ScenarioError(str(exc)) from None
            inputs = {**inputs, **found, **typed}
            if sources is None or isinstance(sources, Mapping):
                sources = {**found_sources, **(sources or {})}
        values: dict[str, Any] = {}
        profile = inputs.pop("hourly_profile", None)
        if profile is not None:
            if isinstance(profile, str | bytes) or not isinstance(profile, Iterable):
                raise ScenarioError(f"{where}hourly_profile must be a list of weights "
                                    f"(got {profile!r})")  # fmt: skip
            try:
                values["hourly_profile"] = tuple(float(w) for w in model.profile(list(profile)))
            except ValueError as exc:
                raise ScenarioError(where + str(exc)) from None
        for key in inputs:
            if key not in FIELDS:
                raise ScenarioError(f"{where}unknown field {key!r}{_hint(key)}")
        for field in FIELDS.values():
            if field.name not in inputs:
                if field.required:
                    raise ScenarioError(f"{where}{field.name} is required")
                values[field.name] = field.default
                continue
            value = inputs[field.name]
            if value is None and field.default is None:
                values[field.name] = None
                continue
            if field.choices:
                reason = (
                    field.violation(value)
                    if isinstance(value, str)
                    else (f"{field.name} must be one of {', '.join(field.choices)} (got {value!r})")
                )
                if reason:
                    raise ScenarioError(where + reason)
                values[field.name] = value
                continue
            number = _number(field.name, value, where)
            reason = field.violation(number, scenario=True)
            if reason:
                raise ScenarioError(where + reason)
            values[field.name] = number
        for names in ONE_OF:
            given = [n for n in names if values[n] is not None]
            if len(given) != 1:
                how = "both" if given else "neither"
                raise ScenarioError(f"{where}give exactly one of {' or '.join(names)} (got {how})")
        for given_name, positive in NEEDS_POSITIVE:
            if values[given_name] is not None and not values[positive] > 0:
                reason = needs_positive_violation(given_name, positive, values[positive])
                raise ScenarioError(where + reason)
        if sources is None:
            sources = {}
        if not isinstance(sources, Mapping):
            raise ScenarioError(f"{where}sources must be a table of texts (got {sources!r})")
        sources = dict(sources)
        for key, text in sources.items():
            if key not in FIELDS and key != "hourly_profile":
                raise ScenarioError(f"{where}sources names an unknown field {key!r}{_hint(key)}")
            if not isinstance(text, str):
                raise ScenarioError(f"{where}sources.{key} must be text (got {text!r})")
            check_text(f"sources.{key}", text, where, lines=True)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        if name == "hourly_profile":  # none given: a flat day
            return None
        raise AttributeError(f"a scenario has no {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Scenario is immutable: build a new one with replace()")

    def __repr__(self) -> str:
        return f"Scenario(name={self.name!r}, ...)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (self.name, self.description, self.sources, self.inputs()) == (
            other.name,
            other.description,
            other.sources,
            other.inputs(),
        )

    __hash__ = None  # type: ignore[assignment]

    def source_dates(self) -> tuple[str, str] | None:
        """The oldest and the newest date (YYYY-MM-DD) this scenario's sources name, or None
        where none names a date: how current its figures are, at both ends.

        >>> [s.source_dates() for s in load().scenarios][2]
        ('2024-10-11', '2026-11-27')
        """
        dates = [d for text in self.sources.values() for d in _DATE.findall(text)]
        return (min(dates), max(dates)) if dates else None

    def inputs(self) -> dict[str, Any]:
        """The inputs by field name, as `llm_breakeven.model.evaluate` takes them: numbers,
        None for a blank, texts for the choices, and `hourly_profile` (a tuple of weights)
        when the scenario gives one."""
        return dict(self.__dict__["_values"])

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some inputs (or the name, description or sources) changed."""
        current: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "sources": self.sources,
            **self.inputs(),
        }
        return Scenario(**{**current, **changes})

    def evaluate(self) -> dict[str, Any]:
        """Every headline output of this scenario, keyed by `llm_breakeven.quantities.OUTPUTS`."""
        inputs = self.inputs()
        results = {**model.evaluate(**inputs), **model.hybrid(**inputs),
                   **projection.switch_outcome(**inputs),
                   **projection.first_year(**inputs)}  # fmt: skip
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
    #: shown with every money amount in the workbook
    currency_symbol: str = "$"
    #: the scenario column (from 1) the workbook's Summary charts
    summary_chart_scenario: int = 1

    def __post_init__(self) -> None:
        if not self.scenarios:
            raise ScenarioError("there must be at least one [[scenario]]")
        symbol = self.currency_symbol
        if not isinstance(symbol, str) or not 0 < len(symbol) <= MAX_SYMBOL:
            raise ScenarioError(
                f"workbook.currency_symbol must be text of 1 to {MAX_SYMBOL} characters "
                f"(got {symbol!r})"
            )
        check_text("currency_symbol", symbol, "workbook.")
        columns = max(len(self.scenarios), SCENARIO_COLUMNS)
        pick = self.summary_chart_scenario
        if isinstance(pick, bool) or not isinstance(pick, int) or not 1 <= pick <= columns:
            raise ScenarioError(
                f"workbook.summary_chart_scenario must be a whole number from 1 to {columns} "
                f"(got {pick!r})"
            )
        names = [s.name for s in self.scenarios]
        for name in names:
            if names.count(name) > 1:
                raise ScenarioError(f"scenario names must be unique ({name!r} appears twice)")
        if not self.utilizations:
            raise ScenarioError("table.utilizations must list at least one utilization")
        for value in self.utilizations:
            number = _number("utilizations", value, "table.")
            reason = QUANTITIES["utilizations"].violation(number)
            if reason:
                raise ScenarioError(f"table.{reason}")

    def evaluate(self) -> pd.DataFrame:
        """Headline results: one row per scenario (indexed by name), one column per output,
        the recommendation last, its money in this set's currency."""
        return evaluate(self.scenarios, self.currency_symbol)

    def figures(self, names: Iterable[str]) -> dict[str, np.ndarray]:
        """Any of the engine's quantities `names`, one value per scenario."""
        return model.evaluate(names, **_columns(self.scenarios))

    @property
    def dated(self) -> str:
        """The oldest and the newest date the scenarios' sources name, in words.

        >>> load().dated
        'sources dated 2024-10-11 to 2026-12-02'
        """
        ends = [e for s in self.scenarios if (e := s.source_dates()) is not None]
        if not ends:
            return "sources undated"
        return f"sources dated {min(e[0] for e in ends)} to {max(e[1] for e in ends)}"

    @property
    def data_date(self) -> str:
        """The newest date (YYYY-MM-DD) any source names: how current the figures are.

        >>> load().data_date
        '2026-12-02'
        """
        dates = [
            d for s in self.scenarios for text in s.sources.values() for d in _DATE.findall(text)
        ]
        return max(dates, default="undated")


def _columns(scenarios: Iterable[Scenario]) -> dict[str, Any]:
    """The scenarios' inputs as the engine's keyword arrays, one value per scenario."""
    rows = [s.inputs() for s in scenarios]
    # a missing cached price travels as NaN, which the engine reads as "the input price"
    columns: dict[str, Any] = {
        name: np.array([math.nan if row[name] is None else row[name] for row in rows])
        for name in FIELDS
    }
    columns["hourly_profile"] = profiles([row.get("hourly_profile") for row in rows])
    return columns


def evaluate(scenarios: Iterable[Scenario], currency: str = "$") -> pd.DataFrame:
    """Run the engine over scenarios at once: one row per scenario, one column per output,
    then the odds self-hosting is cheaper and the recommendation (`advice`)."""
    scenarios = list(scenarios)
    columns = _columns(scenarios)
    results = {
        **model.evaluate(**columns),
        **model.hybrid(**columns),
        **projection.switch_outcome(**columns),
        **projection.first_year(**columns),
    }
    outputs = (*OUTPUTS, *HYBRID_OUTPUTS, *PROJECTION_OUTPUTS, *YEAR_OUTPUTS)
    frame = pd.DataFrame({name: results[name] for name in outputs})
    # the choices the figures depend on, and whether owning was priced at all
    for name in ECHOED:
        frame[name] = columns[name]
    frame["probability_selfhost_cheaper"] = [advice.odds(s.inputs()) for s in scenarios]
    frame["recommendation"] = [
        advice.recommend({**row, "horizon_months": horizon}, currency)
        for row, horizon in zip(
            frame.to_dict("records"),
            np.broadcast_to(columns["horizon_months"], len(frame)),
            strict=True,
        )
    ]
    frame.index = pd.Index([s.name for s in scenarios], name="scenario")
    return frame


#: inputs repeated beside the outputs: the figures name the mode and choice they assume
ECHOED = ("billing_mode", "ownership", "purchase_price", "horizon_months")


def profiles(given: list[tuple[float, ...] | None]) -> np.ndarray:
    """Scenarios' hourly profiles as one array, a row each: a flat day where none is given,
    and days repeated seven times beside a weekly profile (the same traffic)."""
    hours = max((len(p) for p in given if p is not None), default=24)
    rows = [np.ones(24) if p is None else np.asarray(p, dtype=float) for p in given]
    return np.array([np.tile(row, hours // row.size) for row in rows])


def load(path: str | Path | Traversable | None = None) -> ScenarioSet:
    """Read a scenarios file: `[[scenario]]` tables and an optional `[table] utilizations`.

    Raises `ScenarioError` with a one-line message naming the file, the field and the value.
    A file larger than `MAX_FILE_BYTES`, binary, not UTF-8 or not a regular file is refused
    before it is parsed; a UTF-8 byte order mark is accepted.
    """
    source = DEFAULT_SCENARIOS if path is None else path
    if isinstance(source, str):
        source = Path(source).expanduser()
    if not isinstance(source, Path | Traversable):
        raise ScenarioError(f"load takes the path of a scenarios file (got {type(path).__name__})")
    text = read_text(source, "scenarios file")
    try:
        return loads(text)
    except ScenarioError as exc:
        raise ScenarioError(f"{source.name}: {exc}") from None


def regular_file_size(path: Path, what: str, error: type[ScenarioError] = ScenarioError) -> int:
    """The size of the regular file at `path`; `error` naming it when it is missing,
    unreadable or not a regular file (a device such as /dev/zero, a folder, a pipe)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: not a regular file")
    return info.st_size


def read_text(source: Path | Traversable, what: str) -> str:
    """The UTF-8 text of a small file, refusing devices, binary data and huge files."""
    if isinstance(source, Path):
        regular_file_size(source, what)
    try:
        with source.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{source}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{source}: larger than {MAX_FILE_BYTES // 1_000_000} MB; a {what} "
                            "is a few kilobytes of text")  # fmt: skip
    if b"\0" in data:
        raise ScenarioError(f"{source}: binary data, not a TOML text file")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{source}: not UTF-8 text (byte {exc.start})") from None


def loads(text: str) -> ScenarioSet:
    """`load` for the text of a scenarios file."""
    if not isinstance(text, str):
        shown = type(text).__name__ if text is not None else "None"
        raise ScenarioError(f"loads takes the text of a scenarios file (got {shown})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML ({exc})") from None
    unknown = set(data) - {"scenario", "table", "workbook"}
    if unknown:
        raise ScenarioError(
            f"unknown top-level key {sorted(unknown)[0]!r} (expected [[scenario]], [table] or "
            "[workbook])"
        )
    tables = data.get("scenario", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ScenarioError("scenarios must be written as [[scenario]] tables")
    table = _table(data, "table", ("utilizations",))
    utilizations = table.get("utilizations", DEFAULT_UTILIZATIONS)
    if not isinstance(utilizations, list | tuple):
        raise ScenarioError(
            f"table.utilizations must be a list of fractions (got {utilizations!r})"
        )
    settings = _table(data, "workbook", ("currency_symbol", "summary_chart_scenario"))
    return ScenarioSet(
        tuple(_scenario(i, t) for i, t in enumerate(tables, 1)), tuple(utilizations), **settings
    )


def dumps(scenario_set: ScenarioSet) -> str:
    """The text of a scenarios file holding `scenario_set`: what `loads` reads back.

    Inputs at their default are left out, so the file shows what was chosen.

    >>> loads(dumps(load())) == load()
    True
    """
    import tomli_w

    def plain(value: float) -> float | int:
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else value

    scenarios = []
    for s in scenario_set.scenarios:
        table: dict[str, Any] = {"name": s.name}
        if s.description:
            table["description"] = s.description
        for name, value in s.inputs().items():
            if name == "hourly_profile":
                table[name] = [plain(w) for w in value]
            elif isinstance(value, str):
                if value != FIELDS[name].default:
                    table[name] = value
            elif value is not None and (FIELDS[name].required or value != FIELDS[name].default):
                table[name] = plain(value)
        if s.sources:
            table["sources"] = dict(s.sources)
        scenarios.append(table)
    document = {
        "table": {"utilizations": [plain(u) for u in scenario_set.utilizations]},
        "workbook": {
            "currency_symbol": scenario_set.currency_symbol,
            "summary_chart_scenario": scenario_set.summary_chart_scenario,
        },
        "scenario": scenarios,
    }
    header = (
        "# Scenarios for llm-breakeven: `llm-breakeven build --scenarios THIS_FILE`.\n"
        "# Units: prices per 1M tokens, GPU rates per GPU-hour, volumes per month, shares as\n"
        "# fractions 0..1. Inputs left out take their defaults.\n\n"
    )
    return header + tomli_w.dumps(document)


def _table(data: dict[str, Any], key: str, known: tuple[str, ...]) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise ScenarioError(f"{key} must be a [{key}] table (got {table!r})")
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ScenarioError(f"unknown key in [{key}]: {unknown[0]!r}")
    return table


def _scenario(position: int, table: dict[str, Any]) -> Scenario:
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"scenario #{position}: name must be non-empty text (got {name!r})")
    return Scenario(**table)


def _number(name: str, value: Any, where: str) -> float:
    # bool is an int in Python but never a quantity here; numpy's numbers are numbers
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise ScenarioError(f"{where}{name} must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(f"{where}{name} must be a finite number (got {value!r})")
    return number


def check_text(field: str, value: str, where: str = "", lines: bool = False) -> None:
    """Refuse control characters (other than tabs and line breaks where `lines`), surrogates
    and Unicode non-characters: a workbook cannot hold them."""
    for position, char in enumerate(value, 1):
        code = ord(char)
        if lines and char in "\t\n\r":
            continue
        bad = (
            unicodedata.category(char) in ("Cc", "Cs")
            or (code & 0xFFFE) == 0xFFFE
            or (0xFDD0 <= code <= 0xFDEF)
        )
        if bad:
            raise ScenarioError(
                f"{where}{field} must be printable text (got U+{code:04X} at character "
                f"{position} of {value[:40]!r})"
            )


def _hint(name: str) -> str:
    close = difflib.get_close_matches(name, [*FIELDS, *_TEXT_KEYS], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
