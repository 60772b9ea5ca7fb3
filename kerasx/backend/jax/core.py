"""JAX backend: core."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kerasx.backend import _dtypes, _variable

NAME = "jax"

_NATIVE = {name: jnp.dtype(name) for name in _dtypes.ALLOWED_DTYPES}
_NAMES = {native: name for name, native in _NATIVE.items()}


def native_dtype(dtype):
    return _NATIVE[_dtypes.standardize_dtype(dtype)]


class Variable(_variable.Variable):
    backend_name = NAME

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype)

    def _store(self, value):
        self._value = value

    def _read(self):
        return self._value

    def _write(self, value):
        self._value = value

    # Lets a Variable be passed straight into jnp functions and jax.jit.
    def __jax_array__(self):
        return self.value


def is_tensor(x) -> bool:
    return isinstance(x, jax.Array)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
    native = native_dtype(dtype)
    if isinstance(x, jax.Array):
        return x if x.dtype == native else x.astype(native)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    return jnp.asarray(x, dtype=native)


def convert_to_numpy(x):
    return np.array(convert_to_tensor(x))


def cast(x, dtype):
    return convert_to_tensor(x).astype(native_dtype(dtype))


def dtype_name(x) -> str:
    return _NAMES.get(x.dtype) or _dtypes.standardize_dtype(x.dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def is_traced(x) -> bool:
    return isinstance(x, jax.core.Tracer)


def value_and_grad(fn, has_aux=False):
    return jax.value_and_grad(fn, argnums=0, has_aux=has_aux)
