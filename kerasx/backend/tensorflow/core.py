"""TensorFlow backend: core."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kerasx.backend import _dtypes, _variable

NAME = "tensorflow"

_NATIVE = {name: tf.as_dtype(name) for name in _dtypes.ALLOWED_DTYPES}
_NAMES = {native: name for name, native in _NATIVE.items()}


def native_dtype(dtype):
    return _NATIVE[_dtypes.standardize_dtype(dtype)]


class Variable(_variable.Variable):
    backend_name = NAME

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype)

    def _store(self, value):
        self._value = tf.Variable(value, trainable=self.trainable, name=self.name.replace("/", "_"))

    def _read(self):
        return self._value

    def _write(self, value):
        self._value.assign(value)

    def _native_shape(self):
        return self._value.shape

    # Lets a Variable be passed to tf functions directly.
    def _as_tf_tensor(self, dtype=None, name=None, as_ref=False):
        value = tf.convert_to_tensor(self.value)
        return value if dtype is None else tf.cast(value, dtype)


tf.register_tensor_conversion_function(Variable, lambda v, dtype=None, name=None, as_ref=False: v._as_tf_tensor(dtype))


def is_tensor(x) -> bool:
    return tf.is_tensor(x)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
    native = native_dtype(dtype)
    if tf.is_tensor(x):
        if isinstance(x, tf.Variable):
            x = x.read_value() if x.dtype == native else tf.cast(x, native)
            return x
        return x if x.dtype == native else tf.cast(x, native)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype != native.as_numpy_dtype:
        x = x.astype(native.as_numpy_dtype)
    return tf.convert_to_tensor(x, dtype=native)


def convert_to_numpy(x):
    return np.array(convert_to_tensor(x))


def cast(x, dtype):
    return tf.cast(convert_to_tensor(x), native_dtype(dtype))


def dtype_name(x) -> str:
    return _NAMES[x.dtype.base_dtype]


def shape(x) -> tuple:
    return tuple(x.shape)


def is_traced(x) -> bool:
    return tf.is_symbolic_tensor(x) if tf.is_tensor(x) else not tf.executing_eagerly()


def value_and_grad(fn, has_aux=False):
    def wrapped(params, *args):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            for p in params:
                tape.watch(p)
            output = fn(params, *args)
            value = output[0] if has_aux else output
        grads = tape.gradient(value, list(params), unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return output, grads

    return wrapped
