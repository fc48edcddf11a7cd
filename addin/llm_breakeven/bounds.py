"""The valid range of every quantity the engine takes, keyed by its domain name.

One table serves every face: the Excel functions check each cell against it, the scenario
loader checks each field, and the workbook builder turns it into data validation, so a value
rejected in one place is rejected, with the same words, in all of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """A closed or half-open interval, optionally restricted to whole numbers."""

    low: float = 0.0
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    whole: bool = False

    def contains(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below and (not self.whole or float(value).is_integer())

    def describe(self) -> str:
        """The rule in words, as it follows "must be" in an error message."""
        if self.high == math.inf:
            rule = (
                f"greater than {_num(self.low)}" if self.low_open else f"at least {_num(self.low)}"
            )
        elif not self.low_open and not self.high_open:
            rule = f"between {_num(self.low)} and {_num(self.high)}"
        else:
            left = "(" if self.low_open else "["
            right = ")" if self.high_open else "]"
            rule = f"in {left}{_num(self.low)}, {_num(self.high)}{right}"
        return f"a whole number {rule}" if self.whole else rule

    def excel_condition(self, ref: str) -> str:
        """A native formula that is TRUE when the cell `ref` holds a valid value."""
        parts = [f"ISNUMBER({ref})"]
        parts.append(f"{ref}>{_num(self.low)}" if self.low_open else f"{ref}>={_num(self.low)}")
        if self.high != math.inf:
            parts.append(
                f"{ref}<{_num(self.high)}" if self.high_open else f"{ref}<={_num(self.high)}"
            )
        if self.whole:
            parts.append(f"{ref}=INT({ref})")
        return f"AND({','.join(parts)})"


def _num(x: float) -> str:
    return format(x, ".15g")


NON_NEGATIVE = Bound()
POSITIVE = Bound(low_open=True)
SHARE = Bound(high=1.0)
#: a utilization of 0 serves nothing, so its cost per request is undefined
UTILIZATION = Bound(high=1.0, low_open=True)

BOUNDS: dict[str, Bound] = {
    # API side
    "input_tokens": NON_NEGATIVE,
    "output_tokens": NON_NEGATIVE,
    "input_price": NON_NEGATIVE,
    "output_price": NON_NEGATIVE,
    "cached_share": SHARE,
    "cached_price": NON_NEGATIVE,
    # a full discount would make the API free and every comparison meaningless
    "batch_discount": Bound(high=1.0, high_open=True),
    "api_cost_per_request": NON_NEGATIVE,
    # GPUs and replicas
    "hourly_rate": NON_NEGATIVE,
    "gpus": POSITIVE,
    "gpus_per_replica": POSITIVE,
    # the longest calendar month has 31 × 24 = 744 hours
    "hours_per_month": Bound(high=744.0, low_open=True),
    "per_second_rate": POSITIVE,
    "replica_throughput": POSITIVE,
    "monthly_cost": NON_NEGATIVE,
    "monthly_capacity": POSITIVE,
    "replica_monthly_cost": NON_NEGATIVE,
    "replica_capacity": POSITIVE,
    "utilization": UTILIZATION,
    "utilizations": UTILIZATION,
    "max_utilization": UTILIZATION,
    "peak_to_average": Bound(low=1.0),
    "failover_replicas": Bound(whole=True),
    # costs beyond the GPU bill
    "fixed_monthly_cost": NON_NEGATIVE,
    "other_fixed_monthly_cost": NON_NEGATIVE,
    "variable_cost_per_request": NON_NEGATIVE,
    "fte": NON_NEGATIVE,
    "ops_fte": NON_NEGATIVE,
    "annual_cost_per_fte": NON_NEGATIVE,
    # volumes and verdicts
    "monthly_volume": NON_NEGATIVE,
    "selfhost_cost_per_request": NON_NEGATIVE,
    "tolerance": NON_NEGATIVE,
}


def violation(name: str, value: float, bound: Bound | None = None) -> str | None:
    """The reason `value` is not a valid `name`, or None when it is valid.

    >>> violation("utilization", 1.5)
    'utilization must be between 0 and 1 (got 1.5)'
    """
    if not math.isfinite(value):
        return f"{name} must be a finite number (got {_num(value)})"
    rule = bound or BOUNDS[name]
    if rule.contains(value):
        return None
    if rule == UTILIZATION:
        # "(0, 1]" reads badly to a finance user; zero gets its own reason
        if value == 0:
            return f"{name} must be greater than 0 (got 0)"
        return f"{name} must be between 0 and 1 (got {_num(value)})"
    return f"{name} must be {rule.describe()} (got {_num(value)})"
