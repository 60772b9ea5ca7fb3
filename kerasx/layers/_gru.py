"""`GRUCell` and `GRU`: gated recurrent unit (Cho et al., 2014), Keras gate layout z, r, h."""

from __future__ import annotations

from kerasx import activations, ops
from kerasx.backend import active
from kerasx.layers._rnn import RNN, CellWeightOptions, cell_attribute, fusable_cell
from kerasx.layers._rnn_cell import RecurrentCell
from kerasx.serialization import _registry


@_registry.builtin
class GRUCell(RecurrentCell):
    """Cell of a GRU. With `x_z, x_r, x_h = x @ kernel + input_bias` and `u = h_prev @ recurrent_kernel`:
    `z = rec_act(x_z + u_z)`, `r = rec_act(x_r + u_r)`, and the candidate
    `hh = act(x_h + r * (u_h + recurrent_bias_h))` when `reset_after` (the default, cuDNN-compatible), else
    `hh = act(x_h + (r * h_prev) @ recurrent_kernel_h)`; then `h = z * h_prev + (1 - z) * hh`.

    Weights: kernel `(input_dim, 3 * units)`, recurrent_kernel `(units, 3 * units)`, bias `(2, 3 * units)` (input
    and recurrent biases) when `reset_after`, else `(3 * units,)`.

    Args:
        recurrent_activation: activation of the update and reset gates.
        reset_after: apply the reset gate after the recurrent matmul.
        Other arguments as in `RecurrentCell`. Recurrent dropout drops the state where it enters the matmuls;
        the final mix uses the undropped state.

    Call arguments:
        inputs: `(batch, features)` tensor, one time step.
        states: list holding the previous state `(batch, units)`.
        training: enables dropout.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> cell = kerasx.layers.GRUCell(3)
        >>> output, states = cell(np.ones((2, 4)), [np.zeros((2, 3))])
        >>> kerasx.ops.shape(output), tuple(cell.bias.shape)
        ((2, 3), (2, 9))
        >>> kerasx.layers.RNN(cell, return_sequences=True)(kerasx.Input(shape=(7, 4))).shape
        (None, 7, 3)
    """

    num_gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", reset_after=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def step_weights(self) -> tuple:
        if self.reset_after and self.bias is not None:
            return (self.recurrent_kernel.value, self.bias.value)
        return (self.recurrent_kernel.value,)

    def step(self, projected, states, weights, recurrent_mask):
        h_previous = states[0]
        dropped = self.dropped_state(h_previous, recurrent_mask)
        x_z, x_r, x_h = ops.split(projected, 3, axis=-1)
        if self.reset_after:
            inner = ops.matmul(dropped, weights[0])
            if len(weights) > 1:
                inner = ops.add(inner, weights[1][1])  # the recurrent half of the (2, 3 * units) bias
            u_z, u_r, u_h = ops.split(inner, 3, axis=-1)
        else:
            units = self.units
            u_z, u_r = ops.split(ops.matmul(dropped, weights[0][:, : 2 * units]), 2, axis=-1)
        z = self.recurrent_activation(ops.add(x_z, u_z))
        r = self.recurrent_activation(ops.add(x_r, u_r))
        if self.reset_after:
            candidate_input = ops.multiply(r, u_h)
        else:
            candidate_input = ops.matmul(ops.multiply(r, dropped), weights[0][:, 2 * units :])
        hh = self.activation(ops.add(x_h, candidate_input))
        h = ops.add(ops.multiply(z, h_previous), ops.multiply(ops.subtract(1.0, z), hh))
        return h, [h]

    def run_fused(self, sequences, states, go_backwards, return_sequences, training=False):
        """`(last_output, outputs or None, [h])` over a whole `(batch, time, features)` sequence from the engine's
        GRU kernel (which has the `reset_after` equations), or None as for `LSTMCell.run_fused`."""
        if not self.reset_after or not fusable_cell(self, GRUCell, training):
            return None
        bias = None if self.bias is None else self.bias.value
        result = active.nn.gru(
            sequences, states[0], self.kernel.value, self.recurrent_kernel.value, bias,
            go_backwards=go_backwards, return_sequences=return_sequences,
        )
        if result is None:
            return None
        last_output, outputs, h = result
        return last_output, outputs, [h]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after,
            }
        )
        return config


@_registry.builtin
class GRU(CellWeightOptions, RNN):
    """Gated recurrent unit layer over a `(batch, timesteps, features)` input (see `GRUCell` and `RNN`).

    Args:
        units: size of the output and state.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint, recurrent_constraint,
            bias_constraint, dropout, recurrent_dropout, seed, reset_after: the cell's arguments.
        activity_regularizer: penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: see `RNN`.
        use_cudnn: accepted for Keras compatibility; ignored.
        **kwargs: base Layer arguments (and `zero_output_for_mask`).

    Call arguments: `sequences`, `initial_state` (`[h]`), `mask`, `training`, as in `RNN`.

    Output shape: `(batch, units)`, or `(batch, timesteps, units)` with `return_sequences`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.GRU(4, return_state=True)
        >>> output, h = layer(np.zeros((2, 5, 3)))
        >>> kerasx.ops.shape(output), kerasx.ops.shape(h)
        ((2, 4), (2, 4))
        >>> kerasx.layers.GRU(16, return_sequences=True)(kerasx.Input(shape=(None, 8))).shape
        (None, None, 16)
    """

    cell_class = GRUCell
    recurrent_activation = cell_attribute("recurrent_activation")
    reset_after = cell_attribute("reset_after")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            reset_after=reset_after,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.use_cudnn = use_cudnn
