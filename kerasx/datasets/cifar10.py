"""CIFAR-10 colour images, 10 classes: `load_data`."""

from kerasx import _missing
from kerasx.datasets._cifar import load_cifar10 as load_data

__all__ = ["load_data"]

__getattr__ = _missing.missing_name_hook(__name__)
