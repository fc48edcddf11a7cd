"""Not only cost: the article's signals beside the verdict (the recommendation reads them:
`llm_breakeven.advice`)."""

from __future__ import annotations

from typing import Any

from ..quantities import (
    SIGNALS,
)
from .core import define


def _marked(q: Any, f: Any, mark: str) -> Any:
    return f.count(*(f.equals(getattr(q, name), mark) for name in SIGNALS))


@define
def _compliance_required(q: Any, f: Any) -> Any:
    return f.equals(q.signal_compliance, "requires self-host")


@define
def _signals_self_host(q: Any, f: Any) -> Any:
    return _marked(q, f, "lean self-host") + f.where(q.compliance_required, 1, 0)


@define
def _signals_api(q: Any, f: Any) -> Any:
    return _marked(q, f, "lean API")


@define
def _control_premium_monthly(q: Any, f: Any) -> Any:
    return f.where(q.compliance_required, f.maximum(0, -q.monthly_savings), 0)


@define
def _control_premium_annual(q: Any, f: Any) -> Any:
    return f.where(q.compliance_required, f.maximum(0, -q.annual_savings), 0)


@define
def _signals_lean_api(q: Any, f: Any) -> Any:
    return q.signals_api > q.signals_self_host


@define
def _signals_lean_self_host(q: Any, f: Any) -> Any:
    return q.signals_self_host > q.signals_api
