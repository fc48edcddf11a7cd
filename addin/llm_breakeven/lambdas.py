"""The Excel functions as named LAMBDAs, which Microsoft 365 computes on Windows, Mac and the
web with no Python: the engine's definitions written a third time, after numpy and the
workbook's rows.

A function's arguments stay parameters; every other input takes the default the Excel
function gives it, and what that settles is worked out while writing (`Known`): branches
not taken, arithmetic of constants, `x*1`. A step read more than once is named with LET. So

>>> shown = lambda_of("OPS_MONTHLY_COST").shown
>>> shown[: shown.index(",LET(")]
'LAMBDA(ops_fte,annual_cost_per_fte'
>>> shown[shown.index("IF(bad_argument") :]
'IF(bad_argument="",ops_fte*annual_cost_per_fte/12,bad_argument)))'

The arguments are checked first (`bad_argument`, a LET step): the first one out of its range
gives the Excel function's error text, "#VALUE! ops_fte must be at least 0 (got -1)".

Results match the Excel function's: the same numbers, the same texts where a figure never
comes ("#N/A never: ..."), the same labels, the same errors for bad arguments. A LAMBDA
takes one value an argument: it does not spill over ranges as the Excel function does.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .formula import (
    _ATOM,
    _COMPARE,
    _NEG,
    NUMPY,
    Definition,
    ExcelOps,
    Expr,
    Numeric,
    call,
    code,
    concat,
    dependencies,
    equal,
    literal,
)

#: what the template's LAMBDAs are called: the Excel function's name after this, since the
#: bare names are taken by the template's named rows (breakeven_volume is the scenario's)
PREFIX = "LB."


@dataclass(frozen=True)
class Written:
    """What one LAMBDA writes: `definition`, of the engine's definitions or (`estimate`) of
    the throughput estimator's over the template's Catalogue; `aliases` are the arguments
    that give an input of another name, as the engine function passes them."""

    definition: str
    aliases: Mapping[str, str] = field(default_factory=dict)
    estimate: bool = False
    #: what it gives where no figure comes; None: the Excel function's never text
    never: str | None = None


#: what an estimate gives for a model that does not fit, and a GPU's look-up for a field it
#: has no figure in (the Excel functions' own texts also name the model, GPU or field)
DOES_NOT_FIT = (
    "#N/A does not fit: the weights leave no room for one sequence's KV cache; add GPUs or "
    "lower the precision"
)
NO_FIGURE = "#N/A no such figure"

#: each Excel function a LAMBDA writes
WRITTEN: Mapping[str, Written] = {
    "API_COST_PER_REQUEST": Written("api_cost_per_request"),
    "GPU_MONTHLY_COST": Written("replica_monthly_cost"),
    "REQUESTS_PER_SECOND": Written("requests_per_second"),
    "MONTHLY_CAPACITY": Written("replica_capacity"),
    "PEAK_REQUESTS_PER_SECOND": Written("peak_requests_per_second"),
    "REPLICAS_NEEDED": Written("replicas_needed"),
    "SELFHOST_MONTHLY_COST": Written("selfhost_monthly_cost"),
    "COST_PER_REQUEST": Written("cost_per_request"),
    "COST_PER_MILLION_TOKENS": Written("cost_per_million_tokens"),
    "OPS_MONTHLY_COST": Written("ops_monthly_cost"),
    "AMORTIZED_MONTHLY_COST": Written("amortized_monthly_cost"),
    "OWNED_MONTHLY_COST": Written("owned_monthly_cost"),
    "API_FALLBACK_MONTHLY_COST": Written("api_fallback_monthly_cost"),
    "BREAKEVEN_VOLUME": Written("breakeven_volume"),
    "SUSTAINED_BREAKEVEN_VOLUME": Written("sustained_breakeven_volume"),
    "IN_ALTERNATING_BAND": Written("in_alternating_band"),
    "BREAKEVEN_UTILIZATION": Written(
        "breakeven_utilization", {"replica_monthly_cost": "monthly_cost"}
    ),
    "CHEAPER_OPTION": Written("cheaper_option"),
    "PAYBACK_MONTHS": Written("payback_months"),
    "PEAK_TO_AVERAGE": Written("profile_peak_to_average"),
    "GPU_SPEC": Written("gpu_spec", estimate=True, never=NO_FIGURE),
    "MODEL_MEMORY_GB": Written("model_memory_gb", estimate=True, never=DOES_NOT_FIT),
    "TOKENS_PER_SECOND_ESTIMATE": Written("tokens_per_second_estimate", estimate=True,
                                          never=DOES_NOT_FIT),
    "THROUGHPUT_ESTIMATE": Written("throughput_estimate", estimate=True, never=DOES_NOT_FIT),
}  # fmt: skip

_UNWRITTEN = "#UNWRITTEN!"
_PARAMETER = "_xlpm."
_OPTIONAL = "_xlop."
_NEW = "_xlfn."  # functions newer than the file format: LAMBDA, LET, ISOMITTED


class Known(Expr):
    """A value settled when the function is written (an input at its default, or what such
    inputs give): arithmetic on it is done here, and it is written out only if it must be."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value
        super().__init__(*_written(value))

    def __add__(self, other: Any) -> Expr:
        return _fold("+", self, other)

    def __radd__(self, other: Any) -> Expr:
        return _fold("+", other, self)

    def __sub__(self, other: Any) -> Expr:
        return _fold("-", self, other)

    def __rsub__(self, other: Any) -> Expr:
        return _fold("-", other, self)

    def __mul__(self, other: Any) -> Expr:
        return _fold("*", self, other)

    def __rmul__(self, other: Any) -> Expr:
        return _fold("*", other, self)

    def __truediv__(self, other: Any) -> Expr:
        return _fold("/", self, other)

    def __rtruediv__(self, other: Any) -> Expr:
        return _fold("/", other, self)

    def __pow__(self, other: Any) -> Expr:
        return _fold("^", self, other)

    def __rpow__(self, other: Any) -> Expr:
        return _fold("^", other, self)

    def __neg__(self) -> Expr:
        return Known(-self.value)

    def __lt__(self, other: Any) -> Expr:
        return _fold("<", self, other)

    def __le__(self, other: Any) -> Expr:
        return _fold("<=", self, other)

    def __gt__(self, other: Any) -> Expr:
        return _fold(">", self, other)

    def __ge__(self, other: Any) -> Expr:
        return _fold(">=", self, other)


def _written(value: Any) -> tuple[str, int]:
    """A known value's text and precedence. A branch not taken may hold what no formula can
    (an hour axis, a blank): it is marked, and `_lambdas` refuses a function whose text still
    holds the mark."""
    if np.ndim(value) != 0:
        return _UNWRITTEN, _ATOM
    if isinstance(value, bool | np.bool_):
        return ("1=1" if value else "1=0"), _COMPARE
    number = float(value)
    if not math.isfinite(number):
        return _UNWRITTEN, _ATOM
    text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return text, (_NEG if number < 0 else _ATOM)


_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "^": operator.pow, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
_PLAIN: Mapping[str, Callable[[Expr, Any], Expr]] = {
    "+": Expr.__add__, "-": Expr.__sub__, "*": Expr.__mul__, "/": Expr.__truediv__,
    "^": Expr.__pow__, "<": Expr.__lt__, "<=": Expr.__le__, ">": Expr.__gt__, ">=": Expr.__ge__,
}  # fmt: skip


_RIGHT_IDENTITIES = ((0, "+"), (0, "-"), (1, "*"), (1, "/"), (1, "^"))


def _value(x: Any) -> Any:
    """The value of a `Known` or a Python number, else None."""
    if isinstance(x, Known):
        return x.value
    if isinstance(x, int | float) and not isinstance(x, bool):
        return np.float64(x)
    return None


def _fold(symbol: str, left: Any, right: Any) -> Expr:
    a, b = _value(left), _value(right)
    if a is not None and b is not None:
        with np.errstate(all="ignore"):
            return Known(_ARITHMETIC[symbol](a, b))
    # the identities that hold exactly in floating point: x+0, 0+x, x-0, x*1, 1*x, x/1, x^1
    if a is not None and np.ndim(a) == 0 and (a, symbol) in ((0, "+"), (1, "*")):
        return literal(right)
    if b is not None and np.ndim(b) == 0 and (b, symbol) in _RIGHT_IDENTITIES:
        return literal(left)
    return _PLAIN[symbol](literal(left), right)


def _left_out(argument: Expr) -> Expr:
    """TRUE where an optional argument is left out or a blank cell: its default applies."""
    return call("OR", call(_NEW + "ISOMITTED", argument), ExcelOps.isblank(argument))


class _Argument(Expr):
    """An argument that is never blank: required (the Excel function refuses a blank), or
    optional with a default."""


class _Blankable(Expr):
    """An optional argument whose default is blank (a cached price: the input price)."""


class _Folding(ExcelOps):
    """The workbook's operations, done here where their operands are `Known`."""

    false = Known(False)

    def __init__(self, never: str) -> None:
        # a figure that never comes reads as the Excel function's own text for it
        self.never = literal(never)

    def where(self, condition: Any, if_true: Any, if_false: Any) -> Any:  # type: ignore[override]
        if isinstance(condition, Known):
            return if_true if condition.value else if_false
        both = _value(if_true), _value(if_false)
        if all(v is not None and np.ndim(v) == 0 for v in both) and both[0] == both[1]:
            return Known(both[0])
        return call("IF", condition, if_true, if_false)

    def when(self, q: Any, condition: Any, then: Any, otherwise: Any) -> Any:  # type: ignore[override]
        if isinstance(condition, Known):
            return then(q) if condition.value else otherwise(q)
        return call("IF", condition, then(q), otherwise(q))

    def equals(self, a: Any, text: str) -> Expr:  # type: ignore[override]
        if isinstance(a, Known):
            return Known(bool(a.value == code(text)))
        return ExcelOps.equals(a, text)

    def isblank(self, x: Any) -> Expr:  # type: ignore[override]
        if isinstance(x, Known):
            return Known(bool(np.isnan(x.value)))
        if isinstance(x, _Blankable):
            return _left_out(x)
        if isinstance(x, _Argument):
            return Known(False)
        return ExcelOps.isblank(x)

    def count(self, *conditions: Any) -> Expr:  # type: ignore[override]
        settled = sum(bool(c.value) for c in conditions if isinstance(c, Known))
        open_ = [c for c in conditions if not isinstance(c, Known)]
        return Known(float(settled)) + ExcelOps.count(*open_) if open_ else Known(float(settled))

    def pick(self, *cases: tuple[Any, str], otherwise: str) -> Any:  # type: ignore[override]
        kept: list[tuple[Any, str]] = []
        for condition, label in cases:
            if isinstance(condition, Known):
                if condition.value:
                    otherwise = label
                    break
                continue
            kept.append((condition, label))
        return ExcelOps.pick(*kept, otherwise=otherwise) if kept else literal(otherwise)

    def scaled_breakeven(self, which: int, profile: Any, *args: Any) -> Expr:  # type: ignore[override]
        raise ValueError("a break-even walked hour by hour cannot be written in a LAMBDA")


def _settled(name: str, written: Callable[..., Expr] | None = None) -> Callable[..., Any]:
    """Operation `name` done in numpy when every operand is known, else written out (as the
    workbook writes it, or as `written` does)."""

    def operation(self: _Folding, *args: Any) -> Any:
        values = [_value(a) for a in args]
        if all(v is not None for v in values):
            with np.errstate(all="ignore"):
                return Known(getattr(NUMPY, name)(*values))
        return (written or getattr(ExcelOps, name))(*args)

    return operation


for _name in ("maximum", "minimum", "ceil", "floor", "log2", "abs", "isnumber", "smaller",
              "per_hour", "previous_hour", "tail_shares", "hours_before"):  # fmt: skip
    setattr(_Folding, _name, _settled(_name))
# a profile given as an argument: a range of a row or a column, a blank hour weighing 0
_Folding.hour_sum = _settled("hour_sum", lambda x: call("SUM", x))  # type: ignore[method-assign]
_Folding.hour_max = _settled("hour_max", lambda x: call("MAX", x))  # type: ignore[method-assign]
_Folding.hour_count = _settled(  # type: ignore[method-assign]
    "hour_count", lambda x: call("ROWS", x) * call("COLUMNS", x)
)


class _Writer:
    """Quantities as a LAMBDA's steps: an argument, a `Known` value, or a definition written
    out, which stands as a placeholder until `body` decides to name it or write it inline."""

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        arguments: Mapping[str, Expr],
        constants: Numeric,
        ops: _Folding,
    ) -> None:
        self._definitions = definitions
        self._arguments = arguments
        self._constants = constants
        self._ops = ops
        self._read: dict[str, Expr] = {}
        #: placeholder -> (the name LET gives it, what it stands for), producers first
        self._steps: dict[str, tuple[str, Expr]] = {}
        #: steps always written where they are read (see `step`)
        self._unnamed: set[str] = set()

    def __getattr__(self, name: str) -> Expr:
        read = self.__dict__["_read"]
        if name not in read:
            read[name] = self._reading(name)
        return read[name]

    def _reading(self, name: str) -> Expr:
        if name in self._arguments:
            return self._arguments[name]
        if not dependencies(self._definitions, name) & self._arguments.keys():
            return Known(getattr(self._constants, name))
        return self.step(name, literal(self._definitions[name](self, self._ops)))

    def define(self, name: str) -> Expr:
        return literal(self._definitions[name](self, self._ops))

    def step(self, name: str, written: Expr, kind: type[Expr] = Expr, named: bool = True) -> Expr:
        """`written` as a step called `name`, unless it is a value or a bare name already;
        one not `named` is written out wherever it is read."""
        if isinstance(written, Known) or re.fullmatch(r"[\w.]+|\x00\d+\x00", written.text):
            return written
        placeholder = f"\x00{len(self._steps)}\x00"
        self._steps[placeholder] = (name, written)
        if not named:
            self._unnamed.add(placeholder)
        return kind(placeholder, written.precedence)

    def body(self, result: Expr) -> str:
        """`result` with each step written inline where read once, named with LET where read
        more often (the LET lists them producers first, as each reads only earlier ones)."""
        texts = {p: written.text for p, (_, written) in self._steps.items()}
        uses: dict[str, int] = {}
        named: dict[str, str] = {}
        for placeholder in reversed(self._steps):  # each step's readers come after it
            uses[placeholder] = result.text.count(placeholder) + sum(
                text.count(placeholder) * (1 if reader in named else uses[reader])
                for reader, text in texts.items()
                if reader in uses and reader != placeholder
            )
            if uses[placeholder] > 1 and placeholder not in self._unnamed:
                named[placeholder] = _PARAMETER + self._steps[placeholder][0]
        named = {p: named[p] for p in self._steps if p in named}  # producers first
        assert len(set(named.values())) == len(named), "two steps of one name"

        @functools.cache
        def inline(text: str) -> str:
            def replaced(match: re.Match[str]) -> str:
                placeholder = match.group(1) or match.group(2)
                if placeholder in named:  # a name needs no parentheses
                    return named[placeholder]
                written = inline(texts[placeholder])
                return f"({written})" if match.group(1) else written

            # parentheses that group, not those of a call: IF(x) keeps its own
            return re.sub(r"(?<![\w.])\((\x00\d+\x00)\)|(\x00\d+\x00)", replaced, text)

        final = inline(result.text)
        if not named:
            return final
        bindings = [f"{name},{inline(texts[p])}" for p, name in named.items()]
        return f"{_NEW}LET({','.join(bindings)},{final})"


@dataclass(frozen=True)
class Lambda:
    """One named LAMBDA: the Excel function it stands for, its parameters and its text."""

    function: str
    parameters: tuple[str, ...]
    #: the parameters a call may leave out (the Excel function's optional arguments)
    optional: tuple[str, ...]
    #: the definition as a file stores it (_xlfn.LAMBDA(_xlpm.a,_xlop.b,...))
    stored: str

    @property
    def name(self) -> str:
        return PREFIX + self.function

    @property
    def shown(self) -> str:
        """As Excel's Name Manager shows it: LAMBDA(a,[b],...)."""
        text = re.sub(re.escape(_OPTIONAL) + r"(\w+)", r"[\1]", self.stored)
        return text.replace(_NEW, "").replace(_PARAMETER, "")

    #: the optional parameters' defaults, as a formula writes them
    defaults: tuple[str, ...] = ()

    @property
    def signature(self) -> str:
        """LB.NAME(a, b, [c=1])"""
        given = dict(zip(self.optional, self.defaults, strict=True))
        arguments = [f"[{p}={given[p]}]" if p in given else p for p in self.parameters]
        return f"{self.name}({', '.join(arguments)})"


def engine_of(function: str) -> Callable[..., Any]:
    """The engine's function behind Excel function `function` (one of `WRITTEN`)."""
    from . import catalogue, estimator, model

    looked_up: dict[str, Callable[..., Any]] = {
        "GPU_SPEC": catalogue.gpu_spec,
        "MODEL_MEMORY_GB": estimator.model_memory_gb,
        "TOKENS_PER_SECOND_ESTIMATE": estimator.estimate,
        "THROUGHPUT_ESTIMATE": estimator.estimate,
    }
    found: Callable[..., Any] = looked_up.get(function) or getattr(model, function.lower())
    return found


def lambda_of(function: str) -> Lambda:
    """The named LAMBDA of Excel function `function` (one of `WRITTEN`)."""
    return _lambdas()[function]


def lambdas() -> tuple[Lambda, ...]:
    """Every named LAMBDA, in `WRITTEN`'s order."""
    return tuple(_lambdas().values())


@functools.cache
def _lambdas() -> dict[str, Lambda]:
    from . import udf_adapter, udfs
    from .model.evaluation import DEFINITIONS, HOURLY, default_of

    engine_constants = Numeric(DEFINITIONS, {}, default_of, HOURLY)
    estimates, estimate_constants = _estimate_definitions()
    written: dict[str, Lambda] = {}
    for function, what in WRITTEN.items():
        udf = getattr(udfs, function)
        defaults = udf_adapter.defaults_of(udf)
        optional = tuple(p for p, d in defaults.items() if d is not udf_adapter.no_default)
        never = what.never or udf_adapter.never_text(engine_of(function))
        if what.estimate:
            definitions, constants = estimates, estimate_constants
        else:
            definitions, constants = DEFINITIONS, engine_constants
        arguments: dict[str, Expr] = {}
        writer = _Writer(definitions, arguments, constants, _Folding(never))
        for parameter, default in defaults.items():
            given = Expr(_PARAMETER + parameter)
            if default is udf_adapter.no_default:
                arguments[parameter] = _Argument(given.text)
            elif default is None:
                arguments[parameter] = _Blankable(given.text)
            else:
                # left out, or a blank cell, as the Excel function reads a blank
                taken = literal(default) if isinstance(default, str) else Known(default)
                chosen = call("IF", _left_out(given), taken, given)
                arguments[parameter] = writer.step(parameter + "_used", chosen, _Argument)
        for quantity, parameter in what.aliases.items():
            arguments[quantity] = arguments[parameter]
        if what.estimate:
            _look_up(writer, arguments)
        # the first bad argument, in order, names the error; with none, the figure
        bad: Expr = literal("")
        for parameter in reversed(tuple(defaults)):
            bad = _checked(parameter, arguments[parameter], bad, what.estimate)
        figure = writer.define(what.definition)
        if bad.text != '""':
            bad = writer.step("bad_argument", bad)
            figure = call("IF", equal(bad, ""), figure, bad)
        body = writer.body(figure)
        declared = [(_OPTIONAL if p in optional else _PARAMETER) + p for p in defaults]
        stored = f"{_NEW}LAMBDA({','.join(declared)},{body})"
        if _UNWRITTEN in stored:
            raise ValueError(f"{function} reads a blank, never or hourly value as a LAMBDA")
        shown = tuple(_shown_default(defaults[p]) for p in optional)
        written[function] = Lambda(function, tuple(defaults), optional, stored, shown)
    return written


def _checked(name: str, value: Expr, result: Expr, estimate: bool) -> Expr:
    """`result` where argument `name` holds a valid value, else the Excel function's error
    text for it: "#VALUE! utilization must be between 0 and 1 (got 1.5)" (an `estimate`'s
    arguments by the estimator's rules)."""
    from . import estimator
    from .quantities import QUANTITIES
    from .units import TEXT

    quantity = QUANTITIES[name]
    if quantity.unit is TEXT:  # a name: MATCH finds it or gives #N/A
        return result
    if name == "hourly_profile":
        hours = call("ROWS", value) * call("COLUMNS", value)
        valid = call("AND", call("OR", equal(hours, 24), equal(hours, 168)),
                     call("MIN", value) >= 0, call("SUM", value) > 0)  # fmt: skip
        message = literal(f"#VALUE! {name} must be 24 or 168 weights of at least 0, not all 0")
        return call("IF", valid, result, message)
    if estimate and name in estimator.ARGUMENT_BOUNDS:
        bound, needed = estimator.ARGUMENT_BOUNDS[name], estimator.requirement(name)
    else:
        bound, needed = quantity.bound, quantity.bound.requirement()
    valid = Expr(bound.excel_condition(value.text))
    if isinstance(value, _Blankable):  # blank: the default
        valid = call("OR", _left_out(value), valid)
    message = concat(f"#VALUE! {name} must be {needed} (got ", value, ")")
    return call("IF", valid, result, message)


def _shown_default(default: Any) -> str:
    if default is None:
        return "blank"
    if isinstance(default, str):
        return f'"{default}"'
    return Known(default).text


def _estimate_definitions() -> tuple[dict[str, Definition], Numeric]:
    """The estimator's definitions and the functions' over them, with a GPU's specification
    by field; and the estimator's constants."""
    from . import catalogue, estimator
    from .quantities import QUANTITIES

    def gpu_spec(q: Any, f: Any) -> Any:
        found = f.never  # an unknown field
        for name in reversed(catalogue.GPU_FIELDS):
            # a blank figure is unpublished (no fp8 peak on an A100); tested where it is
            # looked up, as IF passes on a blank cell as 0 in some engines
            listed = f.where(f.isblank(getattr(q, f"listed_{name}")), f.never, getattr(q, name))
            found = f.where(f.equals(q.gpu_field, name), listed, found)
        return found

    definitions = {**estimator.DEFINITIONS, **estimator.FUNCTION_DEFINITIONS,
                   "gpu_spec": gpu_spec}  # fmt: skip
    given = {q.name: q.default for q in estimator.CONSTANTS} | {"half": QUANTITIES["half"].default}
    return definitions, Numeric(definitions, given)


def _look_up(writer: _Writer, arguments: dict[str, Expr]) -> None:
    """The Catalogue's figures of the model, GPU and precision named by the arguments, as the
    workbook's throughput picker reads them (`workbook.estimate`)."""
    from . import catalogue, estimator

    tables = (("model", "model", estimator.MODEL_FIGURES),
              ("gpu", "gpu", (*estimator.GPU_FIGURES, "tdp_w")),
              ("precision", "precision", tuple(estimator.PRECISION_FIGURES)))  # fmt: skip
    for argument, table, figures in tables:
        if argument not in arguments:
            continue
        names = Expr(f"catalogue_{table}_name")
        row = writer.step(f"{table}_row", call("MATCH", arguments[argument], names, 0))
        for figure in figures:
            listed = call("INDEX", Expr(f"catalogue_{table}_{figure}"), row)
            # a cell as found, where a blank one is told apart (LET may keep its value, 0)
            arguments[f"listed_{figure}"] = writer.step(f"listed_{figure}", listed, named=False)
            # a blank figure (a dense model's experts, a GPU without fp8) reads as 0
            arguments[figure] = writer.step(figure, call("N", arguments[f"listed_{figure}"]))
    assert set(catalogue.GPU_FIELDS) <= set(arguments) or "gpu" not in arguments
