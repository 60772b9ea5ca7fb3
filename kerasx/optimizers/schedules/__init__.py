"""Learning-rate schedules: `schedule(step)` gives the rate at an optimizer step; pass one as `learning_rate`."""

from __future__ import annotations

from kerasx import _missing
from kerasx.optimizers.schedules._cosine import CosineDecay, CosineDecayRestarts
from kerasx.optimizers.schedules._exponential import ExponentialDecay, InverseTimeDecay
from kerasx.optimizers.schedules._piecewise import PiecewiseConstantDecay
from kerasx.optimizers.schedules._polynomial import PolynomialDecay
from kerasx.optimizers.schedules._schedule import LearningRateSchedule
from kerasx.serialization import Family, _registry

_BUILTINS = {
    cls.__name__: _registry.builtin(cls)
    for cls in (
        CosineDecay,
        CosineDecayRestarts,
        ExponentialDecay,
        InverseTimeDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
    )
}

_FAMILY = Family(
    "learning-rate schedule", "kerasx.optimizers.schedules", _BUILTINS, base=LearningRateSchedule, names=False
)


def serialize(learning_rate_schedule) -> dict:
    """`{"class_name": ..., "config": ...}` for a schedule.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
        >>> kerasx.optimizers.schedules.serialize(schedule)["class_name"]
        'ExponentialDecay'
    """
    return _FAMILY.serialize(learning_rate_schedule)


def deserialize(config, custom_objects=None):
    """The schedule described by `serialize`'s output; `custom_objects` maps class names to your own classes.

    Example:
        >>> import kerasx
        >>> config = {"class_name": "InverseTimeDecay", "config": {"initial_learning_rate": 1.0, "decay_steps": 1,
        ...           "decay_rate": 1.0}}
        >>> float(kerasx.optimizers.schedules.deserialize(config)(1))
        0.5
    """
    return _FAMILY.deserialize(config, custom_objects)


__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
