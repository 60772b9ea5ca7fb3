"""Optimizers (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Lion), learning-rate `schedules`, and
`get` / `serialize` / `deserialize`.

Every optimizer's update is written once with kerasx ops, so it runs unchanged on every engine, eagerly or inside a
compiled training step (see `Optimizer.stateless_apply`).
"""

from __future__ import annotations

from kerasx.optimizers import schedules
from kerasx.optimizers._adadelta import Adadelta
from kerasx.optimizers._adagrad import Adagrad
from kerasx.optimizers._adam import Adam, AdamW
from kerasx.optimizers._adamax import Adamax
from kerasx.optimizers._lion import Lion
from kerasx.optimizers._nadam import Nadam
from kerasx.optimizers._optimizer import Optimizer
from kerasx.optimizers._rmsprop import RMSprop
from kerasx.optimizers._sgd import SGD
from kerasx.serialization import _registry

_BUILTINS = {
    cls.__name__: _registry.builtin(cls)
    for cls in (Adadelta, Adagrad, Adam, AdamW, Adamax, Lion, Nadam, RMSprop, SGD)
}
# Names are matched case-insensitively ("adam", "Adam", "rmsprop", "sgd"), as Keras accepts both spellings.
_BY_LOWER_NAME = {name.lower(): cls for name, cls in _BUILTINS.items()}

UNKNOWN_OPTIMIZER = (
    "Could not interpret optimizer identifier: {identifier!r}. Expected an Optimizer instance, a config dict from "
    "`kerasx.optimizers.serialize`, or one of the names (any case): {known}."
)
UNKNOWN_CLASS = (
    "Could not deserialize optimizer '{name}': not a built-in optimizer and not in `custom_objects`. "
    "Built-in optimizers: {known}. Pass `custom_objects={{'{name}': YourOptimizer}}`, or register your class with "
    "`@kerasx.saving.register_keras_serializable()`."
)
BAD_CONFIG = (
    "Could not deserialize an optimizer from {config!r}. Expected a dict with keys 'class_name' and 'config', "
    "as returned by `kerasx.optimizers.serialize`."
)


def _known() -> str:
    return ", ".join(sorted(_BUILTINS, key=str.lower))


def serialize(optimizer) -> dict:
    """`{"class_name": ..., "config": ...}` for an optimizer (a schedule `learning_rate` is serialized inside)."""
    return {"class_name": _registry.get_registered_name(type(optimizer)), "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    """A new optimizer from `serialize`'s output; `custom_objects` maps class names to your own classes."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(BAD_CONFIG.format(config=config))
    name = config["class_name"]
    custom_objects = custom_objects or {}
    cls = (
        custom_objects.get(name)
        or _BY_LOWER_NAME.get(str(name).lower())
        or _registry.get_registered_object(name)
    )
    if cls is None:
        raise ValueError(UNKNOWN_CLASS.format(name=name, known=_known()))
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)


def get(identifier):
    """An optimizer from a name ("adam", "SGD", a registered "package>Name": a new instance with default
    arguments), a config dict, or an instance (returned as is)."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_LOWER_NAME.get(identifier.lower()) or _registry.get_registered_object(identifier)
        if isinstance(cls, type) and issubclass(cls, Optimizer):
            return cls()
    raise ValueError(UNKNOWN_OPTIMIZER.format(identifier=identifier, known=_known()))


__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]
