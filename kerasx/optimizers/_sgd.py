"""Stochastic gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with momentum.

    Without momentum `w -= learning_rate * g`. With momentum, a velocity `v = momentum * v - learning_rate * g`
    is kept per variable and `w += v`; with `nesterov=True`, `w += momentum * v - learning_rate * g`.

    Args:
        learning_rate: float, schedule or callable (default 0.01).
        momentum: float in [0, 1]; 0 is plain gradient descent.
        nesterov: whether to use Nesterov momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.SGD(learning_rate=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.855 2.29 ]
        >>> int(kerasx.ops.convert_to_numpy(optimizer.iterations))
        2
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
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
        self.momentum = _checks.in_range("SGD", "momentum", momentum, 0.0, 1.0)
        self.nesterov = bool(nesterov)
        self.momentums = []

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        step = ops.multiply(gradient, learning_rate)
        if self.momentum == 0:
            variable.assign(ops.subtract(variable, step))
            return
        velocity = self.momentums[self._index(variable)]
        momentum = self._constant(self.momentum, variable.dtype)
        new_velocity = ops.subtract(ops.multiply(velocity, momentum), step)
        velocity.assign(new_velocity)
        if self.nesterov:
            variable.assign(ops.add(variable, ops.subtract(ops.multiply(new_velocity, momentum), step)))
        else:
            variable.assign(ops.add(variable, new_velocity))

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
