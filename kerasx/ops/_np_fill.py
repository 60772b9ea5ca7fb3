"""Tensors filled with constants (zeros, ones, full, their `_like` forms), identity and triangle matrices, and
copies."""

from __future__ import annotations

from kerasx.backend import _config, _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import ShapeLike, Tensor, TensorLike

_np = active.numpy

BAD_SHAPE = "`shape` must be an int or a tuple of non-negative ints. Received: shape={shape!r}."


def _shape_tuple(shape) -> tuple:
    try:
        result = (int(shape),) if isinstance(shape, int) else tuple(int(d) for d in shape)
    except TypeError as error:
        raise ValueError(BAD_SHAPE.format(shape=shape)) from error
    if any(d < 0 for d in result):
        raise ValueError(BAD_SHAPE.format(shape=shape))
    return result



def _dtype_or_floatx(dtype) -> str:
    return _config.floatx() if dtype is None else _dtypes.standardize_dtype(dtype)



def _fill_spec(shape, dtype=None):
    return KerasTensor(_shape_tuple(shape), _dtype_or_floatx(dtype))


@op(_fill_spec)
def zeros(shape: ShapeLike, dtype: str | None = None) -> Tensor:
    """A tensor of `shape` filled with 0.

    Args:
        shape: an int or a tuple of non-negative ints.
        dtype: the dtype; None means floatx.

    Returns:
        A tensor of zeros.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.zeros((2, 3)))
        array([[0., 0., 0.],
               [0., 0., 0.]], dtype=float32)
    """
    return _np.zeros(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype))


@op(_fill_spec)
def ones(shape: ShapeLike, dtype: str | None = None) -> Tensor:
    """A tensor of `shape` filled with 1.

    Args:
        shape: an int or a tuple of non-negative ints.
        dtype: the dtype; None means floatx.

    Returns:
        A tensor of ones.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.ones(2, dtype="int32"))
        array([1, 1], dtype=int32)
    """
    return _np.ones(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype))


@op(_fill_spec)
def empty(shape: ShapeLike, dtype: str | None = None) -> Tensor:
    """A tensor of `shape` whose values are unspecified in NumPy; kerasx fills it with zeros, so that results are
    reproducible on every engine.

    Args:
        shape: an int or a tuple of non-negative ints.
        dtype: the dtype; None means floatx.

    Returns:
        A tensor of zeros.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.empty((1, 2)))
        array([[0., 0.]], dtype=float32)
    """
    return _np.zeros(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype))


def _full_spec(shape, fill_value, dtype=None) -> KerasTensor:
    return _fill_spec(shape, dtype)


@op(_full_spec)
def full(shape: ShapeLike, fill_value: TensorLike, dtype: str | None = None) -> Tensor:
    """A tensor of `shape` filled with `fill_value`.

    Args:
        shape: an int or a tuple of non-negative ints.
        fill_value: a number, or a tensor broadcastable to `shape`.
        dtype: the dtype; None means floatx, as in Keras (also for an int `fill_value`).

    Returns:
        A tensor of `shape`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.full((2, 2), 7, dtype="int32"))
        array([[7, 7],
               [7, 7]], dtype=int32)
    """
    dtype = _dtype_or_floatx(dtype)
    return _np.full(_shape_tuple(shape), convert(fill_value, dtype), dtype=dtype)


def _like_spec(x, dtype=None):
    return KerasTensor(shape_of(x), dtype_of(x) if dtype is None else _dtypes.standardize_dtype(dtype))



def _like_dtype(x, dtype) -> str:
    return dtype_of(x) if dtype is None else _dtypes.standardize_dtype(dtype)


@op(_like_spec)
def zeros_like(x: TensorLike, dtype: str | None = None) -> Tensor:
    """Zeros with the shape of `x`.

    Args:
        x: a tensor whose shape (and, by default, dtype) the result takes.
        dtype: the dtype; None keeps the dtype of `x`.

    Returns:
        A tensor of zeros.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.zeros_like([[1, 2]]))
        array([[0, 0]], dtype=int32)
    """
    x = tensor(x)
    return _np.zeros_like(x, dtype=_like_dtype(x, dtype))


@op(_like_spec)
def ones_like(x: TensorLike, dtype: str | None = None) -> Tensor:
    """Ones with the shape of `x`.

    Args:
        x: a tensor whose shape (and, by default, dtype) the result takes.
        dtype: the dtype; None keeps the dtype of `x`.

    Returns:
        A tensor of ones.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.ones_like([1.5, 2.5], dtype="int32"))
        array([1, 1], dtype=int32)
    """
    x = tensor(x)
    return _np.ones_like(x, dtype=_like_dtype(x, dtype))


@op(_like_spec)
def empty_like(x: TensorLike, dtype: str | None = None) -> Tensor:
    """A tensor with the shape of `x`; filled with zeros in kerasx, for reproducible results.

    Args:
        x: a tensor whose shape (and, by default, dtype) the result takes.
        dtype: the dtype; None keeps the dtype of `x`.

    Returns:
        A tensor of zeros.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.empty_like([1, 2]))
        array([0, 0], dtype=int32)
    """
    x = tensor(x)
    return _np.zeros_like(x, dtype=_like_dtype(x, dtype))


def _full_like_spec(x, fill_value, dtype=None) -> KerasTensor:
    return _like_spec(x, dtype)


@op(_full_like_spec)
def full_like(x: TensorLike, fill_value: TensorLike, dtype: str | None = None) -> Tensor:
    """`fill_value` repeated to the shape of `x`.

    Args:
        x: a tensor whose shape (and, by default, dtype) the result takes.
        fill_value: a number, or a tensor broadcastable to the shape of `x`.
        dtype: the dtype; None keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.full_like([1, 2], 9))
        array([9, 9], dtype=int32)
    """
    x = tensor(x)
    dtype = _like_dtype(x, dtype)
    return _np.full_like(x, convert(fill_value, dtype), dtype=dtype)


def _eye_spec(N, M=None, k=0, dtype=None):
    return KerasTensor((int(N), int(N if M is None else M)), _dtype_or_floatx(dtype))


@op(_eye_spec)
def eye(N: int, M: int | None = None, k: int = 0, dtype: str | None = None) -> Tensor:
    """An `N x M` matrix with ones on its `k`-th diagonal and zeros elsewhere.

    Args:
        N: the number of rows.
        M: the number of columns; None means `N`.
        k: which diagonal: 0 for the main one, positive above it, negative below it.
        dtype: the dtype; None means floatx.

    Returns:
        A 2-D tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.eye(2, 3, k=1))
        array([[0., 1., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    return _np.eye(int(N), M=None if M is None else int(M), k=int(k), dtype=_dtype_or_floatx(dtype))


def _identity_spec(n, dtype=None) -> KerasTensor:
    return KerasTensor((int(n), int(n)), _dtype_or_floatx(dtype))


@op(_identity_spec)
def identity(n: int, dtype: str | None = None) -> Tensor:
    """The `n x n` identity matrix.

    Args:
        n: the number of rows and columns.
        dtype: the dtype; None means floatx.

    Returns:
        A 2-D tensor with ones on the diagonal.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.identity(2))
        array([[1., 0.],
               [0., 1.]], dtype=float32)
    """
    return _np.eye(int(n), M=None, k=0, dtype=_dtype_or_floatx(dtype))


@op(_eye_spec)
def tri(N: int, M: int | None = None, k: int = 0, dtype: str | None = None) -> Tensor:
    """An `N x M` matrix with ones on and below its `k`-th diagonal and zeros above.

    Args:
        N: the number of rows.
        M: the number of columns; None means `N`.
        k: the diagonal up to which the ones reach (0: main, positive: above it, negative: below it).
        dtype: the dtype; None means floatx.

    Returns:
        A 2-D tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tri(3, dtype="int32"))
        array([[1, 0, 0],
               [1, 1, 0],
               [1, 1, 1]], dtype=int32)
    """
    return _np.tri(int(N), M=None if M is None else int(M), k=int(k), dtype=_dtype_or_floatx(dtype))


@op(_like_spec)
def array(x: TensorLike, dtype: str | None = None) -> Tensor:
    """A new tensor holding a copy of `x`.

    Args:
        x: a tensor, NumPy array, (nested) list or number.
        dtype: the dtype; None keeps the dtype of `x` (Python data: int32, floatx or bool).

    Returns:
        A tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.array([1, 2], dtype="float32"))
        array([1., 2.], dtype=float32)
    """
    return _np.copy(convert(x, None if dtype is None else _dtypes.standardize_dtype(dtype)))


@op(_specs.same)
def copy(x: TensorLike) -> Tensor:
    """A copy of `x`.

    Args:
        x: input tensor.

    Returns:
        A new tensor with the values, shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.copy([1, 2]))
        array([1, 2], dtype=int32)
    """
    return _np.copy(tensor(x))


__all__ = [
    "array",
    "copy",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "identity",
    "ones",
    "ones_like",
    "tri",
    "zeros",
    "zeros_like",
]
