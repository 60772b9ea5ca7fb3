"""Optimizers (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl, Lamb, Adafactor, Muon,
ScheduleFreeAdamW), the wrappers LossScaleOptimizer and MultiOptimizer (with OptimizerMap), learning-rate
`schedules`, and `get` / `serialize` / `deserialize`.

Every optimizer's update is written once with kerasx ops, so it runs unchanged on every engine, eagerly or inside a
compiled training step (see `Optimizer.stateless_apply`).
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.optimizers import legacy, schedules
from kerasx.optimizers._adadelta import Adadelta
from kerasx.optimizers._adafactor import Adafactor
from kerasx.optimizers._adagrad import Adagrad
from kerasx.optimizers._adam import Adam, AdamW
from kerasx.optimizers._adamax import Adamax
from kerasx.optimizers._ftrl import Ftrl
from kerasx.optimizers._lamb import Lamb
from kerasx.optimizers._lion import Lion
from kerasx.optimizers._loss_scale_optimizer import LossScaleOptimizer
from kerasx.optimizers._multi_optimizer import MultiOptimizer, OptimizerMap
from kerasx.optimizers._muon import Muon
from kerasx.optimizers._nadam import Nadam
from kerasx.optimizers._optimizer import Optimizer
from kerasx.optimizers._rmsprop import RMSprop
from kerasx.optimizers._schedule_free_adamw import ScheduleFreeAdamW
from kerasx.optimizers._sgd import SGD
from kerasx.serialization import Family, _registry

_BUILTINS = {
    cls.__name__: _registry.builtin(cls)
    for cls in (
        Adadelta, Adafactor, Adagrad, Adam, AdamW, Adamax, Ftrl, Lamb, Lion, LossScaleOptimizer, MultiOptimizer, Muon,
        Nadam, OptimizerMap, RMSprop, ScheduleFreeAdamW, SGD,
    )
}
# Names match in any case ("adam", "Adam", "rmsprop", "sgd"), as Keras accepts both spellings.
_FAMILY = Family(
    "optimizer",
    "kerasx.optimizers",
    _BUILTINS,
    base=Optimizer,
    callables=False,
    ignore_case=True,
    names=False,
    expected="None, an Optimizer instance, a config dict from `kerasx.optimizers.serialize`, or a name in any case",
)


def serialize(optimizer) -> dict:
    """`{"class_name": ..., "config": ...}` for an optimizer (a schedule `learning_rate` is serialized inside).

    Example:
        >>> import kerasx
        >>> config = kerasx.optimizers.serialize(kerasx.optimizers.SGD(learning_rate=0.5))
        >>> config["class_name"], config["config"]["learning_rate"]
        ('SGD', 0.5)
    """
    return _FAMILY.serialize(optimizer)


def deserialize(config, custom_objects=None):
    """A new optimizer from `serialize`'s output; `custom_objects` maps class names to your own classes.

    Example:
        >>> import kerasx
        >>> optimizer = kerasx.optimizers.deserialize({"class_name": "Adam", "config": {"learning_rate": 0.5}})
        >>> type(optimizer).__name__, float(optimizer.learning_rate)
        ('Adam', 0.5)
    """
    return _FAMILY.deserialize(config, custom_objects)


def get(identifier):
    """An optimizer from a name ("adam", "SGD", a registered "package>Name": a new instance with default
    arguments), a config dict, or an instance (returned as is); None gives None.

    Example:
        >>> import kerasx
        >>> type(kerasx.optimizers.get("rmsprop")).__name__
        'RMSprop'
    """
    return _FAMILY.get(identifier)


__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "LossScaleOptimizer",
    "MultiOptimizer",
    "Muon",
    "Nadam",
    "Optimizer",
    "OptimizerMap",
    "RMSprop",
    "ScheduleFreeAdamW",
    "deserialize",
    "get",
    "legacy",
    "schedules",
    "serialize",
]

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`).
__getattr__ = _missing.missing_name_hook(__name__)
