"""Int4 helpers: two 4-bit values packed in one byte (`pack_int4`, `unpack_int4`) and grouped asymmetric
quantization with a zero point (`abs_max_quantize_grouped_with_zero_point`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from kerasx import ops
from kerasx.backend import standardize_dtype

BAD_PACK_DTYPE = "pack_int4/unpack_int4 work on 'int8' or 'uint8'. Received: dtype={dtype!r}."
WRONG_PACK_INPUT = "pack_int4 expects a {dtype} tensor to pack (values in [-8, 7]). Received a {received} tensor."


def _dtype_of(x) -> str:
    return standardize_dtype(x.dtype if isinstance(x, np.ndarray) else ops.dtype(x))


def pack_int4(arr: Any, axis: int = 0, dtype: str = "int8") -> tuple[Any, tuple[int, ...], int]:
    """Packs int4 values (int8 in `[-8, 7]`) two to a byte along `axis`: the first of each pair in the low
    nibble, the second in the high nibble; an odd length is padded with a zero.

    Packing runs in NumPy on the host (it happens once, when a layer is quantized).

    Args:
        arr: `int8` (or `uint8`) tensor of int4 values.
        axis: the axis whose consecutive pairs are packed.
        dtype: "int8" or "uint8", the dtype of `arr` and of the packed tensor.

    Returns:
        `(packed, packed_shape, original_length)`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> packed, shape, length = quantizers.pack_int4(np.array([[-3, 7], [2, -8], [1, 0]], "int8"))
        >>> ops.convert_to_numpy(packed), shape, length
        (array([[  45, -121],
               [   1,    0]], dtype=int8), (2, 2), 3)
    """
    if dtype not in ("int8", "uint8"):
        raise ValueError(BAD_PACK_DTYPE.format(dtype=dtype))
    received = _dtype_of(arr)
    if received != dtype:
        raise TypeError(WRONG_PACK_INPUT.format(dtype=dtype, received=received))
    array = np.moveaxis(ops.convert_to_numpy(arr), axis, 0)
    length = array.shape[0]
    if length % 2:
        array = np.concatenate([array, np.zeros((1,) + array.shape[1:], array.dtype)], axis=0)
    np_dtype = np.dtype(dtype)
    mask = np.array(0x0F, np_dtype)
    low = np.bitwise_and(array[::2].astype(np_dtype), mask)
    high = np.bitwise_and(array[1::2].astype(np_dtype), mask)
    packed = np.bitwise_or(low, np.left_shift(high, np.array(4, np_dtype))).astype(np_dtype)
    packed = np.moveaxis(packed, 0, axis)
    return ops.convert_to_tensor(packed), tuple(packed.shape), length


def unpack_int4(packed: Any, orig_len: int, axis: int = 0, dtype: str = "int8") -> Any:
    """Reverses `pack_int4`: each byte gives back its two int4 values along `axis`, and the padding is dropped.

    Args:
        packed: the packed tensor.
        orig_len: the length of `axis` before packing.
        axis: the packed axis.
        dtype: "int8" (values in `[-8, 7]`) or "uint8" (values in `[0, 15]`).

    Returns:
        The unpacked tensor, of dtype `dtype`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> packed = np.array([[45, -121], [1, 0]], "int8")
        >>> ops.convert_to_numpy(quantizers.unpack_int4(packed, 3))
        array([[-3,  7],
               [ 2, -8],
               [ 1,  0]], dtype=int8)
    """
    if dtype not in ("int8", "uint8"):
        raise ValueError(BAD_PACK_DTYPE.format(dtype=dtype))
    packed = ops.convert_to_tensor(packed)
    rank = len(packed.shape)
    axis = axis + rank if axis < 0 else axis
    perm = [axis] + [i for i in range(rank) if i != axis]
    moved = ops.transpose(packed, tuple(perm)) if axis else packed
    mask = ops.convert_to_tensor(np.array(0x0F, standardize_dtype(moved.dtype)))
    low = ops.bitwise_and(moved, mask)
    high = ops.bitwise_and(ops.right_shift(moved, 4), mask)
    if dtype == "int8":
        # A nibble n in [0, 15] read as a signed 4-bit value is (n ^ 8) - 8.
        eight = ops.convert_to_tensor(np.array(8, standardize_dtype(moved.dtype)))
        low = ops.subtract(ops.bitwise_xor(low, eight), eight)
        high = ops.subtract(ops.bitwise_xor(high, eight), eight)
    pairs = ops.stack([ops.cast(low, dtype), ops.cast(high, dtype)], axis=1)
    unpacked = ops.reshape(pairs, (-1,) + tuple(moved.shape[1:]))[:orig_len]
    if axis:
        unpacked = ops.transpose(unpacked, tuple(perm.index(i) for i in range(rank)))
    return unpacked


def abs_max_quantize_grouped_with_zero_point(
    inputs: Any,
    block_size: int,
    value_range: tuple[int, int] = (-8, 7),
    dtype: str = "int8",
    epsilon: float = 1e-7,
    to_numpy: bool = False,
) -> tuple[Any, Any, Any]:
    """Asymmetric quantization of a 2-D `(input_dim, output_dim)` tensor in groups of `block_size` rows.

    Each group of rows gets, per column, a scale `(max - min + epsilon) / (qmax - qmin)` and a zero point
    `clip(round(-min / scale) + qmin, qmin, qmax)`; the values are `clip(round(x / scale) + zero, qmin, qmax)`.
    The last group is zero-padded when `block_size` does not divide `input_dim`.

    Args:
        inputs: float tensor of shape `(input_dim, output_dim)`.
        block_size: rows per group.
        value_range: `(qmin, qmax)` of the quantized values.
        dtype: dtype of the quantized values.
        epsilon: added to each group's range.
        to_numpy: compute with NumPy on the host.

    Returns:
        `(quantized, scale, zero_point)`: quantized has the inputs' shape; scale and zero point
        `(ceil(input_dim / block_size), output_dim)`, the zero point as int8.

    Example:
        >>> import numpy as np
        >>> from kerasx import quantizers
        >>> q, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(
        ...     np.linspace(-1.0, 2.0, 12, dtype="float32").reshape(6, 2), block_size=4)
        >>> tuple(q.shape), tuple(scale.shape), tuple(zero.shape)
        ((6, 2), (2, 2), (2, 2))
    """
    original_dtype = _dtype_of(inputs)
    qmin, qmax = value_range
    xp_inputs = ops.convert_to_numpy(inputs) if to_numpy else ops.convert_to_tensor(inputs)
    input_dim, output_dim = int(xp_inputs.shape[0]), int(xp_inputs.shape[1])
    num_groups = math.ceil(input_dim / block_size)
    padding = num_groups * block_size - input_dim
    if to_numpy:
        padded = np.concatenate([xp_inputs, np.zeros((padding, output_dim), xp_inputs.dtype)]) if padding else xp_inputs
        grouped = padded.reshape(num_groups, block_size, output_dim)
        low, high = grouped.min(axis=1, keepdims=True), grouped.max(axis=1, keepdims=True)
        scale = np.divide(np.subtract(high, low) + epsilon, qmax - qmin)
        zero = np.clip(np.round(np.divide(-low, scale)) + qmin, qmin, qmax)
        outputs = np.clip(np.round(np.divide(grouped, scale)) + zero, qmin, qmax).astype(dtype)
        outputs = outputs.reshape(-1, output_dim)[:input_dim]
        return (
            ops.convert_to_tensor(outputs),
            ops.convert_to_tensor(np.squeeze(scale, 1), dtype=original_dtype),
            ops.convert_to_tensor(np.squeeze(zero, 1).astype("int8")),
        )
    # The statistics include the zero padding of the last group, as Keras 3's do.
    transposed = ops.transpose(xp_inputs)
    stats = ops.pad(transposed, [(0, 0), (0, padding)]) if padding else transposed
    stats = ops.reshape(stats, (output_dim, num_groups, block_size))
    low, high = ops.min(stats, axis=2), ops.max(stats, axis=2)
    same = ops.equal(low, high)
    low = ops.where(same, ops.subtract(low, 1), low)
    high = ops.where(same, ops.add(high, 1), high)
    levels = ops.cast(2 ** int(math.log2(qmax - qmin + 1)) - 1, original_dtype)
    scale = ops.divide(ops.add(ops.subtract(high, low), epsilon), levels)
    scale = ops.where(ops.less_equal(scale, 0), 1e-8, scale)
    zero = ops.clip(ops.add(ops.round(ops.divide(ops.negative(low), scale)), qmin), qmin, qmax)
    scale, zero = ops.transpose(scale), ops.transpose(zero)
    padded = ops.pad(xp_inputs, [(0, padding), (0, 0)]) if padding else xp_inputs
    grouped = ops.reshape(padded, (num_groups, block_size, output_dim))
    outputs = ops.add(ops.round(ops.divide(grouped, ops.expand_dims(scale, 1))), ops.expand_dims(zero, 1))
    outputs = ops.cast(ops.clip(outputs, qmin, qmax), dtype)
    outputs = ops.reshape(outputs, (num_groups * block_size, output_dim))[:input_dim]
    return outputs, scale, ops.cast(zero, "int8")
