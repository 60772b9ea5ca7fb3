"""Transposed convolution layers: `Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose` and their base."""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.backend import active
from kerasx.layers import _arguments
from kerasx.layers._conv import (
    BAD_FILTERS,
    STRIDES_AND_DILATION,
    add_channel_bias,
    channel_bias_weight,
    fusable_bias,
    input_channels,
)
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat, Padding
from kerasx.serialization import _registry

BAD_OUTPUT_PADDING = (
    "{cls}: `output_padding` must be None, or a non-negative int or a tuple of {rank} non-negative ints, each "
    "smaller than its stride. Received: output_padding={output_padding!r}, strides={strides}. "
    "Use None to let `padding` decide the output size."
)

IntOrTuple = int | tuple[int, ...]


class BaseConvTranspose(Layer):
    """N-D transposed convolution `activation(conv_transpose(inputs, kernel) + bias)`; the 1D/2D/3D classes fix
    the rank.

    The transposed convolution is the gradient of a convolution with respect to its input: each input cell spreads
    the kernel over the output, `strides` apart, so the layer upsamples (a "deconvolution").

    Args:
        rank: number of spatial axes (1, 2 or 3).
        filters: number of output channels.
        kernel_size: int or tuple of `rank` ints, the window.
        strides: int or tuple of `rank` ints, the upsampling factor.
        padding: "valid" (output size `(input - 1) * stride + dilated_kernel`) or "same" (`input * stride`).
        output_padding: None, or an int or tuple of `rank` ints added to the end of each output axis (each smaller
            than its stride); picks among the input sizes a strided convolution maps to the same output size.
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        dilation_rate: int or tuple of `rank` ints; cannot be combined with strides > 1.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, filters, in_channels)` kernel and
            the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.
    """

    # As for BaseConv: XLA's CPU convolutions are slower than TensorFlow's kernels.
    _slow_under_cpu_xla = True

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: IntOrTuple,
        strides: IntOrTuple = 1,
        padding: Padding = "valid",
        output_padding: IntOrTuple | None = None,
        data_format: DataFormat = None,
        dilation_rate: IntOrTuple = 1,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(BAD_FILTERS.format(cls=cls, filters=filters))
        self.filters = filters
        self.kernel_size = _arguments.int_tuple(cls, kernel_size, rank, "kernel_size")
        self.strides = _arguments.int_tuple(cls, strides, rank, "strides")
        self.dilation_rate = _arguments.int_tuple(cls, dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                STRIDES_AND_DILATION.format(cls=cls, strides=self.strides, dilation_rate=self.dilation_rate)
            )
        self.output_padding = None
        if output_padding is not None:
            try:
                self.output_padding = _arguments.int_tuple(cls, output_padding, rank, "output_padding", True)
            except ValueError:
                self.output_padding = None
            if self.output_padding is None or any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(
                    BAD_OUTPUT_PADDING.format(
                        cls=cls, rank=rank, output_padding=output_padding, strides=self.strides
                    )
                )
        self.padding: Padding = _arguments.padding_mode(cls, padding)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = input_channels(self, input_shape, self._channel_axis, self.data_format)
        # Transposed layout: output channels before input channels, the kernel of the convolution it transposes.
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = channel_bias_weight(self, self.filters)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def call(self, inputs):
        if fusable_bias(inputs, self.kernel, self.bias):
            outputs = active.nn.conv_transpose_bias(
                inputs, ops.convert_to_tensor(self.kernel), ops.convert_to_tensor(self.bias), self.strides,
                self.padding, self.output_padding, self.data_format, self.dilation_rate,
            )
            if outputs is not None:
                return self.activation(outputs)
        outputs = ops.conv_transpose(
            inputs, self.kernel, self.strides, self.padding, self.output_padding, self.data_format,
            self.dilation_rate,
        )
        return self.activation(add_channel_bias(outputs, self.bias, self.data_format, self.rank))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "output_padding": self.output_padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config


@_registry.builtin
class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution over `(batch, steps, channels)` (or `(batch, channels, steps)`): upsamples a
    sequence by `strides`.

    Args:
        filters: number of output channels.
        kernel_size: int; the window size.
        strides: int; the upsampling factor.
        padding: "valid" (output length `(steps - 1) * strides + dilated_kernel_size`) or "same"
            (`steps * strides`).
        output_padding: None, or an int smaller than `strides` added to the end of the output.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int; the spacing of the kernel taps; cannot be combined with strides > 1.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(kernel_size, filters, in_channels)` kernel and
            the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, steps, channels)` tensor (channels_last), or `(batch, channels, steps)` (channels_first).

    Output shape: `(batch, new_steps, filters)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Conv1DTranspose(1, kernel_size=2, strides=2, kernel_initializer="ones")
        >>> x = np.array([1.0, 2.0, 3.0]).reshape((1, 3, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, 0])
        [1. 1. 2. 2. 3. 3.]
        >>> kerasx.layers.Conv1DTranspose(4, 3)(kerasx.Input(shape=(10, 2))).shape
        (None, 12, 4)
    """

    def __init__(self, filters: int, kernel_size: IntOrTuple, strides: IntOrTuple = 1, padding: Padding = "valid",
                 output_padding: IntOrTuple | None = None, data_format: DataFormat = None,
                 dilation_rate: IntOrTuple = 1, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         **kwargs)


@_registry.builtin
class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution over `(batch, height, width, channels)` (or channels first): upsamples images by
    `strides`, e.g. in decoders and generators.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 2 ints; the window size.
        strides: int or tuple of 2 ints; the upsampling factors.
        padding: "valid" (each output size `(size - 1) * stride + dilated_kernel_size`) or "same"
            (`size * stride`).
        output_padding: None, or an int or tuple of 2 ints, each smaller than its stride, added to the end of each
            output axis.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int or tuple of 2 ints; the spacing of the kernel taps; cannot be combined with strides > 1.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, filters, in_channels)` kernel and
            the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, height, width, channels)` tensor (channels_last),
            or `(batch, channels, height, width)` (channels_first).

    Output shape: `(batch, new_height, new_width, filters)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Conv2DTranspose(1, kernel_size=2, strides=2, kernel_initializer="ones")
        >>> x = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape((1, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, :, 0])
        [[1. 1. 2. 2.]
         [1. 1. 2. 2.]
         [3. 3. 4. 4.]
         [3. 3. 4. 4.]]
        >>> kerasx.layers.Conv2DTranspose(8, 3, strides=2, padding="same")(kerasx.Input(shape=(7, 7, 16))).shape
        (None, 14, 14, 8)
    """

    def __init__(self, filters: int, kernel_size: IntOrTuple, strides: IntOrTuple = (1, 1),
                 padding: Padding = "valid", output_padding: IntOrTuple | None = None,
                 data_format: DataFormat = None, dilation_rate: IntOrTuple = (1, 1), **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         **kwargs)


@_registry.builtin
class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution over `(batch, depth, height, width, channels)` (or channels first): upsamples
    volumes by `strides`.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 3 ints; the window size.
        strides: int or tuple of 3 ints; the upsampling factors.
        padding: "valid" (each output size `(size - 1) * stride + dilated_kernel_size`) or "same"
            (`size * stride`).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
            (Third after `padding`, before `output_padding`, as in Keras 3.)
        output_padding: None, or an int or tuple of 3 ints, each smaller than its stride, added to the end of each
            output axis.
        dilation_rate: int or tuple of 3 ints; the spacing of the kernel taps; cannot be combined with strides > 1.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, filters, in_channels)` kernel and
            the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, depth, height, width, channels)` tensor (channels_last),
            or `(batch, channels, depth, height, width)` (channels_first).

    Output shape: `(batch, new_depth, new_height, new_width, filters)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Conv3DTranspose(1, kernel_size=2, strides=2, kernel_initializer="ones")
        >>> print(kerasx.ops.convert_to_numpy(layer(np.ones((1, 1, 1, 1, 1)))).reshape(-1))
        [1. 1. 1. 1. 1. 1. 1. 1.]
        >>> kerasx.layers.Conv3DTranspose(4, 3, strides=2, padding="same")(kerasx.Input(shape=(4, 4, 4, 2))).shape
        (None, 8, 8, 8, 4)
    """

    def __init__(self, filters: int, kernel_size: IntOrTuple, strides: IntOrTuple = (1, 1, 1),
                 padding: Padding = "valid", data_format: DataFormat = None,
                 output_padding: IntOrTuple | None = None, dilation_rate: IntOrTuple = (1, 1, 1), **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         **kwargs)


# Keras 3's longer names of the same classes.
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
