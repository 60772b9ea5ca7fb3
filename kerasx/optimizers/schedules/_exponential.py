"""Exponential and inverse-time decay of the learning rate."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers.schedules import _schedule
from kerasx.optimizers.schedules._schedule import LearningRateSchedule


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`; the exponent is floored when `staircase`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: number of steps per factor of `decay_rate`, > 0.
        decay_rate: the decay factor, >= 0.
        staircase: decay in discrete intervals of `decay_steps`.
        name: name of the schedule.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
        >>> [round(float(schedule(step)), 4) for step in (0, 5, 10, 20)]
        [0.1, 0.0707, 0.05, 0.025]
        >>> stairs = kerasx.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)
        >>> [round(float(stairs(step)), 4) for step in (0, 5, 10, 20)]
        [0.1, 0.1, 0.05, 0.025]
        >>> optimizer = kerasx.optimizers.SGD(learning_rate=schedule)
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        owner = "ExponentialDecay"
        self.initial_learning_rate = _schedule.number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _schedule.positive(owner, "decay_steps", decay_steps)
        self.decay_rate = _schedule.non_negative(owner, "decay_rate", decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        initial = _schedule.initial_rate(self.initial_learning_rate)
        exponent = ops.divide(_schedule.float_step(step, ops.dtype(initial)), float(self.decay_steps))
        if self.staircase:
            exponent = ops.floor(exponent)
        return ops.multiply(initial, ops.power(float(self.decay_rate), exponent))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`; the ratio is floored when `staircase`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps per unit of decay, > 0.
        decay_rate: the decay factor, >= 0.
        staircase: decay in discrete intervals of `decay_steps`.
        name: name of the schedule.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=10, decay_rate=1.0)
        >>> [round(float(schedule(step)), 4) for step in (0, 10, 30)]
        [0.1, 0.05, 0.025]
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        owner = "InverseTimeDecay"
        self.initial_learning_rate = _schedule.number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _schedule.positive(owner, "decay_steps", decay_steps)
        self.decay_rate = _schedule.non_negative(owner, "decay_rate", decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        initial = _schedule.initial_rate(self.initial_learning_rate)
        ratio = ops.divide(_schedule.float_step(step, ops.dtype(initial)), float(self.decay_steps))
        if self.staircase:
            ratio = ops.floor(ratio)
        return ops.divide(initial, ops.add(1.0, ops.multiply(ratio, float(self.decay_rate))))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
