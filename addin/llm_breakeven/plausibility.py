"""Likely unit slips: valid inputs that look typed in another unit, named with their likely intent.

These warn and never block: a price of $0.0000005 per 1M tokens is valid, but far likelier a
price per token typed into a per-1M field. Each rule is a condition over the scenario's
inputs and a threshold of the catalogue (`per_token_price_below`, ...), written once: the
CLI evaluates it on stderr, the workbook writes it as a warning row on its Checks sheet.

>>> [w.line() for w in warnings(dict(input_price=5e-07, hourly_rate=2.0))]
['input_price 5e-07 looks like a price per token: per 1M tokens that is 0.5']
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .formula import NUMPY
from .quantities import CONSTANTS, HOURS_PER_MONTH


def _below(name: str, threshold: str) -> Callable[[Any, Any], Any]:
    def condition(q: Any, f: Any) -> Any:
        value = getattr(q, name)
        slip = (value > 0) * (value < getattr(q, threshold))
        return f.where(f.isblank(value), f.false, slip)

    return condition


def _above(name: str, threshold: str) -> Callable[[Any, Any], Any]:
    def condition(q: Any, f: Any) -> Any:
        value = getattr(q, name)
        return f.where(f.isblank(value), f.false, value > getattr(q, threshold))

    return condition


@dataclass(frozen=True)
class Rule:
    """A likely slip: the input, when it is one (a condition over quantities `q` and
    operations `f`), what the value probably is, and that value in the input's own unit."""

    field: str
    condition: Callable[[Any, Any], Any]
    meaning: str
    intent: Callable[[float, Mapping[str, Any]], str]


def _per_million(value: float, inputs: Mapping[str, Any]) -> str:
    return f": per 1M tokens that is {value * 1e6:g}"


def _per_hour(value: float, inputs: Mapping[str, Any]) -> str:
    hours = _number(inputs.get("hours_per_month")) or HOURS_PER_MONTH
    return f": per GPU-hour that is {value / hours:.4g}"


def _named(other: str) -> Callable[[float, Mapping[str, Any]], str]:
    return lambda value, inputs: f": give it as {other}"


RULES: tuple[Rule, ...] = (
    *(Rule(name, _below(name, "per_token_price_below"), "a price per token", _per_million)
      for name in ("input_price", "output_price", "cached_price")),
    Rule("hourly_rate", _above("hourly_rate", "monthly_rate_above"),
         "a price per GPU-month", _per_hour),
    Rule("replica_throughput", _above("replica_throughput", "requests_per_second_above"),
         "output tokens per second", _named("replica_output_tokens_per_second")),
    Rule("replica_output_tokens_per_second",
         _below("replica_output_tokens_per_second", "tokens_per_second_below"),
         "requests per second", _named("replica_throughput")),
)  # fmt: skip


@dataclass(frozen=True)
class Slip:
    """One likely unit slip: the field, its value, and what it probably means."""

    field: str
    value: float
    meaning: str

    def line(self) -> str:
        return f"{self.field} {self.value:g} looks like {self.meaning}"


def warnings(inputs: Mapping[str, Any]) -> list[Slip]:
    """The likely unit slips among a scenario's `inputs` (scalars; absent or blank ones are
    passed over), in the order of `RULES`."""
    values = {q.name: float(q.default) for q in CONSTANTS}  # type: ignore[arg-type]
    for rule in RULES:
        number = _number(inputs.get(rule.field))
        values[rule.field] = math.nan if number is None else number
    q = types.SimpleNamespace(**values)
    found = []
    for rule in RULES:
        if bool(rule.condition(q, NUMPY)):
            value = values[rule.field]
            found.append(Slip(rule.field, value, rule.meaning + rule.intent(value, inputs)))
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)
