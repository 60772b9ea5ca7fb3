"""TensorFlow backend: elementwise math, comparisons, logical and bitwise ops.

TensorFlow lacks several NumPy functions (hypot, logaddexp, gcd, signbit, ...) and does not define arithmetic or
ordering on bool tensors; those are written here from TF primitives with NumPy's semantics.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf


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


def _is_bool(x) -> bool:
    return x.dtype == tf.bool


def _is_float(x) -> bool:
    return x.dtype.is_floating


def _const(value, like):
    return tf.constant(value, dtype=like.dtype)


exp = _unary("exp", tf.math.exp)
expm1 = _unary("expm1", tf.math.expm1)
log = _unary("log", tf.math.log)
log1p = _unary("log1p", tf.math.log1p)
sqrt = _unary("sqrt", tf.math.sqrt)
reciprocal = _unary("reciprocal", tf.math.reciprocal)
sin = _unary("sin", tf.math.sin)
cos = _unary("cos", tf.math.cos)
tan = _unary("tan", tf.math.tan)
arcsin = _unary("arcsin", tf.math.asin)
arccos = _unary("arccos", tf.math.acos)
arctan = _unary("arctan", tf.math.atan)
sinh = _unary("sinh", tf.math.sinh)
cosh = _unary("cosh", tf.math.cosh)
tanh = _unary("tanh", tf.math.tanh)
arcsinh = _unary("arcsinh", tf.math.asinh)
arccosh = _unary("arccosh", tf.math.acosh)
arctanh = _unary("arctanh", tf.math.atanh)
floor = _unary("floor", tf.math.floor)
ceil = _unary("ceil", tf.math.ceil)
i0 = _unary("i0", tf.math.bessel_i0)
negative = _unary("negative", tf.math.negative)
square = _unary("square", tf.math.square)
copy = _unary("copy", tf.identity)
isfinite = _unary("isfinite", tf.math.is_finite)
isinf = _unary("isinf", tf.math.is_inf)
isnan = _unary("isnan", tf.math.is_nan)
logical_not = _unary("logical_not", tf.math.logical_not)

subtract = _binary("subtract", tf.math.subtract)
divide = _binary("divide", tf.math.divide)
floor_divide = _binary("floor_divide", tf.math.floordiv)
mod = _binary("mod", tf.math.floormod)
power = _binary("power", tf.math.pow)
arctan2 = _binary("arctan2", tf.math.atan2)
nextafter = _binary("nextafter", tf.math.nextafter)
equal = _binary("equal", tf.math.equal)
not_equal = _binary("not_equal", tf.math.not_equal)
logical_and = _binary("logical_and", tf.math.logical_and)
logical_or = _binary("logical_or", tf.math.logical_or)
logical_xor = _binary("logical_xor", tf.math.logical_xor)


def exp2(x):
    return tf.math.pow(_const(2, x), x)


def log2(x):
    return tf.math.log(x) / _const(math.log(2.0), x)


def log10(x):
    return tf.math.log(x) / _const(math.log(10.0), x)


def cbrt(x):
    return tf.math.sign(x) * tf.math.pow(tf.math.abs(x), _const(1.0 / 3.0, x))


def abs(x):
    if _is_bool(x) or x.dtype.is_unsigned:
        return x
    return tf.math.abs(x)


def sign(x):
    if x.dtype.is_unsigned:
        return tf.cast(x > 0, x.dtype)
    return tf.math.sign(x)


def trunc(x):
    if not _is_float(x):
        return x
    return tf.where(x < 0, tf.math.ceil(x), tf.math.floor(x))


def round(x, decimals=0):
    if not _is_float(x):
        if decimals >= 0:
            return x
        return tf.cast(round(tf.cast(x, tf.float64), decimals), x.dtype)
    if decimals == 0:
        return tf.math.round(x)
    factor = _const(10.0**decimals, x)
    return tf.math.round(x * factor) / factor


def clip(x, x_min, x_max):
    if _is_bool(x):
        return tf.math.logical_and(tf.math.logical_or(x, x_min), x_max)
    return tf.math.minimum(tf.math.maximum(x, x_min), x_max)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    if not _is_float(x):
        return x
    finfo = np.finfo(x.dtype.as_numpy_dtype)
    posinf = float(finfo.max) if posinf is None else posinf
    neginf = float(finfo.min) if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), _const(nan, x), x)
    x = tf.where(tf.math.equal(x, _const(np.inf, x)), _const(posinf, x), x)
    return tf.where(tf.math.equal(x, _const(-np.inf, x)), _const(neginf, x), x)


def isposinf(x):
    return tf.math.equal(x, _const(np.inf, x))


def isneginf(x):
    return tf.math.equal(x, _const(-np.inf, x))


_SAME_WIDTH_INT = {tf.float16: tf.int16, tf.bfloat16: tf.int16, tf.float32: tf.int32, tf.float64: tf.int64}


def signbit(x):
    # The sign bit is the integer sign bit of the same-width bit pattern (also for -0.0 and -nan).
    return tf.bitcast(x, _SAME_WIDTH_INT[x.dtype]) < 0


# NumPy defines arithmetic and ordering on bools as on 0/1; TF kernels refuse bools.
def add(x1, x2):
    return tf.math.logical_or(x1, x2) if _is_bool(x1) else tf.math.add(x1, x2)


def multiply(x1, x2):
    return tf.math.logical_and(x1, x2) if _is_bool(x1) else tf.math.multiply(x1, x2)


def maximum(x1, x2):
    return tf.math.logical_or(x1, x2) if _is_bool(x1) else tf.math.maximum(x1, x2)


def minimum(x1, x2):
    return tf.math.logical_and(x1, x2) if _is_bool(x1) else tf.math.minimum(x1, x2)


def fmax(x1, x2):
    if not _is_float(x1):
        return maximum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, tf.math.maximum(x1, x2)))


def fmin(x1, x2):
    if not _is_float(x1):
        return minimum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, tf.math.minimum(x1, x2)))


def _ordered(fn):
    def compare(x1, x2):
        if _is_bool(x1):
            x1, x2 = tf.cast(x1, tf.int8), tf.cast(x2, tf.int8)
        return fn(x1, x2)

    return compare


less = _binary("less", _ordered(tf.math.less))
less_equal = _binary("less_equal", _ordered(tf.math.less_equal))
greater = _binary("greater", _ordered(tf.math.greater))
greater_equal = _binary("greater_equal", _ordered(tf.math.greater_equal))


def fmod(x1, x2):
    if not _is_float(x1):
        return tf.truncatemod(x1, x2)
    # TF registers no gradient for TruncateMod; |x1| mod |x2| with x1's sign is the same value and differentiable.
    return tf.math.sign(x1) * tf.math.floormod(tf.math.abs(x1), tf.math.abs(x2))


def hypot(x1, x2):
    a, b = tf.math.abs(x1), tf.math.abs(x2)
    big, small = tf.math.maximum(a, b), tf.math.minimum(a, b)
    # Scaling by the larger magnitude avoids overflow of x1**2 for large inputs, as NumPy's hypot does.
    safe_big = tf.where(big > 0, big, tf.ones_like(big))
    ratio = small / safe_big
    return tf.where(big > 0, big * tf.math.sqrt(1 + ratio * ratio), small + big)


def logaddexp(x1, x2):
    big = tf.math.maximum(x1, x2)
    delta = tf.math.abs(x1 - x2)
    # Equal infinities give delta = nan; the answer there is the infinity itself.
    same = tf.math.equal(x1, x2)
    delta = tf.where(same, tf.zeros_like(delta), delta)
    return big + tf.math.log1p(tf.math.exp(-delta))


def logaddexp2(x1, x2):
    big = tf.math.maximum(x1, x2)
    delta = tf.math.abs(x1 - x2)
    delta = tf.where(tf.math.equal(x1, x2), tf.zeros_like(delta), delta)
    log2 = _const(math.log(2.0), x1)
    return big + tf.math.log1p(tf.math.exp(-delta * log2)) / log2


def gcd(x1, x2):
    shape = tf.broadcast_dynamic_shape(tf.shape(x1), tf.shape(x2))
    a, b = tf.broadcast_to(tf.math.abs(x1), shape), tf.broadcast_to(tf.math.abs(x2), shape)
    zero = tf.zeros_like(a)

    def body(a, b):
        nonzero = tf.math.not_equal(b, zero)
        remainder = tf.math.floormod(a, tf.where(nonzero, b, tf.ones_like(b)))
        return tf.where(nonzero, b, a), tf.where(nonzero, remainder, zero)

    a, _ = tf.while_loop(lambda a, b: tf.math.reduce_any(tf.math.not_equal(b, zero)), body, (a, b))
    return a


def lcm(x1, x2):
    divisor = gcd(x1, x2)
    safe = tf.where(tf.math.equal(divisor, 0), tf.ones_like(divisor), divisor)
    return tf.math.abs(x1) // safe * tf.math.abs(x2)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    if not _is_float(x1):
        x1, x2 = tf.cast(x1, tf.float64), tf.cast(x2, tf.float64)
    close = tf.math.abs(x1 - x2) <= _const(atol, x1) + _const(rtol, x1) * tf.math.abs(x2)
    # Equal infinities are close; |inf - inf| is nan, so test equality separately.
    close = tf.math.logical_or(close, tf.math.equal(x1, x2))
    if equal_nan:
        close = tf.math.logical_or(close, tf.math.logical_and(tf.math.is_nan(x1), tf.math.is_nan(x2)))
    return close


def isin(x1, x2, assume_unique=False, invert=False):
    found = tf.math.reduce_any(tf.math.equal(x1[..., None], tf.reshape(x2, [-1])), axis=-1)
    return tf.math.logical_not(found) if invert else found


def _bitwise(name, fn, bool_fn=None):
    # Keras names the bitwise operands x and y; bools use the logical op.
    def bitwise(x, y):
        return bool_fn(x, y) if bool_fn is not None and _is_bool(x) else fn(x, y)

    bitwise.__name__ = bitwise.__qualname__ = name
    return bitwise


bitwise_and = _bitwise("bitwise_and", tf.bitwise.bitwise_and, tf.math.logical_and)
bitwise_or = _bitwise("bitwise_or", tf.bitwise.bitwise_or, tf.math.logical_or)
bitwise_xor = _bitwise("bitwise_xor", tf.bitwise.bitwise_xor, tf.math.logical_xor)
bitwise_left_shift = _bitwise("bitwise_left_shift", tf.bitwise.left_shift)
bitwise_right_shift = _bitwise("bitwise_right_shift", tf.bitwise.right_shift)


def bitwise_not(x):
    return tf.math.logical_not(x) if _is_bool(x) else tf.bitwise.invert(x)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
