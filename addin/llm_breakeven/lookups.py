"""Scenario inputs looked up by name: API prices, a GPU's hourly rate, an estimated throughput.

A scenario may name an API model (and provider), a GPU (and rental provider and pricing) and
an open-weight model (and precision) instead of typing prices, the hourly rate and the
throughput. A number typed in the scenario always wins; each number looked up comes with a
source naming where it came from and its date, as every outside figure must.

>>> found, sources = resolve({"gpu": "H100 SXM", "gpu_provider": "Lambda"}, {}, "")
>>> found["hourly_rate"], sources["hourly_rate"]
(4.14, 'Catalogue: median of 2 on-demand offers for H100 SXM at Lambda, newest seen 2026-09-25')
"""

from __future__ import annotations

from typing import Any

from .quantities import ONE_OF

#: the names a scenario may give, and what each looks up
KEYS = ("api_model", "api_provider", "gpu", "gpu_provider", "gpu_pricing", "model", "precision")


class LookupFailed(ValueError):
    """A name that cannot be looked up, with the reason."""


def resolve(
    names: dict[str, Any], typed: dict[str, Any], where: str
) -> tuple[dict[str, float], dict[str, str]]:
    """Numbers for the inputs `typed` lacks, looked up from `names`, and their sources."""
    for key, value in names.items():
        if not isinstance(value, str) or not value.strip():
            raise LookupFailed(f"{where}{key} must be non-empty text (got {value!r})")
    found: dict[str, float] = {}
    sources: dict[str, str] = {}
    try:
        _check_names(names)
        if "api_model" in names:
            _api_prices(names, typed, found, sources)
        if "gpu" in names and "hourly_rate" not in typed:
            _hourly_rate(names, found, sources)
        if "model" in names and "gpu" in names:
            _throughput(names, typed, found, sources)
    except LookupError as exc:  # an unknown name
        raise LookupFailed(f"{where}{str(exc).strip(chr(39))}") from None
    except ValueError as exc:  # a model that does not fit, a bad length
        raise LookupFailed(f"{where}{exc}") from None
    for key in ("api_provider", "gpu_provider", "gpu_pricing", "precision"):
        owner = {"api_provider": "api_model", "precision": "model"}.get(key, "gpu")
        if key in names and owner not in names:
            raise LookupFailed(f"{where}{key} needs {owner}")
    return found, sources


def _check_names(names: dict[str, Any]) -> None:
    """Every name must be known, even where a typed number makes it unused: a typo is a typo."""
    from . import catalogue, prices

    if "gpu" in names:
        catalogue.find(names["gpu"], catalogue.gpus(), "GPU")
    if "model" in names:
        catalogue.find(names["model"], catalogue.models(), "model")
    if "api_model" in names:
        prices.api_price(names["api_model"], "input", names.get("api_provider"))


def _api_prices(names: dict[str, Any], typed: dict[str, Any], found: dict[str, float],
                sources: dict[str, str]) -> None:  # fmt: skip
    from . import prices

    model, provider = names["api_model"], names.get("api_provider")
    at = f" at {provider}" if provider else ""
    for field, kind in (("input_price", "input"), ("output_price", "output"),
                        ("cached_price", "cache_read")):  # fmt: skip
        if field not in typed:
            found[field] = prices.api_price(model, kind, provider)
            sources[field] = f"genai-prices: {model}{at}, {kind} list price, data as of " + (
                prices.data_date()
            )


def _hourly_rate(names: dict[str, Any], found: dict[str, float], sources: dict[str, str]) -> None:
    from . import catalogue

    gpu, provider = names["gpu"], names.get("gpu_provider")
    pricing = names.get("gpu_pricing", "on-demand")
    found["hourly_rate"] = catalogue.gpu_price(gpu, provider, pricing)
    matching = catalogue.priced_offers(gpu, provider, pricing)
    left = len(catalogue.matching_offers(gpu, provider, pricing)) - len(matching)
    at = f" at {matching[0].provider}" if provider else ""
    newest = catalogue.catalogue_date().isoformat()
    stale = f"; STALE: seen over {catalogue.STALE_DAYS} days before the newest offer ({newest})"
    flag = stale if all(o.stale(catalogue.catalogue_date()) for o in matching) else ""
    dropped = f" ({left} stale left out)" if left else ""
    sources["hourly_rate"] = (
        f"Catalogue: median of {len(matching)} {matching[0].pricing} offers for "
        f"{matching[0].gpu}{at}{dropped}, newest seen {matching[0].date_seen}{flag}"
        if len(matching) > 1
        else f"Catalogue: {matching[0].provider} {matching[0].offer} ({matching[0].pricing}), "
        f"{matching[0].source}, seen {matching[0].date_seen}{dropped}{flag}"
    )


def _throughput(names: dict[str, Any], typed: dict[str, Any], found: dict[str, float],
                sources: dict[str, str]) -> None:  # fmt: skip
    from . import estimator

    if any(name in typed for name in ONE_OF[0]):
        return  # a throughput was typed: it wins
    gpus = typed.get("gpus_per_replica", 1)
    if isinstance(gpus, bool) or not isinstance(gpus, int | float):
        raise ValueError(f"gpus_per_replica must be a number (got {gpus!r})")
    e = estimator.estimate(
        names["model"], names["gpu"], int(gpus), names.get("precision", "bf16"),
        _number(typed, "input_tokens"), _number(typed, "output_tokens"),
    )  # fmt: skip
    low, high = e.band
    found["replica_output_tokens_per_second"] = round(e.tokens_per_second, estimator.USED_DIGITS)
    sources["replica_output_tokens_per_second"] = (
        f"ESTIMATE (roofline, calibrated 2026-12-02, ±{estimator.BAND:.0%}): {e.model} "
        f"{e.precision} on {e.gpus} x {e.gpu}, batch {e.batch}; {low:,.0f} to {high:,.0f} tok/s"
    )


def _number(typed: dict[str, Any], name: str) -> float:
    value = typed.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number to estimate the throughput (got {value!r})")
    return float(value)
