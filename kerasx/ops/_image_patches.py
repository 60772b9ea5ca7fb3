"""Patches of images and volumes laid out as channels: a convolution with an identity kernel, as Keras 3 computes
them, so strides, dilation and "same" padding behave as in `conv`."""

from __future__ import annotations

import numpy as np

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import data_format_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Padding, Tensor, TensorLike

_np = active.numpy
_nn = active.nn

BAD_SIZE_TYPE = "Invalid `size` argument. Expected an int or a tuple. Received: size={size} of type {type}"
BAD_SIZE_LENGTH = "Invalid `size` argument. Expected a tuple of length {lengths}. Received: size={size}"
BAD_STRIDES = "Invalid `strides` argument: one per patch axis ({rank}). Received: strides={strides}"
BAD_RANK = "`{name}` needs a {rank}-D input or a batch of them ({batched}-D). Received: {arg}.shape={shape}"


def _output_size(size, kernel, stride, padding, dilation):
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return max((size - dilation * (kernel - 1) - 1) // stride + 1, 0)


def _patch_size(size, rank):
    if isinstance(size, int):
        return (size,) * rank
    if not isinstance(size, (tuple, list)):
        raise TypeError(BAD_SIZE_TYPE.format(size=size, type=type(size).__name__))
    if len(size) != rank:
        raise ValueError(BAD_SIZE_LENGTH.format(lengths=rank, size=size))
    return tuple(int(s) for s in size)


def _strides(strides, size, rank):
    strides = strides if strides else size
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    if len(strides) != rank:
        raise ValueError(BAD_STRIDES.format(rank=rank, strides=strides))
    return strides


def _plan(name, arg, x, size, strides, dilation_rate, padding, data_format, rank):
    data_format = data_format_of(data_format)
    shape = tuple(shape_of(x))
    if len(shape) not in (rank + 1, rank + 2):
        raise ValueError(BAD_RANK.format(name=name, rank=rank + 1, batched=rank + 2, arg=arg, shape=shape))
    size = _patch_size(size, rank)
    strides = _strides(strides, size, rank)
    batched = shape if len(shape) == rank + 2 else (1,) + shape
    channels = batched[-1] if data_format == "channels_last" else batched[1]
    spatial = batched[1:-1] if data_format == "channels_last" else batched[2:]
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, int) else tuple(dilation_rate)
    out = tuple(
        _output_size(d, k, s, padding.lower(), r) for d, k, s, r in zip(spatial, size, strides, dilation)
    )
    filters = None if channels is None else int(np.prod(size)) * channels
    full = (batched[0],) + (out + (filters,) if data_format == "channels_last" else (filters,) + out)
    return size, strides, dilation, data_format, full if len(shape) == rank + 2 else full[1:]


def _patches(x, size, strides, dilation, padding, data_format, unbatched):
    channels = shape_of(x)[-1 if data_format == "channels_last" else -len(size) - 1]
    depth = int(np.prod(size)) * channels
    kernel = tensor(np.eye(depth).reshape(size + (channels, depth)), dtype_of(x))
    if unbatched:
        x = _np.expand_dims(x, 0)
    patches = _nn.conv(x, kernel, strides, padding, data_format, dilation)
    return _np.squeeze(patches, 0) if unbatched else patches


def _extract_patches_spec(images, size, strides=None, dilation_rate: int | tuple[int, ...] = 1, padding="valid",
                          data_format=None) -> KerasTensor:
    rank = 3 if not isinstance(size, int) and isinstance(size, (tuple, list)) and len(size) == 3 else 2
    if not isinstance(size, (int, tuple, list)):
        raise TypeError(BAD_SIZE_TYPE.format(size=size, type=type(size).__name__))
    if not isinstance(size, int) and len(size) not in (2, 3):
        raise ValueError(BAD_SIZE_LENGTH.format(lengths="2 or 3", size=size))
    *_, out_shape = _plan("extract_patches", "images", images, size, strides, dilation_rate, padding, data_format,
                          rank)
    return KerasTensor(out_shape, dtype_of(images))


@op(_extract_patches_spec)
def extract_patches(images: TensorLike, size: int | tuple[int, ...], strides: int | tuple[int, ...] | None = None,
                    dilation_rate: int | tuple[int, ...] = 1, padding: Padding = "valid",
                    data_format: DataFormat = None) -> Tensor:
    """Patches of `size` pixels of images, each flattened into the channel axis.

    A 3-tuple `size` extracts 3-D patches of volumes (as `extract_patches_3d`).

    Args:
        images: a 3-D image or a 4-D batch (4-D / 5-D for 3-D patches).
        size: patch size, an int or `(height, width)` (or `(depth, height, width)`).
        strides: step between patches; None means `size` (patches side by side).
        dilation_rate: spacing between a patch's pixels.
        padding: "valid" (only whole patches) or "same" (zero padding, `ceil(size / stride)` patches).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        A tensor with one patch per output pixel, `patch_height * patch_width * channels` values in the channel
        axis (row-major over the patch, channels fastest).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(16.0, dtype="float32").reshape(4, 4, 1)
        >>> ops.convert_to_numpy(ops.image.extract_patches(x, 2))[0, 0]
        array([0., 1., 4., 5.], dtype=float32)
    """
    _extract_patches_spec(images, size, strides, dilation_rate, padding, data_format)
    rank = 3 if not isinstance(size, int) and len(size) == 3 else 2
    x = tensor(images)
    size, strides, dilation, data_format, _ = _plan("extract_patches", "images", x, size, strides, dilation_rate,
                                                    padding, data_format, rank)
    return _patches(x, size, strides, dilation, padding, data_format, len(shape_of(x)) == rank + 1)


def _extract_patches_3d_spec(volumes, size, strides=None, dilation_rate=1, padding="valid",
                             data_format=None) -> KerasTensor:
    *_, out_shape = _plan("extract_patches_3d", "volumes", volumes, size, strides, dilation_rate, padding,
                          data_format, 3)
    return KerasTensor(out_shape, dtype_of(volumes))


@op(_extract_patches_3d_spec)
def extract_patches_3d(volumes: TensorLike, size: int | tuple[int, int, int],
                       strides: int | tuple[int, int, int] | None = None,
                       dilation_rate: int | tuple[int, int, int] = 1, padding: Padding = "valid",
                       data_format: DataFormat = None) -> Tensor:
    """Patches of `size` voxels of volumes, each flattened into the channel axis.

    Args:
        volumes: a 4-D volume `(depth, height, width, channels)` or a 5-D batch (channels first with
            "channels_first").
        size: patch size, an int or `(depth, height, width)`.
        strides: step between patches; None means `size`.
        dilation_rate: spacing between a patch's voxels.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        A tensor with one patch per output voxel, `d * h * w * channels` values in the channel axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(8.0, dtype="float32").reshape(2, 2, 2, 1)
        >>> ops.convert_to_numpy(ops.image.extract_patches_3d(x, 2))[0, 0, 0]
        array([0., 1., 2., 3., 4., 5., 6., 7.], dtype=float32)
    """
    x = tensor(volumes)
    patch, step, dilation, layout, _ = _plan("extract_patches_3d", "volumes", x, size, strides, dilation_rate,
                                             padding, data_format, 3)
    return _patches(x, patch, step, dilation, padding, layout, len(shape_of(x)) == 4)


__all__ = ["extract_patches", "extract_patches_3d"]
