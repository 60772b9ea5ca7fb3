"""`fake_quant_with_min_max_vars`: quantize-then-dequantize within a (trainable) range, with straight-through
gradients."""

from __future__ import annotations

from typing import Any

from kerasx import ops
from kerasx.backend import result_type


def _nudged_range(min_vals, max_vals, num_bits: int, narrow_range: bool):
    """The range moved so that zero is exactly representable: `(nudged_min, nudged_max, scale, inverse_scale)`."""
    dtype = result_type(ops.dtype(min_vals), "float32")
    min_vals, max_vals = ops.cast(min_vals, dtype), ops.cast(max_vals, dtype)
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    width = ops.subtract(max_vals, min_vals)
    scale = ops.divide(width, quant_max - quant_min)
    inverse_scale = ops.divide(quant_max - quant_min, width)
    zero_point = ops.round(ops.clip(quant_min - ops.divide(min_vals, scale), quant_min, quant_max))
    nudged_min = ops.multiply(ops.subtract(quant_min, zero_point), scale)
    nudged_max = ops.multiply(ops.subtract(quant_max, zero_point), scale)
    return nudged_min, nudged_max, scale, inverse_scale


def fake_quant_with_min_max_vars(
    inputs: Any,
    min_vals: Any,
    max_vals: Any,
    num_bits: int = 8,
    narrow_range: bool = False,
    axis: int | None = None,
) -> Any:
    """Fake quantization: clamps `inputs` to `[min_vals, max_vals]`, rounds to `2**num_bits` levels, dequantizes.

    The range is first nudged so that 0.0 falls on a level. Gradients are straight-through: `inputs` receives the
    upstream gradient where it lies inside the nudged range; `min_vals` (`max_vals`) receives the sum of the upstream
    gradient where the input is at or below the nudged minimum (at or above the nudged maximum), per channel when
    `axis` is given.

    Args:
        inputs: float tensor.
        min_vals, max_vals: the range, scalars or, with `axis`, one value per channel.
        num_bits: number of bits of the levels.
        narrow_range: use levels `[1, 2**num_bits - 1]` instead of `[0, 2**num_bits - 1]`.
        axis: channel axis of per-channel ranges; None for one range.

    Returns:
        A tensor like `inputs`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> x = np.array([-1.0, 0.1, 0.5, 3.0], "float32")
        >>> np.round(ops.convert_to_numpy(quantizers.fake_quant_with_min_max_vars(x, 0.0, 1.0, num_bits=2)), 4)
        array([0.    , 0.    , 0.6667, 1.    ], dtype=float32)
    """
    if isinstance(inputs, ops.KerasTensor):
        return ops.KerasTensor(inputs.shape, inputs.dtype)
    inputs = ops.convert_to_tensor(inputs)
    min_vals = ops.convert_to_tensor(min_vals)
    max_vals = ops.convert_to_tensor(max_vals)
    num_bits = int(num_bits)
    rank = len(inputs.shape)
    if axis is not None and axis < 0:
        axis += rank
    other_axes = tuple(i for i in range(rank) if i != axis)

    @ops.custom_gradient
    def fake_quant(x, low, high):
        dtype = ops.dtype(x)
        nudged_min, nudged_max, scale, inverse_scale = _nudged_range(low, high, num_bits, narrow_range)
        quant_zero = ops.floor(ops.add(ops.multiply(ops.negative(nudged_min), inverse_scale), 0.5))
        shifted = ops.subtract(ops.clip(ops.cast(x, ops.dtype(nudged_min)), nudged_min, nudged_max), nudged_min)
        levels = ops.floor(ops.add(ops.subtract(ops.multiply(shifted, inverse_scale), quant_zero), 0.5))
        result = ops.cast(ops.multiply(levels, scale), dtype)
        inside = ops.logical_and(ops.greater_equal(x, nudged_min), ops.less_equal(x, nudged_max))
        below = ops.less_equal(x, nudged_min)
        above = ops.greater_equal(x, nudged_max)

        def grad(upstream):
            zeros = ops.zeros_like(upstream)

            def reduce(mask, like):
                total = ops.where(mask, upstream, zeros)
                total = ops.sum(total, axis=other_axes) if axis is not None else ops.sum(total)
                return ops.reshape(total, ops.shape(like))

            return ops.where(inside, upstream, zeros), reduce(below, low), reduce(above, high)

        return result, grad

    return fake_quant(inputs, min_vals, max_vals)
