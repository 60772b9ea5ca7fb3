"""Reading and setting `model.optimizer.learning_rate` for the callbacks that schedule it."""

from __future__ import annotations

from typing import SupportsFloat

NO_LEARNING_RATE = (
    "{callback} needs `model.optimizer.learning_rate`, which this model does not have (Received: optimizer="
    "{optimizer!r}). Compile the model with an optimizer before calling `fit`."
)


def _optimizer(model, callback: str):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(NO_LEARNING_RATE.format(callback=callback, optimizer=optimizer))
    return optimizer


def get_learning_rate(model, callback: str) -> float:
    return float(_optimizer(model, callback).learning_rate)


def set_learning_rate(model, callback: str, value: SupportsFloat) -> None:
    _optimizer(model, callback).learning_rate = float(value)
