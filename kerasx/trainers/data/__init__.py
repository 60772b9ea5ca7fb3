"""Data adapters: everything `fit`/`evaluate`/`predict` accept, turned into one stream of batches.

Accepted: NumPy arrays, lists/dicts of arrays, tensors of any installed engine, Python generators, `PyDataset`
(`__len__`/`__getitem__`), `tf.data.Dataset` and torch `DataLoader`. Batches keep the form the data gives them
(`x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; arrays are packed by `pack_x_y_sample_weight`) with NumPy
leaves or native tensors; `EpochIterator` converts them for the selected engine.
"""

from kerasx.trainers.data._arrays import ArrayAdapter, train_validation_split
from kerasx.trainers.data._epoch_iterator import EpochIterator
from kerasx.trainers.data._packing import pack_x_y_sample_weight, unpack_x_y_sample_weight
from kerasx.trainers.data._py_dataset import PyDataset

__all__ = [
    "ArrayAdapter",
    "EpochIterator",
    "PyDataset",
    "pack_x_y_sample_weight",
    "train_validation_split",
    "unpack_x_y_sample_weight",
]
