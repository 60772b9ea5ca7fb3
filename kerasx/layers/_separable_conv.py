"""Separable convolution layers: `SeparableConv1D`, `SeparableConv2D` and their base."""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.layers import _arguments
from kerasx.layers._conv import BAD_FILTERS, add_channel_bias, channel_bias_weight, input_channels
from kerasx.layers._depthwise_conv import depth_multiplier_of
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat, Padding
from kerasx.serialization import _registry

IntOrTuple = int | tuple[int, ...]


class BaseSeparableConv(Layer):
    """N-D separable convolution: a depthwise convolution (each input channel filtered on its own by
    `depth_multiplier` filters), then a pointwise 1 x ... x 1 convolution that mixes the channels into `filters`.

    Args:
        rank: number of spatial axes (1 or 2).
        filters: number of output channels.
        kernel_size: int or tuple of `rank` ints, the depthwise window.
        strides: int or tuple of `rank` ints, of the depthwise step.
        padding: "valid" or "same" (output size `ceil(input / stride)`).
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        dilation_rate: int or tuple of `rank` ints, the spacing of the depthwise kernel taps.
        depth_multiplier: number of depthwise filters per input channel.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers of the
            `(*kernel_size, channels, depth_multiplier)` depthwise kernel, the
            `(1, ..., 1, channels * depth_multiplier, filters)` pointwise kernel and the `(filters,)` bias.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer: penalties added to
            `losses`.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections applied by optimizers after
            updates.
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
        data_format: DataFormat = None,
        dilation_rate: IntOrTuple = 1,
        depth_multiplier: int = 1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(BAD_FILTERS.format(cls=cls, filters=filters))
        self.filters = filters
        self.depth_multiplier = depth_multiplier_of(cls, depth_multiplier)
        self.kernel_size = _arguments.int_tuple(cls, kernel_size, rank, "kernel_size")
        self.strides = _arguments.int_tuple(cls, strides, rank, "strides")
        # Keras 3 takes strides > 1 together with dilation > 1 here, as for the depthwise layers.
        self.dilation_rate = _arguments.int_tuple(cls, dilation_rate, rank, "dilation_rate")
        self.padding: Padding = _arguments.padding_mode(cls, padding)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = input_channels(self, input_shape, self._channel_axis, self.data_format)
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="depthwise_kernel",
        )
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            name="pointwise_kernel",
        )
        self.bias = channel_bias_weight(self, self.filters)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def call(self, inputs):
        outputs = ops.separable_conv(
            inputs, self.depthwise_kernel, self.pointwise_kernel, self.strides, self.padding, self.data_format,
            self.dilation_rate,
        )
        return self.activation(add_channel_bias(outputs, self.bias, self.data_format, self.rank))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
                "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config


@_registry.builtin
class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution over `(batch, steps, channels)` (or channels first): a depthwise convolution, then
    a pointwise one mixing the channels; fewer weights than a `Conv1D` of the same window.

    Args:
        filters: number of output channels.
        kernel_size: int; the depthwise window size.
        strides: int; the step between windows.
        padding: "valid" (no padding) or "same" (output length `ceil(steps / strides)`).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int; the spacing of the depthwise kernel taps.
        depth_multiplier: number of depthwise filters per input channel.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers of the
            `(kernel_size, channels, depth_multiplier)` depthwise kernel, the
            `(1, channels * depth_multiplier, filters)` pointwise kernel and the `(filters,)` bias.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer: penalties added to
            `losses`.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections applied by optimizers after
            updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, steps, channels)` tensor (channels_last), or `(batch, channels, steps)` (channels_first).

    Output shape: `(batch, new_steps, filters)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.SeparableConv1D(
        ...     1, 2, depthwise_initializer="ones", pointwise_initializer="ones")
        >>> x = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]).reshape((1, 3, 2))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, 0])
        [33. 55.]
        >>> kerasx.layers.SeparableConv1D(8, 3, padding="same")(kerasx.Input(shape=(10, 4))).shape
        (None, 10, 8)
    """

    def __init__(self, filters: int, kernel_size: IntOrTuple, strides: IntOrTuple = 1, padding: Padding = "valid",
                 data_format: DataFormat = None, dilation_rate: IntOrTuple = 1, depth_multiplier: int = 1,
                 **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         **kwargs)


@_registry.builtin
class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution over `(batch, height, width, channels)` (or channels first): a depthwise
    convolution, then a pointwise one mixing the channels (as in Xception and MobileNet).

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 2 ints; the depthwise window size.
        strides: int or tuple of 2 ints; the step between windows.
        padding: "valid" (no padding) or "same" (output size `ceil(size / stride)`).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int or tuple of 2 ints; the spacing of the depthwise kernel taps.
        depth_multiplier: number of depthwise filters per input channel.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers of the
            `(*kernel_size, channels, depth_multiplier)` depthwise kernel, the
            `(1, 1, channels * depth_multiplier, filters)` pointwise kernel and the `(filters,)` bias.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer: penalties added to
            `losses`.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections applied by optimizers after
            updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, height, width, channels)` tensor (channels_last),
            or `(batch, channels, height, width)` (channels_first).

    Output shape: `(batch, new_height, new_width, filters)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.SeparableConv2D(
        ...     2, 2, depthwise_initializer="ones", pointwise_initializer="ones")
        >>> x = np.arange(9.0).reshape((1, 3, 3, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, :, 1])
        [[ 8. 12.]
         [20. 24.]]
        >>> kerasx.layers.SeparableConv2D(16, 3, depth_multiplier=2)(kerasx.Input(shape=(8, 8, 3))).shape
        (None, 6, 6, 16)
    """

    def __init__(self, filters: int, kernel_size: IntOrTuple, strides: IntOrTuple = (1, 1),
                 padding: Padding = "valid", data_format: DataFormat = None, dilation_rate: IntOrTuple = (1, 1),
                 depth_multiplier: int = 1, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         **kwargs)


# Keras 3's longer names of the same classes.
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
