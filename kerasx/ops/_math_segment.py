"""Segment reductions (sum, prod, max, min of the rows sharing a segment id) and the top-k membership test."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import as_tensor, require_integer, static_value
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_math = active.math

BAD_SEGMENT_IDS = (
    "`segment_ids` must be a 1-D integer tensor with one id per row of `data` (data.shape[0] = {rows}). "
    "Received: segment_ids.shape={ids_shape}, data.shape={data_shape}."
)
BAD_NUM_SEGMENTS = "`num_segments` must be a positive int or None. Received: num_segments={num_segments}."
BAD_IN_TOP_K = (
    "`in_top_k` needs `predictions` of shape (batch, classes) and `targets` of shape (batch,) with integer class "
    "ids. Received: targets.shape={targets}, predictions.shape={predictions}."
)


def _check_segments(data, segment_ids, num_segments):
    data_shape, ids_shape = shape_of(data), shape_of(segment_ids)
    rows = data_shape[0] if data_shape else None
    if len(ids_shape) != 1 or (None not in (rows, ids_shape[0]) and ids_shape[0] != rows):
        raise ValueError(BAD_SEGMENT_IDS.format(rows=rows, ids_shape=ids_shape, data_shape=data_shape))
    if num_segments is not None and (not isinstance(num_segments, int) or num_segments < 1):
        raise ValueError(BAD_NUM_SEGMENTS.format(num_segments=num_segments))
    return data_shape


def _segment_spec(data, segment_ids, num_segments=None, sorted=False) -> KerasTensor:
    data_shape = _check_segments(data, segment_ids, num_segments)
    return KerasTensor((num_segments,) + tuple(data_shape[1:]), dtype_of(data))


def _segment_reduce(data, segment_ids, num_segments, reduction):
    data, segment_ids = tensor(data), tensor(segment_ids)
    _check_segments(data, segment_ids, num_segments)
    require_integer(f"segment_{reduction}", dtype_of(segment_ids))
    segment_ids = tensor(segment_ids, "int32")
    if num_segments is None:
        # The number of rows of the result is a shape: it must be known, here from the largest id.
        num_segments = int(static_value(_np.max(segment_ids), "segment_ids")) + 1
    # Ids outside [0, num_segments) are dropped: they go to one extra segment that is cut off at the end.
    inside = _np.logical_and(
        _np.greater_equal(segment_ids, as_tensor(0, "int32")), _np.less(segment_ids, as_tensor(num_segments, "int32"))
    )
    segment_ids = _np.where(inside, segment_ids, _np.full_like(segment_ids, as_tensor(num_segments, "int32")))
    result = _math.segment_reduce(data, segment_ids, num_segments + 1, reduction)
    return result[:num_segments]


@op(_segment_spec)
def segment_sum(data: TensorLike, segment_ids: TensorLike, num_segments: int | None = None,
                sorted: bool = False) -> Tensor:
    """Sums of the rows of `data` (along axis 0) that share a segment id.

    Args:
        data: input tensor; row `i` belongs to segment `segment_ids[i]`.
        segment_ids: 1-D integer tensor, one id per row; ids outside `[0, num_segments)` are dropped.
        num_segments: number of segments (rows of the result); None takes the largest id plus one, which needs
            concrete ids (not inside a compiled function).
        sorted: a hint that the ids are sorted; the result is the same either way.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` in the dtype of `data`; empty segments hold 0.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.segment_sum([1, 2, 3, 4], [0, 0, 2, 1], num_segments=3))
        array([3, 4, 3], dtype=int32)
    """
    return _segment_reduce(data, segment_ids, num_segments, "sum")


@op(_segment_spec)
def segment_prod(data: TensorLike, segment_ids: TensorLike, num_segments: int | None = None,
                 sorted: bool = False) -> Tensor:
    """Products of the rows of `data` (along axis 0) that share a segment id.

    Args:
        data: input tensor; row `i` belongs to segment `segment_ids[i]`.
        segment_ids: 1-D integer tensor, one id per row; ids outside `[0, num_segments)` are dropped.
        num_segments: number of segments (rows of the result); None takes the largest id plus one, which needs
            concrete ids (not inside a compiled function).
        sorted: a hint that the ids are sorted; the result is the same either way.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` in the dtype of `data`; empty segments hold 1.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.segment_prod([1, 2, 3, 4], [0, 0, 2, 1], num_segments=3))
        array([2, 4, 3], dtype=int32)
    """
    return _segment_reduce(data, segment_ids, num_segments, "prod")


@op(_segment_spec)
def segment_max(data: TensorLike, segment_ids: TensorLike, num_segments: int | None = None,
                sorted: bool = False) -> Tensor:
    """Maxima of the rows of `data` (along axis 0) that share a segment id.

    Args:
        data: input tensor; row `i` belongs to segment `segment_ids[i]`.
        segment_ids: 1-D integer tensor, one id per row; ids outside `[0, num_segments)` are dropped.
        num_segments: number of segments (rows of the result); None takes the largest id plus one, which needs
            concrete ids (not inside a compiled function).
        sorted: a hint that the ids are sorted; the result is the same either way.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` in the dtype of `data`; empty segments hold -inf
        (the smallest integer for integer data).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.segment_max([1.0, 5.0, 3.0, 4.0], [0, 0, 2, 2], num_segments=3))
        array([  5., -inf,   4.], dtype=float32)
    """
    return _segment_reduce(data, segment_ids, num_segments, "max")


@op(_segment_spec)
def segment_min(data: TensorLike, segment_ids: TensorLike, num_segments: int | None = None,
                sorted: bool = False) -> Tensor:
    """Minima of the rows of `data` (along axis 0) that share a segment id.

    Args:
        data: input tensor; row `i` belongs to segment `segment_ids[i]`.
        segment_ids: 1-D integer tensor, one id per row; ids outside `[0, num_segments)` are dropped.
        num_segments: number of segments (rows of the result); None takes the largest id plus one, which needs
            concrete ids (not inside a compiled function).
        sorted: a hint that the ids are sorted; the result is the same either way.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` in the dtype of `data`; empty segments hold +inf
        (the largest integer for integer data).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.segment_min([1.0, 5.0, 3.0, 4.0], [0, 0, 2, 2], num_segments=3))
        array([ 1., inf,  3.], dtype=float32)
    """
    return _segment_reduce(data, segment_ids, num_segments, "min")


def _check_in_top_k(targets, predictions):
    targets_shape, predictions_shape = shape_of(targets), shape_of(predictions)
    if len(predictions_shape) != 2 or len(targets_shape) != 1:
        raise ValueError(BAD_IN_TOP_K.format(targets=targets_shape, predictions=predictions_shape))
    return targets_shape


def _in_top_k_spec(targets, predictions, k) -> KerasTensor:
    return KerasTensor(_check_in_top_k(targets, predictions), "bool")


@op(_in_top_k_spec)
def in_top_k(targets: TensorLike, predictions: TensorLike, k: int) -> Tensor:
    """Whether each target class is among the `k` highest predictions of its row.

    A target counts as in the top k when fewer than `k` predictions of its row are strictly larger than its own
    (ties are in); a NaN prediction at the target is never in (as in Keras 3 except on its JAX backend).

    Args:
        targets: integer class ids, shape `(batch,)`.
        predictions: scores, shape `(batch, classes)`.
        k: how many of the highest scores count.

    Returns:
        A bool tensor of shape `(batch,)`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.in_top_k([2, 0], [[0.1, 0.5, 0.4], [0.3, 0.6, 0.1]], k=2))
        array([ True,  True])
    """
    targets, predictions = tensor(targets), tensor(predictions)
    _check_in_top_k(targets, predictions)
    require_integer("in_top_k", dtype_of(targets))
    at_target = _np.take_along_axis(predictions, _np.expand_dims(tensor(targets, "int32"), (1,)), axis=1)
    dtype = dtype_of(at_target)
    larger = _np.sum(tensor(_np.greater(predictions, at_target), "int32"), axis=(1,))
    inside = _np.less(larger, as_tensor(int(k), "int32"))
    if _dtypes.is_float(dtype):
        # A NaN score is not a high score, whatever `k` (as TensorFlow's in_top_k).
        inside = _np.logical_and(inside, _np.logical_not(_np.isnan(_np.squeeze(at_target, axis=(1,)))))
    return inside


__all__ = ["in_top_k", "segment_max", "segment_min", "segment_prod", "segment_sum"]
