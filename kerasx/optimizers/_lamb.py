"""LAMB: Adam's direction rescaled per variable by a trust ratio (layer-wise adaptive moments)."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Lamb(Optimizer):
    """LAMB (You et al., 2019): Adam's bias-corrected step, scaled per variable so that its norm matches the
    variable's norm, for large-batch training.

    With `t = iterations + 1`: `m = beta_1 * m + (1 - beta_1) * g`, `v = beta_2 * v + (1 - beta_2) * g**2`,
    `u = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)` and
    `w -= learning_rate * (||w|| / ||u||) * u`, the trust ratio `||w|| / ||u||` taken as 1 when either norm is 0.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first-moment estimate, in [0, 1).
        beta_2: decay of the second-moment estimate, in [0, 1).
        epsilon: small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name: see `Optimizer`.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> weights = kerasx.Variable(np.array([3.0, 4.0], "float32"))
    >>> optimizer = kerasx.optimizers.Lamb(learning_rate=0.1)
    >>> optimizer.apply([np.array([1.0, 1.0], "float32")], [weights])
    >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))  # a step of norm 0.1 * ||w|| = 0.5
    [2.6464 3.6464]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
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
        self.beta_1 = _checks.in_range("Lamb", "beta_1", beta_1, 0.0, 1.0, high_open=True)
        self.beta_2 = _checks.in_range("Lamb", "beta_2", beta_2, 0.0, 1.0, high_open=True)
        self.epsilon = _checks.in_range("Lamb", "epsilon", epsilon, low=0.0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        m, v = self._momentums[index], self._velocities[index]
        new_m = ops.add(m, ops.multiply(ops.subtract(gradient, m), self._constant(1 - self.beta_1, dtype)))
        new_v = ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), self._constant(1 - self.beta_2, dtype)))
        m.assign(new_m)
        v.assign(new_v)
        m_hat = ops.divide(new_m, self._one_minus_power(self.beta_1, dtype))
        v_hat = ops.divide(new_v, self._one_minus_power(self.beta_2, dtype))
        update = ops.divide(m_hat, ops.add(ops.sqrt(v_hat), self._constant(self.epsilon, dtype)))
        weight_norm = ops.sqrt(ops.sum(ops.square(variable)))
        update_norm = ops.sqrt(ops.sum(ops.square(update)))
        # Where a norm is 0 the ratio is 1; the division's inputs are made safe first so no inf/nan is formed.
        both_positive = ops.logical_and(ops.greater(weight_norm, 0), ops.greater(update_norm, 0))
        ratio = ops.where(
            both_positive, ops.divide(weight_norm, ops.where(both_positive, update_norm, 1.0)), 1.0
        )
        variable.assign(ops.subtract(variable, ops.multiply(update, ops.multiply(ratio, learning_rate))))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
