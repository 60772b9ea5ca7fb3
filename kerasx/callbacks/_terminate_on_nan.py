"""`TerminateOnNaN`: stops training at the first batch whose loss is NaN or infinite."""

from __future__ import annotations

import math

from kerasx.callbacks._callback import Callback

INVALID_LOSS = (
    "NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. Terminating training immediately "
    "(TerminateOnNaN(raise_error=True)). Lower the learning rate, clip gradients, or check the data for NaNs."
)


class TerminateOnNaN(Callback):
    """Sets `model.stop_training` when a training batch ends with a NaN or infinite `loss`.

    Training then ends after that batch, and the message `Batch <n>: Invalid loss, terminating training` is printed.
    With `raise_error=True` a RuntimeError is raised instead, at once: `fit` stops without finishing the epoch
    (and without its end-of-training callbacks, so a `BackupAndRestore` backup stays for a restart).

    Args:
        raise_error: raise a RuntimeError instead of stopping after the batch.

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

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = bool(raise_error)

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            if self.raise_error:
                raise RuntimeError(INVALID_LOSS.format(batch=batch, loss=float(loss)))
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
