"""`PyDataset`: a Python class that returns whole batches by index, optionally prefetched by worker threads."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any


class PyDataset:
    """Base class for datasets indexed by batch: implement `__len__` (batches per epoch) and `__getitem__(index)`.

    Args:
        workers: number of threads that prefetch batches (1 = in the training thread).
        use_multiprocessing: accepted for Keras compatibility; batches are prefetched with threads.
        max_queue_size: how many batches may be prefetched ahead.

    `fit`, `evaluate` and `predict` take a PyDataset in place of arrays; each item is a batch: `x`, `(x, y)` or
    `(x, y, sample_weight)`. Call `super().__init__(**kwargs)` in your `__init__`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class Batches(kerasx.utils.PyDataset):
        ...     def __init__(self, x, y, batch_size, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.x, self.y, self.batch_size = x, y, batch_size
        ...     def __len__(self):
        ...         return -(-len(self.x) // self.batch_size)
        ...     def __getitem__(self, index):
        ...         batch = slice(index * self.batch_size, (index + 1) * self.batch_size)
        ...         return self.x[batch], self.y[batch]
        >>> data = Batches(np.ones((10, 3)), np.zeros((10, 1)), batch_size=4)
        >>> len(data), data[2][0].shape
        (3, (2, 3))
        >>> model = kerasx.Sequential([kerasx.Input(shape=(3,)), kerasx.layers.Dense(1)])
        >>> model.predict(data, verbose=0).shape
        (10, 1)
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers = int(workers)
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = int(max_queue_size)

    def __len__(self):
        raise TypeError(f"{type(self).__name__} must implement __len__ (number of batches per epoch).")

    def __getitem__(self, index: int) -> Any:
        raise TypeError(f"{type(self).__name__} must implement __getitem__(index) returning a batch.")

    @property
    def num_batches(self) -> int | None:
        """The number of batches of an epoch: `len(self)` (Keras 3 lets a subclass override this property instead
        of `__len__`; None would mean an endless dataset, which kerasx does not take).

        Example:
            >>> import kerasx
            >>> class Four(kerasx.utils.PyDataset):
            ...     def __len__(self):
            ...         return 4
            >>> Four().num_batches
            4
        """
        return len(self)

    def on_epoch_begin(self):
        """Called before each epoch's first batch; override to prepare the epoch."""

    def on_epoch_end(self):
        """Called after each epoch; override to reshuffle."""


def standardize_batch(batch):
    """A PyDataset's batch as the steps receive it: a single array is `(x,)` (Keras's form for a batch without
    targets), a list is the tuple it stands for, a dict stays the inputs."""
    if isinstance(batch, (tuple, dict)):
        return batch
    if isinstance(batch, list):
        return tuple(batch)
    return (batch,)


def iterate_py_dataset(dataset, shuffle: bool = False):
    """One epoch of batches from a PyDataset-like object (anything with __len__ and __getitem__); `shuffle` draws the
    order of the batches with Python's `random`, as Keras 3 does for `fit(..., shuffle=True)`."""
    on_epoch_begin = getattr(dataset, "on_epoch_begin", None)
    if on_epoch_begin is not None:
        on_epoch_begin()
    count = len(dataset)
    order = list(range(count))
    if shuffle:
        random.shuffle(order)
    workers = getattr(dataset, "workers", 1)
    if workers <= 1:
        for index in order:
            yield standardize_batch(dataset[index])
    else:
        window = max(getattr(dataset, "max_queue_size", 10), workers)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = [pool.submit(dataset.__getitem__, order[i]) for i in range(min(window, count))]
            for index in range(count):
                batch = pending[index].result()
                ahead = index + window
                if ahead < count:
                    pending.append(pool.submit(dataset.__getitem__, order[ahead]))
                pending[index] = None  # pyright: ignore[reportArgumentType,reportCallIssue] - drops the finished batch
                yield standardize_batch(batch)
    on_epoch_end = getattr(dataset, "on_epoch_end", None)
    if on_epoch_end is not None:
        on_epoch_end()
