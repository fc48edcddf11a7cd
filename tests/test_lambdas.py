"""The template's named LAMBDAs, evaluated by IronCalc, against the Excel functions."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import ironcalc
import numpy as np
import openpyxl
import pytest

from llm_breakeven import catalogue, estimator, lambdas, udfs
from llm_breakeven.quantities import QUANTITIES

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "llm-breakeven.xlsx"
ROWS = 200
#: where the catalogue draws no sample (an input derived in a scenario): a customer's range
RANGES = {
    "replica_capacity": (1e5, 1e8, True),
    "replica_monthly_cost": (100.0, 50_000.0, True),
    "monthly_cost": (100.0, 50_000.0, True),
    "fixed_monthly_cost": (0.0, 20_000.0, False),
    "utilization": (0.05, 1.0, False),
    "api_cost_per_request": (1e-5, 1e-2, True),
    "selfhost_cost_per_request": (1e-5, 1e-2, True),
    "upfront_cost": (0.0, 1e6, False),
    "monthly_savings": (-20_000.0, 50_000.0, False),
}
#: the estimate's arguments: the catalogue's names (and a field no GPU has), whole GPUs
CHOICES: dict[str, list[Any]] = {
    "model": list(catalogue.models()),
    "gpu": list(catalogue.gpus()),
    "precision": list(estimator.WEIGHT_BYTES),
    "gpu_field": [*catalogue.GPU_FIELDS, "hbm_color"],
    "gpus_per_replica": [1.0, 2.0, 4.0, 8.0],
    "max_batch": [1.0, 16.0, 64.0, 256.0, 512.0],
}


def draw(function: lambdas.Lambda, name: str, rng: np.random.Generator) -> Any:
    if name == "hourly_profile":  # a day or a week, some hours idle
        weights = rng.uniform(0, 10, 24 if rng.random() < 0.7 else 168)
        return [0.0 if w < 1 else float(w) for w in weights]
    if name in CHOICES and (
        lambdas.WRITTEN[function.function].estimate or name != "gpus_per_replica"
    ):
        options = CHOICES[name]
        return options[rng.integers(len(options))]
    sample = QUANTITIES[name].sample
    low, high, log = RANGES[name] if sample is None else (sample.low, sample.high, sample.log)
    value = math.exp(rng.uniform(math.log(low), math.log(high))) if log else rng.uniform(low, high)
    return float(round(value)) if QUANTITIES[name].bound.whole else value


def unset_share(name: str) -> float:
    sample = QUANTITIES[name].sample if name in QUANTITIES else None
    return 0.3 if sample is None or not sample.unset else sample.unset


def calls(function: lambdas.Lambda, rng: np.random.Generator) -> list[dict[str, Any]]:
    """`ROWS` argument rows: each optional argument left out at its catalogue's share."""
    rows = []
    for _ in range(ROWS):
        row = {}
        for name in function.parameters:
            if name in function.optional and rng.random() < unset_share(name):
                continue
            row[name] = draw(function, name, rng)
        if function.function == "IN_ALTERNATING_BAND" and rng.random() < 0.5:
            row["monthly_volume"] = inside_the_band(row, rng)
        rows.append(row)
    return rows


def inside_the_band(row: dict[str, float], rng: np.random.Generator) -> float:
    """A volume between the first and the sustained break-even, where they differ (a narrow
    band that random volumes seldom hit); else the row's own."""
    given = {n: v for n, v in row.items() if n != "monthly_volume"}
    first = udfs.BREAKEVEN_VOLUME(**given)
    sustained = udfs.SUSTAINED_BREAKEVEN_VOLUME(**given)
    if isinstance(first, float) and isinstance(sustained, float) and sustained > first:
        return float(rng.uniform(first, sustained))
    return row["monthly_volume"]


def formula(function: lambdas.Lambda, row: dict[str, Any]) -> str:
    """=LB.F(a,,c): a left-out argument is an empty place, trailing ones dropped."""
    places = [argument(row[n]) if n in row else "" for n in function.parameters]
    while places and not places[-1]:
        places.pop()
    return f"={function.name}({','.join(places)})"


def argument(value: Any) -> str:
    if isinstance(value, list):  # a profile: an array of weights
        return "{" + ",".join(map(repr, value)) + "}"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def with_lambdas_alone(path: Path) -> openpyxl.Workbook:
    """The template with only its Catalogue and the names the LAMBDAs read: IronCalc reads a
    LAMBDA's parameter named like one of the template's named cells as that cell. A styled
    empty cell, which openpyxl writes <c t="n"/>, is dropped: Excel reads it as blank,
    IronCalc as 0 (an A100's unpublished fp8 peak would read 0 TFLOPS)."""
    book = openpyxl.load_workbook(path)
    for title in book.sheetnames:
        if title != "Catalogue":
            del book[title]
    cells = book["Catalogue"]._cells
    for place in [p for p, cell in cells.items() if cell.value is None]:
        del cells[place]
    for name in list(book.defined_names):
        if not name.startswith(("LB.", "catalogue_")):
            del book.defined_names[name]
    return book


def evaluated_by_ironcalc(book: openpyxl.Workbook, folder: Path) -> Any:
    """`book` saved in `folder` and recalculated by IronCalc: its Calls sheet's value at
    (row, column)."""
    book.save(folder / "calls.xlsx")
    model = ironcalc.load_from_xlsx(str(folder / "calls.xlsx"), "en", "UTC")
    model.evaluate()
    at = book.sheetnames.index("Calls")
    return lambda row, column: model.get_cell_value(at, row, column)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, Any]]]:
    """Each function's calls as IronCalc computes its LAMBDA, as the template stores it,
    beside the Excel function's result for the same arguments:
    {function: [(lambda's, Excel function's), ...]}."""
    rng = np.random.default_rng(21)
    book = with_lambdas_alone(TEMPLATE)
    sheet = book.create_sheet("Calls")
    expected: dict[str, list[Any]] = {}
    for column, function in enumerate(lambdas.lambdas(), start=1):
        expected[function.function] = []
        for row, arguments in enumerate(calls(function, rng), start=1):
            sheet.cell(row, column, formula(function, arguments))
            expected[function.function].append(getattr(udfs, function.function)(**arguments))
    value = evaluated_by_ironcalc(book, Path(tmp_path_factory.mktemp("lambdas")))
    return {
        name: [(value(r, c), e) for r, e in enumerate(results, 1)]
        for c, (name, results) in enumerate(expected.items(), start=1)
    }


def out_of_range(function: lambdas.Lambda, name: str, rng: np.random.Generator) -> Any:
    """A value argument `name` may not take: below its range, above it, between whole
    numbers, or a text; None for an argument any text or number may be."""
    if name == "hourly_profile":  # an hour short, a negative hour, or no traffic at all
        options = [[1.0] * 23, [1.0] * 23 + [-1.0], [0.0] * 24]
        return options[rng.integers(len(options))]
    if QUANTITIES[name].unit.text == "text":
        return None
    estimate = lambdas.WRITTEN[function.function].estimate
    rule = (estimator.ARGUMENT_BOUNDS.get(name) if estimate else None) or QUANTITIES[name].bound
    options: list[Any] = ["twelve"]
    if rule.low != -math.inf:
        options.append(rule.low if rule.low_open else rule.low - 1.5)
    if rule.high != math.inf:
        options.append(rule.high if rule.high_open else rule.high + 0.5)
    if rule.whole:
        options.append(rule.low + 0.5)
    return options[rng.integers(len(options))]


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, Any, Any]]]:
    """Calls with one argument out of its range, as IronCalc computes each LAMBDA and the
    Excel function gives it: {function: [(argument, lambda's, Excel function's), ...]}."""
    rng = np.random.default_rng(22)
    book = with_lambdas_alone(TEMPLATE)
    sheet = book.create_sheet("Calls")
    expected: dict[str, list[tuple[str, Any]]] = {}
    for column, function in enumerate(lambdas.lambdas(), start=1):
        expected[function.function] = []
        for arguments in calls(function, rng)[:40]:
            name = function.parameters[rng.integers(len(function.parameters))]
            bad = out_of_range(function, name, rng)
            if bad is None:
                continue
            arguments[name] = bad
            sheet.cell(len(expected[function.function]) + 1, column, formula(function, arguments))
            result = getattr(udfs, function.function)(**arguments)
            expected[function.function].append((name, result))
    value = evaluated_by_ironcalc(book, Path(tmp_path_factory.mktemp("refused")))
    return {
        name: [(argument, value(r, c), e)
               for r, (argument, e) in enumerate(results, start=1)]
        for c, (name, results) in enumerate(expected.items(), start=1)
    }  # fmt: skip


#: functions all of whose arguments are names: MATCH finds them or gives #N/A
NAMES_ONLY = ("GPU_SPEC", "MODEL_MEMORY_GB")


@pytest.mark.parametrize("function", [f for f in lambdas.WRITTEN if f not in NAMES_ONLY])
def test_an_argument_out_of_range_gives_the_excel_functions_error(refused, function):
    """ "#VALUE! utilization must be between 0 and 1 (got 1.5)" from both, not a figure. The
    words may differ where the Excel function says more: a text given for a number, a
    utilization of 0, a profile, and the estimate's arguments (its catalogue rule first)."""
    assert len(refused[function]) >= 15
    for argument, got, want in refused[function]:
        assert isinstance(want, str) and want.startswith(f"#VALUE! {argument} must"), want
        assert isinstance(got, str) and got.startswith(f"#VALUE! {argument} must"), got
        said_more = '"' in want or "(got 0)" in want or argument == "hourly_profile"
        if not said_more and not lambdas.WRITTEN[function].estimate:
            assert got.split(" (got")[0] == want.split(" (got")[0]


@pytest.mark.parametrize("function", list(lambdas.WRITTEN))
def test_the_lambda_computes_what_the_excel_function_does(evaluated, function):
    pairs = evaluated[function]
    assert len(pairs) == ROWS
    for got, want in pairs:
        if isinstance(want, float):
            assert isinstance(got, float), (got, want)
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
        elif lambdas.WRITTEN[function].estimate:  # "#N/A does not fit: ...": its own words
            assert isinstance(got, str) and got.startswith("#N/A ") and want.startswith("#N/A ")
        else:  # a never text, a label, TRUE or FALSE: the same
            assert got == want


def test_the_calls_reach_every_kind_of_answer(evaluated):
    """The rows are no easy cases: break-evens both come and never come, options differ."""
    volumes = [want for _, want in evaluated["BREAKEVEN_VOLUME"]]
    assert 0.1 < np.mean([isinstance(v, str) for v in volumes]) < 0.9
    assert {w for _, w in evaluated["CHEAPER_OPTION"]} == {"API", "Break-even", "Self-host"}
    assert {w for _, w in evaluated["IN_ALTERNATING_BAND"]} == {True, False}
    assert any(isinstance(w, str) for _, w in evaluated["PAYBACK_MONTHS"])
    # estimates: most fit, some do not (a 70B model in bf16 on one 24 GB GPU)
    tokens = [w for _, w in evaluated["TOKENS_PER_SECOND_ESTIMATE"]]
    assert ROWS / 2 < sum(isinstance(w, float) for w in tokens) < ROWS
    # a figure: published, unpublished (no fp8 peak on an A100) or of no such field
    specs = [got for got, _ in evaluated["GPU_SPEC"]]
    assert "#N/A no such figure" in specs and 80.0 in specs


def test_a_lambda_is_the_engines_definition_with_defaults_settled():
    payback = lambdas.lambda_of("PAYBACK_MONTHS")
    assert payback.shown.endswith(
        'IF(bad_argument="",IF(monthly_savings>0,upfront_cost/monthly_savings,'
        '"#N/A never: the savings are not positive"),bad_argument)))'
    )
    # each argument checked in order, as the Excel function checks it
    assert payback.shown.startswith(
        "LAMBDA(upfront_cost,monthly_savings,LET(bad_argument,"
        "IF(AND(ISNUMBER(upfront_cost),upfront_cost>=0),IF(ISNUMBER(monthly_savings),"
    )
    assert payback.signature == "LB.PAYBACK_MONTHS(upfront_cost, monthly_savings)"
    # scale-to-zero, buying and the profile are the defaults' (off, rent, flat): gone
    volume = lambdas.lambda_of("BREAKEVEN_VOLUME")
    assert "buy" not in volume.stored and "scale" not in volume.stored
    assert volume.stored.startswith(
        "_xlfn.LAMBDA(_xlpm.replica_monthly_cost,_xlpm.replica_capacity,"
        "_xlpm.api_cost_per_request,_xlop.fixed_monthly_cost,"
    )
    assert "_xlfn.LET(_xlpm.fixed_monthly_cost_used,IF(OR(_xlfn.ISOMITTED(" in volume.stored


def test_every_lambda_takes_the_excel_functions_arguments_in_order():
    import inspect

    for function in lambdas.lambdas():
        signature = inspect.signature(getattr(udfs, function.function)).parameters
        assert function.parameters == tuple(signature)
        optional = tuple(n for n, p in signature.items() if p.default is not p.empty)
        assert function.optional == optional
    assert len(lambdas.lambdas()) >= 12


# --- in the template ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(TEMPLATE)


def test_the_template_holds_every_lambda_as_written(template):
    held = {n: d.attr_text for n, d in template.defined_names.items() if n.startswith("LB.")}
    assert held == {f.name: f.stored for f in lambdas.lambdas()}
    # Excel shows a name's comment as the function's help while a formula is typed
    volume = template.defined_names["LB.BREAKEVEN_VOLUME"]
    assert volume.comment.startswith("Smallest monthly volume at which self-hosting")
    assert all(len(d.comment) <= 255 for n, d in template.defined_names.items() if "LB." in n)


def test_no_formula_of_the_template_calls_a_lambda(template):
    """Excel 2016-2021, LibreOffice and Gnumeric have no LAMBDA: they must lose nothing."""
    for sheet in template.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert "LB." not in str(cell.value) and "LAMBDA" not in str(cell.value)
    for name, defined in template.defined_names.items():
        if not name.startswith("LB."):
            assert "LB." not in defined.attr_text and "LAMBDA" not in defined.attr_text


def test_each_worked_call_on_functions_gives_the_value_shown(template, tmp_path):
    """The Functions sheet's calls, typed into the template with its LAMBDAs alone."""
    sheet = template["Functions"]
    shown = [(r[2].value, r[3].value) for r in sheet.iter_rows(min_row=1)
             if isinstance(r[2].value, str) and r[2].value.startswith("=LB.")]  # fmt: skip
    assert len(shown) == len(lambdas.lambdas())
    book = with_lambdas_alone(TEMPLATE)
    calls_sheet = book.create_sheet("Calls")
    for row, (call, _) in enumerate(shown, start=1):
        calls_sheet.cell(row, 1, call)
    computed = evaluated_by_ironcalc(book, tmp_path)
    for row, (call, value) in enumerate(shown, start=1):
        got = computed(row, 1)
        if isinstance(value, float | int) and not isinstance(value, bool):
            assert got == pytest.approx(value, rel=1e-12), call
        else:
            assert got == value, call
    # the article's break-even, by hand: one replica's $1,440 over $0.00125 a request
    assert ("=LB.BREAKEVEN_VOLUME(1440, 5184000, 0.00125)", 1_152_000) in shown
