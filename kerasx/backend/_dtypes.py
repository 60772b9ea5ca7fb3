"""One dtype promotion table for every backend.

The rules follow JAX's type lattice (the one Keras 3 documents): Python scalars are "weak" and take the dtype of the
tensor they meet, unsigned and signed integers meet at the next wider signed integer, and integers meeting floats
become floats. Weak floats resolve to `floatx()`, weak ints to int32. Every backend casts its inputs to the dtype
computed here, so `ops.add(int8, uint8)` is int16 on numpy, jax, torch and tensorflow alike.
"""

from __future__ import annotations

import functools

import ml_dtypes
import numpy as np

from kerasx.backend import _config

FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
INT_TYPES = ("int8", "int16", "int32", "int64")
UINT_TYPES = ("uint8", "uint16", "uint32", "uint64")
COMPLEX_TYPES = ("complex64", "complex128")
ALLOWED_DTYPES = ("bool",) + UINT_TYPES + INT_TYPES + FLOAT_TYPES + COMPLEX_TYPES
# Text: the dtype of string inputs (`Input(dtype="string")`, NumPy string arrays, TensorFlow's tf.string). No engine
# computes on it; the text layers work on the host (NumPy), so it is kept out of the numeric tables.
STRING = "string"

# Weak (Python scalar) types. They never leave this module: `result_type` resolves them.
_WEAK_INT = "int*"
_WEAK_FLOAT = "float*"

# Edges of the lattice: each dtype lists the dtypes directly above it.
_LATTICE = {
    "bool": (_WEAK_INT,),
    _WEAK_INT: ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": (_WEAK_FLOAT,),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": (_WEAK_FLOAT,),
    _WEAK_FLOAT: ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}

# Keras 3 reads Python's `int` (and "int") as int64 on tensorflow, int32 on the other engines.
_PYTHON_INT = "int64" if _config.BACKEND_NAME == "tensorflow" else "int32"

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": _PYTHON_INT,
    "long": "int64",
    "bool_": "bool",
}

_ALLOWED_SET = frozenset(ALLOWED_DTYPES)
# Engine dtype objects seen so far -> name; a dict lookup instead of string surgery on every op call.
_NATIVE_CACHE: dict = {}

UNKNOWN_DTYPE = "Unknown dtype. Received: dtype={dtype!r}. Expected one of {allowed}."


def _upper_bounds(node: str) -> frozenset:
    seen = {node}
    stack = [node]
    while stack:
        for above in _LATTICE[stack.pop()]:
            if above not in seen:
                seen.add(above)
                stack.append(above)
    return frozenset(seen)


_UPPER = {node: _upper_bounds(node) for node in _LATTICE}


@functools.lru_cache(maxsize=1024)
def _join(*nodes: str) -> str:
    common = set.intersection(*(set(_UPPER[n]) for n in nodes))
    # The least upper bound is the common bound that every other common bound sits above.
    for candidate in common:
        if common <= _UPPER[candidate]:
            return candidate
    raise AssertionError(f"dtype lattice has no least upper bound for {nodes}")


def standardize_dtype(dtype) -> str:
    """Canonical string name of a dtype given as a string, a NumPy/engine dtype or a Python type.

    Args:
        dtype: a dtype name ("float32", "float"), a NumPy dtype, an engine dtype (`torch.float32`, `tf.int64`), a
            Python type, or None (floatx).

    Returns:
        The canonical name, e.g. "float32".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> kerasx.backend.standardize_dtype(np.float64), kerasx.backend.standardize_dtype(bool)
        ('float64', 'bool')
        >>> kerasx.backend.standardize_dtype(None) == kerasx.backend.floatx()
        True
    """
    if dtype is None:
        return _config.floatx()
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
        if name in _ALLOWED_SET or name == STRING:
            return name
    elif dtype in _NATIVE_CACHE:
        return _NATIVE_CACHE[dtype]
    elif dtype is float:
        return _config.floatx()
    elif dtype is int:
        return _PYTHON_INT
    elif dtype is bool:
        return "bool"
    else:
        name = _native_name(dtype)
    if name not in ALLOWED_DTYPES and name != STRING:
        raise ValueError(UNKNOWN_DTYPE.format(dtype=dtype, allowed=ALLOWED_DTYPES))
    if not isinstance(dtype, str):
        _NATIVE_CACHE[dtype] = name
    return name


def _native_name(dtype) -> str:
    """Name of an engine dtype object, or of a NumPy/JAX scalar type such as `np.float32` or `jnp.bfloat16`."""
    if isinstance(dtype, type):
        # jax scalar types carry a NumPy dtype; NumPy and ml_dtypes scalar types convert to one.
        inner = getattr(dtype, "dtype", None)
        if isinstance(inner, np.dtype):
            return inner.name
        if issubclass(dtype, np.generic):
            return np.dtype(dtype).name
    if isinstance(dtype, np.dtype) and dtype.kind in "US":
        return STRING  # NumPy text (`<U5`, `|S3`), as tf.string
    name = getattr(dtype, "name", None) or str(dtype)
    name = name.replace("torch.", "").replace("<dtype: '", "").replace("'>", "")
    return _ALIASES.get(name, name)


def _node_of(value) -> str:
    """Lattice node of a value: weak for Python scalars, the tensor's dtype otherwise."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return _WEAK_INT
    if isinstance(value, float):
        return _WEAK_FLOAT
    if isinstance(value, complex):
        return complex_default()
    if isinstance(value, str):
        return standardize_dtype(value)
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        raise TypeError(f"Cannot infer a dtype. Received: value={value!r} of type {type(value).__name__}.")
    return standardize_dtype(dtype)


def _resolve_weak(node: str) -> str:
    if node == _WEAK_INT:
        return "int32"
    if node == _WEAK_FLOAT:
        return _config.floatx()
    return node


def result_type(*values) -> str:
    """Dtype that `values` (tensors, dtype names or Python scalars) promote to.

    The promotion table is Keras 3's, the same on every engine: Python scalars are weak (they take the dtype of the
    tensors they meet), and integers meeting floats give the float.

    Args:
        *values: tensors, arrays, dtype names or Python scalars.

    Returns:
        A dtype name; floatx when no value is given.

    Example:
        >>> import kerasx
        >>> kerasx.backend.result_type("int8", "uint8")
        'int16'
        >>> kerasx.backend.result_type("int32", 1.0)
        'float32'
        >>> kerasx.backend.result_type("float16", "bfloat16")
        'float32'
    """
    if not values:
        return _config.floatx()
    return _resolve_weak(_join(*(_node_of(v) for v in values)))


def is_float(dtype: str) -> bool:
    """True for the name of a floating-point dtype ("float16", "bfloat16", "float32", "float64").

    Args:
        dtype: a standardized dtype name (see `standardize_dtype`).

    Returns:
        A bool.

    Example:
        >>> import kerasx
        >>> kerasx.backend.is_float("bfloat16"), kerasx.backend.is_float("int32")
        (True, False)
    """
    return dtype in FLOAT_TYPES


def is_int(dtype: str) -> bool:
    """True for the name of a signed or unsigned integer dtype.

    Args:
        dtype: a standardized dtype name (see `standardize_dtype`).

    Returns:
        A bool.

    Example:
        >>> import kerasx
        >>> kerasx.backend.is_int("uint8"), kerasx.backend.is_int("float32"), kerasx.backend.is_int("bool")
        (True, False, False)
    """
    return dtype in INT_TYPES or dtype in UINT_TYPES


def is_complex(dtype: str) -> bool:
    return dtype in COMPLEX_TYPES


def float_result(*values) -> str:
    """Dtype of a floating result (mean, sqrt, ...) of `values`: integers and bools go to floatx, complex stays."""
    dtype = result_type(*values)
    return dtype if dtype in FLOAT_TYPES or dtype in COMPLEX_TYPES else _config.floatx()


def complex_default() -> str:
    """Dtype of Python complex numbers: complex128 on tensorflow, complex64 elsewhere (as in Keras 3)."""
    return "complex128" if _config.BACKEND_NAME == "tensorflow" else "complex64"


def real_part_dtype(dtype: str) -> str:
    """Dtype of the real/imaginary parts and of the modulus of a complex dtype; other dtypes unchanged."""
    return {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)


def infer_dtype(value) -> str:
    """Dtype a value converts to when none is given: tensors keep theirs, Python data gets int32/floatx/bool."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and not isinstance(value, (list, tuple)):
        return standardize_dtype(dtype)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int32"
    if isinstance(value, float):
        return _config.floatx()
    if isinstance(value, complex):
        return complex_default()
    kind = np.asarray(value).dtype.kind
    if kind == "b":
        return "bool"
    if kind in "iu":
        return "int32"
    if kind == "f":
        return _config.floatx()
    if kind == "c":
        return complex_default()
    raise TypeError(
        f"Cannot convert a value of type {type(value).__name__} to a tensor. Received: value={value!r:.200}. "
        "Expected a tensor, a NumPy array, a Python number or a (nested) list of numbers."
    )


def numpy_dtype(dtype) -> np.dtype:
    """NumPy's dtype for a kerasx dtype (bfloat16 is ml_dtypes')."""
    name = standardize_dtype(dtype)
    return np.dtype(ml_dtypes.bfloat16) if name == "bfloat16" else np.dtype(name)
