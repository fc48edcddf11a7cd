"""The catalogues (GPUs, offers, models, measurements) and the throughput estimator."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import subprocess
import sys

import numpy as np
import pytest

from llm_breakeven import catalogue, estimator, udfs
from llm_breakeven.catalogue import Offer, parse_date
from llm_breakeven.formula import Numeric

#: how the measurements' lengths and loads read as estimator arguments; ShareGPT's averages
#: are those of the facts' README (about 215 input and 198 output tokens)
LENGTHS = {"sharegpt": (215, 198), "~300": (300, 291), "~291": (300, 291),
           "short chat": (128, 128)}  # fmt: skip


def _lengths(row: dict[str, str]) -> tuple[float, float]:
    isl = float(row["isl"]) if row["isl"].isdigit() else LENGTHS[row["isl"]][0]
    osl = float(row["osl"]) if row["osl"].isdigit() else LENGTHS[row["osl"]][1]
    return isl, osl


def test_every_row_has_a_source_and_a_date_and_keys_are_unique():
    tables = {
        "gpus.csv": ("gpu",),
        "models.csv": ("model",),
        "gpu_offers.csv": ("gpu", "provider", "offer", "pricing"),
        "throughput.csv": ("id",),
    }
    for name, key in tables.items():
        rows = catalogue._rows(name)
        assert rows, name
        keys = [tuple(row[k] for k in key) for row in rows]
        assert len(keys) == len(set(keys)), name
        for row in rows:
            assert row["source"].strip(), (name, row)
            date = row.get("date") or row.get("date_seen")
            assert date and parse_date(date) <= dt.date(2026, 12, 31), (name, row)
    # every offer's GPU has a specification
    assert {o.gpu for o in catalogue.offers()} <= set(catalogue.gpus())


def test_gpu_look_ups_by_hand():
    assert catalogue.gpu_spec("h100  sxm", "HBM_GB") == 80
    # Lambda lists H100 SXM at $3.99 (8x) and $4.29 (1x): the median is 4.14
    assert catalogue.gpu_price("H100 SXM", provider="lambda") == pytest.approx(4.14)
    # on demand everywhere: 2.69 3.85 3.99 3.99 4.29 6.88 10.98 12.29 -> (3.99 + 4.29) / 2
    assert catalogue.gpu_price("H100 SXM") == pytest.approx(4.14)
    assert catalogue.gpu_price("H100 SXM", pricing="spot") == pytest.approx(6.57)
    with pytest.raises(LookupError, match="unknown GPU 'X100'; closest: H100 SXM, H100 PCIe"):
        catalogue.gpu_price("X100")
    with pytest.raises(LookupError, match="no spot offer for A10G"):
        catalogue.gpu_price("A10G", pricing="spot")


def test_offers_are_newest_first_and_old_ones_are_stale():
    dates = [parse_date(o.date_seen) for o in catalogue.offers()]
    assert dates == sorted(dates, reverse=True)
    today = dt.date(2026, 12, 2)
    offer = Offer("H100 SXM", "AWS", "x", "on-demand", 1.0, "s", "2025-01")
    assert offer.age_days(today) == 700 and offer.stale(today)
    assert not Offer("H100 SXM", "AWS", "x", "on-demand", 1.0, "s", "2026-11-09").stale(today)


def test_estimator_calibration_report():
    """Every published measurement beside its estimate; the error the README states."""
    errors = []
    print()
    for row in catalogue.measurements():
        isl, osl = _lengths(row)
        batch = 1 if row["load"].startswith("c=1") else 256
        found = estimator.estimate(row["model"], row["gpu"], int(row["gpus"]), row["precision"],
                                   isl, osl, batch)  # fmt: skip
        measured = float(row["out_tok_s"])
        ratio = found.tokens_per_second / measured
        errors.append(abs(ratio - 1))
        print(f"{row['id']:5} {row['model']:14} {row['gpus']}x {row['gpu']:14} {row['precision']:5}"
              f" estimate {found.tokens_per_second:9,.0f}  measured {measured:9,.0f}"
              f"  ratio {ratio:4.2f}")  # fmt: skip
    assert len(errors) >= 14
    assert statistics.median(errors) <= 0.25
    assert max(errors) <= 0.50
    assert max(errors) <= estimator.BAND  # the band every estimate states covers them all


def test_estimate_by_hand():
    """Llama 3.1 8B in fp16 on one H100 at batch 1, 128 in and 128 out (measurement T24)."""
    e = estimator.estimate("Llama 3.1 8B", "H100 SXM", 1, "fp16", 128, 128, 1)
    weights = 8.03e9 * 2
    kv_token = 2 * 32 * 8 * 128 * 2
    memory = (weights + (128 + 64) * kv_token) / (3.35e12 * 0.65)
    compute = 2 * 8.03e9 / (989e12 * 0.45)
    step = memory + 0.5 * compute
    prefill = 128 * 2 * 8.03e9 / (989e12 * 0.45)
    assert e.batch == 1 and e.bound == "memory"
    assert e.tokens_per_second == pytest.approx(128 / (prefill + 128 * step), rel=1e-12)
    assert e.requests_per_second == pytest.approx(e.tokens_per_second / 128)
    low, high = e.band
    assert low == pytest.approx(e.tokens_per_second / 1.35)
    assert high == pytest.approx(e.tokens_per_second * 1.35)


def test_what_does_not_fit_says_so():
    with pytest.raises(estimator.DoesNotFit, match=r"Qwen2\.5 72B at bf16 needs 145\.4 GB"):
        estimator.estimate("Qwen2.5 72B", "L4")
    assert estimator.estimate("Qwen2.5 72B", "A100 SXM 80GB", 4).batch > 1
    # memory caps the batch before max_batch does: 8B bf16 on an L4 (21.6 GB usable)
    e = estimator.estimate("Llama 3.1 8B", "L4", input_tokens=215, output_tokens=198)
    kv = 2 * 32 * 8 * 128 * 2 * (215 + 198)
    assert e.batch == int((24e9 * 0.9 - 8.03e9 * 2) // kv) < 256


def test_a_mixture_of_experts_reads_only_the_experts_it_uses():
    moe = estimator.estimate("Mixtral 8x7B", "H100 SXM", 1, "fp8", 1000, 250, 1)
    dense = estimator.estimate("Llama 3.3 70B", "H100 SXM", 1, "fp8", 1000, 250, 1)
    # at batch 1 Mixtral reads 12.9B parameters, not its 46.7B
    assert moe.step_seconds < dense.step_seconds * 13 / 46
    figures = estimator.figures("Mixtral 8x7B", "H100 SXM", "fp8")
    figures |= {q.name: q.default for q in estimator.CONSTANTS}

    def read(batch: int) -> float:
        q = Numeric(estimator.DEFINITIONS, {**figures, "batch": np.float64(batch)})
        return float(q.weights_read)

    assert read(1) == pytest.approx(12.88e9)
    assert read(10_000) == pytest.approx(46.7e9)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: udfs.GPU_SPEC("H100 SXM", "bf16_dense_tflops"), 989.0),
        (lambda: udfs.GPU_PRICE("H100 SXM", "Lambda"), 4.14),
        (lambda: udfs.GPU_PRICE("H100 SXM", None, None), 4.14),
        (lambda: udfs.MODEL_MEMORY_GB("Llama 3.3 70B", "fp8"), 70.55),
        (lambda: udfs.COST_PER_MILLION_TOKENS(3.99, 15_220), 3.99 / (15_220 * 3600) * 1e6),
        (
            lambda: udfs.THROUGHPUT_ESTIMATE("Llama 3.1 8B", "H100 SXM", 1, "fp16", 128, 128, 1),
            estimator.estimate(
                "Llama 3.1 8B", "H100 SXM", 1, "fp16", 128, 128, 1
            ).requests_per_second,
        ),
        (
            lambda: udfs.GPU_SPEC("H10", "hbm_gb"),
            "#N/A GPU 'H10' could be H100 SXM or H100 PCIe: name one",
        ),
        (lambda: udfs.GPU_SPEC(None, "hbm_gb"), "#VALUE! gpu is required (the cell is blank)"),
        (lambda: udfs.GPU_SPEC(80.0, "hbm_gb"), "#VALUE! gpu must be text (got 80.0)"),
        (
            lambda: udfs.GPU_SPEC([["H100 SXM"]], "hbm_gb"),
            "#VALUE! gpu must be a single cell in GPU_SPEC",
        ),
        (
            lambda: udfs.GPU_SPEC("A10G", "fp8_dense_tflops"),
            "#N/A A10G has no published fp8_dense_tflops",
        ),
        (
            lambda: udfs.TOKENS_PER_SECOND_ESTIMATE("Llama 3.1 8B", "H100 SXM", True),
            "#VALUE! gpus_per_replica must be a number (got TRUE)",
        ),
        (
            lambda: udfs.TOKENS_PER_SECOND_ESTIMATE("Llama 3.1 8B", "H100 SXM", 1, "fp4"),
            "#N/A unknown precision 'fp4'; closest: fp8, fp16",
        ),
        (
            lambda: udfs.MODEL_MEMORY_GB("Llama 9"),
            "#N/A unknown model 'Llama 9'; closest: Llama 3.1 8B, Llama 2 70B, Llama 3.3 70B",
        ),
    ],
)
def test_catalogue_excel_functions(call, expected):
    got = call()
    if isinstance(expected, str):
        assert got == expected
    else:
        assert got == pytest.approx(expected)
    assert udfs.TOKENS_PER_SECOND_ESTIMATE("Qwen2.5 72B", "L4").startswith(
        "#N/A does not fit: Qwen2.5 72B at bf16 needs 145.4 GB"
    )


def test_the_excel_module_loads_no_catalogue_until_asked():
    code = (
        "import sys, llm_breakeven.udfs as u;"
        "print(sorted(m for m in ('llm_breakeven.catalogue', 'llm_breakeven.estimator', "
        "'llm_breakeven.prices', 'genai_prices', 'openpyxl', 'numba', 'llm_breakeven.kernel')"
        " if m in sys.modules));"
        "u.GPU_SPEC('L4', 'hbm_gb'); print('llm_breakeven.catalogue' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_api_prices_agree_with_genai_prices():
    from genai_prices import Usage, calc_price

    from llm_breakeven import prices

    for model, provider in (("gpt-4o", "openai"), ("llama-3.1-8b-instant", "groq"),
                            ("claude-sonnet-4-5", None)):  # fmt: skip
        for kind, usage in (
            ("input", Usage(input_tokens=1000)),
            ("output", Usage(output_tokens=1000)),
            ("cache_read", Usage(input_tokens=1000, cache_read_tokens=1000)),
        ):
            direct = float(calc_price(usage, model, provider_id=provider).total_price) * 1000
            assert prices.api_price(model, kind, provider) == pytest.approx(direct)
    # the base tier, not the long-context one a million-token request would pay ($6 / $22.50)
    assert prices.api_price("claude-sonnet-4-5", "input") == 3.0
    assert prices.api_price("claude-sonnet-4-5", "output") == 15.0
    # the list prices as published: gpt-4o $2.50 in, $10 out, $1.25 cached (per 1M)
    assert [prices.api_price("gpt-4o", k) for k in prices.KINDS] == [2.5, 10.0, 1.25]
    groq = [p for p in prices.search("llama-3.1-8b-instant") if p.provider == "groq"]
    assert [(p.input, p.output) for p in groq] == [(0.05, 0.08)]
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \(genai-prices [\d.]+\)", prices.data_date())
    with pytest.raises(LookupError, match="unknown model 'gpt-4x'; closest: gpt-4, gpt-4o"):
        prices.api_price("gpt-4x")


def test_api_excel_functions_by_hand():
    assert udfs.API_PRICE("gpt-4o", "output", "openai") == 10.0
    # 1,000 in (half cached at $1.25) and 500 out at gpt-4o's list prices
    expected = (500 * 2.5 + 500 * 1.25 + 500 * 10) / 1e6
    assert udfs.MODEL_API_COST_PER_REQUEST("gpt-4o", 1000, 500, 0.5) == pytest.approx(expected)
    assert (
        udfs.API_PRICE("gpt-4o", "outpt")
        == "#N/A unknown price kind 'outpt'; closest: output, input"
    )
    assert udfs.MODEL_API_COST_PER_REQUEST("gpt-4o", -1, 500) == (
        "#VALUE! input_tokens must be at least 0 (got -1)"
    )


def test_a_scenario_may_name_what_to_look_up(tmp_path):
    from llm_breakeven.scenario import Scenario, ScenarioError, load

    named = Scenario(
        name="Groq or an H100", api_model="llama-3.1-8b-instant", api_provider="groq",
        gpu="H100 SXM", gpu_provider="Lambda", model="Llama 3.1 8B", precision="fp8",
        input_tokens=1000, output_tokens=250, monthly_volume=20_000_000,
    )  # fmt: skip
    e = estimator.estimate("Llama 3.1 8B", "H100 SXM", 1, "fp8", 1000, 250)
    assert (named.input_price, named.output_price, named.cached_price) == (0.05, 0.08, 0.05)
    assert named.hourly_rate == pytest.approx(4.14)
    assert named.replica_output_tokens_per_second == pytest.approx(e.tokens_per_second, abs=0.05)
    assert named.sources["hourly_rate"] == (
        "Catalogue: median of 2 on-demand offers for H100 SXM at Lambda, newest seen 2026-09-25"
    )
    assert named.sources["replica_output_tokens_per_second"].startswith("ESTIMATE (roofline")
    assert "data as of 20" in named.sources["input_price"]
    # typed numbers, and typed sources, win over looked-up ones
    typed = named.replace(input_price=0.2, hourly_rate=2.0, replica_throughput=30.0,
                          replica_output_tokens_per_second=None,
                          sources={"hourly_rate": "our contract, 2026-11"})  # fmt: skip
    assert (typed.input_price, typed.hourly_rate, typed.replica_throughput) == (0.2, 2.0, 30.0)
    assert typed.sources["hourly_rate"] == "our contract, 2026-11"
    for bad, message in (
        ({"gpu": "X10"}, "unknown GPU 'X10'; closest: A10G, H100 SXM"),
        ({"api_model": "gpt-4x"}, "unknown model 'gpt-4x'; closest: gpt-4, gpt-4o"),
        ({"precision": "fp8"}, "precision needs model"),
        ({"model": "Qwen2.5 72B", "gpu": "L4", "replica_throughput": None},
         "Qwen2.5 72B at bf16 needs 145.4 GB"),
    ):  # fmt: skip
        article = load().scenarios[0].inputs()
        with pytest.raises(ScenarioError, match=re.escape(message)):
            Scenario(name="Bad", **{**{k: v for k, v in article.items() if v is not None}, **bad})
    # a scenarios file names them too, and the workbook shows where each number came from
    text = (
        '[[scenario]]\nname = "Named"\napi_model = "gpt-4o-mini"\ngpu = "L40S"\n'
        'model = "Llama 3.1 8B"\ninput_tokens = 500\noutput_tokens = 200\n'
        "monthly_volume = 5000000\n"
    )
    from llm_breakeven.scenario import loads

    (scenario,) = loads(text).scenarios
    assert scenario.hourly_rate == catalogue.gpu_price("L40S")
    assert set(scenario.sources) == {"input_price", "output_price", "cached_price",
                                     "hourly_rate", "replica_output_tokens_per_second"}  # fmt: skip


def test_stale_offers_leave_the_median_unless_nothing_fresher_is_seen():
    """Offers seen over STALE_DAYS before the catalogue's newest offer leave a GPU's median,
    and a pick's source says so; where every offer is stale, the median keeps them and the
    source flags it."""
    assert catalogue.catalogue_date().isoformat() == "2026-11-09"
    # L40S: RunPod $0.79 (2026-09-25) beside AWS $1.861 (2025-08-12, 454 days older)
    assert catalogue.gpu_price("L40S") == pytest.approx(0.79)
    assert [o.provider for o in catalogue.priced_offers("L40S")] == ["RunPod"]
    # MI300X: both offers from 2026-05-18, 175 days before: nothing fresher, so both stay
    assert catalogue.gpu_price("MI300X") == pytest.approx((1.5 + 6.0) / 2)
    # a provider named: its offer, however old
    assert catalogue.gpu_price("L40S", provider="AWS") == pytest.approx(1.861)
    from llm_breakeven import lookups

    found: dict = {}
    sources: dict = {}
    lookups._hourly_rate({"gpu": "L40S"}, found, sources)
    assert "(1 stale left out)" in sources["hourly_rate"] and "STALE" not in sources["hourly_rate"]
    lookups._hourly_rate({"gpu": "MI300X"}, found, sources)
    assert (
        "STALE: seen over 120 days before the newest offer (2026-11-09)" in sources["hourly_rate"]
    )
