"""The learning-rate schedule base class and argument checks shared by the schedules."""

from __future__ import annotations

import abc
import numbers

from kerasx import ops

NOT_A_NUMBER = "{owner}: argument `{name}` must be a real number. Received: {name}={value!r} (type {type_name})."
NOT_POSITIVE = "{owner}: argument `{name}` must be > 0. Received: {name}={value!r}."
NEGATIVE = "{owner}: argument `{name}` must be >= 0. Received: {name}={value!r}."


class LearningRateSchedule(abc.ABC):
    """A learning rate as a function of the optimizer step: `schedule(step)` returns a scalar tensor.

    The step is the optimizer's `iterations` (an int32 tensor, traced inside compiled steps), so `__call__` must be
    written with kerasx ops and no Python branches on the step's value.

    Example:
        >>> import kerasx
        >>> class Halving(kerasx.optimizers.schedules.LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate, period):
        ...         self.initial_learning_rate = initial_learning_rate
        ...         self.period = period
        ...     def __call__(self, step):
        ...         halvings = kerasx.ops.floor_divide(kerasx.ops.cast(step, "float32"), self.period)
        ...         return self.initial_learning_rate * kerasx.ops.power(0.5, halvings)
        ...     def get_config(self):
        ...         return {"initial_learning_rate": self.initial_learning_rate, "period": self.period}
        >>> schedule = Halving(0.1, period=10)
        >>> [round(float(schedule(step)), 4) for step in (0, 9, 10, 25)]
        [0.1, 0.1, 0.05, 0.025]
        >>> optimizer = kerasx.optimizers.SGD(learning_rate=schedule)
    """

    @abc.abstractmethod
    def __call__(self, step):
        """The learning rate at `step` (a scalar tensor or Python int)."""

    @abc.abstractmethod
    def get_config(self) -> dict:
        """The constructor arguments, so that `cls(**config)` rebuilds the schedule."""

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def number(owner: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(NOT_A_NUMBER.format(owner=owner, name=name, value=value, type_name=type(value).__name__))
    return value  # pyright: ignore[reportReturnType] - a real number, returned as given


def positive(owner: str, name: str, value):
    if number(owner, name, value) <= 0:
        raise ValueError(NOT_POSITIVE.format(owner=owner, name=name, value=value))
    return value


def non_negative(owner: str, name: str, value):
    if number(owner, name, value) < 0:
        raise ValueError(NEGATIVE.format(owner=owner, name=name, value=value))
    return value


def float_step(step, dtype):
    """The step (tensor, Variable or Python number) as a scalar of the float `dtype`."""
    return ops.cast(step, dtype)


def initial_rate(value):
    """The initial rate as a floatx scalar tensor; its dtype is the schedule's result dtype."""
    return ops.convert_to_tensor(float(value))
