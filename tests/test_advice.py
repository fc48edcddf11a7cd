"""The recommendation: one sentence that weighs the horizon, the odds, the hybrid and the
signals, worded alike by the engine and the workbook's formulas."""

from __future__ import annotations

import math

import pytest

from llm_breakeven import advice
from llm_breakeven.formula import Expr
from llm_breakeven.scenario import load

#: a scenario's figures: switching pays from month 17, the hybrid is no better, nothing marked
BASE = dict(best_switch_month=17.0, best_switch_npv=79_355.4, horizon_months=36.0,
            optimal_replicas=0.0, optimal_hybrid_monthly_cost=8_800.0,
            api_monthly_cost=8_800.0, selfhost_total_monthly_cost=13_404.77,
            probability_selfhost_cheaper=0.3561, compliance_required=False,
            control_premium_annual=0.0, signals_lean_api=False,
            signals_lean_self_host=False)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"),
    [({}, "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
          "self-hosting is cheaper today in 36% of draws)."),
     ({"best_switch_month": 1.0, "best_switch_npv": 6_480.0},
      "Self-host now (NPV $6,480 over 36 months; self-hosting is cheaper today in 36% of "
      "draws)."),
     ({"best_switch_month": math.inf, "best_switch_npv": -5_726.67},
      "Stay on the API (switching does not pay within 36 months; self-hosting is cheaper "
      "today in 36% of draws)."),
     # no odds (a Monte Carlo out of date): the clause is left out
     ({"probability_selfhost_cheaper": math.nan},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months)."),
     # 7,050 of 10,000 draws: 70.5 % rounds up, as a count of draws would
     ({"probability_selfhost_cheaper": 0.705},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 71% of draws)."),
     # the hybrid beats both single paths by more than 1 %: named, with its count and cost
     ({"optimal_replicas": 1.0, "optimal_hybrid_monthly_cost": 8_332.04},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 36% of draws); cheaper today than either path: a "
      "hybrid of 1 replica, the API taking the rest, at $8,332 a month."),
     ({"optimal_replicas": 3.0, "optimal_hybrid_monthly_cost": 8_000.0},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 36% of draws); cheaper today than either path: a "
      "hybrid of 3 replicas, the API taking the rest, at $8,000 a month."),
     # within 1 % of the API: not worth naming
     ({"optimal_replicas": 1.0, "optimal_hybrid_monthly_cost": 8_750.0},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 36% of draws)."),
     ({"compliance_required": True, "control_premium_annual": 55_257.2},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 36% of draws); compliance requires self-hosting "
      "regardless, at $55,257 more in year 1."),
     ({"compliance_required": True, "best_switch_month": 1.0},
      "Self-host now (NPV $79,355 over 36 months; self-hosting is cheaper today in 36% of "
      "draws); compliance requires self-hosting too."),
     ({"signals_lean_self_host": True},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 36% of draws); the other signals lean to "
      "self-hosting."),
     ({"signals_lean_api": True, "best_switch_month": 1.0},
      "Self-host now (NPV $79,355 over 36 months; self-hosting is cheaper today in 36% of "
      "draws); the other signals lean to the API."),
     # signals that agree with the action go unsaid
     ({"signals_lean_api": True},
      "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months; "
      "self-hosting is cheaper today in 36% of draws)."),
     ],
)  # fmt: skip
def test_the_sentence_says_what_to_do_and_when(changes, expected):
    assert advice.recommend({**BASE, **changes}) == expected


def test_the_currency_is_the_scenario_sets():
    assert "NPV €79,355" in advice.recommend(BASE, currency="€")


def test_every_figure_the_sentence_reads_is_named_once():
    # the workbook's formula reads each figure's cell, and nothing else but constants
    q = _Names()
    formula = "".join(part.text for part in advice.parts(q, advice.cells(Expr("$C$1"))))
    assert q.read == set(advice.FIGURES) | set(advice.CONSTANTS)
    assert "INT(" in formula and "ROUND(" in formula and "FIXED(" in formula


class _Names:
    """Each figure as a cell named after it, remembering which were read."""

    def __init__(self) -> None:
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Expr:
        if name.startswith("_") or name == "read":
            raise AttributeError(name)
        self.read.add(name)
        return Expr(name.upper())


def test_the_default_scenarios_recommend_what_their_figures_say():
    results = load().evaluate()
    says = dict(results["recommendation"])
    # the article: self-hosting saves $180 a month from month 1 (36 months, no growth)
    assert says["Article example"].startswith("Self-host now (NPV $6,480 over 36 months")
    # compliance overrides cost, with its price; the projection's switch month leads
    assert says["Llama 3.1 8B on H100"].startswith(
        "Stay on the API for now; switch in month 17 (NPV $79,355 over 36 months"
    )
    assert says["Llama 3.1 8B on H100"].endswith(
        "compliance requires self-hosting regardless, at $38,996 more in year 1."
    )
    # the odds are the Monte Carlo's, as a whole percent of its draws
    for name, chance in results["probability_selfhost_cheaper"].items():
        percent = (round(chance * advice.SAMPLES) * 100 + advice.SAMPLES // 2) // advice.SAMPLES
        assert f"cheaper today in {percent}% of draws" in says[name]


def test_the_readme_quotes_the_engine():
    from pathlib import Path

    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    said = load().evaluate().loc["Llama 3.1 8B on H100", "recommendation"]
    assert f'"Llama 3.1 8B on H100": "{said}"' in readme
