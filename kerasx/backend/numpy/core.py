"""NumPy reference backend: core. Inference only; it is the oracle every other backend is tested against."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

from kerasx.backend import _abstract_eval, _dtypes, _python_loops, _variable

NAME = "numpy"

UNKNOWN_DEVICE = (
    "The numpy backend computes on the CPU only. Received: device_name={name!r}. Use 'cpu' (or 'cpu:0'), or select "
    "jax, torch or tensorflow with the KERAS_BACKEND environment variable to use other devices."
)

_NATIVE = {name: _dtypes.numpy_dtype(name) for name in _dtypes.ALLOWED_DTYPES}
_NAMES = {native: name for name, native in _NATIVE.items()}

NO_TRAINING = (
    "The numpy backend is for inference only: it cannot compute gradients or train. Received a call to {what}. "
    "Select an engine that trains, e.g. KERAS_BACKEND=jax (or torch, tensorflow)."
)
NO_REMAT = (
    "Rematerialization saves memory in the backward pass, which the numpy backend (inference only) never runs: "
    "the function runs unchanged. Select jax, torch or tensorflow to train with it."
)


def native_dtype(dtype):
    return _NATIVE[_dtypes.standardize_dtype(dtype)]


class Variable(_variable.Variable):
    backend_name = NAME

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype)

    def _store(self, value):
        self._value = np.array(value, copy=True)

    def _read(self):
        return self._value

    def _write(self, value):
        self._value = np.array(value, copy=True)


def apply_floatx(name) -> None:
    """Nothing to do: every float dtype is available without a setting."""


def is_tensor(x) -> bool:
    return isinstance(x, np.ndarray)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
    if dtype == _dtypes.STRING:
        return np.asarray(x)  # text arrays stay as they are (`<U..`, bytes or objects) for the text layers
    native = native_dtype(dtype)
    if isinstance(x, np.ndarray) and x.dtype == native:
        return x
    if hasattr(x, "__array__") and not isinstance(x, np.ndarray):
        x = np.asarray(x)
    return np.asarray(x, dtype=native)


def convert_to_numpy(x):
    return np.array(convert_to_tensor(x))


def cast(x, dtype):
    return convert_to_tensor(x).astype(native_dtype(dtype), copy=False)


def dtype_name(x) -> str:
    return _NAMES.get(x.dtype) or _dtypes.standardize_dtype(x.dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def is_traced(x) -> bool:
    return False


def device(kind, index):
    if kind != "cpu":
        name = kind if index is None else f"{kind}:{index}"
        raise ValueError(UNKNOWN_DEVICE.format(name=name))
    return contextlib.nullcontext()


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    return _python_loops.while_loop(cond, body, loop_vars, maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    return _python_loops.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return _python_loops.scan(f, init, xs, length, reverse, np.stack, _zeros_like_shape)


def _zeros_like_shape(shape, like):
    return np.zeros(shape, dtype=like.dtype)


def stop_gradient(variable):
    return convert_to_tensor(variable)


def custom_gradient(f):
    def forward(*args, **kwargs):
        output, _ = f(*args, **kwargs)
        return output

    return forward


def vectorized_map(function, elements):
    return _python_loops.vectorized_map(function, elements, np.stack)


def slice(inputs, start_indices, shape):
    index = tuple(np.s_[int(s) : int(s) + int(n)] for s, n in zip(start_indices, shape))
    return inputs[index]


def slice_update(inputs, start_indices, updates):
    result = np.array(inputs, copy=True)
    index = tuple(np.s_[int(s) : int(s) + int(n)] for s, n in zip(start_indices, updates.shape))
    result[index] = updates
    return result


def scatter(indices, values, shape):
    result = np.zeros(shape, dtype=values.dtype)
    np.add.at(result, tuple(np.moveaxis(np.asarray(indices), -1, 0)), values)
    return result


_SCATTER_UFUNCS = {"add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum}


def scatter_update(inputs, indices, updates, reduction=None):
    result = np.array(inputs, copy=True)
    index = tuple(np.moveaxis(np.asarray(indices), -1, 0))
    if reduction is None:
        result[index] = updates
    else:
        _SCATTER_UFUNCS[reduction].at(result, index, updates)
    return result


def output_specs(fn, input_specs):
    def evaluate(specs):
        outputs = fn(*[np.ones(shape, native_dtype(dtype)) for shape, dtype in specs])
        return [(tuple(np.shape(out)), dtype_name(np.asarray(out))) if is_tensor(out) else None for out in outputs]

    return _abstract_eval.with_unknown_dims(evaluate, input_specs)


def layer_bases():
    return ()


def value_and_grad(fn, has_aux=False):
    raise RuntimeError(NO_TRAINING.format(what="value_and_grad"))


def remat(f):
    warnings.warn(NO_REMAT, stacklevel=3)  # at the caller of kerasx.remat
    return f


def host_call(function, inputs, dtype, shape):
    result = function(np.asarray(inputs))
    return np.asarray(result) if dtype == _dtypes.STRING else np.asarray(result, dtype=native_dtype(dtype))
