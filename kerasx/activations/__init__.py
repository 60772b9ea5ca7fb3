"""Activation functions by name: `kerasx.activations.get("relu")`, `serialize(fn)` -> "relu"."""

from __future__ import annotations

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
from kerasx.serialization import _registry

swish = silu
hard_swish = hard_silu

UNKNOWN_ACTIVATION = (
    "Unknown activation function. Received: activation={identifier!r}. Expected a callable, None, or one of: {known}. "
    "Custom functions can be registered with `@kerasx.saving.register_keras_serializable()`."
)


def get(identifier):
    """The activation function for a name, a serialized form, or a callable (returned as is); None -> linear."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        identifier = identifier.get("class_name", identifier.get("config"))
    if isinstance(identifier, str):
        fn = ALL_FUNCTIONS.get(identifier) or ALIASES.get(identifier) or _registry.get_registered_object(identifier)
        if fn is not None:
            return fn
    elif callable(identifier):
        return identifier
    known = ", ".join(sorted(ALL_FUNCTIONS) + sorted(ALIASES))
    raise ValueError(UNKNOWN_ACTIVATION.format(identifier=identifier, known=known))


def serialize(activation) -> str:
    """Name of an activation function: its kerasx name, its registered name, or its `__name__`."""
    for name, fn in ALL_FUNCTIONS.items():
        if fn is activation:
            return name
    return _registry.get_registered_name(activation)


def deserialize(config, custom_objects=None):
    if isinstance(config, str) and custom_objects and config in custom_objects:
        return custom_objects[config]
    return get(config)


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
