"""Image helpers against Keras 3's: the same files written, the same pixels read, the same arrays."""

from __future__ import annotations

import io
import pathlib
import sys

import numpy as np
import pytest

from kerasx import utils

keras = pytest.importorskip("keras")
pytest.importorskip("PIL")

RNG = np.random.RandomState(0)
RGB = RNG.uniform(-1.0, 3.0, size=(7, 10, 3)).astype("float32")


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("scale", [True, False])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_array_to_img_matches_keras(channels, scale, data_format):
    x = RNG.uniform(0, 255, size=(5, 6, channels)).astype("float32")
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    ours = utils.array_to_img(x, data_format=data_format, scale=scale)
    theirs = keras.utils.array_to_img(x, data_format=data_format, scale=scale)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    for layout in ("channels_last", "channels_first"):
        ours_array = utils.img_to_array(ours, data_format=layout, dtype="float64")
        theirs_array = keras.utils.img_to_array(theirs, data_format=layout, dtype="float64")
        assert ours_array.dtype == theirs_array.dtype
        np.testing.assert_array_equal(ours_array, theirs_array)


def test_array_to_img_large_grayscale_and_errors():
    x = np.arange(12.0).reshape(3, 4, 1) * 100
    assert utils.array_to_img(x, scale=False).mode == keras.utils.array_to_img(x, scale=False).mode == "I"
    with pytest.raises(ValueError, match="rank 3"):
        utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Unsupported image shape"):
        utils.img_to_array(np.zeros((1, 2, 2, 3)))


@pytest.mark.parametrize("suffix", ["png", "jpg", "bmp"])
def test_save_img_writes_the_bytes_keras_writes(tmp_path, suffix):
    ours, theirs = tmp_path / f"ours.{suffix}", tmp_path / f"theirs.{suffix}"
    utils.save_img(ours, RGB)
    keras.utils.save_img(theirs, RGB)
    assert ours.read_bytes() == theirs.read_bytes()


def test_save_img_rgba_as_jpeg_warns_and_drops_alpha(tmp_path):
    rgba = RNG.uniform(0, 1, size=(4, 4, 4))
    with pytest.warns(UserWarning, match="does not support RGBA"):
        utils.save_img(tmp_path / "a.jpeg", rgba)
    assert utils.load_img(tmp_path / "a.jpeg").mode == "RGB"
    buffer = io.BytesIO()
    utils.save_img(buffer, rgba, file_format="png")
    assert utils.load_img(io.BytesIO(buffer.getvalue()), color_mode="rgba").size == (4, 4)


@pytest.mark.parametrize("color_mode", ["rgb", "rgba", "grayscale"])
@pytest.mark.parametrize("target_size", [None, (3, 5), (12, 4)])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"])
@pytest.mark.parametrize("keep_aspect_ratio", [False, True])
def test_load_img_matches_keras(tmp_path, color_mode, target_size, interpolation, keep_aspect_ratio):
    path = tmp_path / "image.png"
    keras.utils.save_img(path, RGB)
    kwargs = dict(color_mode=color_mode, target_size=target_size, interpolation=interpolation,
                  keep_aspect_ratio=keep_aspect_ratio)
    for source in (path, str(path)):
        ours, theirs = utils.load_img(source, **kwargs), keras.utils.load_img(source, **kwargs)
        assert ours.mode == theirs.mode and ours.size == theirs.size
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_load_img_errors(tmp_path):
    path = tmp_path / "image.png"
    utils.save_img(path, RGB)
    with pytest.raises(ValueError, match='color_mode must be "grayscale", "rgb", or "rgba"'):
        utils.load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid interpolation method cubic"):
        utils.load_img(path, target_size=(2, 2), interpolation="cubic")
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO"):
        utils.load_img(5)


def test_missing_pillow_names_the_extra(monkeypatch, tmp_path):
    # A None entry in sys.modules makes `import PIL.Image` fail as if Pillow were not installed.
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(ImportError, match=r'load_img needs the `pillow` package.*pip install "kerasx\[image\]"'):
        utils.load_img(pathlib.Path(tmp_path, "x.png"))
    with pytest.raises(ImportError, match="array_to_img needs the `pillow` package"):
        utils.array_to_img(np.zeros((2, 2, 3)))
