"""gamma and beta: Marsaglia and Tsang's method ("A simple method for generating gamma variables", 2000), with a
fixed number of candidates per number instead of a rejection loop, so it vectorizes and traces on every engine.

Each number gets 8 candidates (a normal x, a uniform u); the first accepted one is kept. A candidate is accepted
with probability above 0.95, so all 8 fail with probability below 4e-11 (the last candidate is then used).
alpha < 1 draws gamma(alpha + 1) and multiplies by u**(1 / alpha). Like normal, the numbers are computed on the
host when everything is concrete (bit-identical everywhere) and on the engine when traced.
"""

from __future__ import annotations

import math

import numpy as np

from kerasx import ops
from kerasx.backend import active
from kerasx.backend.numpy import random as _host_random
from kerasx.random import _args
from kerasx.random._erfinv import erfinv
from kerasx.random._seed_generator import draw_key, host_key, is_concrete
from kerasx.random._transcendental import host_value, to_engine

_random = active.random

BAD_ALPHA = "`{name}` needs positive shape parameters. Received: {argument}={value!r}."

_CANDIDATES = 8
_BITS = 23  # (2k + 1) / 2**24 is exact in float32 and strictly inside (0, 1)
_BLOCK = 2 * _CANDIDATES + 1  # normals, uniforms, and one uniform for the alpha < 1 boost


def _open_unit(k):
    """Uniform on (0, 1) from 23-bit integers already converted to floats."""
    return (k * 2.0 + 1.0) * 2.0 ** -(_BITS + 1)


def _marsaglia_tsang(alpha, units, xp):
    """gamma(alpha, 1) samples from uniform `units` of shape (_BLOCK,) + alpha.shape; `xp` is numpy or kerasx.ops."""
    normals = erfinv(units[:_CANDIDATES] * 2.0 - 1.0, xp) * math.sqrt(2.0)
    uniforms, boost = units[_CANDIDATES : 2 * _CANDIDATES], units[2 * _CANDIDATES]
    boosted = alpha < 1.0
    d = xp.where(boosted, alpha + 1.0, alpha) - 1.0 / 3.0
    c = 1.0 / xp.sqrt(d * 9.0)
    cube_root = normals * c + 1.0
    v = cube_root * cube_root * cube_root
    positive = v > 0.0
    safe_v = xp.where(positive, v, 1.0)
    squeeze = normals * normals * 0.5 + d - d * safe_v + d * xp.log(safe_v)
    accepted = xp.where(xp.logical_and(positive, xp.log(uniforms) < squeeze), 1.0, 0.0)
    # argmax finds the first accepted candidate; with none accepted it would pick the first, so mark the last.
    accepted = xp.concatenate([accepted[: _CANDIDATES - 1], xp.ones_like(accepted[-1:])], axis=0)
    first = xp.expand_dims(xp.argmax(accepted, axis=0), 0)
    sample = xp.take_along_axis(d * safe_v, first, axis=0)[0]
    return xp.where(boosted, sample * xp.power(boost, 1.0 / xp.where(boosted, alpha, 1.0)), sample)


def _check_positive(name, argument, value):
    if is_concrete(value) and not np.all(host_value(value) > 0):
        raise ValueError(BAD_ALPHA.format(name=name, argument=argument, value=value))


def _gammas(name, shape, alphas, dtype, seed):
    """One gamma sample array per entry of `alphas`, each from its own block of bits."""
    shape = _args.check_shape(shape)
    dtype = _args.float_dtype(name, dtype)
    for argument, alpha in alphas.items():
        _check_positive(name, argument, alpha)
    key = draw_key(seed)
    block = (len(alphas), _BLOCK) + tuple(shape)
    if _args.is_static(shape) and is_concrete(key) and all(is_concrete(a) for a in alphas.values()):
        units = _open_unit(_host_random.uniform_bits(block, host_key(key), _BITS).astype(np.float64))
        samples = [
            _marsaglia_tsang(np.broadcast_to(host_value(alpha), shape), units[i], np)
            for i, alpha in enumerate(alphas.values())
        ]
        return samples, lambda result: to_engine(result, dtype)
    compute = _args.compute_dtype(dtype)
    units = _open_unit(ops.cast(_random.uniform_bits(block, key, _BITS), compute))
    samples = [
        _marsaglia_tsang(ops.broadcast_to(ops.cast(alpha, compute), shape), units[i], ops)
        for i, alpha in enumerate(alphas.values())
    ]
    return samples, lambda result: ops.cast(result, dtype)


def gamma(shape, alpha, dtype=None, seed=None):
    """Gamma-distributed floats with shape parameter `alpha` and scale 1 (mean alpha, variance alpha).

    Args:
        shape: output shape.
        alpha: positive number or tensor broadcasting to `shape`.
        dtype: float dtype; None means floatx.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `shape` and `dtype` with positive values.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(np.round(kerasx.ops.convert_to_numpy(kerasx.random.gamma((4,), alpha=2.0, seed=42)), 4))
        [3.5751 0.6566 1.7333 0.9386]
        >>> many = kerasx.ops.convert_to_numpy(kerasx.random.gamma((10000,), alpha=3.0, seed=0))
        >>> round(float(many.mean()), 1)
        3.0
    """
    (sample,), finish = _gammas("gamma", shape, {"alpha": alpha}, dtype, seed)
    return finish(sample)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta-distributed floats in (0, 1): x / (x + y) for x ~ gamma(alpha), y ~ gamma(beta).

    Args:
        shape: output shape.
        alpha, beta: positive numbers or tensors broadcasting to `shape`.
        dtype: float dtype; None means floatx.
        seed: None, an int, a `SeedGenerator` or a key tensor.

    Returns:
        A tensor of `shape` and `dtype` with values in (0, 1).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(np.round(kerasx.ops.convert_to_numpy(kerasx.random.beta((4,), alpha=2.0, beta=5.0, seed=42)), 4))
        [0.493  0.0511 0.4134 0.1123]
        >>> many = kerasx.ops.convert_to_numpy(kerasx.random.beta((10000,), alpha=2.0, beta=2.0, seed=0))
        >>> round(float(many.mean()), 1)
        0.5
    """
    (x, y), finish = _gammas("beta", shape, {"alpha": alpha, "beta": beta}, dtype, seed)
    return finish(x / (x + y))
