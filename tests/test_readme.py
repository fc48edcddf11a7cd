"""The README's examples actually run and print what it says."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from llm_breakeven.cli import main
from llm_breakeven.scenario import DEFAULT_SCENARIOS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


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
    assert len(namespace["results"]) == 3


def test_command_line_examples_run(tmp_path, monkeypatch):
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
