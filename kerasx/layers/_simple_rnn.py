"""`SimpleRNNCell` and `SimpleRNN`: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._rnn import RNN, CellWeightOptions
from kerasx.layers._rnn_cell import RecurrentCell
from kerasx.serialization import _registry


@_registry.builtin
class SimpleRNNCell(RecurrentCell):
    """Cell of a fully connected RNN whose output is fed back as the next state.

    Weights: kernel `(input_dim, units)`, recurrent_kernel `(units, units)`, bias `(units,)`.
    Arguments as in `RecurrentCell` (units, activation, use_bias, initializers, regularizers, constraints,
    dropout, recurrent_dropout, seed).

    Call arguments:
        inputs: `(batch, features)` tensor, one time step.
        states: list holding the previous output `(batch, units)`.
        training: enables dropout.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> cell = kerasx.layers.SimpleRNNCell(2, kernel_initializer="ones", recurrent_initializer="zeros")
        >>> output, states = cell(np.array([[0.5]]), [np.zeros((1, 2))])
        >>> print(np.round(kerasx.ops.convert_to_numpy(output), 4))
        [[0.4621 0.4621]]
        >>> kerasx.layers.RNN(cell)(kerasx.Input(shape=(7, 1))).shape
        (None, 2)
    """

    num_gates = 1

    def step(self, projected, states, weights, recurrent_mask):
        previous = self.dropped_state(states[0], recurrent_mask)
        output = self.activation(ops.add(projected, ops.matmul(previous, weights[0])))
        return output, [output]


@_registry.builtin
class SimpleRNN(CellWeightOptions, RNN):
    """Fully connected RNN over a `(batch, timesteps, features)` input (see `SimpleRNNCell` and `RNN`).

    Args:
        units: size of the output and state.
        activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer,
            recurrent_regularizer, bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint,
            dropout, recurrent_dropout, seed: the cell's arguments.
        activity_regularizer: penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: see `RNN`.
        **kwargs: base Layer arguments (and `zero_output_for_mask`).

    Call arguments: `sequences`, `initial_state` (one tensor), `mask`, `training`, as in `RNN`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.SimpleRNN(
        ...     1, activation=None, kernel_initializer="ones", recurrent_initializer="ones")
        >>> x = np.array([[[1.0], [2.0], [3.0]]])
        >>> print(kerasx.ops.convert_to_numpy(layer(x)))
        [[6.]]
        >>> kerasx.layers.SimpleRNN(8, return_sequences=True)(kerasx.Input(shape=(10, 4))).shape
        (None, 10, 8)
    """

    cell_class = SimpleRNNCell

    def __init__(
        self,
        units,
        activation="tanh",
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        cell = SimpleRNNCell(
            units,
            activation=activation,
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
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
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

    def get_config(self) -> dict:
        config = super().get_config()
        # Keras 3's SimpleRNN config has no seed (its cell's has): the same keys, so that configs compare equal.
        config.pop("seed", None)
        return config
