"""`CompileLoss`: the `loss=` and `loss_weights=` of `compile`, applied per model output."""

from __future__ import annotations

from kerasx import losses as losses_module
from kerasx import metrics as metrics_module
from kerasx import ops
from kerasx.trainers._structures import batch_size_of, flatten_outputs, per_output


def _as_loss(identifier):
    """A `Loss` object (reducing with sample weights) for a name, function or instance."""
    if identifier is None:
        return None
    loss = losses_module.get(identifier)
    return loss if isinstance(loss, losses_module.Loss) else losses_module.LossFunctionWrapper(loss)


class CompileLoss:
    """Total loss = sum over outputs of `loss_weight * loss(y_true, y_pred, sample_weight)`.

    With several outputs, each output's loss is also tracked (logged as `<output name>_loss`).
    """

    def __init__(self, loss, loss_weights=None):
        # Names are checked now, so a typo fails in `compile()` rather than at the first batch.
        entries = loss.values() if isinstance(loss, dict) else loss if isinstance(loss, (list, tuple)) else [loss]
        for entry in entries:
            if isinstance(entry, str):
                losses_module.get(entry)
        self._loss = loss
        self._loss_weights = loss_weights
        self.built = False
        self.output_names = []
        self.trackers = []

    def build(self, output_names):
        self.output_names = list(output_names)
        losses = per_output(self._loss, self.output_names, "loss")
        self.losses = [_as_loss(entry) for entry in losses]
        if all(loss is None for loss in self.losses):
            raise ValueError(
                f"No loss applies to any output. Received: loss={self._loss!r} for outputs {self.output_names}. "
                "Give a loss for at least one output."
            )
        if self._loss_weights is None:
            self.weights = [1.0] * len(self.output_names)
        else:
            weights = per_output(self._loss_weights, self.output_names, "loss_weights", broadcast_single=False)
            self.weights = [1.0 if w is None else float(w) for w in weights]
        if len(self.output_names) > 1:
            self.trackers = [
                None if loss is None else metrics_module.Mean(name=f"{name}_loss")
                for name, loss in zip(self.output_names, self.losses)
            ]
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        targets = flatten_outputs(y_true, self.output_names)
        predictions = flatten_outputs(y_pred, self.output_names)
        if len(targets) != len(predictions):
            raise ValueError(
                f"The model has {len(predictions)} outputs ({self.output_names}) but {len(targets)} targets were "
                "given. Pass one target per output (a list in output order, or a dict keyed by output name)."
            )
        weights = per_output(sample_weight, self.output_names, "sample_weight")
        total = None
        batch_size = batch_size_of(predictions[0]) if self.trackers else None
        for index, loss in enumerate(self.losses):
            if loss is None:
                continue
            value = loss(targets[index], predictions[index], sample_weight=weights[index])
            if self.trackers:
                self.trackers[index].update_state(value, sample_weight=batch_size)  # pyright: ignore[reportOptionalMemberAccess] - a tracker for every output with a loss
            weighted = value if self.weights[index] == 1.0 else ops.multiply(value, self.weights[index])
            total = weighted if total is None else ops.add(total, weighted)
        return total
