"""Host work inside a TensorFlow graph (`tf.data.Dataset.map`, `tf.function`) whatever the selected engine.

tf.data is TensorFlow's pipeline, and Keras 3 lets preprocessing objects such as `FeatureSpace` run in it on every
engine. A graph tensor can exist only once TensorFlow is imported, so TensorFlow is read from `sys.modules` here,
never imported: on jax, torch or numpy kerasx itself loads no TensorFlow.
"""

from __future__ import annotations

import sys

import numpy as np


def _tensorflow():
    return sys.modules.get("tensorflow")


def is_graph_tensor(x) -> bool:
    """Whether `x` is a symbolic TensorFlow tensor (in a `tf.data` map or `tf.function`), on any engine."""
    tf = _tensorflow()
    return tf is not None and bool(tf.is_tensor(x)) and bool(tf.is_symbolic_tensor(x))


def is_eager_tensorflow(x) -> bool:
    """Whether `x` is a TensorFlow eager tensor (what iterating a tf.data.Dataset yields), on any engine."""
    tf = _tensorflow()
    return tf is not None and bool(tf.is_tensor(x)) and not bool(tf.is_symbolic_tensor(x))


def graph_host_call(function, inputs: list, dtypes: list, shapes: list, stateful: bool = False) -> list:
    """Runs `function(*numpy_inputs) -> list of arrays` when the graph runs (`tf.numpy_function`), giving graph
    tensors of `dtypes` ("string" for text) with the static `shapes` (None for an unknown dimension). `stateful`
    for a function that gives new values at each run (random augmentation): TensorFlow then neither merges nor
    prunes its calls."""
    tf = _tensorflow()
    if tf is None:
        raise RuntimeError("graph_host_call needs TensorFlow graph tensors; TensorFlow is not imported.")
    natives = [tf.string if dtype == "string" else tf.as_dtype(dtype) for dtype in dtypes]

    def on_host(*arrays):
        results = function(*arrays)
        return [
            np.asarray(result).astype(object if native == tf.string else native.as_numpy_dtype)
            for result, native in zip(results, natives)
        ]

    outputs = tf.numpy_function(on_host, list(inputs), natives, stateful=stateful)
    for output, shape in zip(outputs, shapes):
        output.set_shape(shape)
    return list(outputs)


def skip_autograph(cls):
    """Marks `cls` (called as a function) as one AutoGraph runs as plain Python: AutoGraph otherwise rewrites the
    source of every function it calls, kerasx's layers included, when a `tf.data` map traces it (measured: 104 s to
    trace a FeatureSpace of 8 features and 2 crosses into a map on TensorFlow; 0.4 s without). The marker is the
    attribute TensorFlow's `do_not_convert` sets."""
    cls.autograph_info__ = frozenset()
    return cls
