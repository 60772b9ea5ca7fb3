"""PyTorch backend: elementwise math, comparisons, logical and bitwise ops."""

from __future__ import annotations

import functools

import torch


def _unary(name, fn):
    def unary(x):
        return fn(x)

    unary.__name__ = unary.__qualname__ = name
    return unary


# torch has storage but almost no kernels for these: compute in int64 (exact for uint16/uint32; wraps like the
# unsigned type for uint64 arithmetic) and cast back.
_WIDE_UNSIGNED = (torch.uint16, torch.uint32, torch.uint64)


def _binary(name, fn):
    def binary(x1, x2):
        if isinstance(x1, torch.Tensor) and x1.dtype in _WIDE_UNSIGNED:
            dtype = x1.dtype
            result = fn(x1.to(torch.int64), x2.to(torch.int64) if isinstance(x2, torch.Tensor) else x2)
            return result.to(dtype) if result.dtype == torch.int64 else result
        return fn(x1, x2)

    binary.__name__ = binary.__qualname__ = name
    return binary


def _bitwise(name, fn):
    # Keras names the bitwise operands x and y.
    def bitwise(x, y):
        return fn(x, y)

    bitwise.__name__ = bitwise.__qualname__ = name
    return bitwise


exp = _unary("exp", torch.exp)
expm1 = _unary("expm1", torch.expm1)
exp2 = _unary("exp2", torch.exp2)
log = _unary("log", torch.log)
log1p = _unary("log1p", torch.log1p)
log2 = _unary("log2", torch.log2)
log10 = _unary("log10", torch.log10)
sqrt = _unary("sqrt", torch.sqrt)
reciprocal = _unary("reciprocal", torch.reciprocal)
sin = _unary("sin", torch.sin)
cos = _unary("cos", torch.cos)
tan = _unary("tan", torch.tan)
arcsin = _unary("arcsin", torch.asin)
arccos = _unary("arccos", torch.acos)
arctan = _unary("arctan", torch.atan)
sinh = _unary("sinh", torch.sinh)
cosh = _unary("cosh", torch.cosh)
tanh = _unary("tanh", torch.tanh)
arcsinh = _unary("arcsinh", torch.asinh)
arccosh = _unary("arccosh", torch.acosh)
arctanh = _unary("arctanh", torch.atanh)
floor = _unary("floor", torch.floor)
ceil = _unary("ceil", torch.ceil)
i0 = _unary("i0", torch.special.i0)
negative = _unary("negative", torch.neg)


def sign(x):
    # torch.sign refuses complex tensors; torch.sgn is its complex form (x / |x|), as NumPy's sign.
    return torch.sgn(x) if x.is_complex() else torch.sign(x)


square = _unary("square", torch.square)
copy = _unary("copy", torch.clone)
isfinite = _unary("isfinite", torch.isfinite)
isinf = _unary("isinf", torch.isinf)
isnan = _unary("isnan", torch.isnan)
isposinf = _unary("isposinf", torch.isposinf)
isneginf = _unary("isneginf", torch.isneginf)
signbit = _unary("signbit", torch.signbit)
logical_not = _unary("logical_not", torch.logical_not)
bitwise_not = _unary("bitwise_not", torch.bitwise_not)

add = _binary("add", torch.add)
subtract = _binary("subtract", torch.subtract)
multiply = _binary("multiply", torch.multiply)
divide = _binary("divide", torch.divide)
maximum = _binary("maximum", torch.maximum)
minimum = _binary("minimum", torch.minimum)
fmax = _binary("fmax", torch.fmax)
fmin = _binary("fmin", torch.fmin)
floor_divide = _binary("floor_divide", functools.partial(torch.div, rounding_mode="floor"))
mod = _binary("mod", torch.remainder)
fmod = _binary("fmod", torch.fmod)
power = _binary("power", torch.pow)
arctan2 = _binary("arctan2", torch.atan2)
hypot = _binary("hypot", torch.hypot)
logaddexp = _binary("logaddexp", torch.logaddexp)
logaddexp2 = _binary("logaddexp2", torch.logaddexp2)
nextafter = _binary("nextafter", torch.nextafter)
gcd = _binary("gcd", torch.gcd)
lcm = _binary("lcm", torch.lcm)
equal = _binary("equal", torch.eq)
not_equal = _binary("not_equal", torch.ne)
less = _binary("less", torch.lt)
less_equal = _binary("less_equal", torch.le)
greater = _binary("greater", torch.gt)
greater_equal = _binary("greater_equal", torch.ge)
logical_and = _binary("logical_and", torch.logical_and)
logical_or = _binary("logical_or", torch.logical_or)
logical_xor = _binary("logical_xor", torch.logical_xor)
bitwise_and = _bitwise("bitwise_and", torch.bitwise_and)
bitwise_or = _bitwise("bitwise_or", torch.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", torch.bitwise_xor)
bitwise_left_shift = _bitwise("bitwise_left_shift", torch.bitwise_left_shift)
bitwise_right_shift = _bitwise("bitwise_right_shift", torch.bitwise_right_shift)


def abs(x):
    return x if x.dtype == torch.bool else torch.abs(x)


def cbrt(x):
    return torch.sign(x) * torch.pow(torch.abs(x), 1.0 / 3.0)


def trunc(x):
    return torch.trunc(x) if x.is_floating_point() else x


def round(x, decimals=0):
    if x.is_floating_point():
        return torch.round(x, decimals=decimals)
    if decimals >= 0:
        return x
    # Integers rounded to tens, hundreds...: round in float64 (halves to even, as NumPy), then back.
    return torch.round(x.double(), decimals=decimals).to(x.dtype)


def clip(x, x_min, x_max):
    return torch.minimum(torch.maximum(x, x_min), x_max)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    if not x.is_floating_point():
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = torch.broadcast_tensors(x1, x2)
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isin(x1, x2, assume_unique=False, invert=False):
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
