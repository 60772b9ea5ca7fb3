"""CIFAR-10 and CIFAR-100: 32x32 colour images, 50,000 for training and 10,000 for testing, read from the
pickled batches of the published archives."""

from __future__ import annotations

import os

import numpy as np

from kerasx.backend import _config
from kerasx.datasets import _safe_pickle
from kerasx.utils import _download

# Where Keras 3 downloads them from (tests point these at local copies), and the archives' sha256.
CIFAR10_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
CIFAR100_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
CIFAR100_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
# The cache names Keras 3 uses: the archive is kept as `<name>_archive`, extracted into `<name>`.
CIFAR10_NAME = "cifar-10-batches-py-target"
CIFAR100_NAME = "cifar-100-python-target"
_NUM_TRAIN_BATCHES = 5

BAD_LABEL_MODE = (
    "cifar100.load_data: `label_mode` must be 'fine' (100 classes) or 'coarse' (20 superclasses). "
    "Received: label_mode={label_mode!r}."
)


def _load_batch(path: str, label_key: str = "labels") -> tuple:
    """(images `(n, 3, 32, 32)`, labels list) of one pickled batch (a dict with `bytes` keys)."""
    batch = {key.decode("utf8"): value for key, value in _safe_pickle.load_pickle(path).items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def _channels_last(*images: np.ndarray) -> tuple:
    if _config.image_data_format() == "channels_last":
        return tuple(x.transpose(0, 2, 3, 1) for x in images)
    return images


def load_cifar10() -> tuple:
    """Loads CIFAR-10: `(x_train, y_train), (x_test, y_test)`, 10 classes (airplane, automobile, bird, cat, deer,
    dog, frog, horse, ship, truck).

    The archive is downloaded once (hash checked) into `~/.kerasx/datasets` and extracted there (a copy Keras 3
    downloaded to `~/.keras/datasets` is reused).

    Returns:
        `x_train` uint8 `(50000, 32, 32, 3)` (`(50000, 3, 32, 32)` with channels-first images), `y_train` uint8
        `(50000, 1)`, and the test set with 10,000.

    Example:
        >>> import inspect
        >>> from kerasx.datasets import cifar10
        >>> len(inspect.signature(cifar10.load_data).parameters)  # (no network in examples: tests use small copies)
        0
    """
    folder = _download.get_file(fname=CIFAR10_NAME, origin=CIFAR10_ORIGIN, extract=True, file_hash=CIFAR10_HASH)
    folder = os.path.join(folder, "cifar-10-batches-py")
    batches = [_load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, _NUM_TRAIN_BATCHES + 1)]
    x_train = np.concatenate([np.asarray(images, "uint8") for images, _ in batches])
    y_train = np.concatenate([np.asarray(labels, "uint8") for _, labels in batches]).reshape(-1, 1)
    x_test, y_test = _load_batch(os.path.join(folder, "test_batch"))
    x_test = np.asarray(x_test).astype("uint8")
    y_test = np.reshape(y_test, (len(y_test), 1)).astype("uint8")
    x_train, x_test = _channels_last(x_train, x_test)
    return (x_train, y_train), (x_test, y_test)


def load_cifar100(label_mode: str = "fine") -> tuple:
    """Loads CIFAR-100: `(x_train, y_train), (x_test, y_test)`, with 100 fine classes or 20 coarse superclasses.

    The archive is downloaded once (hash checked) into `~/.kerasx/datasets` and extracted there (a copy Keras 3
    downloaded to `~/.keras/datasets` is reused).

    Args:
        label_mode: "fine" (100 classes) or "coarse" (20 superclasses).

    Returns:
        `x_train` uint8 `(50000, 32, 32, 3)` (channels first with that image format), `y_train` int64
        `(50000, 1)`, and the test set with 10,000.

    Example:
        >>> from kerasx.datasets import cifar100
        >>> try:
        ...     cifar100.load_data(label_mode="medium")
        ... except ValueError as error:
        ...     print(str(error).split(":")[0])
        cifar100.load_data
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(BAD_LABEL_MODE.format(label_mode=label_mode))
    folder = _download.get_file(fname=CIFAR100_NAME, origin=CIFAR100_ORIGIN, extract=True, file_hash=CIFAR100_HASH)
    folder = os.path.join(folder, "cifar-100-python")
    x_train, y_train = _load_batch(os.path.join(folder, "train"), label_key=f"{label_mode}_labels")
    x_test, y_test = _load_batch(os.path.join(folder, "test"), label_key=f"{label_mode}_labels")
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    x_train, x_test = _channels_last(x_train, x_test)
    return (x_train, y_train), (x_test, y_test)
