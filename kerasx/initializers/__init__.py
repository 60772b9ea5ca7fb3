"""Weight initializers (Keras 3 names): `init(shape, dtype=None)` returns a native tensor of the selected engine.

Seeded initializers draw from `kerasx.random`, so the same seed gives bit-identical initial weights on jax, torch,
tensorflow and numpy. `get` accepts a name ("glorot_uniform"), a class name ("GlorotUniform"), a config dict from
`serialize`, an Initializer, or a callable `(shape, dtype) -> tensor`.
"""

from __future__ import annotations

import inspect

from kerasx.initializers._base import Initializer
from kerasx.initializers._constant import Constant, Identity, Ones, Zeros
from kerasx.initializers._random import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)
from kerasx.initializers._stft import STFT
from kerasx.serialization import _registry

_CLASSES = (
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    Identity,
    LecunNormal,
    LecunUniform,
    Ones,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    STFT,
    TruncatedNormal,
    VarianceScaling,
    Zeros,
)
_ALIASES = {
    "constant": Constant,
    "glorot_normal": GlorotNormal,
    "glorot_uniform": GlorotUniform,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "identity": Identity,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    "ones": Ones,
    "orthogonal": Orthogonal,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "zeros": Zeros,
    # Keras 3 also exports these class names.
    "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
    "STFTInitializer": STFT,
    "stft": STFT,
}
_BY_NAME = {**{cls.__name__: cls for cls in _CLASSES}, **_ALIASES}

UNKNOWN_INITIALIZER = (
    "Could not interpret initializer identifier: {identifier!r}. Expected None, an Initializer, a callable "
    "`(shape, dtype)`, a dict from `serialize`, or one of: {known}."
)


# Keras 3 exports every class under its snake-case name too (`initializers.glorot_uniform(seed=1)`).
constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = IdentityInitializer = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = OrthogonalInitializer = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
stft = STFTInitializer = STFT
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros


def serialize(initializer):
    """`{"class_name": ..., "config": ...}` for an Initializer (a registered function's name; None -> None)."""
    return _registry.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """An initializer from `serialize`'s output (or a name)."""
    result = _registry.deserialize_keras_object(config, custom_objects, module_objects=_BY_NAME, kind="initializer")
    return result() if inspect.isclass(result) else result


def get(identifier):
    """An initializer for a name, a class, a serialized dict, an instance or a callable; None -> None."""
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(UNKNOWN_INITIALIZER.format(identifier=identifier, known=", ".join(sorted(_ALIASES))))
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(UNKNOWN_INITIALIZER.format(identifier=identifier, known=", ".join(sorted(_ALIASES))))


__all__ = [
    "STFT",
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]
