"""`ModelCheckpoint`: saves the model or its weights each epoch or every N batches, optionally only when improved."""

from __future__ import annotations

import os
import tempfile
import warnings
from typing import Literal

from kerasx.backend import active
from kerasx.callbacks import _monitor
from kerasx.callbacks._callback import Callback
from kerasx.callbacks._finite import SKIPPED_NON_FINITE, first_non_finite

WEIGHTS_SUFFIX = ".weights.h5"
MODEL_SUFFIX = ".keras"

BAD_WEIGHTS_PATH = (
    "When using save_weights_only=True in ModelCheckpoint, the filepath must end in `.weights.h5` (the Keras "
    "weights format). Received: filepath={filepath!r}."
)
BAD_MODEL_PATH = (
    "ModelCheckpoint saves the whole model in the Keras format, so the filepath must end in `.keras`. Received: "
    "filepath={filepath!r}. To save only the weights, pass save_weights_only=True with a `.weights.h5` filepath."
)
BAD_SAVE_FREQ = (
    "Invalid value for argument save_freq: expected 'epoch' or a positive number of batches. Received: "
    "save_freq={value!r}."
)
BAD_FILEPATH_KEY = (
    "Failed to format the ModelCheckpoint filepath {filepath!r}: it names {key}, which is neither `epoch`, `batch` "
    "nor a log entry. Available log entries: {available}."
)
MODEL_CANNOT_SAVE = (
    "ModelCheckpoint(save_weights_only=False) calls `model.save(filepath)`, which this model does not provide "
    "(Received: model of type {model_type}). Pass save_weights_only=True with a `.weights.h5` filepath to save "
    "only the weights."
)


def check_save_freq(value) -> int | Literal["epoch"]:
    if value == "epoch":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(BAD_SAVE_FREQ.format(value=value))
    return value


class ModelCheckpoint(Callback):
    """Saves the model (`.keras`) or its weights (`.weights.h5`) during training.

    `filepath` may hold format fields filled at each save: `{epoch}` (1-based), `{batch}` (1-based, when saving
    every N batches) and any log entry, e.g. `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`. Missing folders are
    created.

    Nothing is written while a weight or optimizer variable holds NaN or Inf: the save is skipped with a
    RuntimeWarning naming the variable, and the previous file stays.

    Args:
        filepath: where to save; must end in `.keras`, or in `.weights.h5` when `save_weights_only=True`.
        monitor: log entry compared between saves when `save_best_only=True`.
        verbose: 1 prints a message at each save decision.
        save_best_only: save only when `monitor` improves on the best value seen (a fixed filepath then always
            holds the best model).
        save_weights_only: save with `model.save_weights` instead of `model.save`.
        mode: "min", "max" or "auto" (from the metric's direction or name).
        save_freq: "epoch" to save at the end of each epoch, or an integer N to save every N training batches
            (`monitor` is then read from the batch logs, which hold no `val_*` entries).
        initial_value_threshold: with `save_best_only`, the value the first save must beat.

    Example:
        >>> import os
        >>> import tempfile
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "best.weights.h5")
        ...     callback = kerasx.callbacks.ModelCheckpoint(path, save_weights_only=True, save_best_only=True)
        ...     callback.set_model(model)
        ...     callback.on_train_begin()
        ...     callback.on_epoch_end(0, {"val_loss": 0.5})
        ...     print(os.listdir(folder), callback.best)
        ...     callback.on_epoch_end(1, {"val_loss": 0.75})
        ...     print(callback.best)
        ['best.weights.h5'] 0.5
        0.5
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq: str | int = "epoch",
        initial_value_threshold=None,
    ):
        super().__init__()
        self.filepath = os.fspath(filepath)
        suffix, message = (WEIGHTS_SUFFIX, BAD_WEIGHTS_PATH) if save_weights_only else (MODEL_SUFFIX, BAD_MODEL_PATH)
        if not self.filepath.endswith(suffix):
            raise ValueError(message.format(filepath=self.filepath))
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.mode = _monitor.check_mode("ModelCheckpoint", mode)
        self.save_freq: int | Literal["epoch"] = check_save_freq(save_freq)
        self.best = None if initial_value_threshold is None else float(initial_value_threshold)
        self.direction = None
        self._current_epoch = 0
        self._batches_since_save = 0

    def _wants(self, hook: str) -> bool:
        if hook == "on_train_batch_end":
            return self.save_freq != "epoch"
        return super()._wants(hook)

    def on_train_begin(self, logs=None):
        if not self.save_weights_only and not callable(getattr(self.model, "save", None)):
            raise TypeError(MODEL_CANNOT_SAVE.format(model_type=type(self.model).__name__))
        if self.save_best_only:
            self.direction = _monitor.resolve_direction("ModelCheckpoint", self.monitor, self.mode, self.model)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _format_path(self, epoch: int, batch, logs: dict) -> str:
        fields = {**logs, "epoch": epoch + 1}
        if batch is not None:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as error:
            available = ", ".join(logs) or "(none)"
            raise ValueError(BAD_FILEPATH_KEY.format(filepath=self.filepath, key=error, available=available)) from error

    def _save(self, epoch: int, batch, logs) -> None:
        logs = logs or {}
        filepath = self._format_path(epoch, batch, logs)
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            self._write(filepath)
            return
        current = _monitor.monitored_value("ModelCheckpoint", self.monitor, logs)
        if current is None:
            return
        if self.direction is None:
            self.direction = _monitor.resolve_direction("ModelCheckpoint", self.monitor, self.mode, self.model)
        best = _monitor.worst_value(self.direction) if self.best is None else self.best
        if _monitor.is_improvement(current, self.best, self.direction, 0.0):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best:.5f} to {current:.5f}, "
                    f"saving model to {filepath}"
                )
            if self._write(filepath):
                self.best = current  # a skipped (non-finite) save does not become the value to beat
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best:.5f}")

    def _write(self, filepath: str) -> bool:
        bad = first_non_finite(self.model)
        if bad is not None:
            # A NaN checkpoint would replace a good one (a fixed filepath) and poison any restart from it.
            when = f"epoch {self._current_epoch + 1}"
            message = SKIPPED_NON_FINITE.format(callback="ModelCheckpoint", what=filepath, when=when, variable=bad)
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            return False
        if active.distribution.process_id() != 0:
            # In a multi-process run only the coordinator keeps a file. The others save too, into a folder removed
            # at once: gathering sharded weights (model parallel) is a collective every process must take part in.
            with tempfile.TemporaryDirectory() as folder:
                self._save_file(os.path.join(folder, os.path.basename(filepath)))
            return True
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        self._save_file(filepath)
        return True

    def _save_file(self, filepath: str) -> None:
        if self.save_weights_only:
            self.model.save_weights(filepath)
            return
        if not callable(getattr(self.model, "save", None)):
            raise TypeError(MODEL_CANNOT_SAVE.format(model_type=type(self.model).__name__))
        self.model.save(filepath)
