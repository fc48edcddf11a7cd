"""One definition, two readings: numpy arithmetic for the engine, formula text for the workbook.

A definition is a plain function `(q, f) -> value` over a namespace `q` of quantities (read
as attributes: `q.hourly_rate`) and a set of operations `f` for what Python's operators do
not spell (`f.where`, `f.ceil`, `f.maximum`, ...). `Numeric` evaluates definitions with numpy
arrays; `Symbolic` evaluates the same definitions over `Expr` objects whose arithmetic
builds the text of a native Excel formula. LibreOffice parity proves the readings agree.

>>> def margin(q, f):
...     return f.maximum(0, q.api_cost_per_request - q.variable_cost_per_request)
>>> DEFS = {"margin": margin}
>>> float(Numeric(DEFS, {"api_cost_per_request": 0.3, "variable_cost_per_request": 0.1}).margin)
0.19999999999999998
>>> Symbolic(DEFS, lambda name: Expr.ref(name.upper())).define("margin").text
'MAX(0,API_COST_PER_REQUEST-VARIABLE_COST_PER_REQUEST)'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

Definition = Callable[[Any, Any], Any]
#: one branch of `when`: a value computed from a namespace of quantities
Branch = Callable[[Any], Any]

# Excel's precedence, loosest first; both readings evaluate left to right within a level.
# Excel negates before it raises to a power (-2^2 is 4), so a negated base needs no
# parentheses to mean what Python's (-a) ** b means, and -(a ** b) keeps them.
_COMPARE, _CONCAT, _ADD, _MUL, _POW, _NEG, _ATOM = range(7)


class Expr:
    """The text of an Excel formula fragment, built by arithmetic on other fragments."""

    __slots__ = ("precedence", "text")

    def __init__(self, text: str, precedence: int = _ATOM) -> None:
        self.text = text
        self.precedence = precedence

    @staticmethod
    def ref(text: str) -> Expr:
        """A cell reference or a name."""
        return Expr(text)

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"

    def __add__(self, other: Any) -> Expr:
        return _binary(self, "+", other, _ADD)

    def __radd__(self, other: Any) -> Expr:
        return _binary(other, "+", self, _ADD)

    def __sub__(self, other: Any) -> Expr:
        return _binary(self, "-", other, _ADD)

    def __rsub__(self, other: Any) -> Expr:
        return _binary(other, "-", self, _ADD)

    def __mul__(self, other: Any) -> Expr:
        return _binary(self, "*", other, _MUL)

    def __rmul__(self, other: Any) -> Expr:
        return _binary(other, "*", self, _MUL)

    def __truediv__(self, other: Any) -> Expr:
        return _binary(self, "/", other, _MUL)

    def __rtruediv__(self, other: Any) -> Expr:
        return _binary(other, "/", self, _MUL)

    def __pow__(self, other: Any) -> Expr:
        return _binary(self, "^", other, _POW)

    def __rpow__(self, other: Any) -> Expr:
        return _binary(other, "^", self, _POW)

    def __neg__(self) -> Expr:
        return Expr("-" + _wrap(self, _ATOM), _NEG)

    def __lt__(self, other: Any) -> Expr:
        return _binary(self, "<", other, _COMPARE)

    def __le__(self, other: Any) -> Expr:
        return _binary(self, "<=", other, _COMPARE)

    def __gt__(self, other: Any) -> Expr:
        return _binary(self, ">", other, _COMPARE)

    def __ge__(self, other: Any) -> Expr:
        return _binary(self, ">=", other, _COMPARE)

    def __bool__(self) -> bool:
        raise TypeError("a formula has no truth value: use f.where, not if")


class HourCell(Expr):
    """One hour's cell of an hourly quantity, which knows the range of all its hours: an
    hour-by-hour formula reads the hour, a sum or a peak over the hours reads them all."""

    __slots__ = ("hours",)

    def __init__(self, text: str, hours: str) -> None:
        super().__init__(text)
        self.hours = Expr(hours)


#: a cell range as a formula writes it, perhaps on another sheet: no arithmetic, no call
_PLAIN_RANGE = re.compile(
    r"(?:(?:'[^']+'|[A-Za-z_][\w.]*)!)?\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+"
)


def _all_hours(x: Any) -> Any:
    return x.hours if isinstance(x, HourCell) else x


def literal(value: Any) -> Expr:
    """A Python value as a formula operand: numbers plainly, text quoted (never a formula)."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, bool):
        raise TypeError("write booleans as comparisons: some engines reject TRUE/FALSE literals")
    if isinstance(value, int | float):
        return Expr(format(value, ".15g"))
    if isinstance(value, str):
        return Expr('"' + value.replace('"', '""') + '"')
    raise TypeError(f"no formula for {value!r}")


def _wrap(operand: Expr, precedence: int) -> str:
    return operand.text if operand.precedence >= precedence else f"({operand.text})"


def _binary(left: Any, op: str, right: Any, precedence: int) -> Expr:
    a, b = literal(left), literal(right)
    # the right operand of a same-level operator keeps its parentheses: a-(b-c), a/(b*c),
    # and a+(b+c) too, whose float rounding differs from (a+b)+c
    return Expr(f"{_wrap(a, precedence)}{op}{_wrap(b, precedence + 1)}", precedence)


def concat(*parts: Any) -> Expr:
    """Text joined with Excel's &, e.g. concat("at ", x) -> '"at "&x'."""
    texts = [_wrap(literal(p), _CONCAT + 1) for p in parts]
    return Expr("&".join(texts), _CONCAT)


def equal(a: Any, b: Any) -> Expr:
    """a=b in a formula: TRUE or FALSE (Python's == on an Expr would compare the objects)."""
    return _binary(a, "=", b, _COMPARE)


def unequal(a: Any, b: Any) -> Expr:
    """a<>b in a formula."""
    return _binary(a, "<>", b, _COMPARE)


def call(function: str, *args: Any) -> Expr:
    """A function call in a formula, e.g. call("MAX", 1, x)."""
    return Expr(f"{function}({','.join(literal(a).text for a in args)})")


#: every text the engine compares or picks, by its small integer code (see `code`)
_CODES: dict[str, int] = {}
_TEXTS: list[str] = []


def code(text: str) -> int:
    """The engine's code for `text`: choices and labels travel as int8 codes, which compare
    in a single pass where texts compare character by character (or object by object)."""
    found = _CODES.get(text)
    if found is None:
        found = _CODES.setdefault(text, len(_TEXTS))
        if found == len(_TEXTS):
            _TEXTS.append(text)
        assert found < 128, "more texts than an int8 code holds"
    return found


def texts(codes: Any) -> Any:
    """The texts of `codes`: an object array of shared strs, of the codes' shape."""
    labels = np.asarray(_TEXTS, dtype=object)
    return np.asarray(labels[np.asarray(codes, dtype=np.intp)], dtype=object)


class NumpyOps:
    """The operations definitions use, on numpy arrays (errors become inf or NaN)."""

    never = np.inf
    false = np.False_

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Any:
        return np.where(condition, if_true, if_false)

    @staticmethod
    def when(q: Any, condition: Any, then: Branch, otherwise: Branch) -> Any:
        """`where`, computing `then` (a costly hourly branch) only on the rows that take it:
        `then(rows)` reads a namespace of those rows alone; `otherwise(q)` reads them all."""
        taken = np.asarray(condition)
        if not taken.any():
            return otherwise(q)
        if taken.all():
            return then(q)
        rest = np.asarray(otherwise(q), dtype=float)
        shape = np.broadcast_shapes(taken.shape, rest.shape, q.row_shape())
        mask = np.broadcast_to(taken, shape)
        result = np.array(np.broadcast_to(rest, shape))
        result[mask] = then(q.rows(mask))
        return result

    @staticmethod
    def maximum(a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    @staticmethod
    def minimum(a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    @staticmethod
    def ceil(x: Any) -> Any:
        return np.ceil(x)

    @staticmethod
    def floor(x: Any) -> Any:
        return np.floor(x)

    @staticmethod
    def log2(x: Any) -> Any:
        return np.log2(x)

    @staticmethod
    def abs(x: Any) -> Any:
        return np.abs(x)

    @staticmethod
    def isblank(x: Any) -> Any:
        return np.isnan(x)

    @staticmethod
    def isnumber(x: Any) -> Any:
        """A finite number: not never (inf), not blank."""
        return np.isfinite(x)

    @staticmethod
    def scaled_breakeven(which: int, profile: Any, *args: Any) -> Any:
        """Break-even `which` (0: first, 1: sustained) of each row scaling to zero, by the
        walk of `crossing` (arguments as `crossing.scaled_breakeven` takes them)."""
        from . import crossing

        columns = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in args))
        rows = columns[0].reshape(-1)
        weights = np.asarray(profile, dtype=float)
        found = np.empty(rows.size)
        for i in range(rows.size):
            hours = weights if weights.ndim == 1 else weights[i]
            found[i] = crossing.walk(which, hours, *(float(c.reshape(-1)[i]) for c in columns))
        return found.reshape(columns[0].shape)

    @staticmethod
    def equals(a: Any, text: str) -> Any:
        # choices and picked labels are int8 codes (see `code`)
        return np.asarray(a) == np.int8(code(text))

    # the hour axis: an hourly quantity is an array whose last axis runs over a profile's
    # hours; a per-scenario quantity joins it through `per_hour`

    @staticmethod
    def per_hour(x: Any) -> Any:
        return np.expand_dims(np.asarray(x, dtype=float), -1)

    @staticmethod
    def hour_sum(x: Any) -> Any:
        return np.sum(x, axis=-1)

    @staticmethod
    def hour_max(x: Any) -> Any:
        return np.max(x, axis=-1)

    @staticmethod
    def hour_count(x: Any) -> Any:
        return np.float64(np.shape(x)[-1])

    @staticmethod
    def smaller(a: Any, b: Any) -> Any:
        """The elementwise minimum (MIN in a formula would take the minimum of all hours)."""
        return np.minimum(a, b)

    @staticmethod
    def previous_hour(x: Any) -> Any:
        """Each hour's predecessor, the first hour's being the last (a profile repeats)."""
        return np.roll(x, 1, axis=-1)

    @staticmethod
    def shifted(x: Any, built: Callable[[], Any]) -> Any:
        """`x` of each hour's predecessor: the same numbers moved one hour (`built` would
        compute them again from the previous hour's inputs)."""
        return np.roll(x, 1, axis=-1)

    @staticmethod
    def hours_before(x: Any) -> Any:
        """Each hour's position on the hour axis: 0, 1, 2, ..."""
        return np.arange(np.shape(x)[-1], dtype=float)

    @staticmethod
    def tail_shares(x: Any) -> Any:
        """The share of the weights outside the j largest, for j = 0, 1, ...: 1 first."""
        weights = -np.sort(-np.asarray(x, dtype=float), axis=-1)
        # summed from the smallest: the weights past the last positive one add to exactly 0
        outside = np.flip(np.cumsum(np.flip(weights, -1), axis=-1), -1)
        return outside / np.sum(weights, axis=-1, keepdims=True)

    @staticmethod
    def count(*conditions: Any) -> Any:
        """How many of `conditions` hold, element by element."""
        total = np.asarray(conditions[0], dtype=np.int64)
        for condition in conditions[1:]:
            total = total + condition
        return total

    @staticmethod
    def pick(*cases: tuple[Any, str], otherwise: str) -> Any:
        """The code (see `code`) of the first true condition's label, else `otherwise`'s."""
        picked: Any = np.int8(code(otherwise))
        for condition, label in reversed(cases):  # nested where: np.select is twice as slow
            picked = np.where(condition, np.int8(code(label)), picked)
        return picked


class ExcelOps:
    """The same operations as native formula text (functions of Excel 2010+ and LibreOffice)."""

    never = Expr('"never"')
    #: FALSE, written as a comparison: some engines reject a bare FALSE literal in a formula
    false = Expr("1=0", _COMPARE)

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Expr:
        return call("IF", condition, if_true, if_false)

    @staticmethod
    def when(q: Any, condition: Any, then: Branch, otherwise: Branch) -> Expr:
        return call("IF", condition, then(q), otherwise(q))

    @staticmethod
    def maximum(a: Any, b: Any) -> Expr:
        return call("MAX", a, b)

    @staticmethod
    def minimum(a: Any, b: Any) -> Expr:
        return call("MIN", a, b)

    @staticmethod
    def ceil(x: Any) -> Expr:
        # -INT(-x) is the ceiling for every sign; ROUNDUP and CEILING round negatives otherwise
        return -call("INT", -literal(x))

    @staticmethod
    def floor(x: Any) -> Expr:
        return call("INT", x)

    @staticmethod
    def log2(x: Any) -> Expr:
        return call("LOG", x, 2)

    @staticmethod
    def abs(x: Any) -> Expr:
        return call("ABS", x)

    @staticmethod
    def equals(a: Any, text: str) -> Expr:
        return _binary(a, "=", text, _COMPARE)

    # over an hourly range, inside SUMPRODUCT, which evaluates its argument as an array in
    # every engine; IF and MIN would not work hour by hour there, so none is used

    @staticmethod
    def per_hour(x: Any) -> Expr:
        return literal(x)

    @staticmethod
    def hour_sum(x: Any) -> Expr:
        return call("SUMPRODUCT", _all_hours(x))

    @staticmethod
    def hour_max(x: Any) -> Expr:
        hours = literal(_all_hours(x))
        if _PLAIN_RANGE.fullmatch(hours.text):
            return call("MAX", hours)
        # SUMPRODUCT reads its argument hour by hour without an array formula; inside it,
        # LARGE takes an array in every engine (Gnumeric's MAX and ABS would not)
        return call("SUMPRODUCT", call("LARGE", hours, 1))

    @staticmethod
    def hour_count(x: Any) -> Expr:
        return call("ROWS", _all_hours(x))

    @staticmethod
    def smaller(a: Any, b: Any) -> Expr:
        # a - (a - b) where a > b: a comparison is 1 or 0 in arithmetic
        a, b = literal(a), literal(b)
        return a - (a - b) * (a > b)

    @staticmethod
    def previous_hour(x: Any) -> Expr:
        # a shifted hourly range needs cells of its own
        # (the workbook binds it to them; this name would show as #NAME?)
        return call("PREVIOUS_HOUR_NEEDS_CELLS", x)

    @staticmethod
    def shifted(x: Any, built: Callable[[], Any]) -> Expr:
        # a formula reads the previous hour's own cells
        return literal(built())

    @staticmethod
    def tail_shares(x: Any) -> Expr:
        # a sorted hourly range needs cells of its own
        # (the workbook binds it to them; this name would show as #NAME?)
        return call("TAIL_SHARES_NEEDS_CELLS", x)

    @staticmethod
    def hours_before(x: Any) -> Expr:
        # an hour index needs cells of its own
        # (the workbook binds it to them; this name would show as #NAME?)
        return call("HOURS_BEFORE_NEEDS_CELLS", x)

    @staticmethod
    def isnumber(x: Any) -> Expr:
        return call("ISNUMBER", x)

    @staticmethod
    def scaled_breakeven(which: int, profile: Any, *args: Any) -> Expr:
        # a walk no formula can take: the workbook holds the engine's value in a cell of its
        # own (see the builder); written out anywhere else, it shows no figure
        return Expr('"–"')

    @staticmethod
    def isblank(x: Any) -> Expr:
        # x="" holds for an empty cell and for a formula's "" (ISBLANK only for the first):
        # a spare column's look-up that found nothing reads as blank
        return Expr(f'{_wrap(literal(x), _COMPARE + 1)}=""', _COMPARE)

    @staticmethod
    def count(*conditions: Any) -> Expr:
        total = call("IF", conditions[0], 1, 0)
        for condition in conditions[1:]:
            total = total + call("IF", condition, 1, 0)
        return total

    @staticmethod
    def pick(*cases: tuple[Any, str], otherwise: str) -> Expr:
        result = literal(otherwise)
        for condition, label in reversed(cases):
            result = call("IF", condition, label, result)
        return result


NUMPY = NumpyOps()
EXCEL = ExcelOps()
#: TRUE, written as a comparison: some engines reject a bare TRUE literal in a formula
TRUE = Expr("1=1", _COMPARE)


class Numeric:
    """Quantities by attribute: bound values first, else their definition (computed once).

    Bound values broadcast against each other as rows (scenarios); those named in `hourly`
    carry an hour axis last, which takes no part in the rows' shape.
    """

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        bound: Mapping[str, Any],
        fallback: Callable[[str], Any] | None = None,
        hourly: frozenset[str] = frozenset(),
        shape: tuple[int, ...] | None = None,
    ) -> None:
        self._definitions = definitions
        self._bound = dict(bound)
        self._values = dict(bound)
        self._fallback = fallback
        self._hourly = hourly
        self._shape = shape

    def given(self) -> dict[str, Any]:
        """The bound values, by name."""
        return dict(self._bound)

    def row_shape(self) -> tuple[int, ...]:
        """The broadcast shape of the bound values' rows."""
        if self._shape is not None:
            return self._shape
        shapes = [
            np.shape(v)[:-1] if name in self._hourly else np.shape(v)
            for name, v in self._bound.items()
        ]
        return np.broadcast_shapes(*shapes)

    def rows(self, mask: Any) -> Numeric:
        """The same quantities on the rows where `mask` (of the full row shape) holds, as a
        flat run of rows. Nothing derived is carried, and a bound value is picked out only
        when read, so only what the rows need is gathered and computed."""
        shape = mask.shape
        index = np.flatnonzero(mask)

        def picked(name: str) -> Any:
            if name not in self._bound:
                if self._fallback is None:
                    raise AttributeError(f"{name} is neither given nor defined")
                return self._fallback(name)
            array = np.asarray(self._bound[name])
            if name in self._hourly:
                hours = array.shape[-1:]
                if array.ndim == 1:  # one profile for every row
                    return array
                return np.broadcast_to(array, shape + hours).reshape(-1, *hours)[index]
            if array.ndim == 0:
                return array
            if array.shape == shape:  # a run of rows already: take by position
                return array.reshape(-1)[index]
            return np.broadcast_to(array, shape)[mask]

        return Numeric(self._definitions, {}, picked, self._hourly, (index.size,))

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__["_values"]
        if name in values:
            return values[name]
        if name in self._definitions:
            value = self._definitions[name](self, NUMPY)
        elif self._fallback is not None:
            value = self._fallback(name)
        else:
            raise AttributeError(f"{name} is neither given nor defined")
        values[name] = value
        return value


class Symbolic:
    """Quantities as formula text: a bound fragment, else the quantity's own cell, else its
    definition written out inline.

    A quantity that depends on a bound one is always written out, so binding, say,
    `monthly_volume` to a chart's volume cell gives the self-host bill at that volume.
    """

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        cell: Callable[[str], Expr | None],
        bound: Mapping[str, Any] | None = None,
    ) -> None:
        self._definitions = definitions
        self._cell = cell
        self._bound = {k: literal(v) for k, v in (bound or {}).items()}
        #: definitions written out already: a quantity read twice is written once
        self._written: dict[str, Expr] = {}

    def __getattr__(self, name: str) -> Expr:
        bound = self.__dict__["_bound"]
        if name in bound:
            return bound[name]
        home = None if dependencies(self._definitions, name) & bound.keys() else self._cell(name)
        if home is not None:
            return home
        written = self.__dict__["_written"]
        if name in written:
            return written[name]
        if name in self._definitions:
            written[name] = literal(self._definitions[name](self, EXCEL))
            return written[name]
        raise AttributeError(f"{name} has no cell and no definition")

    def rebind(self, definitions: Mapping[str, Definition] | None = None, **bound: Any) -> Symbolic:
        """The same quantities with more of them bound (and perhaps other definitions)."""
        return Symbolic(definitions or self._definitions, self._cell, {**self._bound, **bound})

    def define(self, name: str) -> Expr:
        """The definition of `name` written out, even where `name` has a cell of its own."""
        return literal(self._definitions[name](self, EXCEL))


#: by id of a definitions mapping: the mapping itself (held, so the id is never reused by
#: another) and what each of its quantities reads
_DEPENDENCIES: dict[int, tuple[Mapping[str, Definition], dict[str, frozenset[str]]]] = {}


def dependencies(definitions: Mapping[str, Definition], name: str) -> frozenset[str]:
    """Every quantity `name` reads, directly or through other definitions."""
    held, known = _DEPENDENCIES.setdefault(id(definitions), (definitions, {}))
    assert held is definitions
    if name not in known:
        found: set[str] = set()
        if name in definitions:
            definitions[name](_Reader(definitions, found), EXCEL)
        known[name] = frozenset(found)
    return known[name]


class _Reader:
    """A namespace that records what a definition reads (and, through them, what they read)."""

    def __init__(self, definitions: Mapping[str, Definition], found: set[str]) -> None:
        self._definitions = definitions
        self._found = found

    def __getattr__(self, name: str) -> Expr:
        self._found.add(name)
        self._found.update(dependencies(self._definitions, name))
        return Expr(name)
