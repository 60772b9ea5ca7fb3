"""`text_dataset_from_directory`: batches of text files' contents from class sub-folders, without TensorFlow."""

from __future__ import annotations

import numpy as np

from kerasx.utils import _directory_dataset, _directory_index

NO_TEXTS = "No {which}text files found in directory {directory}. Allowed format: .txt"


def _read_text(path: str, max_length: int | None) -> bytes:
    with open(path, "rb") as file:
        content = file.read()
    return content if max_length is None else content[:max_length]


def text_dataset_from_directory(directory, labels="inferred", label_mode: str | None = "int", class_names=None,
                                batch_size: int | None = 32, max_length: int | None = None, shuffle: bool = True,
                                seed=None, validation_split: float | None = None, subset: str | None = None,
                                follow_links: bool = False, format: str = "tf", verbose: bool = True):
    """Batches of `(texts, labels)` from a folder with one sub-folder of `.txt` files per class.

    Texts are the files' bytes (the first `max_length` bytes with `max_length`), as Keras 3's `tf.string`s give
    them: on TensorFlow the result is a `tf.data.Dataset`, elsewhere a `PyDataset` whose text batches are NumPy
    object arrays of `bytes`. Labels, `class_names`, shuffling and `validation_split`/`subset` work as in
    `image_dataset_from_directory`.

    Args:
        directory: the folder.
        labels: "inferred", a list of int labels in the sorted order of the files, or None.
        label_mode: "int", "categorical", "binary" or None.
        class_names: the sub-folders to use and their order, with inferred labels.
        batch_size: texts per batch (None: single texts).
        max_length: the most bytes kept of each text.
        shuffle: whether to shuffle.
        seed: the shuffling seed.
        validation_split: the fraction of the files kept for validation.
        subset: "training", "validation" or "both".
        follow_links: whether to follow symbolic links to folders.
        format: "tf" (the default: native datasets as described above).
        verbose: print the number of files and classes found.

    Returns:
        A dataset, or `[training, validation]` with `subset="both"`.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from kerasx import utils
    >>> root = tempfile.mkdtemp()
    >>> for name, text in (("neg", "bad film"), ("pos", "good film")):
    ...     os.mkdir(os.path.join(root, name))
    ...     with open(os.path.join(root, name, "0.txt"), "w") as file:
    ...         _ = file.write(text)
    >>> dataset = utils.text_dataset_from_directory(root, shuffle=False, max_length=4, verbose=False)
    >>> texts, labels = next(iter(dataset))
    >>> [bytes(text) for text in np.asarray(texts)], np.asarray(labels).tolist()
    ([b'bad ', b'good'], [0, 1])
    """
    labels, label_mode = _directory_index.check_arguments(labels, label_mode, class_names, "text")
    _directory_index.check_format(format)
    _directory_index.check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1_000_000)

    def load_samples(paths):
        texts = np.empty(len(paths), dtype=object)
        texts[:] = [_read_text(path, max_length) for path in paths]
        return texts

    return _directory_dataset.datasets_from_directory(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split, subset,
        follow_links, verbose, (".txt",), NO_TEXTS, load_samples,
    )
