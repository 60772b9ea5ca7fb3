"""Rectifier activations (Keras 3 names): near zero for negative inputs, growing for positive ones."""

from __future__ import annotations

from kerasx import ops
from kerasx.activations._cast import as_float


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, optionally leaky, capped and shifted.

    Returns `x` for `threshold < x` (capped at `max_value`), `negative_slope * (x - threshold)` otherwise; with the
    defaults, `max(x, 0)`.

    Args:
        x: input tensor.
        negative_slope: slope below the threshold (0 gives the plain ReLU).
        max_value: upper bound of the output, or None.
        threshold: the value below which the output is zero (or leaky).

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.relu(x)), 4))
        [0. 0. 0. 1. 3.]
        >>> print(np.round(ops.convert_to_numpy(activations.relu(x, negative_slope=0.1, max_value=2.0)), 4))
        [-0.3 -0.1  0.   1.   2. ]
    """
    if negative_slope == 0 and max_value is None and threshold == 0:
        return ops.relu(x)
    x = as_float(x)
    result = ops.where(ops.greater(x, threshold), x, ops.zeros_like(x))
    if max_value is not None:
        result = ops.minimum(result, max_value)
    if negative_slope != 0:
        result = ops.add(result, ops.multiply(negative_slope, ops.minimum(ops.subtract(x, threshold), 0.0)))
    return result


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for x >= 0, `negative_slope * x` below.

    Args:
        x: input tensor.
        negative_slope: slope for negative inputs.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.leaky_relu(x, negative_slope=0.1)), 4))
        [-0.3 -0.1  0.   1.   3. ]
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, 0.0, 3.0, 6.0, 9.0])
        >>> print(np.round(ops.convert_to_numpy(activations.relu6(x)), 4))
        [0. 0. 3. 6. 6.]
    """
    return ops.relu6(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for x > 0, `alpha * (exp(x) - 1)` below.

    Args:
        x: input tensor.
        alpha: scale of the negative part (its limit is `-alpha`).

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.elu(x)), 4))
        [-0.9502 -0.6321  0.      1.      3.    ]
    """
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)` with fixed constants.

    With `alpha ~ 1.6733` and `scale ~ 1.0507`, activations of a network initialized with `lecun_normal` keep
    zero mean and unit variance from layer to layer (self-normalizing networks).

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.selu(x)), 4))
        [-1.6706 -1.1113  0.      1.0507  3.1521]
    """
    return ops.selu(x)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)`.

    Args:
        x: input tensor.
        alpha: scale of the negative part.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.celu(x)), 4))
        [-0.9502 -0.6321  0.      1.      3.    ]
    """
    return ops.celu(x, alpha=alpha)


def softplus(x):
    """Softplus: `log(1 + exp(x))`, a smooth ReLU.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.softplus(x)), 4))
        [0.0486 0.3133 0.6931 1.3133 3.0486]
    """
    return ops.softplus(x)


def sparse_plus(x):
    """SparsePlus: 0 for x <= -1, `(x + 1)**2 / 4` between -1 and 1, `x` above.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.sparse_plus(x)), 4))
        [0.   0.   0.25 1.   3.  ]
    """
    return ops.sparse_plus(x)


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.silu(x)), 4))
        [-0.1423 -0.2689  0.      0.7311  2.8577]
    """
    return ops.silu(x)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-2.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.hard_silu(x)), 4))
        [-0.3333 -0.3333  0.      0.6667  3.    ]
    """
    return ops.hard_silu(x)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a softplus-like curve with only algebraic operations.

    Args:
        x: input tensor.
        b: smoothness near 0 (b = 0 gives the ReLU).

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.squareplus(x)), 4))
        [0.3028 0.618  1.     1.618  3.3028]
    """
    return ops.squareplus(x, b=b)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    `approximate=True` uses the tanh formula `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`; the
    default here is the exact form with the error function, as Keras's activation.

    Args:
        x: input tensor.
        approximate: use the tanh approximation.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.gelu(x)), 4))
        [-0.004  -0.1587  0.      0.8413  2.996 ]
    """
    return ops.gelu(x, approximate=approximate)


def glu(x, axis=-1):
    """Gated linear unit: `a * sigmoid(b)`, where `a` and `b` are the two halves of `x` along `axis`.

    Args:
        x: input tensor whose size along `axis` is even.
        axis: the axis that is split in two.

    Returns:
        A tensor of `x`'s shape with half the size along `axis`.

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([[1.0, 2.0, 0.0, 100.0]])
        >>> print(np.round(ops.convert_to_numpy(activations.glu(x)), 4))
        [[0.5 2. ]]
    """
    return ops.glu(x, axis=axis)


def mish(x):
    """Mish: `x * tanh(softplus(x))`, a smooth self-gated activation.

    Args:
        x: input tensor.

    Returns:
        A tensor of `x`'s shape (floatx for integer inputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import activations, ops
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
        >>> print(np.round(ops.convert_to_numpy(activations.mish(x)), 4))
        [-0.1456 -0.3034  0.      0.8651  2.9865]
    """
    x = as_float(x)
    return ops.multiply(x, ops.tanh(ops.softplus(x)))
