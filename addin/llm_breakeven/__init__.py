"""llm-breakeven: when does self-hosting an open-weight LLM beat paying an API per token?

The cost engine's functions are importable from here; scenarios, the workbook, the Excel
functions and the command line live in their own modules (`scenario`, `workbook`, `udfs`,
`cli`). This module stays light: Excel imports it on the way to `llm_breakeven.udfs`.
"""

from importlib.metadata import PackageNotFoundError, version

from .model import (
    api_cost_per_request,
    breakeven_table,
    breakeven_utilization,
    breakeven_volume,
    cheaper_option,
    cost_per_million_tokens,
    cost_per_request,
    evaluate,
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

try:
    __version__ = version("llm-breakeven")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = [
    "__version__",
    "api_cost_per_request",
    "breakeven_table",
    "breakeven_utilization",
    "breakeven_volume",
    "cheaper_option",
    "cost_per_million_tokens",
    "cost_per_request",
    "evaluate",
    "gpu_monthly_cost",
    "in_alternating_band",
    "monthly_capacity",
    "ops_monthly_cost",
    "peak_requests_per_second",
    "replicas_needed",
    "requests_per_second",
    "selfhost_monthly_cost",
    "sustained_breakeven_volume",
]
