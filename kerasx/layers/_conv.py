"""Convolution layers: `Conv1D`, `Conv2D`, `Conv3D` and their shared base `BaseConv`."""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.backend import active
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.layers._lora import LoraMixin
from kerasx.ops import KerasTensor
from kerasx.ops._types import DataFormat, Padding
from kerasx.serialization import _registry

BAD_FILTERS = "{cls}: `filters` must be a positive int. Received: filters={filters!r}."
BAD_GROUPS = (
    "{cls}: `groups` must be a positive int that divides `filters`. Received: groups={groups!r}, filters={filters}."
)
STRIDES_AND_DILATION = (
    "{cls}: strides > 1 together with dilation_rate > 1 is not supported. Received: strides={strides}, "
    "dilation_rate={dilation_rate}. Use one of the two."
)
UNKNOWN_CHANNELS = (
    "Layer '{name}' ({cls}) needs the number of input channels (axis {axis}, data_format={data_format!r}) to "
    "create its kernel, but it is unknown. Received: input_shape={shape}."
)
CHANNELS_NOT_DIVISIBLE = (
    "Layer '{name}' ({cls}) has groups={groups}, which must divide the number of input channels. Received: "
    "input_shape={shape} with {channels} channels (data_format={data_format!r})."
)


def add_channel_bias(outputs, bias, data_format: str, rank: int):
    """`outputs + bias` with the bias along the channel axis of `data_format` (no-op when `bias` is None)."""
    if bias is None:
        return outputs
    if data_format == "channels_first":
        bias = ops.reshape(bias, (-1,) + (1,) * rank)
    return ops.add(outputs, bias)


def fusable_bias(inputs, kernel, bias) -> bool:
    """Whether the engine may add `bias` inside its convolution kernel (`nn.conv_bias`): a bias, concrete inputs,
    and one float32/float64 dtype for inputs, kernel and bias (mixed dtypes go through the ops' promotion)."""
    if bias is None or isinstance(inputs, KerasTensor):
        return False
    dtype = ops.dtype(inputs)
    return dtype in ("float32", "float64") and ops.dtype(kernel) == dtype and ops.dtype(bias) == dtype


def channel_bias_weight(layer, size: int):
    """The `(size,)` bias of a convolution layer from its bias initializer, regularizer and constraint, or None when
    the layer has `use_bias=False`."""
    if not layer.use_bias:
        return None
    return layer.add_weight(
        shape=(size,),
        initializer=layer.bias_initializer,
        regularizer=layer.bias_regularizer,
        constraint=layer.bias_constraint,
        name="bias",
    )


def input_channels(layer: Layer, input_shape, channel_axis: int, data_format: str) -> int:
    """The channel count of `input_shape`, or the error saying that `layer` needs it to create its kernel."""
    channels = input_shape[channel_axis]
    if channels is None:
        raise ValueError(
            UNKNOWN_CHANNELS.format(
                name=layer.name, cls=type(layer).__name__, axis=channel_axis, data_format=data_format,
                shape=input_shape,
            )
        )
    return channels


class BaseConv(LoraMixin, Layer):
    """N-D convolution `activation(conv(inputs, kernel) + bias)`; Conv1D/2D/3D fix the rank.

    Args:
        rank: number of spatial axes (1, 2 or 3).
        filters: number of output channels.
        kernel_size: int or tuple of `rank` ints, the window.
        strides: int or tuple of `rank` ints.
        padding: "valid", "same" (output size `ceil(input / stride)`), or "causal" (Conv1D only: the output at
            step t sees inputs up to t).
        data_format: "channels_last" `(batch, *spatial, channels)` or "channels_first" `(batch, channels, *spatial)`;
            None means `image_data_format()`.
        dilation_rate: int or tuple of `rank` ints; cannot be combined with strides > 1.
        groups: split the input channels into `groups` groups, each convolved with `filters // groups` filters.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, in_channels // groups, filters)`
            kernel and `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        lora_rank: when set, the layer is built with LoRA on (see `enable_lora`): the kernel is frozen and a
            trainable update `lora_alpha / lora_rank * A @ B` of that rank is added to it.
        lora_alpha: scale numerator of the LoRA update; defaults to `lora_rank`.
        **kwargs: base Layer arguments.
    """

    # XLA's CPU convolutions run ~3x slower than TensorFlow's own kernels: jit_compile="auto" leaves XLA off for
    # models with convolutions on a CPU-only TensorFlow.
    _slow_under_cpu_xla = True


    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_lora(lora_rank, lora_alpha)
        cls = type(self).__name__
        self.rank = rank
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(BAD_FILTERS.format(cls=cls, filters=filters))
        if isinstance(groups, bool) or not isinstance(groups, int) or groups <= 0 or filters % groups:
            raise ValueError(BAD_GROUPS.format(cls=cls, groups=groups, filters=filters))
        self.filters = filters
        self.groups = groups
        self.kernel_size = _arguments.int_tuple(cls, kernel_size, rank, "kernel_size")
        self.strides = _arguments.int_tuple(cls, strides, rank, "strides")
        self.dilation_rate = _arguments.int_tuple(cls, dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                STRIDES_AND_DILATION.format(cls=cls, strides=self.strides, dilation_rate=self.dilation_rate)
            )
        allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        self.padding: _arguments.PaddingMode = _arguments.padding_mode(cls, padding, allowed)
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
        cls = type(self).__name__
        if channels % self.groups:
            raise ValueError(
                CHANNELS_NOT_DIVISIBLE.format(
                    name=self.name, cls=cls, groups=self.groups, shape=input_shape, channels=channels,
                    data_format=self.data_format,
                )
            )
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = channel_bias_weight(self, self.filters)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})
        self.built = True
        self._build_lora()

    def _saved_variables(self) -> dict:
        # Keras 3 saves the kernel (LoRA merged in) then the bias, whatever became trainable since.
        weights = [self._saved_target()] + ([self.bias] if self.bias is not None else [])
        return {str(i): w for i, w in enumerate(weights)} if self.built else {}

    def call(self, inputs):
        padding = self.padding
        if padding == "causal":
            # Causal = left-pad the time axis by the dilated window minus one, then a "valid" convolution.
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            time_axis = 1 if self.data_format == "channels_last" else 2
            pad_width = [(0, 0)] * 3
            pad_width[time_axis] = (left, 0)
            inputs = ops.pad(inputs, pad_width)
            padding = "valid"
        kernel = self._lora_merged() if self.lora_enabled else self.kernel
        if fusable_bias(inputs, kernel, self.bias):
            outputs = active.nn.conv_bias(
                inputs, ops.convert_to_tensor(kernel), ops.convert_to_tensor(self.bias), self.strides, padding,
                self.data_format, self.dilation_rate,
            )
            if outputs is not None:
                return self.activation(outputs)
        outputs = ops.conv(inputs, kernel, self.strides, padding, self.data_format, self.dilation_rate)
        return self.activation(add_channel_bias(outputs, self.bias, self.data_format, self.rank))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "groups": self.groups,
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
        return self._lora_config(config)


@_registry.builtin
class Conv1D(BaseConv):
    """1D convolution over `(batch, steps, channels)` (or `(batch, channels, steps)`).

    Args:
        filters: number of output channels.
        kernel_size: int; the window size.
        strides: int; the step between windows.
        padding: "valid" (no padding) or "same" (output size `ceil(input / stride)`),
            or "causal" (zeros on the left only: the output at step t sees the inputs up to t).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int; the spacing of the kernel taps; cannot be combined with strides > 1.
        groups: split the input channels into `groups` groups, each convolved with `filters // groups` filters.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, in_channels // groups, filters)`
            kernel and the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        lora_rank, lora_alpha: build the layer with LoRA on (see `enable_lora`): the kernel frozen, plus a
            trainable update `lora_alpha / lora_rank * A @ B`; `lora_alpha` defaults to `lora_rank`.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, steps, channels)` tensor (channels_last),
            or `(batch, channels, steps)` (channels_first).

    Output shape: `(batch, new_steps, filters)` (channels_last); each spatial size is
    `ceil((size - dilated_kernel_size + 1) / stride)` with "valid", `ceil(size / stride)` with "same".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Conv1D(1, kernel_size=2, kernel_initializer="ones")
        >>> x = np.array([1.0, 2.0, 3.0, 4.0]).reshape((1, 4, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, 0])
        [3. 5. 7.]
        >>> causal = kerasx.layers.Conv1D(1, kernel_size=2, padding="causal", kernel_initializer="ones")
        >>> print(kerasx.ops.convert_to_numpy(causal(x))[0, :, 0])
        [1. 3. 5. 7.]
    """

    def __init__(self, filters, kernel_size, strides=1, padding: _arguments.PaddingMode = "valid",
                 data_format: DataFormat = None, dilation_rate=1, groups=1, lora_rank: int | None = None,
                 lora_alpha: float | None = None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                         lora_rank=lora_rank, lora_alpha=lora_alpha, **kwargs)


@_registry.builtin
class Conv2D(BaseConv):
    """2D convolution over `(batch, height, width, channels)` (or channels first).

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 2 ints; the window size.
        strides: int or tuple of 2 ints; the step between windows.
        padding: "valid" (no padding) or "same" (output size `ceil(input / stride)`).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int or tuple of 2 ints; the spacing of the kernel taps; cannot be combined with strides > 1.
        groups: split the input channels into `groups` groups, each convolved with `filters // groups` filters.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, in_channels // groups, filters)`
            kernel and the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        lora_rank, lora_alpha: build the layer with LoRA on (see `enable_lora`): the kernel frozen, plus a
            trainable update `lora_alpha / lora_rank * A @ B`; `lora_alpha` defaults to `lora_rank`.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, height, width, channels)` tensor (channels_last),
            or `(batch, channels, height, width)` (channels_first).

    Output shape: `(batch, new_height, new_width, filters)` (channels_last); each spatial size is
    `ceil((size - dilated_kernel_size + 1) / stride)` with "valid", `ceil(size / stride)` with "same".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Conv2D(1, kernel_size=2, kernel_initializer="ones")
        >>> x = np.arange(9.0).reshape((1, 3, 3, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, :, 0])
        [[ 8. 12.]
         [20. 24.]]
        >>> kerasx.layers.Conv2D(16, 3, strides=2, padding="same")(kerasx.Input(shape=(28, 28, 3))).shape
        (None, 14, 14, 16)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding: Padding = "valid", data_format: DataFormat = None,
                 dilation_rate=(1, 1), groups=1, lora_rank: int | None = None,
                 lora_alpha: float | None = None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                         lora_rank=lora_rank, lora_alpha=lora_alpha, **kwargs)


@_registry.builtin
class Conv3D(BaseConv):
    """3D convolution over `(batch, depth, height, width, channels)` (or channels first).

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 3 ints; the window size.
        strides: int or tuple of 3 ints; the step between windows.
        padding: "valid" (no padding) or "same" (output size `ceil(input / stride)`).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: int or tuple of 3 ints; the spacing of the kernel taps; cannot be combined with strides > 1.
        groups: split the input channels into `groups` groups, each convolved with `filters // groups` filters.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(*kernel_size, in_channels // groups, filters)`
            kernel and the `(filters,)` bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        lora_rank, lora_alpha: build the layer with LoRA on (see `enable_lora`): the kernel frozen, plus a
            trainable update `lora_alpha / lora_rank * A @ B`; `lora_alpha` defaults to `lora_rank`.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, depth, height, width, channels)` tensor (channels_last),
            or `(batch, channels, depth, height, width)` (channels_first).

    Output shape: `(batch, new_depth, new_height, new_width, filters)` (channels_last); each spatial size is
    `ceil((size - dilated_kernel_size + 1) / stride)` with "valid", `ceil(size / stride)` with "same".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Conv3D(1, kernel_size=2, kernel_initializer="ones")
        >>> print(kerasx.ops.convert_to_numpy(layer(np.ones((1, 2, 2, 2, 1)))).reshape(-1))
        [8.]
        >>> kerasx.layers.Conv3D(8, 3)(kerasx.Input(shape=(10, 10, 10, 1))).shape
        (None, 8, 8, 8, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding: Padding = "valid",
                 data_format: DataFormat = None, dilation_rate=(1, 1, 1), groups=1, lora_rank: int | None = None,
                 lora_alpha: float | None = None, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                         lora_rank=lora_rank, lora_alpha=lora_alpha, **kwargs)
