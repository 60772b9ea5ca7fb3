"""One time step of Keras's LSTM and GRU (`reset_after=True`) gate equations, for the engines that write the whole
recurrent loop themselves (jax `lax.scan`, TensorFlow `tf.while_loop`). The engine passes its own `split`,
`sigmoid` and `tanh`; `@`, `*` and `+` are the tensors' operators. Each step projects its own inputs (see
`kerasx/backend/jax/_nn_rnn.py` for why).
"""

from __future__ import annotations


def fusable(float_dtypes, *tensors) -> bool:
    """The tensors (None for an absent bias) share one dtype among `float_dtypes`."""
    present = [t for t in tensors if t is not None]
    return present[0].dtype in float_dtypes and all(t.dtype == present[0].dtype for t in present)


def lstm_step(x, h, c, kernel, recurrent_kernel, bias, split, sigmoid, tanh):
    """Keras gates i, f, c, o: returns the new (h, c)."""
    z = x @ kernel + h @ recurrent_kernel
    if bias is not None:
        z = z + bias
    i, f, g, o = split(z, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * tanh(g)
    return sigmoid(o) * tanh(c), c


def gru_step(x, h, kernel, recurrent_kernel, bias, split, sigmoid, tanh):
    """Keras gates z, r, h with the reset applied after the recurrent projection; bias rows (input, recurrent)."""
    projected, recurrent = x @ kernel, h @ recurrent_kernel
    if bias is not None:
        projected, recurrent = projected + bias[0], recurrent + bias[1]
    x_z, x_r, x_h = split(projected, 3, axis=-1)
    h_z, h_r, h_h = split(recurrent, 3, axis=-1)
    z = sigmoid(x_z + h_z)
    r = sigmoid(x_r + h_r)
    candidate = tanh(x_h + r * h_h)
    return z * h + (1 - z) * candidate
