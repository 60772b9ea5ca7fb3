"""`History`: records each epoch's logs; `fit` returns it and sets it as `model.history`."""

from __future__ import annotations

from kerasx.callbacks._callback import Callback


class History(Callback):
    """Records the logs of every epoch.

    `history.history` maps each log name (`loss`, metrics, `val_*`, `learning_rate` when a schedule callback adds
    it) to the list of its per-epoch values; `history.epoch` lists the 0-based epoch indices. Values keep
    accumulating when the same History is used by several `fit` calls, the epoch list restarts.

    `fit` returns its History: `history = model.fit(...)`, then `history.history["loss"]`.

    Example:
        >>> import kerasx
        >>> history = kerasx.callbacks.History()
        >>> history.on_train_begin()
        >>> history.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
        >>> history.on_epoch_end(1, {"loss": 0.25, "val_loss": 0.5})
        >>> history.history
        {'loss': [0.5, 0.25], 'val_loss': [0.75, 0.5]}
        >>> history.epoch
        [0, 1]
    """

    def __init__(self):
        super().__init__()
        self.history: dict = {}
        self.epoch: list = []

    def set_model(self, model) -> None:
        super().set_model(model)
        if model is not None:
            model.history = self

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
