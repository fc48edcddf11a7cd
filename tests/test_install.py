"""Installed as a user installs it (a wheel, not editable) and run from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built into a wheel and installed into a folder of its own."""
    work = tmp_path_factory.mktemp("install")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "-w", str(work / "wheel"), str(REPO)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (work / "wheel").glob("*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
         str(work / "site"), str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    return work / "site"


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys, llm_breakeven; assert llm_breakeven.__file__.startswith(sys.argv[1]), "
        "llm_breakeven.__file__; from llm_breakeven.cli import main; "
        "sys.argv = ['llm-breakeven', *sys.argv[2:]]; main()"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", code, str(site), *args],
        cwd=cwd, env=env, capture_output=True, text=True,
    )  # fmt: skip


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_compute_and_build_work_from_anywhere_and_write_only_there(installed, tmp_path):
    before = _tree(installed)
    compute = _run(installed, tmp_path, "compute")
    assert compute.returncode == 0, compute.stderr
    assert "1,152,000" in compute.stdout and "13,941,333" in compute.stdout
    build = _run(installed, tmp_path, "build")
    assert build.returncode == 0, build.stderr
    macros = _run(installed, tmp_path, "macros")
    assert macros.returncode == 0, macros.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "llm-breakeven.xlsx", "llm_breakeven_help.bas", "macros", "xlwings_udfs.bas",
    ]  # fmt: skip
    assert (tmp_path / "llm-breakeven.xlsx").read_bytes() == (
        REPO / "templates" / "llm-breakeven.xlsx"
    ).read_bytes()
    assert _tree(installed) == before, "something was written inside the installed package"


def test_the_wheel_carries_the_default_scenarios(installed):
    shipped = installed / "llm_breakeven" / "templates" / "scenarios.toml"
    assert shipped.read_bytes() == (REPO / "templates" / "scenarios.toml").read_bytes()
