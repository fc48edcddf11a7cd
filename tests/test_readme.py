"""The README's examples actually run and print what it says."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from conftest import REPO
from llm_breakeven import reference
from llm_breakeven.cli import main
from llm_breakeven.scenario import DEFAULT_SCENARIOS

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_example_runs_and_matches_its_comments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (code,) = _blocks("python")
    namespace: dict = {}
    exec(code, namespace)
    for line in code.splitlines():
        expression, _, comment = line.partition("#")
        if re.fullmatch(r"\s*[\d.]+\s*", comment):
            assert eval(expression, namespace) == pytest.approx(float(comment))
    assert (tmp_path / "out.xlsx").exists()
    assert len(namespace["results"]) == 5


def test_command_line_examples_run_and_write_only_into_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").write_text(
        DEFAULT_SCENARIOS.read_text(encoding="utf-8"), encoding="utf-8"
    )
    commands = [
        shlex.split(line.split("#")[0])[1:]
        for block in _blocks("sh")
        for line in block.splitlines()
        if line.startswith("llm-breakeven ") and "benchmark" not in line
    ]
    assert len(commands) >= 6
    runner = CliRunner()
    for args in commands:
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert written == [
        "decision.html", "llm-breakeven.xlsx", "macros", "macros/llm_breakeven_help.bas",
        "macros/xlwings_udfs.bas", "mine.toml", "mine.xlsx", "next.toml", "next.xlsx",
    ]  # fmt: skip


def test_error_example_is_what_the_cli_prints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (shown,) = re.findall(r"^Error: mine\.toml: .*$", README, flags=re.M)
    text = DEFAULT_SCENARIOS.read_text(encoding="utf-8").replace('"Article example"', '"Team A"')
    text = text.replace(
        "monthly_volume = 1296000\n", "monthly_volume = 1296000\nmax_utilization = 1.5\n", 1
    )
    (tmp_path / "mine.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["compute", "--scenarios", "mine.toml"])
    assert result.exit_code == 1
    assert result.output.strip() == shown


def test_readme_headline_figures_match_the_engine():
    from llm_breakeven.scenario import load

    results = load().evaluate()
    assert f"{results['breakeven_volume'].iloc[0]:,.0f}" in README
    assert f"{results['breakeven_volume'].iloc[1]:,.0f}" in README
    assert f"**{results['sustained_breakeven_volume'].iloc[1]:,.0f} requests a month**" in README


def test_reference_tables_are_current():
    assert reference.update(README) == README, "run: python -m llm_breakeven.reference README.md"


def test_reference_tables_list_every_field_and_function():
    from llm_breakeven import udfs
    from llm_breakeven.quantities import FIELDS

    for name in FIELDS:
        assert f"| `{name}` |" in README, name
    functions = [n for n, f in vars(udfs).items() if n[0] != "_" and n.isupper() and callable(f)]
    assert len(functions) == 37
    for name in functions:
        assert f"| `{name}` |" in README, name


def test_ci_runs_the_readme_test_command():
    (block,) = [b for b in _blocks("sh") if "pytest" in b]
    command = next(line for line in block.splitlines() if "pytest" in line)
    assert command in (REPO / ".ci" / "run").read_text(encoding="utf-8")
