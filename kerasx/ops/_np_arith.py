"""Elementwise binary arithmetic with broadcasting and the shared promotion table."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import (
    as_tensor,
    int_if_bool,
    make_op,
    operand,
    promote_pair,
    promote_pair_float,
    reject_bool,
    require_integer,
    weak_dtype,
)

_np = active.numpy

_BINARY_ARGS = "\n\n    Args:\n        x1, x2: tensors or Python numbers, broadcast against each other.\n    "


def _binary(name: str, summary: str, spec=_specs.broadcast_binary):
    engine = getattr(_np, name)

    def body(x1, x2):
        x1, x2 = promote_pair(x1, x2)
        return engine(x1, x2)

    return make_op(name, spec, body, summary + _BINARY_ARGS + "Returns the promoted dtype of `x1` and `x2`.\n    ")


def _float_binary(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x1, x2):
        x1, x2 = promote_pair_float(x1, x2)
        return engine(x1, x2)

    doc = summary + _BINARY_ARGS + "Integer and bool inputs give floatx.\n    "
    return make_op(name, _specs.broadcast_binary_float, body, doc)


def _int_if_bool_spec(x1, x2, *args, **kwargs):
    dtype = _dtypes.result_type(weak_dtype(x1), weak_dtype(x2))
    return KerasTensor(_specs.broadcast_shapes(shape_of(x1), shape_of(x2)), int_if_bool(dtype))


def _arith_binary(name: str, summary: str):
    """Binary ops whose bool result is int32 (floor_divide, mod, power): the arithmetic needs numbers."""
    engine = getattr(_np, name)

    def body(x1, x2):
        dtype = int_if_bool(_dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))
        return engine(operand(x1, dtype), operand(x2, dtype))

    doc = summary + _BINARY_ARGS + "Returns the promoted dtype (int32 for two bools).\n    "
    return make_op(name, _int_if_bool_spec, body, doc)


def _integer_binary(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x1, x2):
        x1, x2 = promote_pair(x1, x2)
        require_integer(name, dtype_of(x1))
        return engine(x1, x2)

    return make_op(name, _specs.broadcast_binary, body, summary + _BINARY_ARGS + "Integer inputs only.\n    ")


add = _binary("add", "Elementwise `x1 + x2`.")
multiply = _binary("multiply", "Elementwise `x1 * x2`.")
maximum = _binary("maximum", "Elementwise maximum (NaN if either is NaN).")
minimum = _binary("minimum", "Elementwise minimum (NaN if either is NaN).")
fmax = _binary("fmax", "Elementwise maximum ignoring NaN (NaN only if both are NaN).")
fmin = _binary("fmin", "Elementwise minimum ignoring NaN (NaN only if both are NaN).")
floor_divide = _arith_binary("floor_divide", "Elementwise `floor(x1 / x2)`, Python semantics.")
mod = _arith_binary("mod", "Elementwise remainder with the sign of the divisor (Python `%`).")
fmod = _arith_binary("fmod", "Elementwise remainder with the sign of the dividend (C `fmod`).")
power = _arith_binary("power", "Elementwise `x1 ** x2`.")
divide = _float_binary("divide", "Elementwise true division `x1 / x2`.")
arctan2 = _float_binary("arctan2", "Elementwise angle of the point `(x2, x1)`, in [-pi, pi].")
hypot = _float_binary("hypot", "Elementwise `sqrt(x1**2 + x2**2)` without intermediate overflow.")
logaddexp = _float_binary("logaddexp", "Elementwise `log(exp(x1) + exp(x2))`, computed stably.")
logaddexp2 = _float_binary("logaddexp2", "Elementwise `log2(2**x1 + 2**x2)`, computed stably.")
nextafter = _float_binary("nextafter", "Elementwise next representable float after `x1` towards `x2`.")
gcd = _integer_binary("gcd", "Elementwise greatest common divisor (non-negative).")
lcm = _integer_binary("lcm", "Elementwise least common multiple (non-negative).")


@op(_specs.broadcast_binary)
def subtract(x1, x2):
    """Elementwise `x1 - x2` (not defined for two bools).

    Args:
        x1, x2: tensors or Python numbers, broadcast against each other.
    """
    x1, x2 = promote_pair(x1, x2)
    reject_bool("subtract", dtype_of(x1))
    return _np.subtract(x1, x2)


true_divide = make_op(
    "true_divide", _specs.broadcast_binary_float, lambda x1, x2: divide(x1, x2), "Alias of `divide`." + _BINARY_ARGS
)


@op(_specs.broadcast_binary_float)
def divide_no_nan(x1, x2):
    """Elementwise `x1 / x2`, with 0 where `x2 == 0` (also for 0/0).

    Args:
        x1, x2: tensors or Python numbers, broadcast against each other. Integer inputs give floatx.
    """
    x1, x2 = promote_float(x1, x2)
    dtype = dtype_of(x1)
    is_zero = _np.equal(x2, as_tensor(0, dtype))
    # Dividing by a safe denominator keeps the unused branch, and so the gradient, finite.
    safe = _np.where(is_zero, as_tensor(1, dtype), x2)
    return _np.where(is_zero, as_tensor(0, dtype), _np.divide(x1, safe))


@op(_specs.broadcast_binary_float)
def heaviside(x1, x2):
    """Heaviside step: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`.

    Args:
        x1: input values. x2: the value at 0. Integer inputs give floatx.
    """
    x1, x2 = promote_float(x1, x2)
    dtype = dtype_of(x1)
    zero, one = as_tensor(0, dtype), as_tensor(1, dtype)
    step = _np.where(_np.greater(x1, zero), one, zero)
    return _np.where(_np.equal(x1, zero), _np.add(x2, _np.zeros_like(x1)), _np.add(step, _np.zeros_like(x2)))


__all__ = [
    "add",
    "arctan2",
    "divide",
    "divide_no_nan",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "gcd",
    "heaviside",
    "hypot",
    "lcm",
    "logaddexp",
    "logaddexp2",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "nextafter",
    "power",
    "subtract",
    "true_divide",
]
