"""What an xlwings Lite workbook needs to run the Excel functions in the browser (Pyodide):
its `main.py`, which registers every function, and its `requirements.txt`.

>>> print(main_py(), end="")
# llm-breakeven's Excel functions in xlwings Lite: importing them registers every one
from llm_breakeven.udfs import *  # noqa: F403
>>> "numpy>=1.26" in requirements()
True
"""

from __future__ import annotations

from importlib.metadata import requires, version
from pathlib import Path

#: xlwings Lite brings its own xlwings: the workbook lists the rest
PROVIDED = ("xlwings",)


def main_py() -> str:
    return (
        "# llm-breakeven's Excel functions in xlwings Lite: importing them registers every one\n"
        "from llm_breakeven.udfs import *  # noqa: F403\n"
    )


def requirements(wheel_url: str | None = None) -> str:
    """The package (this version, or its wheel at `wheel_url`, as Lite installs from a URL
    too) and the core dependencies it declares, at the versions it declares; no extra."""
    core = [r for r in requires("llm-breakeven") or [] if "extra ==" not in r]
    kept = [r for r in core if not r.lower().startswith(PROVIDED)]
    package = wheel_url or f"llm-breakeven=={version('llm-breakeven')}"
    return "\n".join([
        "# xlwings Lite installs these in the browser; it brings xlwings itself",
        "# API_PRICE and MODEL_API_COST_PER_REQUEST need the price list: add genai-prices==0.2.3",
        package, *kept,
    ]) + "\n"  # fmt: skip


def write(directory: str | Path, wheel_url: str | None = None) -> list[Path]:
    """Write `main.py` and `requirements.txt` into `directory` (made if missing; its parent
    must exist), each atomically; a file edited since is kept as a backup beside it."""
    from .files import write_file

    target = Path(directory).expanduser()
    target.mkdir(exist_ok=True)
    files = {"main.py": main_py(), "requirements.txt": requirements(wheel_url)}
    return [write_file(text.encode("utf-8"), target / name).path for name, text in files.items()]
