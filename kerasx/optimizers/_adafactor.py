"""Adafactor: Adam-like steps with second moments factored into row and column statistics (sublinear memory)."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))


class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018): for a variable of rank >= 2 only the means of the squared gradients over
    its last axis (`r`) and over its second-to-last axis (`c`) are kept, and the second moment is rebuilt as their
    normalized outer product; smaller variables keep a full second moment.

    With `t = iterations + 1`: `beta_2_t = 1 - t**beta_2_decay`, the squared gradient regularized as
    `g**2 + epsilon_1`, `u = g / sqrt(v)` clipped so that its RMS is at most `clip_threshold`, and
    `w -= max(epsilon_2, rms(w)) * min(learning_rate, 1 / sqrt(t)) * u`: steps are relative to each
    variable's scale. As in Keras 3, the step size is `min(learning_rate, 1 / sqrt(t))` whatever
    `relative_step` is (it is kept in the config).

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_2_decay: exponent of the decay of the second-moment estimate (negative).
        epsilon_1: added to squared gradients.
        epsilon_2: smallest variable scale the step is relative to.
        clip_threshold: largest RMS of the normalized update (independent of `clipnorm` and friends).
        relative_step: kept for Keras 3 compatibility (see above).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name: see `Optimizer`.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> kernel = kerasx.Variable(np.ones((2, 3), "float32"), name="kernel")
    >>> optimizer = kerasx.optimizers.Adafactor(learning_rate=0.1, name="adafactor")
    >>> optimizer.apply([np.full((2, 3), 0.5, "float32")], [kernel])
    >>> [(v.path, v.shape) for v in optimizer.variables[2:]]  # row and column statistics, then the full moment
    [('adafactor/kernel', (2,)), ('adafactor/kernel', (3,)), ('adafactor/kernel_velocity', (2, 3))]
    >>> print(np.round(kerasx.ops.convert_to_numpy(kernel), 4))  # a step of 0.1 times the kernel's RMS
    [[0.9 0.9 0.9]
     [0.9 0.9 0.9]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
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
        owner = "Adafactor"
        self.beta_2_decay = _checks.number(owner, "beta_2_decay", beta_2_decay)
        self.epsilon_1 = _checks.in_range(owner, "epsilon_1", epsilon_1, low=0.0)
        self.epsilon_2 = _checks.in_range(owner, "epsilon_2", epsilon_2, low=0.0)
        self.clip_threshold = _checks.in_range(owner, "clip_threshold", clip_threshold, low=0.0, low_open=True)
        self.relative_step = bool(relative_step)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for variable in var_list:
            shape = tuple(variable.shape)
            if len(shape) < 2:
                # No factored statistics: Keras 3 keeps two int32 scalars in their place, which its files store,
                # so they are kept here too (unused).
                self._r.append(self.add_variable((), dtype="int32", name=variable.name))
                self._c.append(self.add_variable((), dtype="int32", name=variable.name))
            else:
                self._r.append(self.add_variable(shape[:-1], dtype=variable.dtype, name=variable.name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=variable.dtype, name=variable.name))
            self._v.append(self.add_variable_from_reference(variable, "velocity"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        dtype = variable.dtype
        step = self._local_step(dtype)
        rho = ops.minimum(learning_rate, ops.divide(1.0, ops.sqrt(step)))
        alpha = ops.multiply(ops.maximum(self._constant(self.epsilon_2, dtype), _rms(variable)), rho)
        squared = ops.add(ops.square(gradient), self._constant(self.epsilon_1, dtype))
        beta_2 = self._per_step(("beta_2_t", dtype), lambda: ops.subtract(1.0, ops.power(step, self.beta_2_decay)))
        one_minus_beta_2 = self._per_step(("one_minus_beta_2_t", dtype), lambda: ops.subtract(1.0, beta_2))
        v = self._v[index]
        if len(variable.shape) >= 2:
            r, c = self._r[index], self._c[index]
            new_r = ops.add(ops.multiply(beta_2, r), ops.multiply(one_minus_beta_2, ops.mean(squared, axis=-1)))
            new_c = ops.add(ops.multiply(beta_2, c), ops.multiply(one_minus_beta_2, ops.mean(squared, axis=-2)))
            r.assign(new_r)
            c.assign(new_c)
            row_factor = ops.expand_dims(ops.divide(new_r, ops.mean(new_r, axis=-1, keepdims=True)), -1)
            new_v = ops.multiply(row_factor, ops.expand_dims(new_c, -2))
        else:
            new_v = ops.add(ops.multiply(beta_2, v), ops.multiply(one_minus_beta_2, squared))
        v.assign(new_v)
        update = ops.divide(gradient, ops.sqrt(new_v))
        clipped = ops.divide(update, ops.maximum(1.0, ops.divide(_rms(update), self.clip_threshold)))
        variable.assign(ops.subtract(variable, ops.multiply(alpha, clipped)))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
