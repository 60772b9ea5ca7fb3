"""The part the `*_dataset_from_directory` builders share: list the files, split them, and batch them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kerasx.utils import _directory_index, _native
from kerasx.utils._batched import BatchedDataset


def _dataset(paths: list, labels, label_mode, num_classes: int, batch_size, shuffle: bool, seed, class_names,
             load_samples: Callable, varying_axes: tuple, native: bool):
    def load(indices):
        samples = load_samples([paths[i] for i in indices])
        if label_mode is None:
            return samples
        return samples, _directory_index.encode_labels(np.asarray(labels)[indices], label_mode, num_classes)

    def unbatch(batch):
        return batch[0] if label_mode is None else (batch[0][0], batch[1][0])

    dataset = BatchedDataset(len(paths), load, batch_size, shuffle=shuffle, seed=seed, unbatch=unbatch)
    dataset.class_names = class_names
    dataset.file_paths = paths
    dataset.varying_axes = varying_axes
    return _native.native_dataset(dataset) if native else dataset


def datasets_from_directory(directory, labels, label_mode, class_names, batch_size, shuffle: bool, seed,
                            validation_split, subset, follow_links: bool, verbose: bool, formats: tuple,
                            no_files: str, load_samples: Callable, varying_axes: tuple = (), native: bool = True):
    """The dataset (or `[training, validation]` for `subset="both"`) of the files under `directory` with one of
    `formats`; `load_samples(paths)` reads a batch. Arguments are checked by the caller, `seed` already drawn.

    `no_files` is the error for an empty subset, formatted with `which` ("training "/"validation "/"") and
    `directory`; `native=False` keeps the PyDataset on every engine."""
    paths, labels, class_names = _directory_index.index_directory(
        directory, labels, formats, class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(_directory_index.BINARY_NEEDS_TWO.format(class_names=class_names))
    num_classes = len(class_names) if class_names else 0
    datasets = []
    for part in ("training", "validation") if subset == "both" else (subset,):
        part_paths, part_labels = _directory_index.split(paths, labels, validation_split, part)
        if not part_paths:
            raise ValueError(no_files.format(which=f"{part} " if subset == "both" else "", directory=directory))
        # As in Keras 3, the validation half of subset="both" keeps its order across epochs.
        part_shuffle = shuffle and not (subset == "both" and part == "validation")
        datasets.append(_dataset(list(part_paths), part_labels, label_mode, num_classes, batch_size, part_shuffle,
                                 seed, class_names, load_samples, varying_axes, native))
    return datasets if subset == "both" else datasets[0]
