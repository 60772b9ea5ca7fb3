"""`kerasx.preprocessing`: Keras 3's namespace of the same name (the utils' dataset, image and sequence helpers)
and `smart_resize` against Keras 3's on the same images."""

from __future__ import annotations

import numpy as np
import pytest

import keras
import kerasx
import support
from kerasx.preprocessing import image, sequence

RNG = np.random.default_rng(0)


def test_the_namespace_holds_the_utils_functions():
    assert kerasx.preprocessing.image_dataset_from_directory is kerasx.utils.image_dataset_from_directory
    assert kerasx.preprocessing.timeseries_dataset_from_array is kerasx.utils.timeseries_dataset_from_array
    assert image.load_img is kerasx.utils.load_img and sequence.pad_sequences is kerasx.utils.pad_sequences
    np.testing.assert_array_equal(sequence.pad_sequences([[1, 2], [3]], maxlen=3),
                                  keras.preprocessing.sequence.pad_sequences([[1, 2], [3]], maxlen=3))


@pytest.mark.parametrize(
    ("shape", "size", "interpolation", "data_format"),
    [
        ((2, 5, 8, 3), (4, 4), "bilinear", "channels_last"),
        ((7, 4, 1), (3, 6), "nearest", "channels_last"),
        ((2, 3, 9, 6), (5, 5), "bilinear", "channels_first"),
        ((6, 6, 2), (3, 3), "bicubic", "channels_last"),
    ],
)
def test_smart_resize_matches_keras(shape, size, interpolation, data_format):
    x = RNG.uniform(0, 255, size=shape).astype("float32")
    expected = keras.preprocessing.image.smart_resize(x, size, interpolation=interpolation, data_format=data_format)
    got = image.smart_resize(x, size, interpolation=interpolation, data_format=data_format)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    np.testing.assert_allclose(got, keras.ops.convert_to_numpy(expected), rtol=1e-4, atol=1e-3)


def test_smart_resize_of_integer_pixels_and_tensors():
    """Integer pixels resample to float32 on every engine; Keras 3 gives float32 on jax and tensorflow but rounds
    back to the input's integers on torch and numpy."""
    pixels = RNG.integers(0, 255, size=(6, 10, 3)).astype("uint8")
    expected = keras.ops.convert_to_numpy(keras.preprocessing.image.smart_resize(pixels, (3, 3)))
    got = image.smart_resize(pixels, (3, 3))
    assert got.dtype == np.float32
    if expected.dtype == np.uint8:
        np.testing.assert_allclose(got, expected, atol=0.5 + 1e-3)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-3)
    tensor = image.smart_resize(kerasx.ops.convert_to_tensor(pixels.astype("float32")), (3, 3))
    support.assert_close(tensor, got, rtol=1e-5, atol=1e-4)


def test_smart_resize_errors():
    with pytest.raises(ValueError, match="tuple of two positive integers"):
        image.smart_resize(np.zeros((4, 4, 3)), (4,))
    with pytest.raises(ValueError, match="rank 3"):
        image.smart_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="data_format"):
        image.smart_resize(np.zeros((4, 4, 3)), (2, 2), data_format="nhwc")
