"""Boston and California housing prices: regression data sets of feature rows and one price per row, split into
training and test sets after a seeded shuffle."""

from __future__ import annotations

import numpy as np

from kerasx.utils import _download

# Where Keras 3 downloads them from (tests point this at a local copy), and the files' sha256.
ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
BOSTON_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"
CALIFORNIA_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
# The "small" California set: its first 600 rows.
CALIFORNIA_SMALL_ROWS = 600

BAD_TEST_SPLIT = (
    "Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (exclusive of 1). "
    "Received: test_split={test_split}."
)
BAD_VERSION = "Argument `version` must be one of 'small', 'large'. Received: version={version!r}."


def _split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int) -> tuple:
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    boundary = int(len(x) * (1 - test_split))
    return (np.array(x[:boundary]), np.array(y[:boundary])), (np.array(x[boundary:]), np.array(y[boundary:]))


def _arrays(path: str, file_name: str, file_hash: str) -> tuple:
    path = _download.get_file(path, origin=ORIGIN_FOLDER + file_name, file_hash=file_hash)
    with np.load(path, allow_pickle=False) as data:
        return data["x"], data["y"]


def load_boston_housing(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113) -> tuple:
    """Loads the Boston housing prices (506 houses, 13 features, prices in k$): `(x_train, y_train), (x_test,
    y_test)`.

    The file is downloaded once (hash checked) into `~/.kerasx/datasets` (a copy Keras 3 downloaded to
    `~/.keras/datasets` is reused).

    Args:
        path: the file's name in the cache.
        test_split: the fraction of rows kept for testing, in [0, 1).
        seed: the shuffle's seed.

    Returns:
        float arrays `x` `(rows, 13)` and `y` `(rows,)` for each split.

    Example:
        >>> from kerasx.datasets import boston_housing
        >>> try:
        ...     boston_housing.load_data(test_split=1.0)
        ... except ValueError as error:
        ...     print(str(error).split(".")[0])
        Invalid `test_split` argument: 1
    """
    if not 0 <= test_split < 1:
        raise ValueError(BAD_TEST_SPLIT.format(test_split=test_split))
    x, y = _arrays(path, "boston_housing.npz", BOSTON_HASH)
    return _split(x, y, test_split, seed)


def load_california_housing(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
                            seed: int = 113) -> tuple:
    """Loads the California housing prices (20,640 districts of the 1990 census, 8 features, median house value
    in dollars): `(x_train, y_train), (x_test, y_test)`.

    The file is downloaded once (hash checked) into `~/.kerasx/datasets` (a copy Keras 3 downloaded to
    `~/.keras/datasets` is reused).

    Args:
        version: "large" (every district) or "small" (the first 600).
        path: the file's name in the cache.
        test_split: the fraction of rows kept for testing, in [0, 1).
        seed: the shuffle's seed.

    Returns:
        float arrays `x` `(rows, 8)` and `y` `(rows,)` for each split.

    Example:
        >>> from kerasx.datasets import california_housing
        >>> try:
        ...     california_housing.load_data(test_split=-0.5)
        ... except ValueError as error:
        ...     print(str(error).split(".")[0])
        Invalid `test_split` argument: -0
    """
    if not 0 <= test_split < 1:
        raise ValueError(BAD_TEST_SPLIT.format(test_split=test_split))
    x, y = _arrays(path, "california_housing.npz", CALIFORNIA_HASH)
    if version == "small":
        x, y = x[:CALIFORNIA_SMALL_ROWS], y[:CALIFORNIA_SMALL_ROWS]
    elif version != "large":
        raise ValueError(BAD_VERSION.format(version=version))
    return _split(x, y, test_split, seed)
