"""Carrying a filled workbook forward: read back, rebuilt, exported, checked, and hostile
files refused."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import REPO, SOAK, examples, workbook_sized
from llm_breakeven.cli import main
from llm_breakeven.quantities import FIELDS, INPUTS, ONE_OF, SIGNALS, TIME_INPUTS
from llm_breakeven.sampling import sample
from llm_breakeven.scenario import Scenario, ScenarioSet, load, loads
from llm_breakeven.workbook import build, workbook_bytes, write_workbook
from llm_breakeven.workbook.reader import WorkbookError, read_workbook

PREVIOUS = REPO / "tests" / "fixtures" / "llm-breakeven-previous.xlsx"
COMMITTED = REPO / "templates" / "llm-breakeven.xlsx"


# --- scenarios from the catalogue -------------------------------------------------------------


@st.composite
def scenario_sets(draw: st.DrawFn) -> ScenarioSet:
    """1 to 7 valid scenarios, every input drawn from its catalogue range or left default."""
    scenarios = []
    for k in range(draw(st.integers(1, 7))):
        inputs: dict = {}
        for q in INPUTS:
            s = q.sample
            assert s is not None
            if not q.required and draw(st.booleans()):
                continue  # left at its default
            if q.choices:
                inputs[q.name] = draw(st.sampled_from(q.choices))
            elif q.bound.whole:
                inputs[q.name] = draw(st.integers(int(s.low), int(s.high)))
            else:
                inputs[q.name] = draw(
                    st.floats(s.low, s.high, exclude_min=s.low == 0 and q.bound.low_open)
                )
        for names in ONE_OF:
            keep = draw(st.sampled_from(names))
            for name in names:
                inputs.pop(name, None) if name != keep else inputs.setdefault(name, 10.0)
        if draw(st.booleans()):
            weights = draw(st.lists(st.floats(0, 100), min_size=24, max_size=24))
            inputs["hourly_profile"] = [*weights[:23], weights[23] + 1]
        name = draw(st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")),
                            min_size=1, max_size=12).filter(str.strip))  # fmt: skip
        sized = workbook_sized(inputs)  # a fleet the workbook searches (build refuses others)
        assume(sized is not None)
        scenarios.append(Scenario(name=f"{k}:{name}", **sized))
    symbol = draw(st.sampled_from(["$", "€", "£", "CHF ", "¥"]))
    pick = draw(st.integers(1, max(6, len(scenarios))))
    return ScenarioSet(tuple(scenarios), currency_symbol=symbol, summary_chart_scenario=pick)


@settings(max_examples=examples(25), deadline=None)
@given(scenario_sets())
def test_a_built_workbook_reads_back_exactly(tmp_path_factory, scenarios):
    path = tmp_path_factory.mktemp("round") / "book.xlsx"
    write_workbook(path, scenarios)
    filled = read_workbook(path)
    assert not filled.rejected
    assert _lost(scenarios, filled.scenarios) == 0
    got = filled.scenarios
    assert (got.currency_symbol, got.summary_chart_scenario, got.utilizations) == (
        scenarios.currency_symbol, scenarios.summary_chart_scenario, scenarios.utilizations,
    )  # fmt: skip


def _lost(want: ScenarioSet, got: ScenarioSet, rel: float = 1e-15) -> int:
    """Inputs, names and descriptions of `want` missing or changed in `got`. A workbook built
    here keeps 16 significant digits (openpyxl writes "%.16g"), so numbers agree to 1e-15."""
    have = {s.name: s for s in got.scenarios}
    lost = 0
    for scenario in want.scenarios:
        if scenario.name not in have:
            lost += 1
            continue
        other = have[scenario.name]
        lost += (scenario.description, scenario.sources) != (other.description, other.sources)
        carried_inputs = other.inputs()
        lost += set(scenario.inputs()) != set(carried_inputs)  # a profile lost or invented
        for name, value in scenario.inputs().items():
            carried = carried_inputs.get(name)
            if value is None or carried is None:
                lost += value is not carried
            elif isinstance(value, str):
                lost += carried != value
            elif name == "hourly_profile":
                lost += not all(c == v or math.isclose(c, v, rel_tol=rel)
                                for c, v in zip(carried, value, strict=True))  # fmt: skip
            else:
                lost += not (carried == value or math.isclose(carried, value, rel_tol=rel))
    return lost


def _random_sets(count: int) -> list[ScenarioSet]:
    """`count` random scenario sets (1 to 5 scenarios) drawn by the catalogue's sampler."""
    sets = []
    for k in range(count):
        rows = 1 + k % 5
        columns = sample(3 * rows, seed=100 + k)
        scenarios: list[Scenario] = []
        for i in range(3 * rows):
            if len(scenarios) == rows:
                break
            # as a person types them: spreadsheets keep 15 significant digits (LibreOffice
            # saves no more), so inputs of 12 must come back exactly
            inputs = {n: v[i] if isinstance(v[i], str) else float(f"{v[i]:.12g}")
                      for n, v in columns.items()}  # fmt: skip
            inputs = {n: None if isinstance(v, float) and math.isnan(v) else v
                      for n, v in inputs.items()}  # fmt: skip
            if (k + i) % 2:  # a day shape, typed to 12 digits, some hours empty
                rng = np.random.default_rng(k * 10 + i)
                weights = rng.uniform(0, 5, 24) * (rng.uniform(size=24) > 0.2)
                inputs["hourly_profile"] = [float(f"{w:.12g}") for w in weights[:23]] + [2.5]
            sized = workbook_sized(inputs)  # a fleet the workbook searches (build refuses others)
            if sized is not None:
                scenarios.append(Scenario(name=f"Team {k}-{i}", description=f"set {k}", **sized))
        sets.append(ScenarioSet(tuple(scenarios)))
    return sets


def _fill_spare_column(path: Path, column: int, scenario: Scenario) -> None:
    """Type a scenario into spare column `column` (from 0), as a person would."""
    book = openpyxl.load_workbook(path)
    texts = {"scenario_name": scenario.name, "description": scenario.description}
    for name, value in {**texts, **scenario.inputs()}.items():
        if f"typed_{name}" in book.defined_names:  # a looked-up input: typed in its own row
            name = f"typed_{name}"
        ((sheet, cells),) = book.defined_names[name].destinations
        cell = book[sheet][cells.replace("$", "").split(":")[0]].offset(0, column)
        if name == "hourly_profile":  # a column of 24 weights
            for hour, weight in enumerate(value):
                cell.offset(hour, 0).value = weight
        else:
            cell.value = value
    book.save(path)


#: random workbooks saved by LibreOffice: fifty in a soak run
SAVED_WORKBOOKS = 50 if SOAK else 10


@pytest.mark.libreoffice
def test_random_workbooks_saved_by_libreoffice_lose_no_input(recalculate, tmp_path):
    sets = _random_sets(SAVED_WORKBOOKS)
    paths = []
    for k, scenarios in enumerate(sets):
        path = tmp_path / f"book-{k}.xlsx"
        write_workbook(path, scenarios)
        if k % 5 == 0:  # someone fills the last spare column
            extra = scenarios.scenarios[0].replace(name=f"Filled {k}", monthly_volume=123_456)
            _fill_spare_column(path, 5, extra)
            sets[k] = ScenarioSet((*scenarios.scenarios, extra))
        paths.append(path)
    # two LibreOffice processes, one a core, each with its own profile
    with ThreadPoolExecutor(2) as pool:
        halves = pool.map(lambda half: recalculate(*half), (paths[::2], paths[1::2]))
        first, second = list(halves)
    saved = [p for pair in zip(first, second, strict=True) for p in pair]
    lost = 0
    for scenarios, path in zip(sets, saved, strict=True):
        filled = read_workbook(path)
        assert not filled.rejected, [c.line() for c in filled.rejected]
        assert len(filled.scenarios.scenarios) == len(scenarios.scenarios)
        lost += _lost(scenarios, filled.scenarios, rel=0.0)
    assert lost == 0


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_rebuilds_to_the_template(recalculate, tmp_path):
    (saved,) = recalculate(write_workbook(tmp_path / "book.xlsx").path)
    result = CliRunner().invoke(main, ["build", "--from", str(saved), "--output",
                                       str(tmp_path / "new.xlsx")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new.xlsx").read_bytes() == COMMITTED.read_bytes()


def test_the_previous_template_is_carried(tmp_path):
    filled = read_workbook(PREVIOUS)
    assert filled.scenarios is not None
    # the template of issue 7 held the first three default scenarios, before profiles,
    # billing modes, fallback, owning, the projection and the signals: those come back at
    # their defaults (the third default scenario has since been given some, with sources)
    later = (*TIME_INPUTS, *SIGNALS)
    three = tuple(
        s.replace(**{n: FIELDS[n].default for n in later},
                  sources={k: v for k, v in s.sources.items() if k not in later})
        for s in load().scenarios[:3]
    )  # fmt: skip
    assert filled.scenarios.scenarios == three
    newer = {"one_time_cost", "amortization_months", "billing_mode", "active_hours_per_day",
             "cold_start_hours", "availability", "routed_share", "routed_cost_per_request",
             "ownership", "purchase_price", "life_months", "residual_share",
             "annual_cost_of_capital", "annual_maintenance_share", "power_kw", "pue",
             "price_per_kwh", "colocation_per_kw_month", "hourly_profile", *later}  # fmt: skip
    defaulted = [c.field for c in filled.report if c.status == "defaulted"]
    assert set(defaulted) == {"currency_symbol", "summary_chart_scenario", *newer}
    assert len(defaulted) == 2 + 3 * len(newer)
    result = CliRunner().invoke(main, ["build", "--from", str(PREVIOUS), "--output",
                                       str(tmp_path / "new.xlsx")])  # fmt: skip
    assert result.exit_code == 0
    assert "64 inputs carried" in result.output
    assert "defaulted (workbook) / currency_symbol" in result.output
    fresh = write_workbook(tmp_path / "three.xlsx", ScenarioSet(three)).path
    assert (tmp_path / "new.xlsx").read_bytes() == fresh.read_bytes()


def test_compute_and_scenarios_from_a_workbook(tmp_path):
    runner = CliRunner()
    direct = runner.invoke(main, ["compute", "--format", "csv"]).output
    carried = runner.invoke(main, ["compute", "--from", str(COMMITTED), "--format", "csv"])
    assert carried.exit_code == 0 and carried.stdout == direct
    exported = runner.invoke(main, ["scenarios", str(COMMITTED)])
    assert exported.exit_code == 0
    assert loads(exported.stdout) == load()
    out = tmp_path / "mine.toml"
    assert runner.invoke(main, ["scenarios", str(COMMITTED), "--output", str(out)]).exit_code == 0
    assert loads(out.read_text(encoding="utf-8")) == load()


def test_a_rejected_input_is_named_and_nothing_is_written(tmp_path):
    book = openpyxl.load_workbook(COMMITTED)
    ((sheet, cells),) = book.defined_names["typed_hourly_rate"].destinations
    first = cells.replace("$", "").split(":")[0]
    book[sheet][first].value = "two dollars"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    result = CliRunner().invoke(main, ["build", "--from", str(broken), "--output",
                                       str(tmp_path / "new.xlsx")])  # fmt: skip
    assert result.exit_code == 1
    assert (
        f"rejected  Article example / hourly_rate ('Inputs'!{first}): hourly_rate must be a "
        "number (got 'two dollars')"
    ) in result.output
    assert "1 input(s) rejected" in result.output
    assert not (tmp_path / "new.xlsx").exists()


def test_the_output_may_not_be_the_input(tmp_path):
    path = tmp_path / "book.xlsx"
    shutil.copy(COMMITTED, path)
    result = CliRunner().invoke(main, ["build", "--from", str(path), "--output", str(path)])
    assert result.exit_code == 1 and "the output would overwrite the input" in result.output
    assert path.read_bytes() == COMMITTED.read_bytes()


# --- check ------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_check_passes_an_untouched_file_and_finds_a_formula_typed_over(recalculate, tmp_path):
    fresh = write_workbook(tmp_path / "fresh.xlsx").path
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(fresh)
    ((sheet, cells),) = book.defined_names["breakeven_volume"].destinations
    book[sheet][cells.replace("$", "").split(":")[0]].value = 12
    book.save(edited)
    untouched, typed_over = recalculate(fresh, edited)
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(untouched)])
    assert ok.exit_code == 0, ok.output
    assert "OK (5 scenarios, 280 results agree)" in ok.output  # 56 outputs each
    bad = runner.invoke(main, ["check", str(typed_over)])
    assert bad.exit_code == 1
    assert "Article example / breakeven_volume: the formula was typed over with 12" in bad.output
    # what reads it differs from the engine too
    assert (
        "Article example / breakeven_multiple: the workbook shows 108000, the engine gives 1.12"
        in (bad.output)
    )
    assert "3 problem(s)" in bad.output
    # a fresh build carries the engine's results as the named outputs' cached values
    built = runner.invoke(main, ["check", str(fresh)])
    assert built.exit_code == 0 and "OK (5 scenarios, 280 results agree)" in built.output
    # a file saved by a tool that keeps no calculated values cannot be checked
    stripped = fresh.with_name("stripped.xlsx")
    openpyxl.load_workbook(fresh).save(stripped)
    never = runner.invoke(main, ["check", str(stripped)])
    assert never.exit_code == 1 and "no calculated values" in never.output


# --- hostile files ----------------------------------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(build(load())))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol4;</workbook>"""


def _hostile(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.xlsx"
    if kind == "text":
        path.write_text("name,value\n", encoding="utf-8")
    elif kind == "no-workbook":
        _zip(path, {"hello.txt": b"hi"})
    elif kind == "entities":
        _zip(path, {**_template_parts(), "xl/workbook.xml": _LAUGHS})
    elif kind == "bomb":
        _zip(path, {**_template_parts(), "xl/media/zeros.bin": bytes(250_000_000)})
    elif kind == "huge-name":
        parts = _template_parts()
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b"Inputs!$B$6:$G$6", b"Inputs!$B$6:$XFD$1048576"
        )
        _zip(path, parts)
    elif kind == "device":
        return Path("/dev/zero")
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("text", "not an .xlsx workbook (not a zip archive)"),
        ("no-workbook", "a zip archive with no workbook in it"),
        ("entities", "not a workbook openpyxl can read"),
        ("bomb", "would unpack to"),
        ("huge-name", "too large for an input"),
        ("device", "not a regular file"),
    ],
)
def test_hostile_workbooks_are_refused_quickly_with_one_line(tmp_path, kind, reason):
    path = _hostile(kind, tmp_path)
    # in a subprocess: refusing must not eat memory (a hang would fail the run)
    result = subprocess.run(
        [sys.executable, "-m", "llm_breakeven.cli", "compute", "--from", str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and reason in line, line
    with pytest.raises(WorkbookError):
        read_workbook(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("table = 5\n", "table must be a [table] table (got 5)"),
        ("scenario = 3\n", "scenarios must be written as [[scenario]] tables"),
        ('[workbook]\ncurrency = "€"\n', "unknown key in [workbook]: 'currency'"),
        ("[workbook]\nsummary_chart_scenario = 9\n", "summary_chart_scenario must be a whole"),
    ],
)
def test_wrong_types_and_keys_in_toml_are_refused(text, message, tmp_path):
    scenario = (
        '[[scenario]]\nname = "A"\ninput_tokens = 1\noutput_tokens = 1\ninput_price = 1\n'
        "output_price = 1\nhourly_rate = 1\nreplica_throughput = 1\nmonthly_volume = 1\n"
    )
    path = tmp_path / "s.toml"
    body = text if text.startswith("scenario =") else text + "\n" + scenario
    path.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(main, ["compute", "--scenarios", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: s.toml: ") and message in result.output, result.output


def test_every_field_is_carried_by_name():
    names = set(openpyxl.load_workbook(COMMITTED, read_only=True).defined_names)
    assert set(FIELDS) <= names
