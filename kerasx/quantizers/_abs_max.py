"""`Quantizer`, `AbsMaxQuantizer` and `abs_max_quantize`: symmetric quantization scaled by the absolute maximum."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from kerasx import ops
from kerasx.backend import epsilon as _epsilon
from kerasx.backend import standardize_dtype
from kerasx.serialization import _registry

INT8_RANGE = (
    "AbsMaxQuantizer with output_dtype='int8' needs a value_range inside [-128, 127]. Received: "
    "value_range={value_range}."
)


def _numpy_axis(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def abs_max_quantize(
    inputs: Any,
    axis: int | tuple[int, ...],
    value_range: tuple[int, int] = (-127, 127),
    dtype: str = "int8",
    epsilon: float = 1e-7,
    to_numpy: bool = False,
) -> tuple[Any, Any]:
    """Quantizes `inputs` symmetrically: `round(inputs * scale)` clipped to `value_range`, cast to `dtype`.

    `scale = value_range[1] / (max(|inputs|, axis, keepdims=True) + epsilon)`, in the inputs' dtype; dividing the
    quantized values by it gives the inputs back up to rounding.

    Args:
        inputs: float tensor or array.
        axis: axis (or axes) over which the absolute maximum is taken.
        value_range: `(min, max)` of the quantized values.
        dtype: dtype of the quantized values.
        epsilon: added to the maximum so that an all-zero slice gives a finite scale.
        to_numpy: compute with NumPy on the host (saves accelerator memory when quantizing a large weight).

    Returns:
        `(quantized, scale)`, both tensors.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> q, scale = quantizers.abs_max_quantize(np.array([[0.5, -1.0], [2.0, 1.0]], "float32"), axis=-1)
        >>> ops.convert_to_numpy(q)
        array([[  63, -127],
               [ 127,   64]], dtype=int8)
        >>> np.round(ops.convert_to_numpy(scale), 2)
        array([[127. ],
               [ 63.5]], dtype=float32)
    """
    if to_numpy:
        original_dtype = standardize_dtype(ops.dtype(inputs) if not isinstance(inputs, np.ndarray) else inputs.dtype)
        array = ops.convert_to_numpy(inputs)
        scale = np.divide(value_range[1], np.add(np.max(np.abs(array), axis=_numpy_axis(axis), keepdims=True), epsilon))
        outputs = np.clip(np.round(np.multiply(array, scale)), value_range[0], value_range[1]).astype(dtype)
        return ops.convert_to_tensor(outputs), ops.convert_to_tensor(scale, dtype=original_dtype)
    inputs = ops.convert_to_tensor(inputs)
    scale = ops.divide(value_range[1], ops.add(ops.max(ops.abs(inputs), axis=axis, keepdims=True), epsilon))
    scale = ops.cast(scale, ops.dtype(inputs))
    outputs = ops.clip(ops.round(ops.multiply(inputs, scale)), value_range[0], value_range[1])
    return ops.cast(outputs, dtype), scale


@_registry.builtin
class Quantizer:
    """Base class of quantizers: `quantizer(x)` gives a quantized version of `x` (the base returns `x`).

    Args:
        output_dtype: dtype of the quantized values.

    Example:
        >>> import kerasx
        >>> kerasx.Quantizer().output_dtype
        'int8'
    """

    def __init__(self, output_dtype: str = "int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        return x

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def get_config(self) -> dict:
        return {"output_dtype": self.output_dtype}


@_registry.builtin
class AbsMaxQuantizer(Quantizer):
    """Quantizer calling `abs_max_quantize`: `quantizer(x, axis)` gives `(quantized, scale)`.

    Args:
        axis: default axis (or axes) of the absolute maximum; an axis given at call time wins; -1 when neither.
        value_range: `(min, max)` of the quantized values.
        epsilon: added to the maximum before dividing.
        output_dtype: dtype of the quantized values.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops, quantizers
        >>> quantizer = quantizers.AbsMaxQuantizer(axis=0)
        >>> q, scale = quantizer(np.array([[1.0, -4.0], [-2.0, 2.0]], "float32"))
        >>> ops.convert_to_numpy(q)
        array([[  64, -127],
               [-127,   64]], dtype=int8)
    """

    def __init__(
        self,
        axis: int | tuple[int, ...] | None = None,
        value_range: tuple[int, int] = (-127, 127),
        epsilon: float = _epsilon(),
        output_dtype: str = "int8",
    ):
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = cast("tuple[int, int]", tuple(value_range))
        self.epsilon = epsilon
        if output_dtype == "int8" and (self.value_range[0] < -128 or self.value_range[1] > 127):
            raise ValueError(INT8_RANGE.format(value_range=value_range))

    def __call__(self, x, axis=None, to_numpy: bool = False):
        if axis is None:
            axis = -1 if self.axis is None else self.axis
        return abs_max_quantize(x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy)

    def get_config(self) -> dict:
        config = {"value_range": self.value_range, "epsilon": self.epsilon, "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config
