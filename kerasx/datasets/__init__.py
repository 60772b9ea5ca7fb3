"""The standard small data sets of Keras 3's `keras.datasets`, one module each: `mnist`, `fashion_mnist`,
`cifar10`, `cifar100`, `imdb`, `reuters`, `boston_housing`, `california_housing`.

Each `load_data()` downloads the published file once (from the URLs Keras 3 uses, hash checked) into
`~/.kerasx/datasets` through `kerasx.utils.get_file`, reuses a copy Keras 3 already downloaded to
`~/.keras/datasets`, and returns the same NumPy arrays as Keras 3.
"""

from kerasx import _missing
from kerasx.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]

__getattr__ = _missing.missing_name_hook(__name__)
