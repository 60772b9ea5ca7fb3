"""`ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D`: convolutional LSTMs over sequences of 1-D, 2-D or 3-D inputs."""

from __future__ import annotations

from kerasx.layers._conv_lstm_cell import ConvLSTMCell
from kerasx.layers._rnn import RNN, CellWeightOptions, cell_attribute
from kerasx.serialization import _registry

BAD_SEQUENCE_RANK = (
    "Layer '{name}' ({cls}) expects inputs of rank {rank}: (batch, timesteps, {spatial}) with channels "
    "{where}. Received: input_shape={shape}."
)
WRONG_RANK = "{cls} has {expected} spatial axes. Received: rank={rank!r}. Leave `rank` out."
_SPATIAL = {1: "length", 2: "rows, cols", 3: "dim1, dim2, dim3"}


class ConvLSTM(CellWeightOptions, RNN):
    """Base of ConvLSTM1D/2D/3D: an `RNN` of a `ConvLSTMCell` over `(batch, timesteps, *spatial, channels)` inputs
    (`(batch, timesteps, channels, *spatial)` with `data_format="channels_first"`). Arguments as in `ConvLSTM2D`."""

    cell_class = ConvLSTMCell
    rank = 2
    filters = cell_attribute("filters")
    kernel_size = cell_attribute("kernel_size")
    strides = cell_attribute("strides")
    padding = cell_attribute("padding")
    data_format = cell_attribute("data_format")
    dilation_rate = cell_attribute("dilation_rate")
    recurrent_activation = cell_attribute("recurrent_activation")
    unit_forget_bias = cell_attribute("unit_forget_bias")

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        rank=None,
        **kwargs,
    ):
        if rank is not None and rank != self.rank:
            raise ValueError(WRONG_RANK.format(cls=type(self).__name__, expected=self.rank, rank=rank))
        cell = ConvLSTMCell(
            self.rank,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
            name="conv_lstm_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def _check_rank(self, shape) -> None:
        if len(shape) != self.rank + 3:
            where = "last" if self.cell.data_format == "channels_last" else "after timesteps"
            raise ValueError(
                BAD_SEQUENCE_RANK.format(
                    name=self.name, cls=type(self).__name__, rank=self.rank + 3, spatial=_SPATIAL[self.rank],
                    where=where, shape=tuple(shape),
                )
            )

    def state_shapes(self) -> list:
        shape = self.cell.state_shape()
        return [shape, shape]

    def output_step_shape(self) -> tuple:
        return self.cell.state_shape()

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=False):
        if not self.cell.built:
            shape = tuple(sequences.shape)
            self._check_rank(shape)
            self.cell.build((shape[0],) + shape[2:])
        return super().compute_output_spec(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("rank", None)
        return config


@_registry.builtin
class ConvLSTM1D(ConvLSTM):
    """Convolutional LSTM over sequences of 1-D inputs: an LSTM whose input and recurrent transformations are
    convolutions, so every position of the sequence's frames has its own state.

    Args:
        filters: number of output channels (and of state channels).
        kernel_size: int or tuple of 1 int, the window of both convolutions.
        strides: int or tuple, strides of the input convolution (the recurrent one has stride 1).
        padding: "valid" or "same", padding of the input convolution (the recurrent one pads "same").
        data_format: "channels_last" `(batch, time, length, channels)` or "channels_first"
            `(batch, time, channels, length)`; None means `image_data_format()`.
        dilation_rate: int or tuple, dilation of the input convolution.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            unit_forget_bias, kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed: as in `LSTM`.
        activity_regularizer: penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful: see `RNN`.
        **kwargs: base Layer arguments (and `unroll`, `zero_output_for_mask`).

    Call arguments: `sequences`, `initial_state` (`[h, c]`, each shaped like one output step), `mask`
    (`(batch, timesteps)`), `training`, as in `RNN`.

    Output shape: `(batch, new_length, filters)` (channels last), with a timesteps axis after the batch with
    `return_sequences`; with `return_state`, `[output, h, c]`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True)
        >>> kerasx.ops.shape(layer(np.zeros((2, 5, 8, 3))))
        (2, 5, 8, 4)
        >>> kerasx.layers.ConvLSTM1D(4, 3)(kerasx.Input(shape=(None, 8, 3))).shape
        (None, 6, 4)
    """

    rank = 1


@_registry.builtin
class ConvLSTM2D(ConvLSTM):
    """Convolutional LSTM over sequences of images: an LSTM whose input and recurrent transformations are 2-D
    convolutions (see `ConvLSTM1D` for the arguments; `kernel_size`, `strides` and `dilation_rate` take 2 ints).

    Inputs `(batch, time, rows, cols, channels)` (channels last) or `(batch, time, channels, rows, cols)`.
    Output `(batch, new_rows, new_cols, filters)`, with a timesteps axis with `return_sequences`; with
    `return_state`, `[output, h, c]`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.ConvLSTM2D(2, (3, 3), return_state=True)
        >>> output, h, c = layer(np.zeros((1, 4, 6, 6, 1)))
        >>> kerasx.ops.shape(output), kerasx.ops.shape(c)
        ((1, 4, 4, 2), (1, 4, 4, 2))
    """

    rank = 2


@_registry.builtin
class ConvLSTM3D(ConvLSTM):
    """Convolutional LSTM over sequences of volumes: an LSTM whose input and recurrent transformations are 3-D
    convolutions (see `ConvLSTM1D` for the arguments; `kernel_size`, `strides` and `dilation_rate` take 3 ints).

    Inputs `(batch, time, dim1, dim2, dim3, channels)` (channels last) or `(batch, time, channels, dim1, dim2,
    dim3)`. Output `(batch, new_dim1, new_dim2, new_dim3, filters)`, with a timesteps axis with
    `return_sequences`; with `return_state`, `[output, h, c]`.

    Example:
        >>> import kerasx
        >>> layer = kerasx.layers.ConvLSTM3D(2, 2, strides=2, return_sequences=True)
        >>> layer(kerasx.Input(shape=(3, 4, 4, 4, 1))).shape
        (None, 3, 2, 2, 2, 2)
    """

    rank = 3
