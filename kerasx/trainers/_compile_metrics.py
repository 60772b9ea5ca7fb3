"""`CompileMetrics`: the `metrics=` and `weighted_metrics=` of `compile`, resolved per model output.

As in Keras 3 it is one metric of the model (`model.metrics` lists it as "compile_metrics"), whose result is the
dict of every compiled metric's value: a custom `train_step` that updates each of `self.metrics` with
`(y, y_pred)` updates all of them, and `get_metrics_result()` lifts the dict's entries to the top level.
"""

from __future__ import annotations

from kerasx import backend
from kerasx import metrics as metrics_module
from kerasx.trainers._structures import flatten_outputs, output_names_of, per_output


def _as_list(entry):
    if entry is None:
        return []
    return list(entry) if isinstance(entry, (list, tuple)) else [entry]


class CompileMetrics(metrics_module.Metric):
    """Metrics per output; names get the output name as prefix when the model has several outputs.

    Its state is its metrics' variables (`variables`, in `metrics` order), so the stateless methods of `Metric`
    work on it as on any metric.
    """

    def __init__(self, metrics=None, weighted_metrics=None):
        # No Metric.__init__: this metric owns no variables of its own, `_variables` reads its metrics'.
        self.name = "compile_metrics"
        self.dtype = backend.floatx()
        self._metrics = metrics
        self._weighted_metrics = weighted_metrics
        self.built = False
        self.per_output = []
        self.output_names = []
        self.order_names = []

    def build(self, output_names, y_true, y_pred, losses):
        names = list(output_names)
        targets = flatten_outputs(y_true, names) if y_true is not None else [None] * len(names)
        predictions = flatten_outputs(y_pred, names)
        self.per_output = []
        # The names Keras's `evaluate` orders its list by: each metric's own name, without the output prefix.
        self.order_names = []
        unweighted_names = set()
        for weighted, config in ((False, self._metrics), (True, self._weighted_metrics)):
            entries = per_output(config, names, "weighted_metrics" if weighted else "metrics") if config else []
            for index, entry in enumerate(entries):
                for identifier in _as_list(entry):
                    metric = self._make(identifier, targets[index], predictions[index], losses[index])
                    self.order_names.append(metric.name)
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
    def _make(identifier, y_true, y_pred, loss) -> metrics_module.Metric:
        true_shape = tuple(y_true.shape) if y_true is not None else tuple(y_pred.shape)
        # `identifier` is never None here (`_as_list` drops a None entry).
        return metrics_module.get_for_output(identifier, true_shape, tuple(y_pred.shape), loss)  # pyright: ignore[reportReturnType]

    @property
    def metrics(self) -> list:
        return [metric for _, _, metric in self.per_output]

    @property
    def _variables(self) -> list:
        return [variable for metric in self.metrics for variable in metric.variables]

    @property
    def _initializers(self) -> list:
        return [value for metric in self.metrics for value in metric._initializers]

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            names = output_names_of(None, y_pred)
            self.build(names, y_true, y_pred, [None] * len(names))
        targets = flatten_outputs(y_true, self.output_names)
        predictions = flatten_outputs(y_pred, self.output_names)
        weights = per_output(sample_weight, self.output_names, "sample_weight")
        for index, weighted, metric in self.per_output:
            metric.update_state(targets[index], predictions[index], sample_weight=weights[index] if weighted else None)

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()

    def result(self) -> dict:
        """`{name: value}` of every compiled metric; empty before the first batch built them."""
        return {metric.name: metric.result() for metric in self.metrics}

    def get_config(self) -> dict:
        return {"metrics": self._metrics, "weighted_metrics": self._weighted_metrics}
