"""`Dot` and its function form `dot`: per-sample dot product of two tensors."""

from __future__ import annotations

import string

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.layers._merging import as_shape_list
from kerasx.serialization import _registry

BAD_AXES = (
    "Dot: `axes` must be an int or a tuple of two ints (the axis of each input to contract; the batch axis 0 "
    "cannot be one). Received: axes={axes!r}."
)
BATCH_AXIS = (
    "Layer '{name}' (Dot) cannot contract the batch axis: axes={axes} resolve to {resolved} for input shapes "
    "{shapes}. Choose axes >= 1 (or negative axes counting from the end)."
)
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (Dot): axes={axes} are out of range for input shapes {shapes} (ranks {ranks})."
)
SIZE_MISMATCH = (
    "Layer '{name}' (Dot) contracts axis {axis_a} of the first input (size {size_a}) with axis {axis_b} of the "
    "second (size {size_b}), but the sizes differ. Received: input shapes {shapes}. Pick `axes` whose sizes match."
)


def _check_axes(axes):
    if isinstance(axes, int) and not isinstance(axes, bool):
        return (axes, axes)
    try:
        values = tuple(axes)  # pyright: ignore[reportArgumentType] - a bool raises the TypeError caught below
    except TypeError:
        values = ()
    if len(values) != 2 or not all(isinstance(a, int) and not isinstance(a, bool) for a in values):
        raise ValueError(BAD_AXES.format(axes=axes))
    return values


@_registry.builtin
class Dot(Layer):
    """Dot product of two tensors along one axis each, sample by sample (a batched tensordot).

    `(batch, n) . (batch, n)` gives `(batch, 1)`; `(batch, m, k) . (batch, k, n)` with `axes=(2, 1)` gives
    `(batch, m, n)`. In general the output shape is the first input's shape without its contracted axis, followed
    by the second input's shape without its batch and contracted axes (a rank-1 result gets a trailing axis of 1).

    Args:
        axes: int (the same axis of both inputs) or a tuple of two ints; axes count the batch axis as 0, and
            negative axes count from the end.
        normalize: L2-normalize both inputs along their contracted axes first, so the result is the cosine
            similarity.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of two tensors with the same batch size and the same size along their contracted axes.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [1.0, 0.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Dot(axes=1)([x1, x2])))
        [[17.]
         [ 3.]]
        >>> print(np.round(kerasx.ops.convert_to_numpy(kerasx.layers.Dot(axes=1, normalize=True)([x1, x1])), 4))
        [[1.]
         [1.]]
        >>> a, b = kerasx.Input(shape=(3, 4)), kerasx.Input(shape=(4, 5))
        >>> kerasx.layers.Dot(axes=(2, 1))([a, b]).shape
        (None, 3, 5)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes = _check_axes(axes)
        self.normalize = bool(normalize)

    def _resolve(self, shapes) -> tuple:
        ranks = tuple(len(s) for s in shapes)
        if not all(-rank <= a < rank for a, rank in zip(self.axes, ranks)):
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axes=self.axes, shapes=shapes, ranks=ranks))
        resolved = tuple(a % rank for a, rank in zip(self.axes, ranks))
        if 0 in resolved:
            raise ValueError(BATCH_AXIS.format(name=self.name, axes=self.axes, resolved=resolved, shapes=shapes))
        return resolved

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        shape_a, shape_b = as_shape_list(self, input_shape, exactly=2)
        axis_a, axis_b = self._resolve([shape_a, shape_b])
        size_a, size_b = shape_a[axis_a], shape_b[axis_b]
        if size_a is not None and size_b is not None and size_a != size_b:
            raise ValueError(
                SIZE_MISMATCH.format(
                    name=self.name, axis_a=axis_a, size_a=size_a, axis_b=axis_b, size_b=size_b,
                    shapes=[shape_a, shape_b],
                )
            )
        output = shape_a[:axis_a] + shape_a[axis_a + 1 :] + shape_b[1:axis_b] + shape_b[axis_b + 1 :]
        return output if len(output) > 1 else (*output, 1)

    def compute_output_spec(self, inputs):
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        return self.call(inputs)

    def call(self, inputs):
        a, b = inputs
        rank_a, rank_b = len(ops.shape(a)), len(ops.shape(b))
        axis_a, axis_b = self._resolve([tuple(ops.shape(a)), tuple(ops.shape(b))])
        if self.normalize:
            a = ops.normalize(a, axis=axis_a)
            b = ops.normalize(b, axis=axis_b)
        # One einsum letter per axis: the batch and the contracted axis are shared, every other axis is kept.
        letters = iter(string.ascii_letters[2:])
        subscripts_a = ["a"] + [next(letters) for _ in range(rank_a - 1)]
        subscripts_a[axis_a] = "b"
        subscripts_b = ["a"] + [next(letters) for _ in range(rank_b - 1)]
        subscripts_b[axis_b] = "b"
        kept = [s for s in subscripts_a if s != "b"] + [s for s in subscripts_b[1:] if s != "b"]
        output = ops.einsum(f"{''.join(subscripts_a)},{''.join(subscripts_b)}->{''.join(kept)}", a, b)
        return ops.expand_dims(output, -1) if len(kept) == 1 else output

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """`Dot(axes, normalize, **kwargs)(inputs)` for a list of two tensors.

    Args:
        inputs: list of two tensors.
        axes: int or pair of ints, the contracted axis of each input (the batch axis is 0).
        normalize: L2-normalize both inputs along the contracted axes first (cosine similarity).
        **kwargs: arguments of the `Dot` layer (e.g. `name`).

    Returns:
        The batched dot product (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.dot([x1, x2], axes=1)))
        [[11.]]
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
