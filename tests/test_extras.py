"""The Excel functions need only the core install (numpy, pandas, xlwings: what xlwings Lite
installs); the command line, workbook, report and price list are extras that say so."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import requires

#: what only the extras install
EXTRAS = ("click", "rich", "openpyxl", "defusedxml", "tomli_w", "genai_prices", "matplotlib",
          "numba")  # fmt: skip

#: run first in a fresh interpreter: the extras' libraries cannot be imported there
_WITHOUT_EXTRAS = f"""
import sys
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {EXTRAS!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, _Absent())
"""


def _without_extras(code: str) -> subprocess.CompletedProcess[str]:
    program = _WITHOUT_EXTRAS + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)


def test_the_core_install_is_numpy_pandas_and_xlwings():
    core = {r.split(">")[0].split("=")[0].split("<")[0].strip()
            for r in requires("llm-breakeven") or [] if "extra ==" not in r}  # fmt: skip
    assert core == {"xlwings", "pandas", "numpy"}


def test_the_excel_functions_work_without_the_extras():
    run = _without_extras("""
        import llm_breakeven.udfs as udfs
        print(udfs.API_COST_PER_REQUEST(1000, 500, 0.5, 1.5))
        print(udfs.SELFHOST_MONTHLY_COST([[1e6], [2e7]], 2000, 1e6))
        print(udfs.GPU_PRICE("H100 SXM"))
        print(udfs.API_PRICE("gpt-4o"))
        print(sorted(m for m in sys.modules if m.split(".")[0] in {"click", "openpyxl"}))
    """)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert float(lines[0]) == 0.00125
    assert lines[1] == "[[2000.0], [40000.0]]"
    assert float(lines[2]) > 0
    # the one function that needs the price list says which extra brings it
    assert lines[3] == ('#VALUE! ModuleNotFoundError: API list prices need genai-prices: '
                        'pip install "llm-breakeven[prices]"')  # fmt: skip
    assert lines[4] == "[]"


def test_the_command_without_its_extra_says_how_to_install_it():
    run = _without_extras("""
        sys.argv = ["llm-breakeven", "compute"]
        from llm_breakeven.launch import main
        main()
    """)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == (
        'llm-breakeven: the command line needs click: pip install "llm-breakeven[cli]"\n'
    )
