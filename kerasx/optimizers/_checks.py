"""Argument checks shared by the optimizers, with their messages as constants (tested by `match=`)."""

from __future__ import annotations

import numbers

NOT_A_NUMBER = (
    "{owner}: argument `{name}` must be a real number. Received: {name}={value!r} (type {type_name}). "
    "Pass a Python float such as {name}=0.9."
)
OUT_OF_RANGE = "{owner}: argument `{name}` must be {expected}. Received: {name}={value!r}."
UNKNOWN_KWARGS = (
    "{owner}: argument(s) not recognized: {names}. Valid arguments are the constructor's named parameters "
    "(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, ..., name)."
)
LR_ALIAS = "{owner}: `lr` is not an argument. Received: lr={value!r}. Use `learning_rate={value!r}` instead."
DECAY_ALIAS = (
    "{owner}: `decay` is not an argument. Received: decay={value!r}. For a decaying learning rate pass a schedule, "
    "e.g. learning_rate=kerasx.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate={value!r})."
)


def number(owner: str, name: str, value) -> float:
    """`value` as a float; bools, strings and other non-numbers raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(NOT_A_NUMBER.format(owner=owner, name=name, value=value, type_name=type(value).__name__))
    return float(value)


def in_range(owner: str, name: str, value, low=None, high=None, low_open=False, high_open=False) -> float:
    """`value` as a float, checked to lie in the interval [low, high] (ends excluded when `*_open`)."""
    value = number(owner, name, value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        expected = _interval(low, high, low_open, high_open)
        raise ValueError(OUT_OF_RANGE.format(owner=owner, name=name, value=value, expected=expected))
    return value


def optional_positive(owner: str, name: str, value):
    """None, or `value` as a float > 0."""
    return None if value is None else in_range(owner, name, value, low=0.0, low_open=True)


def _interval(low, high, low_open, high_open) -> str:
    if high is None:
        return f"{'>' if low_open else '>='} {low}"
    if low is None:
        return f"{'<' if high_open else '<='} {high}"
    return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def reject_unknown(owner: str, kwargs: dict) -> None:
    """Raises for leftover constructor keyword arguments, naming the Keras 2 spelling's replacement."""
    if "lr" in kwargs:
        raise ValueError(LR_ALIAS.format(owner=owner, value=kwargs["lr"]))
    if "decay" in kwargs:
        raise ValueError(DECAY_ALIAS.format(owner=owner, value=kwargs["decay"]))
    if kwargs:
        raise ValueError(UNKNOWN_KWARGS.format(owner=owner, names=", ".join(sorted(kwargs))))


def optional_count(owner: str, name: str, value, minimum: int):
    """None, or `value` as an int >= `minimum` (integral floats such as 4.0 are accepted)."""
    if value is None:
        return None
    number(owner, name, value)
    if value != int(value) or value < minimum:
        raise ValueError(OUT_OF_RANGE.format(owner=owner, name=name, value=value, expected=f"an integer >= {minimum}"))
    return int(value)
