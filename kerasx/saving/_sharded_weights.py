"""Sharded weights, Keras 3's `.weights.json` format: the `.weights.h5` layout spread over several HDF5 files.

`<base>.weights.json` holds `{"metadata": {"total_size": bytes}, "weight_map": {"/<group>/vars": [shard, ...]}}`;
the shards `<base>_00000.weights.h5`, `<base>_00001.weights.h5`, ... sit beside it. Variables are written in the
order of the single-file layout; a new shard starts when the next array would take the current one past
`max_shard_size` (in GB, 2**30 bytes), so one group's datasets may span several shards. Reading merges the datasets
of every shard the map names; shard names must be plain file names in the same folder.
"""

from __future__ import annotations

import contextlib
import json
import os

import h5py
import numpy as np

from kerasx import _atomic_files as _atomic
from kerasx.saving import _archive, _errors, _weights_h5, limits

SHARDED_SUFFIX = ".weights.json"

ARRAY_TOO_LARGE = (
    "Cannot save weights sharded in shards of at most {limit} bytes (max_shard_size={max_shard_size} GB): the array "
    "'{member}' alone takes {size} bytes. Pass a larger `max_shard_size`."
)
BAD_MAX_SHARD_SIZE = "Invalid value for argument `max_shard_size`: expected a number of GB > 0. Received: {value!r}."
BAD_WEIGHT_MAP = (
    "Cannot load sharded weights from {path!r}: {why}. The file must be a `.weights.json` index written by "
    "`save_weights(..., max_shard_size=...)` (kerasx or Keras 3)."
)


class _Group:
    """What `write_weights` uses of an HDF5 group: its `attrs` and `create_dataset`, the data going to the shard
    that has room for it."""

    def __init__(self, writer, path: str):
        self._writer = writer
        self._path = path
        self.attrs = writer.file.require_group(path).attrs

    def create_dataset(self, name: str, data) -> None:
        self._writer.add(self._path, name, np.asarray(data))


class ShardedWriter:
    """Writes shards beside `index_path` as datasets arrive; `close` writes the index."""

    def __init__(self, index_path: str, max_shard_size):
        if isinstance(max_shard_size, bool) or not isinstance(max_shard_size, (int, float)) or max_shard_size <= 0:
            raise ValueError(BAD_MAX_SHARD_SIZE.format(value=max_shard_size))
        self.index_path = index_path
        self.folder = os.path.dirname(os.path.abspath(index_path))
        self.base = os.path.basename(index_path)[: -len(SHARDED_SUFFIX)]
        self.max_shard_size = max_shard_size
        self.max_bytes = float(max_shard_size) * 2**30
        self.weight_map: dict = {}
        self.total_size = 0.0
        self.current_size = 0.0
        self.num_shards = 0
        self.file = None
        self._open_next_shard()

    def _open_next_shard(self) -> None:
        if self.file is not None:
            self.file.close()
        self.shard_name = f"{self.base}_{self.num_shards:05d}.weights.h5"
        self.num_shards += 1
        self.file = h5py.File(os.path.join(self.folder, self.shard_name), "w")

    def require_group(self, path: str) -> _Group:
        return _Group(self, path)

    def add(self, group_path: str, name: str, array: np.ndarray) -> None:
        size = float(array.nbytes)
        self.total_size += size
        if size > self.max_bytes:
            raise ValueError(
                ARRAY_TOO_LARGE.format(
                    limit=int(self.max_bytes),
                    max_shard_size=self.max_shard_size,
                    member=f"{group_path}/{name}",
                    size=int(size),
                )
            )
        self.current_size += size
        if self.current_size > self.max_bytes:
            self._open_next_shard()
            self.current_size = size
        self.file.require_group(group_path).create_dataset(name, data=array)  # pyright: ignore[reportOptionalMemberAccess] - a shard is open while writing
        shards = self.weight_map.setdefault(f"/{group_path}", [])
        if self.shard_name not in shards:
            shards.append(self.shard_name)

    def close(self) -> None:
        self.file.close()  # pyright: ignore[reportOptionalMemberAccess]
        index = {"metadata": {"total_size": self.total_size}, "weight_map": self.weight_map}
        with _atomic.atomic_path(self.index_path) as temporary, open(temporary, "w", encoding="utf-8") as file:
            file.write(json.dumps(index, indent=4))


def save_sharded(model, index_path: str, max_shard_size, optimizer=None) -> None:
    writer = ShardedWriter(index_path, max_shard_size)
    try:
        _weights_h5.write_weights(writer, model, optimizer)  # pyright: ignore[reportArgumentType] - the writer stands in for an h5py.File
    finally:
        writer.close()


def _shard_names(index, path: str) -> list:
    if not isinstance(index, dict) or not isinstance(index.get("weight_map"), dict):
        raise ValueError(BAD_WEIGHT_MAP.format(path=path, why="it has no 'weight_map' dict"))
    names = []
    for group, shards in index["weight_map"].items():
        shards = [shards] if isinstance(shards, str) else shards
        if not isinstance(shards, list) or not all(isinstance(s, str) for s in shards):
            raise ValueError(BAD_WEIGHT_MAP.format(path=path, why=f"the entry {group!r} is not a list of file names"))
        for shard in shards:
            # The index must not reach outside its own folder.
            if os.path.basename(shard) != shard or shard in ("", ".", "..") or not shard.endswith(".h5"):
                raise ValueError(BAD_WEIGHT_MAP.format(path=path, why=f"the shard name {shard!r} is not a file name"))
            if shard not in names:
                names.append(shard)
    return names


def load_sharded(model, index_path: str, optimizer=None, skip_mismatch=False) -> None:
    with open(index_path, "rb") as file:
        data = file.read(limits.MAX_CONFIG_BYTES + 1)
    if len(data) > limits.MAX_CONFIG_BYTES:
        raise ValueError(_errors.H5_TOO_LARGE.format(
            path=index_path, member="index", shape="-", size=len(data), limit=limits.MAX_CONFIG_BYTES
        ))
    index = _archive.parse_json(index_path, os.path.basename(index_path), data)
    folder = os.path.dirname(os.path.abspath(index_path))
    found: dict = {}
    with contextlib.ExitStack() as stack:
        for shard in _shard_names(index, index_path):
            shard_path = os.path.join(folder, shard)
            try:
                handle = stack.enter_context(h5py.File(shard_path, "r"))
            except FileNotFoundError:
                raise
            except OSError as error:
                raise ValueError(_errors.H5_NOT_READABLE.format(path=shard_path, error=error)) from error
            for group, datasets in _weights_h5.read_datasets(handle, shard_path).items():
                found.setdefault(group, {}).update(datasets)
        _weights_h5.load_datasets_into(found, model, index_path, optimizer=optimizer, skip_mismatch=skip_mismatch)
