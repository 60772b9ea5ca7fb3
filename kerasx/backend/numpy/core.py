"""NumPy reference backend: core. Inference only; it is the oracle every other backend is tested against."""

from __future__ import annotations

import ml_dtypes
import numpy as np

from kerasx.backend import _dtypes, _tree, _variable

NAME = "numpy"

_NATIVE = {name: np.dtype(name) for name in _dtypes.ALLOWED_DTYPES if name != "bfloat16"}
_NATIVE["bfloat16"] = np.dtype(ml_dtypes.bfloat16)
_NAMES = {native: name for name, native in _NATIVE.items()}

NO_TRAINING = (
    "The numpy backend is for inference only: it cannot compute gradients or train. Received a call to {what}. "
    "Select an engine that trains, e.g. KERAS_BACKEND=jax (or torch, tensorflow)."
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


def is_tensor(x) -> bool:
    return isinstance(x, np.ndarray)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
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


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    iteration = 0
    while (maximum_iterations is None or iteration < maximum_iterations) and bool(cond(*state)):
        result = body(*state)
        state = tuple(result) if is_sequence else (result,)
        iteration += 1
    return type(loop_vars)(state) if is_sequence else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None:
        steps = int(length)
        elements = [None] * steps
    else:
        flat = _tree.flatten(xs)
        steps = int(flat[0].shape[0]) if length is None else int(length)
        elements = [_tree.pack_sequence_as(xs, [leaf[i] for leaf in flat]) for i in range(steps)]
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    carry = init
    ys = [None] * steps
    for i in order:
        carry, ys[i] = f(carry, elements[i])
    if steps == 0 or ys[0] is None:
        return carry, None
    stacked = _tree.map_structure(lambda *leaves: np.stack(leaves), *ys)
    return carry, stacked


def stop_gradient(variable):
    return convert_to_tensor(variable)


def custom_gradient(f):
    def forward(*args, **kwargs):
        output, _ = f(*args, **kwargs)
        return output

    return forward


def vectorized_map(function, elements):
    flat = _tree.flatten(elements)
    outputs = [function(_tree.pack_sequence_as(elements, [leaf[i] for leaf in flat])) for i in range(len(flat[0]))]
    return _tree.map_structure(lambda *leaves: np.stack(leaves), *outputs)


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


def scatter_update(inputs, indices, updates):
    result = np.array(inputs, copy=True)
    result[tuple(np.moveaxis(np.asarray(indices), -1, 0))] = updates
    return result


def value_and_grad(fn, has_aux=False):
    raise RuntimeError(NO_TRAINING.format(what="value_and_grad"))
