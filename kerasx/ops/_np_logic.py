"""Comparisons, logical ops, closeness tests, membership and bitwise ops."""

from __future__ import annotations

from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, promote, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.backend import active
from kerasx.ops._np_common import make_op, promote_pair, require_integer

_np = active.numpy

_COMPARE_DOC = (
    "\n\n    Args:\n        x1, x2: tensors or Python numbers, broadcast against each other and compared in their"
    " promoted dtype.\n\n    Returns a bool tensor.\n    "
)


def _compare(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x1, x2):
        x1, x2 = promote_pair(x1, x2)
        return engine(x1, x2)

    return make_op(name, _specs.broadcast_binary_bool, body, summary + _COMPARE_DOC)


equal = _compare("equal", "Elementwise `x1 == x2`.")
not_equal = _compare("not_equal", "Elementwise `x1 != x2`.")
less = _compare("less", "Elementwise `x1 < x2`.")
less_equal = _compare("less_equal", "Elementwise `x1 <= x2`.")
greater = _compare("greater", "Elementwise `x1 > x2`.")
greater_equal = _compare("greater_equal", "Elementwise `x1 >= x2`.")


def _logical(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x1, x2):
        return engine(convert(x1, "bool"), convert(x2, "bool"))

    doc = summary + "\n\n    Args:\n        x1, x2: tensors; nonzero values count as True.\n    "
    return make_op(name, _specs.broadcast_binary_bool, body, doc)


logical_and = _logical("logical_and", "Elementwise truth of `x1 and x2`.")
logical_or = _logical("logical_or", "Elementwise truth of `x1 or x2`.")
logical_xor = _logical("logical_xor", "Elementwise truth of `x1 xor x2`.")


@op(_specs.same_bool)
def logical_not(x):
    """Elementwise truth of `not x` (nonzero values count as True)."""
    return _np.logical_not(convert(x, "bool"))


@op(_specs.broadcast_binary_bool)
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise `|x1 - x2| <= atol + rtol * |x2|`; equal infinities are close.

    Args:
        x1, x2: tensors broadcast against each other.
        rtol: relative tolerance. atol: absolute tolerance.
        equal_nan: whether two NaNs count as close.
    """
    x1, x2 = promote(x1, x2)
    return _np.isclose(x1, x2, rtol=float(rtol), atol=float(atol), equal_nan=bool(equal_nan))


def _scalar_bool(*args, **kwargs):
    return KerasTensor((), "bool")


@op(_scalar_bool)
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True (a bool scalar tensor) when `isclose` holds everywhere."""
    return _np.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan), axis=None, keepdims=False)


def _isin_spec(x1, x2, assume_unique=False, invert=False):
    return KerasTensor(shape_of(x1), "bool")


@op(_isin_spec)
def isin(x1, x2, assume_unique=False, invert=False):
    """Elementwise: True where an element of `x1` occurs anywhere in `x2` (False with `invert=True`).

    Args:
        x1: tensor of values to test; the result has its shape.
        x2: tensor of allowed values (any shape).
        assume_unique: accepted for NumPy compatibility; has no effect.
        invert: return the negation.
    """
    x1, x2 = promote(x1, x2)
    return _np.isin(x1, x2, assume_unique=bool(assume_unique), invert=bool(invert))


# Bitwise -----------------------------------------------------------------------------------------------------------

_BITWISE_DOC = (
    "\n\n    Args:\n        x, y: integer or bool tensors (or Python ints), broadcast against each other.\n    "
)


def _bitwise(name: str, summary: str, spec=_specs.broadcast_binary):
    engine = getattr(_np, name)

    def body(x, y):
        x, y = promote(x, y)
        require_integer(name, dtype_of(x))
        return engine(x, y)

    return make_op(name, spec, body, summary + _BITWISE_DOC)


def _shift_spec(x, y):
    spec = _specs.broadcast_binary(x, y)
    return KerasTensor(spec.shape, "int32" if spec.dtype == "bool" else spec.dtype)


def _shift(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x, y):
        x, y = promote(x, y)
        require_integer(name, dtype_of(x))
        if dtype_of(x) == "bool":
            x, y = convert(x, "int32"), convert(y, "int32")
        return engine(x, y)

    return make_op(name, _shift_spec, body, summary + _BITWISE_DOC)


bitwise_and = _bitwise("bitwise_and", "Elementwise bitwise AND.")
bitwise_or = _bitwise("bitwise_or", "Elementwise bitwise OR.")
bitwise_xor = _bitwise("bitwise_xor", "Elementwise bitwise XOR.")
bitwise_left_shift = _shift("bitwise_left_shift", "Elementwise `x << y` (bools give int32).")
bitwise_right_shift = _shift("bitwise_right_shift", "Elementwise `x >> y`, arithmetic for signed types.")
left_shift = make_op(
    "left_shift", _shift_spec, lambda x, y: bitwise_left_shift(x, y), "Alias of `bitwise_left_shift`." + _BITWISE_DOC
)
right_shift = make_op(
    "right_shift", _shift_spec, lambda x, y: bitwise_right_shift(x, y), "Alias of `bitwise_right_shift`." + _BITWISE_DOC
)


@op(_specs.same)
def bitwise_not(x):
    """Elementwise bitwise NOT (logical not for bools)."""
    x = tensor(x)
    require_integer("bitwise_not", dtype_of(x))
    return _np.bitwise_not(x)


bitwise_invert = make_op("bitwise_invert", _specs.same, lambda x: bitwise_not(x), "Alias of `bitwise_not`.")


__all__ = [
    "allclose",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "equal",
    "greater",
    "greater_equal",
    "isclose",
    "isin",
    "left_shift",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "not_equal",
    "right_shift",
]
