"""Reading images at fractional positions, as `jax.scipy.ndimage.map_coordinates` does (order 0 or 1, five fill
modes), written once with gathers so it runs and differentiates on every engine; `map_coordinates` is the public
face, and the warps (`affine_transform`, `perspective_transform`, `elastic_transform`) sample through `sample_2d`.

Order 1 mixes the 2**N neighbours of a position with bilinear weights; order 0 takes the nearest one (halves
round as Keras 3 rounds them on each engine). Out-of-range neighbours are folded back by the fill mode, or, with
"constant", each one reads `fill_value` (so an edge blends into the fill value).
"""

from __future__ import annotations

import itertools

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import check_choice
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_cast = active.core.cast

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
BAD_COORDINATES_LEAD = (
    "First dim of `coordinates` must be the same as the rank of `inputs`. Received inputs with shape: {shape} and "
    "coordinate leading dim of {lead}"
)
BAD_COORDINATES_RANK = "Invalid coordinates rank: expected at least rank 2. Received input with shape: {shape}"
BAD_ORDER = "Invalid value for argument `order`. Expected one of [0, 1]. Received: order={order!r}"


def _neighbours(coordinate, order):
    """(integer index, weight) of each neighbour a coordinate reads along one axis."""
    if order == 0:
        return [(_cast(active.image.round_position(coordinate), "int32"), None)]
    lower = _np.floor(coordinate)
    upper_weight = coordinate - lower
    index = _cast(lower, "int32")
    return [(index, 1.0 - upper_weight), (index + 1, upper_weight)]


def _fold(index, size, mode):
    """`index` brought into [0, size) by the fill mode, and whether it was inside (constant mode only)."""
    if mode == "constant":
        return _np.clip(index, tensor(0, "int32"), tensor(size - 1, "int32")), _np.logical_and(index >= 0,
                                                                                              index < size)
    if mode == "nearest":
        return _np.clip(index, tensor(0, "int32"), tensor(size - 1, "int32")), None
    if mode == "wrap":
        return _np.mod(index, tensor(size, "int32")), None
    if mode == "mirror":
        if size == 1:
            return index * 0, None
        period = tensor(2 * size - 2, "int32")
        return _np.abs(_np.mod(index + (size - 1), period) - (size - 1)), None
    # "reflect": mirror about the pixel edges (d c b a | a b c d | d c b a).
    period = tensor(2 * size, "int32")
    folded = _np.mod(index, period)
    return _np.where(folded >= size, period - 1 - folded, folded), None


def interpolate(flat, coordinates, sizes, strides, order, fill_mode, fill_value, base=None):
    """Sum over neighbours of weight * `flat[base + sum(index * stride)]` (rows of `flat` are the values)."""
    dtype = dtype_of(flat)
    fill = tensor(fill_value, dtype)
    per_axis = [_neighbours(c, order) for c in coordinates]
    total = None
    for corner in itertools.product(*per_axis):
        linear = base
        weight = None
        valid = None
        for (index, axis_weight), size, stride in zip(corner, sizes, strides):
            folded, inside = _fold(index, size, fill_mode)
            linear = folded * stride if linear is None else linear + folded * stride
            if axis_weight is not None:
                weight = axis_weight if weight is None else weight * axis_weight
            if inside is not None:
                valid = inside if valid is None else _np.logical_and(valid, inside)
        values = _np.take(flat, linear, axis=0)
        if valid is not None:
            extra = len(shape_of(values)) - len(shape_of(valid))
            values = _np.where(_np.reshape(valid, tuple(shape_of(valid)) + (1,) * extra), values, fill)
        if weight is not None:
            extra = len(shape_of(values)) - len(shape_of(weight))
            values = _np.reshape(_cast(weight, dtype), tuple(shape_of(weight)) + (1,) * extra) * values
        total = values if total is None else total + values
    return total


def sample_2d(images, rows, columns, order, fill_mode, fill_value):
    """Batched channels-last `images` (B, H, W, C) read at float positions `rows`, `columns` of shape (B, h, w)."""
    batch, height, width, channels = shape_of(images)
    flat = _np.reshape(images, (batch * height * width, channels))
    offsets = tensor([[[b * height * width]] for b in range(batch)], "int32")
    return interpolate(flat, [rows, columns], (height, width), (width, 1), order, fill_mode, fill_value,
                       base=offsets)


def _check_sampling(order, fill_mode):
    check_choice("fill_mode", fill_mode, FILL_MODES)
    if order not in (0, 1):
        raise ValueError(BAD_ORDER.format(order=order))


def _map_coordinates_spec(inputs, coordinates, order, fill_mode="constant", fill_value: float = 0) -> KerasTensor:
    shape, coordinates_shape = tuple(shape_of(inputs)), tuple(shape_of(coordinates))
    if len(coordinates_shape) < 2:
        raise ValueError(BAD_COORDINATES_RANK.format(shape=coordinates_shape))
    if coordinates_shape[0] != len(shape):
        raise ValueError(BAD_COORDINATES_LEAD.format(shape=shape, lead=coordinates_shape[0]))
    _check_sampling(order, fill_mode)
    return KerasTensor(coordinates_shape[1:], dtype_of(inputs))


@op(_map_coordinates_spec)
def map_coordinates(inputs: TensorLike, coordinates: TensorLike, order: int, fill_mode: str = "constant",
                    fill_value: float = 0) -> Tensor:
    """`inputs` read at fractional positions: `output[i...] = inputs[coordinates[:, i...]]`, interpolated.

    Args:
        inputs: an N-D tensor.
        coordinates: positions into `inputs`, shape `(N, ...)`: one row per axis of `inputs`.
        order: 0 (nearest neighbour; halves round as Keras 3 rounds them on the engine: away from zero
            on jax and tensorflow, up on numpy, to even on torch) or 1 (linear).
        fill_mode: how positions outside `inputs` read: "constant" (`fill_value`), "nearest" (the edge), "wrap"
            (periodic), "mirror" (about the edge pixels) or "reflect" (about the edges, the edge pixels repeat).
        fill_value: the value read outside `inputs` with "constant".

    Returns:
        A tensor of shape `coordinates.shape[1:]`, in the dtype of `inputs` (integers are rounded).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([0.0, 10.0, 20.0], "float32")
        >>> ops.convert_to_numpy(ops.image.map_coordinates(x, np.array([[0.5, 1.25, 3.0]]), order=1))
        array([ 5. , 12.5,  0. ], dtype=float32)
    """
    spec = _map_coordinates_spec(inputs, coordinates, order, fill_mode, fill_value)
    inputs = tensor(inputs)
    dtype = dtype_of(inputs)
    compute = dtype if _dtypes.is_float(dtype) else "float32"
    coordinates = tensor(coordinates)
    if not _dtypes.is_float(dtype_of(coordinates)):
        coordinates = _cast(coordinates, compute)
    sizes = tuple(shape_of(inputs))
    strides = [1] * len(sizes)
    for axis in range(len(sizes) - 2, -1, -1):
        strides[axis] = strides[axis + 1] * sizes[axis + 1]
    flat = _cast(_np.reshape(inputs, (-1,)), compute)
    rows = [coordinates[axis] for axis in range(len(sizes))]
    result = interpolate(flat, rows, sizes, strides, order, fill_mode, fill_value)
    if _dtypes.is_float(dtype):
        return _cast(result, dtype)
    rounded = _np.sign(result) * _np.floor(_np.abs(result) + 0.5)
    return _cast(rounded, spec.dtype)


__all__ = ["map_coordinates"]
