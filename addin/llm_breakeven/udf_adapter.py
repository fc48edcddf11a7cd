"""The Excel functions' adapter: each argument from a cell, a range or an array to the engine's
input, blanks and errors marked, the result back as a cell, a spilled array or an Excel
error, and the catalogue look-ups the functions share.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import xlwings as xw

from . import model, projection
from .quantities import MAX_SYMBOL, QUANTITIES
from .units import BOOLEAN

no_default = inspect.Parameter.empty
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
    | {"#SPILL!", "#CALC!", "#BLOCKED!", "#FIELD!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)
#: what an infinite result means, by engine function
_NEVER = {
    model.breakeven_volume: "#N/A never: the API is cheaper at every volume",
    model.sustained_breakeven_volume: "#N/A never: the API is cheaper at every volume",
    model.breakeven_utilization: "#N/A never: the API costs no more than the variable cost",
    model.payback_months: "#N/A never: the savings are not positive",
    projection.best_switch_month: "#N/A never: no switch month has a positive NPV",
    projection.switch_npv: "#VALUE! switch_month is past the horizon",
}


def never_text(engine: Callable[..., Any]) -> str:
    """What an Excel function shows where `engine` gives no finite figure."""
    return _NEVER.get(engine, "#NUM! no finite result")


class Bad(str):
    """An error message standing in for a cell's value: its Excel error code, a space, and
    why ("#VALUE! utilization must be ...")."""

    @property
    def code(self) -> str:
        """The Excel error code alone: "#VALUE!", "#N/A", "#NUM!", ..."""
        return self.split(" ", 1)[0]


_TEXT_ARGUMENTS = ("gpu", "gpu_field", "provider", "pricing", "precision", "model", "api_model",
                   "price_kind", "api_provider")  # fmt: skip


#: the figures a function reports as never (`_NEVER`): read back as never where an argument
_NEVER_NAMES = frozenset(f.__name__ for f, words in _NEVER.items() if "never" in words)


def lookup(udf: Callable[..., Any], what: str, args: dict[str, Any]) -> Any:
    """Convert single-cell arguments, call a catalogue look-up, convert the result."""
    return guarded_call(look_up, udf, what, args)


def look_up(udf: Callable[..., Any], what: str, args: dict[str, Any]) -> Any:
    from . import catalogue, estimator, prices

    defaults = defaults_of(udf)
    values: dict[str, Any] = {}
    for name, value in args.items():
        if isinstance(value, list | tuple):
            return Bad(f"#VALUE! {name} must be a single cell in {udf.__name__}")
        if name in _TEXT_ARGUMENTS:
            if value is None or (isinstance(value, str) and not value.strip()):
                if defaults[name] is no_default:
                    return Bad(f"#VALUE! {name} is required (the cell is blank)")
                values[name] = defaults[name]
            elif not isinstance(value, str):
                return Bad(f"#VALUE! {name} must be text (got {plain_of(value)!r})")
            elif value.strip().upper() in _EXCEL_ERRORS:
                code = value.strip().upper()
                return Bad(f"{code} {name} refers to an error ({code})")
            else:
                values[name] = value.strip()
            continue
        number, error = cell_of(name, value, defaults[name])
        if error is not None:
            return error
        values[name] = number
    try:
        if what == "gpu_spec":
            return catalogue.gpu_spec(values["gpu"], values["gpu_field"])
        if what == "gpu_price":
            return catalogue.gpu_price(values["gpu"], values["provider"], values["pricing"])
        if what == "api_price":
            return prices.api_price(
                values["api_model"], values["price_kind"], values["api_provider"]
            )
        if what == "model_api_cost":
            model_name, provider = values["api_model"], values["api_provider"]
            listed = {kind: prices.api_price(model_name, kind, provider) for kind in prices.KINDS}
            return model.api_cost_per_request(
                values["input_tokens"], values["output_tokens"], listed["input"],
                listed["output"], values["cached_share"], listed["cache_read"],
            )  # fmt: skip
        if what == "model_memory_gb":
            return estimator.model_memory_gb(values["model"], values["precision"])
        # whole GPUs and batches as given: the estimator refuses 1.5 GPUs, not rounds them
        found = estimator.estimate(
            values["model"], values["gpu"], values["gpus_per_replica"], values["precision"],
            values["input_tokens"], values["output_tokens"], values["max_batch"],
        )  # fmt: skip
        return getattr(found, what)
    except estimator.DoesNotFit as exc:
        return Bad(f"#N/A does not fit: {exc}")
    except LookupError as exc:
        return Bad(f"#N/A {str(exc).strip(chr(39))}")
    except ValueError as exc:
        return Bad(f"#VALUE! {exc}")


def excel(udf: Callable[..., Any], engine: Callable[..., Any], args: dict[str, Any]) -> Any:
    """Convert `args` (as Excel passed them to `udf`), call `engine`, convert the result."""
    return guarded_call(broadcast, udf, engine, args)


def guarded_call(body: Callable[..., Any], *args: Any) -> Any:
    try:
        return finish(body(*args))
    except xw.XlwingsError:
        raise
    except Exception as exc:  # a traceback must never reach a cell
        return finish(Bad(f"#VALUE! {type(exc).__name__}: {exc}".splitlines()[0]))


def broadcast(udf: Callable[..., Any], engine: Callable[..., Any], args: dict[str, Any]) -> Any:
    defaults = defaults_of(udf)
    # a profile is one vector and a billing mode one text: they do not broadcast
    whole: dict[str, Any] = {}
    if "hourly_profile" in args:
        whole["hourly_profile"] = profile_of(args["hourly_profile"])
        if isinstance(whole["hourly_profile"], Bad):
            return whole["hourly_profile"]
    if "billing_mode" in args:
        whole["billing_mode"] = text_of(udf, "billing_mode", args["billing_mode"], defaults)
        if isinstance(whole["billing_mode"], Bad):
            return whole["billing_mode"]
    if "currency" in args:
        whole["currency"] = symbol_of(udf, args["currency"], defaults["currency"])
        if isinstance(whole["currency"], Bad):
            return whole["currency"]
    parsed = {
        name: cells_of(name, value, defaults[name])
        for name, value in args.items()
        if name not in whole
    }
    try:
        shape = np.broadcast_shapes(*(values.shape for values, _ in parsed.values()))
    except ValueError:
        sizes = ", ".join(
            f"{n} is {v.shape[0]}x{v.shape[1]}" for n, (v, _) in parsed.items() if v.size > 1
        )
        return Bad(f"#VALUE! ranges do not match: {sizes}")
    # each cell was checked above; bad ones are NaN here
    if not parsed:  # a function of the profile alone
        shape = (1, 1)
    with np.errstate(all="ignore"), model.unchecked():
        result = engine(**{name: values for name, (values, _) in parsed.items()}, **whole)
    out = np.array(np.broadcast_to(np.asarray(result, dtype=object), shape))
    for flat, value in enumerate(out.flat):
        if isinstance(value, float) and not math.isfinite(value):
            out.flat[flat] = Bad(never_text(engine))
    # the first bad argument, in argument order, names the error of each cell
    for _, errors in reversed(parsed.values()):
        if errors is not None:
            bad = np.broadcast_to(errors, shape)
            out[bad != None] = bad[bad != None]  # noqa: E711 (elementwise test of an object array)
    return out


def singles_of(udf: Callable[..., Any], args: dict[str, Any]) -> dict[str, float] | Bad:
    """Arguments that must each be one cell, as numbers, or the first one's error."""
    defaults = defaults_of(udf)
    singles: dict[str, float] = {}
    for name, value in args.items():
        values, errors = cells_of(name, value, defaults[name])
        if values.size != 1:
            return Bad(f"#VALUE! {name} must be a single cell in {udf.__name__}")
        if errors is not None:
            return errors.item()
        singles[name] = values.item()
    return singles


def profile_of(value: Any) -> Any:
    """A range of hourly weights as a flat float vector (blank cells weigh 0), or the error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Bad("#VALUE! hourly_profile is required (the cell is blank)")
    cells = value if isinstance(value, list | tuple) else [value]
    flat = []
    for cell in np.ravel(np.array(cells, dtype=object)):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            flat.append(0.0)
            continue
        number, error = cell_of("hourly_profile", cell, 0.0)
        if error is not None:
            return error
        flat.append(number)
    try:
        return model.profile(flat)
    except ValueError as exc:
        return Bad(f"#VALUE! {exc}")


def text_of(udf: Callable[..., Any], name: str, value: Any, defaults: dict[str, Any]) -> Any:
    """A single-cell text argument, checked against its choices."""
    if isinstance(value, list | tuple):
        return Bad(f"#VALUE! {name} must be a single cell in {udf.__name__}")
    if value is None or (isinstance(value, str) and not value.strip()):
        return defaults[name]
    if not isinstance(value, str):
        return Bad(f"#VALUE! {name} must be text (got {plain_of(value)!r})")
    text = value.strip()
    if text.upper() in _EXCEL_ERRORS:
        return Bad(f"{text.upper()} {name} refers to an error ({text.upper()})")
    reason = QUANTITIES[name].violation(text)
    return text if reason is None else Bad(f"#VALUE! {reason}")


def symbol_of(udf: Callable[..., Any], value: Any, default: str) -> Any:
    """A currency symbol: one cell of short text (blank: `default`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if not isinstance(value, str) or len(value) > MAX_SYMBOL:
        return Bad(f"#VALUE! currency must be text of 1 to {MAX_SYMBOL} characters in "
                   f"{udf.__name__} (got {plain_of(value)!r})")  # fmt: skip
    return value


@functools.cache
def defaults_of(udf: Callable[..., Any]) -> dict[str, Any]:
    """Each argument's default, or `no_default`, from the function's own signature."""
    return {name: p.default for name, p in inspect.signature(udf).parameters.items()}


def cells_of(name: str, value: Any, default: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """A 2-D float array of an argument's cells (NaN where bad) and their error messages."""
    if isinstance(value, list | tuple | np.ndarray):
        try:
            grid = np.array(value, dtype=object)
        except ValueError:
            grid = np.empty(0, dtype=object)
        if grid.ndim == 1:
            grid = grid.reshape(1, -1)
        if grid.ndim != 2 or grid.size == 0:
            bad = np.array([[Bad(f"#VALUE! {name} must be a rectangular range")]], dtype=object)
            return np.full((1, 1), np.nan), bad
    else:
        grid = np.array([[value]], dtype=object)
    values = np.full(grid.shape, np.nan)
    errors = np.full(grid.shape, None, dtype=object)
    for index, cell in np.ndenumerate(grid):
        number, error = cell_of(name, cell, default)
        values[index] = number
        errors[index] = error
    return values, (errors if any(e is not None for e in errors.flat) else None)


def cell_of(name: str, value: Any, default: Any) -> tuple[float, Bad | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is no_default:
            return math.nan, Bad(f"#VALUE! {name} is required (the cell is blank)")
        return (math.nan if default is None else float(default)), None
    if isinstance(value, bool | np.bool_):
        if QUANTITIES[name].unit is BOOLEAN:  # TRUE or FALSE is what it holds
            return float(value), None
        return math.nan, Bad(f"#VALUE! {name} must be a number (got {str(bool(value)).upper()})")
    if isinstance(value, str):
        text = value.strip()
        # a figure that never comes, as a function gives it ("#N/A never: ...") or as the
        # word every face shows, where one is an argument; as a blank optional elsewhere
        if text.lower() == "never" or text.lower().startswith("#n/a never"):
            if name in _NEVER_NAMES:
                return math.inf, None
            if default is None:
                return math.nan, None
        if text.upper() in _EXCEL_ERRORS:
            return math.nan, Bad(f"{text.upper()} {name} refers to an error ({text.upper()})")
        try:
            number = float(text)
        except ValueError:
            # one line whatever the text holds
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
            shown = shown if len(shown) <= 20 else shown[:19] + "…"
            return math.nan, Bad(f'#VALUE! {name} must be a number (got "{shown}")')
    elif isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    else:
        return math.nan, Bad(f"#VALUE! {name} must be a number (got a {type(value).__name__})")
    reason = QUANTITIES[name].violation(number)
    return (number, None) if reason is None else (math.nan, Bad(f"#VALUE! {reason}"))


def finish(result: Any) -> Any:
    """A single cell as a scalar, a spill as a list of rows; errors as Excel sees them."""
    grid = np.asarray(result, dtype=object)
    if grid.size == 1:
        value = grid.reshape(-1)[0]
        if isinstance(value, Bad) and office_js():
            raise xw.XlwingsError(str(value))
        return plain_of(value)
    if office_js():
        # xlwings' Office.js engine turns a bare code ("#N/A") into a real error value; the
        # message would stay text, so a spilled cell's error loses it there
        return [
            [value.code if isinstance(value, Bad) else plain_of(value) for value in row]
            for row in np.atleast_2d(grid)
        ]
    return [[plain_of(value) for value in row] for row in np.atleast_2d(grid)]


def plain_of(value: Any) -> Any:
    if isinstance(value, str | np.str_):
        return str(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return float(value)


def office_js() -> bool:
    """True under xlwings Lite or Server, whose decorators live in xlwings' PRO package."""
    return getattr(xw.func, "__module__", "").startswith("xlwings.pro")
