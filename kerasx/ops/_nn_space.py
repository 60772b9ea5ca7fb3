"""Moving values between space and channels: depth_to_space / space_to_depth (pixel shuffle), and unfold / fold
(sliding blocks to columns and back, as torch's `nn.Unfold` / `nn.Fold`), all as static reshapes, strided slices
and one segment sum, so they run and differentiate on every engine."""

from __future__ import annotations

import numpy as np

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._math_segment import segment_sum
from kerasx.ops._np_rearrange import pad
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_BLOCK = (
    "`{name}` needs a 4-D tensor, a block_size >= 2 and {what} divisible by it (data_format {data_format!r}). "
    "Received: x.shape={shape}, block_size={block_size!r}."
)
BAD_DATA_FORMAT = (
    "`data_format` must be \"channels_last\" or \"channels_first\". Received: data_format={data_format!r}."
)
BAD_UNFOLD_INPUT = "`{name}` needs a 4-D input {layout}. Received: x.shape={shape}."
BAD_WINDOW = (
    "`{name}`: the padded size {padded} is smaller than the dilated kernel {kernel} along axis {axis}. Received: "
    "kernel_size={kernel_size}, dilation={dilation}, padding={padding}."
)
BAD_FOLD_BLOCKS = (
    "`fold`: x.shape[1] must be C * {kernel_area} (kernel {kernel_size}) and x.shape[2] the {blocks} blocks that "
    "fit output_size={output_size}. Received: x.shape={shape}."
)

_IntOrPair = int | tuple[int, int]


def _pair(value) -> tuple:
    return (int(value), int(value)) if isinstance(value, int) else tuple(int(v) for v in value)


def _check_format(data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(BAD_DATA_FORMAT.format(data_format=data_format))


def _depth_to_space_spec(x, block_size, data_format="channels_last") -> KerasTensor:
    _check_format(data_format)
    shape = tuple(shape_of(x))
    channel = 3 if data_format == "channels_last" else 1
    if len(shape) != 4 or not isinstance(block_size, int) or block_size < 2 or (
        shape[channel] is not None and shape[channel] % (block_size * block_size)
    ):
        raise ValueError(BAD_BLOCK.format(name="depth_to_space", what="channels divisible by block_size**2",
                                          data_format=data_format, shape=shape, block_size=block_size))

    def scaled(d):
        return None if d is None else d * block_size

    channels = None if shape[channel] is None else shape[channel] // block_size**2
    if data_format == "channels_last":
        return KerasTensor((shape[0], scaled(shape[1]), scaled(shape[2]), channels), dtype_of(x))
    return KerasTensor((shape[0], channels, scaled(shape[2]), scaled(shape[3])), dtype_of(x))


@op(_depth_to_space_spec)
def depth_to_space(x: TensorLike, block_size: int, data_format: str = "channels_last") -> Tensor:
    """Channels moved into `block_size x block_size` spatial blocks (pixel shuffle).

    Channels-last input is split as (block row, block column, channel), channels-first as (channel, block row,
    block column), as in Keras 3.

    Args:
        x: a 4-D tensor, `(batch, height, width, channels)` or `(batch, channels, height, width)`.
        block_size: the block side, at least 2; the channels must be divisible by `block_size ** 2`.
        data_format: "channels_last" or "channels_first".

    Returns:
        A tensor with `block_size` times the height and width and `block_size ** 2` times fewer channels.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.depth_to_space(np.arange(4).reshape(1, 1, 1, 4), 2))[0, :, :, 0]
        array([[0, 1],
               [2, 3]])
    """
    spec = _depth_to_space_spec(x, block_size, data_format)
    x = tensor(x)
    n, b = shape_of(x)[0], block_size
    if data_format == "channels_last":
        _, h, w, c = shape_of(x)
        x = _np.reshape(x, (n, h, w, b, b, c // (b * b)))
        x = _np.transpose(x, (0, 1, 3, 2, 4, 5))
    else:
        _, c, h, w = shape_of(x)
        x = _np.reshape(x, (n, c // (b * b), b, b, h, w))
        x = _np.transpose(x, (0, 1, 4, 2, 5, 3))
    return _np.reshape(x, (n,) + tuple(spec.shape[1:]))


def _space_to_depth_spec(x, block_size, data_format="channels_last") -> KerasTensor:
    _check_format(data_format)
    shape = tuple(shape_of(x))
    spatial = (1, 2) if data_format == "channels_last" else (2, 3)
    if len(shape) != 4 or not isinstance(block_size, int) or block_size < 2 or any(
        shape[a] is not None and shape[a] % block_size for a in spatial
    ):
        raise ValueError(BAD_BLOCK.format(name="space_to_depth", what="height and width", data_format=data_format,
                                          shape=shape, block_size=block_size))

    def shrunk(d):
        return None if d is None else d // block_size

    channel = 3 if data_format == "channels_last" else 1
    channels = None if shape[channel] is None else shape[channel] * block_size**2
    if data_format == "channels_last":
        return KerasTensor((shape[0], shrunk(shape[1]), shrunk(shape[2]), channels), dtype_of(x))
    return KerasTensor((shape[0], channels, shrunk(shape[2]), shrunk(shape[3])), dtype_of(x))


@op(_space_to_depth_spec)
def space_to_depth(x: TensorLike, block_size: int, data_format: str = "channels_last") -> Tensor:
    """Spatial `block_size x block_size` blocks moved into channels: the inverse of `depth_to_space`.

    Args:
        x: a 4-D tensor, `(batch, height, width, channels)` or `(batch, channels, height, width)`; height and
            width divisible by `block_size`.
        block_size: the block side, at least 2.
        data_format: "channels_last" or "channels_first".

    Returns:
        A tensor with `block_size` times smaller height and width and `block_size ** 2` times the channels.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.space_to_depth(np.arange(4).reshape(1, 2, 2, 1), 2)).ravel()
        array([0, 1, 2, 3])
    """
    spec = _space_to_depth_spec(x, block_size, data_format)
    x = tensor(x)
    n, b = shape_of(x)[0], block_size
    if data_format == "channels_last":
        _, h, w, c = shape_of(x)
        x = _np.reshape(x, (n, h // b, b, w // b, b, c))
        x = _np.transpose(x, (0, 1, 3, 2, 4, 5))
    else:
        _, c, h, w = shape_of(x)
        x = _np.reshape(x, (n, c, h // b, b, w // b, b))
        x = _np.transpose(x, (0, 1, 3, 5, 2, 4))
    return _np.reshape(x, (n,) + tuple(spec.shape[1:]))


def _blocks(name, size, kernel_size, dilation, padding, stride) -> tuple:
    """Number of block positions along each of the two spatial axes of `size` (h, w)."""
    counts = []
    for axis, (d, k, dil, p, s) in enumerate(zip(size, kernel_size, dilation, padding, stride)):
        if d is None:
            counts.append(None)
            continue
        span = dil * (k - 1) + 1
        if d + 2 * p < span:
            raise ValueError(BAD_WINDOW.format(name=name, padded=d + 2 * p, kernel=span, axis=axis,
                                               kernel_size=kernel_size, dilation=dilation, padding=padding))
        counts.append((d + 2 * p - span) // s + 1)
    return tuple(counts)


def _unfold_spec(
    x, kernel_size, dilation: _IntOrPair = 1, padding: _IntOrPair = 0, stride: _IntOrPair = 1
) -> KerasTensor:
    shape = tuple(shape_of(x))
    if len(shape) != 4:
        raise ValueError(BAD_UNFOLD_INPUT.format(name="unfold", layout="(batch, channels, height, width)",
                                                 shape=shape))
    k = _pair(kernel_size)
    rows, cols = _blocks("unfold", shape[2:], k, _pair(dilation), _pair(padding), _pair(stride))
    channels = None if shape[1] is None else shape[1] * k[0] * k[1]
    blocks = None if None in (rows, cols) else rows * cols
    return KerasTensor((shape[0], channels, blocks), dtype_of(x))


@op(_unfold_spec)
def unfold(x: TensorLike, kernel_size: int | tuple[int, int], dilation: int | tuple[int, int] = 1,
           padding: int | tuple[int, int] = 0, stride: int | tuple[int, int] = 1) -> Tensor:
    """Sliding `kernel_size` blocks of a channels-first image batch, flattened into columns (im2col).

    Args:
        x: a tensor of shape `(batch, channels, height, width)`.
        kernel_size: block size, an int or `(kh, kw)`.
        dilation: spacing between the block's elements.
        padding: zeros added on both sides of height and width.
        stride: step between blocks.

    Returns:
        A tensor of shape `(batch, channels * kh * kw, num_blocks)`; column `l` holds block `l` (row-major over
        block positions), channel-major within.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.unfold(np.arange(9.0).reshape(1, 1, 3, 3), 2))[0]
        array([[0., 1., 3., 4.],
               [1., 2., 4., 5.],
               [3., 4., 6., 7.],
               [4., 5., 7., 8.]])
    """
    spec = _unfold_spec(x, kernel_size, dilation, padding, stride)
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    x = tensor(x)
    if ph or pw:
        x = pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, _c, h, w = shape_of(x)
    rows, cols = _blocks("unfold", (h - 2 * ph, w - 2 * pw), (kh, kw), (dh, dw), (ph, pw), (sh, sw))
    patches = [
        x[:, :, i * dh:i * dh + (rows - 1) * sh + 1:sh, j * dw:j * dw + (cols - 1) * sw + 1:sw]
        for i in range(kh)
        for j in range(kw)
    ]
    stacked = _np.stack(patches, axis=2)
    return _np.reshape(stacked, (n,) + tuple(spec.shape[1:]))


def _fold_spec(
    x, output_size, kernel_size, dilation: _IntOrPair = 1, padding: _IntOrPair = 0, stride: _IntOrPair = 1
) -> KerasTensor:
    shape = tuple(shape_of(x))
    if len(shape) != 3:
        raise ValueError(BAD_UNFOLD_INPUT.format(name="fold", layout="(batch, channels * kh * kw, num_blocks)",
                                                 shape=shape))
    size, k = _pair(output_size), _pair(kernel_size)
    rows, cols = _blocks("fold", size, k, _pair(dilation), _pair(padding), _pair(stride))
    area = k[0] * k[1]
    if (shape[1] is not None and shape[1] % area) or (shape[2] is not None and shape[2] != rows * cols):
        raise ValueError(BAD_FOLD_BLOCKS.format(kernel_area=area, kernel_size=k, blocks=rows * cols,
                                                output_size=size, shape=shape))
    channels = None if shape[1] is None else shape[1] // area
    return KerasTensor((shape[0], channels) + size, dtype_of(x))


@op(_fold_spec)
def fold(x: TensorLike, output_size: int | tuple[int, int], kernel_size: int | tuple[int, int],
         dilation: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
         stride: int | tuple[int, int] = 1) -> Tensor:
    """Columns of sliding blocks summed back into an image: the adjoint of `unfold` (overlaps add up).

    Args:
        x: a tensor of shape `(batch, channels * kh * kw, num_blocks)`, laid out as `unfold` returns.
        output_size: the image size `(height, width)` (or an int for both).
        kernel_size: block size, an int or `(kh, kw)`.
        dilation: spacing between the block's elements.
        padding: the padding `unfold` added; it is cut off again.
        stride: step between blocks.

    Returns:
        A tensor of shape `(batch, channels, height, width)`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> columns = ops.unfold(np.ones((1, 1, 3, 3)), 2)
        >>> ops.convert_to_numpy(ops.fold(columns, (3, 3), 2))[0, 0]
        array([[1., 2., 1.],
               [2., 4., 2.],
               [1., 2., 1.]])
    """
    spec = _fold_spec(x, output_size, kernel_size, dilation, padding, stride)
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (
        _pair(v) for v in (output_size, kernel_size, dilation, padding, stride)
    )
    rows, cols = _blocks("fold", (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw))
    x = tensor(x)
    n, channels = shape_of(x)[0], spec.shape[1]
    height, width = h + 2 * ph, w + 2 * pw
    # Padded-image position of every (kernel row, kernel column, block row, block column), in x's order.
    i, j, r, q = np.meshgrid(np.arange(kh), np.arange(kw), np.arange(rows), np.arange(cols), indexing="ij")
    positions = ((i * dh + r * sh) * width + (j * dw + q * sw)).reshape(-1).astype("int32")
    values = _np.reshape(x, (n, channels, kh * kw * rows * cols))
    values = _np.transpose(values, (2, 0, 1))
    image = segment_sum(values, tensor(positions), num_segments=height * width)
    image = _np.reshape(_np.transpose(image, (1, 2, 0)), (n, channels, height, width))
    return image[:, :, ph:ph + h, pw:pw + w]


__all__ = ["depth_to_space", "fold", "space_to_depth", "unfold"]
