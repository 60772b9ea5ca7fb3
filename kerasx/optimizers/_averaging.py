"""Gradient accumulation and moving averages of the weights (EMA), as steps of `Optimizer.apply`.

Both are written as selections (`where`) between the updated and the current values rather than as branches on a
traced condition: the step stays one traceable expression on every engine (a JAX-jitted step, a tf.function).
"""

from __future__ import annotations

from kerasx import backend, ops


def apply_accumulated(optimizer, grads, variables):
    """Adds `grads` to the accumulators; on the last call of each group of `gradient_accumulation_steps` calls,
    updates the variables with the mean of the group's gradients (clipped and decayed as usual) and resets them."""
    steps = optimizer.gradient_accumulation_steps
    accumulators = [optimizer._accumulated_gradients[optimizer._index(v)] for v in variables]
    sums = [ops.add(accumulator, g) for accumulator, g in zip(accumulators, grads)]
    is_update = ops.equal(ops.mod(ops.add(optimizer._iterations, 1), steps), 0)
    # The update is computed on every call and kept only on the last call of a group.
    with backend.StatelessScope() as scope:
        optimizer._apply_update([ops.divide(s, steps) for s in sums], variables)
    for variable, value in scope.assignments():
        variable.assign(ops.where(is_update, value, variable))
    for accumulator, total in zip(accumulators, sums):
        accumulator.assign(ops.where(is_update, ops.zeros_like(total), total))


def update_moving_averages(optimizer):
    """`average = m * average + (1 - m) * variable` for every trainable variable, with m = 0 on the first update
    (the average starts as a copy); every `ema_overwrite_frequency` updates the variables take their averages."""
    iterations = optimizer.iterations
    first = ops.equal(iterations, 0)
    for variable, average in zip(optimizer._trainable_variables, optimizer._averages):
        momentum = ops.where(first, 0.0, optimizer._constant(optimizer.ema_momentum, variable.dtype))
        average.assign(ops.add(ops.multiply(average, momentum), ops.multiply(variable, ops.subtract(1.0, momentum))))
    if optimizer.ema_overwrite_frequency:
        overwrite = ops.equal(ops.mod(ops.add(iterations, 1), optimizer.ema_overwrite_frequency), 0)
        for variable, average in zip(optimizer._trainable_variables, optimizer._averages):
            variable.assign(ops.where(overwrite, average, variable))
