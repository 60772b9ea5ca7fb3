"""Python operators (`+`, `*`, `@`, `[]`, ...) on KerasTensor and Variable, routed through the public ops.

Attached here, in one place, because the classes live below `kerasx.ops` (Variable in the backend, which must
not import the frontend) while the operators need the ops.
"""

from __future__ import annotations

from kerasx.backend._variable import Variable
from kerasx.ops import numpy as _numpy
from kerasx.ops._dispatch import dtype_of
from kerasx.ops._keras_tensor import KerasTensor

# dunder -> (op name, reflected?); reflected None marks a unary operator.
OPERATORS = {
    "__add__": ("add", False),
    "__radd__": ("add", True),
    "__sub__": ("subtract", False),
    "__rsub__": ("subtract", True),
    "__mul__": ("multiply", False),
    "__rmul__": ("multiply", True),
    "__truediv__": ("divide", False),
    "__rtruediv__": ("divide", True),
    "__floordiv__": ("floor_divide", False),
    "__rfloordiv__": ("floor_divide", True),
    "__mod__": ("mod", False),
    "__rmod__": ("mod", True),
    "__pow__": ("power", False),
    "__rpow__": ("power", True),
    "__matmul__": ("matmul", False),
    "__rmatmul__": ("matmul", True),
    "__and__": ("logical_and_or_bitwise_and", False),
    "__rand__": ("logical_and_or_bitwise_and", True),
    "__or__": ("logical_or_or_bitwise_or", False),
    "__ror__": ("logical_or_or_bitwise_or", True),
    "__xor__": ("logical_xor_or_bitwise_xor", False),
    "__rxor__": ("logical_xor_or_bitwise_xor", True),
    "__lt__": ("less", False),
    "__le__": ("less_equal", False),
    "__gt__": ("greater", False),
    "__ge__": ("greater_equal", False),
    "__eq__": ("equal", False),
    "__ne__": ("not_equal", False),
    "__neg__": ("negative", None),
    "__pos__": ("positive", None),
    "__abs__": ("abs", None),
    "__invert__": ("invert", None),
    "__getitem__": ("get_item", False),
}


def _is_bool(x) -> bool:
    return isinstance(x, bool) or (getattr(x, "dtype", None) is not None and dtype_of(x) == "bool")


def _bitwise_or_logical(logical, bitwise):
    # `&`, `|`, `^` on bools are the logical ops (as NumPy's); on integers the bitwise ones.
    def fn(x1, x2):
        if _is_bool(x1) and _is_bool(x2):
            return logical(x1, x2)
        return bitwise(x1, x2)

    return fn


def _invert(x):
    return _numpy.logical_not(x) if _is_bool(x) else _numpy.bitwise_not(x)


def _positive(x):
    return _numpy.copy(x)


_SPECIAL = {
    "logical_and_or_bitwise_and": _bitwise_or_logical(_numpy.logical_and, _numpy.bitwise_and),
    "logical_or_or_bitwise_or": _bitwise_or_logical(_numpy.logical_or, _numpy.bitwise_or),
    "logical_xor_or_bitwise_xor": _bitwise_or_logical(_numpy.logical_xor, _numpy.bitwise_xor),
    "invert": _invert,
    "positive": _positive,
}


def _binary(fn, reflected):
    if reflected:
        return lambda self, other: fn(other, self)
    return lambda self, other: fn(self, other)


def _unary(fn):
    return lambda self: fn(self)


def _round(self, ndigits=None):
    # `round(x)` keeps a tensor (rounded to an integer value), as Keras's `round(tensor)` does.
    return _numpy.round(self, decimals=ndigits or 0)


def attach(cls) -> None:
    for dunder, (name, reflected) in OPERATORS.items():
        fn = _SPECIAL.get(name) or getattr(_numpy, name)
        setattr(cls, dunder, _unary(fn) if reflected is None else _binary(fn, reflected))
    cls.__round__ = _round


def _reshape(self, newshape):
    return _numpy.reshape(self, newshape)


def _squeeze(self, axis=None):
    return _numpy.squeeze(self, axis=axis)


attach(KerasTensor)
attach(Variable)
# The two array methods Keras 3's KerasTensor has: `x.reshape((-1, 4))`, `x.squeeze(axis=1)` in a functional graph.
KerasTensor.reshape = _reshape  # pyright: ignore[reportAttributeAccessIssue]
KerasTensor.squeeze = _squeeze  # pyright: ignore[reportAttributeAccessIssue]
# NumPy arrays on the left of an operator defer to the KerasTensor's reflected operator instead of iterating it.
KerasTensor.__array_ufunc__ = None  # pyright: ignore[reportAttributeAccessIssue]
