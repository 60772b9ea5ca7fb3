"""FTRL-Proximal ("Follow The Regularized Leader"), with L1/L2 regularization and L2 shrinkage."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal, the online learner of McMahan et al. (2013), suited to large sparse linear models.

    Per coordinate, with `p = -learning_rate_power` (0.5 by default) and `n` the accumulator:
    `n_new = n + g**2`, `z += g + 2 * l2_shrinkage * w - (n_new**p - n**p) / learning_rate * w`, then
    `w = (clip(z, -l1, l1) - z) / (n_new**p / learning_rate + 2 * (l2 + beta / (2 * learning_rate)))`: a weight
    is exactly 0 while `|z| <= l1`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        learning_rate_power: how the per-coordinate rate falls with the accumulator, <= 0 (0 keeps it fixed).
        initial_accumulator_value: starting value of the accumulators, >= 0.
        l1_regularization_strength: L1 penalty, >= 0 (gives sparse weights).
        l2_regularization_strength: L2 penalty, >= 0 (stabilization).
        l2_shrinkage_regularization_strength: L2 penalty added to the gradient (magnitude shrinkage), >= 0.
        beta: the FTRL beta; adds `beta / (2 * learning_rate)` to the L2 strength.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name: see `Optimizer`.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> weights = kerasx.Variable(np.array([1.0, -2.0], "float32"))
    >>> optimizer = kerasx.optimizers.Ftrl(learning_rate=0.5, l1_regularization_strength=0.1)
    >>> optimizer.apply([np.array([0.5, -1.0], "float32")], [weights])
    >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))  # |z| = 0.05 <= l1 for the first weight: 0
    [ 0.     -0.8726]
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
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
        owner = "Ftrl"
        self.learning_rate_power = _checks.in_range(owner, "learning_rate_power", learning_rate_power, high=0.0)
        self.initial_accumulator_value = _checks.in_range(
            owner, "initial_accumulator_value", initial_accumulator_value, low=0.0
        )
        self.l1_regularization_strength = _checks.in_range(
            owner, "l1_regularization_strength", l1_regularization_strength, low=0.0
        )
        self.l2_regularization_strength = _checks.in_range(
            owner, "l2_regularization_strength", l2_regularization_strength, low=0.0
        )
        self.l2_shrinkage_regularization_strength = _checks.in_range(
            owner, "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, low=0.0
        )
        self.beta = _checks.number(owner, "beta", beta)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"], initializer=[self.initial_accumulator_value, "zeros"]
        )

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        accumulator, linear = self._accumulators[index], self._linears[index]
        power = -self.learning_rate_power
        l2 = ops.add(ops.divide(self.beta, ops.multiply(learning_rate, 2.0)), self.l2_regularization_strength)
        shrunk_gradient = ops.add(gradient, ops.multiply(variable, 2 * self.l2_shrinkage_regularization_strength))
        new_accumulator = ops.add(accumulator, ops.square(gradient))
        new_power = ops.power(new_accumulator, power)
        sigma = ops.divide(ops.subtract(new_power, ops.power(accumulator, power)), learning_rate)
        new_linear = ops.add(linear, ops.subtract(shrunk_gradient, ops.multiply(sigma, variable)))
        linear.assign(new_linear)
        quadratic = ops.add(ops.divide(new_power, learning_rate), ops.multiply(l2, 2.0))
        l1 = self.l1_regularization_strength
        variable.assign(ops.divide(ops.subtract(ops.clip(new_linear, -l1, l1), new_linear), quadratic))
        accumulator.assign(new_accumulator)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
