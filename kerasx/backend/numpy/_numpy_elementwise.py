"""NumPy backend: elementwise math, comparisons, logical and bitwise ops.

Results go through `np.asarray` because NumPy ufuncs return NumPy scalars for 0-d inputs, and the rest of kerasx
expects ndarrays (`is_tensor`).
"""

from __future__ import annotations

import numpy as np


def _unary(name, fn):
    def unary(x):
        return np.asarray(fn(x))

    unary.__name__ = unary.__qualname__ = name
    return unary


def _binary(name, fn):
    def binary(x1, x2):
        return np.asarray(fn(x1, x2))

    binary.__name__ = binary.__qualname__ = name
    return binary


def _bitwise(name, fn):
    # Keras names the bitwise operands x and y.
    def bitwise(x, y):
        return np.asarray(fn(x, y))

    bitwise.__name__ = bitwise.__qualname__ = name
    return bitwise


exp = _unary("exp", np.exp)
expm1 = _unary("expm1", np.expm1)
exp2 = _unary("exp2", np.exp2)
log = _unary("log", np.log)
log1p = _unary("log1p", np.log1p)
log2 = _unary("log2", np.log2)
log10 = _unary("log10", np.log10)
sqrt = _unary("sqrt", np.sqrt)
cbrt = _unary("cbrt", np.cbrt)
reciprocal = _unary("reciprocal", np.reciprocal)
sin = _unary("sin", np.sin)
cos = _unary("cos", np.cos)
tan = _unary("tan", np.tan)
arcsin = _unary("arcsin", np.arcsin)
arccos = _unary("arccos", np.arccos)
arctan = _unary("arctan", np.arctan)
sinh = _unary("sinh", np.sinh)
cosh = _unary("cosh", np.cosh)
tanh = _unary("tanh", np.tanh)
arcsinh = _unary("arcsinh", np.arcsinh)
arccosh = _unary("arccosh", np.arccosh)
arctanh = _unary("arctanh", np.arctanh)
floor = _unary("floor", np.floor)
ceil = _unary("ceil", np.ceil)
negative = _unary("negative", np.negative)
sign = _unary("sign", np.sign)
square = _unary("square", np.square)
copy = _unary("copy", np.copy)
isfinite = _unary("isfinite", np.isfinite)
isinf = _unary("isinf", np.isinf)
isnan = _unary("isnan", np.isnan)
isposinf = _unary("isposinf", np.isposinf)
isneginf = _unary("isneginf", np.isneginf)
signbit = _unary("signbit", np.signbit)
logical_not = _unary("logical_not", np.logical_not)
bitwise_not = _unary("bitwise_not", np.invert)

add = _binary("add", np.add)
subtract = _binary("subtract", np.subtract)
multiply = _binary("multiply", np.multiply)
divide = _binary("divide", np.divide)
maximum = _binary("maximum", np.maximum)
minimum = _binary("minimum", np.minimum)
fmax = _binary("fmax", np.fmax)
fmin = _binary("fmin", np.fmin)
floor_divide = _binary("floor_divide", np.floor_divide)
mod = _binary("mod", np.mod)
fmod = _binary("fmod", np.fmod)
power = _binary("power", np.power)
arctan2 = _binary("arctan2", np.arctan2)
hypot = _binary("hypot", np.hypot)
logaddexp = _binary("logaddexp", np.logaddexp)
logaddexp2 = _binary("logaddexp2", np.logaddexp2)
nextafter = _binary("nextafter", np.nextafter)
gcd = _binary("gcd", np.gcd)
lcm = _binary("lcm", np.lcm)
equal = _binary("equal", np.equal)
not_equal = _binary("not_equal", np.not_equal)
less = _binary("less", np.less)
less_equal = _binary("less_equal", np.less_equal)
greater = _binary("greater", np.greater)
greater_equal = _binary("greater_equal", np.greater_equal)
logical_and = _binary("logical_and", np.logical_and)
logical_or = _binary("logical_or", np.logical_or)
logical_xor = _binary("logical_xor", np.logical_xor)
bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)
bitwise_left_shift = _bitwise("bitwise_left_shift", np.left_shift)
bitwise_right_shift = _bitwise("bitwise_right_shift", np.right_shift)


def abs(x):
    return x if x.dtype == np.bool_ else np.asarray(np.abs(x))


def i0(x):
    # np.i0 computes in float64; keep the input dtype.
    return np.asarray(np.i0(x), dtype=x.dtype)


def trunc(x):
    return x if x.dtype.kind in "biu" else np.asarray(np.trunc(x))


def round(x, decimals=0):
    if x.dtype.kind in "iu" and decimals >= 0:
        return x
    return np.asarray(np.round(x, decimals=decimals))


def clip(x, x_min, x_max):
    return np.asarray(np.minimum(np.maximum(x, x_min), x_max))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    if x.dtype.kind not in "f" and x.dtype.name != "bfloat16":
        return x
    return np.asarray(np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf))


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return np.asarray(np.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    return np.asarray(np.isin(x1, x2, assume_unique=assume_unique, invert=invert))


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
