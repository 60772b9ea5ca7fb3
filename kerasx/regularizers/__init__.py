"""Weight regularizers: `L1`, `L2`, `L1L2`, `OrthogonalRegularizer`, and `get` / `serialize` / `deserialize`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import _missing
from kerasx.regularizers._regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer
from kerasx.serialization import Family

l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BY_NAME = {
    "l1": L1,
    "l2": L2,
    "l1_l2": L1L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "l1l2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
}

_FAMILY = Family("regularizer", "kerasx.regularizers", _BY_NAME, base=Regularizer, keras_module="keras.regularizers")


def serialize(regularizer):
    """A regularizer as Keras 3 writes it: `{"module", "class_name", "config", "registered_name"}` (a function
    gives Keras's `"function"` entry; None gives None). Layer configs hold this form.

    Example:
        >>> import kerasx
        >>> kerasx.regularizers.serialize(kerasx.regularizers.L1(0.5))
        {'module': 'keras.regularizers', 'class_name': 'L1', 'config': {'l1': 0.5}, 'registered_name': None}
    """
    return _FAMILY.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """The regularizer `serialize` described (or named); `custom_objects` maps names to your own classes.

    Example:
        >>> import kerasx
        >>> kerasx.regularizers.deserialize({"class_name": "L2", "config": {"l2": 0.5}}).l2
        0.5
    """
    return _FAMILY.deserialize(config, custom_objects)


def get(identifier: str | dict | Regularizer | Callable[..., Any] | None) -> Callable[..., Any] | None:
    """A regularizer for a name, a class, a serialized dict, an instance or a callable; None gives None.

    Example:
        >>> import kerasx
        >>> kerasx.regularizers.get("l2").get_config()
        {'l2': 0.01}
        >>> kerasx.regularizers.get(None) is None
        True
    """
    return _FAMILY.get(identifier)


__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
