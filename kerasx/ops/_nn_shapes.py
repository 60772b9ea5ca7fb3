"""Argument checks and output shapes of the nn ops (convolutions, pools, encodings, attention).

Both the eager op and its symbolic spec call these, so a bad argument raises the same error either way.
"""

from __future__ import annotations

import operator
from typing import NamedTuple

from kerasx.backend import _config
from kerasx.backend import _conv_geometry as geometry

BAD_PADDING = (
    'Unknown padding. Received: padding={padding!r}. Expected "valid" (no padding) or "same" (pad so that the '
    "output has ceil(input_size / stride) cells)."
)
BAD_INT_TUPLE = (
    "`{name}` must be a positive int or a tuple of {count} positive ints (one per spatial axis). "
    "Received: {name}={value!r}."
)
BAD_INPUT_RANK = (
    "`{op}` takes `inputs` of rank {ranks}: (batch, *spatial, channels) for channels_last or "
    "(batch, channels, *spatial) for channels_first. Received: inputs.shape={shape}. Add a batch axis "
    "(e.g. `inputs[None]`) or a channel axis if one is missing."
)
BAD_KERNEL_RANK = (
    "`{op}`: `{kernel}` must have the rank of `inputs` ({rank}), laid out as {layout}. "
    "Received: {kernel}.shape={kernel_shape}, inputs.shape={shape}."
)
CHANNEL_MISMATCH = (
    "`{op}`: the input has {channels} channels (data_format={data_format!r}) but the kernel expects {expected}. "
    "Received: inputs.shape={shape}, kernel.shape={kernel_shape}. {hint}"
)
GROUPED_CHANNELS_HINT = (
    "The input channels must be a multiple of kernel.shape[-2] (the groups are input channels // kernel.shape[-2]) "
    "and kernel.shape[-1] a multiple of the groups. Check data_format and the kernel layout "
    "(*spatial, in_channels // groups, out_channels)."
)
EMPTY_OUTPUT = (
    "`{op}` would produce an empty output: spatial input size {size} is smaller than the window {window} with "
    'padding="valid". Received: inputs.shape={shape}. Use padding="same", a smaller window, or a larger input.'
)
BAD_OUTPUT_PADDING = (
    "`conv_transpose`: each `output_padding` must be >= 0 and smaller than the matching stride. "
    "Received: output_padding={output_padding}, strides={strides}."
)


class ConvArguments(NamedTuple):
    strides: tuple
    padding: str
    data_format: str
    dilation_rate: tuple


def padding_mode(padding) -> str:
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(BAD_PADDING.format(padding=padding))
    return mode


def _positive_int(value):
    """`value` as an int if it is a positive integer (Python or NumPy), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = operator.index(value)
    except TypeError:
        return None
    return number if number > 0 else None


def int_tuple(value, count: int, name: str) -> tuple:
    single = _positive_int(value)
    try:
        values = (single,) * count if single is not None else tuple(_positive_int(v) for v in value)
    except TypeError:
        values = ()
    if len(values) != count or None in values:
        raise ValueError(BAD_INT_TUPLE.format(name=name, count=count, value=value))
    return values


def spatial_rank(op_name: str, shape, ranks=(3, 4, 5)) -> int:
    if len(shape) not in ranks:
        raise ValueError(BAD_INPUT_RANK.format(op=op_name, ranks=" or ".join(map(str, ranks)), shape=tuple(shape)))
    return len(shape) - 2


def split_layout(shape, data_format: str) -> tuple:
    """(batch, spatial sizes, channels) of a batched input."""
    if data_format == "channels_last":
        return shape[0], tuple(shape[1:-1]), shape[-1]
    return shape[0], tuple(shape[2:]), shape[1]


def join_layout(batch, spatial, channels, data_format: str) -> tuple:
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def check_kernel_rank(op_name, kernel_name, shape, kernel_shape, layout) -> None:
    if len(kernel_shape) != len(shape):
        raise ValueError(
            BAD_KERNEL_RANK.format(
                op=op_name,
                kernel=kernel_name,
                rank=len(shape),
                layout=layout,
                kernel_shape=tuple(kernel_shape),
                shape=tuple(shape),
            )
        )


def window_arguments(op_name, shape, strides, padding, data_format, dilation_rate, ranks=(3, 4, 5)):
    """Validated, normalized ConvArguments of a convolution or pool over an input of `shape`."""
    num_spatial = spatial_rank(op_name, shape, ranks)
    return ConvArguments(
        strides=int_tuple(strides, num_spatial, "strides"),
        padding=padding_mode(padding),
        data_format=_config.standardize_data_format(data_format),
        dilation_rate=int_tuple(dilation_rate, num_spatial, "dilation_rate"),
    )


def window_output_sizes(op_name, shape, window, args: ConvArguments) -> tuple:
    _, spatial, _ = split_layout(shape, args.data_format)
    sizes = tuple(
        geometry.output_length(n, k, s, args.padding, d)
        for n, k, s, d in zip(spatial, window, args.strides, args.dilation_rate)
    )
    if any(size is not None and size <= 0 for size in sizes):
        extents = tuple(geometry.dilated_size(k, d) for k, d in zip(window, args.dilation_rate))
        raise ValueError(EMPTY_OUTPUT.format(op=op_name, size=spatial, window=extents, shape=tuple(shape)))
    return sizes


def conv_output_shape(op_name, shape, kernel_shape, args: ConvArguments) -> tuple:
    """Output shape of `conv`; checks that the input channels match the kernel (groups = channels // in)."""
    batch, _, channels = split_layout(shape, args.data_format)
    in_per_group, out_channels = kernel_shape[-2], kernel_shape[-1]
    if channels is not None and in_per_group is not None:
        groups = channels // in_per_group if in_per_group else 0
        if groups == 0 or channels % in_per_group or (out_channels is not None and out_channels % groups):
            raise ValueError(
                CHANNEL_MISMATCH.format(
                    op=op_name,
                    channels=channels,
                    data_format=args.data_format,
                    expected=f"a multiple of {in_per_group}",
                    shape=tuple(shape),
                    kernel_shape=tuple(kernel_shape),
                    hint=GROUPED_CHANNELS_HINT,
                )
            )
    sizes = window_output_sizes(op_name, shape, kernel_shape[:-2], args)
    return join_layout(batch, sizes, out_channels, args.data_format)


def check_channels(op_name, shape, kernel_shape, expected, data_format, hint) -> None:
    _, _, channels = split_layout(shape, data_format)
    if channels is not None and expected is not None and channels != expected:
        raise ValueError(
            CHANNEL_MISMATCH.format(
                op=op_name,
                channels=channels,
                data_format=data_format,
                expected=expected,
                shape=tuple(shape),
                kernel_shape=tuple(kernel_shape),
                hint=hint,
            )
        )


def output_padding_tuple(output_padding, strides) -> tuple | None:
    if output_padding is None:
        return None
    try:
        values = (operator.index(output_padding),) * len(strides)
    except TypeError:
        try:
            values = tuple(operator.index(p) for p in output_padding)
        except TypeError:
            values = ()
    if len(values) != len(strides) or not all(0 <= p < s for p, s in zip(values, strides)):
        raise ValueError(BAD_OUTPUT_PADDING.format(output_padding=output_padding, strides=strides))
    return values


def conv_transpose_output_shape(shape, kernel_shape, args: ConvArguments, output_padding) -> tuple:
    batch, spatial, _ = split_layout(shape, args.data_format)
    extra = output_padding if output_padding is not None else (None,) * len(spatial)
    sizes = tuple(
        geometry.transpose_output_length(n, k, s, args.padding, p, d)
        for n, k, s, p, d in zip(spatial, kernel_shape[:-2], args.strides, extra, args.dilation_rate)
    )
    return join_layout(batch, sizes, kernel_shape[-2], args.data_format)
