"""The columns `FeatureSpace.adapt` reads: each feature of a dict of arrays or of a tf.data.Dataset of dicts, as
NumPy batches of shape `(batch, 1)` that each preprocessing layer's `adapt` takes (read as often as it needs)."""

from __future__ import annotations

import numpy as np

from kerasx.layers._preprocessing import _adapt_data

ADAPT_BATCH = 32  # the batch Keras 3 gives unbatched data to adapt on (Discretization's quantiles depend on it)


def as_text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def to_column(value) -> np.ndarray:
    """A feature's batch as `(batch, 1)` (or its own shape when already of rank 2 or more)."""
    array = _adapt_data.to_numpy(value)
    if array.dtype == object or array.dtype.kind == "S":
        array = np.vectorize(as_text, otypes=[str])(array) if array.size else array.astype(str)
    return array.reshape(-1, 1) if array.ndim <= 1 else array


class ArrayColumns:
    """The columns of a dict of arrays, each read in batches of 32 samples, as Keras 3 reads them."""

    def __init__(self, data: dict):
        self.data = {key: np.asarray(value) for key, value in data.items()}

    def column(self, key: str):
        return _Batches(lambda: self._batches(key))

    def _batches(self, key: str):
        array = to_column(self.data[key])
        for start in range(0, len(array), ADAPT_BATCH):
            yield array[start : start + ADAPT_BATCH]


class DatasetColumns:
    """The columns of a tf.data.Dataset of dicts; an unbatched one is batched by 32 first."""

    def __init__(self, dataset):
        element = next(iter(dataset))
        first = next(iter(element.values()))
        self.dataset = dataset.batch(ADAPT_BATCH) if len(first.shape) == 0 else dataset

    def column(self, key: str):
        return _Batches(lambda: (to_column(element[key]) for element in self.dataset))


class _Batches:
    """An iterable of NumPy batches that can be read more than once (what each layer's `adapt` takes)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):
        return iter(self.make())
