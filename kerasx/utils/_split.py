"""`split_dataset`: a dataset (arrays, a tuple/list of arrays, a tf.data.Dataset, an indexable dataset) cut in two."""

from __future__ import annotations

import random

import numpy as np

from kerasx import tree
from kerasx.utils import _native
from kerasx.utils._batched import BatchedDataset

NOT_A_DATASET = (
    "The `dataset` argument must be a NumPy array, a list/tuple of arrays, a `tf.data.Dataset` or an indexable "
    "dataset (`__len__` and `__getitem__`, such as a torch Dataset). Received: dataset={dataset} of type {type}"
)
EMPTY = "Received an empty {kind} dataset. Please provide a non-empty {kind} of arrays."
NOT_ARRAYS = "Expected a {kind} of `numpy.ndarray` objects, Received: {type} at index {index}."
DIFFERENT_LENGTHS = (
    "Received a {kind} of NumPy arrays with different lengths. Mismatch found at index {index}, Expected "
    "shape={expected} Received shape={received}. Please provide a {kind} of NumPy arrays of the same length."
)
NO_SIZE = (
    "At least one of the `left_size` or `right_size` must be specified. Received: left_size=None and "
    "right_size=None"
)
BAD_SIZE_TYPE = "Invalid `{side}_size` Type. Expected: int or float or None, Received: type({side}_size)={type}."
BOTH_ZERO = "Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero."
BAD_SIZE = (
    "`{side}_size` should be either a positive integer smaller than {total}, or a float within the range `[0, 1]`. "
    "Received: {side}_size={value}"
)
FRACTIONS_OVER_ONE = "The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1."
SIZES_OVER_TOTAL = (
    "The sum of `left_size` and `right_size` should be smaller than the {total}. Received: left_size + right_size = "
    "{sum} and total_length = {total}"
)
EMPTY_SIDE = (
    "With `dataset` of length={total}, `left_size`={left} and `right_size`={right}. Resulting {side} side dataset "
    "split will be empty. Adjust any of the aforementioned parameters"
)


def _check_arrays(arrays, kind: str) -> None:
    if len(arrays) == 0:
        raise ValueError(EMPTY.format(kind=kind))
    for index, array in enumerate(arrays):
        if not isinstance(array, np.ndarray):
            raise ValueError(NOT_ARRAYS.format(kind=kind, type=type(array), index=index))
        if array.shape[0] != arrays[0].shape[0]:
            raise ValueError(DIFFERENT_LENGTHS.format(kind=kind, index=index, expected=arrays[0].shape,
                                                      received=array.shape))


def _samples(dataset) -> tuple:
    """(the samples as a list, the batch size the input was batched with or None)."""
    if isinstance(dataset, (tuple, list)):
        kind = "tuple" if isinstance(dataset, tuple) else "list"
        _check_arrays(dataset, kind)
        return [tuple(sample) for sample in zip(*dataset)], None
    if isinstance(dataset, np.ndarray):
        return list(dataset), None
    if hasattr(dataset, "as_numpy_iterator"):  # a tf.data.Dataset, iterated without importing TensorFlow here
        batch_size = getattr(dataset, "_batch_size", None)
        if batch_size is not None:
            dataset = dataset.unbatch()
            batch_size = int(batch_size)
        return [tree.lists_to_tuples(sample) for sample in dataset.as_numpy_iterator()], batch_size
    if hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__"):
        samples = [dataset[index] for index in range(len(dataset))]
        return [tree.map_structure(np.asarray, tree.lists_to_tuples(sample)) for sample in samples], None
    raise TypeError(NOT_A_DATASET.format(dataset=dataset, type=type(dataset)))


def _split_sizes(left_size, right_size, total: int) -> tuple:
    for side, size in (("left", left_size), ("right", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(BAD_SIZE_TYPE.format(side=side, type=type(size)))
    if left_size == 0 and right_size == 0:
        raise ValueError(BOTH_ZERO)
    for side, size in (("left", left_size), ("right", right_size)):
        if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
            raise ValueError(BAD_SIZE.format(side=side, total=total, value=size))
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError(FRACTIONS_OVER_ONE)
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError(SIZES_OVER_TOTAL.format(total=total, sum=left + right))
    for side, size in (("left", left), ("right", right)):
        if size == 0:
            raise ValueError(EMPTY_SIDE.format(total=total, left=left, right=right, side=side))
    return int(left), int(right)


def _as_dataset(samples: list, batch_size):
    arrays = tree.map_structure(lambda *leaves: np.stack([np.asarray(leaf) for leaf in leaves]), *samples)

    def load(indices):
        return tree.map_structure(lambda array: array[indices], arrays)

    def unbatch(batch):
        return tree.map_structure(lambda array: array[0], batch)

    return _native.native_dataset(BatchedDataset(len(samples), load, batch_size, unbatch=unbatch))


def split_dataset(dataset, left_size: int | float | None = None, right_size: int | float | None = None,
                  shuffle: bool = False, seed: int | None = None, preferred_backend: str | None = None) -> tuple:
    """Splits a dataset of samples in two: the first `left_size` samples and the last `right_size`.

    Sizes are counts (int) or fractions of the whole (float, rounded); a missing one is the rest. With `shuffle`
    the samples are shuffled first, with Python's `random` seeded by `seed` as Keras 3 does, so the same seed
    gives the same halves. A batched `tf.data.Dataset` gives halves batched alike.

    The halves are datasets of samples: on TensorFlow `tf.data.Dataset`s (as Keras 3 returns), elsewhere
    PyDatasets that index single samples and have `batch(n)` (Keras 3 returns tf.data datasets there too, or torch
    subsets). `preferred_backend` is accepted for Keras compatibility; kerasx returns the active engine's kind.

    Args:
        dataset: a NumPy array, a list or tuple of arrays of the same length, a `tf.data.Dataset`, or an
            indexable dataset (`__len__`/`__getitem__`).
        left_size: samples (int) or fraction (float) in the left half.
        right_size: samples or fraction in the right half.
        shuffle: whether to shuffle before splitting.
        seed: the shuffling seed.
        preferred_backend: accepted, not used (see above).

    Returns:
        `(left, right)`.

    Example:

    >>> import numpy as np
    >>> from kerasx import utils
    >>> left, right = utils.split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), len(right), [int(x) for x in right]
    (8, 2, [8, 9])
    """
    samples, batch_size = _samples(dataset)
    if left_size is None and right_size is None:
        raise ValueError(NO_SIZE)
    if shuffle:
        random.Random(seed if seed is not None else random.randint(0, int(1e6))).shuffle(samples)
    left, right = _split_sizes(left_size, right_size, len(samples))
    return _as_dataset(samples[:left], batch_size), _as_dataset(samples[-right:], batch_size)
