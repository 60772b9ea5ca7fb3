"""Steps written as pure functions of the state, as Keras 3's JAX guides write them.

`train_step(self, state, data) -> (logs, state)` with `state = (trainable, non_trainable, optimizer, metrics)`
values, `test_step(self, state, data) -> (logs, (trainable, non_trainable, metrics))` and
`predict_step(self, state, data) -> (outputs, non_trainable)` with `state = (trainable, non_trainable)`. A step of
that form is detected by its signature (two required arguments) and wrapped into the engine-free `step(data)` form:
the wrapper reads the variables' values, calls the pure step and assigns the new state back. Inside a compiled
step (a `jax.jit` over a stateless scope) those reads and assignments are the traced state itself, so the pure
step costs nothing more than Keras's own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from kerasx.backend import StatelessScope

_METHODS = {"train": "train_step", "test": "test_step", "predict": "predict_step"}
_PURE_FORMS: dict = {}

BAD_STATE = (
    "`{method}(state, data)` of model '{name}' must return `(logs, new_state)` with new_state a tuple of {count} "
    "lists of values ({groups}). Received new_state of type {received}."
)
_GROUP_NAMES = {
    "train": "trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables",
    "test": "trainable_variables, non_trainable_variables, metrics_variables",
    "predict": "non_trainable_variables, returned as `(outputs, non_trainable_variables)`",
}


def _takes_state(function) -> bool:
    """True for `step(state, data)`: two positional parameters without defaults (besides `self`)."""
    cached = _PURE_FORMS.get(function)
    if cached is None:
        parameters = inspect.signature(function).parameters.values()
        required = [
            p for p in parameters
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is inspect.Parameter.empty
        ]
        cached = _PURE_FORMS[function] = len(required) == 3  # self, state, data
    return cached


class StatelessTrainerMixin:
    """`metrics_variables`, `stateless_compute_loss`, and the wrapping of steps written over explicit state."""

    # Provided by `Trainer` and `Layer` (a Model is both).
    name: str
    optimizer: Any
    metrics: list
    trainable_variables: list
    non_trainable_variables: list
    _compute_loss: Callable[..., Any]

    @property
    def metrics_variables(self) -> list:
        """The variables of `metrics`, metric by metric: the `metrics_variables` entry of a step's state.

        Example:
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> [variable.path for variable in model.metrics_variables]
        ['loss/total', 'loss/count']
        """
        return [variable for metric in self.metrics for variable in metric.variables]

    def stateless_compute_loss(self, trainable_variables, non_trainable_variables, metrics_variables, x=None, y=None,
                               y_pred=None, sample_weight=None, training=True):
        """`compute_loss` as a pure function of the state values.

        Returns `(loss, (trainable_variables, non_trainable_variables, metrics_variables))`, the last two with the
        values `compute_loss` assigned (nothing is written to the variables). The penalties of regularized
        variables are computed from the given trainable values, so they are differentiable with respect to them.

        Example:
        >>> import kerasx, numpy as np
        >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1, kernel_initializer="ones")])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> x, y = np.ones((3, 2), "float32"), np.zeros((3, 1), "float32")
        >>> values = lambda variables: [variable.value for variable in variables]
        >>> loss, state = model.stateless_compute_loss(
        ...     values(model.trainable_variables), values(model.non_trainable_variables),
        ...     values(model.metrics_variables), x=x, y=y, y_pred=model(x))
        >>> float(kerasx.ops.convert_to_numpy(loss))
        4.0
        """
        non_trainable = self.non_trainable_variables
        metrics = self.metrics_variables
        mapping = list(zip(self.trainable_variables, trainable_variables))
        mapping += zip(non_trainable, non_trainable_variables)
        mapping += zip(metrics, metrics_variables)
        with StatelessScope(mapping) as scope:
            loss = self._compute_loss(x, y, y_pred, sample_weight, training)
        new_non_trainable = [scope.get_current_value(v) for v in non_trainable]
        new_metrics = [scope.get_current_value(v) for v in metrics]
        return loss, (trainable_variables, new_non_trainable, new_metrics)

    def _takes_state(self, mode) -> bool:
        return _takes_state(getattr(type(self), _METHODS[mode]))

    def _state_groups(self, mode) -> tuple:
        """The variables behind each entry of a pure step's state, in Keras's order."""
        groups = [self.trainable_variables, self.non_trainable_variables]
        if mode == "train":
            groups.append(self.optimizer.variables)
        if mode != "predict":
            groups.append(self.metrics_variables)
        return tuple(groups)

    def _stateful_step(self, mode):
        """`step(data)` running the pure `<mode>_step(state, data)` over the variables' current values."""
        pure = getattr(self, _METHODS[mode])
        groups = self._state_groups(mode)
        count = len(groups)

        def step(data):
            state = tuple([variable.value for variable in group] for group in groups)
            outputs, new_state = pure(state, data)
            if mode == "predict":
                new_state = (state[0], new_state)  # predict_step returns only the non-trainable values
            if not isinstance(new_state, (tuple, list)) or len(new_state) != count:
                raise ValueError(
                    BAD_STATE.format(
                        method=_METHODS[mode], name=self.name, count=count, groups=_GROUP_NAMES[mode],
                        received=type(new_state).__name__,
                    )
                )
            for group, old_values, values in zip(groups, state, new_state):
                for variable, old_value, value in zip(group, old_values, values):
                    if value is not old_value:  # unchanged entries (e.g. the weights in test_step) are not written
                        variable.assign(value)
            return outputs

        return step
