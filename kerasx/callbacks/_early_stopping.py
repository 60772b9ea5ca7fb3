"""`EarlyStopping`: ends `fit` when the monitored metric stops improving, optionally restoring the best weights."""

from __future__ import annotations

from kerasx.callbacks import _monitor
from kerasx.callbacks._callback import Callback


class EarlyStopping(Callback):
    """Stops training once `monitor` has not improved for `patience` epochs.

    An epoch improves when its value beats the best so far by more than `min_delta` in the direction of `mode`.
    Training stops at the end of the epoch where `patience` epochs in a row went without improvement (never after
    the first epoch) by setting `model.stop_training`.

    Args:
        monitor: name of the log entry to watch, e.g. "val_loss" or "accuracy".
        min_delta: smallest change that counts as an improvement (its absolute value is used).
        patience: epochs without improvement after which training stops.
        verbose: 1 prints a message when stopping and when restoring weights.
        mode: "min" (lower is better), "max" (higher is better), or "auto" (from the metric's direction or name).
        baseline: training also stops after `patience` epochs that do not beat this value.
        restore_best_weights: at the end of training, set the model weights to those of the best epoch (also when
            training was not stopped early).
        start_from_epoch: number of warm-up epochs during which nothing is monitored.

    Example:
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> callback = kerasx.callbacks.EarlyStopping(monitor="val_loss", patience=2)
        >>> callback.set_model(model)
        >>> callback.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.5, 0.4, 0.45, 0.42, 0.3]):
        ...     callback.on_epoch_end(epoch, {"val_loss": val_loss})
        ...     if model.stop_training:
        ...         break
        >>> epoch, model.stop_training
        (3, True)
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__()
        self.monitor = monitor
        self.min_delta = abs(float(min_delta))
        self.patience = _monitor.check_count("patience", patience)
        self.verbose = verbose
        self.mode = _monitor.check_mode("EarlyStopping", mode)
        self.baseline = None if baseline is None else float(baseline)
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = _monitor.check_count("start_from_epoch", start_from_epoch)
        self.direction = None
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        self._reset()
        self.direction = _monitor.resolve_direction("EarlyStopping", self.monitor, self.mode, self.model)

    def get_monitor_value(self, logs):
        """The value of `monitor` in an epoch's `logs` (None, with a warning naming the available entries, when it
        is missing).

        Example:
            >>> import kerasx
            >>> kerasx.callbacks.EarlyStopping(monitor="val_loss").get_monitor_value({"val_loss": 0.25})
            0.25
        """
        return _monitor.monitored_value("EarlyStopping", self.monitor, logs)

    def on_epoch_end(self, epoch, logs=None):
        if epoch < self.start_from_epoch:
            return
        current = self.get_monitor_value(logs)
        if current is None:
            return
        if self.direction is None:
            self.direction = _monitor.resolve_direction("EarlyStopping", self.monitor, self.mode, self.model)
        if self.restore_best_weights and self.best_weights is None:
            # Until something improves, the weights training started from are the best ones.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if _monitor.is_improvement(current, self.best, self.direction, self.min_delta):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # Beating the previous best is not enough to reset patience while the baseline is not reached.
            if self.baseline is None or _monitor.is_improvement(current, self.baseline, self.direction, self.min_delta):
                self.wait = 0
                return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
