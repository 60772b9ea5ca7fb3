"""Boston housing prices (regression): `load_data`."""

from kerasx import _missing
from kerasx.datasets._housing import load_boston_housing as load_data

__all__ = ["load_data"]

__getattr__ = _missing.missing_name_hook(__name__)
