"""Python operators (`+`, `*`, `@`, `[]`, ...) on KerasTensor and Variable, routed through the public ops.

Attached here, in one place, because the classes live below `kerasx.ops` (Variable in the backend, which must
not import the frontend) while the operators need the ops.
"""

from __future__ import annotations

from kerasx.backend._variable import Variable
from kerasx.ops import numpy as _numpy
from kerasx.ops._keras_tensor import KerasTensor

# dunder -> (op name, reflected?)
OPERATORS = {
    "__add__": ("add", False),
    "__radd__": ("add", True),
}


def _binary(fn, reflected):
    if reflected:
        return lambda self, other: fn(other, self)
    return lambda self, other: fn(self, other)


def _unary(fn):
    return lambda self: fn(self)


def attach(cls) -> None:
    for dunder, (name, reflected) in OPERATORS.items():
        fn = getattr(_numpy, name)
        setattr(cls, dunder, _unary(fn) if reflected is None else _binary(fn, reflected))


attach(KerasTensor)
attach(Variable)
