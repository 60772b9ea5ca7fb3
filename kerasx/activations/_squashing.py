"""Squashing, shrinking and pass-through activations (Keras 3 names): sigmoid and tanh families, shrinkage,
thresholds, `exponential` and `linear`."""

from __future__ import annotations

from kerasx import ops
from kerasx.activations._cast import as_float


def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`, in (0, 1).

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.sigmoid(x)), 4))
        [0.0474 0.2689 0.5    0.7311 0.9526]
    """
    return ops.sigmoid(x)


def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for x <= -1, 1 for x >= 1, `(x + 1) / 2` between.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.sparse_sigmoid(x)), 4))
        [0.  0.  0.5 1.  1. ]
    """
    return ops.sparse_sigmoid(x)


def hard_sigmoid(x):
    """Hard sigmoid: `clip(x / 6 + 1 / 2, 0, 1)`, a piecewise linear sigmoid.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.hard_sigmoid(x)), 4))
        [0.     0.3333 0.5    0.6667 1.    ]
    """
    return ops.hard_sigmoid(x)


def log_sigmoid(x):
    """Log-sigmoid: `log(sigmoid(x))`, computed without overflow as `-softplus(-x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.log_sigmoid(x)), 4))
        [-3.0486 -1.3133 -0.6931 -0.3133 -0.0486]
    """
    return ops.log_sigmoid(x)


def tanh(x):
    """Hyperbolic tangent: `(exp(x) - exp(-x)) / (exp(x) + exp(-x))`, in (-1, 1).

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.tanh(x)), 4))
        [-0.9951 -0.7616  0.      0.7616  0.9951]
    """
    return ops.tanh(as_float(x))


def tanh_shrink(x):
    """Tanh shrinkage: `x - tanh(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.tanh_shrink(x)), 4))
        [-2.0049 -0.2384  0.      0.2384  2.0049]
    """
    return ops.tanh_shrink(x)


def hard_tanh(x):
    """Hard tanh: `clip(x, -1, 1)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.hard_tanh(x)), 4))
        [-1. -1.  0.  1.  1.]
    """
    return ops.hard_tanh(x)


def softsign(x):
    """Softsign: `x / (1 + |x|)`, a slowly saturating alternative to tanh.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.softsign(x)), 4))
        [-0.75 -0.5   0.    0.5   0.75]
    """
    return ops.softsign(x)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, 0 between.

    Args:
        x: input tensor.
        threshold: half-width of the band mapped to 0.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.soft_shrink(x)), 4))
        [-2.5 -0.5  0.   0.5  2.5]
    """
    return ops.soft_shrink(x, threshold=threshold)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `|x| > threshold`, else 0.

    Args:
        x: input tensor.
        threshold: half-width of the band mapped to 0.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -0.25, 0.0, 0.25, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.hard_shrink(x)), 4))
        [-3.  0.  0.  0.  3.]
    """
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x, threshold, default_value):
    """Thresholded identity: `x` where `x > threshold`, else `default_value`.

    Args:
        x: input tensor.
        threshold: values at or below it are replaced.
        default_value: the replacement.

    Returns:
        A tensor of `x`'s shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.threshold(x, 0.5, -1.0)), 4))
        [-1. -1. -1.  1.  3.]
    """
    return ops.threshold(x, threshold, default_value)


def exponential(x):
    """Exponential: `exp(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.exponential(x)), 4))
        [ 0.0498  0.3679  1.      2.7183 20.0855]
    """
    return ops.exp(as_float(x))


def linear(x):
    """Linear (identity) activation: returns `x` unchanged.

    It is what `activation=None` means in layers: `kerasx.activations.get(None)` is this function.

    Args:
        x: input tensor.

    Returns:
        `x` itself.

    Example:
        >>> import numpy as np
        >>> from kerasx import activations
        >>> x = np.array([-1.0, 2.0])
        >>> activations.linear(x) is x
        True
        >>> activations.get(None) is activations.linear
        True
    """
    return x
