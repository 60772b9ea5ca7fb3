"""Public normalization ops: moments, batch_normalization, normalize."""

from __future__ import annotations

from kerasx.backend import _config, _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of
from kerasx.ops._keras_tensor import KerasTensor

_nn = active.nn
_core = active.core

# Half-precision statistics overflow and lose digits quickly; they are computed in float32 and cast back.
_UPCAST = {"float16": "float32", "bfloat16": "float32"}

BAD_PARAMETER_SHAPE = (
    "`batch_normalization`: `{name}` must be a 1-D tensor with one value per entry of x along axis {axis} "
    "(size {size}). Received: {name}.shape={shape}, x.shape={x_shape}."
)
BAD_ORDER = "`normalize`: `order` must be an int >= 1 (the p of the p-norm). Received: order={order!r}."
BAD_AXIS = "Expected a single integer axis. Received: axis={axis!r}."


def _moment_axes(x, axes) -> tuple:
    ndim = len(shape_of(x))
    return tuple(range(ndim)) if axes is None else _specs.normalize_axis(axes, ndim, "axes")


def _moments_spec(x, axes, keepdims=False, synchronized=False):
    shape = _specs.reduced_shape(shape_of(x), _moment_axes(x, axes), keepdims)
    dtype = _dtypes.float_result(dtype_of(x))
    return KerasTensor(shape, dtype), KerasTensor(shape, dtype)


@op(_moments_spec)
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes`.

    Args:
        x: tensor.
        axes: int or tuple of ints to reduce (None: all).
        keepdims: keep the reduced axes with size 1.
        synchronized: aggregate across replicas in distributed training; a single process has nothing to
            synchronize, so the result is the same.

    Returns: `(mean, variance)`, float (integers give floatx).
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
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with the statistics running along `axis`.

    Args:
        x: tensor.
        mean, variance: 1-D tensors of size `x.shape[axis]`.
        axis: the feature axis (int), e.g. -1 for channels_last.
        offset, scale: optional 1-D tensors of the same size (beta and gamma).
        epsilon: added to the variance to avoid dividing by zero.
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
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x), epsilon)` with the `order`-norm taken over `axis` (int or tuple).

    `epsilon` defaults to `kerasx.backend.epsilon()`.
    """
    axes = _check_normalize(x, axis, order)
    epsilon = _config.epsilon() if epsilon is None else float(epsilon)
    (x,) = promote_float(x)
    return _nn.normalize(x, axes, order, epsilon)


__all__ = ["batch_normalization", "moments", "normalize"]
