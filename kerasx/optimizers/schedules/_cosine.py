"""Cosine decay (with optional linear warmup) and cosine decay with warm restarts."""

from __future__ import annotations

import math

from kerasx import ops
from kerasx.optimizers.schedules import _schedule
from kerasx.optimizers.schedules._schedule import LearningRateSchedule


def _cosine(fraction, alpha: float):
    """`(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha`."""
    cosine = ops.multiply(ops.add(ops.cos(ops.multiply(fraction, math.pi)), 1.0), 0.5)
    return ops.add(ops.multiply(cosine, 1.0 - alpha), alpha)


class CosineDecay(LearningRateSchedule):
    """Cosine decay from a start rate to `alpha` times it over `decay_steps`, after an optional linear warmup.

    Without warmup (`warmup_target=None`): `initial * cosine(min(step, decay_steps) / decay_steps)` with
    `cosine(f) = (1 - alpha) * 0.5 * (1 + cos(pi * f)) + alpha`. With `warmup_target`, the rate first rises
    linearly from `initial_learning_rate` to `warmup_target` over `warmup_steps`, then decays from `warmup_target`
    over the next `decay_steps`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: length of the decay, > 0.
        alpha: the final rate as a fraction of the decayed-from rate.
        name: name of the schedule.
        warmup_target: the rate reached at the end of the warmup; None for no warmup.
        warmup_steps: length of the warmup, >= 0.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.CosineDecay(0.1, decay_steps=100)
        >>> [round(float(schedule(step)), 4) for step in (0, 50, 100, 200)]
        [0.1, 0.05, 0.0, 0.0]
        >>> warm = kerasx.optimizers.schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10)
        >>> [round(float(warm(step)), 4) for step in (0, 5, 10, 60)]
        [0.0, 0.05, 0.1, 0.05]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        owner = "CosineDecay"
        self.initial_learning_rate = _schedule.number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _schedule.positive(owner, "decay_steps", decay_steps)
        self.alpha = _schedule.number(owner, "alpha", alpha)
        self.name = name
        self.warmup_target = None if warmup_target is None else _schedule.number(owner, "warmup_target", warmup_target)
        self.warmup_steps = _schedule.non_negative(owner, "warmup_steps", warmup_steps)

    def __call__(self, step):
        initial = _schedule.initial_rate(self.initial_learning_rate)
        dtype = ops.dtype(initial)
        step = _schedule.float_step(step, dtype)
        decay_steps = float(self.decay_steps)
        if self.warmup_target is None:
            fraction = ops.divide(ops.minimum(step, decay_steps), decay_steps)
            return ops.multiply(initial, _cosine(fraction, self.alpha))
        warmup_steps = float(self.warmup_steps)
        target = float(self.warmup_target)
        step = ops.minimum(step, decay_steps + warmup_steps)
        # Both branches are computed and blended by a 0/1 weight (the step may be traced); max(.., 1) keeps the
        # unused warmup branch finite when warmup_steps is 0.
        warmup_fraction = ops.divide(step, max(warmup_steps, 1.0))
        warmup = ops.add(ops.multiply(warmup_fraction, target - float(self.initial_learning_rate)), initial)
        decay_fraction = ops.divide(ops.maximum(ops.subtract(step, warmup_steps), 0.0), decay_steps)
        decayed = ops.multiply(_cosine(decay_fraction, self.alpha), target)
        in_warmup = ops.cast(ops.less(step, warmup_steps), dtype)
        return ops.add(ops.multiply(in_warmup, warmup), ops.multiply(ops.subtract(1.0, in_warmup), decayed))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods of `first_decay_steps * t_mul**i` steps.

    In period `i`, at fraction `f` of it: `initial * ((1 - alpha) * m_mul**i * 0.5 * (1 + cos(pi * f)) + alpha)`.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: length of the first period, > 0.
        t_mul: factor by which each period is longer than the previous one, > 0.
        m_mul: factor by which each period's start rate is smaller than the previous one's, >= 0.
        alpha: the final rate of a period as a fraction of its start rate.
        name: name of the schedule.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.CosineDecayRestarts(0.1, first_decay_steps=10, m_mul=0.5)
        >>> [round(float(schedule(step)), 4) for step in (0, 5, 10, 20, 30)]
        [0.1, 0.05, 0.05, 0.025, 0.025]
    """

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        owner = "CosineDecayRestarts"
        self.initial_learning_rate = _schedule.number(owner, "initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = _schedule.positive(owner, "first_decay_steps", first_decay_steps)
        self.t_mul = _schedule.positive(owner, "t_mul", t_mul)
        self.m_mul = _schedule.non_negative(owner, "m_mul", m_mul)
        self.alpha = _schedule.number(owner, "alpha", alpha)
        self.name = name

    def __call__(self, step):
        initial = _schedule.initial_rate(self.initial_learning_rate)
        dtype = ops.dtype(initial)
        fraction = ops.divide(_schedule.float_step(step, dtype), float(self.first_decay_steps))
        t_mul = float(self.t_mul)
        if t_mul == 1.0:
            restarts = ops.floor(fraction)
            fraction = ops.subtract(fraction, restarts)
        else:
            # Period i starts after (1 - t_mul**i) / (1 - t_mul) first periods.
            restarts = ops.floor(
                ops.divide(ops.log(ops.subtract(1.0, ops.multiply(fraction, 1.0 - t_mul))), math.log(t_mul))
            )
            elapsed = ops.divide(ops.subtract(1.0, ops.power(t_mul, restarts)), 1.0 - t_mul)
            fraction = ops.divide(ops.subtract(fraction, elapsed), ops.power(t_mul, restarts))
        # As in Keras, m_mul scales the cosine part only, not the `alpha` floor.
        cosine = ops.multiply(ops.add(ops.cos(ops.multiply(fraction, math.pi)), 1.0), 0.5)
        cosine = ops.multiply(cosine, ops.power(float(self.m_mul), restarts))
        return ops.multiply(initial, ops.add(ops.multiply(cosine, 1.0 - self.alpha), self.alpha))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self.t_mul,
            "m_mul": self.m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
