"""The deterministic image arithmetic behind the colour and intensity augmentations, on `kerasx.ops`.

Each function takes the images and an already drawn transformation (per-image factors of shape `(batch, 1, 1, 1)`
or `(batch,)`), so the layers only draw numbers and the arithmetic can be tested against Keras 3's layers with a
transformation both sides are given. The float operations run in the order Keras 3's layers document and run them,
so results agree to float32 rounding.
"""

from __future__ import annotations

from typing import cast

from kerasx import ops
from kerasx.backend._config import ImageDataFormat

UNKNOWN_CHANNELS = (
    "The number of channels of the images must be known to build this augmentation. Received: images.shape={shape}. "
    "Give the input a known channel axis, e.g. `kerasx.Input(shape=(None, None, 3))`."
)


def image_format(data_format: str) -> ImageDataFormat:
    """The layer's data format (a checked string) as the image ops' literal type."""
    return cast(ImageDataFormat, data_format)


def num_channels(images, data_format: str) -> int:
    channels = ops.shape(images)[channel_axis(data_format)]
    if channels is None:
        raise ValueError(UNKNOWN_CHANNELS.format(shape=ops.shape(images)))
    return int(channels)


def spatial_axes(data_format: str) -> tuple[int, int]:
    """(height, width) axes counted from the end, for batched or single images."""
    return (-3, -2) if data_format == "channels_last" else (-2, -1)


def channel_axis(data_format: str) -> int:
    return -1 if data_format == "channels_last" else -3


def rescale(images, source, target, dtype: str = "float32"):
    """`images` moved linearly from the value range `source` to `target` (unchanged when they are equal)."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    images = ops.cast(images, dtype)
    low, high = ops.cast(source[0], dtype), ops.cast(source[1], dtype)
    target_low, target_high = ops.cast(target[0], dtype), ops.cast(target[1], dtype)
    unit = (images - low) / (high - low)
    return unit * (target_high - target_low) + target_low


def adjust_contrast(images, factor, data_format: str):
    """Each image pulled towards (factor < 1) or pushed from (factor > 1) its per-channel spatial mean."""
    height_axis, width_axis = spatial_axes(data_format)
    mean = ops.mean(ops.mean(images, axis=height_axis, keepdims=True), axis=width_axis, keepdims=True)
    return (images - mean) * factor + mean


def _replace_channel(images, index: int, values, data_format: str):
    axis = channel_axis(data_format)
    planes = [ops.take(images, i, axis=axis) for i in range(3)]
    planes[index] = values
    return ops.stack(planes, axis=axis)


def shift_hue(images, delta, data_format: str):
    """Images in [0, 1] with their hue turned by `delta` (per image, shape (batch,)) of a full circle."""
    hsv = ops.image.rgb_to_hsv(images, data_format=image_format(data_format))
    hue = ops.take(hsv, 0, axis=channel_axis(data_format)) + ops.expand_dims(ops.expand_dims(delta, -1), -1)
    hue = ops.where(hue > 1.0, hue - 1.0, hue)
    hue = ops.where(hue < 0.0, hue + 1.0, hue)
    return ops.image.hsv_to_rgb(_replace_channel(hsv, 0, hue, data_format), data_format=image_format(data_format))


def scale_saturation(images, factor, value_range, data_format: str):
    """Images with their HSV saturation multiplied by `factor` (per image, shape (batch,)) and clipped to
    `value_range` (Keras 3 clips the saturation channel to the layer's value range)."""
    factor = ops.reshape(factor, tuple(ops.shape(factor)) + (1, 1))
    hsv = ops.image.rgb_to_hsv(images, data_format=image_format(data_format))
    saturation = ops.multiply(ops.take(hsv, 1, axis=channel_axis(data_format)), factor)
    saturation = ops.clip(saturation, value_range[0], value_range[1])
    hsv = _replace_channel(hsv, 1, saturation, data_format)
    return ops.image.hsv_to_rgb(hsv, data_format=image_format(data_format))


def degenerate(images, factor, data_format: str):
    """Images blended towards their grayscale version by `factor` (0: unchanged, 1: grayscale)."""
    grayscale = ops.image.rgb_to_grayscale(images, data_format=image_format(data_format))
    return images + factor * (grayscale - images)


def posterize(images, shift, value_range, dtype: str):
    """Images with the `shift` lowest bits of their 8-bit values (per image, shape (batch,)) cleared."""
    shift = ops.reshape(shift, tuple(ops.shape(shift)) + (1, 1, 1))
    images = ops.cast(rescale(images, value_range, (0, 255), dtype), "uint8")
    images = ops.bitwise_left_shift(ops.bitwise_right_shift(images, shift), shift)
    return rescale(ops.cast(images, dtype), (0, 255), value_range, dtype)


# The smoothing kernel of PIL's ImageFilter.SMOOTH, which Keras 3's sharpness blends away from.
_SMOOTH_EDGE, _SMOOTH_CENTRE = 1.0 / 13.0, 5.0 / 13.0


def sharpen(images, factor, value_range, data_format: str, dtype: str):
    """Images extrapolated away from a 3x3 smoothed copy by `factor * 2` (per image, shape (batch,)): 1 leaves them,
    above 1 sharpens, below 1 blurs."""
    if data_format == "channels_first":
        images = ops.swapaxes(images, -3, -1)
    strength = ops.reshape(ops.cast(factor * 2, dtype), (-1, 1, 1, 1))
    channels = num_channels(images, "channels_last")
    a, b = _SMOOTH_EDGE, _SMOOTH_CENTRE
    kernel = ops.convert_to_tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=dtype)
    kernel = ops.tile(ops.reshape(kernel, (3, 3, 1, 1)), (1, 1, channels, 1))
    smoothed = ops.depthwise_conv(images, kernel, strides=1, padding="same", data_format="channels_last")
    smoothed = ops.cast(smoothed, dtype)
    images = images + (1.0 - strength) * (smoothed - images)
    images = ops.clip(images, value_range[0], value_range[1])
    return ops.swapaxes(images, -3, -1) if data_format == "channels_first" else images


def back_to_input_dtype(results, input_dtype: str):
    """Float results in the input's dtype: rounded and saturated for integer inputs."""
    if ops.dtype(results) == input_dtype:
        return results
    if "int" in input_dtype:
        results = ops.round(results)
    return ops.saturate_cast(results, input_dtype)


def solarize(images, additions, thresholds, value_range, dtype: str):
    """Images (as 0-255 values) raised by `additions`, then inverted (255 - v) where at or above `thresholds`."""
    images = rescale(images, value_range, (0, 255), dtype)
    results = ops.clip(images + additions, 0, 255)
    results = ops.where(results < thresholds, results, 255 - results)
    return rescale(results, (0, 255), value_range, dtype)


def auto_contrast(images, value_range, dtype: str):
    """Each channel of each image stretched so that its minimum maps to the range's low end and its maximum to
    the high end; constant channels (a division by zero) are left as they were."""
    original = images
    images = ops.cast(rescale(images, value_range, (0, 255), dtype), dtype)
    low = ops.min(images, axis=(1, 2), keepdims=True)
    high = ops.max(images, axis=(1, 2), keepdims=True)
    scale = 255.0 / (high - low)
    offset = -low * scale
    results = ops.clip(images * scale + offset, 0.0, 255.0)
    results = rescale(results, (0, 255), value_range, dtype)
    return ops.where(ops.isnan(results), original, results)


def _histogram(values, num_bins: int):
    # Values in [0, 255] land in bins 0..num_bins-1; float32 arithmetic in Keras 3's order, so the bin edges agree.
    values = ops.cast(values, "float32")
    scaled = (values - ops.cast(0, "float32")) * (num_bins - 1) / (ops.cast(255, "float32") - ops.cast(0, "float32"))
    indices = ops.clip(ops.cast(scaled, "int32"), 0, num_bins - 1)
    return ops.bincount(ops.reshape(indices, (-1,)), minlength=num_bins)


def _divide_round_half_even(numerator, denominator):
    """`round(numerator / denominator)` of non-negative integers, ties to even, in integer arithmetic.

    Keras 3 divides in float32 and rounds; XLA's float32 division on CPU is not always correctly rounded (255/126
    comes out one unit in the last place high), which moves exact halves such as 5355/126 = 42.5 to the next level
    on jax only. Integers give the correctly rounded level on every engine."""
    quotient = numerator // denominator
    twice_remainder = 2 * (numerator - quotient * denominator)
    odd = quotient % 2 == 1
    up = (twice_remainder > denominator) | ((twice_remainder == denominator) & odd)
    return quotient + ops.cast(up, ops.dtype(quotient))


def _equalized(channel, histogram, num_bins: int):
    cdf = ops.cumsum(histogram)
    cdf_min = ops.take(cdf, ops.argmax(cdf > 0))
    denominator = cdf[-1] - cdf_min
    denominator = ops.where(denominator == 0, ops.ones_like(denominator), denominator)
    lookup = ops.clip(ops.cast(_divide_round_half_even(255 * (cdf - cdf_min), denominator), "float32"), 0, 255)
    indices = ops.cast(ops.clip(channel / 255.0 * (num_bins - 1), 0, num_bins - 1), "int32")
    return ops.take(lookup, indices)


def _rescale_exact(values, source, target):
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return values * scale + (target[0] - source[0] * scale)


def equalize(images, value_range, num_bins: int, data_format: str):
    """Histogram equalization of each channel; the histogram of a channel counts every image of the batch (as
    Keras 3's layer does). A channel whose values all fall in one bin is left as it is."""
    value_range = tuple(value_range)
    axis = channel_axis(data_format)
    channels = []
    for index in range(num_channels(images, data_format)):
        channel = ops.take(images, index, axis=axis)
        if value_range != (0, 255):
            channel = _rescale_exact(channel, value_range, (0, 255))
        histogram = _histogram(channel, num_bins)
        equalized = ops.where(ops.count_nonzero(histogram) <= 1, channel, _equalized(channel, histogram, num_bins))
        if value_range != (0, 255):
            equalized = _rescale_exact(equalized, (0, 255), value_range)
        channels.append(equalized)
    return ops.stack(channels, axis=axis)


def erase(images, masks, fill_value, apply):
    """Pixels under `masks` replaced by `fill_value` in the images where `apply` (shape (batch,)) holds."""
    erased = ops.where(masks, fill_value, images)
    return ops.where(apply[:, None, None, None], erased, images)


def box_masks(images_shape, box_corners, data_format: str, dtype: str):
    """Boolean masks of the boxes `(x0, x1, y0, y1)` (each shape (batch,)), as a batch shaped like the images."""
    height_axis, width_axis = spatial_axes(data_format)
    height, width = images_shape[height_axis], images_shape[width_axis]
    grid_y, grid_x = ops.meshgrid(ops.arange(height, dtype=dtype), ops.arange(width, dtype=dtype), indexing="ij")
    if data_format == "channels_last":
        grid_y, grid_x = grid_y[None, :, :, None], grid_x[None, :, :, None]
    else:
        grid_y, grid_x = grid_y[None, None, :, :], grid_x[None, None, :, :]
    x0, x1, y0, y1 = (corner[:, None, None, None] for corner in box_corners)
    masks = (grid_x >= x0) & (grid_x < x1) & (grid_y >= y0) & (grid_y < y1)
    axis = channel_axis(data_format)
    return ops.repeat(masks, images_shape[axis], axis=axis)
