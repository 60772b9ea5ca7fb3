"""`ConvLSTMCell`: one step of a convolutional LSTM (Shi et al., 2015), the cell of ConvLSTM1D/2D/3D.

The gates are those of `LSTMCell` with convolutions in place of the matmuls: the input convolution uses the layer's
strides, padding and dilation; the recurrent one runs over the state with stride 1 and "same" padding, so the state
keeps the output's spatial shape. As for the dense cells, the `RNN` layer asks the cell to `prepare` the whole
sequence (one convolution over all time steps folded into the batch) and then runs `step` (the recurrent
convolution and the gates) inside `ops.scan`.
"""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, random, regularizers
from kerasx.layers import _arguments
from kerasx.layers._layer import Layer

BAD_FILTERS = "{cls}: `filters` must be a positive int. Received: filters={filters!r}."
UNKNOWN_SPATIAL = (
    "Layer '{name}' ({cls}) needs static spatial sizes to size its states. Received: input_shape={shape} (one step, "
    "batch first). Give the input its spatial sizes, e.g. `kerasx.Input(shape=(None, 32, 32, 3))`."
)
UNKNOWN_CHANNELS = (
    "Layer '{name}' ({cls}) needs the number of input channels (data_format={data_format!r}) to create its kernel, "
    "but it is unknown. Received: input_shape={shape} (one step, batch first)."
)
NUM_GATES = 4


def _output_length(length: int, kernel_size: int, stride: int, padding: str, dilation: int) -> int:
    if padding == "same":
        return -(-length // stride)
    return -(-(length - (kernel_size - 1) * dilation) // stride)


class ConvLSTMCell(Layer):
    """Cell of the ConvLSTM layers: for one step's `(batch, *spatial, channels)` input (channels first with
    `data_format="channels_first"`) and states `[h, c]`, `z = conv(x, kernel) + bias + conv_same(h,
    recurrent_kernel)` is split along the channels into the i, f, c, o blocks of `filters` channels and combined as
    in `LSTMCell`. Output `h`.

    Weights: kernel `(*kernel_size, in_channels, 4 * filters)`, recurrent_kernel `(*kernel_size, filters,
    4 * filters)`, bias `(4 * filters,)`. Dropout draws four masks (one per gate) for the input and four for the
    state, once per sequence.

    Args:
        rank: number of spatial axes (1, 2 or 3).
        filters, kernel_size, strides, padding, data_format, dilation_rate: those of the input convolution.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            unit_forget_bias, kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed: as in `LSTMCell`.
        **kwargs: base Layer arguments.
    """

    output_is_first_state = True

    def __init__(
        self,
        rank,
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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        cls = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(BAD_FILTERS.format(cls=cls, filters=filters))
        self.rank = rank
        self.filters = filters
        self.kernel_size = _arguments.int_tuple(cls, kernel_size, rank, "kernel_size")
        self.strides = _arguments.int_tuple(cls, strides, rank, "strides")
        self.padding: _arguments.Padding = _arguments.padding_mode(cls, padding)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.dilation_rate = _arguments.int_tuple(cls, dilation_rate, rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        # Keras clips dropout rates into [0, 1] rather than rejecting them.
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self.seed_generator = None
        if self.dropout > 0 or self.recurrent_dropout > 0:
            self.seed_generator = random.SeedGenerator(seed, name=f"{self.name}_seed_generator")
        self.step_input_shape = None

    # Sizes --------------------------------------------------------------------------------------------------------
    @property
    def state_size(self) -> list:
        # The channels of `h` and `c` at each position; `state_shape()` is the whole shape of one batch row.
        return [self.filters, self.filters]

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def state_shape(self, step_input_shape=None) -> tuple:
        """The shape of one batch row of `h` (and `c`) for a step input of `step_input_shape` (batch first)."""
        shape = step_input_shape or self.step_input_shape
        assert shape is not None, "state_shape() needs a step input shape: pass one or build the cell first"
        shape = tuple(shape)
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        out = tuple(
            None if length is None else _output_length(length, k, s, self.padding, d)
            for length, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )
        return out + (self.filters,) if self.data_format == "channels_last" else (self.filters,) + out

    def get_initial_state(self, batch_size=None) -> list:
        """Zero `[h, c]` for a batch of `batch_size`."""
        shape = (batch_size,) + self.state_shape()
        return [ops.zeros(shape, dtype=self.compute_dtype), ops.zeros(shape, dtype=self.compute_dtype)]

    # Weights ------------------------------------------------------------------------------------------------------
    def _bias_initial_value(self, shape, dtype=None):
        if not self.unit_forget_bias:
            return self.bias_initializer(shape, dtype=dtype)
        filters = self.filters
        return ops.concatenate(
            [
                self.bias_initializer((filters,), dtype=dtype),
                ops.ones((filters,), dtype=dtype),
                self.bias_initializer((2 * filters,), dtype=dtype),
            ]
        )

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        cls = type(self).__name__
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        if None in spatial:
            raise ValueError(UNKNOWN_SPATIAL.format(name=self.name, cls=cls, shape=input_shape))
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                UNKNOWN_CHANNELS.format(name=self.name, cls=cls, data_format=self.data_format, shape=input_shape)
            )
        self.step_input_shape = input_shape
        width = NUM_GATES * self.filters
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(width,),
                initializer=self._bias_initial_value,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    # Computation --------------------------------------------------------------------------------------------------
    def draw_dropout_masks(self, step_input, state, training=False) -> tuple:
        """`(input_masks, recurrent_masks)`: four dropout masks (one per gate) stacked on a leading axis, shaped like
        one step's input and like the state; each None when not dropping."""
        input_masks, recurrent_masks = None, None
        if training and 0 < self.dropout < 1:
            ones = ops.ones_like(step_input)
            input_masks = ops.stack(
                [random.dropout(ones, self.dropout, seed=self.seed_generator) for _ in range(NUM_GATES)]
            )
        if training and 0 < self.recurrent_dropout < 1:
            ones = ops.ones_like(state)
            recurrent_masks = ops.stack(
                [random.dropout(ones, self.recurrent_dropout, seed=self.seed_generator) for _ in range(NUM_GATES)]
            )
        return input_masks, recurrent_masks

    def _add_bias(self, z, bias):
        if bias is None:
            return z
        if self.data_format == "channels_first":
            bias = ops.reshape(bias, (-1,) + (1,) * self.rank)
        return ops.add(z, bias)

    def _input_conv(self, x, kernel, bias, input_masks=None):
        """`conv(x, kernel) + bias` for `(n, *step)` inputs; with masks, each gate's block convolves its own
        dropped-out copy of the inputs (`input_masks` broadcast against `x`)."""
        if input_masks is None:
            z = ops.conv(x, kernel, self.strides, self.padding, self.data_format, self.dilation_rate)
            return self._add_bias(z, bias)
        kernels = ops.split(kernel, NUM_GATES, axis=-1)
        blocks = [
            ops.conv(ops.multiply(x, input_masks[g]), kernels[g], self.strides, self.padding, self.data_format,
                     self.dilation_rate)
            for g in range(NUM_GATES)
        ]
        return self._add_bias(ops.concatenate(blocks, axis=self._channel_axis), bias)

    def _recurrent_conv(self, h, recurrent_kernel, recurrent_masks):
        if recurrent_masks is None:
            return ops.conv(h, recurrent_kernel, 1, "same", self.data_format)
        kernels = ops.split(recurrent_kernel, NUM_GATES, axis=-1)
        blocks = [
            ops.conv(ops.multiply(h, recurrent_masks[g]), kernels[g], 1, "same", self.data_format)
            for g in range(NUM_GATES)
        ]
        return ops.concatenate(blocks, axis=self._channel_axis)

    def prepare(self, sequence, states, training=False):
        """`(projected, constants)` for a time-major `(time, batch, *step)` sequence: with a known number of steps,
        the input convolution of every step at once (time folded into the batch); otherwise the sequence itself,
        convolved step by step (`step_weights` then carries the kernel). `constants` holds the dropout masks."""
        masks = self.__dict__.get("_sequence_masks")
        input_masks, recurrent_masks = masks or self.draw_dropout_masks(sequence[0], states[0], training)
        num_steps = ops.shape(sequence)[0]
        object.__setattr__(self, "_conv_in_step", not isinstance(num_steps, int))
        if self._conv_in_step:
            if input_masks is None and recurrent_masks is None:
                return sequence, None
            ones = ops.ones_like(ops.stack([sequence[0]] * NUM_GATES))
            input_masks = ones if input_masks is None else input_masks
            ones = ops.ones_like(ops.stack([states[0]] * NUM_GATES))
            return sequence, (input_masks, ones if recurrent_masks is None else recurrent_masks)
        step_shape = tuple(sequence.shape[2:])
        folded = ops.reshape(sequence, (-1,) + step_shape)
        if input_masks is not None:
            # Each step's batch rows use the same masks: repeat them over the folded time axis.
            repeated = (NUM_GATES, num_steps) + tuple(input_masks.shape[1:])
            input_masks = ops.reshape(
                ops.broadcast_to(ops.expand_dims(input_masks, 1), repeated), (NUM_GATES, -1) + step_shape
            )
        bias = None if self.bias is None else self.bias.value
        projected = self._input_conv(folded, self.kernel.value, bias, input_masks)
        return ops.reshape(projected, (num_steps, -1) + tuple(projected.shape[1:])), recurrent_masks

    def step_weights(self) -> tuple:
        """Current values of the weights `step` uses (the input kernel and bias too where `prepare` left the input
        convolution to the steps)."""
        if not self.__dict__.get("_conv_in_step"):
            return (self.recurrent_kernel.value,)
        bias = () if self.bias is None else (self.bias.value,)
        return (self.recurrent_kernel.value, self.kernel.value) + bias

    def step(self, projected, states, weights, constants):
        recurrent_masks = constants
        if len(weights) > 1:
            input_masks, recurrent_masks = (None, None) if constants is None else constants
            bias = weights[2] if len(weights) > 2 else None
            projected = self._input_conv(projected, weights[1], bias, input_masks)
        h_previous, c_previous = states[0], states[1]
        z = ops.add(projected, self._recurrent_conv(h_previous, weights[0], recurrent_masks))
        z_i, z_f, z_c, z_o = ops.split(z, NUM_GATES, axis=self._channel_axis)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = ops.add(ops.multiply(f, c_previous), ops.multiply(i, self.activation(z_c)))
        o = self.recurrent_activation(z_o)
        h = ops.multiply(o, self.activation(c))
        return h, [h, c]

    def call(self, inputs, states, training=False):
        """One step on `(batch, *step)` inputs with states `[h, c]`."""
        projected, constants = self.prepare(ops.expand_dims(inputs, 0), list(states), training)
        return self.step(projected[0], list(states), self.step_weights(), constants)

    def compute_output_spec(self, inputs, states, training=False):
        shape = (inputs.shape[0],) + self.state_shape(tuple(inputs.shape))
        output = ops.KerasTensor(shape, self.compute_dtype)
        return output, [ops.KerasTensor(shape, self.compute_dtype), ops.KerasTensor(shape, self.compute_dtype)]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "unit_forget_bias": self.unit_forget_bias,
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed,
            }
        )
        return config
