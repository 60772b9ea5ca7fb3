"""Weight initializers (Keras 3 names): `init(shape, dtype=None)` returns a native tensor of the selected engine.

Seeded initializers draw from `kerasx.random`, so the same seed gives bit-identical initial weights on jax, torch,
tensorflow and numpy. `get` accepts a name ("glorot_uniform"), a class name ("GlorotUniform"), a config dict from
`serialize`, an Initializer, or a callable `(shape, dtype) -> tensor`.
"""

from __future__ import annotations

from kerasx import _missing
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
from kerasx.serialization import Family

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

_FAMILY = Family(
    "initializer",
    "kerasx.initializers",
    _BY_NAME,
    base=Initializer,
    keras_module="keras.initializers",
    expected="None, an Initializer, a callable `(shape, dtype)`, a dict from `serialize`",
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
    """An initializer as Keras 3 writes it: `{"module", "class_name", "config", "registered_name"}` (a function
    gives Keras's `"function"` entry; None gives None). Layer configs hold this form.

    Example:
        >>> import kerasx
        >>> kerasx.initializers.serialize(kerasx.initializers.Constant(2.0))
        {'module': 'keras.initializers', 'class_name': 'Constant', 'config': {'value': 2.0}, 'registered_name': None}
    """
    return _FAMILY.serialize(initializer)


def deserialize(config, custom_objects=None):
    """An initializer from `serialize`'s output or a name; `custom_objects` maps names to your own classes.

    Example:
        >>> import kerasx
        >>> kerasx.initializers.deserialize("ones")
        Ones()
    """
    return _FAMILY.deserialize(config, custom_objects)


def get(identifier):
    """An initializer for a name, a class, a serialized dict, an instance or a callable; None gives None.

    Example:
        >>> import kerasx
        >>> type(kerasx.initializers.get("glorot_uniform")).__name__
        'GlorotUniform'
        >>> kerasx.initializers.get(None) is None
        True
    """
    return _FAMILY.get(identifier)


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


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
