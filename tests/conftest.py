"""Shared fixtures: the article's worked example and LibreOffice recalculation."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

#: The article's worked example: 1,000 + 500 tokens at $0.50 / $1.50 per 1M tokens; a $2/h GPU
#: serving 2 requests/s over 720 hours. The rows are the article's table, computed by hand:
#: capacity = 2 × 3600 × 720 = 5,184,000; cost per request = 1440 / (5,184,000 × u).
ARTICLE = {
    "input_tokens": 1000,
    "output_tokens": 500,
    "input_price": 0.50,
    "output_price": 1.50,
    "hourly_rate": 2.0,
    "replica_throughput": 2.0,
    "hours_per_month": 720,
}
ARTICLE_API = 0.00125
ARTICLE_GPU_MONTH = 1440.0
ARTICLE_CAPACITY = 5_184_000.0
ARTICLE_ROWS = (  # utilization, requests served, GPU cost per request (rounded), verdict
    (0.05, 259_200, 0.005556, "API"),
    (0.25, 1_296_000, 0.001111, "Break-even"),
    (0.60, 3_110_400, 0.000463, "Self-host"),
    (0.90, 4_665_600, 0.000309, "Self-host"),
)
ARTICLE_BREAKEVEN_VOLUME = 1_152_000.0  # 1440 / 0.00125
ARTICLE_BREAKEVEN_UTILIZATION = 0.2222  # 1,152,000 / 5,184,000, rounded

#: run in a fresh Python by test_udfs, never imported here: it loads xlwings' Office.js code,
#: which asks for a licence key at import
collect_ignore = ["officejs_probe.py"]

#: the checkout under test (tests read its committed files; they never write them)
REPO = Path(__file__).resolve().parents[1]

REQUIRE_LIBREOFFICE = os.environ.get("LLM_BREAKEVEN_REQUIRE_LIBREOFFICE") == "1"
REQUIRE_GNUMERIC = os.environ.get("LLM_BREAKEVEN_REQUIRE_GNUMERIC") == "1"

#: the long variants: fifty random workbooks through LibreOffice, every property test at its
#: full example count, more concurrent builds. `.ci/run` turns them on; a developer's run
#: checks the same properties on fewer cases.
SOAK = os.environ.get("LLM_BREAKEVEN_SOAK") == "1"


def examples(soak: int, everyday: int | None = None) -> int:
    """How many cases a property test draws: `soak` in a soak run, else `everyday` (a fifth
    of `soak`, at least 20, by default)."""
    if SOAK:
        return soak
    return everyday if everyday is not None else min(soak, max(20, soak // 5))


_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def workbook_sized(inputs: dict, serving: int = 50) -> dict | None:
    """A random scenario's inputs cut to a fleet quick to recalculate: the monthly volume
    cut so that the busiest hour needs at most `serving` serving replicas (to 12 digits, as
    typed); None when the hybrid's searches would span more replicas than the workbook's
    (2^24: a break-even only an absurd fleet reaches, which `build` refuses, tested in
    test_warrant)."""
    from llm_breakeven import model
    from llm_breakeven.quantities import QUANTITIES

    peak = float(model.evaluate(["serving_replicas"], **inputs)["serving_replicas"])
    if peak > serving:
        inputs = {
            **inputs,
            "monthly_volume": float(f"{inputs['monthly_volume'] * serving / peak:.12g}"),
        }
    ranges = {k: float(v) for k, v in model.hybrid_search_ranges(**inputs).items()}
    span = ranges["hybrid_search_top"] - ranges["hybrid_paying_replicas"]
    return inputs if span <= float(QUANTITIES["search_span"].default) else None


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _converter(tmp_path_factory: pytest.TempPathFactory, fmt: str):
    """A function converting files with LibreOffice to `fmt` (recalculating on load)."""
    soffice = _soffice()
    if soffice is None:
        if REQUIRE_LIBREOFFICE:
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui"
        )

    def run(*books: Path) -> list[Path]:
        profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
        out = tmp_path_factory.mktemp("converted")
        try:
            subprocess.run(
                [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", fmt, "--outdir", str(out), *map(str, books)],
                check=True, capture_output=True,
            )  # fmt: skip
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        results = [out / Path(book).with_suffix("." + fmt).name for book in books]
        missing = [str(p) for p in results if not p.exists()]
        assert not missing, f"LibreOffice wrote no {missing}"
        return results

    return run


@pytest.fixture(scope="session")
def recalculate(tmp_path_factory: pytest.TempPathFactory):
    """Recalculate .xlsx files in LibreOffice (always on load); returns the recalculated copies."""
    return _converter(tmp_path_factory, "xlsx")


@pytest.fixture(scope="session")
def recalculate_gnumeric(tmp_path_factory: pytest.TempPathFactory):
    """Recalculate .xlsx files in Gnumeric (ssconvert --recalc); returns the copies."""
    ssconvert = shutil.which("ssconvert")
    if ssconvert is None:
        if REQUIRE_GNUMERIC:
            pytest.fail("Gnumeric (ssconvert) is required here but not installed")
        pytest.skip("Gnumeric (ssconvert) is not installed: apt-get install -y gnumeric")

    def run(*books: Path) -> list[Path]:
        out = tmp_path_factory.mktemp("gnumeric")
        results = []
        for book in books:
            target = out / Path(book).name
            subprocess.run([ssconvert, "--recalc", str(book), str(target)], check=True,
                           capture_output=True)  # fmt: skip
            results.append(target)
        return results

    return run


@pytest.fixture(scope="session")
def print_pdf(tmp_path_factory: pytest.TempPathFactory):
    """Print workbooks to PDF through LibreOffice; returns the PDFs."""
    if shutil.which("pdftotext") is None:
        if REQUIRE_LIBREOFFICE:
            pytest.fail("pdftotext (poppler-utils) is required here but not installed")
        pytest.skip(
            "pdftotext is not installed (LibreOffice PDF checks): apt-get install poppler-utils"
        )
    return _converter(tmp_path_factory, "pdf")
