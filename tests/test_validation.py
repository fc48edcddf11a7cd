"""Every face validates: the Python functions raise ValueError naming the argument and the
value; the Excel functions return an error in the cell; neither raises anything else."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llm_breakeven
from conftest import examples
from llm_breakeven import udfs

PUBLIC = [
    getattr(llm_breakeven, name)
    for name in llm_breakeven.__all__
    if name not in ("__version__", "evaluate", "breakeven_table")
]
EXCEL = [f for name, f in vars(udfs).items() if name[0] != "_" and name.isupper() and callable(f)]

anything = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**12),
    st.none(),
    st.booleans(),
    st.text(max_size=6),
    st.just(np.int64(7)),
    st.just(np.float32(0.5)),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=3),
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1440, 5_184_000, 0.00125), "replica_monthly_cost must be at least 0 (got -1440)"),
        ((math.nan, 5_184_000, 0.00125), "replica_monthly_cost must be a finite number (got nan)"),
        ((None, 5_184_000, 0.00125), "replica_monthly_cost must be a number (got None)"),
        ((True, 5_184_000, 0.00125), "replica_monthly_cost must be a number (got True)"),
        ((1440, [5_184_000, -1], 0.00125), "replica_capacity must be greater than 0 (got -1)"),
        ((1440, 5_184_000, "0.00125"), "api_cost_per_request must be a number (got '0.00125')"),
    ],
)
def test_python_functions_name_the_bad_argument(args, message):
    with pytest.raises(ValueError) as caught:
        llm_breakeven.breakeven_volume(*args)
    assert str(caught.value) == message


def test_numpy_numbers_are_numbers_and_blanks_stay_blank():
    assert llm_breakeven.breakeven_volume(np.int64(1440), np.int32(5_184_000), 0.00125) == (
        pytest.approx(1_152_000)
    )
    # a blank cached price means the input price, as documented
    assert llm_breakeven.api_cost_per_request(1000, 500, 0.5, 1.5, 0.5, None) == (
        pytest.approx(0.00125)
    )
    with pytest.raises(ValueError, match="failover_replicas must be a whole number"):
        llm_breakeven.replicas_needed(1e6, 5e6, failover_replicas=[0, 1.5])


@pytest.mark.parametrize("function", PUBLIC, ids=lambda f: f.__name__)
@settings(max_examples=examples(120), deadline=None)
@given(data=st.data())
def test_python_functions_raise_only_the_documented_error(function, data):
    names = list(inspect.signature(function).parameters)
    args = [data.draw(anything, label=name) for name in names]
    try:
        result = function(*args)
    except ValueError as error:
        assert str(error) and "\n" not in str(error)
        return
    values = np.asarray(result)
    if values.dtype.kind == "f":
        assert not np.isnan(values).any()  # valid inputs give a number or inf ("never")


cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.text(max_size=6),
    st.sampled_from(["#N/A", "#DIV/0!", "", "  ", "1e3", "-0"]),
    st.lists(st.lists(st.floats(allow_nan=True), min_size=1, max_size=2), min_size=1, max_size=2),
)


@pytest.mark.parametrize("function", EXCEL, ids=lambda f: f.__name__)
@settings(max_examples=examples(120), deadline=None)
@given(data=st.data())
def test_excel_functions_never_raise(function, data):
    names = list(inspect.signature(function).parameters)
    args = [data.draw(cells, label=name) for name in names]
    result = function(*args)
    flat = [v for row in result for v in row] if isinstance(result, list) else [result]
    for value in flat:
        assert isinstance(value, str | float | bool), value
        if isinstance(value, str) and value.startswith("#"):
            assert "Traceback" not in value and "\n" not in value
