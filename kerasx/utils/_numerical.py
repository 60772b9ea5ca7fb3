"""`to_categorical` and `normalize`: NumPy in, NumPy out; an engine tensor in, an engine tensor out (as Keras 3)."""

from __future__ import annotations

import numpy as np

from kerasx import ops


def to_categorical(x, num_classes: int | None = None):
    """One-hot encodes integer class labels: the class axis is added last.

    A trailing axis of size 1 is dropped first (labels of shape `(n, 1)` give `(n, num_classes)`). Array-likes give
    a float64 NumPy array; an engine tensor gives an engine tensor of the float dtype (`ops.one_hot`).

    Args:
        x: integer labels from 0 to `num_classes - 1`.
        num_classes: the number of classes; by default `max(x) + 1`.

    Returns:
        The one-hot matrix.

    Example:

    >>> from kerasx import utils
    >>> utils.to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    # NumPy arrays take the NumPy path on every backend (the numpy backend's tensors are NumPy arrays too).
    if ops.is_tensor(x) and not isinstance(x, np.ndarray):
        shape = tuple(x.shape)
        if len(shape) > 1 and shape[-1] == 1:
            x = ops.reshape(x, shape[:-1])
        return ops.one_hot(x, num_classes)  # pyright: ignore[reportArgumentType] - None is not inferred on the tensor path
    labels = np.array(x, dtype="int64")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(labels)) + 1
    categorical = np.zeros((labels.shape[0], num_classes))
    categorical[np.arange(labels.shape[0]), labels] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis: int = -1, order: int = 2):
    """`x` divided by its `order`-norm along `axis` (zero norms count as 1, so zero vectors stay zero).

    Args:
        x: a NumPy array or an engine tensor.
        axis: the axis to normalize along.
        order: the norm's order (2 for L2).

    Returns:
        The normalized copy, of `x`'s kind (NumPy array or engine tensor).

    Example:

    >>> import numpy as np
    >>> from kerasx import utils
    >>> utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis or -1)
    return ops.normalize(x, axis=axis, order=order)
