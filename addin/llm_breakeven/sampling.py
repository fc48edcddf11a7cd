"""Random but valid scenarios, drawn from each input's `Sample` range: the property tests'
scenarios and the benchmark's rows."""

from __future__ import annotations

import math

import numpy as np

from .quantities import INPUTS, ONE_OF


def sample(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    """`rows` random but valid scenarios: one array per scenario input, from each `Sample`.

    Whole-number inputs are drawn whole; an optional input is left at its default (NaN for a
    blank) in its `unset` share of rows, so defaults are exercised too.

    >>> from llm_breakeven.quantities import FIELDS
    >>> columns = sample(4, seed=1)
    >>> sorted(columns) == sorted(FIELDS)
    True
    """
    rng = np.random.default_rng(seed)
    columns = {}
    for q in INPUTS:
        assert q.sample is not None, f"{q.name} has no sample range"
        s = q.sample
        values: np.ndarray
        if q.choices:
            values = np.asarray(q.choices, dtype=str)[rng.integers(0, len(q.choices), rows)]
            if s.unset:
                values = np.where(rng.uniform(size=rows) < s.unset, str(q.default), values)
            columns[q.name] = values
            continue
        if s.log:
            values = np.exp(rng.uniform(math.log(s.low), math.log(s.high), rows))
        elif q.bound.whole:
            values = rng.integers(int(s.low), int(s.high) + 1, rows).astype(float)
        else:
            values = rng.uniform(s.low, s.high, rows)
        if s.unset:
            default = math.nan if q.default is None else float(q.default)  # type: ignore[arg-type]
            values = np.where(rng.uniform(size=rows) < s.unset, default, values)
        columns[q.name] = values
    for names in ONE_OF:  # exactly one given in each row, the others blank
        chosen = rng.integers(0, len(names), rows)
        for k, name in enumerate(names):
            columns[name] = np.where(chosen == k, columns[name], math.nan)
    return columns
