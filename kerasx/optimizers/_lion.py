"""Lion: sign-based updates from an interpolation of momentum and gradient."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Lion(Optimizer):
    """Lion: `w -= learning_rate * sign(beta_1 * m + (1 - beta_1) * g)`, then `m = beta_2 * m + (1 - beta_2) * g`.

    Its updates have unit magnitude per coordinate, so it usually wants a 3-10x smaller learning rate than Adam.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: interpolation for the update direction, in (0, 1].
        beta_2: decay of the momentum, in [0, 1].
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.Lion(learning_rate=0.1)
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
        beta_2=0.99,
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
        self.beta_1 = _checks.in_range("Lion", "beta_1", beta_1, 0.0, 1.0, low_open=True)
        self.beta_2 = _checks.in_range("Lion", "beta_2", beta_2, 0.0, 1.0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        m = self._momentums[self._index(variable)]
        dtype = variable.dtype
        beta_1, beta_2 = self._constant(self.beta_1, dtype), self._constant(self.beta_2, dtype)
        one_minus_beta_1 = self._constant(1.0 - self.beta_1, dtype)
        one_minus_beta_2 = self._constant(1.0 - self.beta_2, dtype)
        direction = ops.sign(ops.add(ops.multiply(m, beta_1), ops.multiply(gradient, one_minus_beta_1)))
        variable.assign(ops.subtract(variable, ops.multiply(direction, learning_rate)))
        m.assign(ops.add(ops.multiply(m, beta_2), ops.multiply(gradient, one_minus_beta_2)))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
