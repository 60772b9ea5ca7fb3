"""`LSTMCell` and `LSTM`: long short-term memory (Hochreiter & Schmidhuber, 1997), Keras gate layout i, f, c, o."""

from __future__ import annotations

from kerasx import activations, ops
from kerasx.backend import active
from kerasx.layers._rnn import RNN, CellWeightOptions, cell_attribute, fusable_cell
from kerasx.layers._rnn_cell import RecurrentCell
from kerasx.serialization import _registry


@_registry.builtin
class LSTMCell(RecurrentCell):
    """Cell of an LSTM. With `z = x @ kernel + h @ recurrent_kernel + bias` split into four blocks of `units`:
    `i = rec_act(z_i)`, `f = rec_act(z_f)`, `c = f * c_prev + i * act(z_c)`, `o = rec_act(z_o)`,
    `h = o * act(c)`. States `[h, c]`; output `h`.

    Weights: kernel `(input_dim, 4 * units)`, recurrent_kernel `(units, 4 * units)`, bias `(4 * units,)`.

    Args:
        recurrent_activation: activation of the gates.
        unit_forget_bias: initialize the forget-gate bias to 1 (and the rest with `bias_initializer`).
        Other arguments as in `RecurrentCell`.

    Call arguments:
        inputs: `(batch, features)` tensor, one time step.
        states: list `[h, c]` of `(batch, units)` tensors.
        training: enables dropout.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> cell = kerasx.layers.LSTMCell(3)
        >>> output, (h, c) = cell(np.ones((2, 4)), [np.zeros((2, 3)), np.zeros((2, 3))])
        >>> kerasx.ops.shape(output), kerasx.ops.shape(c)
        ((2, 3), (2, 3))
        >>> kerasx.layers.RNN(cell)(kerasx.Input(shape=(7, 4))).shape
        (None, 3)
    """

    num_gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self):
        return [self.units, self.units]

    def bias_initial_value(self, shape, dtype=None):
        if not self.unit_forget_bias:
            return self.bias_initializer(shape, dtype=dtype)
        units = self.units
        return ops.concatenate(
            [
                self.bias_initializer((units,), dtype=dtype),
                ops.ones((units,), dtype=dtype),
                self.bias_initializer((2 * units,), dtype=dtype),
            ]
        )

    def step(self, projected, states, weights, recurrent_mask):
        h_previous, c_previous = states[0], states[1]
        z = ops.add(projected, ops.matmul(self.dropped_state(h_previous, recurrent_mask), weights[0]))
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = ops.add(ops.multiply(f, c_previous), ops.multiply(i, self.activation(z_c)))
        o = self.recurrent_activation(z_o)
        h = ops.multiply(o, self.activation(c))
        return h, [h, c]

    def run_fused(self, sequences, states, go_backwards, return_sequences, training=False):
        """`(last_output, outputs or None, [h, c])` over a whole `(batch, time, features)` sequence from the
        engine's LSTM kernel, or None where it has none or this cell's equations are not the standard ones."""
        if not fusable_cell(self, LSTMCell, training):
            return None
        bias = None if self.bias is None else self.bias.value
        result = active.nn.lstm(
            sequences, states[0], states[1], self.kernel.value, self.recurrent_kernel.value, bias,
            go_backwards=go_backwards, return_sequences=return_sequences,
        )
        if result is None:
            return None
        last_output, outputs, h, c = result
        return last_output, outputs, [h, c]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias,
            }
        )
        return config


@_registry.builtin
class LSTM(CellWeightOptions, RNN):
    """Long short-term memory layer over a `(batch, timesteps, features)` input (see `LSTMCell` and `RNN`).

    Args:
        units: size of the output and of both states.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            unit_forget_bias, kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed: the cell's arguments.
        activity_regularizer: penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: see `RNN`.
        use_cudnn: accepted for Keras compatibility; ignored.
        **kwargs: base Layer arguments (and `zero_output_for_mask`).

    Call arguments: `sequences`, `initial_state` (`[h, c]`), `mask`, `training`, as in `RNN`. With
    `return_state`, returns `[output, h, c]`.

    Output shape: `(batch, units)`, or `(batch, timesteps, units)` with `return_sequences`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.LSTM(4, return_sequences=True, return_state=True)
        >>> sequences, h, c = layer(np.zeros((2, 5, 3)))
        >>> kerasx.ops.shape(sequences), kerasx.ops.shape(h), kerasx.ops.shape(c)
        ((2, 5, 4), (2, 4), (2, 4))
        >>> kerasx.layers.LSTM(16)(kerasx.Input(shape=(None, 8))).shape
        (None, 16)
    """

    cell_class = LSTMCell
    recurrent_activation = cell_attribute("recurrent_activation")
    unit_forget_bias = cell_attribute("unit_forget_bias")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
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
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
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
