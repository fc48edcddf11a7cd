"""The Catalogue sheet: the shipped figures with their sources and dates, and the pickers'
lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..bounds import Bound
from ..formula import Expr, call
from ..quantities import (
    COUNT,
    Quantity,
    Unit,
)
from ..scenario import ScenarioSet
from . import styles, toolkit
from .layout import Plan, SheetPlan, absolute

#: Catalogue column widths: name, provider, offer, pricing, price, seen, stale, source
CATALOGUE_WIDTHS = (22, 14, 26, 13, 10, 11, 7, 41)
#: the Catalogue's own inputs: when offers are compared, and after how many days they are stale
CATALOGUE_SETTINGS = (
    (Quantity("offers_compared_on", "Offers compared with", Unit("date", "date", "yyyy-mm-dd"),
              "Offers seen long before this date are marked stale; set it to today"),
     Bound(low=1)),
    (Quantity("stale_after_days", "Stale after (days)", COUNT,
              "An offer seen more days than this before the date above is stale"),
     Bound(low=1, whole=True)),
)  # fmt: skip
#: the estimates the Catalogue shows: (GPU, precision) for every model, at the fewest GPUs
#: (1, 2, 4 or 8) it fits on
ESTIMATE_SETUPS = (("H100 SXM", "fp8"), ("H100 SXM", "bf16"), ("A100 SXM 80GB", "bf16"),
                   ("L40S", "fp8"))  # fmt: skip


def plan_catalogue(sheet: SheetPlan, plan: Plan, scenario_set: ScenarioSet) -> None:
    """Reference figures shipped with the package, each with its source and date: GPU
    offers (stale ones marked by formula), GPU specifications, API list prices of popular
    models, and throughput estimates. Values, not formulas: copy one into Inputs to use it."""
    from .. import catalogue

    widths = CATALOGUE_WIDTHS
    span, chars = len(widths), sum(widths)
    as_of = _as_of(scenario_set)
    toolkit.title_rows(
        sheet,
        "Catalogue",
        "Figures shipped with llm-breakeven, each with its source and "
        "date. They are values: copy one into Inputs to use it. Estimates are estimates.",
        span,
        chars,
    )
    sheet.finally_(lambda ws: _column_widths(ws, widths))
    for q, rule in CATALOGUE_SETTINGS:
        value = as_of if q.name == "offers_compared_on" else catalogue.STALE_DAYS
        row = sheet.add(_catalogue_setting(q, value, rule))
        plan.single(q.name, toolkit.CATALOGUE, f"B{row}")

    # what the pickers read prints; the offers and specifications behind it stay on screen
    _plan_api_prices(sheet, plan, as_of)
    _plan_gpu_rates(sheet, plan)
    _plan_estimates(sheet, plan, widths)
    toolkit.working_rows(sheet, plan, "Below, out of print: every GPU offer the rates to pick "
                         "are the medians of, each with its source; the GPUs' "
                         "specifications and the models' architectures the estimates read.",
                         get_column_letter(span))  # fmt: skip
    _plan_offers(sheet, plan, widths)
    _plan_specs(sheet, plan, widths)
    _plan_models(sheet, plan, widths)
    _plan_precisions(sheet, plan)


def _plan_offers(sheet: SheetPlan, plan: Plan, widths: tuple[float, ...]) -> None:
    from .. import catalogue

    sheet.add()
    toolkit.section_row(sheet, "GPU rental offers, USD per GPU-hour, newest first")
    sheet.add(toolkit.heading_row(["GPU", "Provider", "Offer", "Pricing", "USD/GPU-h",
                                            "Seen", "Stale?", "Source"]))  # fmt: skip
    first = sheet.next_row
    for offer in catalogue.offers():
        cells = [offer.gpu, offer.provider, offer.offer, offer.pricing, offer.usd_per_gpu_hour,
                 catalogue.parse_date(offer.date_seen), None, offer.source]  # fmt: skip
        height = toolkit.text_height([offer.source], widths[7])
        sheet.add(_catalogue_row(cells, ("@", "@", "@", "@", "#,##0.00", "yyyy-mm-dd", "@", "@"),
                                 stale=(6, 7), plan=plan), height)  # fmt: skip
    plan.names["catalogue_offers"] = absolute(toolkit.CATALOGUE, f"A{first}:H{sheet.next_row - 1}")


def _plan_specs(sheet: SheetPlan, plan: Plan, widths: tuple[float, ...]) -> None:
    from .. import catalogue

    sheet.add()
    toolkit.section_row(sheet, "GPU specifications (dense peaks, no sparsity)")
    headings = ["GPU", "Memory GB", "TB/s", "BF16 TFLOPS", "FP8 TFLOPS", "Power W", "Released",
                "Source"]  # fmt: skip
    sheet.add(toolkit.heading_row(headings))
    formats = ("@", "#,##0", "0.000", "#,##0", "#,##0", "#,##0", "@", "@")
    first = sheet.next_row
    for spec in catalogue.gpus().values():
        figures = [float(spec[f]) if spec[f] else None for f in catalogue.GPU_FIELDS]
        cells = [spec["gpu"], *figures, spec["date"], spec["source"]]
        height = toolkit.text_height([spec["source"]], widths[7])
        sheet.add(_catalogue_row(cells, formats), height)
    _name_columns(plan, "catalogue_gpu", ["name", *catalogue.GPU_FIELDS], first, sheet.next_row - 1)


def _plan_models(sheet: SheetPlan, plan: Plan, widths: tuple[float, ...]) -> None:
    """The architectures the throughput estimates read; a dense model has 0 experts."""
    from .. import catalogue, estimator

    sheet.add()
    toolkit.section_row(sheet, "Model architectures (config.json), as the estimates read them")
    headings = ["Model", "Params B", "Active B", "Layers", "KV heads", "Head dim", "Experts",
                "Per token"]  # fmt: skip
    sheet.add(toolkit.heading_row(headings))
    formats = ("@", "#,##0.00", "#,##0.00", "0", "0", "0", "0", "0")
    first = sheet.next_row
    for name, spec in catalogue.models().items():
        figures = [float(spec[f] or 0) for f in estimator.MODEL_FIGURES]
        sheet.add(_catalogue_row([name, *figures], formats, wrap=False))
    names = ["name", *estimator.MODEL_FIGURES]
    _name_columns(plan, "catalogue_model", names, first, sheet.next_row - 1)
    # each model's source below the table: eight columns of figures leave no room beside
    for name, spec in catalogue.models().items():
        source = f"{name}: {spec['source']}, {spec['date']}"
        sheet.add(toolkit.source_row(source, None, len(widths)),
                  toolkit.text_height([source], sum(widths)))  # fmt: skip


def _plan_precisions(sheet: SheetPlan, plan: Plan) -> None:
    """What each precision means to the estimates: bytes a weight and a KV-cache value, and
    whether the matrix multiplies run in FP8."""
    from .. import estimator

    sheet.add()
    toolkit.section_row(sheet, "Precisions, as the estimates read them")
    sheet.add(toolkit.heading_row(["Precision", "Weight bytes", "KV bytes", "FP8 multiplies"]))
    first = sheet.next_row
    tables = estimator.PRECISION_FIGURES.values()
    for kind in estimator.WEIGHT_BYTES:
        cells = [kind, *(table[kind] for table in tables)]
        sheet.add(_catalogue_row(cells, ("@", "0.0", "0.0", "0"), wrap=False))
    names = ["name", *estimator.PRECISION_FIGURES]
    _name_columns(plan, "catalogue_precision", names, first, sheet.next_row - 1)


def _name_columns(plan: Plan, prefix: str, names: list[str], first: int, last: int) -> None:
    """Name each column of a table's rows `first` to `last`: `prefix`_`name`, left to right."""
    for k, name in enumerate(names, 1):
        column = get_column_letter(k)
        plan.names[f"{prefix}_{name}"] = absolute(
            toolkit.CATALOGUE, f"{column}{first}:{column}{last}"
        )


def _plan_api_prices(sheet: SheetPlan, plan: Plan, as_of: dt.date) -> None:
    from .. import prices

    sheet.add()
    toolkit.section_row(sheet, f"API list prices per 1M tokens, USD: genai-prices, data as of "
                    f"{prices.data_date(as_of)}")  # fmt: skip
    sheet.add(toolkit.heading_row(["Model", "Provider", "Input", "Output",
                                            "Cached", "Pick as"]))  # fmt: skip
    first = sheet.next_row
    for model_name, provider in prices.CURATED:
        listed = [prices.api_price(model_name, k, provider, as_of) for k in prices.KINDS]
        # the key runs on into the empty columns beside it (wrapped, it was cut)
        cells = [model_name, provider, *listed, api_pick(model_name, provider)]
        shown = ("@", "@", "0.000", "0.000", "0.000", "@")
        sheet.add(_catalogue_row(cells, shown, wrap=False))
    last = sheet.next_row - 1
    plan.names["catalogue_api_prices"] = absolute(toolkit.CATALOGUE, f"A{first}:E{last}")
    for name, column in (("pick_api_keys", "F"), ("pick_api_input", "C"),
                         ("pick_api_output", "D")):  # fmt: skip
        plan.names[name] = absolute(toolkit.CATALOGUE, f"{column}{first}:{column}{last}")


def _plan_gpu_rates(sheet: SheetPlan, plan: Plan) -> None:
    from .. import catalogue

    sheet.add()
    toolkit.section_row(
        sheet,
        "GPU hourly rates to pick: the median on-demand offer, USD per GPU-hour, of "
        f"those seen within {catalogue.STALE_DAYS} days of the newest offer "
        f"({catalogue.catalogue_date().isoformat()}); all, marked stale, where none is",
    )
    # the seen and stale columns under the offers' own, whose widths they fit
    sheet.add(toolkit.heading_row(["GPU", "USD/GPU-h", "Offers used", "Stale left out", "",
                                   "Newest seen", "Stale"]))  # fmt: skip
    first = sheet.next_row
    for gpu in catalogue.gpus():
        try:
            matching = catalogue.matching_offers(gpu)
        except LookupError:
            continue
        used = catalogue.priced_offers(gpu)
        stale = all(o.stale(catalogue.catalogue_date()) for o in used)
        cells = [gpu, catalogue.gpu_price(gpu), len(used), len(matching) - len(used), None,
                 used[0].date_seen, "stale" if stale else ""]  # fmt: skip
        sheet.add(_catalogue_row(cells, ("@", "#,##0.00", "0", "0", "General", "@", "@")))
    last = sheet.next_row - 1
    plan.names["pick_gpu_keys"] = absolute(toolkit.CATALOGUE, f"A{first}:A{last}")
    plan.names["pick_gpu_rates"] = absolute(toolkit.CATALOGUE, f"B{first}:B{last}")


def _plan_estimates(sheet: SheetPlan, plan: Plan, widths: tuple[float, ...]) -> None:
    from .. import catalogue, estimator

    sheet.add()
    toolkit.section_row(
        sheet,
        f"Throughput ESTIMATES (roofline, within {estimator.BAND:.0%} of published "
        "measurements), 1,000 tokens in and 250 out",
    )
    # the key to pick by last, in the widest column: on one line
    sheet.add(toolkit.heading_row(["Model", "GPUs", "GPU", "Precision", "Tokens/s", "Low",
                                   "High", "Pick as"]))  # fmt: skip
    first = sheet.next_row
    for model_name in catalogue.models():
        for gpu, precision in ESTIMATE_SETUPS:
            found = _fewest_gpus(model_name, gpu, precision)
            if found is None:
                continue
            low, high = found.band
            key = estimate_pick(model_name, found.gpus, gpu, precision)
            cells = [model_name, found.gpus, gpu, precision, round(found.tokens_per_second),
                     round(low), round(high), key]  # fmt: skip
            sheet.add(
                _catalogue_row(cells, ("@", "0", "@", "@", "#,##0", "#,##0", "#,##0", "@")),
                max(
                    toolkit.text_height([key], widths[7]),
                    toolkit.text_height([model_name], widths[0]),
                ),
            )
    last = sheet.next_row - 1
    plan.names["catalogue_estimates"] = absolute(toolkit.CATALOGUE, f"A{first}:H{last}")
    for name, column in (("pick_estimate_keys", "H"), ("pick_estimate_models", "A"),
                         ("pick_estimate_gpus", "B"), ("pick_estimate_chips", "C"),
                         ("pick_estimate_precisions", "D")):  # fmt: skip
        plan.names[name] = absolute(toolkit.CATALOGUE, f"{column}{first}:{column}{last}")


def api_pick(model_name: str, provider: str) -> str:
    """How the Inputs sheet's API picker names a model at a provider."""
    return f"{model_name} ({provider})"


def estimate_pick(model_name: str, gpus: int, gpu: str, precision: str) -> str:
    """How the Inputs sheet's throughput picker names an estimate."""
    return f"{model_name} on {gpus} x {gpu}, {precision}"


def _as_of(scenario_set: ScenarioSet) -> dt.date:
    """The date the Catalogue compares offers with and prices on: the scenarios' data date."""
    try:
        return dt.date.fromisoformat(scenario_set.data_date)
    except ValueError:
        return dt.date(2026, 1, 1)


def _fewest_gpus(model_name: str, gpu: str, precision: str) -> Any:
    from .. import estimator

    for count in (1, 2, 4, 8):
        try:
            return estimator.estimate(model_name, gpu, count, precision)
        except estimator.DoesNotFit:
            continue
    return None


def _catalogue_setting(q: Quantity, value: Any, rule: Bound) -> Callable[..., None]:
    def render(ws: Worksheet, row: int) -> None:
        ws.cell(row, 1, q.label)
        cell = ws.cell(row, 2, value)
        cell.number_format = q.unit.number_format
        toolkit.style_input(cell)
        note = ws.cell(row, 3, q.help)
        note.font = styles.NOTE_FONT
        toolkit.add_validation(ws, q, cell.coordinate, rule)

    return render


def _catalogue_row(
    cells: list[Any], formats: tuple[str, ...], stale: tuple[int, int] | None = None,
    plan: Plan | None = None, wrap: bool = True,
) -> Callable[..., None]:  # fmt: skip
    """A row of values (text stored as text), its last wrapped unless not `wrap`; `stale` =
    (seen column, flag column) adds the formula that marks an offer seen too long before the
    date compared with."""

    def render(ws: Worksheet, row: int) -> None:
        for column, (value, fmt) in enumerate(zip(cells, formats, strict=True), 1):
            cell = ws.cell(row, column)
            if isinstance(value, str):
                toolkit.set_text(cell, value)
            elif value is not None:
                cell.value = value
            cell.number_format = fmt
            cell.alignment = styles.WRAP if wrap and column == len(cells) else styles.TOP
        if stale is not None and plan is not None:
            seen, flag = stale
            compared = Expr.ref(absolute(*plan.singles["offers_compared_on"]))
            days = Expr.ref(absolute(*plan.singles["stale_after_days"]))
            age = compared - Expr.ref(f"{get_column_letter(seen)}{row}")
            ws.cell(row, flag, "=" + call("IF", age > days, "stale", "").text)

    return render


def _column_widths(ws: Worksheet, widths: tuple[float, ...]) -> None:
    for k, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = width
