"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop.

    Keeps `v = rho * v + (1 - rho) * g**2` and moves by `increment = learning_rate * g / sqrt(v + epsilon)`.
    `centered=True` also keeps the mean gradient `a = rho * a + (1 - rho) * g` and divides by
    `sqrt(v - a**2 + epsilon)` (an estimate of the variance). With `momentum > 0` the increment feeds a momentum
    buffer `m = momentum * m + increment` and `w -= m`; otherwise `w -= increment`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        rho: discount of the running averages, in [0, 1].
        momentum: float in [0, 1].
        epsilon: small constant for numerical stability.
        centered: normalize by the estimated variance instead of the second moment.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.RMSprop(learning_rate=0.1)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.4544 2.5456]
        >>> int(kerasx.ops.convert_to_numpy(optimizer.iterations))
        2
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-07,
        centered=False,
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
        self.rho = _checks.in_range("RMSprop", "rho", rho, 0.0, 1.0)
        self.momentum = _checks.in_range("RMSprop", "momentum", momentum, 0.0, 1.0)
        self.epsilon = _checks.in_range("RMSprop", "epsilon", epsilon, low=0.0)
        self.centered = bool(centered)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # One kind of slot after the other (all velocities, then momentums, then averages), in Keras's order:
        # a Keras 3 file stores them in it.
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient") if self.centered else []

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        rho, one_minus_rho = self._constant(self.rho, dtype), self._constant(1 - self.rho, dtype)
        epsilon = self._constant(self.epsilon, dtype)
        velocity = self._velocities[index]
        new_velocity = ops.add(ops.multiply(velocity, rho), ops.multiply(ops.square(gradient), one_minus_rho))
        velocity.assign(new_velocity)
        if self.centered:
            average = self._average_gradients[index]
            new_average = ops.add(ops.multiply(average, rho), ops.multiply(gradient, one_minus_rho))
            average.assign(new_average)
            denominator = ops.add(ops.subtract(new_velocity, ops.square(new_average)), epsilon)
        else:
            denominator = ops.add(new_velocity, epsilon)
        increment = ops.divide(ops.multiply(gradient, learning_rate), ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[index]
            new_momentum = ops.add(ops.multiply(momentum, self._constant(self.momentum, dtype)), increment)
            momentum.assign(new_momentum)
            variable.assign(ops.subtract(variable, new_momentum))
        else:
            variable.assign(ops.subtract(variable, increment))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
