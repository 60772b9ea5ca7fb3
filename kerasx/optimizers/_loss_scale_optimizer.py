"""Dynamic loss scaling for float16 training: a wrapper that skips steps with non-finite gradients."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.backend import active
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer
from kerasx.serialization import _registry

NOT_AN_OPTIMIZER = (
    "LossScaleOptimizer: `inner_optimizer` must be a kerasx Optimizer instance. Received: inner_optimizer={value!r}. "
    "Pass e.g. `LossScaleOptimizer(kerasx.optimizers.Adam())`."
)
NO_STATIC_SCALE = (
    "LossScaleOptimizer is always dynamic. Received: dynamic=False. For a fixed loss scale, set "
    "`loss_scale_factor` on the optimizer itself, e.g. `Adam(loss_scale_factor=128.0)`."
)
BASE_KEYWORD = (
    "LossScaleOptimizer does not take `{name}`. Received: {name}={value!r}. Set it on the inner optimizer, "
    "e.g. `LossScaleOptimizer(Adam({name}=...))`."
)
NO_GROWTH_STEPS = (
    "LossScaleOptimizer '{name}' cannot update its loss scale without `dynamic_growth_steps`. "
    "Received: dynamic_growth_steps=None. Pass the number of finite steps after which the scale doubles, e.g. "
    "`dynamic_growth_steps=2000` (the default)."
)

# Keras configs of older versions carry the base keywords at their defaults: those are accepted and dropped.
_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


def _all_finite(grads):
    checks = [ops.all(ops.isfinite(g)) for g in grads if g is not None]
    finite = checks[0]
    for check in checks[1:]:
        finite = ops.logical_and(finite, check)
    return finite


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling, against float16 gradients that underflow to zero.

    `scale_loss(loss)` multiplies the loss by the current scale (`fit` does it in each training step); `apply`
    then divides the gradients by it. When any gradient is not finite (inf or nan, the scale was too high) the
    step is skipped: no variable changes, the inner optimizer's iterations do not advance, and the scale is
    halved. After `dynamic_growth_steps` finite steps in a row the scale is doubled.

    The wrapper's own state ("<name>/step_counter", the number of finite steps since the scale last changed, and
    "<name>/dynamic_scale") comes first in `variables`, then the inner optimizer's. `iterations`,
    `learning_rate` and `finalize_variable_values` are the inner optimizer's.

    Args:
        inner_optimizer: the optimizer that updates the variables.
        initial_scale: the first loss scale; best large (it falls fast and grows slowly).
        dynamic_growth_steps: how many finite steps in a row double the scale.
        name: see `Optimizer` (default "loss_scale_optimizer", numbered when taken).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> w = kerasx.Variable(np.ones(2, "float32"))
    >>> optimizer = kerasx.optimizers.LossScaleOptimizer(kerasx.optimizers.SGD(1.0), initial_scale=4.0)
    >>> float(optimizer.scale_loss(1.5))
    6.0
    >>> optimizer.apply([np.array([4.0, 8.0], "float32")], [w])  # gradients of a loss scaled by 4
    >>> w.numpy().tolist()
    [0.0, -1.0]
    >>> optimizer.apply([np.array([np.inf, 8.0], "float32")], [w])  # skipped; the scale halves
    >>> w.numpy().tolist(), float(optimizer.dynamic_scale), int(optimizer.iterations)
    ([0.0, -1.0], 2.0, 1)
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(NO_STATIC_SCALE)
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs:
                value = kwargs.pop(key)
                if value != default:
                    raise ValueError(BASE_KEYWORD.format(name=key, value=value))
        super().__init__(learning_rate=0.0, name=name, **kwargs)
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(NOT_AN_OPTIMIZER.format(value=inner_optimizer))
        self.inner_optimizer = inner_optimizer
        self.initial_scale = _checks.in_range(
            "LossScaleOptimizer", "initial_scale", initial_scale, low=0.0, low_open=True
        )
        self.dynamic_growth_steps = _checks.optional_count(
            "LossScaleOptimizer", "dynamic_growth_steps", dynamic_growth_steps, 1
        )
        # The gradients are unscaled here: a factor on the inner optimizer would unscale them twice.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        if self.built:
            return
        counter_dtype = active.trainer.iterations_dtype()
        self.step_counter = self.add_variable((), "zeros", dtype=counter_dtype, name="step_counter")
        self.dynamic_scale = self.add_variable((), self.initial_scale, dtype="float32", name="dynamic_scale")
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self) -> list:
        return self._variables + self.inner_optimizer.variables

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    def scale_loss(self, loss):
        """`loss` times the current scale (the initial scale before the optimizer is built)."""
        scale = self.dynamic_scale if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def apply(self, grads, trainable_variables=None):
        """Unscales the gradients and applies them with the inner optimizer, or skips the step if any is not
        finite; then updates the scale."""
        grads = list(grads)
        if not self.built:
            variables = self._checked_variables(grads, trainable_variables)
        else:
            variables = self._trainable_variables if trainable_variables is None else list(trainable_variables)
        finite = _all_finite(grads)
        scale = self.dynamic_scale.value
        unscaled = [None if g is None else ops.divide(ops.convert_to_tensor(g, v.dtype), ops.cast(scale, v.dtype))
                    for g, v in zip(grads, variables)]
        if active.core.is_traced(finite):
            # Traced: no branch on the value; the update is computed and kept only where the gradients are finite.
            with backend.StatelessScope() as scope:
                self.inner_optimizer.apply(unscaled, variables)
            for variable, value in scope.assignments():
                variable.assign(ops.where(finite, value, variable))
        elif bool(finite):
            self.inner_optimizer.apply(unscaled, variables)
        self._update_scale(finite)

    def _update_scale(self, finite):
        growth_steps = self.dynamic_growth_steps
        if growth_steps is None:  # accepted when created, as Keras 3 does; like Keras 3's, training then fails
            raise TypeError(NO_GROWTH_STEPS.format(name=self.name))
        counter, scale = self.step_counter.value, self.dynamic_scale.value
        grow = ops.logical_and(finite, ops.equal(counter, growth_steps - 1))
        next_counter = ops.where(finite, ops.add(counter, 1), 0)
        self.step_counter.assign(ops.where(grow, 0, next_counter))
        self.dynamic_scale.assign(
            ops.where(grow, ops.multiply(scale, 2.0), ops.where(finite, scale, ops.multiply(scale, 0.5)))
        )

    def update_step(self, gradient, variable, learning_rate):
        """The inner optimizer's update (`apply` calls the inner optimizer's `apply` directly)."""
        self.inner_optimizer.update_step(gradient, variable, learning_rate)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def _saved_children(self) -> list:
        return [("inner_optimizer", self.inner_optimizer)]

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "inner_optimizer": _registry.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        inner = _registry.deserialize_keras_object(config.pop("inner_optimizer"), custom_objects, kind="optimizer")
        return cls(inner, **config)
