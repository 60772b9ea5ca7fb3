"""`TerminateOnNaN`: stops training at the first batch whose loss is NaN or infinite."""

from __future__ import annotations

import math

from kerasx.callbacks._callback import Callback


class TerminateOnNaN(Callback):
    """Sets `model.stop_training` when a training batch ends with a NaN or infinite `loss`."""

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
