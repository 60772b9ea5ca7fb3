"""Adadelta: Adagrad's successor with running averages and a unit-consistent step."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta: steps scaled by the ratio of running RMS of past updates and of gradients.

    `Eg = rho * Eg + (1 - rho) * g**2`, `delta = -sqrt(Ed + epsilon) / sqrt(Eg + epsilon) * g`,
    `Ed = rho * Ed + (1 - rho) * delta**2`, `w += learning_rate * delta`.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        rho: decay of the running averages, in [0, 1].
        epsilon: small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> weights = kerasx.Variable(np.array([1.0, 2.0]))
        >>> optimizer = kerasx.optimizers.Adadelta(learning_rate=1.0)
        >>> for _ in range(2):
        ...     optimizer.apply([np.array([0.5, -1.0])], [weights])
        >>> print(np.round(kerasx.ops.convert_to_numpy(weights), 4))
        [0.9972 2.0028]
        >>> int(kerasx.ops.convert_to_numpy(optimizer.iterations))
        2
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
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
        self.rho = _checks.in_range("Adadelta", "rho", rho, 0.0, 1.0)
        self.epsilon = _checks.in_range("Adadelta", "epsilon", epsilon, low=0.0)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_deltas = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        rho, one_minus_rho = self._constant(self.rho, dtype), self._constant(1 - self.rho, dtype)
        epsilon = self._constant(self.epsilon, dtype)
        accumulated_grad = self._accumulated_grads[index]
        accumulated_delta = self._accumulated_deltas[index]
        new_grad = ops.add(ops.multiply(accumulated_grad, rho), ops.multiply(ops.square(gradient), one_minus_rho))
        accumulated_grad.assign(new_grad)
        ratio = ops.divide(ops.sqrt(ops.add(accumulated_delta, epsilon)), ops.sqrt(ops.add(new_grad, epsilon)))
        delta = ops.negative(ops.multiply(ratio, gradient))
        accumulated_delta.assign(
            ops.add(ops.multiply(accumulated_delta, rho), ops.multiply(ops.square(delta), one_minus_rho))
        )
        variable.assign(ops.add(variable, ops.multiply(delta, learning_rate)))

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
