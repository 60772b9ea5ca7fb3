"""`Metric`: a value accumulated over batches in non-trainable Variables, usable statefully or as pure functions.

All state changes go through `Variable.assign`, so running `update_state` inside a `StatelessScope` records the new
values instead of writing them; the `stateless_*` methods are built on that, which is what a compiled training step
uses.
"""

from __future__ import annotations

import abc

import numpy as np

from kerasx import backend, ops
from kerasx.losses._loss import snake_case

WRONG_NUM_VARIABLES = (
    "`{method}` of metric '{name}' expects one value per metric variable ({expected}: {names}). "
    "Received: {received} values. Pass the list returned by `metric.variables` (or a previous stateless call)."
)
BAD_INITIALIZER = (
    "Metric variable '{name}': unknown initializer. Received: initializer={initializer!r}. "
    "Expected 'zeros', 'ones', a number, an array, or a callable `initializer(shape, dtype)`."
)


def _initial_value(initializer, shape, dtype, name):
    if callable(initializer):
        return initializer(shape, dtype)
    if isinstance(initializer, str):
        fills = {"zeros": 0.0, "ones": 1.0}
        if initializer not in fills:
            raise ValueError(BAD_INITIALIZER.format(name=name, initializer=initializer))
        return np.full(shape, fills[initializer], dtype="float64")
    if isinstance(initializer, (int, float)) and not isinstance(initializer, bool):
        return np.full(shape, initializer, dtype="float64")
    value = np.asarray(initializer)
    if value.dtype == object:
        raise ValueError(BAD_INITIALIZER.format(name=name, initializer=initializer))
    return np.broadcast_to(value, shape)


class Metric(abc.ABC):
    """Base class of metrics: `update_state(...)` accumulates, `result()` reads, `reset_state()` clears.

    Subclasses create their state with `add_variable` in `__init__` (or on the first update when shapes depend on
    the data) and implement `update_state` and `result`.

    Args:
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.
        name: name of the metric; defaults to the snake-case class name.

    Example:
        >>> import kerasx
        >>> class Maximum(kerasx.metrics.Metric):
        ...     def __init__(self, name="maximum", dtype=None):
        ...         super().__init__(name=name, dtype=dtype)
        ...         self.largest = self.add_variable((), "zeros", name="largest")
        ...     def update_state(self, values):
        ...         self.largest.assign(kerasx.ops.maximum(self.largest, kerasx.ops.max(values)))
        ...     def result(self):
        ...         return kerasx.ops.convert_to_tensor(self.largest)
        >>> metric = Maximum()
        >>> metric.update_state([1.0, 5.0, 2.0])
        >>> metric.update_state([3.0])
        >>> float(metric.result())
        5.0
        >>> metric.reset_state()
        >>> float(metric.result())
        0.0
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or snake_case(type(self).__name__)
        self.dtype = backend.standardize_dtype(dtype) if dtype is not None else backend.floatx()
        self._variables = []
        self._initializers = []

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        """A new non-trainable state Variable; `reset_state` returns it to `initializer`."""
        shape = tuple(int(d) for d in shape)
        dtype = backend.standardize_dtype(dtype) if dtype is not None else self.dtype
        name = name or f"variable_{len(self._variables)}"
        value = _initial_value(initializer, shape, dtype, name)
        variable = backend.Variable(value, shape=shape, dtype=dtype, trainable=False, name=name)
        variable.path = f"{self.name}/{name}"
        self._variables.append(variable)
        self._initializers.append(value)
        return variable

    add_weight = add_variable

    def _build_from_shapes(self, y_true_shape, y_pred_shape) -> None:  # noqa: B027 - a hook, empty by default
        """Creates the state whose size depends on the data (e.g. the number of classes) from the shapes alone.

        `compile` calls it when the model's output shapes are known, so that a compiled step finds every
        variable already made. Metrics whose state is made in `__init__` have nothing to do.
        """

    @property
    def variables(self) -> list:
        return list(self._variables)

    @abc.abstractmethod
    def update_state(self, *args, **kwargs):
        """Accumulates the statistics of one batch into the metric variables."""

    @abc.abstractmethod
    def result(self):
        """The metric value from the accumulated statistics."""

    def reset_state(self):
        """Returns every variable to its initial value."""
        for variable, value in zip(self._variables, self._initializers):
            variable.assign(value)

    def __call__(self, *args, **kwargs):
        """`update_state(*args, **kwargs)`, then `result()`."""
        self.update_state(*args, **kwargs)
        return self.result()

    def _check_values(self, method: str, metric_variables) -> list:
        metric_variables = list(metric_variables)
        if len(metric_variables) != len(self._variables):
            names = [v.name for v in self._variables]
            raise ValueError(
                WRONG_NUM_VARIABLES.format(
                    method=method,
                    name=self.name,
                    expected=len(self._variables),
                    names=names,
                    received=len(metric_variables),
                )
            )
        return metric_variables

    def stateless_update_state(self, metric_variables, *args, **kwargs) -> list:
        """New variable values after `update_state(*args, **kwargs)` from `metric_variables`; nothing is written."""
        metric_variables = self._check_values("stateless_update_state", metric_variables)
        with backend.StatelessScope(zip(self._variables, metric_variables)) as scope:
            self.update_state(*args, **kwargs)
            return [scope.get_current_value(v) for v in self._variables]

    def stateless_result(self, metric_variables):
        """`result()` computed from `metric_variables` instead of the stored state."""
        metric_variables = self._check_values("stateless_result", metric_variables)
        with backend.StatelessScope(zip(self._variables, metric_variables)):
            return self.result()

    def stateless_reset_state(self) -> list:
        """The initial variable values (what `reset_state` would assign); nothing is written."""
        return [ops.convert_to_tensor(value, dtype=v.dtype) for v, value in zip(self._variables, self._initializers)]

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
