"""Activation functions by Keras 3 name, built on `kerasx.ops`. Integer inputs give floatx, as the ops do."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import floatx, is_float


def _float(x):
    x = ops.convert_to_tensor(x)
    return x if is_float(ops.dtype(x)) else ops.cast(x, floatx())


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
    x = _float(x)
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
    return ops.tanh(_float(x))


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
    return ops.exp(_float(x))


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
    x = _float(x)
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


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


ALL_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        celu,
        elu,
        exponential,
        gelu,
        glu,
        hard_shrink,
        hard_sigmoid,
        hard_silu,
        hard_tanh,
        leaky_relu,
        linear,
        log_sigmoid,
        log_softmax,
        mish,
        relu,
        relu6,
        selu,
        sigmoid,
        silu,
        soft_shrink,
        softmax,
        softplus,
        softsign,
        sparse_plus,
        sparse_sigmoid,
        sparsemax,
        squareplus,
        tanh,
        tanh_shrink,
        threshold,
    )
}
ALIASES = {"swish": silu, "hard_swish": hard_silu}
