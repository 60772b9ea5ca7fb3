"""CIFAR-100 colour images, 100 classes (or 20 superclasses): `load_data`."""

from kerasx import _missing
from kerasx.datasets._cifar import load_cifar100 as load_data

__all__ = ["load_data"]

__getattr__ = _missing.missing_name_hook(__name__)
