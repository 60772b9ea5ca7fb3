"""MNIST and Fashion-MNIST: 28x28 grayscale images of 10 classes, 60,000 for training and 10,000 for testing."""

from __future__ import annotations

import gzip
import os

import numpy as np

from kerasx.utils import _download

# Where Keras 3 downloads them from; tests point this at a local copy.
ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
MNIST_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
# Fashion-MNIST's four files are downloaded without a hash check, into their own folder, as in Keras 3.
FASHION_FOLDER = os.path.join("datasets", "fashion-mnist")
FASHION_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
# The IDX formats' headers: magic number and sizes, 8 bytes for labels, 16 for images.
_LABELS_HEADER = 8
_IMAGES_HEADER = 16


def load_mnist(path: str = "mnist.npz") -> tuple:
    """Loads the MNIST handwritten digits: `(x_train, y_train), (x_test, y_test)`.

    The file is downloaded once (hash checked) into `~/.kerasx/datasets/<path>`; a copy Keras 3 downloaded to
    `~/.keras/datasets` is reused.

    Args:
        path: the file's name in the cache.

    Returns:
        `x_train` uint8 `(60000, 28, 28)`, `y_train` uint8 `(60000,)` (digits 0-9), and the test set with 10,000.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from kerasx.datasets import _digits, mnist
        >>> folder = tempfile.mkdtemp()  # a local copy stands in for the published file (no network here)
        >>> images = np.zeros((3, 28, 28), "uint8")
        >>> np.savez(os.path.join(folder, "mnist.npz"), x_train=images, y_train=np.arange(3, dtype="uint8"),
        ...          x_test=images[:1], y_test=np.array([7], "uint8"))
        >>> published = _digits.ORIGIN_FOLDER, _digits.MNIST_HASH
        >>> _digits.ORIGIN_FOLDER, _digits.MNIST_HASH = "file://" + folder + "/", None
        >>> os.environ["KERASX_HOME"] = os.path.join(folder, "home")
        >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +ELLIPSIS
        Downloading data from file://...
        >>> x_train.shape, x_train.dtype, y_test
        ((3, 28, 28), dtype('uint8'), array([7], dtype=uint8))
        >>> _digits.ORIGIN_FOLDER, _digits.MNIST_HASH = published
        >>> del os.environ["KERASX_HOME"]
    """
    path = _download.get_file(fname=path, origin=f"{ORIGIN_FOLDER}mnist.npz", file_hash=MNIST_HASH)
    with np.load(path, allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])


def _read_idx(path: str, header: int) -> np.ndarray:
    with gzip.open(path, "rb") as file:
        return np.frombuffer(file.read(), np.uint8, offset=header)


def load_fashion_mnist() -> tuple:
    """Loads Fashion-MNIST (Zalando's article images): `(x_train, y_train), (x_test, y_test)`.

    The four IDX files are downloaded once into `~/.kerasx/datasets/fashion-mnist` (a copy Keras 3 downloaded to
    `~/.keras/datasets/fashion-mnist` is reused). Labels: 0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat,
    5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot.

    Returns:
        `x_train` uint8 `(60000, 28, 28)`, `y_train` uint8 `(60000,)`, and the test set with 10,000.

    Example:
        >>> import gzip, os, tempfile
        >>> import numpy as np
        >>> from kerasx.datasets import _digits, fashion_mnist
        >>> folder = tempfile.mkdtemp()  # local copies stand in for the published files (no network here)
        >>> for name, header, data in [("labels", 8, bytes([9, 0])), ("images", 16, bytes(2 * 28 * 28))]:
        ...     for split in ("train", "t10k"):
        ...         with gzip.open(os.path.join(folder, f"{split}-{name}-idx{1 if name == 'labels' else 3}-ubyte.gz"),
        ...                        "wb") as file:
        ...             _ = file.write(bytes(header) + data)
        >>> published, _digits.ORIGIN_FOLDER = _digits.ORIGIN_FOLDER, "file://" + folder + "/"
        >>> os.environ["KERASX_HOME"] = os.path.join(folder, "home")
        >>> (x_train, y_train), _ = fashion_mnist.load_data()  # doctest: +ELLIPSIS
        Downloading data from file://...
        ...
        >>> x_train.shape, y_train
        ((2, 28, 28), array([9, 0], dtype=uint8))
        >>> _digits.ORIGIN_FOLDER = published
        >>> del os.environ["KERASX_HOME"]
    """
    paths = [_download.get_file(name, origin=ORIGIN_FOLDER + name, cache_subdir=FASHION_FOLDER)
             for name in FASHION_FILES]
    y_train = _read_idx(paths[0], _LABELS_HEADER)
    x_train = _read_idx(paths[1], _IMAGES_HEADER).reshape(len(y_train), 28, 28)
    y_test = _read_idx(paths[2], _LABELS_HEADER)
    x_test = _read_idx(paths[3], _IMAGES_HEADER).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
