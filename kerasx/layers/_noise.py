"""Noise layers active only while training: `GaussianNoise` (additive), `GaussianDropout` (multiplicative) and
`AlphaDropout` (dropout to SELU's saturation value, corrected to keep the mean and variance)."""

from __future__ import annotations

import math

from kerasx import ops, random
from kerasx.backend import _dtypes
from kerasx.layers._dropout import check_noise_shape
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

BAD_FRACTION = (
    "{cls}: `{name}` must be a number between 0 and 1. Received: {name}={value!r}."
)
RATE_ONE_IN_TRAINING = (
    "{cls} '{layer}' cannot add noise with rate=1: its {what} is infinite. Use a rate below 1 (or Dropout(1.0) to "
    "drop everything). Received: rate={rate!r}."
)

# SELU's constants: `selu(x) = scale * (x if x > 0 else alpha * (exp(x) - 1))`, whose negative saturation value is
# `-scale * alpha`.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _fraction(cls: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(BAD_FRACTION.format(cls=cls, name=name, value=value))
    return value


def _float_inputs(inputs):
    inputs = ops.convert_to_tensor(inputs)
    dtype = ops.dtype(inputs)
    return inputs if _dtypes.is_float(dtype) else ops.cast(inputs, _dtypes.float_result(dtype))


class _NoiseLayer(Layer):
    """A layer that is the identity at inference and draws from its own SeedGenerator while training (created
    only when the layer adds noise, as in Keras)."""

    _built_at_construction = True

    supports_masking = True

    def __init__(self, amount: float, seed, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        # The generator's state is a non-trainable variable of the layer, so a compiled step carries it forward.
        self.seed_generator = random.SeedGenerator(seed, name=f"{self.name}_seed_generator") if amount > 0 else None
        self.built = True

    def _check_rate_below_one(self, what: str) -> None:
        if self.rate == 1:
            raise ValueError(
                RATE_ONE_IN_TRAINING.format(cls=type(self).__name__, layer=self.name, what=what, rate=self.rate)
            )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


@_registry.builtin
class GaussianNoise(_NoiseLayer):
    """Adds zero-mean Gaussian noise of standard deviation `stddev` while training (a regularizer, a form of data
    augmentation for real-valued inputs); at inference the input passes through.

    Args:
        stddev: standard deviation of the noise, in [0, 1].
        seed: int seed of the layer's SeedGenerator (None: a random one).
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of any shape.
        training: add noise only when True.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.GaussianNoise(0.1, seed=1)
        >>> x = np.zeros((1000, 10), "float32")
        >>> kerasx.ops.convert_to_numpy(layer(x)).std()
        np.float32(0.0)
        >>> noisy = kerasx.ops.convert_to_numpy(layer(x, training=True))
        >>> round(float(noisy.std()), 2)
        0.1
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs):
        stddev = _fraction("GaussianNoise", "stddev", stddev)
        super().__init__(stddev, seed, **kwargs)
        self.stddev = stddev

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = random.normal(
            ops.shape(inputs), mean=0.0, stddev=self.stddev, dtype=self.compute_dtype, seed=self.seed_generator
        )
        return ops.add(inputs, noise)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config


@_registry.builtin
class GaussianDropout(_NoiseLayer):
    """Multiplies the input by Gaussian noise of mean 1 and standard deviation `sqrt(rate / (1 - rate))` while
    training (the variance of `Dropout(rate)`'s multiplier, without zeros); at inference the input passes through.

    Args:
        rate: drop probability of the equivalent `Dropout`, in [0, 1) for training (1 is accepted but cannot train).
        seed: int seed of the layer's SeedGenerator (None: a random one).
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of any shape.
        training: apply the noise only when True.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.GaussianDropout(0.2, seed=1)
        >>> x = np.ones((1000, 10), "float32")
        >>> float(kerasx.ops.convert_to_numpy(layer(x)).std())
        0.0
        >>> noisy = kerasx.ops.convert_to_numpy(layer(x, training=True))
        >>> round(float(noisy.mean()), 1), round(float(noisy.std()), 1)
        (1.0, 0.5)
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        rate = _fraction("GaussianDropout", "rate", rate)
        super().__init__(rate, seed, **kwargs)
        self.rate = rate

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        self._check_rate_below_one("noise's standard deviation")
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = random.normal(
            ops.shape(inputs), mean=1.0, stddev=stddev, dtype=self.compute_dtype, seed=self.seed_generator
        )
        return ops.multiply(inputs, noise)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config


@_registry.builtin
class AlphaDropout(_NoiseLayer):
    """Dropout for self-normalizing networks (SELU activations): while training, each entry is replaced with
    probability `rate` by SELU's negative saturation value `-scale * alpha`, then the result goes through the
    affine map `a * x + b` chosen so that inputs of zero mean and unit variance keep them. At inference the input
    passes through.

    Args:
        rate: drop probability, in [0, 1) for training (1 is accepted but cannot train).
        noise_shape: shape of the keep/drop mask, broadcast against the input; None entries take the input's size.
            E.g. `(None, 1, None)` on `(batch, timesteps, features)` drops the same features at every timestep.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of any shape.
        training: drop only when True.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.AlphaDropout(0.2, seed=1)
        >>> x = np.random.default_rng(0).standard_normal((1000, 20)).astype("float32")
        >>> bool(np.array_equal(kerasx.ops.convert_to_numpy(layer(x)), x))
        True
        >>> y = kerasx.ops.convert_to_numpy(layer(x, training=True))
        >>> round(float(y.mean()), 1), round(float(y.std()), 1)
        (0.0, 1.0)
    """

    def __init__(self, rate: float, noise_shape=None, seed: int | None = None, **kwargs):
        rate = _fraction("AlphaDropout", "rate", rate)
        super().__init__(rate, seed, **kwargs)
        self.rate = rate
        self.noise_shape = check_noise_shape("AlphaDropout", noise_shape)

    def _mask_shape(self, inputs) -> tuple:
        shape = tuple(ops.shape(inputs))
        if self.noise_shape is None:
            return shape
        return tuple(size if noise is None else noise for noise, size in zip(self.noise_shape, shape))

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        self._check_rate_below_one("affine correction")
        inputs = _float_inputs(inputs)
        dtype = ops.dtype(inputs)
        # Uniform floats are exact multiples of 2**-24 on every engine, so the kept entries are the same everywhere.
        kept = ops.greater_equal(random.uniform(self._mask_shape(inputs), seed=self.seed_generator), self.rate)
        saturation = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * saturation**2)) ** -0.5
        b = -a * saturation * self.rate
        # `a * kept_value + b` where kept, `a * saturation + b` elsewhere: the same values as Keras's blend.
        dropped = ops.cast(a * saturation + b, dtype)
        return ops.where(kept, ops.add(ops.multiply(inputs, a), b), dropped)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
