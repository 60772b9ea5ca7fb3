"""Arrays (NumPy, engine tensors, nested lists/dicts of them) sliced into batches."""

from __future__ import annotations

import math

import numpy as np

from kerasx.backend import _tree
from kerasx.random import make_default_seed
from kerasx.trainers.data._checks import check_numeric_arrays
from kerasx.trainers.data._packing import pack_x_y_sample_weight

MISMATCHED_LENGTHS = (
    "All arrays passed to {method} must have the same number of samples (first dimension). Received: {sizes}. "
    "Check that x, y and sample_weight describe the same samples."
)
BAD_VALIDATION_SPLIT = (
    "validation_split must be a float in [0, 1). Received: validation_split={value!r}. It only works with arrays; "
    "for generators or datasets pass `validation_data=` instead."
)


def to_numpy_leaf(value):
    """NumPy view of an array-like leaf from any engine (torch tensors on GPU are copied to host)."""
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "detach"):  # torch.Tensor, without importing torch
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and not isinstance(value, (list, tuple, dict)):
        return np.asarray(value.numpy())
    return np.asarray(value)


def is_array_data(x) -> bool:
    leaves = _tree.flatten(x)
    return bool(leaves) and all(
        leaf is None or isinstance(leaf, np.ndarray) or (hasattr(leaf, "shape") and hasattr(leaf, "dtype"))
        for leaf in leaves
    )


def num_samples(data, method):
    sizes = {tuple(leaf.shape)[0] for leaf in _tree.flatten(data) if leaf is not None}
    if len(sizes) > 1:
        raise ValueError(MISMATCHED_LENGTHS.format(method=method, sizes=sorted(sizes)))
    return sizes.pop() if sizes else 0


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from `class_weight` ({class index: weight}) and integer or one-hot targets."""
    y = np.asarray(y)
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(y.shape[0], -1)[:, 0]
    labels = labels.astype(np.int64)
    missing = set(np.unique(labels).tolist()) - set(class_weight)
    if missing:
        raise ValueError(
            f"class_weight has no entry for classes {sorted(missing)} present in y. Received: class_weight="
            f"{class_weight}. Give a weight for every class."
        )
    table = np.zeros(max(max(class_weight), labels.max()) + 1, dtype=np.float32)
    for cls, weight in class_weight.items():
        table[int(cls)] = weight
    return table[labels]


def train_validation_split(arrays, validation_split):
    """Split nested arrays into (train, validation): the validation part is the last fraction, as Keras does."""
    if not isinstance(validation_split, (int, float)) or not 0 <= validation_split < 1:
        raise ValueError(BAD_VALIDATION_SPLIT.format(value=validation_split))
    arrays = _tree.map_structure(lambda a: None if a is None else to_numpy_leaf(a), arrays)
    total = num_samples(arrays, "fit")
    cut = int(math.floor(total * (1.0 - validation_split)))
    if cut == 0 or cut == total:
        raise ValueError(
            f"validation_split={validation_split} leaves an empty training or validation set for {total} samples. "
            "Use a split that leaves at least one sample on each side."
        )
    train = _tree.map_structure(lambda a: None if a is None else a[:cut], arrays)
    validation = _tree.map_structure(lambda a: None if a is None else a[cut:], arrays)
    return train, validation


class ArrayAdapter:
    """Batches of in-memory arrays; shuffled once per epoch (a permutation gather, then contiguous slices).

    Batches have the form of `pack_x_y_sample_weight(x, y, sample_weight)`, as Keras hands them to the steps:
    `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` (with the weights that `class_weight` gives).
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False, class_weight=None, method="fit",
                 text_x=False):
        x, y, sample_weight = _tree.map_structure(
            lambda a: None if a is None else to_numpy_leaf(a), (x, y, sample_weight)
        )
        check_numeric_arrays((x, y, sample_weight), method, text_x)
        if class_weight is not None:
            if y is None:
                raise ValueError("class_weight needs targets. Received: y=None. Pass y, or drop class_weight.")
            if sample_weight is not None:
                raise ValueError("Pass either class_weight or sample_weight, not both.")
            sample_weight = class_weight_to_sample_weight(y, class_weight)
        self._data = pack_x_y_sample_weight(x, y, sample_weight)
        self.num_samples = num_samples(self._data, method)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.num_batches = max(1, math.ceil(self.num_samples / self.batch_size))
        self._flat = _tree.flatten(self._data)
        # Own generator, seeded from Python's `random` (see `kerasx.utils.set_random_seed`): the order is the same on
        # every engine and does not depend on, or disturb, NumPy's global state.
        self._rng = np.random.default_rng(make_default_seed()) if shuffle else None

    def _slice(self, flat, start):
        end = start + self.batch_size
        return _tree.pack_sequence_as(self._data, [None if a is None else a[start:end] for a in flat])

    def first_batch(self):
        """The first batch in unshuffled order, drawing nothing from the shuffling generator."""
        return self._slice(self._flat, 0)

    def rng_state(self):
        """The shuffling generator's state (a JSON-able dict), or None without shuffling: saved with a backup so a
        resumed `fit` draws the same orders."""
        return None if self._rng is None else self._rng.bit_generator.state

    def set_rng_state(self, state) -> None:
        if self._rng is not None and state is not None:
            self._rng.bit_generator.state = state

    def batches(self, start: int = 0):
        """One pass over the data (its order drawn now), from batch `start` on: a resumed pass skips what the
        interrupted one consumed without slicing it."""
        flat = self._flat
        if self.shuffle == "batch":
            order = self._rng.permutation(self.num_batches)  # pyright: ignore[reportOptionalMemberAccess] - a generator when shuffling
        else:
            order = range(self.num_batches)
            if self.shuffle:
                permutation = self._rng.permutation(self.num_samples)  # pyright: ignore[reportOptionalMemberAccess]
                flat = [None if a is None else a[permutation] for a in flat]
        size = self.batch_size
        for index in order[start:]:
            yield self._slice(flat, index * size)
