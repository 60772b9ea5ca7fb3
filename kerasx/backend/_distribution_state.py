"""The distribution in effect, set by `kerasx.distribution` and read by the engines' step builders.

Engine-free and duck-typed: the object stored here has `distribute_variables(variables)` (place each state variable
as its layout says) and `distribute_data(data)` (turn a global batch into what this process's step consumes). The
backend never imports `kerasx.distribution`; the frontend registers itself here.
"""

from __future__ import annotations

import threading

_GLOBAL = {"distribution": None}
_LOCAL = threading.local()


def _stack() -> list:
    if not hasattr(_LOCAL, "stack"):
        _LOCAL.stack = []
    return _LOCAL.stack


def current():
    """The innermost `scope()` distribution of this thread, else the global one, else None."""
    stack = _stack()
    return stack[-1] if stack else _GLOBAL["distribution"]


def set_global(distribution):
    _GLOBAL["distribution"] = distribution


def push(distribution):
    _stack().append(distribution)


def pop():
    _stack().pop()
