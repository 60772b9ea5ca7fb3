"""Random functions made of exact operations, so they run on the engine and match bit for bit everywhere:
integer arithmetic on the bits, conversions of integers below 2**24 to floats, and single correctly rounded
float operations (IEEE guarantees their results).
"""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.backend import _dtypes, active
from kerasx.backend.numpy import random as _host_random
from kerasx.random import _args
from kerasx.random._seed_generator import draw_key, host_key, is_concrete
from kerasx.random._transcendental import to_engine

_random = active.random

BAD_RANGE = "`randint` needs minval < maxval. Received: minval={minval!r}, maxval={maxval!r}."
RANGE_TOO_WIDE = (
    "`randint` draws from at most 2**31 - 1 values. Received: minval={minval}, maxval={maxval} "
    "(span {span}). Narrow the range."
)
BAD_RATE = "`dropout` needs 0 <= rate < 1. Received: rate={rate!r}."
BAD_COUNTS = (
    "`binomial` needs non-negative counts known before tracing (it draws max(counts) trials per number). "
    "Received: counts={counts!r}."
)
BAD_NOISE_SHAPE = (
    "`dropout`: noise_shape must have the rank of the inputs and broadcast against them. Received: "
    "noise_shape={noise_shape!r} for inputs of shape {shape}."
)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Uniform floats in [minval, maxval).

    Args:
        shape: output shape.
        minval, maxval: bounds (numbers or tensors broadcasting to `shape`).
        dtype: float dtype; None means floatx.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `shape` and `dtype`; the same seed gives the same numbers on every engine.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.random.uniform((2, 3), minval=0.0, maxval=10.0, seed=42)
        >>> print(np.round(kerasx.ops.convert_to_numpy(values), 4))
        [[8.6905 1.5063 5.2032]
         [3.1025 9.9275 1.0647]]
        >>> again = kerasx.random.uniform((2, 3), minval=0.0, maxval=10.0, seed=42)
        >>> bool(np.array_equal(kerasx.ops.convert_to_numpy(values), kerasx.ops.convert_to_numpy(again)))
        True
    """
    shape = _args.check_shape(shape)
    dtype = _args.float_dtype("uniform", dtype)
    num_bits = _args.UNIFORM_BITS[dtype]
    compute = _args.compute_dtype(dtype)
    key = draw_key(seed)
    if _args.is_static(shape) and is_concrete(key) and _is_number(minval) and _is_number(maxval):
        # Weight initializers land here: NumPy computes the same IEEE operations the engine would, without a jax
        # compilation per weight shape.
        native = np.dtype(compute)
        bits = _host_random.uniform_bits(shape, host_key(key), num_bits)
        unit = bits.astype(native) * native.type(2.0**-num_bits)
        values = unit * native.type(maxval - minval) + native.type(minval)
        return to_engine(values, dtype)
    bits = _random.uniform_bits(shape, key, num_bits)
    unit = ops.multiply(ops.cast(bits, compute), 2.0**-num_bits)
    span = maxval - minval if _is_number(minval) and _is_number(maxval) else ops.subtract(maxval, minval)
    return ops.cast(ops.add(ops.multiply(unit, span), minval), dtype)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Uniform integers in [minval, maxval).

    The draw is `minval + k % (maxval - minval)` for 31-bit uniform `k`: the modulo bias is below
    (maxval - minval) / 2**31.

    Args:
        shape: output shape.
        minval, maxval: Python int bounds, maxval exclusive, at most 2**31 - 1 apart.
        dtype: integer dtype.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        An integer tensor of `shape` and `dtype`.

    Example:
        >>> import kerasx
        >>> kerasx.ops.convert_to_numpy(kerasx.random.randint((8,), minval=0, maxval=10, seed=42)).tolist()
        [8, 0, 7, 3, 2, 3, 6, 5]
    """
    shape = _args.check_shape(shape)
    dtype = _dtypes.standardize_dtype(dtype)
    if not _dtypes.is_int(dtype):
        raise ValueError(_args.NOT_INT.format(name="randint", dtype=dtype))
    minval, maxval = int(minval), int(maxval)
    if minval >= maxval:
        raise ValueError(BAD_RANGE.format(minval=minval, maxval=maxval))
    span = maxval - minval
    if span > 2**31 - 1:
        raise ValueError(RANGE_TOO_WIDE.format(minval=minval, maxval=maxval, span=span))
    offsets = ops.mod(_random.uniform_bits(shape, draw_key(seed), 31), span)
    return ops.add(ops.cast(offsets, dtype), minval)


def _noise_shape(noise_shape, shape) -> tuple:
    if noise_shape is None:
        return tuple(shape)
    noise_shape = tuple(noise_shape)
    if len(noise_shape) != len(shape):
        raise ValueError(BAD_NOISE_SHAPE.format(noise_shape=noise_shape, shape=shape))
    # None means "the inputs' size along this axis", as in Keras.
    resolved = tuple(d if n is None else int(n) for n, d in zip(noise_shape, shape))
    if any(isinstance(d, int) and n not in (1, d) for n, d in zip(resolved, shape)):
        raise ValueError(BAD_NOISE_SHAPE.format(noise_shape=noise_shape, shape=shape))
    return resolved


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero each entry with probability `rate` and multiply the others by `1 / (1 - rate)`.

    Args:
        inputs: tensor (integer inputs give floatx).
        rate: Python float in [0, 1).
        noise_shape: shape of the keep/drop mask, broadcast against `inputs` (None entries take the inputs' size);
            e.g. (batch, 1, channels) drops whole channels.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `inputs`' shape.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.random.dropout(np.ones((2, 5)), rate=0.5, seed=3)))
        [[0. 2. 2. 0. 0.]
         [2. 2. 0. 0. 2.]]
        >>> channels = kerasx.random.dropout(np.ones((2, 3, 4)), rate=0.5, noise_shape=(2, 1, 4), seed=3)
        >>> print(kerasx.ops.convert_to_numpy(channels)[0])
        [[0. 2. 2. 0.]
         [0. 2. 2. 0.]
         [0. 2. 2. 0.]]
    """
    if not _is_number(rate) or not 0 <= rate < 1:
        raise ValueError(BAD_RATE.format(rate=rate))
    inputs = ops.convert_to_tensor(inputs)
    if not _dtypes.is_float(ops.dtype(inputs)):
        inputs = ops.cast(inputs, _dtypes.float_result(ops.dtype(inputs)))
    mask_shape = _noise_shape(noise_shape, ops.shape(inputs))
    # Keep an entry when its 24 random bits reach rate * 2**24: probability 1 - rate, decided in integers.
    threshold = round(rate * 2**24)
    keep = ops.greater_equal(_random.uniform_bits(mask_shape, draw_key(seed), 24), threshold)
    # Multiplying by the reciprocal, not dividing: compilers (XLA) turn division by a constant into exactly this,
    # so writing it out keeps eager and compiled results bit-identical.
    return ops.where(keep, ops.multiply(inputs, 1.0 / (1.0 - rate)), 0.0)


def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in a random order (one permutation for the whole axis).

    Args:
        x: tensor.
        axis: the axis to shuffle.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `x`'s shape and dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> kerasx.ops.convert_to_numpy(kerasx.random.shuffle(np.arange(8), seed=42)).tolist()
        [6, 1, 3, 4, 2, 7, 0, 5]
        >>> print(kerasx.ops.convert_to_numpy(kerasx.random.shuffle(np.arange(6).reshape(3, 2), seed=1)))
        [[2 3]
         [4 5]
         [0 1]]
    """
    x = ops.convert_to_tensor(x)
    size = ops.shape(x)[axis]
    # A stable sort of 31-bit random keys: ties (rare) keep index order on every engine.
    permutation = ops.argsort(_random.uniform_bits((size,), draw_key(seed), 31))
    return ops.take(x, permutation, axis=axis)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Number of successes in `counts` trials that each succeed with probability `probabilities`.

    Each trial compares 24 random bits with `probabilities * 2**24` (exact in float32), so results are
    bit-identical everywhere; a success probability is thus rounded up to a multiple of 2**-24.

    Args:
        shape: output shape.
        counts: non-negative ints (number or array broadcasting to `shape`), concrete: max(counts) trials are drawn.
        probabilities: floats in [0, 1] broadcasting to `shape`.
        dtype: float dtype of the result; None means floatx.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `shape` holding success counts as floats of `dtype`.

    Example:
        >>> import kerasx
        >>> draws = kerasx.random.binomial((6,), counts=10, probabilities=0.5, seed=42)
        >>> kerasx.ops.convert_to_numpy(draws).tolist()
        [4.0, 4.0, 7.0, 5.0, 4.0, 6.0]
    """
    shape = _args.check_shape(shape)
    dtype = _args.float_dtype("binomial", dtype)
    if not is_concrete(counts):
        raise ValueError(BAD_COUNTS.format(counts=counts))
    host_counts = np.asarray(counts if isinstance(counts, (int, float, np.ndarray)) else ops.convert_to_numpy(counts))
    if host_counts.size and host_counts.min() < 0:
        raise ValueError(BAD_COUNTS.format(counts=counts))
    num_trials = int(host_counts.max()) if host_counts.size else 0
    bits = ops.cast(_random.uniform_bits((num_trials,) + tuple(shape), draw_key(seed), 24), "float32")
    successes = ops.less(bits, ops.multiply(ops.cast(probabilities, "float32"), 2.0**24))
    trial = ops.reshape(ops.arange(num_trials, dtype="int32"), (num_trials,) + (1,) * len(shape))
    counted = ops.logical_and(successes, ops.less(trial, ops.cast(host_counts, "int32")))
    return ops.cast(ops.sum(counted, axis=0), dtype)
