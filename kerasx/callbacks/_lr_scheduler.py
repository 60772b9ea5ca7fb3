"""`LearningRateScheduler`: sets the learning rate at the start of each epoch from `schedule(epoch, lr)`."""

from __future__ import annotations

import inspect
import numbers

from kerasx.callbacks._callback import Callback
from kerasx.callbacks._learning_rate import get_learning_rate, set_learning_rate

NOT_CALLABLE = "LearningRateScheduler expects a callable `schedule(epoch, lr) -> lr`. Received: schedule={value!r}."
BAD_SCHEDULE_OUTPUT = (
    "The `schedule` function of LearningRateScheduler must return a float learning rate. Received: {value!r} "
    "(type {type_name}) for epoch {epoch}."
)


def _takes_learning_rate(schedule) -> bool:
    """False for a Keras 1-style `schedule(epoch)`; True for `schedule(epoch, lr)` or an uninspectable callable."""
    try:
        parameters = inspect.signature(schedule).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to `schedule(epoch, current_learning_rate)` before each epoch.

    `epoch` is 0-based; a `schedule(epoch)` with one argument is accepted too. Each epoch's logs get a
    `learning_rate` entry.

    Args:
        schedule: function `(epoch: int, lr: float) -> float`.
        verbose: 1 prints the new rate at each epoch.

    Example:
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1)])
        >>> model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=0.1), loss="mse")
        >>> callback = kerasx.callbacks.LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr / 2)
        >>> callback.set_model(model)
        >>> for epoch in range(4):
        ...     callback.on_epoch_begin(epoch)
        ...     print(epoch, round(float(kerasx.ops.convert_to_numpy(model.optimizer.learning_rate)), 4))
        0 0.1
        1 0.1
        2 0.05
        3 0.025
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(NOT_CALLABLE.format(value=schedule))
        self.schedule = schedule
        self.verbose = verbose
        self._takes_learning_rate = _takes_learning_rate(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        if self._takes_learning_rate:
            learning_rate = self.schedule(epoch, get_learning_rate(self.model, "LearningRateScheduler"))
        else:
            learning_rate = self.schedule(epoch)
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
            type_name = type(learning_rate).__name__
            raise ValueError(BAD_SCHEDULE_OUTPUT.format(value=learning_rate, type_name=type_name, epoch=epoch))
        set_learning_rate(self.model, "LearningRateScheduler", learning_rate)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(learning_rate)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model, "LearningRateScheduler")
