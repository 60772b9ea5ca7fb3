"""Activation functions by name: `kerasx.activations.get("relu")`, `serialize(fn)` -> "relu"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import _missing
from kerasx.activations._functions import (
    ALIASES,
    ALL_FUNCTIONS,
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
from kerasx.serialization import Family

swish = silu
hard_swish = hard_silu

_FAMILY = Family(
    "activation function",
    "kerasx.activations",
    {**ALL_FUNCTIONS, **ALIASES},
    functions=ALL_FUNCTIONS,
    default=linear,
    expected="None, a callable, or a name",
)


def get(identifier: str | dict | Callable[..., Any] | None) -> Callable[..., Any]:
    """The activation function for a name, a serialized form or a callable (returned as is); None gives `linear`.

    Example:
        >>> import kerasx
        >>> kerasx.activations.get("relu") is kerasx.activations.relu
        True
        >>> kerasx.activations.get(None) is kerasx.activations.linear
        True
    """
    return _FAMILY.get(identifier)


def serialize(activation):
    """The name of an activation function: its kerasx name, or the name it is registered under.

    Example:
        >>> import kerasx
        >>> kerasx.activations.serialize(kerasx.activations.swish)
        'silu'
    """
    return _FAMILY.serialize(activation)


def deserialize(config, custom_objects=None):
    """The activation function `serialize` named; `custom_objects` maps names to your own functions.

    Example:
        >>> import kerasx
        >>> kerasx.activations.deserialize("gelu") is kerasx.activations.gelu
        True
    """
    return _FAMILY.deserialize(config, custom_objects)


__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
