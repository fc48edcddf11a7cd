"""Valid ranges: an interval a quantity's value must lie in, in words and as a cell rule.

The catalogue of quantities (`llm_breakeven.quantities`) gives every quantity one `Bound`; the
Excel functions, the scenario loader and the workbook's data validation and checks all read
it from there, so a value rejected in one place is rejected, with the same words, in all.
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
        """The rule in words, as it follows "must be" in an error message.

        >>> Bound(high=1.0, low_open=True).describe()
        'in (0, 1]'
        >>> Bound(whole=True).describe()
        'a whole number at least 0'
        """
        if self.high == math.inf:
            rule = (
                f"greater than {number(self.low)}"
                if self.low_open
                else f"at least {number(self.low)}"
            )
        elif not self.low_open and not self.high_open:
            rule = f"between {number(self.low)} and {number(self.high)}"
        else:
            left = "(" if self.low_open else "["
            right = ")" if self.high_open else "]"
            rule = f"in {left}{number(self.low)}, {number(self.high)}{right}"
        return f"a whole number {rule}" if self.whole else rule

    def requirement(self) -> str:
        """What a valid value must be, in the words an error message gives after "must be".

        >>> UTILIZATION.requirement(), Bound(whole=True).requirement()
        ('between 0 and 1', 'a whole number at least 0')
        """
        if self.low == -math.inf and self.high == math.inf:
            return "a number"
        # "(0, 1]" reads badly to a finance user
        return "between 0 and 1" if self == UTILIZATION else self.describe()

    def excel_condition(self, ref: str) -> str:
        """A native formula that is TRUE when the cell `ref` holds a valid value.

        >>> Bound(high=744.0, low_open=True).excel_condition("B9")
        'AND(ISNUMBER(B9),B9>0,B9<=744)'
        """
        parts = [f"ISNUMBER({ref})"]
        if self.low != -math.inf:
            low = number(self.low)
            parts.append(f"{ref}>{low}" if self.low_open else f"{ref}>={low}")
        if self.high != math.inf:
            high = number(self.high)
            parts.append(f"{ref}<{high}" if self.high_open else f"{ref}<={high}")
        if self.whole:
            parts.append(f"{ref}=INT({ref})")
        return f"AND({','.join(parts)})" if len(parts) > 1 else parts[0]

    def violation(self, name: str, value: float) -> str | None:
        """Why `value` is not a valid `name`, or None when it is valid.

        >>> UTILIZATION.violation("utilization", 1.5)
        'utilization must be between 0 and 1 (got 1.5)'
        """
        if not math.isfinite(value):
            return f"{name} must be a finite number (got {number(value)})"
        if self.contains(value):
            return None
        if self == UTILIZATION and value == 0:  # zero gets its own reason
            return f"{name} must be greater than 0 (got 0)"
        return f"{name} must be {self.requirement()} (got {number(value)})"


def number(x: float) -> str:
    """A number as a person (and a formula) writes it: no trailing zeros, no binary noise."""
    return format(x, ".15g")


NON_NEGATIVE = Bound()
POSITIVE = Bound(low_open=True)
SHARE = Bound(high=1.0)
#: a utilization of 0 serves nothing, so its cost per request is undefined
UTILIZATION = Bound(high=1.0, low_open=True)
WHOLE = Bound(whole=True)
