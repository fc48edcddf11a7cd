"""The cost waterfall: the self-host cost of a request, layer by layer; and the by-utilization
table's definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..formula import Definition
from .core import DEFINITIONS, define
from .verdict import per_request


@define
def _full_use_cost_per_request(q: Any, f: Any) -> Any:
    return q.replica_monthly_cost / q.replica_capacity


def _average_replicas(q: Any, f: Any) -> Any:
    """Whole replicas the average load needs, with no peak and no headroom."""
    load = q.monthly_volume / q.replica_capacity
    return f.maximum(1, f.ceil(load - q.replica_tolerance))


@define
def _idle_cost_per_request(q: Any, f: Any) -> Any:
    average = per_request(q, f, _average_replicas(q, f) * q.replica_monthly_cost)
    return average - q.full_use_cost_per_request


@define
def _peak_cost_per_request(q: Any, f: Any) -> Any:
    extra = q.serving_replicas - _average_replicas(q, f)
    return per_request(q, f, extra * q.replica_monthly_cost)


@define
def _failover_cost_per_request(q: Any, f: Any) -> Any:
    return per_request(q, f, q.failover_replicas * q.replica_monthly_cost)


@define
def _fixed_cost_per_request(q: Any, f: Any) -> Any:
    return per_request(q, f, q.fixed_monthly_cost)


#: the layers of the cost waterfall, in order: they add up to the self-host cost per request
WATERFALL = (
    "full_use_cost_per_request",
    "idle_cost_per_request",
    "peak_cost_per_request",
    "failover_cost_per_request",
    "fixed_cost_per_request",
    "selfhost_variable_cost_per_request",
)


# every topic's definitions are registered before the table copies them
from . import overflow, ownership, projection, serving, signals, traffic, verdict  # noqa: E402, F401

#: the by-utilization table prices the capacity at each utilization, not at a volume
TABLE_DEFINITIONS: Mapping[str, Definition] = {
    **DEFINITIONS,
    "selfhost_cost_per_request": lambda q, f: q.cost_per_request,
}
