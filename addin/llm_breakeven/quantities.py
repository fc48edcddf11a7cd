"""The catalogue of quantities: every input, intermediate and output, described once.

Each `Quantity` has its name (the one spelling used by the engine, the scenario file, the
Excel arguments and the workbook's defined names), a label, a unit, what it means, its valid
range, its default and, for scenario inputs, where it sits on the Inputs sheet and the range
random test scenarios draw it from. Everything that shows or checks a quantity reads it here:
scenario fields and their validation, Excel argument help, the workbook's labels, units,
number formats and data validation, the CLI's headings and the README's reference tables.

A new scenario input costs one entry in `INPUTS` (and the definition in `llm_breakeven.model`
that uses it); a new derived quantity costs one entry in `DERIVED` and its definition.

>>> QUANTITIES["max_utilization"].doc()
'Highest planned load per replica; 1 - this is the headroom (fraction, in (0, 1]; default 1).'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from .bounds import NON_NEGATIVE, POSITIVE, SHARE, UTILIZATION, WHOLE, Bound, number

# --- shared defaults and constants ------------------------------------------------------------

#: billing hours in an average month (8760 / 12); the article uses 720
HOURS_PER_MONTH: Final = 730.0
#: costs this close to the API's, as a share of the API cost, are called break-even
DEFAULT_TOLERANCE: Final = 0.15
SECONDS_PER_HOUR: Final = 3600.0
MONTHS_PER_YEAR: Final = 12.0
TOKENS_PER_MILLION: Final = 1_000_000.0
#: a load within this many replicas above a whole number counts as that whole number, so
#: float noise in volume x peak / capacity never buys an extra replica
REPLICA_TOLERANCE: Final = 1e-9
#: the verdicts of `cheaper_option`, in code order (0, 1, 2)
OPTIONS: Final = ("API", "Break-even", "Self-host")


class _Required:
    """The default of an input that has none."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()


# --- units ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """How a unit is written on a sheet (`text`), in help (`words`, ASCII), in a cell
    (`number_format`) and in a terminal (`shown`, a str.format pattern)."""

    text: str
    words: str
    number_format: str
    shown: str = "{:,.2f}"

    def show(self, value: object) -> str:
        """`value` as the CLI prints it; an infinite one (a break-even that never comes) as
        "never"."""
        if isinstance(value, bool | np.bool_):
            return "yes" if value else "no"
        if isinstance(value, float) and math.isinf(value):
            return "never"
        if isinstance(value, float) and value < 0 and self.shown.startswith("$"):
            return "-" + self.shown.format(-value)
        return self.shown.format(value)


TOKENS = Unit("tokens", "tokens", "#,##0", "{:,.0f}")
# money formats carry no currency symbol: the workbook's unit column names the currency, and
# negatives show in parentheses
PRICE_PER_MTOK = Unit("$ / 1M tokens", "currency per 1M tokens", "#,##0.000", "${:,.3f}")
FRACTION = Unit("fraction", "fraction", "0.0%", "{:.1%}")
PER_GPU_HOUR = Unit("$ / GPU-hour", "currency per GPU-hour", "#,##0.00", "${:,.2f}")
GPUS = Unit("GPUs", "GPUs", "General", "{:g}")
HOURS = Unit("hours", "hours", "#,##0", "{:,.0f}")
REQUESTS_PER_SECOND = Unit("requests / s", "requests per second", "#,##0.00")
TOKENS_PER_SECOND = Unit("tokens / s", "output tokens per second", "#,##0", "{:,.0f}")
REQUESTS_PER_MONTH = Unit("requests / month", "requests per month", "#,##0", "{:,.0f}")
RATIO = Unit("ratio", "ratio", "#,##0.00")
REPLICAS = Unit("replicas", "replicas", "#,##0", "{:,.0f}")
FTE = Unit("FTE", "full-time equivalents", "#,##0.00")
PER_YEAR = Unit("$ / year", "currency per year", "#,##0;(#,##0)", "${:,.0f}")
PER_MONTH = Unit("$ / month", "currency per month", "#,##0;(#,##0)", "${:,.2f}")
PER_REQUEST = Unit("$ / request", "currency per request", "0.000000;(0.000000)", "${:.6f}")
VERDICT = Unit("verdict", "API, Break-even or Self-host", "@", "{}")
#: LibreOffice shows a formula's TRUE as 1 under "General"; Excel shows TRUE either way
BOOLEAN = Unit("TRUE / FALSE", "TRUE or FALSE", '"TRUE";"TRUE";"FALSE"', "{}")
COUNT = Unit("count", "count", "#,##0", "{:,.0f}")
TEXT = Unit("text", "text", "@", "{}")


@dataclass(frozen=True)
class Sample:
    """The range random test scenarios draw a value from (log-uniform when `log`)."""

    low: float
    high: float
    log: bool = False
    #: the share of random scenarios that leave an optional input blank or at its default
    unset: float = 0.0


@dataclass(frozen=True)
class Quantity:
    """One quantity of the domain: what it is called, means, measures and may be."""

    name: str
    label: str
    unit: Unit
    help: str
    bound: Bound = NON_NEGATIVE
    #: a number, None (blank: see `help`), or REQUIRED
    default: float | _Required | None = REQUIRED
    #: the Inputs section of a scenario input, or the Calculations section of a derived one
    section: str | None = None
    sample: Sample | None = None
    #: a tighter rule for a scenario's own value than for a function argument
    scenario_bound: Bound | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def doc(self, default: float | str | None = None) -> str:
        """Help naming the unit, the valid range and the default (`default` where a function
        gives a required quantity one of its own): one text for every face."""
        if self.unit is VERDICT or self.unit is BOOLEAN:
            detail = self.unit.words
        else:
            rule = self.bound.describe()
            plain = rule == "at least 0" or self.bound.low == -math.inf
            detail = self.unit.words if plain else f"{self.unit.words}, {rule}"
        if isinstance(default, str):
            detail += f"; default {default}"
        elif default is not None:
            detail += f"; default {number(default)}"
        elif isinstance(self.default, float | int):
            detail += f"; default {number(self.default)}"
        elif self.default is None:
            detail += "; default blank"
        return f"{self.help} ({detail})."

    def violation(self, value: float, scenario: bool = False) -> str | None:
        """Why `value` is not valid here, or None; `scenario` applies the scenario's rule."""
        rule = (self.scenario_bound if scenario else None) or self.bound
        return rule.violation(self.name, value)


def _q(*args: object, **kwargs: object) -> Quantity:
    return Quantity(*args, **kwargs)  # type: ignore[arg-type]


# --- scenario inputs, in the order the Inputs sheet lists them --------------------------------

_API = "API pricing"
_GPU = "GPUs and serving"
_TRAFFIC = "Traffic, headroom and failover"
_PEOPLE = "People and other costs"
_VERDICT = "Verdict"

INPUTS: Final[tuple[Quantity, ...]] = (
    _q("input_tokens", "Input tokens per request", TOKENS,
       "Tokens sent per request, system prompt included", section=_API,
       sample=Sample(50, 8000)),
    _q("output_tokens", "Output tokens per request", TOKENS,
       "Tokens generated per request", section=_API, sample=Sample(10, 2000)),
    _q("input_price", "API input price", PRICE_PER_MTOK,
       "API list price of uncached input tokens", section=_API, sample=Sample(0.02, 5)),
    _q("output_price", "API output price", PRICE_PER_MTOK,
       "API list price of output tokens", section=_API, sample=Sample(0.05, 15)),
    _q("cached_share", "Cached input share", FRACTION,
       "Share of input tokens billed at the cached price", SHARE, 0.0, _API,
       Sample(0, 0.9, unset=0.5)),
    _q("cached_price", "API cached input price", PRICE_PER_MTOK,
       "API price of cached input tokens; blank means the input price", NON_NEGATIVE, None,
       _API, Sample(0.01, 0.5, unset=0.3)),
    # a full discount would make the API free and every comparison meaningless
    _q("batch_discount", "Batch discount", FRACTION,
       "Discount on the whole API bill, e.g. 0.5 for a batch API",
       Bound(high=1.0, high_open=True), 0.0, _API, Sample(0, 0.5, unset=0.8)),
    _q("hourly_rate", "GPU hourly rate", PER_GPU_HOUR, "Rental price of one GPU",
       section=_GPU, sample=Sample(0.4, 12)),
    _q("gpus_per_replica", "GPUs per replica", GPUS,
       "GPUs one serving instance of the model needs", POSITIVE, 1.0, _GPU,
       Sample(1, 8, unset=0.3)),
    # the longest calendar month has 31 x 24 = 744 hours
    _q("hours_per_month", "Hours per month", HOURS,
       "Billed hours in a month: 730 on average (8760 / 12), 720 in the article",
       Bound(high=744.0, low_open=True), HOURS_PER_MONTH, _GPU, Sample(672, 744, unset=0.3)),
    # exactly one of the two throughputs (ONE_OF): serving engines and benchmarks state tokens/s
    _q("replica_throughput", "Replica throughput", REQUESTS_PER_SECOND,
       "Sustained requests per second one replica serves; blank when given in tokens per "
       "second", POSITIVE, None, _GPU, Sample(0.2, 40, log=True)),
    _q("replica_output_tokens_per_second", "Replica output tokens per second", TOKENS_PER_SECOND,
       "Output tokens per second one replica generates at its serving batch; blank when "
       "given in requests per second", POSITIVE, None, _GPU, Sample(50, 50_000, log=True)),
    # a scenario's own volume divides its cost per request; a function may take zero
    _q("monthly_volume", "Monthly volume", REQUESTS_PER_MONTH,
       "Traffic to serve", section=_TRAFFIC, sample=Sample(1e4, 5e8, log=True),
       scenario_bound=POSITIVE),
    _q("max_utilization", "Max utilization", FRACTION,
       "Highest planned load per replica; 1 - this is the headroom", UTILIZATION, 1.0,
       _TRAFFIC, Sample(0.3, 1, unset=0.2)),
    _q("peak_to_average", "Peak-to-average", RATIO,
       "Peak request rate over the average rate", Bound(low=1.0), 1.0, _TRAFFIC,
       Sample(1, 5, unset=0.2)),
    _q("failover_replicas", "Failover replicas", REPLICAS,
       "Replicas held in reserve beyond what the peak needs", WHOLE, 0.0, _TRAFFIC,
       Sample(0, 2)),
    _q("ops_fte", "Ops staff", FTE, "People-time spent running the serving stack",
       NON_NEGATIVE, 0.0, _PEOPLE, Sample(0, 2, unset=0.3)),
    _q("annual_cost_per_fte", "Cost per FTE", PER_YEAR,
       "Fully loaded annual cost of one person: salary, taxes, benefits", NON_NEGATIVE, 0.0,
       _PEOPLE, Sample(0, 300_000, unset=0.3)),
    _q("other_fixed_monthly_cost", "Other fixed cost", PER_MONTH,
       "Monitoring, storage, amortized setup: paid while serving", NON_NEGATIVE, 0.0, _PEOPLE,
       Sample(0, 3000, unset=0.3)),
    _q("variable_cost_per_request", "Variable cost per request", PER_REQUEST,
       "Self-host cost that scales per request: egress, logging", NON_NEGATIVE, 0.0,
       _PEOPLE, Sample(0, 2e-4, unset=0.25)),
    _q("tolerance", "Break-even tolerance", FRACTION,
       "Costs this close, as a share of the API cost, are called break-even", NON_NEGATIVE,
       DEFAULT_TOLERANCE, _VERDICT, Sample(0, 0.3, unset=0.3)),
)  # fmt: skip

# --- constants the formulas use instead of literals -------------------------------------------

CONSTANTS: Final[tuple[Quantity, ...]] = (
    _q("seconds_per_hour", "Seconds per hour", Unit("s / hour", "seconds per hour", "#,##0"),
       "Seconds in an hour", default=SECONDS_PER_HOUR),
    _q("months_per_year", "Months per year", Unit("months", "months", "#,##0"),
       "Months in a year", default=MONTHS_PER_YEAR),
    _q("tokens_per_million", "Tokens per million", TOKENS, "Prices are per 1M tokens",
       default=TOKENS_PER_MILLION),
    _q("replica_tolerance", "Replica rounding tolerance", REPLICAS,
       "A load this close above a whole number of replicas needs no extra replica",
       default=REPLICA_TOLERANCE),
)  # fmt: skip

# --- derived quantities, each defined once in llm_breakeven.model -------------------------------

#: inputs of which a scenario gives exactly one (the other left blank)
ONE_OF: Final = (("replica_throughput", "replica_output_tokens_per_second"),)

_API_COST = "API"
_REPLICA = "One replica"
_FIXED = "Fixed costs"
_BREAKEVEN = "Break-even"
_OWN = "At the scenario's own volume"

DERIVED: Final[tuple[Quantity, ...]] = (
    _q("cached_price_used", "Cached input price used", PRICE_PER_MTOK,
       "The cached price, or the input price when none is given", section=_API_COST),
    _q("api_cost_per_request", "API cost per request", PER_REQUEST,
       "API cost of one request", section=_API_COST),
    _q("requests_per_second", "Replica throughput used", REQUESTS_PER_SECOND,
       "Requests per second of one replica: the throughput given, or output tokens per "
       "second / output tokens per request", POSITIVE, section=_REPLICA),
    _q("replica_monthly_cost", "Replica monthly cost", PER_MONTH,
       "Rental bill of one replica, billed around the clock", section=_REPLICA),
    _q("replica_capacity", "Replica capacity at 100 %", REQUESTS_PER_MONTH,
       "Requests one replica serves at 100% utilization", POSITIVE, section=_REPLICA),
    _q("usable_capacity", "Usable capacity per replica", REQUESTS_PER_MONTH,
       "Average monthly requests one replica carries within its max utilization at the peak",
       section=_REPLICA),
    _q("ops_monthly_cost", "Ops staff cost", PER_MONTH,
       "Monthly cost of the people who run the serving stack", section=_FIXED),
    _q("fixed_monthly_cost", "Fixed monthly cost", PER_MONTH,
       "Ops salaries, monitoring, setup: paid while at least one replica runs", default=0.0,
       section=_FIXED),
    _q("minimum_monthly_cost", "Minimum self-host bill", PER_MONTH,
       "One serving replica plus failover replicas plus fixed cost", section=_FIXED),
    _q("monthly_cost", "Monthly cost of the capacity", PER_MONTH,
       "Self-hosting cost of the capacity priced per request; in a scenario, its minimum "
       "self-host bill", section=_FIXED),
    _q("api_margin", "API margin per request", PER_REQUEST,
       "API cost per request less the variable self-host cost", Bound(low=-math.inf),
       section=_BREAKEVEN),
    _q("breakeven_gap", "Full replica's margin over its cost", PER_MONTH,
       "Usable capacity x API margin - replica cost: a break-even exists only when positive",
       Bound(low=-math.inf), section=_BREAKEVEN),
    _q("breakeven_reachable", "Break-even reachable?", BOOLEAN,
       "FALSE: the API is cheaper at every volume", section=_BREAKEVEN),
    _q("breakeven_replicas", "Serving replicas at break-even", REPLICAS,
       "Serving replicas running at the break-even volume; 0 when never",
       section=_BREAKEVEN),
    _q("breakeven_volume", "Break-even volume", REQUESTS_PER_MONTH,
       "Smallest monthly volume at which self-hosting costs no more than the API",
       section=_BREAKEVEN),
    _q("sustained_breakeven_replicas", "Serving replicas from which every step pays", REPLICAS,
       "Fewest serving replicas from which each added replica's traffic pays for it; 0 when "
       "never", section=_BREAKEVEN),
    _q("sustained_breakeven_volume", "Sustained break-even volume", REQUESTS_PER_MONTH,
       "Smallest monthly volume above which self-hosting never costs more than the API; "
       "between it and the break-even volume the cheaper option alternates as replicas are "
       "added", section=_BREAKEVEN),
    _q("one_replica_breakeven_utilization", "Break-even utilization (one replica)", FRACTION,
       "Utilization at which the capacity's cost per request equals the API's; above 1 it "
       "is out of reach on one replica", section=_BREAKEVEN),
    _q("breakeven_utilization", "Break-even utilization (billed replicas)", FRACTION,
       "Average utilization of every billed replica, failover included, at the break-even "
       "volume; where break-even never comes, the one-replica figure (above 1: out of reach)",
       section=_BREAKEVEN),
    _q("replicas_needed", "Replicas needed (incl. failover)", REPLICAS,
       "Whole replicas to serve the volume at its peak, plus failover replicas", section=_OWN),
    _q("peak_requests_per_second", "Peak request rate", REQUESTS_PER_SECOND,
       "Request rate at the peak", section=_OWN),
    _q("utilization", "Utilization", FRACTION,
       "Share of capacity actually used, not share of hours billed", UTILIZATION,
       section=_OWN),
    _q("api_monthly_cost", "API monthly bill", PER_MONTH, "What the API bills for the volume",
       section=_OWN),
    _q("selfhost_monthly_cost", "Self-host monthly cost (replicas + fixed)", PER_MONTH,
       "Replicas x replica cost + fixed cost, without variable cost", section=_OWN),
    _q("selfhost_total_monthly_cost", "Self-host monthly bill", PER_MONTH,
       "Replicas, fixed and variable cost of the volume", section=_OWN),
    _q("selfhost_cost_per_request", "Self-host cost per request", PER_REQUEST,
       "Self-host cost of one request", section=_OWN),
    _q("monthly_savings", "Monthly savings from self-hosting", PER_MONTH,
       "API bill - self-host bill; negative when the API is cheaper", Bound(low=-math.inf),
       section=_OWN),
    _q("cheaper_option", "Cheaper option", VERDICT,
       "Break-even within the tolerance, else the cheaper option per request", section=_OWN),
    _q("in_alternating_band", "Verdict alternates at this volume?", BOOLEAN,
       "TRUE when the volume lies from the break-even up to the sustained break-even, where "
       "the cheaper option alternates as replicas are added", section=_OWN),
    _q("breakeven_multiple", "Volume as a multiple of break-even", RATIO,
       "Own volume / break-even volume; 0 when break-even never comes", Bound(low=0.0),
       section=_OWN),
    _q("api_annual_cost", "API annual bill", PER_YEAR, "API monthly bill x 12", section=_OWN),
    _q("selfhost_annual_cost", "Self-host annual bill", PER_YEAR,
       "Self-host monthly bill x 12", section=_OWN),
    _q("annual_savings", "Annual savings from self-hosting", PER_YEAR,
       "API annual bill - self-host annual bill; negative when the API is cheaper",
       Bound(low=-math.inf), section=_OWN),
    _q("cost_per_million_tokens", "Cost per 1M output tokens", PRICE_PER_MTOK,
       "What a replica's GPUs cost per million output tokens at a utilization"),
    # the by-utilization table's own columns: no Calculations row
    _q("volume_served", "Requests served per month", REQUESTS_PER_MONTH,
       "Requests the capacity serves at the utilization"),
    _q("cost_per_request", "Self-host cost per request", PER_REQUEST,
       "Self-host cost of one request when the capacity runs at the utilization"),
)  # fmt: skip

#: arguments of Excel functions that are neither scenario inputs nor derived
ARGUMENTS: Final[tuple[Quantity, ...]] = (
    _q("utilizations", "Utilizations", FRACTION,
       "Utilizations to tabulate, one per row", UTILIZATION),
    _q("model", "Model", TEXT, "An open-weight model of the catalogue, e.g. Llama 3.1 8B"),
    _q("gpu", "GPU", TEXT, "A GPU of the catalogue, e.g. H100 SXM"),
    _q("gpu_field", "GPU field", TEXT,
       "hbm_gb, hbm_tb_s, bf16_dense_tflops, fp8_dense_tflops or tdp_w"),
    _q("provider", "Provider", TEXT, "A provider of the catalogue; blank: the median offer",
       default=None),
    _q("pricing", "Pricing", TEXT, "on-demand, spot, marketplace or reserved", default=None),
    _q("precision", "Precision", TEXT, "bf16, fp16, fp8 or int4", default=None),
    _q("max_batch", "Max batch", COUNT, "Most sequences the engine batches", POSITIVE, 256.0),
    _q("api_model", "API model", TEXT,
       "A model as genai-prices names it, e.g. gpt-4o or llama-3.1-8b-instant"),
    _q("price_kind", "Price kind", TEXT, "input, output or cache_read", default=None),
    _q("api_provider", "API provider", TEXT,
       "A provider as genai-prices names it, e.g. openai or groq; blank: the most suitable",
       default=None),
)  # fmt: skip

QUANTITIES: Final[Mapping[str, Quantity]] = {
    q.name: q for q in (*INPUTS, *CONSTANTS, *DERIVED, *ARGUMENTS)
}
assert len(QUANTITIES) == len(INPUTS) + len(CONSTANTS) + len(DERIVED) + len(ARGUMENTS)

#: the scenario inputs by name, in Inputs-sheet order
FIELDS: Final[Mapping[str, Quantity]] = {q.name: q for q in INPUTS}
#: what `llm_breakeven.model.evaluate` returns for each scenario, in order
OUTPUTS: Final = (
    "api_cost_per_request",
    "replica_monthly_cost",
    "replica_capacity",
    "ops_monthly_cost",
    "fixed_monthly_cost",
    "minimum_monthly_cost",
    "breakeven_volume",
    "sustained_breakeven_volume",
    "breakeven_utilization",
    "one_replica_breakeven_utilization",
    "replicas_needed",
    "peak_requests_per_second",
    "utilization",
    "api_monthly_cost",
    "selfhost_monthly_cost",
    "selfhost_total_monthly_cost",
    "selfhost_cost_per_request",
    "monthly_savings",
    "api_annual_cost",
    "selfhost_annual_cost",
    "annual_savings",
    "breakeven_multiple",
    "cheaper_option",
    "in_alternating_band",
)
#: the columns of the by-utilization table, in order
TABLE_COLUMNS: Final = (
    "utilization",
    "volume_served",
    "cost_per_request",
    "api_cost_per_request",
    "cheaper_option",
)


def doc(name: str, default: float | str | None = None) -> str:
    """The help of quantity `name`, naming its unit: what Excel shows for an argument."""
    return QUANTITIES[name].doc(default)


def sections(quantities: tuple[Quantity, ...]) -> list[tuple[str, list[Quantity]]]:
    """`quantities` that have a section, grouped by it, in catalogue order."""
    grouped: dict[str, list[Quantity]] = {}
    for q in quantities:
        if q.section is not None:
            grouped.setdefault(q.section, []).append(q)
    return list(grouped.items())


def sample(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    """`rows` random but valid scenarios: one array per scenario input, from each `Sample`.

    Whole-number inputs are drawn whole; an optional input is left at its default (NaN for a
    blank) in its `unset` share of rows, so defaults are exercised too.

    >>> columns = sample(4, seed=1)
    >>> sorted(columns) == sorted(FIELDS)
    True
    """
    rng = np.random.default_rng(seed)
    columns = {}
    for q in INPUTS:
        assert q.sample is not None, f"{q.name} has no sample range"
        s = q.sample
        if s.log:
            values = np.exp(rng.uniform(math.log(s.low), math.log(s.high), rows))
        elif q.bound.whole:
            values = rng.integers(int(s.low), int(s.high) + 1, rows).astype(float)
        else:
            values = rng.uniform(s.low, s.high, rows)
        if s.unset:
            default = math.nan if q.default is None else float(q.default)  # type: ignore[arg-type]
            values = np.where(rng.uniform(size=rows) < s.unset, default, values)
        columns[q.name] = values
    for names in ONE_OF:  # exactly one given in each row, the others blank
        chosen = rng.integers(0, len(names), rows)
        for k, name in enumerate(names):
            columns[name] = np.where(chosen == k, columns[name], math.nan)
    return columns
