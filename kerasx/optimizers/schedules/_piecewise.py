"""Piecewise-constant learning rate."""

from __future__ import annotations

import itertools

from kerasx import backend, ops
from kerasx.optimizers.schedules import _schedule
from kerasx.optimizers.schedules._schedule import LearningRateSchedule

LENGTHS_MISMATCH = (
    "PiecewiseConstantDecay: `values` must have exactly one more entry than `boundaries`. Received: "
    "boundaries={boundaries} (length {num_boundaries}), values={values} (length {num_values})."
)
NOT_INCREASING = "PiecewiseConstantDecay: `boundaries` must be strictly increasing. Received: boundaries={boundaries}."


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` for `step <= boundaries[0]`, `values[i]` for `boundaries[i-1] < step <= boundaries[i]`, and
    `values[-1]` after the last boundary.

    Args:
        boundaries: strictly increasing step numbers.
        values: one more rate than boundaries.
        name: name of the schedule.

    Example:
        >>> import kerasx
        >>> schedule = kerasx.optimizers.schedules.PiecewiseConstantDecay([100, 200], [0.1, 0.01, 0.001])
        >>> [round(float(schedule(step)), 4) for step in (0, 100, 101, 200, 500)]
        [0.1, 0.1, 0.01, 0.01, 0.001]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries = list(boundaries)
        values = list(values)
        if len(values) != len(boundaries) + 1:
            raise ValueError(
                LENGTHS_MISMATCH.format(
                    boundaries=boundaries, num_boundaries=len(boundaries), values=values, num_values=len(values)
                )
            )
        for boundary in boundaries:
            _schedule.number("PiecewiseConstantDecay", "boundaries", boundary)
        for value in values:
            _schedule.number("PiecewiseConstantDecay", "values", value)
        if any(not low < high for low, high in itertools.pairwise(boundaries)):
            raise ValueError(NOT_INCREASING.format(boundaries=boundaries))
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        # A sum of indicator-weighted values rather than a branch: the step may be traced.
        step = ops.convert_to_tensor(step)
        dtype = backend.result_type(*self.values)
        edges = [None, *self.boundaries, None]
        result = None
        for low, high, value in zip(edges[:-1], edges[1:], self.values):
            inside = None
            if low is not None:
                inside = ops.greater(step, low)
            if high is not None:
                below = ops.less_equal(step, high)
                inside = below if inside is None else ops.logical_and(inside, below)
            term = ops.multiply(ops.cast(inside, dtype), value)
            result = term if result is None else ops.add(result, term)
        return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
