"""`InputSpec`: what a layer expects of its inputs (rank, sizes of some axes, dtype), checked at call time."""

from __future__ import annotations

import numbers

from kerasx.backend import _tree, backend

INCOMPATIBLE_INPUT = (
    'Input {index} of layer "{layer}" is incompatible with the layer: expected {expected}, found {found}. '
    "Full shape received: {shape} (backend: {backend})."
)
WRONG_INPUT_COUNT = (
    'Layer "{layer}" expects {expected} input(s), but it received {received} input tensors. '
    "Inputs received: {inputs}"
)
DICT_FOR_TENSOR = (
    'Layer "{layer}" expects a tensor input, but received a dict with keys {keys}. '
    "Pass the tensor itself, e.g. `layer(inputs[{first!r}])`."
)


class InputSpec:
    """Expectations on one input of a layer; None means "anything".

    Args:
        dtype: expected dtype name.
        shape: expected shape; None entries match any size.
        ndim, max_ndim, min_ndim: expected rank, or bounds on it.
        axes: dict `{axis: size}` of axes with a required size (negative axes count from the end).
        allow_last_axis_squeeze: accept a rank one lower or higher when the last axis has size 1.
        name: name of the input (for layers taking dicts).
        optional: the input may be None.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class Pairs(kerasx.Layer):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.input_spec = kerasx.layers.InputSpec(ndim=2, axes={-1: 2})
        ...     def call(self, inputs):
        ...         return inputs
        >>> kerasx.ops.shape(Pairs()(np.zeros((4, 2))))
        (4, 2)
        >>> try:
        ...     Pairs()(np.zeros((4, 3)))
        ... except ValueError:
        ...     print("rejected")
        rejected
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def __repr__(self):
        fields = [f"{k}={v}" for k, v in vars(self).items() if v not in (None, {}, False)]
        return f"InputSpec({', '.join(fields)})"

    def get_config(self) -> dict:
        return dict(vars(self))

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _shape_and_dtype(x):
    shape = getattr(x, "shape", None)
    # A symbolic size (torch.export's batch dimension) stays as it is: `int()` would pin the exported program to the
    # batch size it was traced with.
    shape = () if shape is None else tuple(int(d) if isinstance(d, numbers.Integral) else d for d in shape)
    dtype = getattr(x, "dtype", None)
    return shape, dtype


def _check_one(spec: InputSpec, x, index: int, layer_name: str, dtype_of) -> None:
    if x is None:
        if spec.optional:
            return
        raise ValueError(
            INCOMPATIBLE_INPUT.format(
                index=index, layer=layer_name, expected="a tensor", found="None", shape=None, backend=backend()
            )
        )
    shape, _ = _shape_and_dtype(x)
    ndim = len(shape)

    def fail(expected, found):
        raise ValueError(
            INCOMPATIBLE_INPUT.format(
                index=index, layer=layer_name, expected=expected, found=found, shape=shape, backend=backend()
            )
        )

    if spec.ndim is not None and ndim != spec.ndim and not spec.allow_last_axis_squeeze:
        fail(f"ndim={spec.ndim}", f"ndim={ndim}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        fail(f"max_ndim={spec.max_ndim}", f"ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        fail(f"min_ndim={spec.min_ndim}", f"ndim={ndim}")
    if spec.dtype is not None:
        dtype = dtype_of(x)
        if dtype != spec.dtype:
            fail(f"dtype={spec.dtype}", f"dtype={dtype}")
    for axis, size in spec.axes.items():
        if size is None:
            continue
        if not -ndim <= axis < ndim:
            fail(f"axis {axis} of size {size}", f"ndim={ndim}")
        actual = shape[axis]
        if actual is not None and actual != size:
            fail(f"axis {axis} of input shape to have value {size}", f"shape {shape}")
    if spec.shape is not None:
        if spec.allow_last_axis_squeeze:
            shape = shape[:-1] if shape and shape[-1] == 1 else shape
            expected = spec.shape[:-1] if spec.shape and spec.shape[-1] == 1 else spec.shape
        else:
            expected = spec.shape
        if len(shape) != len(expected) or any(
            e is not None and a is not None and e != a for e, a in zip(expected, shape)
        ):
            fail(f"shape={spec.shape}", f"shape={shape}")


def assert_input_compatibility(input_spec, inputs, layer_name: str, dtype_of) -> None:
    """Raises a ValueError naming the layer, the expectation, the received shape and the backend on a mismatch.

    `dtype_of(x)` gives the kerasx dtype name of an input (passed in so that this module needs no ops).
    """
    if not input_spec:
        return
    if isinstance(input_spec, InputSpec):
        if isinstance(inputs, dict):
            keys = sorted(inputs, key=str)
            raise TypeError(DICT_FOR_TENSOR.format(layer=layer_name, keys=keys, first=keys[0] if keys else "key"))
        specs = [input_spec]
    else:
        specs = list(_tree.flatten(input_spec))
    if isinstance(inputs, dict) and not isinstance(input_spec, InputSpec) and all(s.name for s in specs):
        flat = [inputs.get(s.name) for s in specs]
    else:
        flat = _tree.flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError(
            WRONG_INPUT_COUNT.format(layer=layer_name, expected=len(specs), received=len(flat), inputs=inputs)
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is not None:
            _check_one(spec, x, index, layer_name, dtype_of)
