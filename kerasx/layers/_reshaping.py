"""Layers that rearrange the non-batch axes: `Flatten`, `Reshape`, `Permute`, `RepeatVector`."""

from __future__ import annotations

import math

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry

BAD_TARGET_SHAPE = (
    "Reshape: `target_shape` must be a tuple of positive ints (the shape of one sample, without the batch axis), "
    "with at most one -1 for a size inferred from the input. Received: target_shape={target_shape!r}."
)
SIZE_MISMATCH = (
    "Layer '{name}' (Reshape) cannot reshape samples of shape {input_shape} ({input_size} values) to "
    "target_shape={target_shape}. The number of values per sample must stay the same{hint}."
)
BAD_PERMUTATION = (
    "Permute: `dims` must be a permutation of 1..{count} (1-based: axis 0, the batch, stays in place). "
    "Received: dims={dims!r}. E.g. `Permute((2, 1))` swaps the two axes of (batch, steps, features)."
)
BAD_REPEATS = "RepeatVector: `n` must be a positive int. Received: n={n!r}."


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _batch(shape) -> int:
    # The batch size is unknown while tf.function traces with a None batch (`ops.shape` then gives a tensor for
    # it): let reshape infer it.
    return shape[0] if isinstance(shape[0], int) else -1


def _known(d) -> bool:
    return isinstance(d, int)


class _Rearrangement(Layer):
    """Shape-only layers: the output keeps the input dtype, and its shape comes from `compute_output_shape`."""

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), inputs.dtype)


@_registry.builtin
class Flatten(_Rearrangement):
    """Flattens each sample to one axis: `(batch, d1, ..., dn)` -> `(batch, d1 * ... * dn)`.

    Args:
        data_format: "channels_last" or "channels_first"; with channels_first the channel axis is moved last before
            flattening, so the element order matches a channels_last model. None means `image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, ...)`. Output shape: `(batch, product of the other sizes)` (1 for a rank-1 input).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Flatten()(np.arange(6.0).reshape((1, 3, 2)))))
        [[0. 1. 2. 3. 4. 5.]]
        >>> kerasx.layers.Flatten()(kerasx.Input(shape=(4, 5, 3))).shape
        (None, 60)
    """

    def __init__(self, data_format: DataFormat = None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _arguments.data_format("Flatten", data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        shape = tuple(ops.shape(inputs))
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = ops.transpose(inputs, (0, *range(2, len(shape)), 1))
        rest = shape[1:]
        if not all(_known(d) for d in rest):
            return ops.reshape(inputs, (_batch(shape), -1))
        return ops.reshape(inputs, (_batch(shape), math.prod(rest)))  # pyright: ignore[reportArgumentType,reportCallIssue] - every size is known here

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


@_registry.builtin
class Reshape(_Rearrangement):
    """Reshapes each sample to `target_shape`; the batch axis is kept.

    Args:
        target_shape: shape of one output sample (no batch axis); one entry may be -1 (inferred).
        **kwargs: base Layer arguments.

    Input shape: `(batch, ...)`. Output shape: `(batch, *target_shape)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Reshape((2, 2))(np.arange(4.0).reshape((1, 4)))))
        [[[0. 1.]
          [2. 3.]]]
        >>> kerasx.layers.Reshape((-1, 4))(kerasx.Input(shape=(3, 8))).shape
        (None, 6, 4)
    """

    _built_at_construction = True

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target = tuple(target_shape)
        except TypeError:
            raise ValueError(BAD_TARGET_SHAPE.format(target_shape=target_shape)) from None
        if not all(_is_int(d) and (d > 0 or d == -1) for d in target) or target.count(-1) > 1:
            raise ValueError(BAD_TARGET_SHAPE.format(target_shape=target_shape))
        self.target_shape = target

    def _resolve(self, input_shape) -> tuple:
        """`target_shape` with its -1 filled in; None where the input's size is unknown."""
        rest = tuple(input_shape[1:])
        if not all(_known(d) for d in rest):
            return tuple(None if d == -1 else d for d in self.target_shape)
        input_size = math.prod(rest)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if input_size % known:
                raise ValueError(self._mismatch(rest, input_size, f": {input_size} is not a multiple of {known}"))
            return tuple(input_size // known if d == -1 else d for d in self.target_shape)
        if known != input_size:
            raise ValueError(self._mismatch(rest, input_size, f", but the target holds {known}"))
        return self.target_shape

    def _mismatch(self, rest, input_size, hint) -> str:
        return SIZE_MISMATCH.format(
            name=self.name, input_shape=rest, input_size=input_size, target_shape=self.target_shape, hint=hint
        )

    def call(self, inputs):
        shape = tuple(ops.shape(inputs))
        target = tuple(-1 if d is None else d for d in self._resolve(shape))
        return ops.reshape(inputs, (_batch(shape), *target))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self._resolve(input_shape))

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


@_registry.builtin
class Permute(_Rearrangement):
    """Permutes the non-batch axes of each sample.

    Args:
        dims: permutation of `1..n` for inputs of rank `n + 1` (1-based: the batch axis 0 stays first);
            `(2, 1)` swaps the two axes of `(batch, steps, features)`.
        **kwargs: base Layer arguments.

    Output shape: `(batch, *[input_shape[d] for d in dims])`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(6.0).reshape((1, 3, 2))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Permute((2, 1))(x)))
        [[[0. 2. 4.]
          [1. 3. 5.]]]
        >>> kerasx.layers.Permute((2, 3, 1))(kerasx.Input(shape=(10, 20, 3))).shape
        (None, 20, 3, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            values = tuple(dims)
        except TypeError:
            values = (dims,)
        if not all(_is_int(d) for d in values) or sorted(values) != list(range(1, len(values) + 1)):
            raise ValueError(BAD_PERMUTATION.format(count=max(len(values), 1), dims=dims))
        self.dims = values
        self.input_spec = InputSpec(ndim=len(values) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0, *self.dims))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict:
        config = super().get_config()
        config["dims"] = self.dims
        return config


@_registry.builtin
class RepeatVector(_Rearrangement):
    """Repeats each input vector `n` times: `(batch, features)` -> `(batch, n, features)`.

    Args:
        n: number of repetitions.
        **kwargs: base Layer arguments.

    Input shape: `(batch, features)`. Output shape: `(batch, n, features)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.RepeatVector(3)(np.array([[1.0, 2.0]]))))
        [[[1. 2.]
          [1. 2.]
          [1. 2.]]]
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not _is_int(n) or n <= 0:
            raise ValueError(BAD_REPEATS.format(n=n))
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        config = super().get_config()
        config["n"] = self.n
        return config
