"""Weight regularizers: `L1`, `L2`, `L1L2`, `OrthogonalRegularizer`, and `get` / `serialize` / `deserialize`."""

from __future__ import annotations

from kerasx.regularizers._regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer
from kerasx.serialization import _registry

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
    "OrthogonalRegularizer": OrthogonalRegularizer,
}

UNKNOWN_REGULARIZER = (
    "Could not interpret regularizer identifier: {identifier!r}. Expected None, a Regularizer, a callable, a dict "
    "from `serialize`, or one of: {known}."
)


def serialize(regularizer):
    return _registry.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    return _registry.deserialize_keras_object(config, custom_objects, module_objects=_BY_NAME, kind="regularizer")


def get(identifier):
    """A regularizer instance for a name ("l2"), a serialized dict, an instance or a callable; None -> None."""
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier) and not isinstance(identifier, type):
        return identifier
    known = ", ".join(sorted(_BY_NAME))
    raise ValueError(UNKNOWN_REGULARIZER.format(identifier=identifier, known=known))


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
