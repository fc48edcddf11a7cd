"""The third reading of the definitions: one compiled loop over rows, for large evaluations.

`model.evaluate` on a few rows walks the definitions with numpy (`formula.Numeric`); on many
rows each numpy pass costs a trip through memory and the interpreter. Here the same
definitions are read once more, over `Code` fragments that build Python source for a single
row, and the whole set of outputs asked for becomes one loop that numba compiles: every
intermediate stays in a register, and the hourly work runs only on the rows whose billing
takes it (an `if` per row, where numpy gathers those rows).

The loop computes what the numpy reading computes, operation for operation in the same order
(IEEE arithmetic, numpy's NaN-propagating maximum and minimum, and numpy's pairwise sum over
a profile's hours), so the two agree to the last bit; `tests/test_kernel.py` holds them to it.

numba is optional: without it (or for a definition using an operation this reading lacks)
`compiled` returns None and the engine stays on numpy. Compiled loops are cached on disk
(`cache_dir`), so a process pays the compile once per set of outputs and machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import inspect
import math
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .bounds import Bound
from .formula import Branch, Definition, code

#: the hour index inside an hourly fragment, and that of the hour before (a profile repeats)
_HOUR, _PREVIOUS = "@h@", "@hp@"


class Unsupported(Exception):
    """A definition uses an operation the compiled reading does not have."""


class Code:
    """Python source of one row's value; `hourly` fragments index an hour axis (`_HOUR`)."""

    __slots__ = ("hourly", "text")

    def __init__(self, text: str, hourly: bool = False) -> None:
        self.text = text
        self.hourly = hourly

    def _binary(self, op: str, other: Any, swap: bool = False) -> Code:
        a, b = (source(other), self) if swap else (self, source(other))
        return Code(f"({a.text} {op} {b.text})", a.hourly or b.hourly)

    def __add__(self, other: Any) -> Code:
        return self._binary("+", other)

    def __radd__(self, other: Any) -> Code:
        return self._binary("+", other, swap=True)

    def __sub__(self, other: Any) -> Code:
        return self._binary("-", other)

    def __rsub__(self, other: Any) -> Code:
        return self._binary("-", other, swap=True)

    def __mul__(self, other: Any) -> Code:
        return self._binary("*", other)

    def __rmul__(self, other: Any) -> Code:
        return self._binary("*", other, swap=True)

    def __truediv__(self, other: Any) -> Code:
        return self._binary("/", other)

    def __rtruediv__(self, other: Any) -> Code:
        return self._binary("/", other, swap=True)

    def __pow__(self, other: Any) -> Code:
        # numpy raises floats to float powers with C's pow (no integer fast path)
        return Code(f"np.power(np.float64({self.text}), np.float64({source(other).text}))",
                    self.hourly or source(other).hourly)  # fmt: skip

    def __rpow__(self, other: Any) -> Code:
        return source(other) ** self

    def __neg__(self) -> Code:
        return Code(f"(-{self.text})", self.hourly)

    def __lt__(self, other: Any) -> Code:
        return self._binary("<", other)

    def __le__(self, other: Any) -> Code:
        return self._binary("<=", other)

    def __gt__(self, other: Any) -> Code:
        return self._binary(">", other)

    def __ge__(self, other: Any) -> Code:
        return self._binary(">=", other)

    def __bool__(self) -> bool:
        raise TypeError("a compiled value has no truth value: use f.where, not if")


def source(value: Any) -> Code:
    """A Python value as source: floats exactly (repr round-trips), infinities and NaN by name."""
    if isinstance(value, Code):
        return value
    if isinstance(value, bool | np.bool_):
        return Code(str(bool(value)))
    if isinstance(value, int | np.integer):
        return Code(str(int(value)))
    if isinstance(value, float | np.floating):
        number = float(value)
        if number != number:
            return Code("np.nan")
        if number in (np.inf, -np.inf):
            return Code("np.inf" if number > 0 else "(-np.inf)")
        return Code(f"({number!r})" if number < 0 else repr(number))
    raise Unsupported(f"no source for {value!r}")


def _call(function: str, *args: Any) -> Code:
    parts = [source(a) for a in args]
    return Code(f"{function}({', '.join(p.text for p in parts)})", any(p.hourly for p in parts))


class _Scope:
    """The quantities of one row, read as attributes: each definition read becomes a local
    variable assigned once (in the scope's lines, before whatever reads it). A `when` branch
    is a child scope: it sees what its parent computed and keeps what it computes itself."""

    def __init__(self, loop: _Loop, parent: _Scope | None = None) -> None:
        self._loop = loop
        self._known: dict[str, Code] = {} if parent is None else dict(parent._known)
        self.lines: list[str] = []

    def __getattr__(self, name: str) -> Code:
        known = self.__dict__["_known"]
        if name in known:
            return known[name]
        loop: _Loop = self.__dict__["_loop"]
        if name in loop.definitions:
            with self.writing():
                value = source(loop.definitions[name](self, OPS))
            if re.fullmatch(rf"\w+(\[({_HOUR}|{_PREVIOUS}|\w+, {_HOUR})\])?", value.text):
                known[name] = value  # another name for a value held already
                return value
            variable = loop.fresh(name)
            if value.hourly:
                loop.scratch.append(variable)
                self.lines.extend(_each_hour(f"{variable}[{_HOUR}] = {value.text}"))
                known[name] = Code(f"{variable}[{_HOUR}]", hourly=True)
            else:
                self.lines.append(f"{variable} = {value.text}")
                known[name] = Code(variable)
        else:
            known[name] = loop.input(name)
        return known[name]

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Make this the scope that hour sums write their loops into, for a while."""
        outer = getattr(_WRITING, "scope", None)
        _WRITING.scope = self
        try:
            yield
        finally:
            _WRITING.scope = outer

    def over_hours(self, function: str, x: Code) -> Code:
        """`function` of hourly `x` over the hours, once a row: `x` is an array of hours
        already, or fills one of its own here."""
        held = re.fullmatch(rf"(\w+)\[{_HOUR}\]", x.text)
        if x.text == f"profiles[row_profile, {_HOUR}]":
            # the profile's own sums: once a profile, before the loop (one for every row, often)
            self._loop.of_profile.add(function)
            return Code(f"{function}_of_profile[row_profile]")
        if held:
            hours = held.group(1)
        else:
            hours = self._loop.fresh("hours")
            self._loop.scratch.append(hours)
            self.lines.extend(_each_hour(f"{hours}[{_HOUR}] = {x.text}"))
        variable = self._loop.fresh(function.strip("_"))
        self.lines.append(f"{variable} = {function}({hours})")
        return Code(variable)


def _each_hour(assignment: str) -> list[str]:
    """A loop over the hours; one that reads the hour before takes the first hour apart (its
    predecessor is the last), so the loop itself runs straight and the compiler vectorizes it."""
    if _PREVIOUS not in assignment:
        return ["for h in range(H):", "    " + assignment.replace(_HOUR, "h")]
    first = assignment.replace(_HOUR, "0").replace(_PREVIOUS, "H - 1")
    rest = assignment.replace(_HOUR, "h").replace(_PREVIOUS, "h - 1")
    return [first, "for h in range(1, H):", "    " + rest]


class KernelOps:
    """The operations of `formula.NumpyOps`, as Python source for one row (numpy's scalar
    functions where they differ from Python's: NaN propagates through maximum and minimum)."""

    never = Code("np.inf")
    false = Code("False")

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Code:
        c, a, b = source(condition), source(if_true), source(if_false)
        return Code(f"({a.text} if {c.text} else {b.text})", c.hourly or a.hourly or b.hourly)

    @staticmethod
    def when(q: _Scope, condition: Any, then: Branch, otherwise: Branch) -> Code:
        # an if per row: the costly branch runs only on the rows that take it
        loop: _Loop = q.__dict__["_loop"]
        taken, rest = _Scope(loop, q), _Scope(loop, q)
        with taken.writing():
            first = source(then(taken))
        with rest.writing():
            second = source(otherwise(rest))
        variable = loop.fresh("when")
        q.lines.append(f"if {source(condition).text}:")
        q.lines.extend("    " + line for line in taken.lines)
        q.lines.append(f"    {variable} = np.float64({first.text})")
        q.lines.append("else:")
        q.lines.extend("    " + line for line in rest.lines)
        q.lines.append(f"    {variable} = np.float64({second.text})")
        return Code(variable)

    @staticmethod
    def maximum(a: Any, b: Any) -> Code:
        return _call("np.maximum", a, b)

    @staticmethod
    def minimum(a: Any, b: Any) -> Code:
        return _call("np.minimum", a, b)

    @staticmethod
    def ceil(x: Any) -> Code:
        return _call("np.ceil", x)

    @staticmethod
    def abs(x: Any) -> Code:
        return _call("np.abs", x)

    @staticmethod
    def isblank(x: Any) -> Code:
        return _call("np.isnan", x)

    @staticmethod
    def isnumber(x: Any) -> Code:
        return _call("np.isfinite", x)

    @staticmethod
    def scaled_breakeven(which: int, profile: Any, *args: Any) -> Code:
        weights = source(profile)
        if weights.text != f"profiles[row_profile, {_HOUR}]":
            raise Unsupported("a walk over hours other than the profile's")
        loop = _writing()._loop
        loop.walks = True
        names = ("walk_replicas", "walk_per_request")
        loop.scratch.extend(name for name in names if name not in loop.scratch)
        row = Code("profiles[row_profile]")
        scratch = [Code(name) for name in names]
        return _call("scaled_breakeven", which, row, *args, *scratch, Code("MAX_STEPS"))

    @staticmethod
    def equals(a: Any, text: str) -> Code:
        return source(a)._binary("==", code(text))

    @staticmethod
    def per_hour(x: Any) -> Code:
        return source(x)

    @staticmethod
    def hour_sum(x: Any) -> Code:
        return _writing().over_hours("_hour_sum", source(x))

    @staticmethod
    def hour_max(x: Any) -> Code:
        return _writing().over_hours("_hour_max", source(x))

    @staticmethod
    def hour_count(x: Any) -> Code:
        return Code("np.float64(H)")

    @staticmethod
    def smaller(a: Any, b: Any) -> Code:
        return _call("np.minimum", a, b)

    @staticmethod
    def previous_hour(x: Any) -> Code:
        x = source(x)
        if _PREVIOUS in x.text:
            raise Unsupported("two hours back")
        return Code(x.text.replace(_HOUR, _PREVIOUS), hourly=True)

    @staticmethod
    def shifted(x: Any, built: Callable[[], Any]) -> Code:
        return KernelOps.previous_hour(x)

    @staticmethod
    def hours_before(x: Any) -> Code:
        raise Unsupported("hours_before")

    @staticmethod
    def tail_shares(x: Any) -> Code:
        raise Unsupported("tail_shares")

    @staticmethod
    def count(*conditions: Any) -> Code:
        return Code("(" + " + ".join(f"np.int64({source(c).text})" for c in conditions) + ")")

    @staticmethod
    def pick(*cases: tuple[Any, str], otherwise: str) -> Code:
        picked = source(code(otherwise))
        for condition, label in reversed(cases):
            picked = KernelOps.where(condition, code(label), picked)
        return picked


OPS = KernelOps()

#: the scope being written (`_Scope.writing`): an hour sum of a compound fragment fills an
#: array of its own, in a loop among that scope's lines
_WRITING = threading.local()


def _writing() -> _Scope:
    scope: _Scope = _WRITING.scope
    return scope


@dataclass
class _Loop:
    """What a loop over rows needs: its definitions, the inputs read, locals and scratch."""

    definitions: Mapping[str, Definition]
    is_input: Callable[[str], bool]
    constant: Callable[[str], Any]
    inputs: list[str]
    scratch: list[str]
    #: functions over hours taken of the profile itself, computed once a profile
    of_profile: set[str] = field(default_factory=set)
    #: whether a row walks a scaling bill (`crossing`)
    walks: bool = False
    count: int = 0

    def fresh(self, name: str) -> str:
        self.count += 1
        return f"v{self.count}_{name}"

    def input(self, name: str) -> Code:
        if not self.is_input(name):
            return source(self.constant(name))
        if name not in self.inputs:
            self.inputs.append(name)
        if name == "hourly_profile":
            return Code(f"profiles[row_profile, {_HOUR}]", hourly=True)
        return Code(f"x_{name}")


_HELPERS = """from __future__ import annotations

import math

import numpy as np
import numba


@numba.njit(error_model="numpy", nogil=True, cache=True)
def _block_sum(a):
    # numpy's pairwise sum of at most 128 numbers: eight running sums, then the rest
    n = a.shape[0]
    if n < 8:
        total = 0.0
        for i in range(n):
            total += a[i]
        return total
    r0, r1, r2, r3 = a[0], a[1], a[2], a[3]
    r4, r5, r6, r7 = a[4], a[5], a[6], a[7]
    i = 8
    while i < n - n % 8:
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        total += a[i]
        i += 1
    return total


@numba.njit(error_model="numpy", nogil=True, cache=True)
def _hour_sum(a):
    # numpy halves a sum of more than 128 numbers (a week's 168 hours: 80 + 88)
    n = a.shape[0]
    if n <= 128:
        return _block_sum(a)
    if n > 256:
        raise ValueError("a profile has at most 256 hours")
    half = n // 2
    half -= half % 8
    return _block_sum(a[:half]) + _block_sum(a[half:])


@numba.njit(error_model="numpy", nogil=True, cache=True)
def _hour_max(a):
    # numpy's max: NaN wins
    best = a[0]
    for i in range(1, a.shape[0]):
        best = np.maximum(best, a[i])
    return best
"""


def _crossing_source() -> str:
    """`crossing`'s walk, compiled beside the loop (one source, two readings)."""
    from . import crossing

    decorator = '@numba.njit(error_model="numpy", nogil=True, cache=True)'
    constants = "".join(f"{name} = {getattr(crossing, name)!r}\n"
                        for name in ("_NUDGE", "_SLIVER", "MAX_STEPS", "GAVE_UP"))  # fmt: skip
    functions = (f"{decorator}\n{inspect.getsource(f)}" for f in crossing.COMPILED)
    return "\n\n".join([constants, *functions])


#: how an input is checked as a row reads it: its bound, and whether it may be blank (NaN)
Checked = Mapping[str, tuple[Bound, bool]]


def render(
    names: tuple[str, ...],
    definitions: Mapping[str, Definition],
    is_input: Callable[[str], bool],
    constant: Callable[[str], Any],
    checked: Checked,
) -> tuple[str, list[str]]:
    """The source of a module whose `rows` computes `names` row by row, and the inputs it
    reads in its argument order (raises Unsupported where a definition needs what it lacks).

    `rows(n, *inputs, *steps, profile, profile_step, *outputs)`: each input is a 1-D array
    read at `i * step` (a step of 0 for a value shared by every row), the profile a 2-D array
    of hours, and each output an array of `n` rows the loop fills. It returns False when an
    input in `checked` was out of its bound in some row (the caller then finds and names it).
    """
    loop = _Loop(definitions, is_input, constant, inputs=[], scratch=[])
    top = _Scope(loop)
    results = []
    for name in names:
        value = getattr(top, name)
        if value.hourly:
            raise Unsupported(f"{name} has an hour axis")
        results.append(value.text)
    inputs = [name for name in loop.inputs if name != "hourly_profile"]
    arguments = [f"a_{n}" for n in inputs] + [f"s_{n}" for n in inputs]
    arguments += ["profiles", "profile_step"] + [f"o_{i}" for i in range(len(names))]
    body = [f"def rows(n, {', '.join(arguments)}):", "    H = profiles.shape[1]"]
    body.append("    within = True")
    body += [f"    {variable} = np.empty(H)" for variable in loop.scratch]
    for function in sorted(loop.of_profile):
        body.append(f"    {function}_of_profile = np.empty(profiles.shape[0])")
        body.append("    for j in range(profiles.shape[0]):")
        body.append(f"        {function}_of_profile[j] = {function}(profiles[j])")
    body.append("    for i in range(n):")
    if "hourly_profile" in loop.inputs:
        body.append("        row_profile = i * profile_step")
    body += [f"        x_{n} = a_{n}[i * s_{n}]" for n in inputs]
    # one chain of & (no short cuts, no branches): a few instructions a value
    tests = [_within(f"x_{n}", *checked[n]) for n in inputs if n in checked]
    body += [f"        within &= {test}" for test in tests]
    body += ["        " + line for line in top.lines]
    body += [f"        o_{i}[i] = {text}" for i, text in enumerate(results)]
    body.append("    return within")
    decorator = '@numba.njit(error_model="numpy", nogil=True, cache=True)'
    helpers = [_HELPERS, _crossing_source()] if loop.walks else [_HELPERS]
    return "\n".join([*helpers, "", decorator, *body, ""]), inputs


def _within(x: str, bound: Bound, blank_ok: bool) -> str:
    """The condition that `x` is a valid value: finite and inside `bound` (or NaN, a blank,
    where `blank_ok`); comparisons with NaN are false, so a NaN fails the bound."""
    low = f"{x} > {bound.low!r}" if bound.low_open else f"{x} >= {bound.low!r}"
    high = f"{x} < {bound.high!r}" if bound.high_open else f"{x} <= {bound.high!r}"
    parts = [low, high if math.isfinite(bound.high) else f"{x} < np.inf"]
    if bound.whole:
        parts.append(f"{x} == np.floor({x})")
    condition = " & ".join(f"({part})" for part in parts)
    return f"(np.isnan({x}) | ({condition}))" if blank_ok else f"({condition})"


def cache_dir() -> Path:
    """Where compiled loops are kept: $LLM_BREAKEVEN_CACHE, else the user's cache folder."""
    chosen = os.environ.get("LLM_BREAKEVEN_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "llm-breakeven" / "kernels"


@dataclass(frozen=True)
class Compiled:
    """A compiled loop over rows and the inputs it reads, in its argument order."""

    rows: Callable[..., bool]
    #: the inputs read, in the loop's argument order ("hourly_profile" among them)
    inputs: tuple[str, ...]

    def held(self, given: Mapping[str, Any]) -> list[np.ndarray]:
        """Every one of `inputs` from `given` as the loop takes it (see `_held`): a run of
        rows, or one row for a value shared by all. Done once for all the chunks."""
        return [_held(given[name], hourly=name == "hourly_profile") for name in self.inputs]

    def __call__(
        self, held: list[np.ndarray], start: int, stop: int, outputs: list[np.ndarray]
    ) -> bool:
        """Fill `outputs` (arrays of `stop - start` rows) from rows `start` to `stop` of
        `held` (`held`'s result). False if an input of some row was out of its bound."""
        parts = [array if array.shape[0] == 1 else array[start:stop] for array in held]
        steps = [0 if array.shape[0] == 1 else 1 for array in held]
        # the arguments: the inputs, their steps, then the profile and its step
        arguments = [*parts[:-1], *steps[:-1], parts[-1], steps[-1]]
        return bool(self.rows(stop - start, *arguments, *outputs))


def _held(value: Any, hourly: bool = False) -> np.ndarray:
    """`value` as the loop takes it: a read-only C array of floats (or int8 codes), a row
    axis first (of one row for a shared value), so one compiled signature serves every call."""
    array = np.asarray(value)
    array = np.ascontiguousarray(array, dtype=np.int8 if array.dtype.kind == "i" else np.float64)
    if array.ndim == (1 if hourly else 0):
        array = array.reshape(1, *array.shape)
    return np.broadcast_to(array, array.shape)


_COMPILED: dict[tuple[int, tuple[str, ...]], Compiled | None] = {}
_LOCK = threading.Lock()


def compiled(
    names: tuple[str, ...],
    definitions: Mapping[str, Definition],
    is_input: Callable[[str], bool],
    constant: Callable[[str], Any],
    checked: Checked,
) -> Compiled | None:
    """The compiled loop for `names`, or None where numba is missing, the definitions need
    an operation the loop lacks, or `LLM_BREAKEVEN_KERNEL=0` asks for numpy alone. Kept
    per process by `definitions` and `names`: a caller passes the same `is_input`,
    `constant` and `checked` with the same definitions every time."""
    if os.environ.get("LLM_BREAKEVEN_KERNEL", "1") == "0":
        return None
    key = (id(definitions), names)
    with _LOCK:
        if key not in _COMPILED:
            _COMPILED[key] = _build(names, definitions, is_input, constant, checked)
        return _COMPILED[key]


def _build(
    names: tuple[str, ...],
    definitions: Mapping[str, Definition],
    is_input: Callable[[str], bool],
    constant: Callable[[str], Any],
    checked: Checked,
) -> Compiled | None:
    if importlib.util.find_spec("numba") is None:
        return None
    try:
        text, inputs = render(names, definitions, is_input, constant, checked)
    except Unsupported:
        return None
    module = _load(text)
    return Compiled(module.rows, (*inputs, "hourly_profile"))


def _load(text: str) -> Any:
    """The module of source `text`, from a file named by its hash (numba caches the machine
    code beside it); where the cache folder cannot be written, from a private temporary
    folder (compiled again by each process)."""
    import numba  # noqa: F401  (a clear ImportError here, not inside the generated module)

    name = "llm_breakeven_rows_" + hashlib.sha256(text.encode()).hexdigest()[:20]
    try:
        path = _written(cache_dir(), name, text)
    except OSError:
        path = _written(Path(tempfile.mkdtemp(prefix="llm-breakeven-")), name, text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _written(folder: Path, name: str, text: str) -> Path:
    """`folder`/`name`.py holding `text`: written whole or not at all, whoever writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    if not path.exists() or path.read_text() != text:
        partial = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        partial.write_text(text)
        os.replace(partial, path)
    return path


_CROSSING: list[Any] = []


def compiled_crossing() -> Callable[..., float] | None:
    """`crossing.scaled_breakeven` compiled (None without numba, or with
    `LLM_BREAKEVEN_KERNEL=0`)."""
    if os.environ.get("LLM_BREAKEVEN_KERNEL", "1") == "0":
        return None
    if importlib.util.find_spec("numba") is None:
        return None
    with _LOCK:
        if not _CROSSING:
            _CROSSING.append(_load("\n".join([_HELPERS, _crossing_source(), ""])))
        walk: Callable[..., float] = _CROSSING[0].scaled_breakeven
        return walk
