"""Adam and AdamW (Adam with decoupled weight decay on by default)."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import active
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer

ADAMW_NEEDS_DECAY = (
    "AdamW: argument `weight_decay` must be a float >= 0. Received: weight_decay=None. "
    "Pass a value (default 0.004), or use Adam for no weight decay."
)


class Adam(Optimizer):
    """Adam: per-coordinate steps from running estimates of the first and second moments of the gradient.

    With `t = iterations + 1`: `m = beta_1 * m + (1 - beta_1) * g`, `v = beta_2 * v + (1 - beta_2) * g**2`, and
    `w -= alpha * m / (sqrt(v) + epsilon)` where `alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)`
    (bias correction folded into the rate, so epsilon is added to the uncorrected `sqrt(v)`). `amsgrad=True`
    divides by the running maximum of `v` instead.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first-moment estimate, in [0, 1).
        beta_2: decay of the second-moment estimate, in [0, 1).
        epsilon: small constant for numerical stability.
        amsgrad: use the AMSGrad variant.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.Adam(learning_rate=0.1)
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
        amsgrad=False,
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
        owner = type(self).__name__
        self.beta_1 = _checks.in_range(owner, "beta_1", beta_1, 0.0, 1.0, high_open=True)
        self.beta_2 = _checks.in_range(owner, "beta_2", beta_2, 0.0, 1.0, high_open=True)
        self.epsilon = _checks.in_range(owner, "epsilon", epsilon, low=0.0)
        self.amsgrad = bool(amsgrad)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat") if self.amsgrad else []

    def _alpha(self, learning_rate, dtype):
        def compute():
            correction_1 = self._one_minus_power(self.beta_1, dtype)
            correction_2 = self._one_minus_power(self.beta_2, dtype)
            return ops.divide(ops.multiply(learning_rate, ops.sqrt(correction_2)), correction_1)

        return self._per_step(("alpha", dtype), compute)

    def _update_variables(self, grads, variables, learning_rates):
        if not self.amsgrad and len(learning_rates) == 1:
            (_dtype, rate), = learning_rates.items()
            indices = [self._index(v) for v in variables]
            done = active.trainer.fused_adam_update(
                variables, grads, [self._momentums[i] for i in indices], [self._velocities[i] for i in indices],
                rate, self.iterations, self.beta_1, self.beta_2, self.epsilon,
            )
            if done:
                return
        super()._update_variables(grads, variables, learning_rates)

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        alpha = self._alpha(learning_rate, dtype)
        m = self._momentums[index]
        v = self._velocities[index]
        new_m = ops.add(m, ops.multiply(ops.subtract(gradient, m), self._constant(1 - self.beta_1, dtype)))
        new_v = ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), self._constant(1 - self.beta_2, dtype)))
        m.assign(new_m)
        v.assign(new_v)
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            new_v = ops.maximum(v_hat, new_v)
            v_hat.assign(new_v)
        epsilon = self._constant(self.epsilon, dtype)
        step = ops.divide(ops.multiply(new_m, alpha), ops.add(ops.sqrt(new_v), epsilon))
        variable.assign(ops.subtract(variable, step))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


class AdamW(Adam):
    """Adam with decoupled weight decay: each step first shrinks weights by `1 - learning_rate * weight_decay`.

    Same arguments as `Adam`, with `weight_decay` required (default 0.004).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.7075 2.    ]
        >>> int(kerasx.ops.convert_to_numpy(optimizer.iterations))
        2
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-07,
        amsgrad=False,
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
        if weight_decay is None:
            raise ValueError(ADAMW_NEEDS_DECAY)
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
