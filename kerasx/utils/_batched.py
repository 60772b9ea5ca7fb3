"""`BatchedDataset`: the engine-free dataset the builders return where Keras 3 would need TensorFlow.

A `PyDataset` over samples loaded on demand, batch by batch; with `shuffle` the sample order is drawn again from a
seeded generator after every epoch (as tf.data reshuffles on every pass). It also answers the few tf.data methods
Keras programs call on a builder's result (`map`, `take`, `prefetch`, `cache`, `as_numpy_iterator`), and carries
`class_names` (and `file_paths`) like Keras's datasets.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from kerasx.trainers.data import PyDataset

OUT_OF_RANGE = "Batch index {index} is out of range for a dataset of {length} batches."
ALREADY_BATCHED = (
    "This dataset is already batched (batch_size={batch_size}); `batch` groups single samples. Build it with "
    "batch_size=None to batch it here."
)


class BatchedDataset(PyDataset):
    """Batches of `num_samples` samples: `load(indices)` returns the batch of the samples at `indices` (an int
    array); with `batch_size=None` the items are single samples (`load` of one index, first item taken)."""

    # Set by the directory datasets: the batch axes whose size differs between batches.
    varying_axes: tuple

    def __init__(self, num_samples: int, load: Callable, batch_size: int | None, shuffle: bool = False, seed=None,
                 unbatch: Callable | None = None):
        super().__init__()
        self.num_samples = num_samples
        self.batch_size = batch_size
        self.class_names: list | None = None
        self.file_paths: list | None = None
        self._load = load
        self._unbatch = unbatch
        self._rng = np.random.RandomState(seed) if shuffle else None
        # The first epoch keeps the order given (already shuffled by the builder where Keras shuffles it).
        self._order = np.arange(num_samples)

    def __len__(self) -> int:
        if self.batch_size is None:
            return self.num_samples
        return math.ceil(self.num_samples / self.batch_size)

    def __getitem__(self, index: int):
        length = len(self)
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError(OUT_OF_RANGE.format(index=index, length=length))
        if self.batch_size is None:
            return self._unbatch(self._load(self._order[index:index + 1]))  # pyright: ignore[reportOptionalCall] - given with batch_size=None
        return self._load(self._order[index * self.batch_size:(index + 1) * self.batch_size])

    def on_epoch_end(self) -> None:
        if self._rng is not None:
            self._order = self._rng.permutation(self.num_samples)

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]
        self.on_epoch_end()

    def as_numpy_iterator(self):
        return iter(self)

    def map(self, function: Callable, num_parallel_calls=None, deterministic=None, name=None) -> MappedDataset:
        """The batches passed through `function` (called with the batch's items when a batch is a tuple, as
        tf.data's `map` does)."""
        return MappedDataset(self, function)

    def batch(self, batch_size: int, drop_remainder: bool = False, num_parallel_calls=None, deterministic=None,
              name=None) -> BatchedDataset:
        """The samples of this unbatched dataset (`batch_size=None`) grouped `batch_size` at a time."""
        if self.batch_size is not None:
            raise ValueError(ALREADY_BATCHED.format(batch_size=self.batch_size))
        count = self.num_samples - self.num_samples % batch_size if drop_remainder else self.num_samples
        batched = BatchedDataset(count, lambda indices: self._load(self._order[indices]), batch_size)
        batched.class_names, batched.file_paths = self.class_names, self.file_paths
        return batched

    def take(self, count: int) -> TakenDataset:
        return TakenDataset(self, count)

    def prefetch(self, buffer_size=None, name=None) -> BatchedDataset:
        """This dataset: `fit` already prefetches with `workers`."""
        return self

    def cache(self, filename="", name=None) -> BatchedDataset:
        """This dataset (batches are read again each epoch)."""
        return self


class MappedDataset(BatchedDataset):
    def __init__(self, source: PyDataset, function: Callable):
        PyDataset.__init__(self)
        self._source, self._function = source, function
        self.class_names = getattr(source, "class_names", None)
        self.file_paths = getattr(source, "file_paths", None)

    def __len__(self) -> int:
        return len(self._source)

    def __getitem__(self, index: int):
        batch = self._source[index]
        return self._function(*batch) if isinstance(batch, tuple) else self._function(batch)

    def on_epoch_end(self) -> None:
        self._source.on_epoch_end()


class TakenDataset(MappedDataset):
    def __init__(self, source: PyDataset, count: int):
        super().__init__(source, lambda *batch: batch if len(batch) > 1 else batch[0])  # pyright: ignore[reportGeneralTypeIssues] - batch is the source's batch
        self._count = len(source) if count < 0 else min(count, len(source))

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int):
        if not 0 <= index < self._count:
            raise IndexError(OUT_OF_RANGE.format(index=index, length=self._count))
        return self._source[index]
