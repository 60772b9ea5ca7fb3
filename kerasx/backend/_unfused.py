"""Contract functions for engines without a fused kernel for them, or that compile whole steps (the compiler fuses
the engine-free code already): each returns a "not done" answer and the caller runs its engine-free version."""

from __future__ import annotations


def fused_adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon):
    # Nothing done: the optimizer runs its engine-free update (inside jax.jit / tf.function it is fused anyway).
    return False


def lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel, bias, go_backwards=False, return_sequences=True):
    # No fused kernel: the layer runs its `ops.scan` loop (lax.scan / tf.while_loop compile it into one loop).
    return None


def gru(inputs, initial_h, kernel, recurrent_kernel, bias, go_backwards=False, return_sequences=True):
    return None


def layer_norm(x, gamma, beta, axes, epsilon):
    # No fused kernel: the layer computes it with ops (XLA / Grappler fuse the pieces).
    return None


def group_norm(x, groups, gamma, beta, epsilon):
    return None


def conv_bias(inputs, kernel, bias, strides, padding, data_format, dilation_rate):
    # No one-call kernel: the layer adds the bias with ops (XLA / Grappler fuse the add into the convolution).
    return None


def conv_transpose_bias(inputs, kernel, bias, strides, padding, output_padding, data_format, dilation_rate):
    return None
