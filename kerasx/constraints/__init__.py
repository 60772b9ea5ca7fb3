"""Weight constraints: `MaxNorm`, `NonNeg`, `UnitNorm`, `MinMaxNorm`, and `get` / `serialize` / `deserialize`."""

from __future__ import annotations

from kerasx import _missing
from kerasx.constraints._constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from kerasx.serialization import Family

max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_BY_NAME = {
    "max_norm": MaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
    "min_max_norm": MinMaxNorm,
    "MaxNorm": MaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm,
}

_FAMILY = Family("constraint", "kerasx.constraints", _BY_NAME, base=Constraint, keras_module="keras.constraints")


def serialize(constraint):
    """A constraint as Keras 3 writes it: `{"module", "class_name", "config", "registered_name"}` (a function
    gives Keras's `"function"` entry; None gives None). Layer configs hold this form.

    Example:
        >>> import kerasx
        >>> kerasx.constraints.serialize(kerasx.constraints.NonNeg())
        {'module': 'keras.constraints', 'class_name': 'NonNeg', 'config': {}, 'registered_name': None}
    """
    return _FAMILY.serialize(constraint)


def deserialize(config, custom_objects=None):
    """The constraint `serialize` described (or named); `custom_objects` maps names to your own classes.

    Example:
        >>> import kerasx
        >>> kerasx.constraints.deserialize({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}}).max_value
        3
    """
    return _FAMILY.deserialize(config, custom_objects)


def get(identifier):
    """A constraint for a name, a class, a serialized dict, an instance or a callable; None gives None.

    Example:
        >>> import kerasx
        >>> kerasx.constraints.get("max_norm").get_config()
        {'max_value': 2, 'axis': 0}
        >>> kerasx.constraints.get(None) is None
        True
    """
    return _FAMILY.get(identifier)


__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
