"""Argument checks shared by the random functions."""

from __future__ import annotations

from kerasx.backend import _dtypes, active

_core = active.core

BAD_SHAPE = "Invalid shape. Received: shape={shape!r}. Expected a tuple of non-negative ints, e.g. (2, 3)."
NOT_FLOAT = (
    "`{name}` draws floating-point numbers. Received: dtype={dtype!r}. Pass a float dtype (float16, bfloat16, "
    "float32, float64), or use `kerasx.random.randint` for integers."
)
NOT_INT = '`{name}` returns integers. Received: dtype={dtype!r}. Pass an integer dtype such as "int32".'

# Random bits per uniform number: the significand width of the dtype, so that u = k * 2**-bits is exact in it and
# strictly below 1 (float64 gets 31, the most an int32 holds).
UNIFORM_BITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 31}


def check_shape(shape) -> tuple:
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(BAD_SHAPE.format(shape=shape)) from None
    for d in dims:
        # A scalar tensor is a size known only when a traced function runs (`ops.shape(x)` in a tf.function).
        if not (_core.is_tensor(d) or (isinstance(d, int) and not isinstance(d, bool) and d >= 0)):
            raise ValueError(BAD_SHAPE.format(shape=shape))
    return dims


def is_static(shape) -> bool:
    return all(isinstance(d, int) for d in shape)


def float_dtype(name: str, dtype) -> str:
    dtype = _dtypes.standardize_dtype(dtype)
    if not _dtypes.is_float(dtype):
        raise ValueError(NOT_FLOAT.format(name=name, dtype=dtype))
    return dtype


def compute_dtype(dtype: str) -> str:
    """Arithmetic happens in float32 (float64 for float64 results); half precision is rounded once at the end."""
    return "float64" if dtype == "float64" else "float32"
