"""Public activation ops. Integer and bool inputs become floatx; float inputs keep their dtype."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float, shape_of
from kerasx.ops._keras_tensor import KerasTensor

_nn = active.nn

ODD_GLU_AXIS = (
    "`glu` splits `x` into two halves along `axis`, so that axis must have an even size. "
    "Received: x.shape={shape}, axis={axis}."
)


def _float(x):
    (x,) = promote_float(x)
    return x


def _single_axis(axis, ndim: int) -> int:
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise ValueError(f"Expected a single integer axis. Received: axis={axis!r}.")
    return _specs.normalize_axis(axis, ndim)[0]


def _axes(axis, ndim: int):
    axes = _specs.normalize_axis(axis, ndim)
    return axes[0] if isinstance(axis, int) else axes


def _softmax_spec(x, axis=-1):
    _axes(axis, len(shape_of(x)))
    return _specs.same_float(x)


def _sparsemax_spec(x, axis=-1):
    _single_axis(axis, len(shape_of(x)))
    return _specs.same_float(x)


@op(_specs.same_float)
def relu(x):
    """Rectified linear unit: `max(x, 0)`."""
    return _nn.relu(_float(x))


@op(_specs.same_float)
def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`."""
    return _nn.relu6(_float(x))


@op(_specs.same_float)
def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`."""
    return _nn.sigmoid(_float(x))


@op(_specs.same_float)
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` between."""
    return _nn.sparse_sigmoid(_float(x))


@op(_specs.same_float)
def softplus(x):
    """`log(1 + exp(x))`."""
    return _nn.softplus(_float(x))


@op(_specs.same_float)
def softsign(x):
    """`x / (1 + |x|)`."""
    return _nn.softsign(_float(x))


@op(_specs.same_float)
def soft_shrink(x, threshold=0.5):
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`, 0 between."""
    return _nn.soft_shrink(_float(x), float(threshold))


@op(_specs.same_float)
def sparse_plus(x):
    """Smooth ReLU: 0 for `x <= -1`, `(x + 1)^2 / 4` for `-1 < x < 1`, `x` for `x >= 1`."""
    return _nn.sparse_plus(_float(x))


@op(_specs.same_float)
def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`."""
    return _nn.silu(_float(x))


@op(_specs.same_float)
def squareplus(x, b=4):
    """`(x + sqrt(x^2 + b)) / 2`, a smooth ReLU; `b >= 0` sets the curvature at 0."""
    return _nn.squareplus(_float(x), float(b))


@op(_specs.same_float)
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably as `-softplus(-x)`."""
    return _nn.log_sigmoid(_float(x))


@op(_specs.same_float)
def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, `negative_slope * x` otherwise."""
    return _nn.leaky_relu(_float(x), float(negative_slope))


@op(_specs.same_float)
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `clip(x / 6 + 1/2, 0, 1)`."""
    return _nn.hard_sigmoid(_float(x))


@op(_specs.same_float)
def hard_silu(x):
    """Hard swish: `x * hard_sigmoid(x)`."""
    return _nn.hard_silu(_float(x))


@op(_specs.same_float)
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise."""
    return _nn.elu(_float(x), float(alpha))


@op(_specs.same_float)
def selu(x):
    """Scaled ELU with the self-normalizing constants (alpha ~1.6733, scale ~1.0507)."""
    return _nn.selu(_float(x))


@op(_specs.same_float)
def gelu(x, approximate=True):
    """Gaussian error linear unit `x * Phi(x)`; `approximate=True` uses the tanh approximation."""
    return _nn.gelu(_float(x), bool(approximate))


@op(_specs.same_float)
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)`."""
    return _nn.celu(_float(x), float(alpha))


def _glu_axis(x, axis) -> int:
    shape = shape_of(x)
    axis = _single_axis(axis, len(shape))
    if shape[axis] is not None and shape[axis] % 2:
        raise ValueError(ODD_GLU_AXIS.format(shape=tuple(shape), axis=axis))
    return axis


def _glu_spec(x, axis=-1):
    shape = list(shape_of(x))
    axis = _glu_axis(x, axis)
    shape[axis] = None if shape[axis] is None else shape[axis] // 2
    return KerasTensor(tuple(shape), _specs.same_float(x).dtype)


@op(_glu_spec)
def glu(x, axis=-1):
    """Gated linear unit: `a * sigmoid(b)` where `a, b` are the halves of `x` along `axis`.

    Shapes: `x` has an even size along `axis`; the output has half of it.
    """
    axis = _glu_axis(x, axis)
    return _nn.glu(_float(x), axis)


@op(_specs.same_float)
def tanh_shrink(x):
    """`x - tanh(x)`."""
    return _nn.tanh_shrink(_float(x))


@op(_specs.same_float)
def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return _nn.hard_tanh(_float(x))


@op(_specs.same_float)
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, 0 elsewhere."""
    return _nn.hard_shrink(_float(x), float(threshold))


@op(_specs.same_float)
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, `default_value` elsewhere."""
    return _nn.threshold(_float(x), float(threshold), float(default_value))


@op(_softmax_spec)
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis` (an int or a tuple of ints); the result sums to 1 over `axis`."""
    x = _float(x)
    return _nn.softmax(x, _axes(axis, len(shape_of(x))))


@op(_softmax_spec)
def log_softmax(x, axis=-1):
    """`x - logsumexp(x)` along `axis` (an int or a tuple of ints)."""
    x = _float(x)
    return _nn.log_softmax(x, _axes(axis, len(shape_of(x))))


@op(_sparsemax_spec)
def sparsemax(x, axis=-1):
    """Projection of `x` onto the probability simplex along `axis`: like softmax, but with exact zeros."""
    x = _float(x)
    return _nn.sparsemax(x, _single_axis(axis, len(shape_of(x))))


swish = silu
hard_swish = hard_silu

__all__ = [
    "celu",
    "elu",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh_shrink",
    "threshold",
]
