"""Computing only what is asked, in chunks, with choices as codes: the same figures, bit for bit.

The engine's figures here are compared with themselves computed another way (all outputs at
once, a row at a time, texts instead of codes) and with `benchmark.reference_headline`, the
headline arithmetic written in plain numpy apart from the engine's definitions.
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from llm_breakeven import benchmark, model, sensitivity
from llm_breakeven.cli import main
from llm_breakeven.quantities import FIELDS, OUTPUTS
from llm_breakeven.sampling import sample


def _mixed(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Random scenarios, each with its own day profile (some hours empty), every billing mode."""
    columns: dict[str, np.ndarray] = sample(rows, seed)
    rng = np.random.default_rng(seed)
    profile = rng.uniform(0, 4, (rows, 24)) * (rng.uniform(size=(rows, 24)) > 0.25)
    profile[:, 12] += 1.0
    columns["hourly_profile"] = profile
    return columns


def _same(a: object, b: object) -> bool:
    x, y = np.asarray(a), np.asarray(b)
    if x.dtype == object or y.dtype == object:
        return x.shape == y.shape and bool(np.all(x.astype(str) == y.astype(str)))
    return x.shape == y.shape and bool(np.all((x == y) | (np.isnan(x) & np.isnan(y))))


def test_asking_for_some_outputs_gives_exactly_those_of_the_whole_evaluation():
    columns = _mixed(3_000, seed=1)
    everything = model.evaluate(**columns)
    for names in (["breakeven_volume"], ["cheaper_option", "signals_lean_api"], benchmark.HEADLINE,
                  ["billed_hours_per_replica", "signals_api", "buy_payback_months"]):  # fmt: skip
        some = model.evaluate(names, **columns)
        assert list(some) == list(names)
        assert all(_same(some[n], everything[n]) for n in names), names


def test_chunks_give_what_one_row_at_a_time_gives():
    rows = model.CHUNK_ROWS * 2 + 123  # three chunks, the last one short
    columns = _mixed(rows, seed=2)
    chunked = model.evaluate(**columns)
    assert all(np.shape(chunked[n]) == (rows,) for n in OUTPUTS)
    for i in (0, model.CHUNK_ROWS - 1, model.CHUNK_ROWS, rows - 1, 777, 40_000):
        one = model.evaluate(**{k: v[i] for k, v in columns.items()})
        assert all(_same(chunked[n][i], one[n]) for n in OUTPUTS), i


def test_a_profile_shared_by_every_row_goes_whole_to_each_chunk():
    rows = model.CHUNK_ROWS + 10
    columns = benchmark.row_class("scale-to-zero", rows)
    chunked = model.evaluate(["billed_hours_per_replica"], **columns)["billed_hours_per_replica"]
    tail = {k: v[-10:] if np.ndim(v) == 1 and len(v) == rows else v for k, v in columns.items()}
    alone = model.evaluate(["billed_hours_per_replica"], **tail)["billed_hours_per_replica"]
    assert _same(chunked[-10:], alone)
    # the business day idles at night: most rows bill fewer hours than always-on would
    assert np.all(chunked <= columns["hours_per_month"])
    assert np.mean(chunked < columns["hours_per_month"]) > 0.5


def test_only_the_rows_that_bill_by_the_hour_take_the_hourly_pass():
    # one scale-to-zero row among always-on rows: its billed hours by hand, the others 730
    profile = [1.0] * 12 + [3.0] * 12
    got = model.evaluate(
        ["billed_hours_per_replica"], input_tokens=1000, output_tokens=500, input_price=0.5,
        output_price=1.5, hourly_rate=2, replica_throughput=2, monthly_volume=5_110_000,
        hourly_profile=profile, billing_mode=["always-on", "scale-to-zero", "always-on"],
    )["billed_hours_per_replica"]  # fmt: skip
    # 5.11M a month is 3,500 requests in a quiet hour and 10,500 in a busy one; a replica
    # serves 7,200 an hour, so one runs in the quiet half of the day and two in the busy
    # half: (12 x 1 + 12 x 2) / 24 x 730 = 1,095 replica-hours over the 2 replicas the peak
    # needs, 547.5 hours each
    assert got.tolist() == [730.0, pytest.approx(547.5, rel=1e-12), 730.0]


def test_choice_codes_give_the_figures_of_the_texts():
    columns = _mixed(2_000, seed=3)
    coded = {
        name: model.choice_codes(name, values) if FIELDS[name].choices else values
        for name, values in columns.items()
        if name in FIELDS
    }
    coded["hourly_profile"] = columns["hourly_profile"]
    texts, codes = model.evaluate(**columns), model.evaluate(**coded)
    assert all(_same(texts[n], codes[n]) for n in OUTPUTS)
    assert set(texts["cheaper_option"]) <= {"API", "Break-even", "Self-host"}


def test_bad_codes_and_unknown_outputs_are_refused_by_name():
    article = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                   hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000)  # fmt: skip
    with pytest.raises(ValueError, match="billing_mode codes must be those of choice_codes"):
        model.evaluate(**article, billing_mode=np.array([0, 9], dtype=np.int8))
    with pytest.raises(ValueError, match="'breakeven_volumes' is not a quantity"):
        model.evaluate(["breakeven_volumes"], **article)
    with pytest.raises(ValueError, match="ownership must be one of rent, buy"):
        model.choice_codes("ownership", ["rent", "lease"])
    # an input the asked outputs read is still checked
    with pytest.raises(ValueError, match="hourly_rate"):
        model.evaluate(["breakeven_volume"], **{**article, "hourly_rate": -2})


@pytest.mark.parametrize("row_class", ["flat", "hourly always-on", "active window",
                                       "scale-to-zero", "owned"])  # fmt: skip
def test_the_benchmarks_plain_numpy_reference_agrees_with_the_engine(row_class):
    columns = benchmark.row_class(row_class, 5_000, seed=4)
    engine = model.evaluate(benchmark.HEADLINE, **columns)
    assert benchmark.largest_difference(engine, benchmark.reference_headline(columns)) < 1e-12


def test_the_reference_agrees_on_the_mixed_sweep_and_is_not_trivially_equal():
    columns = benchmark.sweep(20_000, seed=5)
    engine = model.evaluate(benchmark.HEADLINE, **columns)
    reference = benchmark.reference_headline(columns)
    assert benchmark.largest_difference(engine, reference) < 1e-12
    # the comparison can fail: one changed figure is seen
    reference["replica_monthly_cost"][7] *= 1 + 1e-9
    assert benchmark.largest_difference(engine, reference) > 1e-10
    assert 0.1 < np.mean(np.isinf(reference["breakeven_volume"])) < 0.9  # both kinds of rows


def test_a_large_grid_is_computed_in_blocks_with_progress():
    article = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                   hourly_rate=2, replica_throughput=2, monthly_volume=1_296_000,
                   hours_per_month=720)  # fmt: skip
    rates = np.linspace(0.5, 4, 7)
    volumes = np.linspace(1e5, 1e7, sensitivity.CHUNK // 3)  # three rows a block
    told: list[int] = []
    big = sensitivity.grid(
        article, ("hourly_rate", rates), ("monthly_volume", volumes), told.append
    )
    assert told == [3, 6, 7]
    small = sensitivity.grid(article, ("hourly_rate", rates), ("monthly_volume", volumes[:5]))
    assert np.array_equal(big.to_numpy()[:, :5], small.to_numpy())


def test_no_progress_bar_where_stderr_is_not_a_terminal(tmp_path):
    result = CliRunner().invoke(main, ["report", "--output", str(tmp_path / "r.html"),
                                       "--samples", "1000"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{tmp_path / 'r.html'}: written"
