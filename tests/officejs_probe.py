"""Run by test_udfs in a fresh Python: the functions through xlwings' Office.js code (what
xlwings Lite runs), printed as JSON. XLWINGS_LICENSE_KEY must be set before xlwings loads."""

from __future__ import annotations

import asyncio
import importlib
import json
from typing import Any

import xlwings as xw
from xlwings.pro import udfs_officejs

xw.func, xw.arg, xw.ret = udfs_officejs.xlfunc, udfs_officejs.xlarg, udfs_officejs.xlret
udfs = importlib.import_module("llm_breakeven.udfs")

CAPACITY = 5_184_000.0  # the article's replica: 2 requests a second for 720 hours


def call(name: str, *args: Any) -> Any:
    """`name` as the Office.js runtime 1.4 calls it: each argument a 2-D array."""
    data = {"func_name": name, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "version": xw.__version__, "client": "Office.js", "runtime": "1.4"}  # fmt: skip
    return asyncio.run(udfs_officejs.custom_functions_call(data, udfs))


def single_error() -> str:
    try:
        call("COST_PER_REQUEST", 1440, CAPACITY, 1.5)
    except xw.XlwingsError as exc:
        return str(exc)
    return "no error"


print(json.dumps({
    "meta": udfs_officejs.custom_functions_meta(udfs),
    "article": call("BREAKEVEN_VOLUME", 1440, CAPACITY, 0.00125),
    "spilled": call("BREAKEVEN_VOLUME", 1440, [[CAPACITY], [-1], [100]], 0.00125),
    "single": single_error(),
}))  # fmt: skip
