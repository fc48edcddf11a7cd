"""The command line, end to end, including bad input files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from llm_breakeven import __version__, macros
from llm_breakeven.cli import main
from llm_breakeven.quantities import QUANTITIES
from llm_breakeven.scenario import DEFAULT_SCENARIOS, load
from llm_breakeven.terminal import HEADLINE
from llm_breakeven.workbook import build, workbook_bytes


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_help_everywhere(run):
    for command in ([], ["build"], ["compute"], ["macros"], ["benchmark"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
    assert run("--version").output.strip() == f"llm-breakeven, version {__version__}"


def test_build_writes_the_workbook_and_prints_headlines(run, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "book.xlsx"
    result = run("build", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == workbook_bytes(build(load()))
    assert f"{out}: written" in result.output
    assert "1,152,000" in result.output and "13,941,333" in result.output
    assert run("build", "--output", str(out)).output.startswith(f"{out}: unchanged")


def test_build_keeps_a_backup_of_an_edited_workbook(run, tmp_path):
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"my edits")
    result = run("build", "--output", str(out))
    assert "kept the previous file as" in result.output
    assert (tmp_path / "book.backup-1.xlsx").read_bytes() == b"my edits"


def test_build_from_another_scenarios_file(run, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    scenarios = tmp_path / "mine.toml"
    scenarios.write_text(
        DEFAULT_SCENARIOS.read_text().replace("hourly_rate = 2.00", "hourly_rate = 4.00", 1)
    )
    result = run("build", "--scenarios", str(scenarios), "--output", str(tmp_path / "b.xlsx"))
    assert result.exit_code == 0
    assert "2,304,000" in result.output  # twice the GPU rate, twice the break-even volume


def test_compute_shows_every_figure_whole_at_80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = CliRunner().invoke(main, ["compute"])
    assert table.exit_code == 0 and "…" not in table.output
    for figure in ("$0.001250", "-$5,726.67", "13,941,333", "15,093,333", "50,324,697", "29.9%"):
        assert figure in table.output


def _many(tmp_path, count: int):
    """A scenarios file of `count` scenarios: the default three over and over, renamed, each at
    its own volume so that every scenario's figures differ."""
    base = DEFAULT_SCENARIOS.read_text(encoding="utf-8").split("[[scenario]]")
    head, bodies = base[0], base[1:]
    parts = []
    for k in range(count):
        body = bodies[k % len(bodies)]
        body = re.sub(r'name = "[^"]*"', f'name = "Team {k + 1:03d} scenario"', body, count=1)
        body = re.sub(r"monthly_volume = \d+", f"monthly_volume = {1_000_000 + 7_919 * k}", body)
        # sources say nothing here, and 500 scenarios with theirs pass the 1 MB limit
        body = re.sub(r"\[scenario\.sources\]\n(.*\n)*?(?=\n|\Z)", "", body)
        parts.append(body)
    path = tmp_path / f"many-{count}.toml"
    path.write_text(head + "".join("[[scenario]]" + p for p in parts), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("columns", "count"), [(80, 1), (80, 5), (80, 13), (60, 20), (120, 20), (80, 500), (30, 4)]
)
def test_compute_shows_every_figure_at_any_width_and_count(tmp_path, monkeypatch, columns, count):
    monkeypatch.setenv("COLUMNS", str(columns))
    path = _many(tmp_path, count)
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path)])
    assert result.exit_code == 0 and "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= columns
    expected = load(path).evaluate()
    shown = result.output
    for key in HEADLINE:
        unit = QUANTITIES[key].unit
        for value in expected[key]:
            assert unit.show(value) in shown, (key, value)
    # every scenario's own volume is unique: its savings figure appears once per scenario
    savings = [QUANTITIES["monthly_savings"].unit.show(v) for v in expected["monthly_savings"]]
    assert all(shown.count(figure) >= savings.count(figure) for figure in savings)


def test_compute_says_where_the_verdict_alternates(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # every default scenario side by side
    text = DEFAULT_SCENARIOS.read_text(encoding="utf-8")
    # the article fully loaded at 14.6M: between its break-evens (13,941,333 and 15,093,333)
    text = text.replace(
        "monthly_volume = 1296000\nmax_utilization", "monthly_volume = 14600000\nmax_utilization"
    )
    path = tmp_path / "band.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path)])
    lines = {
        line.split("  ")[1].strip(): line for line in result.output.splitlines() if "  " in line
    }
    assert lines["Verdict alternates at this volume?"].split()[-5:] == ["no", "yes", "no", "no",
                                                                         "no"]  # fmt: skip
    assert (
        "Article, fully loaded: the own volume lies between the break-even and the sustained"
        in (" ".join(result.output.split()))
    )
    records = json.loads(CliRunner().invoke(main, ["compute", "--scenarios", str(path),
                                                   "--format", "json"]).output)  # fmt: skip
    assert [r["in_alternating_band"] for r in records] == [False, True, False, False, False]


def test_compute_formats(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    table = run("compute")
    assert table.exit_code == 0
    lines = {
        line.split("  ")[1].strip(): line for line in table.output.splitlines() if "  " in line
    }
    # the article's figures, by row of the people's table (labels from the catalogue)
    assert "$0.001250" in lines["API cost per request"]
    assert "$0.001111" in lines["Self-host cost per request"]
    assert "$180.00" in lines["Monthly savings from self-hosting"]
    assert "-$5,726.67" in lines["Monthly savings from self-hosting"]
    assert "1,152,000" in lines["Break-even volume"] and "13,941,333" in lines["Break-even volume"]
    assert lines["Cheaper option"].split()[2:4] == ["Break-even", "API"]
    assert "29.9%" in lines["Break-even utilization (billed replicas)"]
    assert "15,093,333" in lines["Sustained break-even volume"]
    rows = list(csv.DictReader(io.StringIO(run("compute", "--format", "csv").output)))
    assert [r["scenario"] for r in rows] == [s.name for s in load().scenarios]
    assert float(rows[0]["breakeven_volume"]) == pytest.approx(1_152_000)
    records = json.loads(run("compute", "--format", "json").output)
    assert records[1]["cheaper_option"] == "API"
    assert records[1]["breakeven_volume"] == pytest.approx(13_941_333.33, rel=1e-9)


def test_compute_reports_never(run, tmp_path):
    scenarios = tmp_path / "never.toml"
    scenarios.write_text(
        DEFAULT_SCENARIOS.read_text().replace(
            "replica_throughput = 2.0", "replica_throughput = 0.3"
        )
    )
    assert "never" in run("compute", "--scenarios", str(scenarios)).output
    rows = list(
        csv.DictReader(
            io.StringIO(run("compute", "--scenarios", str(scenarios), "--format", "csv").output)
        )
    )
    assert rows[0]["breakeven_volume"] == "never"
    records = json.loads(run("compute", "--scenarios", str(scenarios), "--format", "json").output)
    assert records[0]["breakeven_volume"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[scenario]]\nname = 'x'\n", "Error: bad.toml: scenario 'x': input_tokens is required"),
        ("[[scenario\n", "Error: bad.toml: not valid TOML"),
        (None, "Error: {path}: no such scenarios file"),
    ],
)
def test_bad_input_files_give_one_line_and_a_non_zero_exit(run, tmp_path, content, message):
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content)
    for command in ("build", "compute"):
        out = tmp_path / "never-written.xlsx"
        result = run(
            command,
            "--scenarios",
            str(path),
            *(["--output", str(out)] if command == "build" else []),
        )
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            message.format(path=path)
        ] or result.output.startswith(message.format(path=path))
        assert len(result.output.strip().splitlines()) == 1
        assert not out.exists()


def test_bad_option_values_exit_with_usage_errors(run):
    assert run("compute", "--format", "xml").exit_code == 2
    assert run("benchmark", "--rows", "5").exit_code == 2


def test_build_and_macros_write_into_the_current_directory(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("build").exit_code == 0
    assert (tmp_path / "llm-breakeven.xlsx").read_bytes() == workbook_bytes(build(load()))
    assert run("macros").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "macros").iterdir()) == sorted(
        [macros.UDFS_FILE, macros.REGISTER_FILE]
    )


def test_macros_writes_the_committed_files(run, tmp_path):
    result = run("macros", "--output-dir", str(tmp_path))
    assert result.exit_code == 0
    for name in (macros.UDFS_FILE, macros.REGISTER_FILE):
        assert (tmp_path / name).read_bytes() == (REPO / "macros" / name).read_bytes()
        assert b"\r\n" in (tmp_path / name).read_bytes()


def test_console_script_is_installed():
    exe = shutil.which("llm-breakeven")
    command = [exe] if exe else [sys.executable, "-m", "llm_breakeven.cli"]
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, check=True)
    assert "build" in done.stdout and "compute" in done.stdout


def test_an_unwritable_output_names_the_path(run, tmp_path):
    result = run("build", "--output", "/proc/llm-breakeven-test.xlsx")
    assert result.exit_code == 1
    assert result.output.startswith("Error: /proc/llm-breakeven-test.xlsx: ")
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["=1+1", '=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"])
def test_csv_makes_formula_text_inert(tmp_path, name):
    text = DEFAULT_SCENARIOS.read_text(encoding="utf-8").replace(
        '"Article example"', json.dumps(name), 1
    )
    path = tmp_path / "formula.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["scenario"] == "'" + name
    # numbers are numbers: a negative saving is not escaped
    assert rows[1]["monthly_savings"].startswith("-5726.66")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("\tx", "0009"),
        ("\rx", "000D"),
        ("a\u0007", "0007"),
        ("a\ufffe", "FFFE"),
        ("a\U0010ffff", "10FFFF"),
    ],
)
def test_control_and_non_characters_in_a_name_are_refused(tmp_path, name, code):
    text = DEFAULT_SCENARIOS.read_text(encoding="utf-8").replace(
        '"Article example"', json.dumps(name, ensure_ascii=False), 1
    )
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    for command in (["compute"], ["build", "--output", str(tmp_path / "b.xlsx")]):
        result = CliRunner().invoke(main, [*command, "--scenarios", str(path)])
        assert result.exit_code == 1
        assert result.output.startswith(
            f"Error: bad.toml: name must be printable text (got U+{code}"
        )
    assert not (tmp_path / "b.xlsx").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "/dev/zero: not a regular file"),
        (b"a" * 1_000_001, "larger than 1 MB"),
        (b"\x7fELF\x00\x01", "binary data, not a TOML text file"),
        (b"name = \xff\n", "not UTF-8 text (byte 7)"),
    ],
)
def test_a_scenarios_file_that_is_not_one_is_refused_in_one_line(tmp_path, content, message):
    path = Path("/dev/zero") if content is None else tmp_path / "bad.toml"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path)])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith("Error: ") and message in line, line


def test_a_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + DEFAULT_SCENARIOS.read_bytes())
    assert load(path) == load()


def test_any_console_encoding_prints(tmp_path):
    text = DEFAULT_SCENARIOS.read_text(encoding="utf-8").replace(
        '"Article example"', '"Équipe 東京 🚀"', 1
    )
    path = tmp_path / "intl.toml"
    path.write_text(text, encoding="utf-8")
    for encoding in ("cp1252", "ascii"):
        result = subprocess.run(
            [sys.executable, "-m", "llm_breakeven.cli", "compute", "--scenarios", str(path)],
            capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert b"1,152,000" in result.stdout
        assert b"\\u6771\\u4eac" in result.stdout or "東京".encode() in result.stdout


def test_numpy_numbers_make_a_scenario():
    import numpy as np

    from llm_breakeven.scenario import Scenario

    article = load().scenarios[0]
    numpy = article.replace(input_tokens=np.int64(1000), hourly_rate=np.float32(2.0))
    assert numpy.evaluate()["breakeven_volume"] == pytest.approx(1_152_000)
    assert isinstance(numpy, Scenario)


def test_estimate_prints_the_estimate_its_band_and_memory(monkeypatch):
    from llm_breakeven import estimator

    monkeypatch.setenv("COLUMNS", "120")
    args = ["estimate", "--model", "llama 3.1 8b", "--gpu", "H100 SXM", "--precision", "fp8"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    e = estimator.estimate("Llama 3.1 8B", "H100 SXM", 1, "fp8")
    low, high = e.band
    assert result.output.startswith("ESTIMATE (roofline calibrated")
    assert f"{e.tokens_per_second:,.0f}  ({low:,.0f} to {high:,.0f})" in result.output
    assert "weights 8.0 GB" in result.output and "memory-bound" in result.output
    bad = CliRunner().invoke(main, ["estimate", "--model", "Qwen2.5 72B", "--gpu", "L4"])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: Qwen2.5 72B at bf16 needs 145.4 GB of weights")


def test_gpus_lists_offers_newest_first_with_stale_ones_marked(monkeypatch):
    import datetime as dt

    from llm_breakeven import catalogue

    monkeypatch.setattr(catalogue, "current_date", lambda: dt.date(2026, 12, 2))
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(main, ["gpus", "--gpu", "l40s", "--stale-after", "365"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "L40S" in line]
    assert len(rows) == 5
    assert "2025-09-25" not in result.output  # only L40S offers
    assert "0.79" in rows[0] and "2026-09-25" in rows[0]  # RunPod, the newest
    # on 2026-12-02 AWS's offers seen 2025-08-12 are 477 days old: stale after 365
    assert "stale" not in rows[0] and all("stale" in r for r in rows[1:])
    longer = CliRunner().invoke(main, ["gpus", "--gpu", "L40S", "--stale-after", "500"]).output
    assert not [line for line in longer.splitlines() if "L40S" in line and "stale" in line]
    unknown = CliRunner().invoke(main, ["gpus", "--gpu", "H10"])
    assert unknown.exit_code == 1
    assert "GPU 'H10' could be H100 SXM or H100 PCIe: name one" in unknown.output
    # any case, spacing or punctuation, and the start of a single entry
    for spelled in ("a100 sxm 80gb", "A100-SXM-80GB", "mi300", "l40s"):
        found = CliRunner().invoke(main, ["gpus", "--gpu", spelled])
        assert found.exit_code == 0, (spelled, found.output)


def test_prices_searches_api_models(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = CliRunner().invoke(main, ["prices", "llama-3.1-8b-instant"])
    assert result.exit_code == 0, result.output
    assert "data as of 20" in result.output
    (groq,) = [line for line in result.output.splitlines() if "groq" in line and "instant" in line]
    assert groq.split("│")[3:5] == [" 0.050 ", "  0.080 "] or ("0.050" in groq and "0.080" in groq)
    none = CliRunner().invoke(main, ["prices", "no-such-model-xyz"])
    assert none.exit_code == 1 and "no API model matches 'no-such-model-xyz'" in none.output


# --- the decision commands --------------------------------------------------------------------


def test_project_csv_is_the_engines_projection(run):
    from llm_breakeven import projection

    result = run("project", "--scenario", "Llama 3.1 8B on H100", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    scenario = next(s for s in load().scenarios if s.name == "Llama 3.1 8B on H100")
    table = projection.project(scenario.inputs())
    assert len(rows) == len(table) == 36
    for row, want in zip(rows, table.itertuples(index=False), strict=True):
        assert row["scenario"] == "Llama 3.1 8B on H100"
        assert int(row["month"]) == want.month
        assert float(row["switch_npv"]) == want.switch_npv
        assert float(row["monthly_savings"]) == want.monthly_savings


def test_project_table_and_json_name_the_best_month(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = run("project", "--scenario", "Llama 3.1 8B on H100")
    assert "Best month to switch: 17" in table.output
    assert "Payback month of the best switch: 27" in table.output
    assert max(map(len, table.output.splitlines())) <= 80
    records = json.loads(run("project", "--format", "json").output)
    assert [r["scenario"] for r in records] == [s.name for s in load().scenarios]
    growing = records[2]
    assert growing["best_switch_month"] == 17 and len(growing["months"]) == 36
    assert records[1]["best_switch_month"] is None  # never


def test_project_names_an_unknown_scenario(run):
    result = run("project", "--scenario", "Nope")
    assert result.exit_code != 0
    assert "no scenario named 'Nope' (there are 'Article example'" in result.output


def test_sensitivity_lists_the_tornado_and_the_grid(run, monkeypatch):
    from llm_breakeven import sensitivity

    monkeypatch.setenv("COLUMNS", "80")
    result = run("sensitivity", "--scenario", "Article example")
    assert result.exit_code == 0, result.output
    assert "largest swing in savings first" in result.output
    assert "utilization \\ hourly_rate" in result.output
    records = json.loads(run("sensitivity", "--scenario", "Article example", "--format",
                             "json").output)  # fmt: skip
    article = load().scenarios[0].inputs()
    want = sensitivity.tornado(article)
    assert [r["input"] for r in records[0]["tornado"]] == want["input"].tolist()
    grid = records[0]["grid"]
    assert grid["rows"] == "utilization" and grid["columns"] == "hourly_rate"
    assert grid["ratio"][2][2] == pytest.approx(1440 / (0.3 * 5_184_000) / 0.00125)  # 30 %, $2
    custom = run(
        "sensitivity",
        "--scenario",
        "Article example",
        "--rows",
        "monthly_volume=1e6,2e6",
        "--columns",
        "hourly_rate=1,2",
        "--format",
        "json",
    )
    assert json.loads(custom.output)[0]["grid"]["row_values"] == [1e6, 2e6]


def test_sensitivity_takes_an_inputs_own_range(run):
    records = json.loads(run("sensitivity", "--scenario", "Article example", "--range",
                             "hourly_rate=1,4", "--format", "json").output)  # fmt: skip
    (rate,) = [r for r in records[0]["tornado"] if r["input"] == "hourly_rate"]
    assert (rate["low"], rate["high"]) == (1.0, 4.0)
    # one replica at $1 an hour costs $720, at $4 $2,880, against the API's $1,620
    assert (rate["savings_low"], rate["savings_high"]) == pytest.approx((900.0, -1260.0))
    assert records[0]["tornado"][0]["input"] == "hourly_rate"  # the widest swing now
    bad = run("sensitivity", "--range", "hourly_rate=4,1")
    assert bad.exit_code == 2 and "expected NAME=LOW,HIGH with LOW <= HIGH" in bad.output


def test_sensitivity_refuses_a_bad_axis(run):
    result = run("sensitivity", "--rows", "utilization=")
    assert result.exit_code == 2 and "expected NAME=V1,V2,..." in result.output
    result = run("sensitivity", "--rows", "colour=1,2")
    assert result.exit_code == 1
    assert "colour is not a numeric scenario input or utilization" in result.output


def test_simulate_is_seeded_and_reproducible(run):
    first = run("simulate", "--scenario", "Article example", "--samples", "2000", "--seed", "3",
                "--format", "json")  # fmt: skip
    again = run("simulate", "--scenario", "Article example", "--samples", "2000", "--seed", "3",
                "--format", "json")  # fmt: skip
    assert first.output == again.output
    (record,) = json.loads(first.output)
    assert record["samples"] == 2000 and record["seed"] == 3
    assert 0 < record["probability_selfhost_cheaper"] < 1
    assert record["savings_p10"] < record["savings_p50"] < record["savings_p90"]
    assert set(record["ranges"]) >= {"monthly_volume", "hourly_rate"}


def test_simulate_takes_ranges_and_degenerate_ones_are_certain(run):
    result = run("simulate", "--scenario", "Article example", "--samples", "500", "--range",
                 "hourly_rate=1,1,1", "--format", "csv", "--no-projection")  # fmt: skip
    (row,) = list(csv.DictReader(io.StringIO(result.output)))
    assert float(row["probability_selfhost_cheaper"]) == 1.0
    result = run("simulate", "--range", "hourly_rate=3,2,1")
    assert result.exit_code == 1 and "hourly_rate needs low <= base <= high" in result.output
    result = run("simulate", "--range", "hourly_rate=1,2")
    assert result.exit_code == 2 and "expected NAME=LOW,BASE,HIGH" in result.output


def test_report_is_one_self_contained_page_with_every_chart(run, tmp_path):
    from llm_breakeven.report import CHARTS

    target = tmp_path / "decision.html"
    result = run("report", "--output", str(target), "--samples", "500")
    assert result.exit_code == 0 and "decision.html: written" in result.output
    page = target.read_text(encoding="utf-8")
    scenarios = load().scenarios
    assert page.count("<svg") == len(CHARTS) * len(scenarios)
    for title in CHARTS:
        assert page.count(f"<figcaption>{title}</figcaption>") == len(scenarios)
    for s in scenarios:
        assert f"<h2>{s.name}</h2>" in page
    # the hybrid's cheapest count, as the engine finds it (the diurnal scenario: 1 replica,
    # 8,332 a month, below the API's 8,800 and self-hosting's 10,536)
    cheapest = [f"Cheapest: {n:,.0f} {'replica' if n == 1 else 'replicas'}"
                for n in load().evaluate()["optimal_replicas"]]  # fmt: skip
    assert "Cheapest: 1 replica" in cheapest and "Cheapest: 0 replicas" in cheapest
    assert all(label in page for label in cheapest)
    # as the board pack's Assumptions page: the key assumptions, their sources and dates
    assert page.count("<h3>Key assumptions</h3>") == len(scenarios)
    assert "Sources dated 2024-10-11 to 2026-11-27." in page
    h100 = "RunPod Secure Cloud H100 SXM on-demand, runpod.io/pricing via data-receipts, seen"
    assert f"<th>GPU hourly rate</th><td>$3.99</td><td class='note'>{h100}" in page
    # nothing loaded from anywhere: no external sources, links or imports
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "@import" not in page and "url(http" not in page
    # the same scenarios and seed give the same page: a second run changes nothing
    again = run("report", "--output", str(target), "--samples", "500")
    assert "unchanged" in again.output


def test_report_refuses_to_overwrite_its_input(run, tmp_path):
    scenarios = tmp_path / "s.toml"
    scenarios.write_text(DEFAULT_SCENARIOS.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("report", "--scenarios", str(scenarios), "--output", str(scenarios))
    assert result.exit_code == 1 and "the output would overwrite the input" in result.output


def test_compute_and_the_report_speak_the_scenario_sets_currency(tmp_path, capsys):
    """Money shows after the set's currency symbol in the tables, the recommendation and the
    report, as on the workbook's Summary."""
    from llm_breakeven import report, terminal
    from llm_breakeven.scenario import ScenarioSet

    euros = ScenarioSet(load().scenarios[:1], currency_symbol="€")
    results = euros.evaluate()
    terminal.print_table(results, euros)
    out = capsys.readouterr().out
    assert "€0.001250" in out and "€180.00" in out and "NPV €6,480" in out
    assert "$" not in out
    page = report.render(euros)
    assert "NPV €6,480" in page and "€180.00" in page
    # and the commands that print a scenario file's scenarios month by month or at risk
    text = DEFAULT_SCENARIOS.read_text(encoding="utf-8")
    path = tmp_path / "euros.toml"
    text = text.replace("[workbook]\n", '[workbook]\ncurrency_symbol = "€"\n')
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for command in (["project"], ["sensitivity"], ["simulate", "--samples", "2000"]):
        result = runner.invoke(main, [*command, "--scenarios", str(path),
                                      "--scenario", "Article example"])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "€" in result.output and "$" not in result.output, command
