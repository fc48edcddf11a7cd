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

from .bounds import NON_NEGATIVE, POSITIVE, SHARE, UTILIZATION, WHOLE, Bound, number
from .units import (
    BOOLEAN,
    COUNT,
    FRACTION,
    FTE,
    GPUS,
    HOURS,
    HOURS_PER_DAY_UNIT,
    KILOWATTS,
    LOAD,
    MONEY,
    MONTH_NUMBER,
    MONTHS,
    PER_GPU_HOUR,
    PER_KW_MONTH,
    PER_KWH,
    PER_MONTH,
    PER_REQUEST,
    PER_YEAR,
    PRICE_PER_MTOK,
    RATIO,
    REPLICA_HOURS,
    REPLICAS,
    REQUESTS_PER_HOUR,
    REQUESTS_PER_MONTH,
    REQUESTS_PER_SECOND,
    TEXT,
    TOKENS,
    TOKENS_PER_SECOND,
    VERDICT,
    WEIGHTS,
    Unit,
)

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
#: the longest currency symbol (e.g. "CHF " or "US$")
MAX_SYMBOL: Final = 8
#: the verdicts of `cheaper_option`, in code order (0, 1, 2)
OPTIONS: Final = ("API", "Break-even", "Self-host")


class _Required:
    """The default of an input that has none."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()


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
    #: a number, a text (a choice), None (blank: see `help`), or REQUIRED
    default: float | str | _Required | None = REQUIRED
    #: the Inputs section of a scenario input, or the Calculations section of a derived one
    section: str | None = None
    sample: Sample | None = None
    #: a tighter rule for a scenario's own value than for a function argument
    scenario_bound: Bound | None = None
    #: the texts a choice may take (the first is its default); empty for a number
    choices: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def doc(self, default: float | str | None = None) -> str:
        """Help naming the unit, the valid range and the default (`default` where a function
        gives a required quantity one of its own): one text for every face."""
        return f"{self.help} ({self.detail(default)})."

    def measure(self) -> str:
        """The unit and the valid range (or the choices)."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.unit is VERDICT or self.unit is BOOLEAN:
            return self.unit.words
        rule = self.bound.describe()
        plain = rule == "at least 0" or self.bound.low == -math.inf
        return self.unit.words if plain else f"{self.unit.words}, {rule}"

    def detail(self, default: float | str | None = None) -> str:
        """The unit, the valid range and the default, as `doc` gives them after the help."""
        detail = self.measure()
        if isinstance(default, bool):
            detail += f"; default {str(default).upper()}"
        elif isinstance(default, str):
            detail += f"; default {default}"
        elif default is not None:
            detail += f"; default {number(default)}"
        elif isinstance(self.default, float | int | str):
            shown = self.default if isinstance(self.default, str) else number(self.default)
            detail += f"; default {shown}"
        elif self.default is None:
            detail += "; default blank"
        return detail

    def violation(self, value: float | str, scenario: bool = False) -> str | None:
        """Why `value` is not valid here, or None; `scenario` applies the scenario's rule."""
        if self.choices:
            if value in self.choices:
                return None
            return f"{self.name} must be one of {', '.join(self.choices)} (got {value!r})"
        assert not isinstance(value, str)
        rule = (self.scenario_bound if scenario else None) or self.bound
        return rule.violation(self.name, value)


def _q(*args: object, **kwargs: object) -> Quantity:
    return Quantity(*args, **kwargs)  # type: ignore[arg-type]


# --- scenario inputs, in the order the Inputs sheet lists them --------------------------------

_API = "API pricing"
_GPU = "GPUs and serving"
_TRAFFIC = "Traffic, headroom and failover"
_PEOPLE = "People and other costs"
_BILLING = "Billing and resilience"
_HYBRID_IN = "Hybrid routing"
_OWNED_IN = "Owned hardware"
_TIME = "Over time"
_SIGNALS_IN = "Not only cost: signals"
_VERDICT = "Verdict"

#: how rented GPUs are billed: every hour, a daily window, or only the replica-hours needed
BILLING_MODES: Final = ("always-on", "active-window", "scale-to-zero")
#: whether a scenario's replicas are rented or bought
OWNERSHIPS: Final = ("rent", "buy")
#: the cheaper way to stay up, as `cheaper_resilience` names it
RESILIENCE: Final = ("API fallback", "Standby replicas", "No downtime given")
#: how a signal of the article's scorecard is marked
SIGNAL_MARKS: Final = ("unmarked", "lean API", "lean self-host")
#: the compliance signal may also require self-hosting, whatever it costs
COMPLIANCE_MARKS: Final = (*SIGNAL_MARKS, "requires self-host")
#: the longest projection: five years, the useful life of a GPU (and every month is a
#: row of the workbook, in nine helper blocks)
MAX_HORIZON_MONTHS: Final = 60
#: the hour counts a traffic profile may have: a day or a week
PROFILE_HOURS: Final = (24, 168)

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
    _q("one_time_cost", "One-time cost", MONEY,
       "Setup and migration, paid once and spread over the amortization months",
       NON_NEGATIVE, 0.0, _PEOPLE, Sample(0, 100_000, unset=0.5)),
    _q("amortization_months", "Amortization months", MONTHS,
       "Months the one-time cost is spread over", POSITIVE, 36.0, _PEOPLE,
       Sample(6, 60, unset=0.5)),
    _q("billing_mode", "Billing mode", TEXT,
       "How rented GPUs are billed: every hour (always-on), a daily window (active-window) or "
       "only the replica-hours the hourly profile needs (scale-to-zero)", default="always-on",
       section=_BILLING, sample=Sample(0, 2, unset=0.5), choices=BILLING_MODES),
    _q("active_hours_per_day", "Active hours per day", HOURS_PER_DAY_UNIT,
       "Hours a day the replicas run in the active-window billing mode",
       Bound(high=24.0, low_open=True), 24.0, _BILLING, Sample(4, 24, unset=0.5)),
    _q("cold_start_hours", "Cold-start hours per start", HOURS,
       "Hours billed for each replica started in the scale-to-zero mode (loading the model)",
       NON_NEGATIVE, 0.0, _BILLING, Sample(0, 0.5, unset=0.5)),
    _q("availability", "Self-host availability", FRACTION,
       "Share of the time the self-hosted replicas are up; with no failover replicas the "
       "rest of the traffic falls back to the API at its price", UTILIZATION, 1.0, _BILLING,
       Sample(0.95, 1, unset=0.5)),
    _q("routed_share", "Share routed to a frontier API", FRACTION,
       "Share of all traffic a router always sends to a separate API (hard queries), in the "
       "hybrid comparison", SHARE, 0.0, _HYBRID_IN, Sample(0, 0.3, unset=0.6)),
    _q("routed_cost_per_request", "Frontier API cost per request", PER_REQUEST,
       "What the separate API charges per routed request", NON_NEGATIVE, 0.0, _HYBRID_IN,
       Sample(0, 0.02, unset=0.6)),
    _q("ownership", "Rent or buy", TEXT,
       "Whether the replicas' GPUs are rented at the hourly rate or bought", default="rent",
       section=_OWNED_IN, sample=Sample(0, 1, unset=0.7), choices=OWNERSHIPS),
    _q("purchase_price", "Purchase price per GPU", MONEY,
       "What buying one GPU costs, with its share of the server and network", NON_NEGATIVE,
       0.0, _OWNED_IN, Sample(5_000, 45_000, unset=0.3)),
    _q("life_months", "Useful life", MONTHS,
       "Months over which bought hardware is depreciated", POSITIVE, 36.0, _OWNED_IN,
       Sample(24, 72, unset=0.3)),
    _q("residual_share", "Residual value", FRACTION,
       "Share of the purchase price the hardware is worth at the end of its life", SHARE, 0.0,
       _OWNED_IN, Sample(0, 0.4, unset=0.3)),
    _q("annual_cost_of_capital", "Cost of capital", FRACTION,
       "Yearly return the money tied up in hardware could earn, on its average book value",
       NON_NEGATIVE, 0.0, _OWNED_IN, Sample(0, 0.15, unset=0.3)),
    _q("annual_maintenance_share", "Maintenance per year", FRACTION,
       "Yearly maintenance, support and insurance as a share of the purchase price",
       NON_NEGATIVE, 0.0, _OWNED_IN, Sample(0, 0.15, unset=0.3)),
    _q("power_kw", "Power per GPU", KILOWATTS,
       "Average draw of one GPU with its share of the server", NON_NEGATIVE, 0.0, _OWNED_IN,
       Sample(0.2, 1.5, unset=0.3)),
    _q("pue", "PUE", RATIO,
       "Power usage effectiveness: facility power over IT power", Bound(low=1.0), 1.0,
       _OWNED_IN, Sample(1, 2, unset=0.3)),
    _q("price_per_kwh", "Electricity price", PER_KWH, "Price of one kWh", NON_NEGATIVE, 0.0,
       _OWNED_IN, Sample(0.03, 0.4, unset=0.3)),
    _q("colocation_per_kw_month", "Colocation price", PER_KW_MONTH,
       "Rack space and cooling per kW of IT power a month", NON_NEGATIVE, 0.0, _OWNED_IN,
       Sample(0, 300, unset=0.3)),
    # a change of -1 (-100 %) would make a price or the volume vanish
    _q("monthly_growth", "Monthly traffic growth", FRACTION,
       "Growth of the monthly volume each month in the projection, e.g. 0.05; negative "
       "for decline", Bound(low=-1.0, low_open=True), 0.0, _TIME, Sample(-0.05, 0.1, unset=0.5)),
    _q("api_price_change_per_year", "API price change per year", FRACTION,
       "Yearly change of the API's list prices in the projection, e.g. -0.3 for 30 % "
       "cheaper each year", Bound(low=-1.0, low_open=True), 0.0, _TIME,
       Sample(-0.5, 0.1, unset=0.5)),
    _q("gpu_price_change_per_year", "GPU price change per year", FRACTION,
       "Yearly change of the GPU hourly rate in the projection (bought hardware keeps its "
       "price)", Bound(low=-1.0, low_open=True), 0.0, _TIME, Sample(-0.4, 0.1, unset=0.5)),
    _q("migration_cost", "Migration cost", MONEY,
       "Paid once in the month the projection switches to self-hosting (unlike the one-time "
       "cost, not spread over months: put each cost in one of the two)", NON_NEGATIVE, 0.0,
       _TIME, Sample(0, 200_000, unset=0.5)),
    _q("annual_discount_rate", "Discount rate per year", FRACTION,
       "Yearly rate that discounts future months' savings to today's money",
       Bound(low=-1.0, low_open=True), 0.0, _TIME, Sample(0, 0.15, unset=0.5)),
    _q("horizon_months", "Projection horizon", MONTHS, "Months the projection runs",
       Bound(low=1.0, high=float(MAX_HORIZON_MONTHS), whole=True), 36.0, _TIME,
       Sample(1, 60, unset=0.5)),
    _q("signal_volume", "Signal: traffic volume", TEXT,
       "Lean API: low or unknown volume; lean self-host: high and predictable",
       default="unmarked", section=_SIGNALS_IN, sample=Sample(0, 2, unset=0.5),
       choices=SIGNAL_MARKS),
    _q("signal_pattern", "Signal: traffic pattern", TEXT,
       "Lean API: spiky, seasonal or nights off; lean self-host: steady around the clock",
       default="unmarked", section=_SIGNALS_IN, sample=Sample(0, 2, unset=0.5),
       choices=SIGNAL_MARKS),
    _q("signal_stage", "Signal: stage", TEXT,
       "Lean API: a prototype or early product; lean self-host: a mature, scaled product",
       default="unmarked", section=_SIGNALS_IN, sample=Sample(0, 2, unset=0.5),
       choices=SIGNAL_MARKS),
    _q("signal_team", "Signal: team", TEXT,
       "Lean API: no ML-ops engineers to spare; lean self-host: infra and on-call capacity",
       default="unmarked", section=_SIGNALS_IN, sample=Sample(0, 2, unset=0.5),
       choices=SIGNAL_MARKS),
    _q("signal_model_needs", "Signal: model needs", TEXT,
       "Lean API: frontier quality, the latest models; lean self-host: an open-weight model "
       "is good enough", default="unmarked", section=_SIGNALS_IN,
       sample=Sample(0, 2, unset=0.5), choices=SIGNAL_MARKS),
    _q("signal_compliance", "Signal: data and compliance", TEXT,
       "Lean API: the provider's terms are acceptable; lean self-host: data should stay on "
       "your hardware; requires self-host: it must, whatever it costs",
       default="unmarked", section=_SIGNALS_IN, sample=Sample(0, 3, unset=0.5),
       choices=COMPLIANCE_MARKS),
    _q("signal_latency", "Signal: latency control", TEXT,
       "Lean API: the provider's latency is fine; lean self-host: tight, tunable tail "
       "latency is needed", default="unmarked", section=_SIGNALS_IN,
       sample=Sample(0, 2, unset=0.5), choices=SIGNAL_MARKS),
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
    _q("hours_per_day", "Hours per day", HOURS, "Hours in a day", default=24.0),
    _q("half", "One half", RATIO, "The midpoint of two values: the average book value, and "
       "the nearest whole number", default=0.5),
    _q("percent", "Percent in a whole", RATIO, "100: a share as a percent", default=100.0),
    _q("odds_draws", "Monte Carlo draws behind the odds", COUNT,
       "Draws per scenario of the Monte Carlo the recommendation reads", default=10_000.0),
    _q("hybrid_worth", "A hybrid worth naming costs at most", FRACTION,
       "The recommendation names the hybrid where it costs at most this share of each "
       "single path", default=0.99),
    # an hourly expression divides by this where a weight is 0, standing in for a division
    # by zero while keeping the arithmetic identical in numpy and in a formula
    _q("tiny", "A tiny positive number", RATIO, "Stands in for 0 in a divisor", default=1e-200),
    _q("huge", "A huge number", RATIO, "Results beyond it mean never", default=1e150),
    _q("search_span", "Replicas a workbook search covers", REPLICAS,
       "The Hybrid sheet halves its searches 24 times: they cover 2^24 replicas",
       default=float(2**24)),
    # where a valid input more likely is a unit slip (llm_breakeven.plausibility): API list
    # prices run from about $0.01 to $150 per 1M tokens, GPU rentals from $0.10 to $15 a
    # GPU-hour (a GPU-month from $70 to $11,000), a replica from 0.1 to a few hundred
    # requests a second and from 20 to 50,000 output tokens a second
    _q("per_token_price_below", "A price per 1M tokens below this", PRICE_PER_MTOK,
       "is likelier a price per token", default=0.001),
    _q("monthly_rate_above", "A GPU-hour price above this", PER_GPU_HOUR,
       "is likelier a price per GPU-month", default=60.0),
    _q("requests_per_second_above", "A replica throughput above this", REQUESTS_PER_SECOND,
       "is likelier output tokens per second", default=2_000.0),
    _q("tokens_per_second_below", "Output tokens per second below this", TOKENS_PER_SECOND,
       "are likelier requests per second", default=10.0),
)  # fmt: skip

# --- derived quantities, each defined once in llm_breakeven.model -------------------------------

#: inputs of which a scenario gives exactly one (the other left blank)
ONE_OF: Final = (("replica_throughput", "replica_output_tokens_per_second"),)
#: (given, positive): where the first input is given, the second must be above 0 (a throughput
#: in output tokens per second means nothing for requests that generate none)
NEEDS_POSITIVE: Final = (("replica_output_tokens_per_second", "output_tokens"),)


def needs_positive_violation(given: str, positive: str, value: float) -> str:
    """Why `positive` = `value` fails the `NEEDS_POSITIVE` rule beside `given`."""
    return f"{positive} must be greater than 0 when {given} is given (got {value:g})"


_API_COST = "API"
_REPLICA = "One replica"
_FIXED = "Fixed costs"
_BREAKEVEN = "Break-even"
_OWN = "At the scenario's own volume"
_TRAFFIC_SHAPE = "Traffic shape and billing"
_RESILIENCE_OUT = "Resilience"
_OWNED = "Buy vs rent"
_SIGNALS = "Signals and recommendation"

DERIVED: Final[tuple[Quantity, ...]] = (
    _q("cached_price_used", "Cached input price used", PRICE_PER_MTOK,
       "The cached price, or the input price when none is given", section=_API_COST),
    _q("api_cost_per_request", "API cost per request", PER_REQUEST,
       "API cost of one request", section=_API_COST),
    _q("requests_per_second", "Replica throughput used", REQUESTS_PER_SECOND,
       "Requests per second of one replica: the throughput given, or output tokens per "
       "second / output tokens per request", POSITIVE, section=_REPLICA),
    _q("replica_monthly_cost", "Replica monthly cost", PER_MONTH,
       "What one replica costs a month: its rental bill in the billing mode, or owning it "
       "when bought", section=_REPLICA),
    _q("replica_capacity", "Replica capacity at 100 %", REQUESTS_PER_MONTH,
       "Requests one replica serves at 100% utilization", POSITIVE, section=_REPLICA),
    _q("usable_capacity", "Usable capacity per replica", REQUESTS_PER_MONTH,
       "Average monthly requests one replica carries within its max utilization at the peak",
       section=_REPLICA),
    _q("profile_hours", "Hours in the profile", HOURS,
       "24 for a daily profile, 168 for a weekly one", section=_TRAFFIC_SHAPE),
    _q("profile_peak_to_average", "Profile peak-to-average", RATIO,
       "Busiest hour's weight over the average weight of the hourly profile",
       Bound(low=1.0), section=_TRAFFIC_SHAPE),
    _q("peak_to_average_used", "Peak-to-average used", RATIO,
       "Profile peak-to-average x peak-to-average: what replicas are sized for",
       Bound(low=1.0), section=_TRAFFIC_SHAPE),
    _q("usable_hourly_capacity", "Usable capacity per replica-hour", REQUESTS_PER_HOUR,
       "Requests one replica carries in an hour within its max utilization and the "
       "peak-to-average within the hour", section=_TRAFFIC_SHAPE),
    _q("serving_replicas", "Serving replicas", REPLICAS,
       "Replicas the busiest hour needs, failover excluded", section=_TRAFFIC_SHAPE),
    _q("profile_repeats", "Profile repeats a month", RATIO,
       "Times the profile repeats in a month: hours a month / hours in the profile",
       section=_TRAFFIC_SHAPE),
    _q("load_per_weight", "Replicas per request a month, per unit of weight", LOAD,
       "Replicas an hour of weight 1 needs for each request a month: hours in the profile "
       "/ hours a month / the profile's total weight / usable capacity per replica-hour",
       section=_TRAFFIC_SHAPE),
    _q("scales_to_zero", "Scales to zero?", BOOLEAN,
       "Whether the billing mode is scale-to-zero: the replicas follow the profile hour by "
       "hour", section=_TRAFFIC_SHAPE),
    _q("needed_replica_hours", "Replica-hours needed", REPLICA_HOURS,
       "Scaling to zero, replica-hours a month the profile's hours need at this volume, "
       "whole replicas each hour; 0 in the other billing modes", section=_TRAFFIC_SHAPE),
    _q("kept_replica_hours", "Replica-hours kept from the hour before", REPLICA_HOURS,
       "Scaling to zero, replica-hours a month of replicas that ran the hour before too: "
       "each hour, those the lesser of its load and the previous hour's needs; 0 in the "
       "other billing modes", section=_TRAFFIC_SHAPE),
    _q("fixed_billed_hours", "Billed hours when not scaling", HOURS,
       "Hours a month a replica is billed when it does not scale to zero: its active window "
       "each day, or the whole month", section=_TRAFFIC_SHAPE),
    _q("replica_starts_per_month", "Replica starts per month", COUNT,
       "Replicas started a month as the scale-to-zero mode follows the hourly profile",
       section=_TRAFFIC_SHAPE),
    _q("billed_hours_per_replica", "Billed hours per replica", HOURS,
       "Hours a month each replica is billed in the billing mode; in scale-to-zero the "
       "serving replicas' billed hours at this volume shared among them",
       section=_TRAFFIC_SHAPE),
    _q("billed_replica_hours", "Billed replica-hours", REPLICA_HOURS,
       "Serving replica-hours billed a month in the billing mode", section=_TRAFFIC_SHAPE),
    _q("ops_monthly_cost", "Ops staff cost", PER_MONTH,
       "Monthly cost of the people who run the serving stack", section=_FIXED),
    _q("amortized_monthly_cost", "Amortized one-time cost", PER_MONTH,
       "One-time cost / amortization months", section=_FIXED),
    _q("fixed_monthly_cost", "Fixed monthly cost", PER_MONTH,
       "Ops salaries, monitoring, amortized setup: paid while at least one replica runs",
       default=0.0, section=_FIXED),
    _q("minimum_monthly_cost", "Minimum self-host bill", PER_MONTH,
       "One serving replica plus failover replicas plus fixed cost", section=_FIXED),
    _q("monthly_cost", "Monthly cost of the capacity", PER_MONTH,
       "Self-hosting cost of the capacity priced per request; in a scenario, its minimum "
       "self-host bill", section=_FIXED),
    _q("fallback_share", "Share falling back to the API", FRACTION,
       "1 - availability with no failover replicas (the API serves while the GPUs are "
       "down); 0 with failover replicas", section=_FIXED),
    _q("selfhost_variable_cost_per_request", "Self-host variable cost per request used",
       PER_REQUEST, "Variable cost, with the API's price for the traffic that falls back",
       section=_FIXED),
    _q("api_margin", "API margin per request", PER_REQUEST,
       "API cost per request less the self-host variable cost used", Bound(low=-math.inf),
       section=_BREAKEVEN),
    _q("breakeven_gap", "Full replica's margin over its cost", PER_MONTH,
       "Usable capacity x API margin - replica cost: a break-even exists only when positive",
       Bound(low=-math.inf), section=_BREAKEVEN),
    _q("replica_pays", "A full replica pays?", BOOLEAN,
       "Full replica's margin over its cost above 0", section=_BREAKEVEN),
    _q("billing_scales", "Bill follows the traffic?", BOOLEAN,
       "TRUE for rented replicas scaling to zero: the replica's bill then changes with the "
       "volume, and the break-evens are walked along it hour by hour", section=_BREAKEVEN),
    _q("scaled_breakeven_volume", "Break-even walked hour by hour", REQUESTS_PER_MONTH,
       "Scaling to zero: the least volume whose hour-by-hour bill is no more than the API's, "
       "found by the engine (no formula can walk the bill's steps)", section=_BREAKEVEN),
    _q("scaled_sustained_breakeven_volume", "Sustained break-even walked hour by hour",
       REQUESTS_PER_MONTH, "Scaling to zero: the least volume from which the hour-by-hour bill "
       "stays no more than the API's, found by the engine", section=_BREAKEVEN),
    _q("whole_breakeven_replicas", "Serving replicas at break-even, always billed", REPLICAS,
       "With a replica's bill fixed: the fewest serving replicas whose bill the API's covers",
       section=_BREAKEVEN),
    _q("whole_sustained_breakeven_replicas", "Serving replicas from which every step pays, "
       "always billed", REPLICAS, "With a replica's bill fixed: the fewest serving replicas "
       "from which each added replica's traffic pays for it", section=_BREAKEVEN),
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
    _q("api_fallback_monthly_cost", "API fallback monthly cost", PER_MONTH,
       "What the API bills for the traffic served while the self-hosted GPUs are down",
       section=_RESILIENCE_OUT),
    _q("standby_monthly_cost", "Standby replicas monthly cost", PER_MONTH,
       "Failover replicas (at least one) x replica cost: the other way to stay up",
       section=_RESILIENCE_OUT),
    _q("cheaper_resilience", "Cheaper way to stay up", TEXT,
       "API fallback or Standby replicas, whichever costs less at this volume; No downtime "
       "given when the availability is 1",
       section=_RESILIENCE_OUT),
    _q("owned_monthly_cost", "Owned cost per GPU", PER_MONTH,
       "Depreciation + cost of capital + maintenance + energy + colocation of one GPU",
       section=_OWNED),
    _q("owned_cash_monthly_cost", "Owned running cost per GPU", PER_MONTH,
       "Maintenance + energy + colocation of one GPU: what owning still pays in cash",
       section=_OWNED),
    _q("rented_replica_monthly_cost", "Rented replica monthly cost", PER_MONTH,
       "Hourly rate x GPUs per replica x billed hours per replica", section=_OWNED),
    _q("owned_replica_monthly_cost", "Owned replica monthly cost", PER_MONTH,
       "GPUs per replica x owned cost per GPU", section=_OWNED),
    _q("rent_monthly_cost", "Renting the replicas", PER_MONTH,
       "Replicas needed x rented replica monthly cost", section=_OWNED),
    _q("own_monthly_cost", "Owning the replicas", PER_MONTH,
       "Replicas needed x owned replica monthly cost", section=_OWNED),
    _q("buy_monthly_savings", "Monthly savings from buying", PER_MONTH,
       "Renting - owning the replicas; negative when renting is cheaper",
       Bound(low=-math.inf), section=_OWNED),
    _q("purchase_cost", "Purchase cost of the replicas", MONEY,
       "Replicas needed x GPUs per replica x purchase price", section=_OWNED),
    _q("buy_payback_months", "Payback of buying", MONTHS,
       "Purchase cost / (renting - owning's running cost); never when buying saves no cash",
       section=_OWNED),
    _q("one_time_payback_months", "Payback of the one-time cost", MONTHS,
       "One-time cost / monthly savings before its amortization; never when self-hosting "
       "saves nothing", section=_OWNED),
    _q("signals_self_host", "Signals leaning to self-host", COUNT,
       "Signals marked lean self-host or requires self-host", section=_SIGNALS),
    _q("signals_api", "Signals leaning to the API", COUNT, "Signals marked lean API",
       section=_SIGNALS),
    _q("signals_lean_self_host", "Signals lean to self-hosting?", BOOLEAN,
       "TRUE when more signals lean to self-hosting than to the API", section=_SIGNALS),
    _q("signals_lean_api", "Signals lean to the API?", BOOLEAN,
       "TRUE when more signals lean to the API than to self-hosting", section=_SIGNALS),
    _q("compliance_required", "Compliance requires self-hosting?", BOOLEAN,
       "TRUE when the data and compliance signal is marked requires self-host",
       section=_SIGNALS),
    _q("control_premium_monthly", "Premium paid for control, per month", PER_MONTH,
       "When compliance requires self-hosting and the API is cheaper: self-host bill - API "
       "bill; else 0", section=_SIGNALS),
    # the first year: months 1 to 12 of the projection, whatever its horizon
    _q("api_annual_cost", "API bill, year 1", PER_YEAR,
       "The API's bills of months 1 to 12 of the projection: the scenario's growth and price "
       "paths"),
    _q("selfhost_annual_cost", "Self-host bill, year 1", PER_YEAR,
       "The self-host bills of months 1 to 12 of the projection: the scenario's growth and "
       "price paths"),
    _q("annual_savings", "Savings from self-hosting, year 1", PER_YEAR,
       "API bill, year 1 - self-host bill, year 1; negative when the API is cheaper",
       Bound(low=-math.inf)),
    _q("control_premium_annual", "Premium paid for control, year 1", PER_YEAR,
       "When compliance requires self-hosting and the API is cheaper over months 1 to 12: "
       "what self-hosting costs above it then; else 0"),
    # the projection: month m of the horizon, with the scenario's growth and price changes
    _q("projected_volume", "Volume in the month", REQUESTS_PER_MONTH,
       "Monthly volume x (1 + monthly growth)^(month - 1)"),
    _q("api_price_factor", "API price factor", RATIO,
       "(1 + API price change per year)^((month - 1) / 12): the API's prices in the month "
       "over today's"),
    _q("gpu_price_factor", "GPU price factor", RATIO,
       "(1 + GPU price change per year)^((month - 1) / 12): the GPU rate in the month over "
       "today's"),
    _q("discount_factor", "Discount factor", RATIO,
       "(1 + discount rate per year)^(-month / 12): today's value of the month's money"),
    _q("switch_npv", "NPV of switching", MONEY,
       "Today's value of switching to self-hosting in a month, against staying on the API, "
       "migration cost included", Bound(low=-math.inf)),
    _q("switch_now_npv", "NPV of switching now", MONEY,
       "Today's value of switching to self-hosting in month 1, against staying on the API, "
       "migration cost included", Bound(low=-math.inf)),
    _q("best_switch_month", "Best month to switch", MONTH_NUMBER,
       "The month of the projection in which switching is worth most today (the earliest on "
       "ties); never when no switch month has a positive NPV"),
    _q("best_switch_npv", "NPV of the best switch", MONEY,
       "Today's value of switching in the best month: the largest NPV (negative when never)",
       Bound(low=-math.inf)),
    _q("switch_payback_month", "Payback month of the best switch", MONTH_NUMBER,
       "First month from which the savings since the best switch cover the migration cost; "
       "never within the horizon"),
    _q("recommendation", "Recommendation", TEXT,
       "What to do and when, in one sentence: the best month to switch and its NPV, the "
       "odds self-hosting is cheaper today, the hybrid where it beats both paths, and the "
       "signals (a compliance requirement overrides cost)"),
    _q("probability_selfhost_cheaper", "Probability self-hosting is cheaper", FRACTION,
       "Share of Monte Carlo draws in which the monthly savings are above 0"),
    _q("hybrid_served", "Requests the replicas serve", REQUESTS_PER_MONTH,
       "Requests a month the hybrid's replicas serve, hour by hour up to their capacity"),
    _q("hybrid_replica_hours", "Replica-hours the hybrid runs", REPLICA_HOURS,
       "Replica-hours a month the hybrid's replicas run: each hour's, N at most (scaling "
       "to zero)"),
    _q("hybrid_kept_replica_hours", "Replica-hours kept from the hour before",
       REPLICA_HOURS, "Replica-hours a month the hybrid's replicas run in an hour and ran "
       "the hour before too (N at most)"),
    _q("hybrid_replica_starts", "Hybrid replica starts", COUNT,
       "Replica starts a month in the hybrid: the replica-hours it runs less those it kept "
       "from the hour before"),
    _q("hybrid_replica_monthly_cost", "Cost of a hybrid replica", PER_MONTH,
       "A replica's monthly cost in the hybrid: scaling to zero, each hour bills the "
       "replicas it runs (N at most), with cold starts; otherwise the replica monthly cost"),
    _q("hybrid_api_monthly_cost", "Monthly cost with no replica", PER_MONTH,
       "The hybrid with no replica: the API for the traffic not routed, the routed share at "
       "its own price"),
    _q("hybrid_monthly_cost", "Hybrid monthly cost", PER_MONTH,
       "Replicas + fixed cost when any runs + the cost with no replica, less the API margin "
       "on each request the replicas serve, hour by hour over the profile"),
    _q("hybrid_selfhost_share", "Self-hosted share of the volume", FRACTION,
       "Share of the volume the replicas serve; the overflow and the routed share go to APIs"),
    _q("hybrid_running_cost", "Hybrid running cost", PER_MONTH,
       "Fixed costs and failover replicas: what the first self-hosted replica brings along"),
    _q("hybrid_breakeven_worth", "Self-hosted requests that pay", REQUESTS_PER_MONTH,
       "Requests the replicas must serve to pay for themselves and the running cost: their "
       "cost over the API margin"),
    _q("hybrid_breakeven_capacity", "Requests the replicas serve in an hour, a month",
       REQUESTS_PER_MONTH, "The replicas' usable capacity in one hour of the profile, every "
       "day of the month"),
    _q("hybrid_breakeven_served", "Self-hosted volume that pays", REQUESTS_PER_MONTH,
       "Self-hosted volume at which the replicas serve the requests that pay: the largest "
       "over j of (those requests - j hours at capacity) / the share outside j hours"),
    _q("hybrid_breakeven_candidate", "Volume from which these replicas beat the API",
       REQUESTS_PER_MONTH, "Smallest volume at which this many replicas cost no more than "
       "pure API in the hybrid"),
    _q("hybrid_paying_replicas", "Fewest replicas that can pay", REPLICAS,
       "Fixed costs and failover over what a replica busy in every hour with traffic earns "
       "beyond its cost, rounded up: fewer never beat pure API (1 when none ever pays)"),
    _q("hybrid_search_top", "Most replicas worth searching", REPLICAS,
       "The replicas that carry the busiest hour at the volume these replicas break even at: "
       "past them, more replicas only cost more"),
    # the cost waterfall: what each layer adds to the self-host cost of a request
    _q("full_use_cost_per_request", "GPU at full use", PER_REQUEST,
       "Replica cost / capacity: a request's GPU cost were the replica always busy"),
    _q("idle_cost_per_request", "Idle capacity", PER_REQUEST,
       "What whole replicas at the average load add: their idle share"),
    _q("peak_cost_per_request", "Peak and headroom", PER_REQUEST,
       "What sizing for the busiest hour within the max utilization adds"),
    _q("failover_cost_per_request", "Failover", PER_REQUEST,
       "What the failover replicas add"),
    _q("fixed_cost_per_request", "Ops and other fixed costs", PER_REQUEST,
       "Fixed monthly cost / volume"),
    _q("payback_months", "Payback", MONTHS,
       "Months of savings that repay an upfront cost; never when savings are not positive"),
    # found by searching over whole replicas (llm_breakeven.model.hybrid), not by a formula
    _q("optimal_replicas", "Cost-optimal replicas in the hybrid", REPLICAS,
       "Whole replicas that minimize the hybrid monthly cost; 0 is pure API"),
    _q("optimal_hybrid_monthly_cost", "Hybrid monthly cost at the optimum", PER_MONTH,
       "Hybrid monthly cost with the cost-optimal replicas"),
    _q("optimal_hybrid_selfhost_share", "Self-hosted share at the optimum", FRACTION,
       "Share of the volume the cost-optimal replicas serve"),
    _q("hybrid_breakeven_volume", "Hybrid break-even volume", REQUESTS_PER_MONTH,
       "Smallest monthly volume at which some self-hosting (one replica or more) in the "
       "hybrid costs no more than pure API"),
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
    _q("currency", "Currency", TEXT, "The symbol before amounts of money, e.g. $ or EUR ",
       default="$"),
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
    _q("hourly_profile", "Hourly traffic profile", WEIGHTS,
       "24 (a day) or 168 (a week) weights of the traffic in each hour; only their "
       "proportions matter; default flat", default=None),
    _q("previous_hourly_profile", "Previous hour's weight", WEIGHTS,
       "Each hour's predecessor in the profile, the first hour's being the last"),
    _q("hourly_demand", "Requests per hour", REQUESTS_PER_HOUR,
       "Requests in each hour of the profile"),
    _q("hourly_replicas", "Replicas per hour", REPLICAS,
       "Replicas each hour of the profile needs"),
    _q("hourly_load", "Replicas per request a month", LOAD,
       "Replicas each hour of the profile needs for each request a month"),
    _q("kept_hourly_weight", "Weight kept from the hour before", WEIGHTS,
       "The lesser of each hour's weight and the previous hour's: the traffic whose "
       "replicas run through both"),
    _q("kept_hourly_load", "Replicas per request a month kept from the hour before", LOAD,
       "Replicas each hour keeps from the hour before for each request a month"),
    _q("kept_hourly_replicas", "Replicas kept from the hour before", REPLICAS,
       "Replicas each hour keeps running from the hour before"),
    _q("hybrid_hourly_demand", "Self-hosted requests per hour", REQUESTS_PER_HOUR,
       "Requests each hour offers the hybrid's replicas: those not routed to the API"),
    _q("hybrid_hourly_needs", "Replicas the self-hosted requests need", REPLICAS,
       "Replicas each hour's self-hosted requests need, with no cap"),
    _q("previous_hybrid_hourly_needs", "Replicas they need the hour before", REPLICAS,
       "Replicas the previous hour's self-hosted requests need, with no cap"),
    _q("hybrid_hourly_replicas", "Hybrid replicas per hour", REPLICAS,
       "Replicas the hybrid runs each hour: what its self-hosted traffic needs, N at most"),
    _q("kept_hybrid_hourly_needs", "Replicas kept from the hour before", REPLICAS,
       "Replicas each hour's self-hosted requests keep running from the hour before: the "
       "lesser of the two hours' needs, with no cap"),
    _q("tail_divisors", "Share outside the busiest hours, never 0", FRACTION,
       "The share outside the j busiest hours, a tiny number where it is 0 (a divisor)"),
    _q("tail_shares", "Share outside the busiest hours", FRACTION,
       "Share of traffic outside the j busiest hours, for j = 0, 1, ..."),
    _q("hour_rank", "Hour rank", COUNT, "0, 1, 2, ... along the profile"),
    _q("replicas", "Replicas", REPLICAS, "Self-hosted replicas in the hybrid", WHOLE),
    _q("projection_month", "Month", MONTH_NUMBER, "Month of the projection: 1 is the first",
       Bound(low=1.0, whole=True)),
    _q("switch_month", "Switch month", MONTH_NUMBER,
       "Month of the projection in which self-hosting starts", Bound(low=1.0, whole=True)),
    _q("ranges", "Ranges", TEXT,
       "Rows of input name, low, base, high: the triangular range each input is drawn from"),
    _q("samples", "Samples", COUNT, "Monte Carlo draws", Bound(low=1.0, whole=True), 10_000.0),
    _q("seed", "Seed", COUNT, "Seed of the random draws: the same seed, the same result",
       WHOLE, 0.0),
    _q("upfront_cost", "Upfront cost", MONEY, "Paid once, before the savings start"),
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
#: the article's signals: the scenario inputs a user marks lean API or lean self-host
SIGNALS: Final = tuple(q.name for q in INPUTS if q.section == _SIGNALS_IN)
#: the time inputs of the projection
TIME_INPUTS: Final = tuple(q.name for q in INPUTS if q.section == _TIME)
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
    "breakeven_multiple",
    "cheaper_option",
    "in_alternating_band",
    "profile_peak_to_average",
    "peak_to_average_used",
    "billed_replica_hours",
    "billed_hours_per_replica",
    "amortized_monthly_cost",
    "api_fallback_monthly_cost",
    "standby_monthly_cost",
    "cheaper_resilience",
    "owned_monthly_cost",
    "rent_monthly_cost",
    "own_monthly_cost",
    "buy_monthly_savings",
    "purchase_cost",
    "buy_payback_months",
    "one_time_payback_months",
    "signals_self_host",
    "signals_api",
    "signals_lean_self_host",
    "signals_lean_api",
    "compliance_required",
    "control_premium_monthly",
)
#: outputs that mean nothing without a purchase price: every face shows "–" for them then
NEED_PURCHASE_PRICE: Final = ("owned_monthly_cost", "owned_cash_monthly_cost",
                              "owned_replica_monthly_cost", "own_monthly_cost",
                              "buy_monthly_savings", "buy_payback_months")  # fmt: skip
#: what `llm_breakeven.model.hybrid` returns for each scenario, in order
HYBRID_OUTPUTS: Final = (
    "optimal_replicas",
    "optimal_hybrid_monthly_cost",
    "optimal_hybrid_selfhost_share",
    "hybrid_breakeven_volume",
)
#: what `llm_breakeven.projection.first_year` returns for each scenario, in order
YEAR_OUTPUTS: Final = ("api_annual_cost", "selfhost_annual_cost", "annual_savings",
                       "control_premium_annual")  # fmt: skip
#: what `llm_breakeven.advice` adds for each scenario: the odds and the recommendation
ADVICE_OUTPUTS: Final = ("probability_selfhost_cheaper", "recommendation")
#: what `llm_breakeven.projection.switch_outcome` returns for each scenario, in order
PROJECTION_OUTPUTS: Final = (
    "switch_now_npv",
    "best_switch_month",
    "best_switch_npv",
    "switch_payback_month",
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
