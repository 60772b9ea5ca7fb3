"""`TerminateOnNaN`: stops training at the first batch whose loss is NaN or infinite."""

from __future__ import annotations

import math

from kerasx.callbacks._callback import Callback


class TerminateOnNaN(Callback):
    """Sets `model.stop_training` when a training batch ends with a NaN or infinite `loss`.

    Training then ends after that batch, and the message `Batch <n>: Invalid loss, terminating training` is printed.

    Example:
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> callback = kerasx.callbacks.TerminateOnNaN()
        >>> callback.set_model(model)
        >>> callback.on_train_batch_end(0, {"loss": 0.5})
        >>> callback.on_train_batch_end(1, {"loss": float("nan")})
        Batch 1: Invalid loss, terminating training
        >>> model.stop_training
        True
    """

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
