"""Muon: momentum orthogonalized by Newton-Schulz iterations for matrices, AdamW for every other variable."""

from __future__ import annotations

import math
import re

from kerasx import ops
from kerasx.optimizers import _checks
from kerasx.optimizers._optimizer import Optimizer

# Keras adds it to the Frobenius norm before normalizing the matrix the iteration starts from.
_NORM_EPSILON = 1e-7
NO_NS_STEPS = (
    "Muon '{name}' cannot orthogonalize its updates without `ns_steps`. Received: ns_steps=None. Pass the number "
    "of Newton-Schulz iterations, e.g. `ns_steps=5` (the default)."
)


def _swap_last_axes(x):
    rank = len(x.shape)
    return ops.transpose(x, (*range(rank - 2), rank - 1, rank - 2))


class Muon(Optimizer):
    """Muon (Jordan et al., 2024; Liu et al., 2025): for 2-D variables, SGD momentum whose update is replaced by
    an approximately orthogonal matrix with the same singular vectors (five-term Newton-Schulz iterations);
    every other variable, embeddings and those matched by `exclude_layers` train with AdamW.

    Muon step (`mu = momentum`): `m = mu * m + g`; the direction `g + mu * m` (Nesterov) or `m` is normalized to
    Frobenius norm 1 and iterated `ns_steps` times as `X = a X + (b A + c A A) X` with `A = X X^T` (over the
    smaller side); `w -= learning_rate * X * sqrt(max(rows, cols)) * rms_rate` (without the last two factors
    when `rms_rate` is None). AdamW step: Adam with bias correction at `learning_rate * adam_lr_ratio`.
    Weight decay uses `adam_weight_decay` for the AdamW variables and `weight_decay` for the others.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        adam_beta_1, adam_beta_2: Adam's moment decays for the AdamW variables.
        adam_weight_decay: decoupled weight decay of the AdamW variables (None: none).
        epsilon: Adam's epsilon.
        exclude_layers: regular expressions; variables whose path matches one (re.search) use AdamW.
        exclude_embeddings: variables with "embedding" in their path (any case) use AdamW.
        muon_a, muon_b, muon_c: coefficients of the Newton-Schulz iteration.
        adam_lr_ratio: learning-rate multiplier for the AdamW variables.
        momentum: the Muon momentum.
        ns_steps: number of Newton-Schulz iterations.
        nesterov: use Nesterov momentum for the Muon variables.
        rms_rate: scale making the Muon update's RMS comparable to Adam's (None: no scaling).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name: see `Optimizer`.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> kernel = kerasx.Variable(np.eye(2, dtype="float32"), name="kernel")
    >>> bias = kerasx.Variable(np.zeros(2, "float32"), name="bias")
    >>> optimizer = kerasx.optimizers.Muon(learning_rate=0.1, weight_decay=None, adam_weight_decay=None, name="muon")
    >>> optimizer.apply([np.diag([3.0, 4.0]).astype("float32"), np.ones(2, "float32")], [kernel, bias])
    >>> [v.path for v in optimizer.variables[2:]]  # the bias also keeps Adam's velocity
    ['muon/kernel_momentum', 'muon/bias_momentum', 'muon/bias_velocity']
    >>> print(np.round(kerasx.ops.convert_to_numpy(bias), 4))  # an Adam step
    [-0.1 -0.1]
    >>> print(np.round(kerasx.ops.convert_to_numpy(kernel), 4))  # minus 0.1 * sqrt(2) * 0.2 * the orthogonalized step
    [[0.9796 0.    ]
     [0.     0.9683]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
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
        owner = "Muon"
        self.adam_beta_1 = _checks.in_range(owner, "adam_beta_1", adam_beta_1, 0.0, 1.0, high_open=True)
        self.adam_beta_2 = _checks.in_range(owner, "adam_beta_2", adam_beta_2, 0.0, 1.0, high_open=True)
        self.adam_weight_decay = (
            None
            if adam_weight_decay is None
            else _checks.in_range(owner, "adam_weight_decay", adam_weight_decay, low=0.0)
        )
        self.epsilon = _checks.in_range(owner, "epsilon", epsilon, low=0.0)
        self.exclude_layers = list(exclude_layers or [])
        self.exclude_embeddings = bool(exclude_embeddings)
        self.muon_a = _checks.number(owner, "muon_a", muon_a)
        self.muon_b = _checks.number(owner, "muon_b", muon_b)
        self.muon_c = _checks.number(owner, "muon_c", muon_c)
        self.adam_lr_ratio = adam_lr_ratio
        _checks.number(owner, "adam_lr_ratio", adam_lr_ratio)
        self.momentum = _checks.in_range(owner, "momentum", momentum, 0.0, 1.0)
        self.ns_steps = _checks.optional_count(owner, "ns_steps", ns_steps, 0)
        self.nesterov = bool(nesterov)
        self.rms_rate = None if rms_rate is None else _checks.number(owner, "rms_rate", rms_rate)

    def _uses_adamw(self, variable) -> bool:
        if len(variable.shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in variable.path.lower():
            return True
        return any(re.search(pattern, variable.path) for pattern in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # Per variable: its momentum, then an Adam velocity for the AdamW variables only (Keras 3's file order).
        self._momentums, self._velocities = [], []
        for variable in var_list:
            self._momentums.append(self.add_variable_from_reference(variable, "momentum"))
            adamw = self._uses_adamw(variable)
            self._velocities.append(self.add_variable_from_reference(variable, "velocity") if adamw else None)

    def _apply_weight_decay(self, variables, learning_rates):
        for variable in variables:
            decay = self.adam_weight_decay if self._velocities[self._index(variable)] is not None else self.weight_decay
            if decay is None or not self._use_weight_decay(variable):
                continue
            factor = ops.multiply(learning_rates[variable.dtype], decay)
            variable.assign(ops.subtract(variable, ops.multiply(variable, factor)))

    def update_step(self, gradient, variable, learning_rate):
        index = self._index(variable)
        m, v = self._momentums[index], self._velocities[index]
        if v is not None:
            self._adamw_step(gradient, variable, ops.multiply(learning_rate, self.adam_lr_ratio), m, v)
        else:
            self._muon_step(gradient, variable, learning_rate, m)

    def _adamw_step(self, gradient, variable, learning_rate, m, v):
        dtype = variable.dtype
        correction_1 = self._one_minus_power(self.adam_beta_1, dtype)
        correction_2 = self._one_minus_power(self.adam_beta_2, dtype)
        alpha = ops.divide(ops.multiply(learning_rate, ops.sqrt(correction_2)), correction_1)
        new_m = ops.add(m, ops.multiply(ops.subtract(gradient, m), self._constant(1 - self.adam_beta_1, dtype)))
        new_v = ops.add(
            v, ops.multiply(ops.subtract(ops.square(gradient), v), self._constant(1 - self.adam_beta_2, dtype))
        )
        m.assign(new_m)
        v.assign(new_v)
        step = ops.divide(ops.multiply(new_m, alpha), ops.add(ops.sqrt(new_v), self._constant(self.epsilon, dtype)))
        variable.assign(ops.subtract(variable, step))

    def _muon_step(self, gradient, variable, learning_rate, m):
        # m + (g + m * (mu - 1)): the same rounding as Keras's form of m = mu * m + g.
        new_m = ops.add(m, ops.add(gradient, ops.multiply(m, self.momentum - 1)))
        m.assign(new_m)
        direction = ops.add(gradient, ops.multiply(new_m, self.momentum)) if self.nesterov else new_m
        update = ops.multiply(self._orthogonalize(direction), learning_rate)
        if self.rms_rate is not None:
            rows, cols = variable.shape[0], variable.shape[1]
            update = ops.multiply(ops.multiply(update, math.sqrt(max(rows, cols))), self.rms_rate)
        variable.assign(ops.subtract(variable, update))

    def _orthogonalize(self, x):
        """The quintic Newton-Schulz iteration towards the orthogonal factor of `x` (a matrix)."""
        ns_steps = self.ns_steps
        if ns_steps is None:  # accepted when created, as Keras 3 does; like Keras 3's, training then fails
            raise TypeError(NO_NS_STEPS.format(name=self.name))
        transposed = x.shape[-2] > x.shape[-1]
        if transposed:
            x = _swap_last_axes(x)
        x = ops.divide(x, ops.add(ops.sqrt(ops.sum(ops.square(x), axis=(-2, -1), keepdims=True)), _NORM_EPSILON))
        for _ in range(ns_steps):
            gram = ops.matmul(x, _swap_last_axes(x))
            polynomial = ops.add(ops.multiply(gram, self.muon_b), ops.matmul(ops.multiply(gram, self.muon_c), gram))
            x = ops.add(ops.multiply(x, self.muon_a), ops.matmul(polynomial, x))
        return _swap_last_axes(x) if transposed else x

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
