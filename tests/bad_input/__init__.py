"""Bad-input rows by module: each ``tests/bad_input/<name>.py`` defines ``ROWS``, a list of :func:`bad` rows.

``tests/test_bad_input.py`` runs them with the core table (so a new paper module adds its own file
instead of editing one shared table). Helpers for writing rows live here.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import torch

from paperlib import runtime

NAN, INF = float("nan"), float("inf")
T, V_ = TypeError, ValueError


def g() -> torch.Generator:
    return runtime.make_generator(0)


def poison(t: torch.Tensor, value: float = NAN) -> torch.Tensor:
    """A copy of t with its first element replaced (NaN by default)."""
    t = t.clone()
    t.view(-1)[0] = value
    return t


def bad(id_: str, fn, *args, exc: type | tuple = V_, match: str, **kwargs):
    """A row: fn(*args, **kwargs) must raise ``exc`` with a message matching ``match``."""
    return pytest.param(fn, args, kwargs, exc, match, id=id_)


def module_rows() -> list:
    """The ROWS of every module in this folder, in name order."""
    rows = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        rows += importlib.import_module(f"{__name__}.{info.name}").ROWS
    return rows
