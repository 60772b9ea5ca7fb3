"""`CompileMetrics`: the `metrics=` and `weighted_metrics=` of `compile`, resolved per model output."""

from __future__ import annotations

from kerasx import metrics as metrics_module
from kerasx.trainers._structures import flatten_outputs, per_output

def _as_list(entry):
    if entry is None:
        return []
    return list(entry) if isinstance(entry, (list, tuple)) else [entry]


class CompileMetrics:
    """Metrics per output; names get the output name as prefix when the model has several outputs."""

    def __init__(self, metrics=None, weighted_metrics=None):
        self._metrics = metrics
        self._weighted_metrics = weighted_metrics
        self.built = False
        self.per_output = []

    def build(self, output_names, y_true, y_pred, losses):
        names = list(output_names)
        targets = flatten_outputs(y_true, names) if y_true is not None else [None] * len(names)
        predictions = flatten_outputs(y_pred, names)
        self.per_output = []
        unweighted_names = set()
        for weighted, config in ((False, self._metrics), (True, self._weighted_metrics)):
            entries = per_output(config, names, "weighted_metrics" if weighted else "metrics") if config else []
            for index, entry in enumerate(entries):
                for identifier in _as_list(entry):
                    metric = self._make(identifier, targets[index], predictions[index], losses[index])
                    if weighted and (index, metric.name) in unweighted_names:
                        # The same metric, weighted and not: both are reported, not one under the other's name.
                        metric.name = f"weighted_{metric.name}"
                    elif not weighted:
                        unweighted_names.add((index, metric.name))
                    if len(names) > 1:
                        metric.name = f"{names[index]}_{metric.name}"
                    self.per_output.append((index, weighted, metric))
        self.output_names = names
        self.built = True

    @staticmethod
    def _make(identifier, y_true, y_pred, loss):
        true_shape = tuple(y_true.shape) if y_true is not None else tuple(y_pred.shape)
        return metrics_module.get_for_output(identifier, true_shape, tuple(y_pred.shape), loss)

    @property
    def metrics(self) -> list:
        return [metric for _, _, metric in self.per_output]

    def update_state(self, y_true, y_pred, sample_weight=None):
        targets = flatten_outputs(y_true, self.output_names)
        predictions = flatten_outputs(y_pred, self.output_names)
        weights = per_output(sample_weight, self.output_names, "sample_weight")
        for index, weighted, metric in self.per_output:
            metric.update_state(targets[index], predictions[index], sample_weight=weights[index] if weighted else None)

