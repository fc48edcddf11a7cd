"""The recommendation: one sentence, with its numbers, that weighs every answer the engine
gives and says what to do and when.

It reads the cost over the horizon first (the best month to switch and its NPV: the
decision), then the odds that self-hosting is cheaper today (the Monte Carlo), the
cost-optimal hybrid where it beats both single paths today, and the signals that are not
cost; a compliance requirement is said to override cost, with its price. For example:

    Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; self-hosting
    is cheaper today in 0% of draws); compliance requires self-hosting regardless, at
    $38,996 more in year 1.

The sentence is written once, in `parts`, against a small vocabulary (`Say`) read two ways:
`recommend` words a scenario's figures in Python (the command line, the report, the Excel
function), `cells` writes the workbook's formulas (Signals and Summary), so every face shows
it word for word. Numbers are whole (money, months, replicas, percent) and percent is rounded
from a whole count of draws, so both readings round alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import numpy as np

from .formula import Expr, call, concat, equal
from .quantities import QUANTITIES

T = TypeVar("T")

#: the Monte Carlo behind the odds: draws per scenario (the `odds_draws` constant), the
#: seed, each key input's spread
SAMPLES = int(QUANTITIES["odds_draws"].default)  # type: ignore[arg-type]
SEED = 0
SPREAD = 0.2
#: the inputs a board argues about, the assumptions the sentence rests on most: the traffic,
#: the two prices, what a replica serves and what it takes to run (the board pack's
#: Assumptions page and the report list them with their sources)
KEY_ASSUMPTIONS = ("monthly_volume", "input_price", "output_price", "hourly_rate",
                   "replica_throughput", "replica_output_tokens_per_second", "max_utilization",
                   "peak_to_average", "ops_fte")  # fmt: skip
#: constants the sentence reads (the hybrid is named where it costs at most `hybrid_worth`
#: of each single path: a hybrid of every replica is self-hosting, and costs within float
#: noise are the same)
CONSTANTS = ("half", "percent", "odds_draws", "hybrid_worth")

#: the figures the sentence reads
FIGURES = ("best_switch_month", "best_switch_npv", "horizon_months", "optimal_replicas",
           "optimal_hybrid_monthly_cost", "api_monthly_cost", "selfhost_total_monthly_cost",
           "probability_selfhost_cheaper", "compliance_required", "control_premium_annual",
           "signals_lean_api", "signals_lean_self_host")  # fmt: skip


class Say(Generic[T]):
    """The vocabulary the sentence is written in (`T`: a text, or a formula making one)."""

    def join(self, *parts: Any) -> T:
        raise NotImplementedError

    def when(self, condition: Any, then: Any, otherwise: Any) -> T:
        raise NotImplementedError

    def money(self, x: Any) -> T:
        """An amount of money, whole, with the currency symbol."""
        raise NotImplementedError

    def whole(self, x: Any) -> T:
        raise NotImplementedError

    def rounded(self, x: Any) -> Any:
        """`x` to the nearest whole number (only near whole numbers: no halves to settle)."""
        raise NotImplementedError

    def floor(self, x: Any) -> Any:
        raise NotImplementedError

    def number(self, x: Any) -> Any:
        """Whether `x` is a number (not never, not blank, not out of date)."""
        raise NotImplementedError

    def equals(self, a: Any, b: Any) -> Any:
        raise NotImplementedError

    def both(self, *conditions: Any) -> Any:
        raise NotImplementedError

    def negate(self, a: Any) -> Any:
        raise NotImplementedError


def parts(q: Any, say: Say[T]) -> tuple[T, ...]:
    """The sentence in parts (a row each in the workbook): what to do and when, the NPV, the
    odds today, the hybrid, a compliance requirement, and the other signals. `q` gives each
    of `FIGURES`."""
    month, npv, horizon = q.best_switch_month, q.best_switch_npv, q.horizon_months
    now, switch = say.equals(month, 1), say.number(month)
    act = say.when(
        now, "Self-host now",
        say.when(switch, say.join("Stay on the API for now; switch in month ", say.whole(month)),
                 say.join("Stay on the API (switching does not pay within ", say.whole(horizon),
                          " months")),
    )  # fmt: skip
    worth = say.when(
        switch, say.join(" (NPV ", say.money(npv), " over ", say.whole(horizon), " months"), ""
    )
    chance, draws = q.probability_selfhost_cheaper, q.odds_draws
    # a whole percent from the whole count of draws, halves up: whole numbers all the way, so
    # every reading rounds alike
    drawn = say.rounded(chance * draws)
    percent = say.whole(say.floor((drawn * q.percent + draws * q.half) / draws))
    odds = say.join(
        say.when(say.number(chance),
                 say.join("; self-hosting is cheaper today in ", percent, "% of draws"), ""),
        ")",
    )  # fmt: skip
    replicas, hybrid = q.optimal_replicas, q.optimal_hybrid_monthly_cost
    cheaper = say.both(say.number(replicas), replicas > 0,
                       hybrid < q.api_monthly_cost * q.hybrid_worth,
                       hybrid < q.selfhost_total_monthly_cost * q.hybrid_worth)  # fmt: skip
    mixed = say.when(
        cheaper,
        say.join("; cheaper today than either path: a hybrid of ", say.whole(replicas),
                 say.when(say.equals(replicas, 1), " replica", " replicas"),
                 ", the API taking the rest, at ", say.money(hybrid), " a month"),
        "",
    )  # fmt: skip
    premium = q.control_premium_annual
    required = say.when(
        q.compliance_required,
        say.when(now, "; compliance requires self-hosting too",
                 say.join("; compliance requires self-hosting regardless",
                          say.when(premium > 0,
                                   say.join(", at ", say.money(premium), " more in year 1"),
                                   ""))),
        "",
    )  # fmt: skip
    others = say.when(
        say.both(say.negate(q.compliance_required), q.signals_lean_self_host, say.negate(now)),
        "; the other signals lean to self-hosting",
        say.when(say.both(say.negate(q.compliance_required), q.signals_lean_api, now),
                 "; the other signals lean to the API", ""),
    )  # fmt: skip
    return act, worth, odds, mixed, required, others


def sentence(said: tuple[str, ...]) -> str:
    return "".join(said) + "."


class _Plain(Say[str]):
    def __init__(self, currency: str) -> None:
        self.currency = currency

    def join(self, *parts: Any) -> str:
        return "".join(parts)

    def when(self, condition: Any, then: Any, otherwise: Any) -> str:
        return then if condition else otherwise

    def money(self, x: Any) -> str:
        return self.currency + self.whole(x)

    def whole(self, x: Any) -> str:
        # every branch is worded before one is picked: a never (or blank) is worded too
        return f"{_half_up(float(x)):,.0f}" if self.number(float(x)) else "never"

    def rounded(self, x: Any) -> float:
        return float(round(x)) if self.number(x) else math.nan

    def floor(self, x: Any) -> float:
        return float(math.floor(x)) if self.number(x) else math.nan

    @staticmethod
    def number(x: Any) -> bool:
        return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)

    def equals(self, a: Any, b: Any) -> bool:
        return bool(a == b)

    def both(self, *conditions: Any) -> bool:
        return all(bool(c) for c in conditions)

    def negate(self, a: Any) -> bool:
        return not a


def _half_up(x: float) -> float:
    """Rounded to a whole number, halves away from zero (as FIXED rounds)."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


class _Cells(Say[Expr]):
    def __init__(self, currency: Expr) -> None:
        self.currency = currency

    def join(self, *parts: Any) -> Expr:
        return concat(*parts)

    def when(self, condition: Any, then: Any, otherwise: Any) -> Expr:
        return call("IF", condition, then, otherwise)

    def money(self, x: Any) -> Expr:
        return concat(self.currency, self.whole(x))

    def whole(self, x: Any) -> Expr:
        return call("FIXED", x, 0)

    def rounded(self, x: Any) -> Expr:
        return call("ROUND", x, 0)

    def floor(self, x: Any) -> Expr:
        return call("INT", x)

    def number(self, x: Any) -> Expr:
        return call("ISNUMBER", x)

    def equals(self, a: Any, b: Any) -> Expr:
        return equal(a, b)

    def both(self, *conditions: Any) -> Expr:
        return call("AND", *conditions)

    def negate(self, a: Any) -> Expr:
        return call("NOT", a)


def simulated(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The Monte Carlo behind the odds: `SAMPLES` seeded draws, each key input the scenario
    gives within ±`SPREAD` (`sensitivity.simulate`; the workbook's Sensitivity shows it)."""
    from . import sensitivity

    return sensitivity.simulate(inputs, sensitivity.default_ranges(inputs, SPREAD), SAMPLES, SEED)


def odds(inputs: Mapping[str, Any]) -> float:
    """The share of the draws of `simulated` in which self-hosting is cheaper today."""
    return float(simulated(inputs)["probability_selfhost_cheaper"])


def recommend(figures: Mapping[Any, Any], currency: str = "$") -> str:
    """The recommendation for one scenario's `figures` (each of `FIGURES`; the odds may be
    missing or NaN, and are then left out).

    >>> recommend(dict(best_switch_month=17, best_switch_npv=79_355.4, horizon_months=36,
    ...     optimal_replicas=0, optimal_hybrid_monthly_cost=8_800, api_monthly_cost=8_800,
    ...     selfhost_total_monthly_cost=13_404.77, probability_selfhost_cheaper=0.3561,
    ...     compliance_required=True, control_premium_annual=55_257.2,
    ...     signals_lean_api=False, signals_lean_self_host=True))
    'Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; self-hosting is cheaper today in 36% of draws); compliance requires self-hosting regardless, at $55,257 more in year 1.'
    """  # noqa: E501
    given = {name: figures.get(name, math.nan) for name in FIGURES}
    given = {k: v.item() if hasattr(v, "item") else v for k, v in given.items()}
    given.update({name: QUANTITIES[name].default for name in CONSTANTS})
    if not _Plain.number(given["horizon_months"]):  # a blank horizon: its default
        given["horizon_months"] = QUANTITIES["horizon_months"].default
    return sentence(parts(_Figures(given), _Plain(currency)))


def recommendation(
    best_switch_month: Any,
    best_switch_npv: Any,
    horizon_months: Any,
    optimal_replicas: Any,
    optimal_hybrid_monthly_cost: Any,
    api_monthly_cost: Any,
    selfhost_total_monthly_cost: Any,
    probability_selfhost_cheaper: Any = math.nan,
    compliance_required: Any = False,
    control_premium_annual: Any = 0.0,
    signals_lean_api: Any = False,
    signals_lean_self_host: Any = False,
    currency: str = "$",
) -> Any:
    """The recommendation (`recommend`) from its figures, each broadcast like a ufunc.

    Parameters
    ----------
    best_switch_month : array_like
        The month in which switching is worth most today (NaN or inf: never).
    best_switch_npv : array_like
        Its NPV (currency).
    horizon_months : array_like
        Months the projection runs.
    optimal_replicas, optimal_hybrid_monthly_cost : array_like
        The cost-optimal hybrid's replicas and monthly cost (currency per month).
    api_monthly_cost, selfhost_total_monthly_cost : array_like
        Both single paths' monthly bills today (currency per month).
    probability_selfhost_cheaper : array_like, optional
        The Monte Carlo's share of draws in which self-hosting is cheaper (NaN: left out).
    compliance_required, signals_lean_api, signals_lean_self_host : array_like of bool
    control_premium_annual : array_like
        What compliance costs a year above the API (currency per year).
    currency : str
        The symbol before amounts of money.

    Returns
    -------
    str or ndarray of str (dtype object)

    Examples
    --------
    >>> recommendation(1, 6_480, 36, 1, 1_440, 1_620, 1_440, 0.8123)
    'Self-host now (NPV $6,480 over 36 months; self-hosting is cheaper today in 81% of draws).'
    >>> recommendation([17, float("inf")], 79_355.4, 36, 0, 8_800, 8_800, 13_404.77).tolist()
    ['Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months).', 'Stay on the API (switching does not pay within 36 months).']
    """  # noqa: E501
    # in the order of FIGURES
    given = np.broadcast_arrays(*(np.asarray(v) for v in (
        best_switch_month, best_switch_npv, horizon_months, optimal_replicas,
        optimal_hybrid_monthly_cost, api_monthly_cost, selfhost_total_monthly_cost,
        probability_selfhost_cheaper, compliance_required, control_premium_annual,
        signals_lean_api, signals_lean_self_host)))  # fmt: skip
    out = np.empty(given[0].shape, dtype=object)
    for index in np.ndindex(out.shape):
        figures = {name: values[index].item() for name, values in zip(FIGURES, given, strict=True)}
        for flag in ("compliance_required", "signals_lean_api", "signals_lean_self_host"):
            figures[flag] = bool(figures[flag])
        out[index] = recommend(figures, currency)
    return out.item() if out.ndim == 0 else out


class _Figures:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)


def cells(currency: Expr) -> Say[Expr]:
    """The vocabulary as formulas, the currency symbol read from `currency`."""
    return _Cells(currency)
