"""Listing a folder of samples for the `*_dataset_from_directory` builders, in Keras 3's order.

Class names are the sorted names of the sub-folders (hidden ones skipped); the files of each class come in sorted
order of their folders and names; `shuffle` permutes paths and labels with `np.random.RandomState(seed)` as Keras 3
does, so the same seed puts the same files in the training and validation subsets.
"""

from __future__ import annotations

import os

import numpy as np

from kerasx.backend import _console

BAD_LABELS = (
    "`labels` argument should be a list/tuple of integer labels, of the same size as the number of {kind} files in "
    'the target directory. If you wish to infer the labels from the subdirectory names in the target directory, '
    'pass `labels="inferred"`. If you wish to get a dataset that only contains {kind} samples (no labels), pass '
    "`labels=None`. Received: labels={labels}"
)
CLASS_NAMES_WITH_LABELS = (
    'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels}, and class_names={class_names}'
)
BAD_LABEL_MODE = (
    '`label_mode` argument must be one of "int", "categorical", "binary", or None. Received: label_mode={value}'
)
BAD_SPLIT = "`validation_split` must be between 0 and 1, received: {value}"
SPLIT_WITHOUT_SUBSET = "If `subset` is set, `validation_split` must be set, and inversely."
BAD_SUBSET = '`subset` must be either "training", "validation" or "both", received: {value}'
SHUFFLED_SPLIT_WITHOUT_SEED = (
    "If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that "
    "there is no overlap between the training and validation subset."
)
UNKNOWN_CLASS_NAMES = (
    "The `class_names` passed did not match the names of the subdirectories of the target directory. Expected: "
    "{found} (or a subset of it), but received: class_names={class_names}"
)
LABEL_COUNT = (
    "Expected the lengths of `labels` to match the number of files in the target directory. len(labels) is "
    "{labels} while we found {files} files in directory {directory}."
)
BINARY_NEEDS_TWO = (
    'When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: class_names={class_names}'
)
BAD_FORMAT = '`format` should be either "tf" or "grain". Received: format={value}'
GRAIN = (
    'format="grain" asks for a Grain dataset, which kerasx does not build: leave `format` at its default and '
    "kerasx returns a tf.data.Dataset on TensorFlow and an engine-free PyDataset on the other backends."
)


def check_arguments(labels, label_mode, class_names, kind: str):
    """Keras 3's checks of `labels`, `class_names` and `label_mode`; returns `(labels, label_mode)` with both None
    when either is."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(BAD_LABELS.format(kind=kind, labels=labels))
        if class_names:
            raise ValueError(CLASS_NAMES_WITH_LABELS.format(labels=labels, class_names=class_names))
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(BAD_LABEL_MODE.format(value=label_mode))
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def check_format(format) -> None:
    if format not in ("tf", "grain"):
        raise ValueError(BAD_FORMAT.format(value=format))
    if format == "grain":
        raise ValueError(GRAIN)


def check_validation_split(validation_split, subset, shuffle: bool, seed) -> None:
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(BAD_SPLIT.format(value=validation_split))
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError(SPLIT_WITHOUT_SUBSET)
    if subset not in ("training", "validation", "both", None):
        raise ValueError(BAD_SUBSET.format(value=subset))
    if validation_split and shuffle and seed is None:
        raise ValueError(SHUFFLED_SPLIT_WITHOUT_SEED)


def _class_folders(directory: str, class_names) -> list:
    found = [
        name for name in sorted(os.listdir(directory))
        if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
    ]
    if class_names is None:
        return found
    if not set(class_names).issubset(found):
        raise ValueError(UNKNOWN_CLASS_NAMES.format(found=found, class_names=class_names))
    return list(class_names)


def _files_under(folder: str, follow_links: bool, formats: tuple) -> list:
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]):
        found.extend(os.path.join(root, name) for name in sorted(files) if name.lower().endswith(formats))
    return found


def index_directory(directory: str, labels, formats: tuple, class_names=None, shuffle: bool = True, seed=None,
                    follow_links: bool = False, verbose: bool = True) -> tuple:
    """`(file_paths, labels, class_names)`: labels an int32 array for inferred labels, the given list otherwise,
    None without labels (class_names then None too)."""
    directory = os.fspath(directory)
    if labels == "inferred":
        folders = _class_folders(directory, class_names)
    else:
        if class_names is not None:
            raise ValueError(
                "When `labels=None` (no labels), argument `class_names` cannot be specified." if labels is None else
                "When argument `labels` is specified, argument `class_names` cannot be specified (the `class_names` "
                "will be the sorted list of labels)."
            )
        folders = [""]
    file_paths, inferred = [], []
    for index, folder in enumerate(folders):
        files = _files_under(os.path.join(directory, folder), follow_links, formats)
        file_paths.extend(files)
        inferred.extend([index] * len(files))
    if labels == "inferred":
        labels, class_names = np.asarray(inferred, dtype="int32"), folders
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(file_paths):
            raise ValueError(LABEL_COUNT.format(labels=len(labels), files=len(file_paths), directory=directory))
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            _console.print_line(f"Found {len(file_paths)} files.")
        else:
            _console.print_line(f"Found {len(file_paths)} files belonging to {len(class_names)} classes.")  # pyright: ignore[reportArgumentType] - labels imply class names
    if shuffle:
        if seed is None:
            seed = np.random.randint(1_000_000)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def split(samples: list, labels, validation_split, subset: str) -> tuple:
    """The training (first) or validation (last `validation_split`) part of `samples` and `labels`."""
    if not validation_split:
        return samples, labels
    num_validation = int(validation_split * len(samples))
    if subset == "training":
        _console.print_line(f"Using {len(samples) - num_validation} files for training.")
        part = slice(None, -num_validation)
    else:
        _console.print_line(f"Using {num_validation} files for validation.")
        part = slice(-num_validation, None)
    return samples[part], (labels[part] if labels is not None else None)


def encode_labels(labels: np.ndarray, label_mode: str, num_classes: int) -> np.ndarray:
    """A batch of int labels as the builders give them: int32, one-hot float32, or float32 of shape (n, 1)."""
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels.astype("int64")]
    return labels.astype("int32") if labels.dtype.kind in "iu" else labels
