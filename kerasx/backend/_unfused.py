"""Contract functions for engines that compile whole steps: the compiler fuses the engine-free code already."""

from __future__ import annotations


def fused_adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon):
    # Nothing done: the optimizer runs its engine-free update (inside jax.jit / tf.function it is fused anyway).
    return False
