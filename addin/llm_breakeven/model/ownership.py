"""Resilience, owning and one-time costs: the two ways to stay up, buying against renting, and
paybacks.
"""

from __future__ import annotations

from typing import Any

from ..quantities import (
    RESILIENCE,
)
from .core import define


@define
def _api_fallback_monthly_cost(q: Any, f: Any) -> Any:
    return q.monthly_volume * (1 - q.availability) * q.api_cost_per_request


@define
def _standby_monthly_cost(q: Any, f: Any) -> Any:
    return f.maximum(1, q.failover_replicas) * q.replica_monthly_cost


@define
def _cheaper_resilience(q: Any, f: Any) -> Any:
    fallback, standby, always_up = RESILIENCE
    cheaper = q.api_fallback_monthly_cost < q.standby_monthly_cost
    return f.pick((q.availability >= 1, always_up), (cheaper, fallback), otherwise=standby)


@define
def _rent_monthly_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.rented_replica_monthly_cost


@define
def _own_monthly_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.owned_replica_monthly_cost


@define
def _buy_monthly_savings(q: Any, f: Any) -> Any:
    return q.rent_monthly_cost - q.own_monthly_cost


@define
def _purchase_cost(q: Any, f: Any) -> Any:
    return q.replicas_needed * q.gpus_per_replica * q.purchase_price


def _payback(f: Any, upfront: Any, savings: Any) -> Any:
    return f.where(savings > 0, upfront / savings, f.never)


@define
def _payback_months(q: Any, f: Any) -> Any:
    return _payback(f, q.upfront_cost, q.monthly_savings)


@define
def _buy_payback_months(q: Any, f: Any) -> Any:
    running = q.replicas_needed * q.gpus_per_replica * q.owned_cash_monthly_cost
    return _payback(f, q.purchase_cost, q.rent_monthly_cost - running)


@define
def _one_time_payback_months(q: Any, f: Any) -> Any:
    # nothing paid once: nothing to pay back
    savings = q.monthly_savings + q.amortized_monthly_cost
    return f.where(q.one_time_cost > 0, _payback(f, q.one_time_cost, savings), 0)
