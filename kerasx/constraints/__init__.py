"""Weight constraints: `MaxNorm`, `NonNeg`, `UnitNorm`, `MinMaxNorm`, and `get` / `serialize` / `deserialize`."""

from __future__ import annotations

from kerasx.constraints._constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from kerasx.serialization import _registry

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

UNKNOWN_CONSTRAINT = (
    "Could not interpret constraint identifier: {identifier!r}. Expected None, a Constraint, a callable, a dict "
    "from `serialize`, or one of: {known}."
)


def serialize(constraint):
    return _registry.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    return _registry.deserialize_keras_object(config, custom_objects, module_objects=_BY_NAME, kind="constraint")


def get(identifier):
    """A constraint instance for a name ("max_norm"), a serialized dict, an instance or a callable; None -> None."""
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier) and not isinstance(identifier, type):
        return identifier
    known = ", ".join(sorted(_BY_NAME))
    raise ValueError(UNKNOWN_CONSTRAINT.format(identifier=identifier, known=known))


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
