"""Seeded initializers built on `kerasx.random`, so a seed gives bit-identical weights on every engine.

Fans follow Keras: for a kernel of shape (..., fan_in_channels, fan_out_channels) the leading axes are the
receptive field, fan_in = receptive field size * shape[-2] and fan_out = receptive field size * shape[-1]; a
vector's fans are its length; a scalar's are 1.

Seeds follow Keras 3 too: an int seed (or None, replaced by a random int when the initializer is made) gives the
same values at every call of one initializer; pass a `kerasx.random.SeedGenerator` for new values at each call.
"""

from __future__ import annotations

import math

import numpy as np

from kerasx import ops
from kerasx import random as kerasx_random
from kerasx.backend import active
from kerasx.initializers._base import Initializer, check_shape, resolve_dtype
from kerasx.random._seed_generator import is_concrete
from kerasx.serialization import _registry

_core = active.core

BAD_SEED = "Invalid seed for {name}. Received: seed={seed!r}. Expected an int, a `kerasx.random.SeedGenerator` or None."
BAD_SCALE = "VarianceScaling needs a positive scale. Received: scale={scale!r}."
BAD_MODE = "Invalid mode for VarianceScaling. Received: mode={mode!r}. Expected one of {valid}."
BAD_DISTRIBUTION = (
    "Invalid distribution for VarianceScaling. Received: distribution={distribution!r}. Expected one of {valid}."
)
ORTHOGONAL_RANK = (
    "The Orthogonal initializer needs a shape of rank >= 2 (rows: all but the last axis, columns: the last). "
    "Received: shape={shape}."
)

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# Standard deviation of a standard normal truncated to [-2, 2]: dividing by it restores the requested variance.
_TRUNCATED_STDDEV = 0.87962566103423978


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple:
    """`(fan_in, fan_out)` of a weight shape, as Keras computes them.

    With both `input_axes` and `output_axes`, the fans are the products of the sizes along those axes (an einsum
    kernel such as `(heads, dim, units)` names which axes are inputs).

    Example:

    >>> compute_fans((3, 3, 8, 16))
    (72, 144)
    >>> compute_fans((4, 8, 16), input_axes=[1], output_axes=[0, 2])
    (8, 64)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class RandomInitializer(Initializer):
    """Base of the seeded initializers.

    Args:
        seed: int, `SeedGenerator`, or None (a random int chosen now, so repeated calls agree).

    Example:
        >>> import kerasx
        >>> a = kerasx.initializers.RandomUniform(seed=7)
        >>> b = kerasx.initializers.RandomUniform(seed=7)
        >>> bool((kerasx.ops.convert_to_numpy(a((3,))) == kerasx.ops.convert_to_numpy(b((3,)))).all())
        True
        >>> isinstance(a, kerasx.initializers.RandomInitializer)
        True
    """

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = kerasx_random.make_default_seed()
        elif isinstance(seed, dict):
            seed = kerasx_random.SeedGenerator.from_config(seed.get("config", seed))
        if isinstance(seed, bool) or not isinstance(seed, (int, kerasx_random.SeedGenerator)):
            raise ValueError(BAD_SEED.format(name=type(self).__name__, seed=seed))
        self.seed = seed

    def get_config(self) -> dict:
        seed = self._init_seed
        if isinstance(seed, kerasx_random.SeedGenerator):
            seed = {"class_name": "SeedGenerator", "config": seed.get_config()}
        return {"seed": seed}


@_registry.builtin
class RandomNormal(RandomInitializer):
    """Normally distributed values with the given `mean` and `stddev`.

    Args:
        mean: mean of the distribution.
        stddev: standard deviation of the distribution.
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> initializer = kerasx.initializers.RandomNormal(stddev=1.0, seed=1)
        >>> values = kerasx.ops.convert_to_numpy(initializer((2, 3)))
        >>> print(np.round(values, 2))
        [[ 0.54 -1.57 -2.32]
         [ 0.23 -0.92  0.  ]]
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def __call__(self, shape, dtype=None):
        shape = check_shape("RandomNormal", shape)
        return kerasx_random.normal(shape, self.mean, self.stddev, dtype=resolve_dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@_registry.builtin
class TruncatedNormal(RandomInitializer):
    """Normal values with `mean` and `stddev`, restricted to within two `stddev` of the mean.

    Values farther than two standard deviations are never drawn (sampled by inverse CDF, not redrawn).

    Args:
        mean: mean of the distribution before truncation.
        stddev: standard deviation before truncation.
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> initializer = kerasx.initializers.TruncatedNormal(stddev=1.0, seed=1)
        >>> values = kerasx.ops.convert_to_numpy(initializer((2, 3)))
        >>> print(np.round(values, 2))
        [[ 0.51 -1.42 -1.85]
         [ 0.22 -0.87  0.  ]]
        >>> bool(np.all(np.abs(values) <= 2.0))
        True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def __call__(self, shape, dtype=None):
        shape = check_shape("TruncatedNormal", shape)
        return kerasx_random.truncated_normal(shape, self.mean, self.stddev, dtype=resolve_dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@_registry.builtin
class RandomUniform(RandomInitializer):
    """Uniformly distributed values in `[minval, maxval)`.

    Args:
        minval: lower bound (included).
        maxval: upper bound (excluded).
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> initializer = kerasx.initializers.RandomUniform(minval=0.0, maxval=10.0, seed=1)
        >>> values = kerasx.ops.convert_to_numpy(initializer((2, 3)))
        >>> print(np.round(values, 2))
        [[7.04 0.58 0.1 ]
         [5.9  1.78 5.01]]
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = float(minval), float(maxval)

    def __call__(self, shape, dtype=None):
        shape = check_shape("RandomUniform", shape)
        return kerasx_random.uniform(shape, self.minval, self.maxval, dtype=resolve_dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


@_registry.builtin
class VarianceScaling(RandomInitializer):
    """Values with variance `scale / n`, n = fan_in, fan_out or their mean.

    Args:
        scale: positive scaling factor.
        mode: "fan_in", "fan_out" or "fan_avg".
        distribution: "truncated_normal" (within 2 stddev, rescaled to the target variance),
            "untruncated_normal" or "uniform" (in [-limit, limit), limit = sqrt(3 * scale / n)).
        seed: int, `SeedGenerator` or None.
        input_axes, output_axes: lists of axes whose sizes multiply to fan_in and fan_out (both needed); by
            default the fans come from the shape as in `compute_fans`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> initializer = kerasx.initializers.VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=1)
        >>> values = kerasx.ops.convert_to_numpy(initializer((50, 20)))
        >>> limit = np.sqrt(3 * 2.0 / 50)
        >>> values.shape, bool(np.all(np.abs(values) <= limit))
        ((50, 20), True)
        >>> print(np.round(values[0, :3], 4))
        [ 0.1413 -0.3064 -0.3394]
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        super().__init__(seed)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale <= 0:
            raise ValueError(BAD_SCALE.format(scale=scale))
        mode, distribution = str(mode).lower(), str(distribution).lower()
        if mode not in _MODES:
            raise ValueError(BAD_MODE.format(mode=mode, valid=_MODES))
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(BAD_DISTRIBUTION.format(distribution=distribution, valid=_DISTRIBUTIONS))
        self.scale, self.mode, self.distribution = float(scale), mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape, dtype=None):
        shape = check_shape(type(self).__name__, shape)
        dtype = resolve_dtype(dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return kerasx_random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return kerasx_random.normal(shape, 0.0, math.sqrt(variance), dtype=dtype, seed=self.seed)
        stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
        return kerasx_random.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
            **super().get_config(),
        }


class _FixedVarianceScaling(VarianceScaling):
    """A named VarianceScaling preset: only the seed and the fan axes are configurable."""

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(self.SCALE, self.MODE, self.DISTRIBUTION, seed, input_axes, output_axes)

    def get_config(self) -> dict:
        return {**RandomInitializer.get_config(self), "input_axes": self.input_axes, "output_axes": self.output_axes}


@_registry.builtin
class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: values in `[-limit, limit)` with `limit = sqrt(6 / (fan_in + fan_out))`.

    `fan_in` and `fan_out` are the input and output sizes of the weight (see `compute_fans`).

    Args:
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.
        input_axes, output_axes: axes whose sizes multiply to fan_in and fan_out, for kernels such as einsum ones.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.initializers.GlorotUniform(seed=1)((40, 10)))
        >>> limit = np.sqrt(6 / (40 + 10))
        >>> values.shape, bool(np.all(np.abs(values) < limit))
        ((40, 10), True)
        >>> print(np.round(values[0, :3], 4))
        [ 0.1413 -0.3064 -0.3394]
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "uniform"


@_registry.builtin
class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal values with stddev `sqrt(2 / (fan_in + fan_out))`.

    `fan_in` and `fan_out` are the input and output sizes of the weight (see `compute_fans`).

    Args:
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.
        input_axes, output_axes: axes whose sizes multiply to fan_in and fan_out, for kernels such as einsum ones.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.initializers.GlorotNormal(seed=1)((40, 10)))
        >>> values.shape, round(float(np.sqrt(2 / (40 + 10))), 2), round(float(values.std()), 2)
        ((40, 10), 0.2, 0.2)
        >>> print(np.round(values[0, :3], 4))
        [ 0.1158 -0.3228 -0.4199]
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "truncated_normal"


@_registry.builtin
class HeUniform(_FixedVarianceScaling):
    """He uniform: values in `[-limit, limit)` with `limit = sqrt(6 / fan_in)`, suited to ReLU layers.

    `fan_in` and `fan_out` are the input and output sizes of the weight (see `compute_fans`).

    Args:
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.
        input_axes, output_axes: axes whose sizes multiply to fan_in and fan_out, for kernels such as einsum ones.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.initializers.HeUniform(seed=1)((40, 10)))
        >>> limit = np.sqrt(6 / 40)
        >>> values.shape, bool(np.all(np.abs(values) < limit))
        ((40, 10), True)
        >>> print(np.round(values[0, :3], 4))
        [ 0.158  -0.3426 -0.3795]
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "uniform"


@_registry.builtin
class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal values with stddev `sqrt(2 / fan_in)`, suited to ReLU layers.

    `fan_in` and `fan_out` are the input and output sizes of the weight (see `compute_fans`).

    Args:
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.
        input_axes, output_axes: axes whose sizes multiply to fan_in and fan_out, for kernels such as einsum ones.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.initializers.HeNormal(seed=1)((40, 10)))
        >>> values.shape, round(float(np.sqrt(2 / 40)), 2), round(float(values.std()), 2)
        ((40, 10), 0.22, 0.22)
        >>> print(np.round(values[0, :3], 4))
        [ 0.1294 -0.3609 -0.4694]
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "truncated_normal"


@_registry.builtin
class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: values in `[-limit, limit)` with `limit = sqrt(3 / fan_in)`.

    `fan_in` and `fan_out` are the input and output sizes of the weight (see `compute_fans`).

    Args:
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.
        input_axes, output_axes: axes whose sizes multiply to fan_in and fan_out, for kernels such as einsum ones.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.initializers.LecunUniform(seed=1)((40, 10)))
        >>> limit = np.sqrt(3 / 40)
        >>> values.shape, bool(np.all(np.abs(values) < limit))
        ((40, 10), True)
        >>> print(np.round(values[0, :3], 4))
        [ 0.1117 -0.2422 -0.2683]
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "uniform"


@_registry.builtin
class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal values with stddev `sqrt(1 / fan_in)`, the initializer for SELU.

    `fan_in` and `fan_out` are the input and output sizes of the weight (see `compute_fans`).

    Args:
        seed: int or `kerasx.random.SeedGenerator` for reproducible values; None draws a seed once, at construction.
        input_axes, output_axes: axes whose sizes multiply to fan_in and fan_out, for kernels such as einsum ones.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> values = kerasx.ops.convert_to_numpy(kerasx.initializers.LecunNormal(seed=1)((40, 10)))
        >>> values.shape, round(float(np.sqrt(1 / 40)), 2), round(float(values.std()), 2)
        ((40, 10), 0.16, 0.15)
        >>> print(np.round(values[0, :3], 4))
        [ 0.0915 -0.2552 -0.3319]
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"


@_registry.builtin
class Orthogonal(RandomInitializer):
    """An orthogonal matrix (orthonormal rows or columns, whichever are fewer) times `gain`.

    Higher-rank shapes are flattened to (prod(shape[:-1]), shape[-1]). The matrix is the Q factor of a normal
    matrix, with signs fixed by R's diagonal; with a concrete seed it is computed on the host with NumPy, so it is
    bit-identical on every engine.

    Args:
        gain: multiplier.
        seed: int, `SeedGenerator` or None.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> q = kerasx.ops.convert_to_numpy(kerasx.initializers.Orthogonal(seed=1)((3, 3)))
        >>> bool(np.allclose(q @ q.T, np.eye(3), atol=1e-6))
        True
        >>> wide = kerasx.ops.convert_to_numpy(kerasx.initializers.Orthogonal(gain=2.0, seed=1)((2, 4)))
        >>> bool(np.allclose(wide @ wide.T, 4 * np.eye(2), atol=1e-5))
        True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = float(gain)

    def __call__(self, shape, dtype=None):
        shape = check_shape("Orthogonal", shape)
        if len(shape) < 2:
            raise ValueError(ORTHOGONAL_RANK.format(shape=shape))
        dtype = resolve_dtype(dtype)
        rows, cols = math.prod(shape[:-1]), shape[-1]
        normal = kerasx_random.normal((max(rows, cols), min(rows, cols)), dtype=dtype, seed=self.seed)
        if is_concrete(normal):
            host = _core.convert_to_numpy(normal)
            q = _host_orthogonal(host.astype(np.float64), rows < cols)
            return _core.convert_to_tensor((self.gain * q).reshape(shape).astype(host.dtype), dtype)
        q, r = ops.qr(normal)
        q = ops.multiply(q, ops.sign(ops.diagonal(r)))
        if rows < cols:
            q = ops.transpose(q)
        return ops.multiply(ops.reshape(q, shape), self.gain)

    def get_config(self) -> dict:
        return {"gain": self.gain, **super().get_config()}


def _host_orthogonal(normal: np.ndarray, transpose: bool) -> np.ndarray:
    q, r = np.linalg.qr(normal)
    q = q * np.sign(np.diagonal(r))
    return q.T if transpose else q
