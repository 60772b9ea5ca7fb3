"""Random functions that need log or erfinv: normal, truncated_normal, categorical.

Engines' log and erfinv differ in the last bit, so when the key is concrete (eager code, int seeds) these are
computed on the host with NumPy from the same Threefry bits, rounded once to the requested dtype, and converted:
bit-identical on every engine. When the key is being traced (inside jax.jit, tf.function, torch.compile, e.g. a
compiled training step with a SeedGenerator), the same formulas run on the engine in float32 (float64 for float64
results) and agree with the host values to float32 rounding, not bit for bit.
"""

from __future__ import annotations

import math

import numpy as np

from kerasx import ops
from kerasx.backend import _dtypes, active
from kerasx.backend.numpy import random as _host_random
from kerasx.random import _args
from kerasx.random._erfinv import erfinv
from kerasx.random._seed_generator import draw_key, host_key, is_concrete

_random = active.random
_core = active.core

BAD_LOGITS = (
    "`categorical` needs logits of shape (batch_size, num_classes). Received: logits of shape {shape}. "
    "Add a batch axis of size 1 for a single distribution."
)
BAD_NUM_SAMPLES = "`categorical` needs a positive int num_samples. Received: num_samples={num_samples!r}."

_SQRT2 = math.sqrt(2.0)
# erf(sqrt(2)) = P(|z| < 2) for a standard normal z: scaling erfinv's argument by it truncates at 2 stddev.
_ERF_SQRT2 = math.erf(_SQRT2)


def _open_bits(dtype: str) -> int:
    """Bits k per number for the open-interval value (2k + 1 - 2**b) / 2**b: exact in the compute dtype."""
    return 31 if dtype == "float64" else 23


def host_value(value):
    if isinstance(value, (int, float, np.ndarray)):
        return np.asarray(value, np.float64)
    return np.asarray(_core.convert_to_numpy(value), np.float64)


def to_engine(values: np.ndarray, dtype: str):
    """Round float64 host values once, to `dtype`, then hand them to the engine (which does not round again)."""
    return _core.convert_to_tensor(values.astype(_dtypes.numpy_dtype(dtype)), dtype)


def _symmetric_unit_host(shape, key, num_bits) -> np.ndarray:
    k = _host_random.uniform_bits(shape, host_key(key), num_bits).astype(np.float64)
    return (2.0 * k + (1 - 2**num_bits)) * 2.0**-num_bits


def _symmetric_unit_engine(shape, key, num_bits, compute):
    k = ops.cast(_random.uniform_bits(shape, key, num_bits), compute)
    return ops.multiply(ops.add(ops.multiply(k, 2.0), float(1 - 2**num_bits)), 2.0**-num_bits)


def _gaussian(name, shape, mean, stddev, dtype, seed, scale):
    """mean + stddev * sqrt(2) * erfinv(scale * x) for x uniform on (-1, 1)."""
    shape = _args.check_shape(shape)
    dtype = _args.float_dtype(name, dtype)
    key = draw_key(seed)
    num_bits = _open_bits(dtype)
    if _args.is_static(shape) and is_concrete(key) and is_concrete(mean) and is_concrete(stddev):
        x = _symmetric_unit_host(shape, key, num_bits) * scale
        z = _SQRT2 * erfinv(x, np)
        return to_engine(host_value(mean) + host_value(stddev) * z, dtype)
    compute = _args.compute_dtype(dtype)
    x = ops.multiply(_symmetric_unit_engine(shape, key, num_bits, compute), scale)
    z = ops.multiply(erfinv(x, ops), _SQRT2)
    return ops.cast(ops.add(ops.multiply(z, stddev), mean), dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normally distributed floats (inverse-CDF sampling; tails reach about 5.3 stddev in float32).

    Args:
        shape: output shape.
        mean, stddev: numbers or tensors broadcasting to `shape`.
        dtype: float dtype; None means floatx.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `shape` and `dtype`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.random.normal((2, 3), mean=10.0, stddev=2.0, seed=42)
        >>> print(np.round(kerasx.ops.convert_to_numpy(values), 2))
        [[12.24  7.93 10.1 ]
         [ 9.01 14.89  7.51]]
        >>> many = kerasx.ops.convert_to_numpy(kerasx.random.normal((10000,), seed=0))
        >>> round(float(many.mean()), 1), round(float(many.std()), 1)
        (0.0, 1.0)
    """
    return _gaussian("normal", shape, mean, stddev, dtype, seed, 1.0)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal floats restricted to within two standard deviations of the mean (exactly, by inverse CDF).

    Args:
        shape: output shape.
        mean, stddev: numbers or tensors broadcasting to `shape`.
        dtype: float dtype; None means floatx.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `shape` and `dtype`, within `mean ± 2 * stddev`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.random.truncated_normal((1000,), stddev=1.0, seed=42))
        >>> bool(np.all(np.abs(values) <= 2.0))
        True
        >>> print(np.round(values[:4], 2))
        [ 1.05 -0.97  0.05 -0.64]
    """
    return _gaussian("truncated_normal", shape, mean, stddev, dtype, seed, _ERF_SQRT2)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the distributions given by `logits` (Gumbel-max).

    Args:
        logits: tensor of shape (batch_size, num_classes): unnormalized log-probabilities.
        num_samples: draws per row.
        dtype: integer dtype of the result.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        Tensor of shape (batch_size, num_samples).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> logits = np.log(np.array([[0.1, 0.9], [0.99, 0.01]]))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.random.categorical(logits, num_samples=8, seed=42)))
        [[0 1 1 1 1 1 1 1]
         [1 0 0 0 0 0 0 0]]
    """
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 1:
        raise ValueError(BAD_NUM_SAMPLES.format(num_samples=num_samples))
    dtype = _dtypes.standardize_dtype(dtype)
    if not _dtypes.is_int(dtype):
        raise ValueError(_args.NOT_INT.format(name="categorical", dtype=dtype))
    shape = ops.shape(logits)
    if len(shape) != 2:
        raise ValueError(BAD_LOGITS.format(shape=shape))
    noise_shape = (shape[0], num_samples, shape[1])
    key = draw_key(seed)
    if _args.is_static(noise_shape) and is_concrete(key) and is_concrete(logits):
        # u = (x + 1) / 2 lies in (0, 1), so the Gumbel noise -log(-log(u)) is finite.
        u = (_symmetric_unit_host(noise_shape, key, 23) + 1.0) * 0.5
        scores = host_value(logits)[:, None, :] - np.log(-np.log(u))
        return _core.convert_to_tensor(np.argmax(scores, axis=-1), dtype)
    u = ops.multiply(ops.add(_symmetric_unit_engine(noise_shape, key, 23, "float32"), 1.0), 0.5)
    scores = ops.subtract(ops.expand_dims(ops.cast(logits, "float32"), 1), ops.log(ops.negative(ops.log(u))))
    return ops.cast(ops.argmax(scores, axis=-1), dtype)
