"""The compiled loop over rows (`llm_breakeven.kernel`): numpy's figures, bit for bit.

Large evaluations run the definitions as one numba loop; small ones, and machines without
numba, run them with numpy. Every output is compared across the two readings on random
scenarios of every row class (each row its own day or week profile, some hours empty, a
profile shared by all rows, blank cached prices, either throughput), and bad rows must be
refused with the words of the small path.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from llm_breakeven import benchmark, kernel, model
from llm_breakeven.model import evaluation
from llm_breakeven.quantities import FIELDS, OUTPUTS
from llm_breakeven.sampling import sample

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("numba") is None, reason="numba is not installed"
)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 512 rows: a few thousand rows take the compiled path, and several chunks."""
    monkeypatch.setattr(evaluation, "CHUNK_ROWS", 512)


def _numpy_only(monkeypatch, call):
    with monkeypatch.context() as patch:
        patch.setenv("LLM_BREAKEVEN_KERNEL", "0")
        return call()


def _same(a: object, b: object) -> bool:
    x, y = np.asarray(a), np.asarray(b)
    if x.dtype == object or y.dtype == object:
        return x.shape == y.shape and bool(np.all(x.astype(str) == y.astype(str)))
    return x.shape == y.shape and bool(np.all((x == y) | (np.isnan(x) & np.isnan(y))))


def _scenarios(rows: int, seed: int, hours: int | None) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = sample(rows, seed)
    rng = np.random.default_rng(seed)
    if hours is not None:  # each row its own profile, a quarter of its hours empty
        profile = rng.uniform(0, 4, (rows, hours)) * (rng.uniform(size=(rows, hours)) > 0.25)
        profile[:, 3] += 1.0
        columns["hourly_profile"] = profile
    return columns


@pytest.mark.parametrize("hours", [None, 24, 168])
def test_every_output_of_the_compiled_loop_equals_numpy_bit_for_bit(small_chunks, monkeypatch,
                                                                     hours):  # fmt: skip
    assert evaluation._compiled(OUTPUTS) is not None
    columns = _scenarios(2_600, seed=hours or 0, hours=hours)
    compiled = model.evaluate(**columns)
    plain = _numpy_only(monkeypatch, lambda: model.evaluate(**columns))
    different = [name for name in OUTPUTS if not _same(compiled[name], plain[name])]
    assert different == []


@pytest.mark.parametrize("row_class", ["flat", "hourly always-on", "scale-to-zero", "owned"])
def test_each_row_class_with_a_shared_profile_equals_numpy(small_chunks, monkeypatch, row_class):
    columns = benchmark.row_class(row_class, 3_000, seed=5)
    compiled = model.evaluate(benchmark.HEADLINE, **columns)
    plain = _numpy_only(monkeypatch, lambda: model.evaluate(benchmark.HEADLINE, **columns))
    assert all(_same(compiled[n], plain[n]) for n in benchmark.HEADLINE)
    # and the headline against the plain-numpy reference written apart from the definitions
    reference = benchmark.reference_headline(columns)
    assert benchmark.largest_difference(compiled, reference) < 1e-12


def test_the_article_example_on_many_rows(small_chunks):
    # 1,000/500 tokens at $0.50/$1.50 per 1M, one $2/h GPU at 2 req/s over 720 h: the API
    # costs $0.00125 a request, a replica $1,440 a month; break-even at 1,152,000 requests
    rows = 2_000
    result = model.evaluate(
        ["api_cost_per_request", "replica_monthly_cost", "breakeven_volume", "cheaper_option"],
        input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
        hourly_rate=2, replica_throughput=2, hours_per_month=720,
        monthly_volume=np.linspace(100_000, 5_000_000, rows),
    )  # fmt: skip
    assert np.all(result["api_cost_per_request"] == 0.00125)
    assert np.all(result["replica_monthly_cost"] == 1440)
    assert np.all(result["breakeven_volume"] == 1_152_000)
    assert set(result["cheaper_option"]) == {"API", "Break-even", "Self-host"}


@pytest.mark.parametrize(
    ("name", "bad", "message"),
    [
        ("max_utilization", 1.5, "max_utilization must be between 0 and 1 (got 1.5)"),
        ("hourly_rate", np.nan, "hourly_rate must be a finite number (got nan)"),
        ("hourly_rate", np.inf, "hourly_rate must be a finite number (got inf)"),
        ("failover_replicas", 1.5, "failover_replicas must be a whole number at least 0"),
        ("monthly_volume", -1.0, "monthly_volume must be at least 0 (got -1)"),
    ],
)
def test_a_bad_row_deep_in_a_large_sweep_is_named_as_on_one_row(small_chunks, name, bad,
                                                                  message):  # fmt: skip
    columns = _scenarios(3_000, seed=9, hours=None)
    columns[name] = columns[name].copy()
    columns[name][2_345] = bad
    with pytest.raises(ValueError, match=f"^{message}".replace("(", r"\(").replace(")", r"\)")):
        model.evaluate(benchmark.HEADLINE, **columns)
    with pytest.raises(ValueError, match=f"^{name} must"):
        model.evaluate(benchmark.HEADLINE, **{k: v[2_345] for k, v in columns.items()})


def test_blanks_pass_where_a_blank_is_allowed(small_chunks):
    columns = _scenarios(3_000, seed=10, hours=None)
    columns["cached_price"] = np.full(3_000, np.nan)  # blank: the input price
    result = model.evaluate(["api_cost_per_request"], **columns)
    assert np.all(np.isfinite(result["api_cost_per_request"]))


def test_unchecked_callers_get_figures_for_rows_they_marked_bad(small_chunks):
    columns = _scenarios(3_000, seed=11, hours=None)
    columns["hourly_rate"] = columns["hourly_rate"].copy()
    columns["hourly_rate"][7] = np.nan
    with model.unchecked():
        result = model.evaluate(["replica_monthly_cost"], **columns)["replica_monthly_cost"]
    assert np.isnan(result[7]) and np.isfinite(np.delete(result, 7)).all()


def test_hour_sums_are_numpys_pairwise_sums():
    helpers = kernel._load(kernel._HELPERS)
    rng = np.random.default_rng(3)
    for hours in (1, 5, 8, 24, 127, 128, 129, 168, 200, 256):
        for _ in range(20):
            weights = rng.uniform(0, 1e6, hours) ** rng.uniform(0.5, 2)
            assert helpers._hour_sum(weights) == np.sum(weights), hours
            assert helpers._hour_max(weights) == np.max(weights)
    assert np.isnan(helpers._hour_max(np.array([1.0, np.nan, 2.0])))


def test_without_numba_the_engine_stays_on_numpy(small_chunks, monkeypatch):
    monkeypatch.setattr(kernel, "_COMPILED", {})
    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "numba" else found(name, *a)
    )
    assert evaluation._compiled(benchmark.HEADLINE) is None
    columns = _scenarios(2_000, seed=12, hours=24)
    result = model.evaluate(benchmark.HEADLINE, **columns)
    row = model.evaluate(benchmark.HEADLINE, **{k: v[1_999] for k, v in columns.items()})
    assert all(_same(result[n][1_999], row[n]) for n in benchmark.HEADLINE)


def test_a_definition_the_loop_cannot_read_leaves_it_to_numpy():
    definitions = {"ranked": lambda q, f: f.hour_sum(f.tail_shares(q.hourly_profile))}
    with pytest.raises(kernel.Unsupported):
        kernel.render(("ranked",), definitions, lambda n: True, evaluation.default_of, {})
    assert (
        kernel.compiled(("ranked",), definitions, lambda n: True, evaluation.default_of, {}) is None
    )


def test_loops_are_kept_in_the_cache_folder_and_survive_an_unwritable_one(monkeypatch, tmp_path):
    monkeypatch.setattr(kernel, "_COMPILED", {})
    monkeypatch.setenv("LLM_BREAKEVEN_CACHE", str(tmp_path / "kernels"))
    names = ("api_cost_per_request",)
    inputs = {n: q.default for n, q in FIELDS.items() if q.default is not None}
    loop = evaluation._compiled(names)
    assert loop is not None and loop.inputs[-1] == "hourly_profile"
    written = list((tmp_path / "kernels").glob("llm_breakeven_rows_*.py"))
    assert len(written) == 1 and "def rows(" in written[0].read_text()
    assert not list((tmp_path / "kernels").glob(".*.tmp"))  # no half-written file left
    # a file where the folder should be: compiled in a private temporary folder instead
    monkeypatch.setattr(kernel, "_COMPILED", {})
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("LLM_BREAKEVEN_CACHE", str(blocked))
    loop = evaluation._compiled(names)
    assert loop is not None
    out = [np.empty(3)]
    given = {**inputs, "input_tokens": np.array([1000.0, 2000, 0]), "output_tokens": 500.0,
             "input_price": 0.5, "output_price": 1.5}  # fmt: skip
    assert loop(
        loop.held({n: given.get(n, evaluation.default_of(n)) for n in loop.inputs}), 0, 3, out
    )
    assert out[0].tolist() == [0.00125, 0.00175, 0.00075]
