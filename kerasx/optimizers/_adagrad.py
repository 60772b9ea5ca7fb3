"""Adagrad: per-coordinate rates from accumulated squared gradients."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: `acc += g**2`, `w -= learning_rate * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        initial_accumulator_value: starting value of the accumulators, >= 0.
        epsilon: small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.Adagrad(learning_rate=0.1)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.8509 2.1644]
        >>> int(kerasx.ops.convert_to_numpy(optimizer.iterations))
        2
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-07,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.initial_accumulator_value = _checks.in_range(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value, low=0.0
        )
        self.epsilon = _checks.in_range("Adagrad", "epsilon", epsilon, low=0.0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(var_list, "accumulator", self.initial_accumulator_value)

    def update_step(self, gradient, variable, learning_rate):
        accumulator = self._accumulators[self._index(variable)]
        new_accumulator = ops.add(accumulator, ops.square(gradient))
        accumulator.assign(new_accumulator)
        epsilon = self._constant(self.epsilon, variable.dtype)
        step = ops.divide(ops.multiply(gradient, learning_rate), ops.sqrt(ops.add(new_accumulator, epsilon)))
        variable.assign(ops.subtract(variable, step))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
