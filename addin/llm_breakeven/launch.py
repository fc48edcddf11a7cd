"""The `llm-breakeven` command: the command line where its extra is installed, else one line
saying how to install it. The Excel functions need only the core (numpy, pandas, xlwings);
the command line, the workbook and the report need the `cli` extra."""

from __future__ import annotations

import sys

CLI_EXTRA = 'pip install "llm-breakeven[cli]"'


def main() -> None:
    try:
        from .cli import main as command_line
    except ImportError as exc:
        missing = exc.name or "a library"
        sys.stderr.write(f"llm-breakeven: the command line needs {missing}: {CLI_EXTRA}\n")
        raise SystemExit(1) from None
    command_line()
