"""JAX backend: elementwise math, comparisons, logical and bitwise ops."""

from __future__ import annotations

import jax
import jax.numpy as jnp


def _unary(name, fn):
    def unary(x):
        return fn(x)

    unary.__name__ = unary.__qualname__ = name
    return unary


def _binary(name, fn):
    def binary(x1, x2):
        return fn(x1, x2)

    binary.__name__ = binary.__qualname__ = name
    return binary


def _bitwise(name, fn):
    # Keras names the bitwise operands x and y.
    def bitwise(x, y):
        return fn(x, y)

    bitwise.__name__ = bitwise.__qualname__ = name
    return bitwise


exp = _unary("exp", jnp.exp)
expm1 = _unary("expm1", jnp.expm1)
exp2 = _unary("exp2", jnp.exp2)
log = _unary("log", jnp.log)
log1p = _unary("log1p", jnp.log1p)
log2 = _unary("log2", jnp.log2)
log10 = _unary("log10", jnp.log10)
sqrt = _unary("sqrt", jnp.sqrt)
cbrt = _unary("cbrt", jnp.cbrt)
reciprocal = _unary("reciprocal", jnp.reciprocal)
sin = _unary("sin", jnp.sin)
cos = _unary("cos", jnp.cos)
tan = _unary("tan", jnp.tan)
arcsin = _unary("arcsin", jnp.arcsin)
arccos = _unary("arccos", jnp.arccos)
arctan = _unary("arctan", jnp.arctan)
sinh = _unary("sinh", jnp.sinh)
cosh = _unary("cosh", jnp.cosh)
tanh = _unary("tanh", jnp.tanh)
arcsinh = _unary("arcsinh", jnp.arcsinh)
arccosh = _unary("arccosh", jnp.arccosh)
arctanh = _unary("arctanh", jnp.arctanh)
floor = _unary("floor", jnp.floor)
ceil = _unary("ceil", jnp.ceil)
i0 = _unary("i0", jnp.i0)
negative = _unary("negative", jnp.negative)
sign = _unary("sign", jnp.sign)
square = _unary("square", jnp.square)
copy = _unary("copy", jnp.copy)
isfinite = _unary("isfinite", jnp.isfinite)
isinf = _unary("isinf", jnp.isinf)
isnan = _unary("isnan", jnp.isnan)
isposinf = _unary("isposinf", jnp.isposinf)
isneginf = _unary("isneginf", jnp.isneginf)
signbit = _unary("signbit", jnp.signbit)
logical_not = _unary("logical_not", jnp.logical_not)
bitwise_not = _unary("bitwise_not", jnp.invert)

add = _binary("add", jnp.add)
subtract = _binary("subtract", jnp.subtract)
multiply = _binary("multiply", jnp.multiply)
divide = _binary("divide", jnp.divide)
maximum = _binary("maximum", jnp.maximum)
minimum = _binary("minimum", jnp.minimum)
fmax = _binary("fmax", jnp.fmax)
fmin = _binary("fmin", jnp.fmin)
floor_divide = _binary("floor_divide", jnp.floor_divide)
mod = _binary("mod", jnp.mod)
fmod = _binary("fmod", jnp.fmod)
power = _binary("power", jnp.power)
arctan2 = _binary("arctan2", jnp.arctan2)
hypot = _binary("hypot", jnp.hypot)
logaddexp = _binary("logaddexp", jnp.logaddexp)
logaddexp2 = _binary("logaddexp2", jnp.logaddexp2)
nextafter = _binary("nextafter", jnp.nextafter)
gcd = _binary("gcd", jnp.gcd)
lcm = _binary("lcm", jnp.lcm)
equal = _binary("equal", jnp.equal)
not_equal = _binary("not_equal", jnp.not_equal)
less = _binary("less", jnp.less)
less_equal = _binary("less_equal", jnp.less_equal)
greater = _binary("greater", jnp.greater)
greater_equal = _binary("greater_equal", jnp.greater_equal)
logical_and = _binary("logical_and", jnp.logical_and)
logical_or = _binary("logical_or", jnp.logical_or)
logical_xor = _binary("logical_xor", jnp.logical_xor)
bitwise_and = _bitwise("bitwise_and", jnp.bitwise_and)
bitwise_or = _bitwise("bitwise_or", jnp.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", jnp.bitwise_xor)
bitwise_left_shift = _bitwise("bitwise_left_shift", jnp.left_shift)
bitwise_right_shift = _bitwise("bitwise_right_shift", jnp.right_shift)


def abs(x):
    return x if x.dtype == jnp.bool_ else jnp.abs(x)


def trunc(x):
    return x if not jnp.issubdtype(x.dtype, jnp.floating) else jnp.trunc(x)


def round(x, decimals=0):
    if jnp.issubdtype(x.dtype, jnp.integer):
        if decimals >= 0:
            return x
        # JAX rounds integers only to whole units; go through the widest float available (float32 without x64).
        wide = jax.dtypes.canonicalize_dtype(jnp.float64)
        return jnp.round(x.astype(wide), decimals=decimals).astype(x.dtype)
    return jnp.round(x, decimals=decimals)


def clip(x, x_min, x_max):
    return jnp.minimum(jnp.maximum(x, x_min), x_max)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isin(x1, x2, assume_unique=False, invert=False):
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
