"""The embedded default scenarios, shipped as package data `llm_breakeven.templates`.

This folder holds `scenarios.toml` (the default inputs) and the workbook generated from it;
pyproject.toml maps it into the package so that `pip install .` carries the defaults.
"""
