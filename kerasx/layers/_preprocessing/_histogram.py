"""Deterministic contrast layers: `AutoContrast`, `Equalization` and `ContrastLimitedAdaptiveHistogramEqualization`.

They draw nothing. As in Keras 3, `AutoContrast` and CLAHE transform at inference too, `Equalization` only while
training.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._preprocessing import _color_math
from kerasx.layers._preprocessing._image_base import ImagesOnlyLayer, check_value_range
from kerasx.serialization import _registry

BAD_BINS = "Equalization: `bins` must be a positive integer. Received: bins={bins!r}."
BAD_TILE_GRID = (
    "ContrastLimitedAdaptiveHistogramEqualization: `tile_grid_size` must be a pair of positive integers. "
    "Received: tile_grid_size={value!r}."
)
UNKNOWN_SIZE = (
    "Layer '{name}' (ContrastLimitedAdaptiveHistogramEqualization) needs the images' height, width and channels "
    "to cut them into tiles. Received: images.shape={shape}."
)


class _ContrastLayer(ImagesOnlyLayer):
    _USE_BASE_FACTOR = False


@_registry.builtin
class AutoContrast(_ContrastLayer):
    """Stretches each channel of each image to the full value range: its minimum becomes `value_range[0]` and its
    maximum `value_range[1]`. Constant channels are left as they are. Applied in training and at inference.

    Args:
        value_range: `(low, high)` of the pixel values.
        **kwargs: base layer arguments (`data_format`, name, dtype, ...).

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> image = np.array([[[[50.0], [100.0], [150.0]]]], "float32")
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AutoContrast()(image)).ravel())
        [  0.  127.5 255. ]
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = sorted(check_value_range(type(self).__name__, value_range))

    def transform_images(self, images, transformation, training=True):
        input_dtype = ops.dtype(images)
        results = _color_math.auto_contrast(images, self.value_range, self.compute_dtype)
        return _color_math.back_to_input_dtype(results, input_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config["value_range"] = self.value_range
        return config


@_registry.builtin
class Equalization(_ContrastLayer):
    """Histogram equalization of each channel while training: values are remapped through the channel's
    cumulative histogram (of `bins` bins, counted over the whole batch) so that they spread over the value range.

    Args:
        value_range: `(low, high)` of the pixel values.
        bins: number of histogram bins.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: equalize only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> image = np.array([[[[10.0], [10.0], [20.0], [30.0]]]], "float32")
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Equalization()(image)).ravel())
        [  0.   0. 128. 255.]
    """

    def __init__(self, value_range=(0, 255), bins: int = 256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins <= 0:
            raise ValueError(BAD_BINS.format(bins=bins))
        self.bins = bins
        self.value_range = sorted(check_value_range(type(self).__name__, value_range))

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        equalized = _color_math.equalize(images, self.value_range, self.bins, self.data_format)
        return ops.cast(equalized, self.compute_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"bins": self.bins, "value_range": self.value_range})
        return config


def _static_size(layer, images) -> tuple:
    """(batch, height, width, channels): height, width and channels as ints; the batch may be a traced size."""
    shape = tuple(ops.shape(images))
    height, width, channels = shape[1:]
    if height is None or width is None or channels is None:
        raise ValueError(UNKNOWN_SIZE.format(name=layer.name, shape=shape))
    return shape[0], int(height), int(width), int(channels)


def _tile_mappings(padded, batch, grid, tile, channels, clip_limit):
    """Per tile and channel, the 256-entry map from a 0-255 value to its equalized value (clipped histograms)."""
    (grid_h, grid_w), (tile_h, tile_w) = grid, tile
    tiles = ops.reshape(padded, (batch, grid_h, tile_h, grid_w, tile_w, channels))
    tiles = ops.reshape(ops.transpose(tiles, (0, 1, 3, 5, 2, 4)), (batch, grid_h, grid_w, channels, tile_h * tile_w))
    levels = ops.clip(ops.cast(tiles, "int32"), 0, 255)
    histograms = ops.sum(ops.one_hot(levels, 256), axis=-2)
    if clip_limit > 0:
        # Counts above the limit are cut and spread evenly over all 256 levels.
        limit = ops.cast(clip_limit * (tile_h * tile_w) / 256.0, ops.dtype(histograms))
        clipped = ops.clip(histograms, 0, limit)
        excess = ops.sum(histograms - clipped, axis=-1, keepdims=True)
        histograms = clipped + excess / 256.0
    cdf = ops.cumsum(histograms, axis=-1)
    cdf_min = ops.min(cdf, axis=-1, keepdims=True)
    denominator = ops.cast(tile_h * tile_w, ops.dtype(cdf)) - cdf_min
    denominator = ops.where(denominator == 0, ops.ones_like(denominator), denominator)
    return ops.clip((cdf - cdf_min) * 255.0 / denominator, 0, 255)


def _edge_padded(mappings):
    # One more tile on every side, a copy of the edge tile: pixels near the border interpolate towards themselves.
    mappings = ops.concatenate([mappings[:, :1], mappings, mappings[:, -1:]], axis=1)
    return ops.concatenate([mappings[:, :, :1], mappings, mappings[:, :, -1:]], axis=2)


def _neighbours(length: int, tile: int, num_tiles: int):
    """For each pixel position: the index of the tile centre before it, after it (in the edge-padded grid) and the
    interpolation weight of the one after."""
    position = (ops.arange(length, dtype="float32") - tile / 2.0) / tile + 1.0
    before = ops.floor(position)
    weight = position - before
    after = before + 1.0
    before = ops.cast(ops.clip(before, 0, num_tiles + 1), "int32")
    after = ops.cast(ops.clip(after, 0, num_tiles + 1), "int32")
    return before, after, weight


def clahe(layer, images, clip_limit: float, tile_grid_size):
    """Contrast-limited adaptive histogram equalization of batched channels-last float images in [0, 255]."""
    batch, height, width, channels = _static_size(layer, images)
    grid_h, grid_w = tile_grid_size
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
    padded = images
    if pad_h or pad_w:
        planes = ops.reshape(ops.transpose(images, (0, 3, 1, 2)), (-1, height, width))
        planes = ops.pad(planes, [[0, 0], [0, pad_h], [0, pad_w]], mode="symmetric")
        padded = ops.transpose(ops.reshape(planes, (-1, channels, height + pad_h, width + pad_w)), (0, 2, 3, 1))
    mappings = _edge_padded(_tile_mappings(padded, batch, (grid_h, grid_w), (tile_h, tile_w), channels, clip_limit))

    y0, y1, wy = _neighbours(tile_h * grid_h, tile_h, grid_h)
    x0, x1, wx = _neighbours(tile_w * grid_w, tile_w, grid_w)
    # Gather from the flattened (batch, grid_h + 2, grid_w + 2, channels, 256) mappings.
    stride_x = 256 * channels
    stride_y = stride_x * (grid_w + 2)
    stride_b = stride_y * (grid_h + 2)
    flat = ops.reshape(mappings, (-1,))
    levels = ops.cast(ops.clip(padded, 0, 255), "int32")
    base = (ops.arange(batch, dtype="int32")[:, None, None, None] * stride_b
            + ops.arange(channels, dtype="int32")[None, None, None, :] * 256 + levels)
    rows = [y[None, :, None, None] * stride_y for y in (y0, y1)]
    columns = [x[None, None, :, None] * stride_x for x in (x0, x1)]
    wy, wx = wy[None, :, None, None], wx[None, None, :, None]
    top = ops.take(flat, base + rows[0] + columns[0]) * (1.0 - wx) + ops.take(flat, base + rows[0] + columns[1]) * wx
    bottom = ops.take(flat, base + rows[1] + columns[0]) * (1.0 - wx) + ops.take(flat, base + rows[1] + columns[1]) * wx
    result = top * (1.0 - wy) + bottom * wy
    return result[:, :height, :width, :]


@_registry.builtin
class ContrastLimitedAdaptiveHistogramEqualization(_ContrastLayer):
    """Contrast-limited adaptive histogram equalization (CLAHE): each image is cut into a grid of tiles, each tile's
    histogram is clipped at `clip_limit` times the mean count and equalized, and each pixel's new value interpolates
    bilinearly between the maps of the four nearest tiles. Applied in training and at inference.

    Args:
        value_range: `(low, high)` of the pixel values.
        clip_limit: the histogram clip as a multiple of the mean bin count; 0 or less disables clipping.
        tile_grid_size: `(rows, columns)` of tiles.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry; height,
            width and channels must be known.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.tile(np.linspace(100, 140, 8, dtype="float32"), (1, 8, 1))[..., None]
        >>> layer = kerasx.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
        >>> out = kerasx.ops.convert_to_numpy(layer(images))
        >>> out.shape, bool(out.max() - out.min() > 40.0)
        ((1, 8, 8, 1), True)
    """

    _HOST_IN_TF_GRAPH = "unknown_batch"  # its tile grid is built per image: a graph needs the batch size

    def __init__(self, value_range=(0, 255), clip_limit: float = 4.0, tile_grid_size=(8, 8), data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if (not isinstance(tile_grid_size, (tuple, list)) or len(tile_grid_size) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in tile_grid_size)):
            raise ValueError(BAD_TILE_GRID.format(value=tile_grid_size))
        check_value_range(type(self).__name__, value_range)
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def transform_images(self, images, transformation, training=True):
        input_dtype = ops.dtype(images)
        if self.data_format == "channels_first":
            images = ops.transpose(images, (0, 2, 3, 1))
        images = _color_math.rescale(images, self.value_range, (0, 255), "float32")
        images = clahe(self, ops.cast(images, "float32"), self.clip_limit, self.tile_grid_size)
        images = ops.cast(_color_math.rescale(images, (0, 255), self.value_range, "float32"), input_dtype)
        return ops.transpose(images, (0, 3, 1, 2)) if self.data_format == "channels_first" else images

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"value_range": self.value_range, "clip_limit": self.clip_limit, "tile_grid_size": self.tile_grid_size}
        )
        return config
