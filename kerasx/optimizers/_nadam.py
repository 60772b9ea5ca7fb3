"""Nadam: Adam with Nesterov momentum and a momentum schedule."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam.

    With `t = iterations + 1` and the momentum schedule `mu_t = beta_1 * (1 - 0.5 * 0.96**t)`, a running product
    `P_t = mu_1 * ... * mu_t` (the `u_product` state variable) is kept. Then `m = beta_1 * m + (1 - beta_1) * g`,
    `v = beta_2 * v + (1 - beta_2) * g**2`,
    `m_hat = mu_{t+1} * m / (1 - P_t * mu_{t+1}) + (1 - mu_t) * g / (1 - P_t)`, `v_hat = v / (1 - beta_2**t)` and
    `w -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first-moment estimate, in [0, 1).
        beta_2: decay of the second-moment estimate, in [0, 1).
        epsilon: small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.Nadam(learning_rate=0.1)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.8164 2.1836]
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
        self.beta_1 = _checks.in_range("Nadam", "beta_1", beta_1, 0.0, 1.0, high_open=True)
        self.beta_2 = _checks.in_range("Nadam", "beta_2", beta_2, 0.0, 1.0, high_open=True)
        self.epsilon = _checks.in_range("Nadam", "epsilon", epsilon, low=0.0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        dtype = var_list[0].dtype if var_list else "float32"
        # Unnamed, as in Keras 3 ("variable"): the path is the only place the name shows.
        self._u_product = self.add_variable((), "ones", dtype)

    def _mu(self, offset, dtype):
        step = ops.add(self._local_step(dtype), offset)
        return ops.multiply(self.beta_1, ops.subtract(1.0, ops.multiply(0.5, ops.power(0.96, step))))

    def _update_variables(self, grads, variables, learning_rates):
        # The product of the momentum schedule is shared by all variables: advance it once per step.
        dtype = self._u_product.dtype
        self._u_product.assign(ops.multiply(self._u_product, self._mu(0, dtype)))
        super()._update_variables(grads, variables, learning_rates)

    def _scalars(self, dtype):
        def compute():
            mu = self._mu(0, dtype)
            mu_next = self._mu(1, dtype)
            product = ops.cast(self._u_product, dtype)
            return (
                ops.divide(mu_next, ops.subtract(1.0, ops.multiply(product, mu_next))),
                ops.divide(ops.subtract(1.0, mu), ops.subtract(1.0, product)),
                self._one_minus_power(self.beta_2, dtype),
            )

        return self._per_step(("scalars", dtype), compute)

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        momentum_weight, gradient_weight, velocity_correction = self._scalars(dtype)
        m = self._momentums[index]
        v = self._velocities[index]
        new_m = ops.add(m, ops.multiply(ops.subtract(gradient, m), self._constant(1 - self.beta_1, dtype)))
        new_v = ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), self._constant(1 - self.beta_2, dtype)))
        m.assign(new_m)
        v.assign(new_v)
        m_hat = ops.add(ops.multiply(new_m, momentum_weight), ops.multiply(gradient, gradient_weight))
        v_hat = ops.divide(new_v, velocity_correction)
        epsilon = self._constant(self.epsilon, dtype)
        step = ops.divide(ops.multiply(m_hat, learning_rate), ops.add(ops.sqrt(v_hat), epsilon))
        variable.assign(ops.subtract(variable, step))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
