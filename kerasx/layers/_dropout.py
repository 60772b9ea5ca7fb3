"""`Dropout`: zeroes random entries while training, identity at inference."""

from __future__ import annotations

from kerasx import ops, random
from kerasx.backend import _dtypes
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_RATE = (
    "{cls}: `rate` must be a number between 0 (keep everything) and 1 (drop everything). Received: rate={rate!r}."
)
BAD_NOISE_SHAPE = (
    "{cls}: `noise_shape` must be None or a tuple of ints (or None entries, meaning the input's size), one per "
    "input axis. Received: noise_shape={noise_shape!r}."
)


def check_noise_shape(cls: str, noise_shape) -> tuple | None:
    """`noise_shape` as a tuple of positive ints and Nones, or None; a ValueError naming layer class `cls`
    otherwise."""
    if noise_shape is None:
        return None
    try:
        values = tuple(noise_shape)
    except TypeError:
        raise ValueError(BAD_NOISE_SHAPE.format(cls=cls, noise_shape=noise_shape)) from None
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool) and v > 0) for v in values):
        raise ValueError(BAD_NOISE_SHAPE.format(cls=cls, noise_shape=noise_shape))
    return values


@_registry.builtin
class Dropout(Layer):
    """Sets each input entry to 0 with probability `rate` during training and scales the others by
    `1 / (1 - rate)`, so the expected sum is unchanged; at inference the input passes through.

    Args:
        rate: fraction of the entries to drop, in [0, 1].
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
        >>> layer = kerasx.layers.Dropout(0.5, seed=1)
        >>> x = np.ones((2, 4))
        >>> print(kerasx.ops.convert_to_numpy(layer(x)))
        [[1. 1. 1. 1.]
         [1. 1. 1. 1.]]
        >>> y = kerasx.ops.convert_to_numpy(layer(x, training=True))
        >>> sorted(set(y.reshape(-1).tolist()))
        [0.0, 2.0]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(BAD_RATE.format(cls=type(self).__name__, rate=rate))
        self.rate = float(rate)
        self.noise_shape = check_noise_shape(type(self).__name__, noise_shape)
        self.seed = seed
        # The generator's state is a non-trainable variable of the layer, so a compiled step carries it forward.
        self.seed_generator = random.SeedGenerator(seed, name=f"{self.name}_seed_generator")

    def _drops(self, training) -> bool:
        return bool(training) and self.rate > 0

    def call(self, inputs, training=False):
        if not self._drops(training):
            return inputs
        if self.rate == 1:
            return ops.zeros_like(inputs, dtype=_dtypes.float_result(ops.dtype(inputs)))
        return random.dropout(inputs, self.rate, noise_shape=self._mask_shape(), seed=self.seed_generator)

    def _mask_shape(self) -> tuple | None:
        """The keep/drop mask's shape (None entries: the input's size); `SpatialDropout*` drop whole channels."""
        return self.noise_shape

    def compute_output_spec(self, inputs, training=False):
        dtype = _dtypes.float_result(inputs.dtype) if self._drops(training) else inputs.dtype
        return KerasTensor(inputs.shape, dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
