"""One self-contained HTML page of the decision, for people who will not open a spreadsheet.

Per scenario: the verdict and the recommendation in words, then five charts drawn from the
engine (cost against volume, the projection, the hybrid, the tornado, the cost waterfall and
the distribution of Monte Carlo savings) and the figures behind them. The charts are inline SVG
(text drawn by the page's own font), so the page loads nothing from anywhere: it can be mailed.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__, advice, model, projection, sensitivity
from .files import Written, write_file
from .quantities import QUANTITIES
from .scenario import Scenario, ScenarioSet

#: the figures each scenario's card lists, in order
FIGURES = ("cheaper_option", "api_monthly_cost", "selfhost_total_monthly_cost",
           "monthly_savings", "breakeven_volume", "sustained_breakeven_volume",
           "best_switch_month", "best_switch_npv", "control_premium_annual")  # fmt: skip
#: the charts each scenario shows, by title: every one must be on the page
CHARTS = ("Cost against volume", "Projection", "Hybrid: replicas self-hosted, the rest on the API",
          "Tornado", "Cost waterfall", "Distribution of savings")  # fmt: skip
#: the most replica counts the hybrid chart draws (a large fleet's are sampled evenly)
HYBRID_POINTS = 120
_API_COLOUR, _SELFHOST_COLOUR, _MARK_COLOUR = "#C0504D", "#1F4E79", "#E69F00"


def write_report(
    path: str | Path,
    scenario_set: ScenarioSet,
    samples: int = advice.SAMPLES,
    seed: int = advice.SEED,
    progress: Callable[[str], None] | None = None,
) -> Written:
    """Render the page (see `render`) and write it atomically to `path`."""
    page = render(scenario_set, samples, seed, progress)
    return write_file(page.encode("utf-8"), Path(path).expanduser())


def render(
    scenario_set: ScenarioSet,
    samples: int = advice.SAMPLES,
    seed: int = advice.SEED,
    progress: Callable[[str], None] | None = None,
) -> str:
    """The whole page as HTML text; `progress` is told each scenario's name once its
    section is drawn."""
    results = scenario_set.evaluate()
    currency = scenario_set.currency_symbol
    sections = []
    for s in scenario_set.scenarios:
        sections.append(_scenario_section(s, results.loc[s.name], samples, seed, currency))
        if progress is not None:
            progress(s.name)
    rows = "".join(
        f"<tr><td>{html.escape(str(name))}</td><td>{_show('cheaper_option', r, currency)}</td>"
        f"<td>{_show('monthly_savings', r, currency)}</td>"
        f"<td>{_show('breakeven_volume', r, currency)}</td>"
        f"<td>{_show('best_switch_month', r, currency)}</td>"
        f"<td class='words'>{_show('recommendation', r, currency)}</td></tr>"
        for name, r in results.iterrows()
    )
    return _PAGE.format(
        version=html.escape(__version__),
        data_date=html.escape(scenario_set.data_date),
        today=dt.date.today().isoformat(),
        samples=f"{samples:,}",
        seed=seed,
        summary=rows,
        sections="".join(sections),
    )


def _scenario_section(s: Scenario, r: Any, samples: int, seed: int, currency: str) -> str:
    inputs = s.inputs()
    figures = "".join(
        f"<tr><th>{html.escape(QUANTITIES[k].label)}</th><td>{_show(k, r, currency)}</td></tr>"
        for k in FIGURES
    )
    simulated = sensitivity.simulate(inputs, sensitivity.default_ranges(inputs), samples, seed,
                                     keep_draws=True)  # fmt: skip
    charts = [
        _cost_chart(inputs, r, currency),
        _projection_chart(inputs, r, currency),
        _hybrid_chart(inputs, r, currency),
        _tornado_chart(inputs, currency),
        _waterfall_chart(inputs, currency),
        _distribution_chart(simulated, currency),
    ]
    figures_html = "".join(
        f"<figure><figcaption>{title}</figcaption>{svg}</figure>"
        for title, svg in zip(CHARTS, charts, strict=True)
    )
    description = f"<p>{html.escape(s.description)}</p>" if s.description else ""
    assumed = "".join(
        f"<tr><th>{html.escape(QUANTITIES[k].label)}</th>"
        f"<td>{html.escape(QUANTITIES[k].unit.show(inputs[k], currency))}</td>"
        f"<td class='note'>{html.escape(s.sources.get(k, ''))}</td></tr>"
        for k in advice.KEY_ASSUMPTIONS
        if inputs.get(k) is not None
    )
    ends = s.source_dates()
    dated = "Sources undated." if ends is None else f"Sources dated {ends[0]} to {ends[1]}."
    odds = (f"The odds: {advice.SAMPLES:,} draws, each key input ±{advice.SPREAD:.0%}, seed "
            f"{advice.SEED}; the distribution below: {samples:,} draws, seed {seed}.")  # fmt: skip
    return (
        f"<section><h2>{html.escape(s.name)}</h2>{description}"
        f'<p class="verdict">{_show("recommendation", r, currency)}</p>'
        f'<p class="note">{odds}</p>'
        f'<table class="figures">{figures}</table><div class="charts">{figures_html}</div>'
        f"<h3>Key assumptions</h3><p class='note'>{dated}</p>"
        f'<table class="figures assumptions">{assumed}</table>'
        "</section>"
    )


def _show(name: str, r: Any, currency: str = "$") -> str:
    value = r[name]
    if isinstance(value, float | np.floating) and math.isinf(value):
        return "never"
    plain = value.item() if hasattr(value, "item") else value
    return html.escape(QUANTITIES[name].unit.show(plain, currency))


# --- the charts -------------------------------------------------------------------------------


def _figure(
    width: float = 5.6, height: float = 3.2, left: float = 0.19, bottom: float = 0.16
) -> Any:
    """A bare Figure (no pyplot state, nothing to close) whose axes leave `left` and `bottom`
    (shares of the figure) for tick labels, axis titles and legends: margins set once, so
    saving draws the chart once instead of measuring every label first."""
    import matplotlib
    from matplotlib.figure import Figure

    # text stays text (the page's own font draws it): smaller and faster than glyph paths
    matplotlib.rcParams.update({"svg.hashsalt": "llm-breakeven", "svg.fonttype": "none",
                                "font.size": 9, "axes.spines.top": False,
                                "axes.spines.right": False})  # fmt: skip
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left, bottom=bottom, right=0.97, top=0.95)
    return fig, fig.subplots()


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML


def _thousands(*axes: Any) -> None:
    """Money and counts with thousands separated, as the workbook and the CLI show them."""
    from matplotlib.ticker import StrMethodFormatter

    for axis in axes:
        axis.set_major_formatter(StrMethodFormatter("{x:,.10g}"))


def _cost_chart(inputs: dict[str, Any], r: Any, currency: str) -> str:
    fig, ax = _figure()
    breakeven, sustained = float(r["breakeven_volume"]), float(r["sustained_breakeven_volume"])
    own = float(inputs["monthly_volume"])
    top = 2 * max(own, sustained if math.isfinite(sustained) else 0.0)
    volumes = np.linspace(top / 600, top, 600)
    found = model.figures(("api_monthly_cost", "selfhost_total_monthly_cost"),
                          {**inputs, "monthly_volume": volumes})  # fmt: skip
    millions = volumes / 1e6
    ax.plot(millions, found["api_monthly_cost"], color=_API_COLOUR, label="API")
    ax.step(millions, found["selfhost_total_monthly_cost"], where="post", color=_SELFHOST_COLOUR,
            label="Self-host")  # fmt: skip
    ax.axvline(own / 1e6, color="grey", linestyle=":", label="Own volume")
    if math.isfinite(breakeven):
        ax.axvline(breakeven / 1e6, color=_MARK_COLOUR, linestyle="--", label="Break-even")
    ax.set_xlabel("Monthly volume (millions of requests)")
    ax.set_ylabel(f"Monthly cost ({currency})")
    _thousands(ax.yaxis)
    ax.legend(frameon=False)
    return _svg(fig)


def _projection_chart(inputs: dict[str, Any], r: Any, currency: str) -> str:
    table = projection.project(inputs)
    fig, ax = _figure()
    month = table["month"].to_numpy()
    best = float(r["best_switch_month"])
    switch = int(best) if math.isfinite(best) else 1
    staying, switching = projection.cumulative_costs(table, switch,
                                                     inputs.get("migration_cost", 0.0))  # fmt: skip
    ax.plot(month, staying, color=_API_COLOUR, label="Stay on the API")
    label = f"Switch in month {switch}" if math.isfinite(best) else "Switch now (never pays)"
    ax.plot(month, switching, color=_SELFHOST_COLOUR, label=label)
    if math.isfinite(best):
        ax.axvline(best, color=_MARK_COLOUR, linestyle="--")
    ax.set_xlabel("Month")
    ax.set_ylabel(f"Cumulative cost ({currency}, undiscounted)")
    _thousands(ax.yaxis)
    ax.legend(frameon=False)
    return _svg(fig)


def _hybrid_chart(inputs: dict[str, Any], r: Any, currency: str) -> str:
    """The hybrid's monthly cost at each whole number of self-hosted replicas (a point each:
    between two counts there is no hybrid), beside the two single paths."""
    from matplotlib.ticker import MaxNLocator

    best = float(r["optimal_replicas"])
    top = max(float(r["replicas_needed"]), best) + 2
    replicas = np.unique(np.round(np.linspace(0, top, min(int(top) + 1, HYBRID_POINTS))))
    cost = model.figures(("hybrid_monthly_cost",), inputs, replicas=replicas)
    fig, ax = _figure()
    ax.plot(replicas, cost["hybrid_monthly_cost"], "o", color=_SELFHOST_COLOUR, markersize=4,
            label="Hybrid")  # fmt: skip
    ax.axhline(float(r["api_monthly_cost"]), color=_API_COLOUR, linestyle="--", label="API only")
    ax.axhline(float(r["selfhost_total_monthly_cost"]), color="grey", linestyle=":",
               label="Self-host only")  # fmt: skip
    optimal = float(r["optimal_hybrid_monthly_cost"])
    ax.plot([best], [optimal], "D", color=_MARK_COLOUR, markersize=8,
            label=f"Cheapest: {best:,.0f} {'replica' if best == 1 else 'replicas'}")  # fmt: skip
    ax.set_xlabel("Replicas self-hosted (0: all traffic on the API)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"Monthly cost ({currency})")
    ax.set_ylim(bottom=0)
    _thousands(ax.yaxis)
    ax.legend(frameon=False, fontsize=8)
    return _svg(fig)


def _tornado_chart(inputs: dict[str, Any], currency: str) -> str:
    tornado = sensitivity.tornado(inputs).head(8).iloc[::-1]
    base = tornado.attrs["base_savings"]
    # room on the left for the longest key input label, "Replica output tokens per second"
    fig, ax = _figure(width=6.8, height=3.6, left=0.40, bottom=0.30)
    labels = [QUANTITIES[name].label for name in tornado["input"]]
    low, high = tornado["savings_low"].to_numpy(), tornado["savings_high"].to_numpy()
    y = np.arange(len(labels))
    ax.barh(y, low - base, left=base, color=_API_COLOUR, label="Input at its low (−20 %)")
    ax.barh(y, high - base, left=base, color=_SELFHOST_COLOUR, label="Input at its high (+20 %)")
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(f"Monthly savings from self-hosting ({currency})")
    _thousands(ax.xaxis)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    return _svg(fig)


def _waterfall_chart(inputs: dict[str, Any], currency: str) -> str:
    layers = model.cost_waterfall(**inputs)
    fig, ax = _figure(height=3.4, left=0.19, bottom=0.36)
    names = [*model.WATERFALL, "selfhost_cost_per_request", "api_cost_per_request"]
    labels = [QUANTITIES[n].label for n in model.WATERFALL[:-1]] + [
        "Variable (and API fallback)",
        "Self-host total",
        "API",
    ]
    # one bar call: each layer floats on the ones before it, then the two totals
    heights = [float(layers[name]) for name in names]
    bottoms = [*np.cumsum([0.0, *heights[: len(model.WATERFALL) - 1]]), 0.0, 0.0]
    colours = [_SELFHOST_COLOUR, *["#7F9FBF"] * (len(model.WATERFALL) - 1), _SELFHOST_COLOUR,
               _API_COLOUR]  # fmt: skip
    ax.bar(range(len(names)), heights, bottom=bottoms, color=colours)
    ax.set_xticks(range(len(names)), labels, rotation=30, ha="right")
    ax.set_ylabel(f"Cost per request ({currency})")
    return _svg(fig)


def _distribution_chart(simulated: dict[str, Any], currency: str) -> str:
    draws = simulated["savings_draws"]
    fig, ax = _figure()
    # one filled outline rather than sixty bars: the same picture, drawn at once
    counts, edges = np.histogram(draws, bins=60)
    ax.stairs(counts, edges, fill=True, color=_SELFHOST_COLOUR)
    ax.axvline(0, color=_API_COLOUR, linewidth=1.2, label="Break-even (0)")
    for p, value in simulated["savings"].items():
        ax.axvline(value, color="grey", linestyle=":", linewidth=0.8)
        ax.annotate(f"P{p}", (value, 1), xycoords=("data", "axes fraction"), fontsize=7,
                    ha="center", va="bottom")  # fmt: skip
    ax.set_xlabel(f"Monthly savings from self-hosting ({currency}, draws)")
    _thousands(ax.xaxis, ax.yaxis)
    ax.set_ylabel("Draws")
    ax.legend(frameon=False)
    return _svg(fig)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llm-breakeven: self-host or API</title>
<style>
body {{ font-family: Calibri, Carlito, Arial, sans-serif; margin: 2em auto; max-width: 1200px;
       color: #222; padding: 0 1em; }}
h1 {{ color: #1F4E79; }} h2 {{ color: #1F4E79; border-bottom: 1px solid #ccc; }}
table {{ border-collapse: collapse; margin: 0.5em 0; }}
td, th {{ border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }}
th {{ text-align: left; background: #f4f6f9; }}
td:first-child, td.words {{ text-align: left; }}
.verdict {{ font-size: 1.15em; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1em; }}
figure {{ margin: 0; }} figcaption {{ font-weight: bold; }}
svg {{ max-width: 100%; height: auto; }}
.note {{ color: #666; font-size: 0.9em; }}
</style></head><body>
<h1>Self-host or keep paying the API?</h1>
<p class="note">llm-breakeven {version}, written {today}; figures current to {data_date}.
Monte Carlo: {samples} draws per scenario, seed {seed}: the same seed gives the same page.</p>
<table><tr><th>Scenario</th><th>Cheaper</th><th>Monthly savings</th><th>Break-even volume</th>
<th>Best month to switch</th><th>Recommendation</th></tr>{summary}</table>
{sections}
</body></html>
"""
