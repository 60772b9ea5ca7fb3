"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps (channels) instead of single entries."""

from __future__ import annotations

from kerasx.layers import _arguments
from kerasx.layers._dropout import Dropout
from kerasx.layers._input_spec import InputSpec
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry


class BaseSpatialDropout(Dropout):
    """Dropout whose keep/drop decision is shared by every position of a channel: one draw per (sample, channel).

    Neighbouring entries of a feature map are strongly correlated in convolutional networks, so dropping them one
    by one regularizes little; dropping whole maps does.
    """

    def __init__(self, rate: float, seed: int | None = None, name: str | None = None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def get_config(self) -> dict:
        # Keras 3 writes these keys only (no `trainable`, no `noise_shape`).
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


def _channel_mask_shape(rank: int, data_format: str) -> tuple:
    """(batch, 1, ..., 1, channels) or (batch, channels, 1, ..., 1); None entries take the input's size."""
    spatial = (1,) * (rank - 2)
    return (None, *spatial, None) if data_format == "channels_last" else (None, None, *spatial)


@_registry.builtin
class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of a sequence while training: for each sample, a channel is zeroed at every step
    with probability `rate`; the kept ones are scaled by `1 / (1 - rate)`. At inference the input passes through.

    Args:
        rate: fraction of the channels to drop, in [0, 1].
        seed: int seed of the layer's SeedGenerator (None: a random one).
        name: the layer's name.
        dtype: the layer's dtype.

    Call arguments:
        inputs: `(batch, steps, channels)` tensor.
        training: drop only when True.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.SpatialDropout1D(0.5, seed=3)
        >>> y = kerasx.ops.convert_to_numpy(layer(np.ones((1, 3, 4)), training=True))
        >>> bool(np.all(y == y[:, :1, :]))
        True
        >>> sorted(set(y.reshape(-1).tolist()))
        [0.0, 2.0]
    """

    def __init__(self, rate: float, seed: int | None = None, name: str | None = None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=3)

    def _mask_shape(self) -> tuple:
        return _channel_mask_shape(3, "channels_last")


class _SpatialDropoutND(BaseSpatialDropout):
    _rank: int

    def __init__(
        self,
        rate: float,
        data_format: DataFormat = None,
        seed: int | None = None,
        name: str | None = None,
        dtype=None,
    ):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = _arguments.data_format(type(self).__name__, data_format)
        self.input_spec = InputSpec(ndim=self._rank)

    def _mask_shape(self) -> tuple:
        return _channel_mask_shape(self._rank, self.data_format)

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


@_registry.builtin
class SpatialDropout2D(_SpatialDropoutND):
    """Drops whole channels of an image while training: for each sample, a feature map is zeroed with probability
    `rate`; the kept ones are scaled by `1 / (1 - rate)`. At inference the input passes through.

    Args:
        rate: fraction of the channels to drop, in [0, 1].
        data_format: "channels_last" (`(batch, rows, cols, channels)`) or "channels_first"
            (`(batch, channels, rows, cols)`); None means `kerasx.backend.image_data_format()`.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        name: the layer's name.
        dtype: the layer's dtype.

    Call arguments:
        inputs: 4D tensor.
        training: drop only when True.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.SpatialDropout2D(0.5, data_format="channels_first", seed=3)
        >>> y = kerasx.ops.convert_to_numpy(layer(np.ones((2, 4, 3, 3)), training=True))
        >>> bool(np.all(y == y[:, :, :1, :1]))
        True
    """

    _rank = 4


@_registry.builtin
class SpatialDropout3D(_SpatialDropoutND):
    """Drops whole channels of a volume while training: for each sample, a feature map is zeroed with probability
    `rate`; the kept ones are scaled by `1 / (1 - rate)`. At inference the input passes through.

    Args:
        rate: fraction of the channels to drop, in [0, 1].
        data_format: "channels_last" (`(batch, dim1, dim2, dim3, channels)`) or "channels_first"
            (`(batch, channels, dim1, dim2, dim3)`); None means `kerasx.backend.image_data_format()`.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        name: the layer's name.
        dtype: the layer's dtype.

    Call arguments:
        inputs: 5D tensor.
        training: drop only when True.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.SpatialDropout3D(0.5, seed=3)
        >>> y = kerasx.ops.convert_to_numpy(layer(np.ones((2, 2, 2, 2, 4)), training=True))
        >>> bool(np.all(y == y[:, :1, :1, :1, :]))
        True
    """

    _rank = 5
