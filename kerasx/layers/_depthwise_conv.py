"""Depthwise convolution layers: `DepthwiseConv1D`, `DepthwiseConv2D` and their base."""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.layers import _arguments
from kerasx.layers._conv import add_channel_bias, channel_bias_weight, input_channels
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat, Padding
from kerasx.serialization import _registry

BAD_DEPTH_MULTIPLIER = (
    "{cls}: `depth_multiplier` must be a positive int (the number of filters per input channel). "
    "Received: depth_multiplier={depth_multiplier!r}."
)

IntOrTuple = int | tuple[int, ...]


def depth_multiplier_of(cls_name: str, depth_multiplier) -> int:
    if isinstance(depth_multiplier, bool) or not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
        raise ValueError(BAD_DEPTH_MULTIPLIER.format(cls=cls_name, depth_multiplier=depth_multiplier))
    return depth_multiplier


class BaseDepthwiseConv(Layer):
    """N-D depthwise convolution: each input channel is convolved with its own `depth_multiplier` filters, and the
    channels never mix (output channel `c * depth_multiplier + m` comes from input channel `c`).

    Args:
        rank: number of spatial axes (1 or 2).
        kernel_size: int or tuple of `rank` ints, the window.
        strides: int or tuple of `rank` ints.
        padding: "valid" or "same" (output size `ceil(input / stride)`).
        depth_multiplier: number of filters per input channel; the output has `channels * depth_multiplier`.
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        dilation_rate: int or tuple of `rank` ints, the spacing of the kernel taps.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: initializers of the `(*kernel_size, channels, depth_multiplier)`
            kernel and the `(channels * depth_multiplier,)` bias.
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        depthwise_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.
    """

    # As for BaseConv: XLA's CPU convolutions are slower than TensorFlow's kernels.
    _slow_under_cpu_xla = True

    def __init__(
        self,
        rank: int,
        kernel_size: IntOrTuple,
        strides: IntOrTuple = 1,
        padding: Padding = "valid",
        depth_multiplier: int = 1,
        data_format: DataFormat = None,
        dilation_rate: IntOrTuple = 1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.depth_multiplier = depth_multiplier_of(cls, depth_multiplier)
        self.kernel_size = _arguments.int_tuple(cls, kernel_size, rank, "kernel_size")
        self.strides = _arguments.int_tuple(cls, strides, rank, "strides")
        # Unlike the full convolutions, Keras 3 takes strides > 1 together with dilation > 1 here (every engine's
        # depthwise op computes it), so no check.
        self.dilation_rate = _arguments.int_tuple(cls, dilation_rate, rank, "dilation_rate")
        self.padding: Padding = _arguments.padding_mode(cls, padding)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = input_channels(self, input_shape, self._channel_axis, self.data_format)
        # Keras 3 names this weight "kernel" (its path ends in /kernel), though its arguments say "depthwise".
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="kernel",
        )
        self.bias = channel_bias_weight(self, channels * self.depth_multiplier)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def call(self, inputs):
        outputs = ops.depthwise_conv(
            inputs, self.kernel, self.strides, self.padding, self.data_format, self.dilation_rate
        )
        return self.activation(add_channel_bias(outputs, self.bias, self.data_format, self.rank))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config


@_registry.builtin
class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution over `(batch, steps, channels)` (or channels first): each channel is filtered on
    its own by `depth_multiplier` filters.

    Args:
        kernel_size: int; the window size.
        strides: int; the step between windows.
        padding: "valid" (no padding) or "same" (output length `ceil(steps / strides)`).
        depth_multiplier: number of filters per input channel.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int; the spacing of the kernel taps.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: initializers of the `(kernel_size, channels, depth_multiplier)`
            kernel and the `(channels * depth_multiplier,)` bias.
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        depthwise_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, steps, channels)` tensor (channels_last), or `(batch, channels, steps)` (channels_first).

    Output shape: `(batch, new_steps, channels * depth_multiplier)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.DepthwiseConv1D(2, depthwise_initializer="ones")
        >>> x = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]).reshape((1, 3, 2))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0])
        [[ 3. 30.]
         [ 5. 50.]]
        >>> kerasx.layers.DepthwiseConv1D(3, depth_multiplier=2)(kerasx.Input(shape=(10, 4))).shape
        (None, 8, 8)
    """

    def __init__(self, kernel_size: IntOrTuple, strides: IntOrTuple = 1, padding: Padding = "valid",
                 depth_multiplier: int = 1, data_format: DataFormat = None, dilation_rate: IntOrTuple = 1,
                 **kwargs):
        super().__init__(1, kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, **kwargs)


@_registry.builtin
class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution over `(batch, height, width, channels)` (or channels first): each channel is
    filtered on its own by `depth_multiplier` filters (the first half of a separable convolution).

    Args:
        kernel_size: int or tuple of 2 ints; the window size.
        strides: int or tuple of 2 ints; the step between windows.
        padding: "valid" (no padding) or "same" (output size `ceil(size / stride)`).
        depth_multiplier: number of filters per input channel.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int or tuple of 2 ints; the spacing of the kernel taps.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: initializers of the `(*kernel_size, channels, depth_multiplier)`
            kernel and the `(channels * depth_multiplier,)` bias.
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        depthwise_constraint, bias_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, height, width, channels)` tensor (channels_last),
            or `(batch, channels, height, width)` (channels_first).

    Output shape: `(batch, new_height, new_width, channels * depth_multiplier)` (channels_last).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.DepthwiseConv2D(2, depthwise_initializer="ones")
        >>> x = np.arange(9.0).reshape((1, 3, 3, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, :, 0])
        [[ 8. 12.]
         [20. 24.]]
        >>> kerasx.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same")(kerasx.Input(shape=(8, 8, 3))).shape
        (None, 8, 8, 6)
    """

    def __init__(self, kernel_size: IntOrTuple, strides: IntOrTuple = (1, 1), padding: Padding = "valid",
                 depth_multiplier: int = 1, data_format: DataFormat = None, dilation_rate: IntOrTuple = (1, 1),
                 **kwargs):
        super().__init__(2, kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, **kwargs)
