"""Preprocessing layers inside a TensorFlow graph (`tf.data.Dataset.map`, `tf.function`) that their engine cannot
run: the layer runs eagerly on the host when the graph runs, through `tf.numpy_function`. Every preprocessing layer
takes this path through `HostInGraphMixin`.

Two cases send a call there:
- the selected engine is not TensorFlow (jax, torch, numpy): a `tf.data` pipeline hands the layer TensorFlow graph
  tensors, which no other engine can compute on (Keras 3 swaps its backend for TensorFlow's inside `tf.data`);
- the layer declares that it needs what a graph may not know: kerasx's engine-independent random numbers are drawn
  for a static number of values, so a layer drawing per image (or building a pixel grid per image) needs the batch
  size, which is None for a dataset batched without `drop_remainder=True`.

On the host the batch is a NumPy array of known size and the layer gives exactly the batch it gives eagerly for
the same seed, on every engine. The cost is TensorFlow's: the call holds the GIL while it runs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from kerasx.backend import _tf_graph, _tree, active
from kerasx.layers import _call_context
from kerasx.ops import KerasTensor, convert_to_numpy

# When a layer on TensorFlow itself runs on the host inside a graph: "never" (its ops take graph tensors of any
# batch size), "unknown_batch" (it needs a static batch size), "always" (it needs concrete values).
HostInGraph = Literal["never", "unknown_batch", "always"]


def _batch_unknown(data) -> bool:
    images = data["images"] if isinstance(data, dict) else data
    shape = tuple(images.shape)
    # A single image (rank 3) gets a batch axis of 1.
    return len(shape) == 4 and shape[0] is None


def runs_on_host(data, host_in_graph: HostInGraph) -> bool:
    """Whether a call on `data` must run on the host: it holds TensorFlow graph tensors that the engine cannot
    take, or that TensorFlow's graph cannot run the layer on (`host_in_graph`)."""
    graph_leaves = [x for x in _tree.flatten(data) if _tf_graph.is_graph_tensor(x)]
    if not graph_leaves:
        return False
    if not all(active.core.is_tensor(x) for x in graph_leaves):
        return True
    return host_in_graph == "always" or (host_in_graph == "unknown_batch" and _batch_unknown(data))


class HostInGraphMixin:
    """Sends a call on TensorFlow graph tensors that the layer cannot compute on to the host (`call_on_host`), so
    that a preprocessing layer works in `tf.data.Dataset.map` on every engine, as Keras 3's do. Put it before
    `Layer` in the bases."""

    # When the layer on TensorFlow runs on the host inside a graph; on the other engines a TensorFlow graph always
    # sends it there.
    _HOST_IN_TF_GRAPH: HostInGraph = "never"

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and set(kwargs) <= {"training"} and runs_on_host(args[0], self._HOST_IN_TF_GRAPH):
            return call_on_host(self, super().__call__, args[0], kwargs.get("training"))  # pyright: ignore[reportAttributeAccessIssue]
        return super().__call__(*args, **kwargs)  # pyright: ignore[reportAttributeAccessIssue]


def call_on_host(layer, eager_call, data, training):
    """`eager_call(data, training=...)` (the layer's eager `__call__`) run on the host when the graph runs. The
    outputs' structure, static shapes and dtypes come from a symbolic call of `layer`, which draws nothing."""
    if training is None:
        # Read now: the graph runs the host call after the outer call (a model's, in a compiled step) has returned.
        outer = _call_context.current()
        training = outer.training if outer is not None and outer.training is not None else True
    leaves = _tree.flatten(data)
    placeholders = [KerasTensor(tuple(x.shape), x.dtype.name) for x in leaves]
    with _call_context.call_scope(record_nodes=False):
        specs = layer(_tree.pack_sequence_as(data, placeholders), training=training)
    flat_specs = _tree.flatten(specs)

    def run(*arrays):
        outputs = eager_call(_tree.pack_sequence_as(data, list(arrays)), training=training)
        # String outputs (an inverted lookup) stay NumPy arrays: only TensorFlow has string tensors.
        return [x if isinstance(x, np.ndarray) else convert_to_numpy(x) for x in _tree.flatten(outputs)]

    results = _tf_graph.graph_host_call(
        run, leaves, [spec.dtype for spec in flat_specs], [spec.shape for spec in flat_specs], stateful=True
    )
    return _tree.pack_sequence_as(specs, results)
