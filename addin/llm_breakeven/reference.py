"""The README's reference tables, generated from the catalogue and the Excel functions.

`python -m llm_breakeven.reference README.md` rewrites each table between its markers
(`<!-- BEGIN fields -->` ... `<!-- END fields -->`); with `--check` it only says whether the
file is current, and exits 1 when it is not. A test runs the check.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from .bounds import number
from .quantities import INPUTS, QUANTITIES, REQUIRED


def fields_table() -> str:
    """Markdown: every scenario input with its meaning, unit, valid range and default."""
    lines = [
        "| field | meaning | unit | valid | default |",
        "|---|---|---|---|---|",
        "| `name`, `description` | the scenario's title and what it teaches | text | "
        '| required, "" |',
    ]
    for q in INPUTS:
        if q.choices:
            rule = "one of " + ", ".join(f'"{c}"' for c in q.choices)
        else:
            rule = (q.scenario_bound or q.bound).describe()
        if q.default is REQUIRED:
            default = "required"
        elif q.default is None:
            default = "blank"
        elif isinstance(q.default, str):
            default = f'"{q.default}"'
        else:
            default = number(q.default)  # type: ignore[arg-type]
        lines.append(f"| `{q.name}` | {q.help} | {q.unit.text} | {rule} | {default} |")
    profile = QUANTITIES["hourly_profile"]
    lines.append(f"| `hourly_profile` | {profile.help} | a list of weights | 24 or 168 weights "
                 "of at least 0, not all 0 | flat |")  # fmt: skip
    sources = "where each outside figure came from, and when"
    lines.append(f"| `[scenario.sources]` | {sources} | text | | |")
    return "\n".join(lines)


def _default_shown(default: object) -> str:
    if default is None:
        return "blank"
    return f'"{default}"' if isinstance(default, str) else number(default)  # type: ignore[arg-type]


def functions_table() -> str:
    """Markdown: every Excel function with its arguments (optional ones in brackets)."""
    from . import udfs

    lines = ["| function | arguments (optional in brackets) | what it returns |", "|---|---|---|"]
    for name, function in _excel_functions(udfs):
        arguments = []
        for p in inspect.signature(function).parameters.values():
            if p.default is inspect.Parameter.empty:
                arguments.append(p.name)
            else:
                shown = _default_shown(p.default)
                arguments.append(f"[{p.name}={shown}]")
        # a "|" inside a cell would end it
        description = " ".join((function.__doc__ or "").split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {', '.join(arguments)} | {description} |")
    return "\n".join(lines)


def _excel_functions(module: ModuleType) -> list[tuple[str, Callable[..., object]]]:
    """The module's Excel functions (UPPER_SNAKE functions defined there), in file order."""
    return [
        (name, value)
        for name, value in vars(module).items()
        if name.isupper() and callable(value) and value.__module__ == module.__name__
    ]


TABLES: dict[str, Callable[[], str]] = {"fields": fields_table, "functions": functions_table}


def update(text: str) -> str:
    """`text` with every marked table regenerated."""
    for key, table in TABLES.items():
        pattern = re.compile(rf"(<!-- BEGIN {key} -->\n).*?(<!-- END {key} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"no <!-- BEGIN {key} --> ... <!-- END {key} --> markers")
        generated = table()
        text = pattern.sub(lambda m: m.group(1) + generated + "\n" + m.group(2), text)  # noqa: B023
    return text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    paths = [a for a in args if a != "--check"] or ["README.md"]
    status = 0
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        fresh = update(text)
        if fresh == text:
            continue
        if check:
            print(f"{path}: reference tables are stale; run python -m llm_breakeven.reference")
            status = 1
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"{path}: reference tables updated")
    return status


if __name__ == "__main__":
    sys.exit(main())
