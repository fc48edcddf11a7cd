"""API list prices per 1M tokens, from genai-prices' bundled data (never from the network).

genai-prices keeps dated prices of hundreds of models at dozens of providers. A price here is
what it computes for a million tokens of one kind, so tiered and conditional prices resolve
as genai-prices resolves them today; `data_date` is the newest date its bundled data names.
It is imported on first use only: Excel's path stays light.

>>> api_price("gpt-4o", "output", "openai")
10.0
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from .catalogue import find

#: price kinds
KINDS = ("input", "output", "cache_read")
#: a price is read off a request of this many tokens, scaled to a million: a request of a
#: million tokens would be billed at the long-context tier some models have (above 200k)
_SAMPLE = 1_000
_SCALE = 1_000_000 // _SAMPLE


@dataclass(frozen=True)
class Price:
    """One model at one provider: list prices per 1M tokens (None: not offered)."""

    provider: str
    model: str
    name: str
    input: float | None
    output: float | None
    cache_read: float | None


#: how to install what the API list prices need, where only the Excel functions' core is
PRICES_EXTRA = 'pip install "llm-breakeven[prices]"'


def _require() -> None:
    """The price list is an extra: without it, say how to install it (not a traceback)."""
    try:
        import genai_prices  # noqa: F401
    except ImportError:
        raise ModuleNotFoundError(f"API list prices need genai-prices: {PRICES_EXTRA}") from None


def _usage(kind: str) -> Any:
    from genai_prices import Usage

    if kind == "input":
        return Usage(input_tokens=_SAMPLE)
    if kind == "output":
        return Usage(output_tokens=_SAMPLE)
    # genai-prices counts cache reads within the input tokens
    return Usage(input_tokens=_SAMPLE, cache_read_tokens=_SAMPLE)


def api_price(
    model: str, kind: str = "input", provider: str | None = None, on: dt.date | None = None
) -> float:
    """List price per 1M tokens of `kind` ("input", "output" or "cache_read") for `model`,
    at `provider` or at the provider genai-prices finds most suitable, in force today (or
    `on` a date: the workbook prices on its scenarios' date, so that it builds the same)."""
    _require()
    from genai_prices import calc_price

    kind = find(kind, dict.fromkeys(KINDS), "price kind")
    provider_id = _provider(provider) if provider else None
    when = dt.datetime.combine(on, dt.time(12), dt.UTC) if on is not None else None
    try:
        price = calc_price(_usage(kind), model, provider_id=provider_id,
                           genai_request_timestamp=when)  # fmt: skip
    except LookupError:
        raise LookupError(f"unknown model {model!r}{_closest(model, provider_id)}") from None
    return float(price.total_price * _SCALE)


#: popular API models, for the workbook's catalogue: (model, provider)
CURATED = (
    ("gpt-4o", "openai"), ("gpt-4o-mini", "openai"), ("gpt-4.1-mini", "openai"),
    ("claude-sonnet-4-5", "anthropic"), ("claude-haiku-4-5", "anthropic"),
    ("gemini-2.5-pro", "google"), ("gemini-2.5-flash", "google"),
    ("llama-3.1-8b-instant", "groq"), ("llama-3.3-70b-versatile", "groq"),
    ("deepseek-chat", "deepseek"), ("mistral-small-latest", "mistral"),
    ("mistral-large-latest", "mistral"),
)  # fmt: skip


def data_date(on: dt.date | None = None) -> str:
    """The newest date genai-prices' bundled data records up to today (or `on`), and its
    version: how current the prices are."""
    return (
        f"{_newest_date(on or dt.date.today())} (genai-prices {metadata.version('genai-prices')})"
    )


def search(text: str = "") -> list[Price]:
    """Every model whose provider, id or name contains `text` (any case), with its prices."""
    from genai_prices import data_snapshot

    needle = text.casefold()
    found = []
    for provider in data_snapshot.get_snapshot().providers:
        for model in provider.models:
            haystack = f"{provider.id} {provider.name} {model.id} {model.name or ''}".casefold()
            if needle and needle not in haystack:
                continue
            prices = [_price_or_none(model.id, kind, provider.id) for kind in KINDS]
            if prices[0] is None and prices[1] is None:
                continue  # priced by characters, images or seconds: not per token
            found.append(Price(provider.id, model.id, model.name or model.id, *prices))
    return found


def _price_or_none(model: str, kind: str, provider: str) -> float | None:
    from genai_prices import calc_price

    try:
        value = float(calc_price(_usage(kind), model, provider_id=provider).total_price * _SCALE)
    except Exception:  # genai-prices raises several kinds for a model it cannot price
        return None
    if kind == "cache_read":  # a model without a cache price bills cached tokens as input
        return value
    return value if value > 0 else None


@functools.cache
def _providers() -> dict[str, Any]:
    from genai_prices import data_snapshot

    return {p.id: p for p in data_snapshot.get_snapshot().providers}


def _provider(name: str) -> str:
    providers = _providers()
    by_name = {p.name: p.id for p in providers.values()}
    for key in (name, name.lower()):
        if key in providers:
            return key
    return by_name.get(name) or find(name, providers, "API provider")


def _closest(model: str, provider_id: str | None) -> str:
    providers = [_providers()[provider_id]] if provider_id else list(_providers().values())
    ids = sorted({m.id for p in providers for m in p.models})
    close = difflib.get_close_matches(model, ids, n=3, cutoff=0.5)
    where = f" at {provider_id}" if provider_id else ""
    return f"{where}; closest: {', '.join(close)}" if close else where


@functools.cache
def _newest_date(on: dt.date) -> str:
    import genai_prices.data as data

    text = open(data.__file__, encoding="utf-8").read()  # noqa: SIM115 (read once)
    # the data also names scheduled price changes: those after `on` are not its date
    dates = [d for d in re.findall(r"\b(20\d\d-[01]\d-[0-3]\d)\b", text) if d <= on.isoformat()]
    return max(dates) if dates else "undated"
