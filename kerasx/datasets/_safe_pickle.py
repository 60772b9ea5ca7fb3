"""Reading the datasets' pickled arrays without running arbitrary code.

The IMDB and Reuters `.npz` files hold ragged sequences as object arrays, which NumPy stores as pickle streams, and
the CIFAR batches are pickled dictionaries of arrays. `np.load(allow_pickle=True)` or `pickle.load` would run
whatever a tampered download asks for; these readers rebuild NumPy arrays and plain Python values only, and refuse
every other global (`os.system`, `builtins.eval`, ...), as Keras 3 does.
"""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

# What rebuilding a NumPy array from a pickle needs, in NumPy 1 (`numpy.core`) and NumPy 2 (`numpy._core`) spelling.
ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
})
REFUSED_GLOBAL = (
    "Refused to unpickle '{module}.{name}' from a dataset file: only NumPy arrays and plain Python values are "
    "read. The file was not written by the dataset's publisher; delete it from the cache and download it again."
)
BAD_NPY_VERSION = "Unsupported `.npy` format version {version} in a dataset file."


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds NumPy arrays and plain Python values only."""

    def find_class(self, module: str, name: str):
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(REFUSED_GLOBAL.format(module=module, name=name))


def load_pickle(path: str, encoding: str = "bytes"):
    """The object pickled in the file at `path` (Python 2 pickles read their strings as `bytes`)."""
    with open(path, "rb") as file:
        return RestrictedUnpickler(file, encoding=encoding).load()


def _read_npy(stream) -> np.ndarray:
    try:
        return np.lib.format.read_array(stream, allow_pickle=False)
    except ValueError:  # an object array: its data is a pickle stream after the header
        stream.seek(0)
        version = np.lib.format.read_magic(stream)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(stream)
        elif version[0] in (2, 3):  # 3.0 differs from 2.0 only in the header's text encoding
            np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(BAD_NPY_VERSION.format(version=version)) from None
        return RestrictedUnpickler(stream).load()


def load_npz(path: str) -> dict:
    """`{name: array}` of the `.npz` archive at `path`, object arrays included (read with `RestrictedUnpickler`)."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    arrays[member[: -len(".npy")]] = _read_npy(io.BytesIO(raw.read()))
    return arrays
