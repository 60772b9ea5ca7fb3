"""Public normalization ops: moments, batch_normalization, normalize, layer_normalization, rms_normalization."""

from __future__ import annotations

from kerasx.backend import _config, _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import as_tensor
from kerasx.ops._types import Tensor, TensorLike

_nn = active.nn
_np = active.numpy
_core = active.core

# Half-precision statistics overflow and lose digits quickly; they are computed in float32 and cast back.
_UPCAST = {"float16": "float32", "bfloat16": "float32"}

BAD_PARAMETER_SHAPE = (
    "`batch_normalization`: `{name}` must be a 1-D tensor with one value per entry of x along axis {axis} "
    "(size {size}). Received: {name}.shape={shape}, x.shape={x_shape}."
)
BAD_ORDER = "`normalize`: `order` must be an int >= 1 (the p of the p-norm). Received: order={order!r}."
BAD_AXIS = "Expected a single integer axis. Received: axis={axis!r}."
UNKNOWN_LAYER_NORM_ARGUMENT = (
    "`layer_normalization` takes only `rms_scaling` as an extra keyword argument. Received: {names}."
)


def _moment_axes(x, axes) -> tuple:
    ndim = len(shape_of(x))
    return tuple(range(ndim)) if axes is None else _specs.normalize_axis(axes, ndim, "axes")


def _moments_spec(x, axes, keepdims=False, synchronized=False):
    shape = _specs.reduced_shape(shape_of(x), _moment_axes(x, axes), keepdims)
    dtype = _dtypes.float_result(dtype_of(x))
    return KerasTensor(shape, dtype), KerasTensor(shape, dtype)


@op(_moments_spec)
def moments(
    x: TensorLike, axes: int | tuple[int, ...] | None, keepdims: bool = False, synchronized: bool = False
) -> tuple[Tensor, Tensor]:
    """Mean and (population) variance of `x` over `axes`.

    float16 and bfloat16 statistics are computed in float32 and cast back, so they neither overflow nor lose
    digits.

    Args:
        x: input tensor; integers give floatx.
        axes: the axes to reduce: an int, a tuple of ints, or None for all.
        keepdims: keep each reduced axis with size 1.
        synchronized: aggregate across replicas in distributed training; a single process has nothing to
            synchronize, so the result is the same.

    Returns:
        `(mean, variance)`, two float tensors.

    Example:
        >>> from kerasx import ops
        >>> mean, variance = ops.moments([[1.0, 2.0], [3.0, 6.0]], axes=0)
        >>> ops.convert_to_numpy(mean), ops.convert_to_numpy(variance)
        (array([2., 4.], dtype=float32), array([1., 4.], dtype=float32))
    """
    axes = _moment_axes(x, axes)
    dtype = _dtypes.float_result(dtype_of(x))
    (x,) = promote_float(x)
    if dtype in _UPCAST:
        x = _core.cast(x, _UPCAST[dtype])
    mean, variance = _nn.moments(x, axes, bool(keepdims), bool(synchronized))
    return _core.cast(mean, dtype), _core.cast(variance, dtype)


def _check_batch_normalization(x, mean, variance, axis, offset, scale) -> int:
    x_shape = shape_of(x)
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise ValueError(BAD_AXIS.format(axis=axis))
    axis = _specs.normalize_axis(axis, len(x_shape))[0]
    size = x_shape[axis]
    for name, parameter in (("mean", mean), ("variance", variance), ("offset", offset), ("scale", scale)):
        if parameter is None:
            continue
        shape = shape_of(parameter)
        if len(shape) != 1 or (size is not None and shape[0] is not None and shape[0] != size):
            raise ValueError(
                BAD_PARAMETER_SHAPE.format(name=name, axis=axis, size=size, shape=tuple(shape), x_shape=tuple(x_shape))
            )
    return axis


def _batch_normalization_spec(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    _check_batch_normalization(x, mean, variance, axis, offset, scale)
    present = [dtype_of(t) for t in (x, mean, variance, offset, scale) if t is not None]
    return KerasTensor(shape_of(x), _dtypes.float_result(*present))


@op(_batch_normalization_spec)
def batch_normalization(
    x: TensorLike,
    mean: TensorLike,
    variance: TensorLike,
    axis: int,
    offset: TensorLike | None = None,
    scale: TensorLike | None = None,
    epsilon: float = 1e-3,
) -> Tensor:
    """Normalizes `x` with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    The 1-D statistics and parameters run along the feature `axis` and broadcast over the others.

    Args:
        x: input tensor.
        mean: 1-D, of size `x.shape[axis]`.
        variance: 1-D, of size `x.shape[axis]`.
        axis: the feature axis, e.g. -1 for channels_last.
        offset: optional 1-D shift (beta).
        scale: optional 1-D factor (gamma).
        epsilon: added to the variance so that a zero variance does not divide by zero.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> x = [[1.0, 2.0], [3.0, 6.0]]
        >>> ops.convert_to_numpy(ops.batch_normalization(x, [2.0, 4.0], [1.0, 4.0], axis=-1, epsilon=0.0))
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
    """
    axis = _check_batch_normalization(x, mean, variance, axis, offset, scale)
    present = [t for t in (x, mean, variance, offset, scale) if t is not None]
    converted = iter(promote_float(*present))
    x, mean, variance = next(converted), next(converted), next(converted)
    offset = None if offset is None else next(converted)
    scale = None if scale is None else next(converted)
    return _nn.batch_normalization(x, mean, variance, axis, offset, scale, float(epsilon))


def _check_normalize(x, axis, order):
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(BAD_ORDER.format(order=order))
    return _specs.normalize_axis(axis, len(shape_of(x)))


def _normalize_spec(x, axis=-1, order=2, epsilon=None):
    _check_normalize(x, axis, order)
    return _specs.same_float(x)


@op(_normalize_spec)
def normalize(
    x: TensorLike, axis: int | tuple[int, ...] | None = -1, order: int = 2, epsilon: float | None = None
) -> Tensor:
    """`x` divided by its `order`-norm over `axis`: `x / max(norm(x), epsilon)`.

    Args:
        x: input tensor; integers give floatx.
        axis: the axis, or a tuple of axes, the norm runs over; None means all of them.
        order: the p of the p-norm, an int >= 1 (2: Euclidean, 1: sum of absolute values).
        epsilon: the least norm divided by, so that zero vectors stay zero; None means
            `kerasx.backend.epsilon()`.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.normalize([[3.0, 4.0]])).round(4)
        array([[0.6, 0.8]], dtype=float32)
    """
    axes = _check_normalize(x, axis, order)
    epsilon = _config.epsilon() if epsilon is None else float(epsilon)
    (x,) = promote_float(x)
    return _nn.normalize(x, axes, order, epsilon)


# Layer and RMS normalization: over the feature axes of each example, computed in float32 or wider.


def _feature_axes(x, axis) -> tuple:
    return tuple(sorted(_specs.normalize_axis(axis, len(shape_of(x)))))


def _parameter(value, x, axes):
    """A scale or offset given per feature, shaped to broadcast against `x` (as Keras 3 reshapes it)."""
    ndim = len(shape_of(x))
    value = tensor(value, dtype_of(x))
    if len(shape_of(value)) != ndim and axes != (ndim - 1,):
        full = [1] * ndim
        for a in axes:
            full[a] = shape_of(x)[a]
        value = _np.reshape(value, tuple(full))
    return value


def _normalization_spec(x, *args, **kwargs) -> KerasTensor:
    return KerasTensor(shape_of(x), dtype_of(x))


@op(_normalization_spec)
def layer_normalization(
    x: TensorLike,
    gamma: TensorLike | None = None,
    beta: TensorLike | None = None,
    axis: int | tuple[int, ...] = -1,
    epsilon: float | None = None,
    **kwargs: bool,
) -> Tensor:
    """Layer normalization: each example standardized over `axis`, then scaled by `gamma` and shifted by `beta`.

    `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the mean and (population) variance over `axis`,
    computed in float32 at least and returned in the dtype of `x`.

    Args:
        x: input tensor.
        gamma: optional scale, one value per feature (the shape of the `axis` dimensions).
        beta: optional offset, one value per feature.
        axis: the feature axis or axes.
        epsilon: added to the variance; None takes `kerasx.backend.epsilon()`.
        **kwargs: `rms_scaling=True` (deprecated in Keras 3) divides by `sqrt(variance + epsilon)` without
            centring or `beta`; use `rms_normalization` for RMS normalization.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.layer_normalization([0.0, 1.0, 2.0, 3.0, 4.0])).round(4)
        array([-1.4142, -0.7071,  0.    ,  0.7071,  1.4142], dtype=float32)
    """
    unknown = set(kwargs) - {"rms_scaling"}
    if unknown:
        raise TypeError(UNKNOWN_LAYER_NORM_ARGUMENT.format(names=sorted(unknown)))
    original = dtype_of(x)
    epsilon = _config.epsilon() if epsilon is None else float(epsilon)
    x = tensor(x, _dtypes.result_type(_dtypes.float_result(dtype_of(x)), "float32"))
    axes = _feature_axes(x, axis)
    variance = _np.var(x, axis=axes, keepdims=True)
    inverse = _np.reciprocal(_np.sqrt(_np.add(variance, as_tensor(epsilon, dtype_of(x)))))
    if kwargs.get("rms_scaling"):
        outputs = _np.multiply(x, inverse)
        if gamma is not None:
            outputs = _np.multiply(outputs, _parameter(gamma, x, axes))
        return tensor(outputs, original)
    if gamma is not None:
        inverse = _np.multiply(inverse, _parameter(gamma, x, axes))
    mean = _np.mean(x, axis=axes, keepdims=True)
    outputs = _np.subtract(_np.multiply(x, inverse), _np.multiply(mean, inverse))
    if beta is not None:
        outputs = _np.add(outputs, _parameter(beta, x, axes))
    return tensor(outputs, original)


@op(_normalization_spec)
def rms_normalization(
    x: TensorLike, scale: TensorLike | None = None, axis: int | tuple[int, ...] = -1, epsilon: float | None = None
) -> Tensor:
    """Root-mean-square normalization: `x / sqrt(mean(x ** 2) + epsilon) * scale`, over `axis`.

    Computed in float32 at least and returned in the dtype of `x`.

    Args:
        x: input tensor.
        scale: optional scale, one value per feature.
        axis: the feature axis or axes.
        epsilon: added to the mean square; None takes `kerasx.backend.epsilon()`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.rms_normalization([3.0, 4.0], epsilon=0.0)).round(4)
        array([0.8485, 1.1314], dtype=float32)
    """
    original = dtype_of(x)
    epsilon = _config.epsilon() if epsilon is None else float(epsilon)
    x = tensor(x, _dtypes.result_type(_dtypes.float_result(dtype_of(x)), "float32"))
    axes = _feature_axes(x, axis)
    mean_square = _np.mean(_np.square(x), axis=axes, keepdims=True)
    outputs = _np.multiply(x, _np.reciprocal(_np.sqrt(_np.add(mean_square, as_tensor(epsilon, dtype_of(x))))))
    if scale is not None:
        outputs = _np.multiply(outputs, _parameter(scale, x, axes))
    return tensor(outputs, original)


__all__ = ["batch_normalization", "layer_normalization", "moments", "normalize", "rms_normalization"]
