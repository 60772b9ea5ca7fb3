"""`ReduceLROnPlateau`: multiplies the learning rate by `factor` when the monitored metric stops improving."""

from __future__ import annotations

import numpy as np

from kerasx.callbacks import _monitor
from kerasx.callbacks._callback import Callback
from kerasx.callbacks._learning_rate import get_learning_rate, set_learning_rate

BAD_FACTOR = (
    "ReduceLROnPlateau lowers the learning rate by multiplying it with `factor`, which must be in (0, 1). "
    "Received: factor={value!r}."
)
# Optimizers keep the rate in float32, so 1e-3 * 0.1 * 0.1 lands a few float32 steps above min_lr=1e-5; such a
# product is min_lr (else one more, invisible reduction would follow).
_FLOAT32_ROUNDING = 8 * float(np.finfo(np.float32).eps)

BAD_MIN_LR = "Invalid value for argument min_lr: expected a non-negative number. Received: min_lr={value!r}."


class ReduceLROnPlateau(Callback):
    """Lowers the learning rate when `monitor` has not improved for `patience` epochs.

    After `patience` epochs in a row without an improvement larger than `min_delta`, the learning rate becomes
    `max(learning_rate * factor, min_lr)`; then `cooldown` epochs pass before epochs without improvement count
    again. Each epoch's logs get a `learning_rate` entry (the rate used for that epoch).

    Args:
        monitor: name of the log entry to watch.
        factor: multiplier applied to the learning rate, in (0, 1).
        patience: epochs without improvement before the rate is lowered.
        verbose: 1 prints a message when the rate changes.
        mode: "min", "max" or "auto" (from the metric's direction or name).
        min_delta: smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting epochs without improvement again.
        min_lr: lower bound on the learning rate.
        baseline: accepted as Keras 3 accepts it, and unused there too: the best value restarts at each `fit`.

    Example:
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1)])
        >>> model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=0.1), loss="mse")
        >>> callback = kerasx.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1)
        >>> callback.set_model(model)
        >>> callback.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.5, 0.6, 0.4, 0.45]):
        ...     callback.on_epoch_end(epoch, {"val_loss": val_loss})
        ...     print(epoch, round(float(kerasx.ops.convert_to_numpy(model.optimizer.learning_rate)), 4))
        0 0.1
        1 0.05
        2 0.05
        3 0.025
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        baseline=None,
    ):
        super().__init__()
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor < 1:
            raise ValueError(BAD_FACTOR.format(value=factor))
        if isinstance(min_lr, bool) or not isinstance(min_lr, (int, float)) or min_lr < 0:
            raise ValueError(BAD_MIN_LR.format(value=min_lr))
        self.monitor = monitor
        self.factor = float(factor)
        self.patience = _monitor.check_count("patience", patience)
        self.verbose = verbose
        self.mode = _monitor.check_mode("ReduceLROnPlateau", mode)
        self.min_delta = abs(float(min_delta))
        self.cooldown = _monitor.check_count("cooldown", cooldown)
        self.min_lr = float(min_lr)
        self.baseline = baseline
        self.direction = None
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.cooldown_counter = 0
        self.best = None

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()
        self.direction = _monitor.resolve_direction("ReduceLROnPlateau", self.monitor, self.mode, self.model)

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        learning_rate = get_learning_rate(self.model, "ReduceLROnPlateau")
        logs["learning_rate"] = learning_rate
        current = _monitor.monitored_value("ReduceLROnPlateau", self.monitor, logs)
        if current is None:
            return
        if self.direction is None:
            self.direction = _monitor.resolve_direction("ReduceLROnPlateau", self.monitor, self.mode, self.model)
        improved = _monitor.is_improvement(current, self.best, self.direction, self.min_delta)
        if improved:
            self.best = current
            self.wait = 0
        if self.in_cooldown():
            # `cooldown` epochs after a reduction do not count as epochs without improvement.
            self.cooldown_counter -= 1
            return
        if improved:
            return
        self.wait += 1
        # Compared in float32, the optimizer's precision: a rate equal to min_lr there has reached the bound.
        if self.wait >= self.patience and np.float32(learning_rate) > np.float32(self.min_lr):
            new_learning_rate = learning_rate * self.factor
            if new_learning_rate <= self.min_lr * (1 + _FLOAT32_ROUNDING):
                new_learning_rate = self.min_lr
            set_learning_rate(self.model, "ReduceLROnPlateau", new_learning_rate)
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_learning_rate}.")
            self.cooldown_counter = self.cooldown
            self.wait = 0
