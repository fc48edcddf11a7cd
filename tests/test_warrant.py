"""No number without a warrant: options, paths and types refused in one line, by name."""

from __future__ import annotations

import re

import numpy as np
import pytest
from click.testing import CliRunner

from llm_breakeven import model, scenario
from llm_breakeven.cli import main
from llm_breakeven.files import FileRefused, write_file
from llm_breakeven.workbook import write_workbook


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sensitivity", "--rows", "utilization=0,-1,2"],
         "--rows: utilization must be greater than 0 (got 0)"),
        (["sensitivity", "--range", "max_utilization=0.5,7"],
         "--range: max_utilization must be between 0 and 1 (got 7)"),
        (["sensitivity", "--range", "hourly_rate=-5,1e308"],
         "--range: hourly_rate must be at least 0 (got -5)"),
        (["sensitivity", "--columns", "monthly_volume=0,5"],
         "--columns: monthly_volume must be greater than 0 (got 0)"),
        (["simulate", "--range", "monthly_volume=-1,2,3"],
         "--range: monthly_volume must be greater than 0 (got -1)"),
    ],
)  # fmt: skip
def test_options_follow_the_rules_of_scenario_files(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_output_without_its_suffix_gets_it_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--output", "budget"])
    assert result.exit_code == 0, result.output
    assert "--output budget has no .xlsx: writing budget.xlsx" in result.output
    assert (tmp_path / "budget.xlsx").exists() and not (tmp_path / "budget").exists()
    wrong = CliRunner().invoke(main, ["build", "--output", "budget.csv"])
    assert wrong.exit_code == 1 and "--output must end in .xlsx (got budget.csv)" in wrong.output
    page = CliRunner().invoke(main, ["report", "--output", "page", "--samples", "100"])
    assert page.exit_code == 0 and (tmp_path / "page.html").exists()


def test_a_missing_folder_or_a_link_to_nowhere_is_refused_never_made(tmp_path):
    link = tmp_path / "dangling.xlsx"
    link.symlink_to(tmp_path / "nowhere" / "x.xlsx")
    with pytest.raises(FileRefused, match=r"a link to .*nowhere/x\.xlsx, which does not exist"):
        write_file(b"data", link)
    with pytest.raises(FileRefused, match=r"the folder .*missing/dir does not exist"):
        write_file(b"data", tmp_path / "missing" / "dir" / "b.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.xlsx"]
    result = CliRunner().invoke(main, ["build", "--output", str(link)])
    assert result.exit_code == 1 and "which does not exist" in result.output
    assert not (tmp_path / "nowhere").exists()


def test_the_python_api_refuses_wrong_types_in_words():
    with pytest.raises(scenario.ScenarioError, match=r"loads takes the text .* \(got None\)"):
        scenario.loads(None)  # type: ignore[arg-type]
    with pytest.raises(scenario.ScenarioError, match=r"load takes the path .* \(got int\)"):
        scenario.load(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"scenarios must be a ScenarioSet \(got str\)"):
        write_workbook("book.xlsx", "scenarios")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"outputs must be names of quantities \(got 3\)"):
        model.evaluate(3, input_tokens=1000)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"replica_monthly_cost must be a number \(got .1000.\)"):
        model.breakeven_volume("1000", 1, 1)  # type: ignore[arg-type]


def test_owning_without_a_purchase_price_is_not_priced_on_any_face():
    import csv
    import io
    import json

    runner = CliRunner()
    records = json.loads(runner.invoke(main, ["compute", "--format", "json"]).stdout)
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(main, ["compute", "--format", "csv"]).stdout))
    )
    owning = ("buy_payback_months", "buy_monthly_savings", "own_monthly_cost", "owned_monthly_cost")
    for record, row in zip(records, rows, strict=True):
        if record["purchase_price"] > 0:  # the owned-H100 example: priced on every face
            assert record["buy_payback_months"] == pytest.approx(16.7955739625313)
            assert float(row["buy_payback_months"]) == pytest.approx(16.7955739625313)
        else:  # not 0 months, nor the whole rent saved
            assert all(record[k] is None for k in owning), record
            assert all(row[k] == "" for k in owning), row
    assert sum(r["purchase_price"] > 0 for r in records) == 1


SLIPS = """
[[scenario]]
name = "slips"
input_tokens = 1000
output_tokens = 500
input_price = 0.0000005
output_price = 1.5
hourly_rate = 1460
replica_output_tokens_per_second = 2
monthly_volume = 3000000
"""


def test_likely_unit_slips_are_named_on_stderr_and_do_not_block(tmp_path):
    path = tmp_path / "slips.toml"
    path.write_text(SLIPS, encoding="utf-8")
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: slips: input_price 5e-07 looks like a price per token: per 1M tokens that is 0.5",
        "warning: slips: hourly_rate 1460 looks like a price per GPU-month: per GPU-hour that is 2",
        "warning: slips: replica_output_tokens_per_second 2 looks like requests per second: "
        "give it as replica_throughput",
    ]
    assert result.stdout.startswith("scenario,")  # the CSV still comes, on stdout
    quiet = CliRunner().invoke(main, ["compute", "--format", "csv"])
    assert "warning" not in quiet.stderr  # the default scenarios are plausible


def test_no_output_tokens_with_a_throughput_in_tokens_is_refused_on_every_face(tmp_path):
    message = ("output_tokens must be greater than 0 when replica_output_tokens_per_second is "
               "given (got 0)")  # fmt: skip
    article = dict(input_tokens=1000, input_price=0.5, output_price=1.5, hourly_rate=2,
                   monthly_volume=3_000_000)  # fmt: skip
    with pytest.raises(ValueError, match=re.escape(message)):
        model.evaluate(**article, output_tokens=[500, 0], replica_output_tokens_per_second=2000)
    with pytest.raises(ValueError, match=re.escape(message)):
        model.hybrid(**article, output_tokens=0, replica_output_tokens_per_second=2000)
    # in requests per second, a request that generates nothing is fine
    fine = model.evaluate(["breakeven_volume"], **article, output_tokens=0, replica_throughput=2)
    assert float(fine["breakeven_volume"]) == pytest.approx(1440 / 0.0005 * 730 / 720)
    path = tmp_path / "zero.toml"
    lines = [f"{k} = {v}" for k, v in article.items()]
    path.write_text("[[scenario]]\nname = 'zero'\noutput_tokens = 0\n"
                    "replica_output_tokens_per_second = 2000\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path)])
    assert result.exit_code == 1 and message in result.output


def test_a_large_fleet_builds_and_only_a_fleet_past_the_searches_is_refused(tmp_path):
    from llm_breakeven.workbook.shape import SPAN_CHECK

    # the article example at 2 billion requests a month: 2e9 / (2 req/s x 3,600 s x 720 h)
    # = 385.8, so 386 replicas: compute and build both take it
    article = ("input_tokens = 1000\noutput_tokens = 500\ninput_price = 0.5\n"
               "output_price = 1.5\nhourly_rate = 2\nreplica_throughput = 2\n"
               "hours_per_month = 720\n")  # fmt: skip
    path = tmp_path / "big.toml"
    path.write_text(f"[[scenario]]\nname = 'Big'\n{article}monthly_volume = 2e9\n",
                    encoding="utf-8")  # fmt: skip
    computed = CliRunner().invoke(main, ["compute", "--scenarios", str(path), "--format", "json"])
    assert computed.exit_code == 0, computed.output
    assert '"replicas_needed": 386' in computed.output.replace(".0,", ",")
    built = CliRunner().invoke(main, ["build", "--scenarios", str(path), "--output",
                                      str(tmp_path / "big.xlsx")])  # fmt: skip
    assert built.exit_code == 0, built.output
    # 2^24 replicas and more: 2^25 x 5,184,000 requests a month (about 1.7e14)
    path.write_text(f"[[scenario]]\nname = 'Huge'\n{article}monthly_volume = 1.8e14\n",
                    encoding="utf-8")  # fmt: skip
    computed = CliRunner().invoke(main, ["compute", "--scenarios", str(path)])
    assert computed.exit_code == 0, computed.output
    built = CliRunner().invoke(main, ["build", "--scenarios", str(path), "--output",
                                      str(tmp_path / "huge.xlsx")])  # fmt: skip
    assert built.exit_code == 1
    assert "scenario 'Huge': its hybrid searches span 34,722,223 replicas" in built.output
    assert f'(its check "{SPAN_CHECK}" would fail)' in built.output
    assert not (tmp_path / "huge.xlsx").exists()


#: the article's example (its own volume set by each test)
ARTICLE_INPUTS = dict(input_tokens=1000, output_tokens=500, input_price=0.5, output_price=1.5,
                      hourly_rate=2, replica_throughput=2, hours_per_month=720)  # fmt: skip


@pytest.mark.parametrize("degenerate", [
    {"monthly_volume": 0.0},
    {"monthly_volume": 0.0, "billing_mode": "scale-to-zero"},
    {"input_price": 0.0, "output_price": 0.0, "billing_mode": "scale-to-zero"},
    {"hourly_rate": 0.0, "billing_mode": "scale-to-zero"},
    {"input_tokens": 0.0},
])  # fmt: skip
def test_degenerate_but_valid_inputs_give_numbers_or_never_not_nan(degenerate):
    inputs = {**ARTICLE_INPUTS, "monthly_volume": 1e6, "hourly_profile": [1] * 12 + [0] * 12,
              **degenerate}  # fmt: skip
    found = {**model.evaluate(**inputs), **model.hybrid(**inputs),
             **model.cost_waterfall(**inputs)}  # fmt: skip
    numbers = {k: np.asarray(v) for k, v in found.items() if np.asarray(v).dtype.kind == "f"}
    assert not [k for k, v in numbers.items() if np.isnan(v).any()]
