"""Units: how each kind of quantity is written on a sheet, in help, in a cell and in a
terminal. Every quantity of the catalogue (`llm_breakeven.quantities`) has one."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: how a money format marks the currency: the symbol quoted, before each of its sections
MONEY_MARK = '"$"'


def money_format(number_format: str) -> str:
    """`number_format` with the currency mark before each section's number (inside the
    parentheses of a negative one), e.g. "#,##0;(#,##0)" -> '"$"#,##0;("$"#,##0)'; the
    workbook writes the currency it is built with in its place."""
    parts = number_format.split(";")
    return ";".join(p.replace("(", "(" + MONEY_MARK, 1) if p.startswith("(") else MONEY_MARK + p
                    for p in parts)  # fmt: skip


@dataclass(frozen=True)
class Unit:
    """How a unit is written on a sheet (`text`), in help (`words`, ASCII), in a cell
    (`number_format`) and in a terminal (`shown`, a str.format pattern)."""

    text: str
    words: str
    number_format: str
    shown: str = "{:,.2f}"

    def show(self, value: object, currency: str = "$") -> str:
        """`value` as the CLI prints it, money after `currency`; an infinite one (a
        break-even that never comes) as "never"."""
        if isinstance(value, bool | np.bool_):
            return "yes" if value else "no"
        if isinstance(value, float) and math.isinf(value):
            return "never"
        money = self.shown.startswith("$")
        pattern = (
            currency.replace("{", "{{").replace("}", "}}") + self.shown[1:] if money else self.shown
        )
        if isinstance(value, float) and value < 0 and money:
            return "-" + pattern.format(-value)
        return pattern.format(value)


TOKENS = Unit("tokens", "tokens", "#,##0", "{:,.0f}")
# money formats carry the currency's mark (the workbook writes its currency there), and
# negatives show in parentheses
PRICE_PER_MTOK = Unit(
    "$ / 1M tokens", "currency per 1M tokens", money_format("#,##0.000"), "${:,.3f}"
)
FRACTION = Unit("fraction", "fraction", "0.0%", "{:.1%}")
PER_GPU_HOUR = Unit("$ / GPU-hour", "currency per GPU-hour", money_format("#,##0.00"), "${:,.2f}")
GPUS = Unit("GPUs", "GPUs", "General", "{:g}")
HOURS = Unit("hours", "hours", "#,##0", "{:,.0f}")
REQUESTS_PER_SECOND = Unit("requests / s", "requests per second", "#,##0.00")
TOKENS_PER_SECOND = Unit("tokens / s", "output tokens per second", "#,##0", "{:,.0f}")
REQUESTS_PER_MONTH = Unit("requests / month", "requests per month", "#,##0", "{:,.0f}")
REQUESTS_PER_HOUR = Unit("requests / hour", "requests per hour", "#,##0", "{:,.0f}")
RATIO = Unit("ratio", "ratio", "#,##0.00")
REPLICAS = Unit("replicas", "replicas", "#,##0", "{:,.0f}")
FTE = Unit("FTE", "full-time equivalents", "#,##0.00")
PER_YEAR = Unit("$ / year", "currency per year", money_format("#,##0;(#,##0)"), "${:,.0f}")
PER_MONTH = Unit("$ / month", "currency per month", money_format("#,##0;(#,##0)"), "${:,.2f}")
PER_REQUEST = Unit(
    "$ / request", "currency per request", money_format("0.000000;(0.000000)"), "${:.6f}"
)
VERDICT = Unit("verdict", "API, Break-even or Self-host", "@", "{}")
#: LibreOffice shows a formula's TRUE as 1 under "General"; Excel shows TRUE either way
BOOLEAN = Unit("TRUE / FALSE", "TRUE or FALSE", '"TRUE";"TRUE";"FALSE"', "{}")
COUNT = Unit("count", "count", "#,##0", "{:,.0f}")
TEXT = Unit("text", "text", "@", "{}")
WEIGHTS = Unit("weights", "relative weights, one per hour", "#,##0.00", "{:,.2f}")
MONTHS = Unit("months", "months", "#,##0.0", "{:,.1f}")
KILOWATTS = Unit("kW", "kilowatts", "#,##0.000", "{:,.3f}")
PER_KWH = Unit("$ / kWh", "currency per kWh", money_format("#,##0.000"), "${:,.3f}")
PER_KW_MONTH = Unit("$ / kW-month", "currency per kW-month", money_format("#,##0.00"), "${:,.2f}")
MONEY = Unit("$", "currency", money_format("#,##0;(#,##0)"), "${:,.0f}")
HOURS_PER_DAY_UNIT = Unit("hours / day", "hours per day", "#,##0.0", "{:,.1f}")
MONTH_NUMBER = Unit("month", "month of the projection (1 is the first)", "0", "{:,.0f}")
#: an hour's replicas for each request a month: tiny numbers, written in powers of ten
LOAD = Unit("replicas / (request / month)", "replicas per request a month", "0.00E+00", "{:.3e}")
BYTES = Unit("bytes", "bytes", "#,##0", "{:,.0f}")
BYTES_EACH = Unit("bytes", "bytes", "0.0", "{:.1f}")
BYTES_PER_SECOND = Unit("bytes / s", "bytes per second", "0.00E+00", "{:.3e}")
FLOPS = Unit("FLOP / s", "floating-point operations per second", "0.00E+00", "{:.3e}")
PARAMETERS = Unit("parameters", "parameters", "#,##0", "{:,.0f}")
BILLIONS = Unit("billions", "billions of parameters", "#,##0.00")
SECONDS = Unit("s", "seconds", "0.000000", "{:.6f}")
TERAFLOPS = Unit("TFLOP / s", "trillion floating-point operations per second", "#,##0")
TERABYTES_PER_SECOND = Unit("TB / s", "terabytes per second", "0.000", "{:.3f}")
GIGABYTES = Unit("GB", "gigabytes", "#,##0.0", "{:,.1f}")
REPLICA_HOURS = Unit("replica-hours / month", "replica-hours per month", "#,##0", "{:,.0f}")
