"""Polynomial decay of the learning rate, optionally cycling."""

from __future__ import annotations

from kerasx import ops
from kerasx.optimizers.schedules import _schedule
from kerasx.optimizers.schedules._schedule import LearningRateSchedule


class PolynomialDecay(LearningRateSchedule):
    """Decays from `initial_learning_rate` to `end_learning_rate` over `decay_steps` steps:

    `(initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power + end`. With `cycle=True` the decay
    restarts with a longer period instead of staying at `end`: `decay_steps` is multiplied by
    `ceil(step / decay_steps)` (1 at step 0).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: length of the decay, > 0.
        end_learning_rate: the final rate.
        power: exponent of the polynomial, >= 0.
        cycle: whether to restart after `decay_steps`.
        name: name of the schedule.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.01)
        >>> [round(float(schedule(step)), 4) for step in (0, 5, 10, 50)]
        [0.1, 0.055, 0.01, 0.01]
        >>> squared = kerasx.optimizers.schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.0, power=2.0)
        >>> round(float(squared(5)), 4)
        0.025
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        owner = "PolynomialDecay"
        self.initial_learning_rate = _schedule.number(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _schedule.positive(owner, "decay_steps", decay_steps)
        self.end_learning_rate = _schedule.number(owner, "end_learning_rate", end_learning_rate)
        self.power = _schedule.non_negative(owner, "power", power)
        self.cycle = bool(cycle)
        self.name = name

    def __call__(self, step):
        initial = _schedule.initial_rate(self.initial_learning_rate)
        step = _schedule.float_step(step, ops.dtype(initial))
        decay_steps = float(self.decay_steps)
        if self.cycle:
            # max(.., 1) gives 1 at step 0 (steps are never negative), as `where(step == 0, 1, ceil(..))` would.
            periods = ops.maximum(ops.ceil(ops.divide(step, decay_steps)), 1.0)
            fraction = ops.divide(step, ops.multiply(periods, decay_steps))
        else:
            fraction = ops.divide(ops.minimum(step, decay_steps), decay_steps)
        span = float(self.initial_learning_rate) - float(self.end_learning_rate)
        decayed = ops.power(ops.subtract(1.0, fraction), float(self.power))
        return ops.add(ops.multiply(decayed, span), ops.cast(self.end_learning_rate, ops.dtype(initial)))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }
