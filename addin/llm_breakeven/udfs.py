"""Excel functions: the xlwings adapter over the cost engine.

Each function converts the cells Excel passes, calls one engine function and returns its
result; it computes nothing itself. Any numeric argument may be a range: the result spills
with the broadcast shape (ufunc rules), and a bad cell gives an error in its own result cell.

Errors are short texts such as "#VALUE! utilization must be between 0 and 1 (got 1.5)".
Classic Windows xlwings cannot return a real error value, so there the function returns that
text; under the Office.js runtimes (xlwings Lite, xlwings Server) a single-cell error is
raised as `xlwings.XlwingsError`, which Excel shows as #VALUE! with the message on hover.

Arguments carry no type hints on purpose: xlwings would use them as converters, and inputs
are normalised here instead (blank and "" mean missing, booleans and non-numeric text are
errors, error cells are errors).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xlwings as xw

from . import advice, model, projection, sensitivity
from .quantities import DEFAULT_TOLERANCE, HOURS_PER_MONTH, QUANTITIES, doc
from .udf_adapter import (
    Bad,
    cell_of,
    cells_of,
    defaults_of,
    excel,
    guarded_call,
    lookup,
    no_default,
    singles_of,
)

#: every numeric argument: keep a range's orientation, and read error cells as "#N/A" etc.
_RANGE = {"ndim": 2, "err_to_str": True}
#: a single-cell argument (a catalogue name, say): error cells still arrive as "#N/A" etc.
_CELL = {"err_to_str": True}


@xw.func
@xw.arg("input_tokens", doc=doc("input_tokens"), **_RANGE)
@xw.arg("output_tokens", doc=doc("output_tokens"), **_RANGE)
@xw.arg("input_price", doc=doc("input_price"), **_RANGE)
@xw.arg("output_price", doc=doc("output_price"), **_RANGE)
@xw.arg("cached_share", doc=doc("cached_share"), **_RANGE)
@xw.arg("cached_price", doc=doc("cached_price"), **_RANGE)
@xw.arg("batch_discount", doc=doc("batch_discount"), **_RANGE)
def API_COST_PER_REQUEST(
    input_tokens,
    output_tokens,
    input_price,
    output_price,
    cached_share=0.0,
    cached_price=None,
    batch_discount=0.0,
):
    """Cost of one API request (currency): (input * (1 - cached) * price + input * cached * cached price + output * price) / 1M * (1 - batch discount)."""
    return excel(API_COST_PER_REQUEST, model.api_cost_per_request, locals())


@xw.func
@xw.arg("hourly_rate", doc=doc("hourly_rate"), **_RANGE)
@xw.arg("gpus_per_replica", doc=doc("gpus_per_replica"), **_RANGE)
@xw.arg("hours_per_month", doc=doc("hours_per_month"), **_RANGE)
def GPU_MONTHLY_COST(hourly_rate, gpus_per_replica=1.0, hours_per_month=HOURS_PER_MONTH):
    """Monthly rental bill of GPUs billed around the clock (currency per month): hourly rate * GPUs per replica * hours per month."""
    return excel(GPU_MONTHLY_COST, model.gpu_monthly_cost, locals())


@xw.func
@xw.arg("replica_output_tokens_per_second", doc=doc("replica_output_tokens_per_second"), **_RANGE)
@xw.arg("output_tokens", doc=doc("output_tokens"), **_RANGE)
def REQUESTS_PER_SECOND(replica_output_tokens_per_second, output_tokens):
    """Requests per second of a replica whose throughput is stated in output tokens (requests per second): output tokens per second / output tokens per request."""
    return excel(REQUESTS_PER_SECOND, model.requests_per_second, locals())


@xw.func
@xw.arg("replica_throughput", doc=doc("replica_throughput"), **_RANGE)
@xw.arg("hours_per_month", doc=doc("hours_per_month"), **_RANGE)
def MONTHLY_CAPACITY(replica_throughput, hours_per_month=HOURS_PER_MONTH):
    """Requests one replica serves in a month at 100% utilization (requests per month): replica throughput * 3600 * hours per month."""
    return excel(MONTHLY_CAPACITY, model.monthly_capacity, locals())


@xw.func
@xw.arg("monthly_cost", doc=doc("monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("utilization", doc=doc("utilization"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
def COST_PER_REQUEST(monthly_cost, replica_capacity, utilization, variable_cost_per_request=0.0):
    """Self-host cost of one request (currency): monthly cost / (replica capacity * utilization) + variable cost per request."""
    return excel(COST_PER_REQUEST, model.cost_per_request, locals())


@xw.func
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def BREAKEVEN_VOLUME(
    replica_monthly_cost,
    replica_capacity,
    api_cost_per_request,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """Smallest monthly volume at which self-hosting with whole replicas costs no more than the API (requests per month), or #N/A never when the API is cheaper at every volume."""
    return excel(BREAKEVEN_VOLUME, model.breakeven_volume, locals())


@xw.func
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def SUSTAINED_BREAKEVEN_VOLUME(
    replica_monthly_cost,
    replica_capacity,
    api_cost_per_request,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """Smallest monthly volume above which self-hosting never costs more than the API (requests per month); between BREAKEVEN_VOLUME and this the cheaper option alternates as replicas are added. #N/A never when the API is always cheaper."""
    return excel(SUSTAINED_BREAKEVEN_VOLUME, model.sustained_breakeven_volume, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def IN_ALTERNATING_BAND(
    monthly_volume,
    replica_monthly_cost,
    replica_capacity,
    api_cost_per_request,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """TRUE when a monthly volume lies from BREAKEVEN_VOLUME up to SUSTAINED_BREAKEVEN_VOLUME, where the cheaper option alternates as replicas are added; else FALSE."""
    return excel(IN_ALTERNATING_BAND, model.in_alternating_band, locals())


@xw.func
@xw.arg("monthly_cost", doc=doc("monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def BREAKEVEN_UTILIZATION(
    monthly_cost,
    replica_capacity,
    api_cost_per_request,
    variable_cost_per_request=0.0,
    fixed_monthly_cost=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """Average utilization of every billed replica at the break-even volume (fraction); with no sizing arguments, monthly cost / (capacity * (API - variable cost)). Above 1: out of reach."""
    return excel(BREAKEVEN_UTILIZATION, model.breakeven_utilization, locals())


@xw.func
@xw.arg("selfhost_cost_per_request", doc=doc("selfhost_cost_per_request"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("tolerance", doc=doc("tolerance"), **_RANGE)
def CHEAPER_OPTION(selfhost_cost_per_request, api_cost_per_request, tolerance=DEFAULT_TOLERANCE):
    """Which option costs less per request: "Break-even" when |self-host - API| <= tolerance * API, else "Self-host" or "API"."""
    return excel(CHEAPER_OPTION, model.cheaper_option, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("hours_per_month", doc=doc("hours_per_month"), **_RANGE)
def PEAK_REQUESTS_PER_SECOND(monthly_volume, peak_to_average=1.0, hours_per_month=HOURS_PER_MONTH):
    """Peak request rate of a monthly volume (requests per second): volume / (hours per month * 3600) * peak-to-average."""
    return excel(PEAK_REQUESTS_PER_SECOND, model.peak_requests_per_second, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def REPLICAS_NEEDED(
    monthly_volume,
    replica_capacity,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """Whole replicas for a volume (replicas): max(1, ceil(volume * peak-to-average / (capacity * max utilization))) + failover replicas."""
    return excel(REPLICAS_NEEDED, model.replicas_needed, locals())


@xw.func
@xw.arg("ops_fte", doc=doc("ops_fte"), **_RANGE)
@xw.arg("annual_cost_per_fte", doc=doc("annual_cost_per_fte"), **_RANGE)
def OPS_MONTHLY_COST(ops_fte, annual_cost_per_fte):
    """Monthly cost of the people who run self-hosting (currency per month): FTE * annual cost per FTE / 12."""
    return excel(OPS_MONTHLY_COST, model.ops_monthly_cost, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def SELFHOST_MONTHLY_COST(
    monthly_volume,
    replica_monthly_cost,
    replica_capacity,
    fixed_monthly_cost=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """Self-hosting cost of a volume (currency per month): REPLICAS_NEEDED * replica monthly cost + fixed monthly cost. Add volume * variable cost for the total."""
    return excel(SELFHOST_MONTHLY_COST, model.selfhost_monthly_cost, locals())


@xw.func
@xw.arg("monthly_cost", doc=doc("monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("utilizations", doc=doc("utilizations"), **_RANGE)
@xw.arg("tolerance", doc=doc("tolerance"), **_RANGE)
def BREAKEVEN_TABLE(
    monthly_cost, replica_capacity, api_cost_per_request, utilizations, tolerance=DEFAULT_TOLERANCE
):
    """Spills the cost-by-utilization table with a header row: utilization, requests served per month, self-host and API cost per request, cheaper option."""
    return guarded_call(_table, locals())


@xw.func
@xw.arg("hourly_rate", doc=doc("hourly_rate"), **_RANGE)
@xw.arg("replica_output_tokens_per_second", doc=doc("replica_output_tokens_per_second"), **_RANGE)
@xw.arg("gpus_per_replica", doc=doc("gpus_per_replica"), **_RANGE)
@xw.arg("utilization", doc=doc("utilization", default=1), **_RANGE)
def COST_PER_MILLION_TOKENS(
    hourly_rate, replica_output_tokens_per_second, gpus_per_replica=1.0, utilization=1.0
):
    """What a replica's GPUs cost per 1M output tokens (currency): hourly rate * GPUs / (output tokens per second * 3600 * utilization) * 1M."""
    return excel(COST_PER_MILLION_TOKENS, model.cost_per_million_tokens, locals())


@xw.func
@xw.arg("gpu", doc=doc("gpu"), **_CELL)
@xw.arg("gpu_field", doc=doc("gpu_field"), **_CELL)
def GPU_SPEC(gpu, gpu_field):
    """A GPU's published specification from the catalogue: memory (GB), bandwidth (TB/s), dense BF16 or FP8 TFLOPS, or power (W)."""
    return lookup(GPU_SPEC, "gpu_spec", locals())


@xw.func
@xw.arg("gpu", doc=doc("gpu"), **_CELL)
@xw.arg("provider", doc=doc("provider"), **_CELL)
@xw.arg("pricing", doc=doc("pricing", default="on-demand"), **_CELL)
def GPU_PRICE(gpu, provider=None, pricing="on-demand"):
    """Rental price of one GPU (USD per GPU-hour) from the catalogue's dated offers: the provider's, or the median of all matching offers."""
    return lookup(GPU_PRICE, "gpu_price", locals())


@xw.func
@xw.arg("model", doc=doc("model"), **_CELL)
@xw.arg("precision", doc=doc("precision", default="bf16"), **_CELL)
def MODEL_MEMORY_GB(model, precision="bf16"):
    """GB the weights of an open-weight model take at a precision (bf16, fp8, int4): parameters * bytes per parameter."""
    return lookup(MODEL_MEMORY_GB, "model_memory_gb", locals())


@xw.func
@xw.arg("model", doc=doc("model"), **_CELL)
@xw.arg("gpu", doc=doc("gpu"), **_CELL)
@xw.arg("gpus_per_replica", doc=doc("gpus_per_replica"), **_CELL)
@xw.arg("precision", doc=doc("precision", default="bf16"), **_CELL)
@xw.arg("input_tokens", doc=doc("input_tokens", default=1000), **_CELL)
@xw.arg("output_tokens", doc=doc("output_tokens", default=250), **_CELL)
@xw.arg("max_batch", doc=doc("max_batch"), **_CELL)
def TOKENS_PER_SECOND_ESTIMATE(
    model,
    gpu,
    gpus_per_replica=1,
    precision="bf16",
    input_tokens=1000,
    output_tokens=250,
    max_batch=256,
):
    """ESTIMATE of the output tokens per second of one replica (roofline, calibrated on published measurements; within 35 % on them). #N/A when the model does not fit."""
    return lookup(TOKENS_PER_SECOND_ESTIMATE, "tokens_per_second", locals())


@xw.func
@xw.arg("model", doc=doc("model"), **_CELL)
@xw.arg("gpu", doc=doc("gpu"), **_CELL)
@xw.arg("gpus_per_replica", doc=doc("gpus_per_replica"), **_CELL)
@xw.arg("precision", doc=doc("precision", default="bf16"), **_CELL)
@xw.arg("input_tokens", doc=doc("input_tokens", default=1000), **_CELL)
@xw.arg("output_tokens", doc=doc("output_tokens", default=250), **_CELL)
@xw.arg("max_batch", doc=doc("max_batch"), **_CELL)
def THROUGHPUT_ESTIMATE(
    model,
    gpu,
    gpus_per_replica=1,
    precision="bf16",
    input_tokens=1000,
    output_tokens=250,
    max_batch=256,
):
    """ESTIMATE of the requests per second one replica serves: TOKENS_PER_SECOND_ESTIMATE / output tokens. #N/A when the model does not fit."""
    return lookup(THROUGHPUT_ESTIMATE, "requests_per_second", locals())


@xw.func
@xw.arg("api_model", doc=doc("api_model"), **_CELL)
@xw.arg("price_kind", doc=doc("price_kind", default="input"), **_CELL)
@xw.arg("api_provider", doc=doc("api_provider"), **_CELL)
def API_PRICE(api_model, price_kind="input", api_provider=None):
    """API list price per 1M tokens (USD) of a model's input, output or cache_read tokens, from genai-prices' bundled, dated data."""
    return lookup(API_PRICE, "api_price", locals())


@xw.func
@xw.arg("api_model", doc=doc("api_model"), **_CELL)
@xw.arg("input_tokens", doc=doc("input_tokens"), **_CELL)
@xw.arg("output_tokens", doc=doc("output_tokens"), **_CELL)
@xw.arg("cached_share", doc=doc("cached_share"), **_CELL)
@xw.arg("api_provider", doc=doc("api_provider"), **_CELL)
def MODEL_API_COST_PER_REQUEST(
    api_model, input_tokens, output_tokens, cached_share=0.0, api_provider=None
):
    """Cost of one API request (USD) at a model's list prices from genai-prices: API_COST_PER_REQUEST with the looked-up input, output and cache_read prices."""
    return lookup(MODEL_API_COST_PER_REQUEST, "model_api_cost", locals())


# --- conversion of inputs and errors (no cost math below this line) -------------------------


#: the catalogue and estimator look-ups the functions above name, loaded on first use
@xw.func
@xw.arg("hourly_profile", doc=doc("hourly_profile"), **_RANGE)
def PEAK_TO_AVERAGE(hourly_profile):
    """Peak-to-average ratio of an hourly traffic profile (ratio): largest weight / average weight of 24 (a day) or 168 (a week) cells."""
    return excel(PEAK_TO_AVERAGE, model.peak_to_average, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("hourly_profile", doc=doc("hourly_profile"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("billing_mode", doc=doc("billing_mode"), **_CELL)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("active_hours_per_day", doc=doc("active_hours_per_day"), **_RANGE)
@xw.arg("cold_start_hours", doc=doc("cold_start_hours"), **_RANGE)
@xw.arg("hours_per_month", doc=doc("hours_per_month"), **_RANGE)
def BILLED_HOURS(
    monthly_volume,
    hourly_profile,
    replica_capacity,
    billing_mode="always-on",
    max_utilization=1.0,
    active_hours_per_day=24.0,
    cold_start_hours=0.0,
    hours_per_month=HOURS_PER_MONTH,
):
    """Replica-hours billed per month for the replicas the profile's busiest hour needs: always-on bills every hour, active-window the active hours, scale-to-zero only the replica-hours each hour needs plus cold starts (never more than always-on)."""
    return excel(BILLED_HOURS, model.billed_hours, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("hourly_profile", doc=doc("hourly_profile"), **_RANGE)
@xw.arg("replicas", doc=doc("replicas"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("routed_share", doc=doc("routed_share"), **_RANGE)
@xw.arg("routed_cost_per_request", doc=doc("routed_cost_per_request"), **_RANGE)
def HYBRID_MONTHLY_COST(
    monthly_volume,
    hourly_profile,
    replicas,
    replica_monthly_cost,
    replica_capacity,
    api_cost_per_request,
    fixed_monthly_cost=0.0,
    max_utilization=1.0,
    routed_share=0.0,
    routed_cost_per_request=0.0,
):
    """Monthly cost of N self-hosted replicas serving hour by hour up to their capacity, the overflow sent to the API and a routed share to a frontier API (currency per month)."""
    return excel(HYBRID_MONTHLY_COST, model.hybrid_monthly_cost, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("hourly_profile", doc=doc("hourly_profile"), **_RANGE)
@xw.arg("replicas", doc=doc("replicas"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("routed_share", doc=doc("routed_share"), **_RANGE)
@xw.arg("routed_cost_per_request", doc=doc("routed_cost_per_request"), **_RANGE)
def HYBRID_SELFHOST_SHARE(
    monthly_volume,
    hourly_profile,
    replicas,
    replica_monthly_cost,
    replica_capacity,
    api_cost_per_request,
    fixed_monthly_cost=0.0,
    max_utilization=1.0,
    routed_share=0.0,
    routed_cost_per_request=0.0,
):
    """Share of the monthly volume the hybrid's N self-hosted replicas serve (fraction)."""
    return excel(HYBRID_SELFHOST_SHARE, model.hybrid_selfhost_share, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("hourly_profile", doc=doc("hourly_profile"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("routed_share", doc=doc("routed_share"), **_RANGE)
@xw.arg("routed_cost_per_request", doc=doc("routed_cost_per_request"), **_RANGE)
def OPTIMAL_REPLICAS(
    monthly_volume,
    hourly_profile,
    replica_monthly_cost,
    replica_capacity,
    api_cost_per_request,
    fixed_monthly_cost=0.0,
    max_utilization=1.0,
    routed_share=0.0,
    routed_cost_per_request=0.0,
):
    """Whole self-hosted replicas that minimize HYBRID_MONTHLY_COST, from 0 (pure API) to the busiest hour's replicas (pure self-host); the fewest among equal costs."""
    return excel(OPTIMAL_REPLICAS, model.optimal_replicas, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("availability", doc=doc("availability"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
def API_FALLBACK_MONTHLY_COST(monthly_volume, availability, api_cost_per_request):
    """What the API bills for the traffic it serves while self-hosted GPUs are down (currency per month): volume * (1 - availability) * API cost per request."""
    return excel(API_FALLBACK_MONTHLY_COST, model.api_fallback_monthly_cost, locals())


@xw.func
@xw.arg("purchase_price", doc=doc("purchase_price"), **_RANGE)
@xw.arg("life_months", doc=doc("life_months"), **_RANGE)
@xw.arg("residual_share", doc=doc("residual_share"), **_RANGE)
@xw.arg("annual_cost_of_capital", doc=doc("annual_cost_of_capital"), **_RANGE)
@xw.arg("annual_maintenance_share", doc=doc("annual_maintenance_share"), **_RANGE)
@xw.arg("power_kw", doc=doc("power_kw"), **_RANGE)
@xw.arg("pue", doc=doc("pue"), **_RANGE)
@xw.arg("price_per_kwh", doc=doc("price_per_kwh"), **_RANGE)
@xw.arg("colocation_per_kw_month", doc=doc("colocation_per_kw_month"), **_RANGE)
@xw.arg("hours_per_month", doc=doc("hours_per_month"), **_RANGE)
def OWNED_MONTHLY_COST(
    purchase_price,
    life_months,
    residual_share=0.0,
    annual_cost_of_capital=0.0,
    annual_maintenance_share=0.0,
    power_kw=0.0,
    pue=1.0,
    price_per_kwh=0.0,
    colocation_per_kw_month=0.0,
    hours_per_month=HOURS_PER_MONTH,
):
    """Monthly cost of owned hardware (currency per month): straight-line depreciation + cost of capital on the average book value + maintenance + energy (kW * PUE * hours * price per kWh) + colocation (kW * price per kW-month)."""
    return excel(OWNED_MONTHLY_COST, model.owned_monthly_cost, locals())


@xw.func
@xw.arg("one_time_cost", doc=doc("one_time_cost"), **_RANGE)
@xw.arg("amortization_months", doc=doc("amortization_months"), **_RANGE)
def AMORTIZED_MONTHLY_COST(one_time_cost, amortization_months):
    """A one-time cost spread evenly over months (currency per month): one-time cost / months."""
    return excel(AMORTIZED_MONTHLY_COST, model.amortized_monthly_cost, locals())


@xw.func
@xw.arg("upfront_cost", doc=doc("upfront_cost"), **_RANGE)
@xw.arg("monthly_savings", doc=doc("monthly_savings"), **_RANGE)
def PAYBACK_MONTHS(upfront_cost, monthly_savings):
    """Months of savings that repay an upfront cost (months): upfront cost / monthly savings, or #N/A never when savings are not positive."""
    return excel(PAYBACK_MONTHS, model.payback_months, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
@xw.arg("monthly_growth", doc=doc("monthly_growth"), **_RANGE)
@xw.arg("api_price_change_per_year", doc=doc("api_price_change_per_year"), **_RANGE)
@xw.arg("gpu_price_change_per_year", doc=doc("gpu_price_change_per_year"), **_RANGE)
@xw.arg("migration_cost", doc=doc("migration_cost"), **_RANGE)
@xw.arg("annual_discount_rate", doc=doc("annual_discount_rate"), **_RANGE)
@xw.arg("horizon_months", doc=doc("horizon_months"), **_RANGE)
def PROJECTION(
    monthly_volume,
    api_cost_per_request,
    replica_monthly_cost,
    replica_capacity,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
    monthly_growth=0.0,
    api_price_change_per_year=0.0,
    gpu_price_change_per_year=0.0,
    migration_cost=0.0,
    annual_discount_rate=0.0,
    horizon_months=36.0,
):
    """Spills the month-by-month projection with a header row: month, volume, API cost per request, replica cost, replicas, both bills, savings, discount factor and the NPV of switching in that month. The replica cost changes with the GPU price."""
    return guarded_call(_projection, locals())


@xw.func
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
@xw.arg("monthly_growth", doc=doc("monthly_growth"), **_RANGE)
@xw.arg("api_price_change_per_year", doc=doc("api_price_change_per_year"), **_RANGE)
@xw.arg("gpu_price_change_per_year", doc=doc("gpu_price_change_per_year"), **_RANGE)
@xw.arg("migration_cost", doc=doc("migration_cost"), **_RANGE)
@xw.arg("annual_discount_rate", doc=doc("annual_discount_rate"), **_RANGE)
@xw.arg("horizon_months", doc=doc("horizon_months"), **_RANGE)
def BEST_SWITCH_MONTH(
    monthly_volume,
    api_cost_per_request,
    replica_monthly_cost,
    replica_capacity,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
    monthly_growth=0.0,
    api_price_change_per_year=0.0,
    gpu_price_change_per_year=0.0,
    migration_cost=0.0,
    annual_discount_rate=0.0,
    horizon_months=36.0,
):
    """Month of the projection in which switching to self-hosting is worth most today (the earliest on ties), or #N/A never when no switch month has a positive NPV."""
    return excel(BEST_SWITCH_MONTH, projection.best_switch_month, locals())


@xw.func
@xw.arg("switch_month", doc=doc("switch_month"), **_RANGE)
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
@xw.arg("monthly_growth", doc=doc("monthly_growth"), **_RANGE)
@xw.arg("api_price_change_per_year", doc=doc("api_price_change_per_year"), **_RANGE)
@xw.arg("gpu_price_change_per_year", doc=doc("gpu_price_change_per_year"), **_RANGE)
@xw.arg("migration_cost", doc=doc("migration_cost"), **_RANGE)
@xw.arg("annual_discount_rate", doc=doc("annual_discount_rate"), **_RANGE)
@xw.arg("horizon_months", doc=doc("horizon_months"), **_RANGE)
def SWITCH_NPV(
    switch_month,
    monthly_volume,
    api_cost_per_request,
    replica_monthly_cost,
    replica_capacity,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
    monthly_growth=0.0,
    api_price_change_per_year=0.0,
    gpu_price_change_per_year=0.0,
    migration_cost=0.0,
    annual_discount_rate=0.0,
    horizon_months=36.0,
):
    """Today's value of switching to self-hosting in a month against staying on the API (currency): the discounted monthly savings from that month on less the migration cost."""
    return excel(SWITCH_NPV, projection.switch_npv, locals())


@xw.func
@xw.arg("ranges", doc=doc("ranges"), **_RANGE)
@xw.arg("samples", doc=doc("samples"), **_RANGE)
@xw.arg("seed", doc=doc("seed"), **_RANGE)
@xw.arg("monthly_volume", doc=doc("monthly_volume"), **_RANGE)
@xw.arg("api_cost_per_request", doc=doc("api_cost_per_request"), **_RANGE)
@xw.arg("replica_monthly_cost", doc=doc("replica_monthly_cost"), **_RANGE)
@xw.arg("replica_capacity", doc=doc("replica_capacity"), **_RANGE)
@xw.arg("fixed_monthly_cost", doc=doc("fixed_monthly_cost"), **_RANGE)
@xw.arg("variable_cost_per_request", doc=doc("variable_cost_per_request"), **_RANGE)
@xw.arg("max_utilization", doc=doc("max_utilization"), **_RANGE)
@xw.arg("peak_to_average", doc=doc("peak_to_average"), **_RANGE)
@xw.arg("failover_replicas", doc=doc("failover_replicas"), **_RANGE)
def PROB_SELFHOST_CHEAPER(
    ranges,
    samples,
    seed,
    monthly_volume,
    api_cost_per_request,
    replica_monthly_cost,
    replica_capacity,
    fixed_monthly_cost=0.0,
    variable_cost_per_request=0.0,
    max_utilization=1.0,
    peak_to_average=1.0,
    failover_replicas=0.0,
):
    """Probability that self-hosting is cheaper (fraction): the share of seeded Monte Carlo draws, each input named in ranges drawn from its triangular (low, base, high) range, with positive monthly savings. Not volatile: the same seed gives the same answer."""
    return guarded_call(_probability, locals())


@xw.func
@xw.arg("best_switch_month", doc=doc("best_switch_month"), **_RANGE)
@xw.arg("best_switch_npv", doc=doc("best_switch_npv"), **_RANGE)
@xw.arg("horizon_months", doc=doc("horizon_months"), **_RANGE)
@xw.arg("optimal_replicas", doc=doc("optimal_replicas"), **_RANGE)
@xw.arg("optimal_hybrid_monthly_cost", doc=doc("optimal_hybrid_monthly_cost"), **_RANGE)
@xw.arg("api_monthly_cost", doc=doc("api_monthly_cost"), **_RANGE)
@xw.arg("selfhost_total_monthly_cost", doc=doc("selfhost_total_monthly_cost"), **_RANGE)
@xw.arg(
    "probability_selfhost_cheaper",
    doc=doc("probability_selfhost_cheaper"),
    **_RANGE,
)
@xw.arg("compliance_required", doc=doc("compliance_required", False), **_RANGE)
@xw.arg("control_premium_annual", doc=doc("control_premium_annual", 0.0), **_RANGE)
@xw.arg("signals_lean_api", doc=doc("signals_lean_api", False), **_RANGE)
@xw.arg("signals_lean_self_host", doc=doc("signals_lean_self_host", False), **_RANGE)
@xw.arg("currency", doc=doc("currency"), **_CELL)
def RECOMMENDATION(
    best_switch_month,
    best_switch_npv,
    horizon_months,
    optimal_replicas,
    optimal_hybrid_monthly_cost,
    api_monthly_cost,
    selfhost_total_monthly_cost,
    probability_selfhost_cheaper,
    compliance_required=False,
    control_premium_annual=0.0,
    signals_lean_api=False,
    signals_lean_self_host=False,
    currency="$",
):
    """What to do and when, in one sentence: the best month to switch and its NPV, the odds self-hosting is cheaper today, the hybrid where it beats both paths, and the signals; the workbook's Signals and Summary say it word for word."""
    return excel(RECOMMENDATION, advice.recommendation, locals())


def _table(args: dict[str, Any]) -> Any:
    defaults = defaults_of(BREAKEVEN_TABLE)
    singles: dict[str, float] = {}
    for name in ("monthly_cost", "replica_capacity", "api_cost_per_request", "tolerance"):
        values, errors = cells_of(name, args[name], defaults[name])
        if values.size != 1:
            return Bad(f"#VALUE! {name} must be a single cell in BREAKEVEN_TABLE")
        if errors is not None:
            return errors.item()
        singles[name] = values.item()
    shares, errors = cells_of("utilizations", args["utilizations"], no_default)
    shares, errors = shares.ravel(), (None if errors is None else errors.ravel())
    with model.unchecked():
        table = model.breakeven_table(
            singles["monthly_cost"],
            singles["replica_capacity"],
            singles["api_cost_per_request"],
            np.where(np.isnan(shares), 1.0, shares),
            singles["tolerance"],
        )
    rows: list[list[Any]] = [[QUANTITIES[column].label for column in model.TABLE_COLUMNS]]
    for i in range(shares.size):
        if errors is not None and errors[i] is not None:
            rows.append([errors[i]] * len(model.TABLE_COLUMNS))
        else:
            rows.append([table[column][i] for column in model.TABLE_COLUMNS])
    return np.array(rows, dtype=object)


def _projection(args: dict[str, Any]) -> Any:
    singles = singles_of(PROJECTION, args)
    if isinstance(singles, Bad):
        return singles
    with model.unchecked():
        table = projection.project(singles)
    labels = [QUANTITIES["projection_month" if c == "month" else c].label
              for c in projection.COLUMNS]  # fmt: skip
    return np.array([labels, *table.to_numpy(dtype=object).tolist()], dtype=object)


def _probability(args: dict[str, Any]) -> Any:
    rows = args.pop("ranges")
    settings = {name: args.pop(name) for name in ("samples", "seed")}
    count = singles_of(PROB_SELFHOST_CHEAPER, settings)
    if isinstance(count, Bad):
        return count
    singles = singles_of(PROB_SELFHOST_CHEAPER, args)
    if isinstance(singles, Bad):
        return singles
    grid = np.array(rows if isinstance(rows, list | tuple) else [[rows]], dtype=object)
    if grid.ndim != 2 or grid.shape[1] != 4:
        return Bad("#VALUE! ranges must be rows of 4 cells: input name, low, base, high")
    ranges: dict[str, tuple[float, float, float]] = {}
    for row in grid:
        name = row[0].strip() if isinstance(row[0], str) else row[0]
        if name is None or name == "":
            continue  # a blank row of the range
        if name not in singles:
            return Bad(f"#VALUE! ranges: {name!r} is not an argument of PROB_SELFHOST_CHEAPER")
        triple = []
        for cell in row[1:]:
            number, error = cell_of(name, cell, no_default)
            if error is not None:
                return error
            triple.append(number)
        if not triple[0] <= triple[1] <= triple[2]:
            return Bad(f"#VALUE! ranges: {name} needs low <= base <= high (got {triple})")
        ranges[name] = (triple[0], triple[1], triple[2])
    with model.unchecked():
        return sensitivity.probability_selfhost_cheaper(
            ranges, int(count["samples"]), int(count["seed"]), **singles
        )
