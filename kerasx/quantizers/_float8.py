"""Float8 helpers: the delayed-scaling statistics (`compute_float8_amax_history`, `compute_float8_scale`) and
`quantize_and_dequantize`."""

from __future__ import annotations

from typing import Any

import ml_dtypes

from kerasx import ops


def compute_float8_scale(amax: Any, scale: Any, dtype_max: float, margin: int = 0) -> Any:
    """The next float8 scale from the largest recent absolute value: `amax / dtype_max * 2**margin`.

    `scale` is the current one; it is kept where `amax` is zero or not finite.

    Args:
        amax: the largest absolute value seen recently (e.g. the maximum of an amax history).
        scale: the current scale.
        dtype_max: the largest finite value of the float8 type (448 for float8_e4m3fn).
        margin: extra headroom, in powers of two.

    Returns:
        The new scale.

    Example:
        >>> from kerasx import ops, quantizers
        >>> float(quantizers.compute_float8_scale(ops.convert_to_tensor(2.0), ops.convert_to_tensor(1.0), 448.0))
        0.004464285913854837
    """
    current = ops.reciprocal(scale)
    factor = ops.divide(ops.divide(dtype_max, amax), 2**margin)
    factor = ops.where(amax > 0.0, factor, current)
    factor = ops.where(ops.isfinite(amax), factor, current)
    return ops.reciprocal(factor)


def compute_float8_amax_history(x: Any, amax_history: Any) -> Any:
    """Rolls `amax_history` one step and writes `max(|x|)` at its first entry.

    Args:
        x: the tensor whose absolute maximum is recorded.
        amax_history: 1-D history of absolute maxima.

    Returns:
        The new history.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> history = np.array([1.0, 2.0, 3.0], "float32")
        >>> ops.convert_to_numpy(quantizers.compute_float8_amax_history(np.array([-5.0, 4.0], "float32"), history))
        array([5., 3., 1.], dtype=float32)
    """
    amax_history = ops.convert_to_tensor(amax_history)
    amax = ops.cast(ops.max(ops.abs(x)), ops.dtype(amax_history))
    return ops.scatter_update(ops.roll(amax_history, shift=-1), [[0]], ops.reshape(amax, [1]))


def quantize_and_dequantize(inputs: Any, scale: Any, quantized_dtype: str, compute_dtype: str) -> Any:
    """`inputs / scale`, clipped to the finite range of `quantized_dtype`, cast to it and back, times `scale`.

    Args:
        inputs: float tensor.
        scale: the quantization scale.
        quantized_dtype: a float8 dtype, "float8_e4m3fn" or "float8_e5m2".
        compute_dtype: the dtype of the result.

    Returns:
        The inputs as `quantized_dtype` represents them, in `compute_dtype`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> x = np.array([0.3, 1000.0], "float32")
        >>> ops.convert_to_numpy(quantizers.quantize_and_dequantize(x, 1.0, "float8_e4m3fn", "float32")).tolist()
        [0.3125, 448.0]
    """
    info = ml_dtypes.finfo(quantized_dtype)
    limit = ops.cast(float(info.max), compute_dtype)
    x = ops.divide(inputs, ops.cast(scale, compute_dtype))
    x = _round_to_grid(ops.clip(x, -limit, limit), int(info.nmant), int(info.minexp))
    return ops.multiply(ops.cast(x, compute_dtype), ops.cast(scale, compute_dtype))


def _round_to_grid(x, mantissa_bits: int, min_exponent: int):
    """`x` rounded (half to even) to the values of a float format with that many mantissa bits and that smallest
    normal exponent: what a cast to float8 does, without needing a float8 dtype in every engine."""
    magnitude = ops.abs(x)
    tiny = 2.0**min_exponent
    exponent = ops.floor(ops.log2(ops.maximum(magnitude, tiny)))
    step = ops.power(2.0, ops.subtract(exponent, mantissa_bits))
    return ops.multiply(ops.round(ops.divide(x, step)), step)
