"""`Callback`: the base class of objects that `fit`, `evaluate` and `predict` notify at each stage of their loop."""

from __future__ import annotations

from typing import Any

# Every hook a CallbackList dispatches, in the order a training run first reaches them.
HOOKS = (
    "on_train_begin",
    "on_epoch_begin",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_epoch_end",
    "on_train_end",
    "on_test_begin",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_test_end",
    "on_predict_begin",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_predict_end",
)

# Keras 2 names: the default train batch hooks forward to them, so overriding either one counts.
_TRAIN_BATCH_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class Callback:
    """Base class: override the hooks you need; a `CallbackList` never calls the others (batch hooks run per step).

    Before any hook runs, the `CallbackList` calls `set_model(model)` and `set_params(params)`, where `params` holds
    `verbose`, `epochs` and `steps` (steps per epoch, None when unknown). Epoch and batch indices are 0-based. `logs`
    is a dict of Python floats: the running means of the loss and metrics so far in the epoch for batch hooks, the
    epoch's results (with `val_*` entries after validation) for `on_epoch_end`, the evaluation results for
    `on_test_end`. A hook may add entries to `logs`; callbacks later in the list see them. Set
    `self.model.stop_training = True` to end `fit` after the current batch.

    In training code the callbacks go to `model.fit(..., callbacks=[...])`; the examples of this package call the
    hooks directly, as `fit` does, so that they show what each hook does.

    Example:
        >>> import kerasx
        >>> class PrintLoss(kerasx.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(f"epoch {epoch}: loss {logs['loss']:.2f}")
        >>> callbacks = kerasx.callbacks.CallbackList([PrintLoss()])
        >>> callbacks.on_epoch_end(0, {"loss": 0.25})
        epoch 0: loss 0.25
    """

    def __init__(self):
        self.params: dict = {}
        # A kerasx Model (typed Any: callbacks sit a floor below kerasx.models).
        self._model: Any = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        return self._model

    @model.setter
    def model(self, model):
        self.set_model(model)

    def _wants(self, hook: str) -> bool:
        """Whether `hook` does anything for this callback; subclasses narrow it once their params are known."""
        if _defines(self, hook):
            return True
        alias = _TRAIN_BATCH_ALIASES.get(hook)
        return alias is not None and _defines(self, alias)

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Keras 2 name of `on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Keras 2 name of `on_train_batch_end`."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Start of a training epoch."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """End of a training epoch, after validation; `logs` holds the epoch's results and `val_*` entries."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Start of a training step."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """End of a training step; `logs` holds the running means of loss and metrics in the epoch."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Start of an evaluation step (also during validation in `fit`)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """End of an evaluation step."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Start of a prediction step."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """End of a prediction step; `logs` holds the batch's `outputs`."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Start of `fit`."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """End of `fit`; `logs` holds the last epoch's results."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Start of `evaluate` (also of each validation run in `fit`)."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """End of `evaluate`; `logs` holds the evaluation results."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Start of `predict`."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """End of `predict`."""


def _defines(callback: Callback, hook: str) -> bool:
    # An instance attribute (LambdaCallback) or a method of a subclass replaces the base class's empty hook.
    if hook in vars(callback):
        return True
    return getattr(type(callback), hook) is not getattr(Callback, hook)
