"""Activations that normalize along an axis (Keras 3 names): `softmax`, `log_softmax`, `sparsemax`."""

from __future__ import annotations

from kerasx import ops


def softmax(x, axis=-1):
    """Softmax: `exp(x) / sum(exp(x))` along `axis`, turning scores into probabilities that sum to 1.

    Args:
        x: input tensor.
        axis: the axis that is normalized (usually the classes, -1).

    Returns:
        A tensor of `x`'s shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 3.0]])
        >>> print(np.round(ops.convert_to_numpy(activations.softmax(x)), 4))
        [[0.09   0.2447 0.6652]
         [0.0453 0.0453 0.9094]]
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Log-softmax: `x - logsumexp(x)` along `axis`, the logarithm of `softmax` computed stably.

    Args:
        x: input tensor.
        axis: the axis that is normalized (usually the classes, -1).

    Returns:
        A tensor of `x`'s shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 3.0]])
        >>> print(np.round(ops.convert_to_numpy(activations.log_softmax(x)), 4))
        [[-2.4076 -1.4076 -0.4076]
         [-3.0949 -3.0949 -0.0949]]
    """
    return ops.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax the outputs are non-negative and sum to 1, but low scores get exactly 0.

    Args:
        x: input tensor.
        axis: the axis that is normalized (usually the classes, -1).

    Returns:
        A tensor of `x`'s shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([[1.0, 1.5, 2.0], [0.0, 0.0, 3.0]])
        >>> print(np.round(ops.convert_to_numpy(activations.sparsemax(x)), 4))
        [[0.   0.25 0.75]
         [0.   0.   1.  ]]
    """
    return ops.sparsemax(x, axis=axis)
