"""`Layer`'s losses and metrics: `add_loss`, `losses` (added losses plus weight and activity regularization),
and the metrics a layer holds in its attributes, which a model reports after its compiled ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import ops
from kerasx.backend import _stateless, _symbolic_scope, _tree, active
from kerasx.layers import _call_context
from kerasx.ops import KerasTensor


def _is_metric(value) -> bool:
    # Recognized by its methods: kerasx.metrics shares the layers' floor, so the layers do not import it.
    cls = type(value)
    return all(callable(getattr(cls, name, None)) for name in ("update_state", "result", "reset_state"))


class LayerLossesMixin:
    """The losses and metrics part of `Layer` (which provides `_children`, `_flatten_layers` and the weights)."""

    # Provided by `Layer` and its `LayerWeightsMixin`.
    _losses: list
    _losses_call: int
    activity_regularizer: Callable[[Any], Any] | None
    trainable_weights: list
    _children: Callable[[], tuple]
    _flatten_layers: Callable[..., list]

    @property
    def metrics(self) -> list:
        """Metrics assigned to the layer's attributes (alone or in a list), then those of its sublayers, as in Keras:
        a model lists them after its compiled metrics, so a metric a layer updates in `call` is reported by `fit`.

        Example:
        >>> import kerasx
        >>> class Tracked(kerasx.layers.Layer):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.mean_input = kerasx.metrics.Mean(name="mean_input")
        >>> [metric.name for metric in Tracked().metrics]
        ['mean_input']
        """
        found = self._own_metrics()
        for layer in self._children()[2]:
            found.extend(layer.metrics)
        return found

    @property
    def metrics_variables(self) -> list:
        """The variables of `metrics`, metric by metric."""
        return [variable for metric in self.metrics for variable in metric.variables]

    def _own_metrics(self) -> list:
        found = []
        for value in self.__dict__.values():
            if _is_metric(value):
                found.append(value)
            elif isinstance(value, (list, tuple)) and value and all(_is_metric(item) for item in value):
                found.extend(value)
        return found

    def add_loss(self, loss) -> None:
        """Adds scalar loss tensor(s) to `losses` (ignored on symbolic tensors: they count when the graph runs)."""
        number = _call_context.call_number()
        if number != self._losses_call:
            # Losses of an earlier outermost call are stale: start over (the cheap form of clearing every
            # sublayer's losses at the start of each outermost call).
            object.__setattr__(self, "_losses", [])
            object.__setattr__(self, "_losses_call", number)
        scope = _stateless.current()
        collect = scope is not None and scope.collect_losses and not _symbolic_scope.in_symbolic_scope()
        for value in _tree.flatten(loss):
            if not isinstance(value, KerasTensor):
                self._losses.append(value)
                if collect:
                    scope.add_loss(value)  # pyright: ignore[reportOptionalMemberAccess] - `StatelessScope(collect_losses=True)`, as in Keras 3

    @property
    def losses(self) -> list:
        """Losses added during the latest outermost call, plus weight regularization penalties (current values)."""
        return self._losses_of(*self._loss_sources())

    def _loss_sources(self):
        """(the layers that may add losses, the regularized trainable variables): what `losses` reads."""
        regularized = [v for v in self.trainable_weights if getattr(v, "regularizer", None) is not None]
        return self._flatten_layers(), regularized

    @staticmethod
    def _losses_of(layers, regularized) -> list:
        result = []
        latest = max(layer._last_outer_call for layer in layers)
        for layer in layers:
            if layer._losses and layer._losses_call >= latest:
                result.extend(layer._losses)
        result.extend(variable.regularizer(variable) for variable in regularized)
        return result

    def _clear_losses(self) -> None:
        for layer in self._flatten_layers():
            object.__setattr__(layer, "_losses", [])

    def _add_activity_loss(self, outputs) -> None:
        if self.activity_regularizer is None:
            return
        for output in _tree.flatten(outputs):
            if active.core.is_tensor(output):
                loss = self.activity_regularizer(output)
                if len(ops.shape(output)) > 0:
                    # Keras 3 divides by the batch size, so the penalty's weight does not depend on it.
                    loss = ops.divide_no_nan(loss, ops.cast(ops.shape(output)[0], ops.dtype(loss)))
                self.add_loss(loss)
