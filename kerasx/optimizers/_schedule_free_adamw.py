"""Schedule-free AdamW: iterate averaging in place of a learning-rate schedule."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW (Defazio et al., 2024): the training variable `y` is an interpolation between an
    Adam-normalized SGD sequence `z` (kept in the "momentum" slot, starting at the variable's value) and the
    running average `x` of that sequence, so no decaying schedule is needed.

    With `t = iterations + 1` and the rate ramped linearly over `warmup_steps`: `v = beta_2 * v + (1 - beta_2) *
    g**2`, `z -= lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)`, `x = (1 - 1/t) * x + (1/t) * z` (with `x`
    recovered from the previous `y` and `z`), and `y = (1 - beta_1) * z + beta_1 * x`.

    Args:
        learning_rate: float, schedule or callable (default 0.0025).
        beta_1: interpolation between the average and the SGD sequence, in (0, 1).
        beta_2: decay of the second-moment estimate, in [0, 1).
        epsilon: small constant for numerical stability.
        warmup_steps: number of steps over which the rate ramps up linearly (0: none).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name: see `Optimizer`.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> weights = kerasx.Variable(np.array([1.0, 2.0], "float32"), name="w")
    >>> optimizer = kerasx.optimizers.ScheduleFreeAdamW(learning_rate=0.1)
    >>> optimizer.apply([np.array([0.5, -1.0], "float32")], [weights])
    >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))  # y = z at the first step: z moved by -lr * sign(g)
    [0.9 2.1]
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
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
        owner = "ScheduleFreeAdamW"
        self.beta_1 = _checks.in_range(owner, "beta_1", beta_1, 0.0, 1.0, low_open=True, high_open=True)
        self.beta_2 = _checks.in_range(owner, "beta_2", beta_2, 0.0, 1.0, high_open=True)
        self.epsilon = _checks.in_range(owner, "epsilon", epsilon, low=0.0)
        self.warmup_steps = _checks.optional_count(owner, "warmup_steps", warmup_steps, 0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        for z, variable in zip(self._momentums, var_list):
            # A copy: two variables sharing one buffer cannot both be donated to a compiled JAX step.
            z.assign(ops.copy(variable.value))

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        z, v = self._momentums[index], self._velocities[index]
        step = self._local_step(dtype)
        if self.warmup_steps:
            learning_rate = ops.multiply(learning_rate, ops.minimum(ops.divide(step, self.warmup_steps), 1.0))
        beta_1 = self._constant(self.beta_1, dtype)
        one_minus_beta_1 = self._constant(1 - self.beta_1, dtype)
        new_v = ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), self._constant(1 - self.beta_2, dtype)))
        v.assign(new_v)
        denominator = ops.add(
            ops.sqrt(ops.divide(new_v, self._one_minus_power(self.beta_2, dtype))), self._constant(self.epsilon, dtype)
        )
        new_z = ops.subtract(z, ops.divide(ops.multiply(learning_rate, gradient), denominator))
        # The average is not stored: y = (1 - beta_1) z + beta_1 x gives it back from the previous y and z.
        previous_average = ops.divide(ops.subtract(variable, ops.multiply(one_minus_beta_1, z)), beta_1)
        weight = self._per_step(("average_weight", dtype), lambda: ops.divide(1.0, step))
        average = ops.add(ops.multiply(ops.subtract(1.0, weight), previous_average), ops.multiply(weight, new_z))
        z.assign(new_z)
        variable.assign(ops.add(ops.multiply(one_minus_beta_1, new_z), ops.multiply(beta_1, average)))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
