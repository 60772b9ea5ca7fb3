"""Learning-rate schedules: `schedule(step)` gives the rate at an optimizer step; pass one as `learning_rate`."""

from __future__ import annotations

from kerasx.optimizers.schedules._cosine import CosineDecay, CosineDecayRestarts
from kerasx.optimizers.schedules._exponential import ExponentialDecay, InverseTimeDecay
from kerasx.optimizers.schedules._piecewise import PiecewiseConstantDecay
from kerasx.optimizers.schedules._polynomial import PolynomialDecay
from kerasx.optimizers.schedules._schedule import LearningRateSchedule
from kerasx.serialization import _registry

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

UNKNOWN_SCHEDULE = (
    "Could not deserialize learning-rate schedule '{name}': not a built-in schedule and not in `custom_objects`. "
    "Built-in schedules: {known}. Pass `custom_objects={{'{name}': YourSchedule}}`, or register your class with "
    "`@kerasx.saving.register_keras_serializable()`."
)
BAD_CONFIG = (
    "Could not deserialize a learning-rate schedule from {config!r}. Expected a dict with keys 'class_name' and "
    "'config', as returned by `kerasx.optimizers.schedules.serialize`."
)


def serialize(learning_rate_schedule) -> dict:
    """`{"class_name": ..., "config": ...}` for a schedule."""
    name = _registry.get_registered_name(type(learning_rate_schedule))
    return {"class_name": name, "config": learning_rate_schedule.get_config()}


def deserialize(config, custom_objects=None):
    """The schedule described by `serialize`'s output; `custom_objects` maps class names to your own classes."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(BAD_CONFIG.format(config=config))
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BUILTINS.get(name) or _registry.get_registered_object(name)
    if cls is None:
        raise ValueError(UNKNOWN_SCHEDULE.format(name=name, known=", ".join(sorted(_BUILTINS))))
    return cls.from_config(dict(config.get("config") or {}))


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
