"""`llm-breakeven lite`: the main.py and requirements.txt an xlwings Lite workbook needs."""

from __future__ import annotations

import inspect

from click.testing import CliRunner

from llm_breakeven import __version__, udfs
from llm_breakeven.cli import main

#: the Excel functions: upper-case functions defined in llm_breakeven.udfs
FUNCTIONS = {n for n, f in inspect.getmembers(udfs, inspect.isfunction)
             if n.isupper() and f.__module__ == udfs.__name__}  # fmt: skip


def test_lite_writes_a_main_py_that_registers_every_function(tmp_path):
    result = CliRunner().invoke(main, ["lite", "--output-dir", str(tmp_path / "book")])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        str(tmp_path / "book" / n) for n in ("main.py", "requirements.txt")
    ]
    namespace: dict[str, object] = {}
    exec((tmp_path / "book" / "main.py").read_text(), namespace)
    registered = {n for n, f in namespace.items()
                  if n.isupper() and getattr(f, "__module__", "") == udfs.__name__}  # fmt: skip
    assert len(FUNCTIONS) >= 36
    assert registered == FUNCTIONS


def test_lite_requirements_are_the_core_pinned_as_the_package_declares(tmp_path):
    CliRunner().invoke(main, ["lite", "--output-dir", str(tmp_path)])
    lines = [line for line in (tmp_path / "requirements.txt").read_text().splitlines()
             if not line.startswith("#")]  # fmt: skip
    assert lines == [f"llm-breakeven=={__version__}", "pandas>=2.2", "numpy>=1.26"]
    url = "https://example.org/llm_breakeven-0.1.0-py3-none-any.whl"
    CliRunner().invoke(main, ["lite", "--output-dir", str(tmp_path), "--wheel-url", url])
    assert url in (tmp_path / "requirements.txt").read_text().splitlines()
    # the file it replaces is kept beside it, as every file the command line writes
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "main.py",
        "requirements.backup-1.txt",
        "requirements.txt",
    ]


def test_lite_into_a_folder_whose_parent_is_missing_says_so(tmp_path):
    result = CliRunner().invoke(main, ["lite", "--output-dir", str(tmp_path / "a" / "b")])
    assert result.exit_code != 0
    assert "No such file or directory" in result.output
    assert "Traceback" not in result.output
