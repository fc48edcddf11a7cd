"""The catalogues shipped in the package: GPU specifications, GPU rental offers, open-weight
model architectures and published serving measurements, every row with its source and date.

The files live in `llm_breakeven/data/` and are read on first use (Excel's path stays light).
Look-ups are by name, forgiving case, spacing and punctuation, or by the start of a single
entry; an unknown name raises `LookupError` naming the closest matches.

>>> gpu_spec("H100 SXM", "hbm_gb")
80.0
>>> gpu_price("H100 SXM", provider="Lambda")
4.14
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import statistics
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

#: offers seen longer ago than this are flagged as stale
STALE_DAYS = 120
#: GPU specification fields, and their units
GPU_FIELDS = {
    "hbm_gb": "GB of memory",
    "hbm_tb_s": "TB/s of memory bandwidth",
    "bf16_dense_tflops": "dense BF16 TFLOPS",
    "fp8_dense_tflops": "dense FP8 TFLOPS",
    "tdp_w": "W of board power",
}
#: pricing kinds of an offer
PRICINGS = ("on-demand", "spot", "marketplace", "reserved block", "1-year reserved",
            "3-year reserved")  # fmt: skip


@dataclass(frozen=True)
class Offer:
    """One rental offer for a GPU, per GPU-hour in USD, as seen on a date."""

    gpu: str
    provider: str
    offer: str
    pricing: str
    usd_per_gpu_hour: float
    source: str
    date_seen: str

    def age_days(self, today: dt.date | None = None) -> int:
        """Days since the offer was seen (a month or year alone counts from its start)."""
        return ((today or current_date()) - parse_date(self.date_seen)).days

    def stale(self, today: dt.date | None = None, after_days: int = STALE_DAYS) -> bool:
        return self.age_days(today) > after_days


def current_date() -> dt.date:
    """Today: what an offer's age counts to."""
    return dt.date.today()


def parse_date(text: str) -> dt.date:
    """'2026-11-09', '2025-01' or '2026' as a date (the start of a month or year)."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@functools.cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    text = (files("llm_breakeven") / "data" / name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def gpus() -> dict[str, dict[str, str]]:
    """GPU specifications by name."""
    return {row["gpu"]: row for row in _rows("gpus.csv")}


def models() -> dict[str, dict[str, str]]:
    """Open-weight model architectures by name."""
    return {row["model"]: row for row in _rows("models.csv")}


def offers() -> list[Offer]:
    """Every rental offer, newest first."""
    found = [
        Offer(**{**row, "usd_per_gpu_hour": float(row["usd_per_gpu_hour"])})  # type: ignore[arg-type]
        for row in _rows("gpu_offers.csv")
    ]
    return sorted(found, key=lambda o: parse_date(o.date_seen), reverse=True)


def measurements() -> tuple[dict[str, str], ...]:
    """Published serving throughput measurements (see data/throughput.csv)."""
    return _rows("throughput.csv")


def find(name: str, known: dict[str, Any], what: str) -> str:
    """The catalogue's own spelling of `name`, or LookupError naming the closest.

    A name matches whatever its case, spacing and punctuation ("h100-sxm" is "H100 SXM"),
    and by the start of a single entry ("a100" is "A100 SXM 80GB" while only one A100 is
    known); the closest entries are suggested first, those holding the name before others.

    >>> gpus_known = {"A10G": 1, "A100 SXM 80GB": 2, "H100 SXM": 3, "H100 PCIe": 4}
    >>> find("a100", gpus_known, "GPU"), find("h100 sxm", gpus_known, "GPU")
    ('A100 SXM 80GB', 'H100 SXM')
    >>> find("h100", gpus_known, "GPU")
    Traceback (most recent call last):
    ...
    LookupError: GPU 'h100' could be H100 SXM or H100 PCIe: name one
    """
    key = _plain(name)
    plain = {candidate: _plain(candidate) for candidate in known}
    for candidate, spelled in plain.items():
        if spelled == key:
            return candidate
    starting = [c for c, spelled in plain.items() if key and spelled.startswith(key)]
    if len(starting) == 1:
        return starting[0]
    if len(starting) > 1:
        raise LookupError(f"{what} {name!r} could be {' or '.join(starting)}: name one")

    def closeness(candidate: str) -> tuple[bool, float]:
        spelled = plain[candidate]
        return key in spelled, difflib.SequenceMatcher(None, key, spelled).ratio()

    ranked = sorted(known, key=closeness, reverse=True)
    close = [c for c in ranked if closeness(c)[0] or closeness(c)[1] >= 0.4][:3]
    hint = f"; closest: {', '.join(close)}" if close else f"; known: {', '.join(known)}"
    raise LookupError(f"unknown {what} {name!r}{hint}")


def _plain(name: object) -> str:
    """A name as looked up: letters and digits only, in one case."""
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())


def gpu_spec(gpu: str, field: str) -> float:
    """A GPU's specification figure (see `GPU_FIELDS` for the fields and units).

    >>> gpu_spec("H100 SXM", "hbm_gb")
    80.0
    """
    row = gpus()[find(gpu, gpus(), "GPU")]
    name = find(field, GPU_FIELDS, "GPU field")
    if not row[name]:
        raise LookupError(f"{row['gpu']} has no published {name}")
    return float(row[name])


def matching_offers(
    gpu: str, provider: str | None = None, pricing: str = "on-demand"
) -> list[Offer]:
    """The offers for `gpu` of a pricing kind (at `provider`, if named), newest first."""
    name = find(gpu, gpus(), "GPU")
    kind = find(pricing, dict.fromkeys(PRICINGS), "pricing")
    matching = [o for o in offers() if o.gpu == name and o.pricing == kind]
    if provider is not None:
        providers = {o.provider: None for o in offers() if o.gpu == name}
        chosen = find(provider, providers, f"provider of {name}")
        matching = [o for o in matching if o.provider == chosen]
    if not matching:
        raise LookupError(f"no {kind} offer for {name}" + (f" at {provider}" if provider else ""))
    return matching


def gpu_price(gpu: str, provider: str | None = None, pricing: str = "on-demand") -> float:
    """USD per GPU-hour: the offer of `provider`, or the median of the offers `priced_offers`
    reads (the fresh ones where any is fresh)."""
    matching = priced_offers(gpu, provider, pricing)
    return round(statistics.median(o.usd_per_gpu_hour for o in matching), 4)


def priced_offers(gpu: str, provider: str | None = None, pricing: str = "on-demand") -> list[Offer]:
    """The offers a price reads: the provider's; else every matching offer seen within
    `STALE_DAYS` of the catalogue's newest (`catalogue_date`), or all of them, stale, where
    none is that fresh."""
    matching = matching_offers(gpu, provider, pricing)
    if provider is not None:
        return matching
    return [o for o in matching if not o.stale(catalogue_date())] or matching


@functools.cache
def catalogue_date() -> dt.date:
    """The newest date an offer was seen: what the catalogue's staleness counts from (a
    build on any day prices alike)."""
    return max(parse_date(o.date_seen) for o in offers())
