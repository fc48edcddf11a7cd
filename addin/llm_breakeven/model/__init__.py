"""The cost engine: every derived quantity defined once, and functions that broadcast.

Each definition below is readable arithmetic over other quantities (`q.name`) and a few
operations (`f.where`, `f.ceil`, `f.maximum`, ...). The engine evaluates them with numpy
(`llm_breakeven.formula.Numeric`); the workbook renders the same definitions as native
formulas (`llm_breakeven.formula.Symbolic`), so no formula is written twice. Names, units,
bounds and defaults of every quantity are in `llm_breakeven.quantities`.

The public functions are spreadsheet-patterned, in the manner of numpy-financial: they take
scalars or arrays and return the broadcast shape (a Python float or str for scalar input).
Nothing here reads files or knows about Excel.

Units: money in one currency (the examples use USD); prices per 1M tokens; rates per GPU-hour;
volumes and capacities per month, in requests; utilization and shares as fractions 0..1.

The article's worked example runs through the docstrings: 1,000 input + 500 output tokens at
$0.50 / $1.50 per 1M tokens, one $2/h GPU serving 2 requests/s over a 720-hour month.

The definitions live by topic, in the order a reader meets them: `core` (the registry),
`serving`, `traffic`, `verdict`, `ownership`, `signals`, `projection`, `overflow` (the
hybrid), `waterfall`;
`evaluation` checks inputs and evaluates them; `search` holds the hybrid's searches;
`functions` and `fleet_functions` the spreadsheet-patterned functions. Importing the
package registers every definition, in that order.
"""

from __future__ import annotations

# isort: off
# the topics in the order a reader meets them, each registering its definitions
from .core import (
    ArrayLike,
    DEFINITIONS,
    Floats,
    HOURLY,
    TEXT_QUANTITIES,
    Verdicts,
    define,
)
from . import serving  # noqa: F401  (registers its definitions)
from .traffic import hour_demand
from . import verdict  # noqa: F401  (registers its definitions)
from . import ownership  # noqa: F401  (registers its definitions)
from . import signals  # noqa: F401  (registers its definitions)
from .projection import PROJECTION_ARGUMENTS, figures, month_bindings, months
from . import overflow  # noqa: F401  (registers its definitions)
from .waterfall import TABLE_DEFINITIONS, WATERFALL
from .evaluation import (
    BLANKS,
    CHUNK_ROWS,
    FLAT_PROFILE,
    SCENARIO_BLANKS,
    WORKERS,
    checking,
    choice_codes,
    evaluate,
    profile,
    unchecked,
)
from .search import cost_waterfall, hybrid, hybrid_search_ranges
from .functions import (
    api_cost_per_request,
    breakeven_table,
    breakeven_utilization,
    breakeven_volume,
    cheaper_option,
    cost_per_million_tokens,
    cost_per_request,
    gpu_monthly_cost,
    in_alternating_band,
    monthly_capacity,
    ops_monthly_cost,
    peak_requests_per_second,
    replicas_needed,
    requests_per_second,
    selfhost_monthly_cost,
    sustained_breakeven_volume,
)
from .fleet_functions import (
    amortized_monthly_cost,
    api_fallback_monthly_cost,
    billed_hours,
    hybrid_monthly_cost,
    hybrid_selfhost_share,
    optimal_replicas,
    owned_monthly_cost,
    payback_months,
    peak_to_average,
)

# isort: on
# the catalogue's lists of outputs, read through the engine by its callers
from ..quantities import HYBRID_OUTPUTS, OUTPUTS, TABLE_COLUMNS

__all__ = [
    "BLANKS",
    "CHUNK_ROWS",
    "DEFINITIONS",
    "FLAT_PROFILE",
    "HOURLY",
    "HYBRID_OUTPUTS",
    "OUTPUTS",
    "PROJECTION_ARGUMENTS",
    "SCENARIO_BLANKS",
    "TABLE_COLUMNS",
    "TABLE_DEFINITIONS",
    "TEXT_QUANTITIES",
    "WATERFALL",
    "WORKERS",
    "ArrayLike",
    "Floats",
    "Verdicts",
    "amortized_monthly_cost",
    "api_cost_per_request",
    "api_fallback_monthly_cost",
    "billed_hours",
    "breakeven_table",
    "breakeven_utilization",
    "breakeven_volume",
    "cheaper_option",
    "checking",
    "choice_codes",
    "cost_per_million_tokens",
    "cost_per_request",
    "cost_waterfall",
    "define",
    "evaluate",
    "figures",
    "gpu_monthly_cost",
    "hour_demand",
    "hybrid",
    "hybrid_monthly_cost",
    "hybrid_search_ranges",
    "hybrid_selfhost_share",
    "in_alternating_band",
    "month_bindings",
    "monthly_capacity",
    "months",
    "ops_monthly_cost",
    "optimal_replicas",
    "owned_monthly_cost",
    "payback_months",
    "peak_requests_per_second",
    "peak_to_average",
    "profile",
    "replicas_needed",
    "requests_per_second",
    "selfhost_monthly_cost",
    "sustained_breakeven_volume",
    "unchecked",
]
