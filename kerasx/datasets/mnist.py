"""MNIST handwritten digits: `load_data`."""

from kerasx import _missing
from kerasx.datasets._digits import load_mnist as load_data

__all__ = ["load_data"]

__getattr__ = _missing.missing_name_hook(__name__)
