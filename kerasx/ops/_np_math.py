"""Elementwise unary math: exponentials, logarithms, trigonometry, rounding, abs/sign, clip, nan_to_num."""

from __future__ import annotations

import math

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import as_tensor, float_tensor, int_if_bool, make_op, native, reject_bool

_np = active.numpy

_FLOAT_DOC = (
    "\n\n    Args:\n        x: input tensor. Integer and bool inputs give floatx; floats keep their dtype.\n    "
)


def _float_unary(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x):
        return engine(float_tensor(x))

    return make_op(name, _specs.same_float, body, summary + _FLOAT_DOC)


exp = _float_unary("exp", "Elementwise `e ** x`.")
expm1 = _float_unary("expm1", "Elementwise `exp(x) - 1`, accurate for small `x`.")
exp2 = _float_unary("exp2", "Elementwise `2 ** x`.")
log = _float_unary("log", "Elementwise natural logarithm.")
log1p = _float_unary("log1p", "Elementwise `log(1 + x)`, accurate for small `x`.")
log2 = _float_unary("log2", "Elementwise base-2 logarithm.")
log10 = _float_unary("log10", "Elementwise base-10 logarithm.")
sqrt = _float_unary("sqrt", "Elementwise non-negative square root.")
cbrt = _float_unary("cbrt", "Elementwise real cube root (negative for negative `x`).")
reciprocal = _float_unary("reciprocal", "Elementwise `1 / x`.")
sin = _float_unary("sin", "Elementwise sine (radians).")
cos = _float_unary("cos", "Elementwise cosine (radians).")
tan = _float_unary("tan", "Elementwise tangent (radians).")
arcsin = _float_unary("arcsin", "Elementwise inverse sine, in [-pi/2, pi/2].")
arccos = _float_unary("arccos", "Elementwise inverse cosine, in [0, pi].")
arctan = _float_unary("arctan", "Elementwise inverse tangent, in (-pi/2, pi/2).")
sinh = _float_unary("sinh", "Elementwise hyperbolic sine.")
cosh = _float_unary("cosh", "Elementwise hyperbolic cosine.")
tanh = _float_unary("tanh", "Elementwise hyperbolic tangent.")
arcsinh = _float_unary("arcsinh", "Elementwise inverse hyperbolic sine.")
arccosh = _float_unary("arccosh", "Elementwise inverse hyperbolic cosine (`x >= 1`).")
arctanh = _float_unary("arctanh", "Elementwise inverse hyperbolic tangent (`|x| < 1`).")
floor = _float_unary("floor", "Elementwise largest integer `<= x` (as a float, as in Keras).")
ceil = _float_unary("ceil", "Elementwise smallest integer `>= x` (as a float, as in Keras).")
i0 = _float_unary("i0", "Elementwise modified Bessel function of the first kind, order 0.")


@op(_specs.same_float)
def fabs(x):
    """Elementwise absolute value as a float (integers give floatx)."""
    (x,) = promote_float(x)
    return _np.abs(x)


@op(_specs.same_float)
def deg2rad(x):
    """Degrees to radians: `x * pi / 180`."""
    (x,) = promote_float(x)
    return _np.multiply(x, as_tensor(math.pi / 180.0, dtype_of(x)))


@op(_specs.same_float)
def rad2deg(x):
    """Radians to degrees: `x * 180 / pi`."""
    (x,) = promote_float(x)
    return _np.multiply(x, as_tensor(180.0 / math.pi, dtype_of(x)))


@op(_specs.same_float)
def sinc(x):
    """Normalized sinc: `sin(pi x) / (pi x)`, and 1 at `x = 0`."""
    (x,) = promote_float(x)
    dtype = dtype_of(x)
    is_zero = _np.equal(x, as_tensor(0, dtype))
    # A safe argument keeps the unused branch (and its gradient) finite at 0.
    safe = _np.where(is_zero, as_tensor(1, dtype), x)
    pi_x = _np.multiply(safe, as_tensor(math.pi, dtype))
    return _np.where(is_zero, as_tensor(1, dtype), _np.divide(_np.sin(pi_x), pi_x))


@op(_specs.same_float)
def angle(x):
    """Argument of a (real) number: pi for negative values, 0 otherwise."""
    (x,) = promote_float(x)
    return _np.arctan2(_np.zeros_like(x), x)


# Same dtype as the input ------------------------------------------------------------------------------------------


@op(_specs.same)
def abs(x):
    """Elementwise absolute value (same dtype as `x`)."""
    return _np.abs(native(x))


absolute = make_op("absolute", _specs.same, lambda x: abs(x), "Elementwise absolute value; alias of `abs`.")


@op(_specs.same)
def negative(x):
    """Elementwise `-x`."""
    x = native(x)
    reject_bool("negative", dtype_of(x))
    return _np.negative(x)


@op(_specs.same)
def sign(x):
    """Elementwise sign: -1, 0 or 1 (same dtype)."""
    x = tensor(x)
    reject_bool("sign", dtype_of(x))
    return _np.sign(x)


@op(_specs.same)
def trunc(x):
    """Elementwise rounding towards zero (integers are returned unchanged)."""
    return _np.trunc(tensor(x))


@op(_specs.same)
def round(x, decimals=0):
    """Elementwise rounding to `decimals` places, halves to even (as NumPy).

    Args:
        x: input tensor.
        decimals: number of decimal places (may be negative).
    """
    x = tensor(x)
    reject_bool("round", dtype_of(x))
    return _np.round(x, decimals=int(decimals))


def _bool_to_int_spec(x, *args, **kwargs):
    return KerasTensor(shape_of(x), int_if_bool(dtype_of(x)))


@op(_bool_to_int_spec)
def square(x):
    """Elementwise `x * x` (bools give int32)."""
    x = native(x)
    return _np.square(as_tensor(x, int_if_bool(dtype_of(x))))


@op(_bool_to_int_spec)
def clip(x, x_min, x_max):
    """Elementwise `min(max(x, x_min), x_max)`; the result keeps `x`'s dtype (bools give int32).

    Args:
        x: input tensor.
        x_min, x_max: bounds (scalars or tensors broadcastable to `x`), cast to `x`'s dtype.
    """
    x = tensor(x)
    dtype = int_if_bool(dtype_of(x))
    return _np.clip(as_tensor(x, dtype), as_tensor(x_min, dtype), as_tensor(x_max, dtype))


@op(_specs.same)
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN by `nan` and infinities by `posinf`/`neginf` (default: the dtype's largest finite values)."""
    return _np.nan_to_num(tensor(x), nan=nan, posinf=posinf, neginf=neginf)


@op(_specs.same)
def copy(x):
    """A copy of `x`."""
    return _np.copy(tensor(x))


@op(_specs.same)
def conj(x):
    """Complex conjugate; real tensors (the only kind kerasx has) are returned as they are."""
    return tensor(x)


conjugate = make_op("conjugate", _specs.same, lambda x: conj(x), "Complex conjugate; alias of `conj`.")


@op(_specs.same)
def real(x):
    """Real part; real tensors are returned as they are."""
    return tensor(x)


@op(_specs.same)
def imag(x):
    """Imaginary part; zeros for real tensors."""
    return _np.zeros_like(tensor(x))


# Bool-valued tests ------------------------------------------------------------------------------------------------


def _float_test(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x):
        (x,) = promote_float(x)
        return engine(x)

    doc = summary + "\n\n    Args:\n        x: input tensor (integers are tested as floats).\n    "
    return make_op(name, _specs.same_bool, body, doc)


isfinite = _float_test("isfinite", "Elementwise: True where `x` is neither infinite nor NaN.")
isinf = _float_test("isinf", "Elementwise: True where `x` is +inf or -inf.")
isnan = _float_test("isnan", "Elementwise: True where `x` is NaN.")
isposinf = _float_test("isposinf", "Elementwise: True where `x` is +inf.")
isneginf = _float_test("isneginf", "Elementwise: True where `x` is -inf.")
signbit = _float_test("signbit", "Elementwise: True where the sign bit is set (negative values and -0.0).")


@op(_specs.same_bool)
def isreal(x):
    """Elementwise: True where `x` has no imaginary part (always, for kerasx's real dtypes)."""
    return _np.full_like(tensor(x), as_tensor(True, "bool"), dtype="bool")


__all__ = [
    "abs",
    "absolute",
    "angle",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctanh",
    "cbrt",
    "ceil",
    "clip",
    "conj",
    "conjugate",
    "copy",
    "cos",
    "cosh",
    "deg2rad",
    "exp",
    "exp2",
    "expm1",
    "fabs",
    "floor",
    "i0",
    "imag",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "log",
    "log10",
    "log1p",
    "log2",
    "nan_to_num",
    "negative",
    "rad2deg",
    "real",
    "reciprocal",
    "round",
    "sign",
    "signbit",
    "sin",
    "sinc",
    "sinh",
    "sqrt",
    "square",
    "tan",
    "tanh",
    "trunc",
]
