"""`EpochIterator`: one interface over every data kind, with `steps_per_epoch` semantics and engine conversion."""

from __future__ import annotations

import inspect
import itertools
import types
import warnings
from typing import Any

import numpy as np

from kerasx.backend import _config, _dtypes, _tree, active
from kerasx.trainers.data._arrays import ArrayAdapter, is_array_data, to_numpy_leaf
from kerasx.trainers.data._py_dataset import iterate_py_dataset, standardize_batch

# Keras 3's words, which it prints for fit, evaluate and predict alike.
RAN_OUT_OF_DATA = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at "
    "least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building your "
    "dataset."
)
UNSUPPORTED_DATA = (
    "Unrecognized data type for {method}. Received: x of type {type_name}. Expected NumPy arrays, engine tensors, "
    "lists/dicts of them, a Python generator, a kerasx PyDataset (or any object with __len__ and __getitem__), "
    "a tf.data.Dataset or a torch DataLoader."
)
ARGS_WITH_ITERATOR = (
    "`{name}` is only supported with array inputs; with a {kind} the data itself must provide it. "
    "Received: {name}={value!r}."
)
def _kind(x) -> str:
    if isinstance(x, (str, bytes)):
        return "unknown"  # indexable, but a file name or raw bytes, not batches
    module = type(x).__module__ or ""
    if module.startswith("tensorflow") and hasattr(x, "as_numpy_iterator"):
        return "tf.data.Dataset"
    if module.startswith("torch.utils.data"):
        return "torch DataLoader"
    if isinstance(x, types.GeneratorType) or inspect.isgenerator(x):
        return "generator"
    if (
        hasattr(x, "__len__")
        and hasattr(x, "__getitem__")
        and not isinstance(x, (list, tuple, dict, np.ndarray))
        and not hasattr(x, "shape")
    ):
        return "PyDataset"
    if is_array_data(x):
        return "arrays"
    return "unknown"


class EpochIterator:
    """Yields `(step, batch)` for one epoch at a time; batches hold native tensors of the selected engine."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None, shuffle=False,
                 class_weight=None, method="fit", text_x=False):
        self.kind = _kind(x)
        self.steps_per_epoch = steps_per_epoch
        self._shuffle = shuffle
        self._iterator = None
        # Where the current pass over the data stands, for `position`/`restore` (BackupAndRestore): the shuffling
        # state before the pass drew its order, the batches taken from it, and the step a restored epoch resumes at.
        self._pass_rng = None
        self._consumed = 0
        self._resume_step = 0
        if self.kind == "arrays":
            self._adapter = ArrayAdapter(
                x, y, sample_weight, batch_size=batch_size or 32, shuffle=shuffle, class_weight=class_weight,
                method=method, text_x=text_x,
            )
            self.num_batches = steps_per_epoch or self._adapter.num_batches
        elif self.kind == "unknown":
            raise TypeError(UNSUPPORTED_DATA.format(method=method, type_name=type(x).__name__))
        else:
            for name, value in (("y", y), ("sample_weight", sample_weight), ("class_weight", class_weight)):
                if value is not None:
                    raise ValueError(ARGS_WITH_ITERATOR.format(name=name, kind=self.kind, value=value))
            self._source: Any = x
            self.num_batches = steps_per_epoch or self._length()

    def _length(self):
        if self.kind == "PyDataset":
            return len(self._source)
        if self.kind == "torch DataLoader":
            try:
                return len(self._source)
            except TypeError:  # a DataLoader over an IterableDataset without __len__: its end tells
                return None
        if self.kind == "tf.data.Dataset":
            cardinality = int(self._source.cardinality())
            return cardinality if cardinality > 0 else None
        return None

    def _fresh_batches(self, start: int = 0):
        if self.kind == "arrays":
            return self._adapter.batches(start)
        if self.kind == "PyDataset":
            return iterate_py_dataset(self._source, shuffle=self._shuffle)
        if self.kind == "tf.data.Dataset":
            return self._source.as_numpy_iterator()
        if self.kind == "torch DataLoader":
            return iter(self._source)
        return self._source  # a generator: one shared stream across epochs

    def first_batch(self):
        """The first batch (converted), without taking it from the stream or drawing shuffling randomness: what
        the model and the optimizer are built from before the first step. None when there is no data."""
        if self.kind == "arrays":
            return convert_batch(self._adapter.first_batch()) if self._adapter.num_samples else None
        if self.kind == "PyDataset":
            return convert_batch(standardize_batch(self._source[0])) if len(self._source) else None
        if self.kind == "tf.data.Dataset":
            batch = next(iter(self._source.take(1).as_numpy_iterator()), None)
        elif self.kind == "torch DataLoader":
            batch = next(iter(self._source), None)
        else:
            # A generator is one stream: the batch taken here goes back in front of it.
            batch = next(self._source, None)
            if batch is not None:
                self._source = itertools.chain([batch], self._source)
        return None if batch is None else convert_batch(batch)

    def _begin_pass(self, start: int = 0) -> None:
        self._pass_rng = self._adapter.rng_state() if self.kind == "arrays" else None
        self._iterator = iter(self._fresh_batches(start))
        self._consumed = start

    def _next(self):
        batch = next(self._iterator)  # pyright: ignore[reportArgumentType] - a pass is begun before taking from it
        self._consumed += 1
        return batch

    def position(self) -> dict | None:
        """Where the data iteration stands (JSON-able), for a backup to resume at the same batch with the same
        shuffling; None for data kinds that cannot be repositioned (generators, datasets, PyDatasets)."""
        if self.kind != "arrays":
            return None
        if self._iterator is None:
            return {"active": False, "consumed": 0, "rng": self._adapter.rng_state()}
        return {"active": True, "consumed": self._consumed, "rng": self._pass_rng}

    def restore(self, position: dict, epoch_step: int) -> None:
        """Puts the iteration back where `position` (from `position()`) was taken, `epoch_step` batches into an
        epoch: the next `epoch()` continues the interrupted one."""
        self._adapter.set_rng_state(position["rng"])
        self._iterator = None
        if position["active"]:
            self._begin_pass(int(position["consumed"]))
        self._resume_step = int(epoch_step)

    def epoch(self):
        """Batches of one epoch. With `steps_per_epoch`, each epoch continues where the previous one stopped, and
        one that reaches the end of the data ends there, warning; the next begins a new pass (Keras 3's semantics)."""
        step, self._resume_step = self._resume_step, 0
        if self.steps_per_epoch is None:
            if self._iterator is None:
                self._begin_pass()
            while True:
                try:
                    batch = self._next()
                except StopIteration:
                    if self.kind != "arrays" and self._length() is None:
                        # Keras 3 warns whenever data of unknown length ends, even where no steps were asked for.
                        warnings.warn(RAN_OUT_OF_DATA, stacklevel=2)
                    break
                yield step, convert_batch(batch)
                step += 1
            self._iterator = None
            return
        pass_length = self._adapter.num_batches if self.kind == "arrays" else self._length()
        while step < self.steps_per_epoch:
            if self._iterator is None:
                self._begin_pass()
            if pass_length is not None and self._consumed >= pass_length:
                batch = None
            else:
                try:
                    batch = self._next()
                except StopIteration:
                    batch = None
            if batch is None:
                # The data ran out before `steps_per_epoch`: as in Keras 3 the epoch ends here (the data is not
                # restarted to fill it), with Keras's warning, and the next epoch begins a new pass.
                self._iterator = None
                warnings.warn(RAN_OUT_OF_DATA, stacklevel=2)
                return
            yield step, convert_batch(batch)
            step += 1
        if pass_length is not None and self._consumed >= pass_length:
            self._iterator = None  # this epoch ended with the pass: the next one begins a new pass, without a warning


def _convert_leaf(value):
    if value is None:
        return None
    if active.core.is_tensor(value):
        return value
    array = to_numpy_leaf(value)
    if array.dtype.kind in "US" or (array.dtype.kind == "O" and array.size and isinstance(array.flat[0], (str, bytes))):
        # Text for a model's text layers: a tf.string tensor on TensorFlow, the NumPy array on the other engines.
        return active.core.host_call(_same, array, "string", array.shape)
    # Float inputs are cast to floatx, as Keras does: float64 NumPy data trains a float32 model.
    if array.dtype.kind == "f" and array.dtype.name != _config.floatx():
        return active.trainer.step_input(array, _config.floatx())
    return active.trainer.step_input(array, _dtypes.infer_dtype(array))


def _same(array):
    return array


def convert_batch(batch):
    """A batch with native tensors, its structure as the data gave it (the only per-step walk over the batch): the
    step receives `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` as Keras's do. A list at the top (a DataLoader's
    collated `[x, y]`) is read as the tuple it stands for."""
    if isinstance(batch, list):
        batch = tuple(batch)
    return _tree.map_structure(_convert_leaf, batch)
