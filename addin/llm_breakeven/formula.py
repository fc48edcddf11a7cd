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

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

Definition = Callable[[Any, Any], Any]

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


def call(function: str, *args: Any) -> Expr:
    """A function call in a formula, e.g. call("MAX", 1, x)."""
    return Expr(f"{function}({','.join(literal(a).text for a in args)})")


class NumpyOps:
    """The operations definitions use, on numpy arrays (errors become inf or NaN)."""

    never = np.inf
    false = np.False_

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Any:
        return np.where(condition, if_true, if_false)

    @staticmethod
    def when(condition: Any, then: Callable[[], Any], otherwise: Callable[[], Any]) -> Any:
        """`where`, computing a branch only if some element takes it (costly hourly ones)."""
        taken = np.asarray(condition)
        if not taken.any():
            return otherwise()
        if taken.all():
            return then()
        return np.where(taken, then(), otherwise())

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
    def abs(x: Any) -> Any:
        return np.abs(x)

    @staticmethod
    def isblank(x: Any) -> Any:
        return np.isnan(x)

    @staticmethod
    def equals(a: Any, text: str) -> Any:
        # fixed-width text compares in C; labels (an object array) compare one by one
        return np.asarray(a) == text

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
    def pick(*cases: tuple[Any, str], otherwise: str) -> Any:
        """The label of the first true condition, else `otherwise`; shared Python strings
        (8 bytes a row, where fixed-width unicode would take 40)."""
        labels = np.asarray([label for _, label in cases] + [otherwise], dtype=object)
        code: Any = np.int8(len(cases))
        for index in reversed(range(len(cases))):  # nested where: np.select is twice as slow
            code = np.where(cases[index][0], np.int8(index), code)
        return labels[code]


class ExcelOps:
    """The same operations as native formula text (functions of Excel 2010+ and LibreOffice)."""

    never = Expr('"never"')
    #: FALSE, written as a comparison: some engines reject a bare FALSE literal in a formula
    false = Expr("1=0", _COMPARE)

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Expr:
        return call("IF", condition, if_true, if_false)

    @staticmethod
    def when(condition: Any, then: Callable[[], Any], otherwise: Callable[[], Any]) -> Expr:
        return call("IF", condition, then(), otherwise())

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
        return call("SUMPRODUCT", x)

    @staticmethod
    def hour_max(x: Any) -> Expr:
        # SUMPRODUCT makes MAX read its argument hour by hour without an array formula
        return call("SUMPRODUCT", call("MAX", x))

    @staticmethod
    def hour_count(x: Any) -> Expr:
        return call("ROWS", x)

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
    def isblank(x: Any) -> Expr:
        # x="" holds for an empty cell and for a formula's "" (ISBLANK only for the first):
        # a spare column's look-up that found nothing reads as blank
        return Expr(f'{_wrap(literal(x), _COMPARE + 1)}=""', _COMPARE)

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
    """Quantities by attribute: bound values first, else their definition (computed once)."""

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        bound: Mapping[str, Any],
        fallback: Callable[[str], Any] | None = None,
    ) -> None:
        self._definitions = definitions
        self._values = dict(bound)
        self._fallback = fallback

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

    def __getattr__(self, name: str) -> Expr:
        bound = self.__dict__["_bound"]
        if name in bound:
            return bound[name]
        home = None if dependencies(self._definitions, name) & bound.keys() else self._cell(name)
        if home is not None:
            return home
        if name in self._definitions:
            return literal(self._definitions[name](self, EXCEL))
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
