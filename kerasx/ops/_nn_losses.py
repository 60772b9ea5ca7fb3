"""Public encodings and cross-entropy losses: one_hot, multi_hot and the three Keras cross-entropies.

Losses are elementwise / per example (no reduction over the batch). Without `from_logits`, probabilities are
clipped to `[epsilon, 1 - epsilon]` (`kerasx.backend.epsilon()`), as in Keras, so the loss stays finite.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_nn = active.nn

SHAPE_MISMATCH = (
    "`{op}`: `target` and `output` must have the same shape. Received: target.shape={target}, "
    "output.shape={output}. For integer class labels use `sparse_categorical_crossentropy`."
)
SPARSE_SHAPE_MISMATCH = (
    "`sparse_categorical_crossentropy`: `target` must have the shape of `output` without the class axis {axis} "
    "(optionally with a trailing 1). Received: target.shape={target}, output.shape={output}."
)
BAD_NUM_CLASSES = "`{op}`: `num_classes` must be a positive int. Received: num_classes={num_classes!r}."
NO_CLASS_AXIS = "`{op}`: `output` needs a class axis (rank >= 1). Received: output.shape={output}."
NO_SPARSE = (
    "`{name}`: kerasx has dense tensors only, so it cannot return a sparse encoding (backend: {backend}). "
    "Received: sparse=True. Pass sparse=False (the default)."
)


def _indices(x):
    """Native integer tensor of `x` (floats and bools are cast to int32, as Keras does)."""
    dtype = dtype_of(x)
    return tensor(x, dtype if _dtypes.is_int(dtype) else "int32")


def _check_num_classes(op_name, num_classes) -> int:
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(BAD_NUM_CLASSES.format(op=op_name, num_classes=num_classes))
    return num_classes


def _one_hot_shape(x, num_classes, axis):
    shape = list(shape_of(x))
    axis = _specs.normalize_axis(axis, len(shape) + 1)[0]
    shape.insert(axis, _check_num_classes("one_hot", num_classes))
    return tuple(shape), axis


def _check_dense(name, sparse):
    if sparse:
        raise ValueError(NO_SPARSE.format(name=name, backend=active.NAME))


def _one_hot_spec(x, num_classes, axis=-1, dtype=None, sparse=False):
    _check_dense("one_hot", sparse)
    shape, _ = _one_hot_shape(x, num_classes, axis)
    return KerasTensor(shape, _dtypes.standardize_dtype(dtype))


@op(_one_hot_spec)
def one_hot(
    x: TensorLike, num_classes: int, axis: int = -1, dtype: str | None = None, sparse: bool = False
) -> Tensor:
    """One-hot encoding of integer class indices: a new axis of size `num_classes` with a 1 at each index.

    Indices outside `[0, num_classes)` give all-zero vectors. Float and bool inputs are cast to int32.

    Args:
        x: integer class indices (any shape).
        num_classes: the number of classes, a positive int.
        axis: where the class axis goes in the result.
        dtype: the result dtype; None means floatx.
        sparse: must be False: kerasx's tensors are dense (True raises a `ValueError`).

    Returns:
        A tensor with one more axis than `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.one_hot([0, 2], 3))
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    _check_dense("one_hot", sparse)
    _, axis = _one_hot_shape(x, num_classes, axis)
    return _nn.one_hot(_indices(x), num_classes, axis, _dtypes.standardize_dtype(dtype))


def _multi_hot_shape(inputs, num_classes, axis):
    encoded, axis = _one_hot_shape(inputs, num_classes, axis)
    label_axis = 1 if len(shape_of(inputs)) > 1 else 0
    return tuple(d for i, d in enumerate(encoded) if i != label_axis), axis


def _multi_hot_spec(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    _check_dense("multi_hot", sparse)
    shape, _ = _multi_hot_shape(inputs, num_classes, axis)
    return KerasTensor(shape, _dtypes.standardize_dtype(dtype))


@op(_multi_hot_spec)
def multi_hot(
    inputs: TensorLike, num_classes: int, axis: int = -1, dtype: str | None = None, sparse: bool = False
) -> Tensor:
    """Multi-hot encoding: 1 for every class that occurs among the labels of an example, 0 elsewhere.

    Args:
        inputs: integer labels, `(num_labels,)` for one example or `(batch, num_labels)`.
        num_classes: the number of classes, a positive int.
        axis: where the class axis goes in the result.
        dtype: the result dtype; None means floatx.
        sparse: must be False: kerasx's tensors are dense (True raises a `ValueError`).

    Returns:
        `(num_classes,)` or `(batch, num_classes)`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.multi_hot([[0, 2], [1, 1]], 3))
        array([[1., 0., 1.],
               [0., 1., 0.]], dtype=float32)
    """
    _check_dense("multi_hot", sparse)
    _, axis = _multi_hot_shape(inputs, num_classes, axis)
    return _nn.multi_hot(_indices(inputs), num_classes, axis, _dtypes.standardize_dtype(dtype))


def _check_same_shape(op_name, target, output):
    target_shape, output_shape = tuple(shape_of(target)), tuple(shape_of(output))
    compatible = len(target_shape) == len(output_shape) and all(
        a is None or b is None or a == b for a, b in zip(target_shape, output_shape)
    )
    if not compatible:
        raise ValueError(SHAPE_MISMATCH.format(op=op_name, target=target_shape, output=output_shape))
    return output_shape


def _binary_spec(target, output, from_logits=False):
    shape = _check_same_shape("binary_crossentropy", target, output)
    return KerasTensor(shape, _dtypes.float_result(dtype_of(target), dtype_of(output)))


@op(_binary_spec)
def binary_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False) -> Tensor:
    """Elementwise binary cross-entropy `-(t * log(p) + (1 - t) * log(1 - p))`.

    Without `from_logits`, the probabilities are clipped to `[epsilon, 1 - epsilon]` first
    (`kerasx.backend.epsilon()`), as in Keras; with it, the loss is computed stably from the logits.

    Args:
        target: targets in `[0, 1]`.
        output: predicted probabilities (or logits), of the shape of `target`.
        from_logits: whether `output` holds logits rather than probabilities.

    Returns:
        The losses, a float tensor of the shape of `target` (no reduction).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.binary_crossentropy([1.0, 0.0], [0.9, 0.2])).round(4)
        array([0.1054, 0.2231], dtype=float32)
    """
    _check_same_shape("binary_crossentropy", target, output)
    target, output = promote_float(target, output)
    return _nn.binary_crossentropy(target, output, bool(from_logits))


def _class_axis(op_name, output, axis) -> int:
    output_shape = shape_of(output)
    if not output_shape:
        raise ValueError(NO_CLASS_AXIS.format(op=op_name, output=tuple(output_shape)))
    return _specs.normalize_axis(axis, len(output_shape))[0]


def _categorical_spec(target, output, from_logits=False, axis=-1):
    shape = _check_same_shape("categorical_crossentropy", target, output)
    axis = _class_axis("categorical_crossentropy", output, axis)
    dtype = _dtypes.float_result(dtype_of(target), dtype_of(output))
    return KerasTensor(shape[:axis] + shape[axis + 1 :], dtype)


@op(_categorical_spec)
def categorical_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """Cross-entropy `-sum(t * log(p))` between one-hot (or soft) targets and class probabilities along `axis`.

    Without `from_logits`, the probabilities are renormalized to sum to 1 over `axis` and clipped to
    `[epsilon, 1 - epsilon]` first, as in Keras.

    Args:
        target: target distributions, e.g. one-hot vectors.
        output: predicted probabilities (or logits), of the shape of `target`.
        from_logits: whether `output` holds logits rather than probabilities.
        axis: the class axis.

    Returns:
        The losses, a float tensor: `target` without `axis` (no reduction).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.categorical_crossentropy([[0.0, 1.0, 0.0]], [[0.1, 0.8, 0.1]])).round(4)
        array([0.2231], dtype=float32)
    """
    _check_same_shape("categorical_crossentropy", target, output)
    axis = _class_axis("categorical_crossentropy", output, axis)
    target, output = promote_float(target, output)
    return _nn.categorical_crossentropy(target, output, bool(from_logits), axis)


def _check_sparse(target, output, axis):
    axis = _class_axis("sparse_categorical_crossentropy", output, axis)
    output_shape = tuple(shape_of(output))
    expected = output_shape[:axis] + output_shape[axis + 1 :]
    target_shape = tuple(shape_of(target))
    if len(target_shape) == len(output_shape) and target_shape[-1] == 1:
        target_shape = target_shape[:-1]
    compatible = len(target_shape) == len(expected) and all(
        a is None or b is None or a == b for a, b in zip(target_shape, expected)
    )
    if not compatible:
        raise ValueError(SPARSE_SHAPE_MISMATCH.format(axis=axis, target=tuple(shape_of(target)), output=output_shape))
    return axis, expected


def _sparse_spec(target, output, from_logits=False, axis=-1):
    _, shape = _check_sparse(target, output, axis)
    return KerasTensor(shape, _dtypes.float_result(dtype_of(output)))


@op(_sparse_spec)
def sparse_categorical_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """Cross-entropy between integer class labels and class probabilities (or logits) along `axis`.

    The same loss as `categorical_crossentropy` of the one-hot labels, without building them. Labels outside
    `[0, num_classes)` contribute 0.

    Args:
        target: integer class labels: `output.shape` without `axis` (a trailing axis of size 1 is allowed).
        output: predicted probabilities (or logits).
        from_logits: whether `output` holds logits rather than probabilities.
        axis: the class axis of `output`.

    Returns:
        The losses, a float tensor of the shape of the labels (no reduction).

    Example:
        >>> from kerasx import ops
        >>> probabilities = [[0.1, 0.8, 0.1], [0.5, 0.25, 0.25]]
        >>> ops.convert_to_numpy(ops.sparse_categorical_crossentropy([1, 0], probabilities)).round(4)
        array([0.2231, 0.6931], dtype=float32)
    """
    axis, _ = _check_sparse(target, output, axis)
    (output,) = promote_float(output)
    return _nn.sparse_categorical_crossentropy(_indices(target), output, bool(from_logits), axis)


__all__ = [
    "binary_crossentropy",
    "categorical_crossentropy",
    "multi_hot",
    "one_hot",
    "sparse_categorical_crossentropy",
]
