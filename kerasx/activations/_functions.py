"""Activation functions by Keras 3 name, built on `kerasx.ops`. Integer inputs give floatx, as the ops do."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import floatx, is_float


def _float(x):
    x = ops.convert_to_tensor(x)
    return x if is_float(ops.dtype(x)) else ops.cast(x, floatx())


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, optionally leaky, capped and shifted.

    Returns `x` for `threshold < x` (capped at `max_value`), `negative_slope * (x - threshold)` otherwise.
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
    """`x` for x >= 0, `negative_slope * x` below."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """min(max(x, 0), 6)."""
    return ops.relu6(x)


def elu(x, alpha=1.0):
    """`x` for x > 0, `alpha * (exp(x) - 1)` below."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU with the self-normalizing constants."""
    return ops.selu(x)


def softplus(x):
    """log(1 + exp(x))."""
    return ops.softplus(x)


def softsign(x):
    """x / (1 + |x|)."""
    return ops.softsign(x)


def soft_shrink(x, threshold=0.5):
    """`x - threshold` above threshold, `x + threshold` below -threshold, 0 between."""
    return ops.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    """0 for x <= -1, (x + 1)^2 / 4 between -1 and 1, x above."""
    return ops.sparse_plus(x)


def silu(x):
    """x * sigmoid(x) (also called swish)."""
    return ops.silu(x)


def squareplus(x, b=4):
    """(x + sqrt(x^2 + b)) / 2."""
    return ops.squareplus(x, b=b)


def gelu(x, approximate=False):
    """Gaussian error linear unit; `approximate` uses the tanh formula (Keras's activation default is exact)."""
    return ops.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    """max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)."""
    return ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """a * sigmoid(b), where a and b are the halves of `x` along `axis`."""
    return ops.glu(x, axis=axis)


def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(_float(x))


def tanh_shrink(x):
    """x - tanh(x)."""
    return ops.tanh_shrink(x)


def hard_tanh(x):
    """clip(x, -1, 1)."""
    return ops.hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    """`x` where |x| > threshold, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x, threshold, default_value):
    """`x` where x > threshold, else `default_value`."""
    return ops.threshold(x, threshold, default_value)


def sigmoid(x):
    """1 / (1 + exp(-x))."""
    return ops.sigmoid(x)


def sparse_sigmoid(x):
    """0 for x <= -1, 1 for x >= 1, (x + 1) / 2 between."""
    return ops.sparse_sigmoid(x)


def hard_sigmoid(x):
    """clip(x / 6 + 1 / 2, 0, 1)."""
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """x * hard_sigmoid(x) (also called hard_swish)."""
    return ops.hard_silu(x)


def log_sigmoid(x):
    """log(sigmoid(x))."""
    return ops.log_sigmoid(x)


def exponential(x):
    """exp(x)."""
    return ops.exp(_float(x))


def mish(x):
    """x * tanh(softplus(x))."""
    x = _float(x)
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`."""
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along `axis`."""
    return ops.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    """Euclidean projection of `x` onto the probability simplex along `axis`."""
    return ops.sparsemax(x, axis=axis)


def linear(x):
    """The identity: `x` unchanged."""
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
