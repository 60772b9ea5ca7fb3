"""The batches `adapt` reads: NumPy arrays, engine tensors, `tf.data.Dataset`s, `PyDataset`s and iterables of
batches, each batch handed over as a NumPy array (adapting is host work on every engine)."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.backend import is_tensor

UNSUPPORTED_DATA = (
    "Layer '{name}' ({cls}).adapt takes a NumPy array, a tensor, a tf.data.Dataset, a PyDataset or an iterable of "
    "batches. Received: data of type {type}. Wrap the data in a NumPy array or a list of batches."
)
EMPTY_DATA = (
    "Layer '{name}' ({cls}).adapt received no batches. Received: data={data!r}. Pass at least one batch, "
    "e.g. layer.adapt([x])."
)


def to_numpy(x) -> np.ndarray:
    if isinstance(x, np.ndarray):
        return x
    if is_tensor(x):
        return np.asarray(ops.convert_to_numpy(x))
    # tf.data yields TensorFlow tensors on any engine: NumPy reads them through `__array__` (or `.numpy()`).
    numpy = getattr(x, "numpy", None)
    return np.asarray(numpy() if callable(numpy) else x)


def first_of(element):
    """The inputs of a dataset element: `x` of an `(x, y)` or `(x, y, sample_weight)` tuple."""
    return element[0] if isinstance(element, tuple) else element


def is_single_array(data) -> bool:
    return isinstance(data, np.ndarray) or is_tensor(data)


def batches(data, layer, steps: int | None = None, batch_rank_one: bool = False):
    """NumPy batches of `data` (one batch for an array or tensor), at most `steps` of them; with `batch_rank_one`,
    an unbatched tf.data.Dataset of vectors is batched first."""
    if is_single_array(data):
        yield to_numpy(data)
        return
    if hasattr(data, "__getitem__") and hasattr(data, "__len__") and hasattr(data, "on_epoch_end"):
        # A PyDataset (kerasx's or Keras's): indexed batches.
        data = (data[i] for i in range(len(data)))
    elif not hasattr(data, "__iter__") or isinstance(data, (str, bytes)):
        raise TypeError(UNSUPPORTED_DATA.format(name=layer.name, cls=type(layer).__name__, type=type(data).__name__))
    element_spec = getattr(data, "element_spec", None)
    if element_spec is not None and len(getattr(first_of(element_spec), "shape", ())) == 1 and batch_rank_one:
        # An unbatched tf.data.Dataset of vectors: batched as Keras 3 does, so each element is one sample.
        data = data.batch(128)  # pyright: ignore[reportAttributeAccessIssue] - a tf.data.Dataset here
    count = 0
    for element in data:
        if steps is not None and count >= steps:
            break
        count += 1
        yield to_numpy(first_of(element))
    if count == 0:
        raise ValueError(EMPTY_DATA.format(name=layer.name, cls=type(layer).__name__, data=data))
