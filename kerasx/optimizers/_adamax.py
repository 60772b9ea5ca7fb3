"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax.

    With `t = iterations + 1`: `m = beta_1 * m + (1 - beta_1) * g`, `u = max(beta_2 * u, |g|)`, and
    `w -= learning_rate * m / ((1 - beta_1**t) * (u + epsilon))`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first-moment estimate, in [0, 1).
        beta_2: decay of the weighted infinity norm, in [0, 1).
        epsilon: small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.Adamax(learning_rate=0.1)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.8 2.2]
        >>> int(kerasx.ops.convert_to_numpy(optimizer.iterations))
        2
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
        self.beta_1 = _checks.in_range("Adamax", "beta_1", beta_1, 0.0, 1.0, high_open=True)
        self.beta_2 = _checks.in_range("Adamax", "beta_2", beta_2, 0.0, 1.0, high_open=True)
        self.epsilon = _checks.in_range("Adamax", "epsilon", epsilon, low=0.0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        correction = self._one_minus_power(self.beta_1, dtype)
        m = self._m[index]
        u = self._u[index]
        new_m = ops.add(m, ops.multiply(ops.subtract(gradient, m), self._constant(1 - self.beta_1, dtype)))
        new_u = ops.maximum(ops.multiply(u, self._constant(self.beta_2, dtype)), ops.abs(gradient))
        m.assign(new_m)
        u.assign(new_u)
        epsilon = self._constant(self.epsilon, dtype)
        step = ops.divide(ops.multiply(new_m, learning_rate), ops.multiply(ops.add(new_u, epsilon), correction))
        variable.assign(ops.subtract(variable, step))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
