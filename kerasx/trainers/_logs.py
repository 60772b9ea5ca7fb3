"""What a step returns, turned into the logs callbacks, the progress bar, `History` and `evaluate` see.

The rules are Keras 3's. Callbacks get "pythonified" logs: keys in sorted order, the entries of a nested dict (the
compiled metrics' results, or a custom step's `{"compile_metrics": {...}}`) lifted to the top level, tensors turned
into Python floats where they hold one number. An epoch's logs are the model's metrics results when the last step
returned exactly those names (the default steps), else the last step's own logs (a custom step that reports other
numbers). `evaluate` and `train_on_batch` return lists in the order of `model.metrics`, then any other names sorted.
"""

from __future__ import annotations

import numpy as np

from kerasx.backend import active
from kerasx.trainers._compile_metrics import CompileMetrics


def _to_python(value):
    if active.core.is_tensor(value):
        value = active.core.convert_to_numpy(value)
    if isinstance(value, np.ndarray):
        if value.size != 1 or value.dtype.kind not in "biuf":
            return value  # not one number: kept as it is, as Keras does
        return float(value.reshape(()))
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def pythonify(logs) -> dict:
    """`logs` as callbacks receive them: sorted keys, nested dicts flattened, single numbers as floats."""
    result = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify(value))
        else:
            result[key] = _to_python(value)
    return result


class LazyLogs(dict):
    """Batch logs whose tensors become Python values only when a callback reads them (no per-step host sync);
    then they are `pythonify(results)`."""

    def __init__(self, results):
        super().__init__()
        self._results = results

    def _materialize(self):
        results = self._results
        if results is not None:
            self._results = None
            # Entries a callback wrote before reading keep their place after the step's own.
            written = dict(super().items())
            super().clear()
            super().update(pythonify(results))
            super().update(written)

    def __getitem__(self, key):
        self._materialize()
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        self._materialize()
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self._materialize()
        super().__delitem__(key)

    def __repr__(self):
        self._materialize()
        return super().__repr__()

    def __eq__(self, other):
        self._materialize()
        return super().__eq__(other)

    __hash__ = None

    def get(self, key, default=None):
        self._materialize()
        return super().get(key, default)

    def setdefault(self, key, default=None):
        self._materialize()
        return super().setdefault(key, default)

    def pop(self, key, *default):
        self._materialize()
        return super().pop(key, *default)

    def update(self, *args, **kwargs):
        self._materialize()
        super().update(*args, **kwargs)

    def items(self):
        self._materialize()
        return super().items()

    def keys(self):
        self._materialize()
        return super().keys()

    def values(self):
        self._materialize()
        return super().values()

    def __iter__(self):
        self._materialize()
        return super().__iter__()

    def __len__(self):
        self._materialize()
        return super().__len__()

    def __contains__(self, key):
        self._materialize()
        return super().__contains__(key)

    def copy(self):
        self._materialize()
        return dict(self)


def metrics_result_or_logs(model, logs):
    """The model's metrics results when `logs` (a step's return) names exactly those entries, else `logs`: the
    epoch logs of a default step are the metrics as they stand after the last batch, those of a custom step what it
    returned last."""
    metric_logs = model.get_metrics_result()
    if isinstance(logs, dict) and set(logs) == set(metric_logs):
        return metric_logs
    return logs


def flatten_in_order(model, logs: dict):
    """`logs` as the list `evaluate`/`train_on_batch` return: the entries named by `model.metrics` first (the
    compiled metrics by their own names), then the others in sorted order; a single value alone."""
    names = []
    for metric in model.metrics:
        if isinstance(metric, CompileMetrics):
            names.extend(metric.order_names)
        else:
            names.append(metric.name)
    results = [logs[name] for name in names if name in logs]
    results.extend(logs[key] for key in sorted(logs) if key not in names)
    return results[0] if len(results) == 1 else results
