"""JAX backend: whole LSTM and GRU layers as one `lax.scan` that projects each step's inputs inside the loop.

The generic RNN layer projects the whole sequence before its scan (`x @ kernel` once), which suits eager engines.
Under XLA on CPU that costs twice the time in the backward pass: the scan's gradient then stacks a
(time, batch, 4 * units) cotangent step by step. Projecting per step inside the loop (as Keras 3 does) accumulates
the kernel's gradient in the loop instead: LSTM(64), batch 64, 100 steps, forward+backward 47 ms against 98 ms.

Each function is jitted on its own, so an eager layer call compiles once per shape instead of tracing a new scan.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from kerasx.backend import _rnn_equations as equations

_FLOATS = (jnp.float32, jnp.float64)
_MATH = {"split": jnp.split, "sigmoid": jax.nn.sigmoid, "tanh": jnp.tanh}


def _time_major(inputs, go_backwards):
    # Keras's go_backwards reads from the last step and keeps its outputs in that reversed order.
    xs = jnp.swapaxes(inputs, 0, 1)
    return jnp.flip(xs, 0) if go_backwards else xs


def _finish(carry, ys, return_sequences):
    h = carry[0]
    return (h, jnp.swapaxes(ys, 0, 1) if return_sequences else None, *carry)


@functools.partial(jax.jit, static_argnames=("go_backwards", "return_sequences"))
def _lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel, bias, go_backwards, return_sequences):
    def step(carry, x):
        h, c = equations.lstm_step(x, *carry, kernel, recurrent_kernel, bias, **_MATH)  # pyright: ignore[reportCallIssue] - carry holds the states
        return (h, c), h if return_sequences else None

    carry, ys = jax.lax.scan(step, (initial_h, initial_c), _time_major(inputs, go_backwards))
    return _finish(carry, ys, return_sequences)


@functools.partial(jax.jit, static_argnames=("go_backwards", "return_sequences"))
def _gru(inputs, initial_h, kernel, recurrent_kernel, bias, go_backwards, return_sequences):
    def step(carry, x):
        h = equations.gru_step(x, *carry, kernel, recurrent_kernel, bias, **_MATH)  # pyright: ignore[reportCallIssue] - carry holds the states
        return (h,), h if return_sequences else None

    carry, ys = jax.lax.scan(step, (initial_h,), _time_major(inputs, go_backwards))
    return _finish(carry, ys, return_sequences)


def lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel, bias, go_backwards=False, return_sequences=True):
    if not equations.fusable(_FLOATS, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
        return None
    return _lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel, bias, go_backwards, return_sequences)


def gru(inputs, initial_h, kernel, recurrent_kernel, bias, go_backwards=False, return_sequences=True):
    if not equations.fusable(_FLOATS, inputs, initial_h, kernel, recurrent_kernel, bias):
        return None
    return _gru(inputs, initial_h, kernel, recurrent_kernel, bias, go_backwards, return_sequences)
