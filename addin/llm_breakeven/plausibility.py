"""Likely unit slips: valid inputs that look typed in another unit, named with their likely intent.

These warn and never block: a price of $0.0000005 per 1M tokens is valid, but far likelier a
price per token typed into a per-1M field. Each rule names the field, the value, and what the
value would be in the unit it was probably meant in.

>>> [w.line() for w in warnings(dict(input_price=5e-07, hourly_rate=2.0))]
['input_price 5e-07 looks like a price per token: per 1M tokens that is 0.5']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .quantities import HOURS_PER_MONTH

#: API list prices per 1M tokens run from about $0.01 (small open models) to $150: anything
#: under this is likelier a price per token
PER_TOKEN_BELOW = 0.001
#: GPU rental prices run from about $0.10 to $15 a GPU-hour: anything above this is likelier
#: a monthly price (a GPU-month costs $70 to $11,000)
MONTHLY_RATE_ABOVE = 60.0
#: a replica serves some 0.1 to a few hundred requests a second: more is likelier tokens/s
REQUESTS_PER_SECOND_ABOVE = 2_000.0
#: a replica generates some 20 to 50,000 tokens a second: fewer is likelier requests/s
TOKENS_PER_SECOND_BELOW = 10.0


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
    passed over), in the order of the rules above."""
    found = []
    for name in ("input_price", "output_price", "cached_price"):
        price = _number(inputs.get(name))
        if price is not None and 0 < price < PER_TOKEN_BELOW:
            found.append(Slip(name, price, "a price per token: per 1M tokens that is "
                                              f"{price * 1e6:g}"))  # fmt: skip
    rate = _number(inputs.get("hourly_rate"))
    if rate is not None and rate > MONTHLY_RATE_ABOVE:
        hours = _number(inputs.get("hours_per_month")) or HOURS_PER_MONTH
        found.append(Slip("hourly_rate", rate, "a price per GPU-month: per GPU-hour that is "
                                                  f"{rate / hours:.4g}"))  # fmt: skip
    requests = _number(inputs.get("replica_throughput"))
    if requests is not None and requests > REQUESTS_PER_SECOND_ABOVE:
        found.append(Slip("replica_throughput", requests,
                             "output tokens per second: give it as "
                             "replica_output_tokens_per_second"))  # fmt: skip
    tokens = _number(inputs.get("replica_output_tokens_per_second"))
    if tokens is not None and tokens < TOKENS_PER_SECOND_BELOW:
        found.append(Slip("replica_output_tokens_per_second", tokens,
                             "requests per second: give it as replica_throughput"))  # fmt: skip
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)
