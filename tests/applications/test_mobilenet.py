"""MobileNet, MobileNetV2, MobileNetV3Small and MobileNetV3Large against Keras 3 (tests/applications_oracle.py):
layers, parameter counts, output shapes, Keras-written weights and the ImageNet file layout at 32x32; the width
(`alpha`) and family arguments; the errors Keras raises for pretrained weights that do not exist."""

import hashlib

import numpy as np
import pytest

import applications_oracle
import kerasx
from applications_oracle import check_application, keras
from kerasx.applications import _mobilenet_v3

SMALL: dict = {"input_shape": (32, 32, 3)}


def test_mobilenet_v3_small_with_top(tmp_path):
    check_application("MobileNetV3Small", tmp_path, classes=10, **SMALL)


@pytest.mark.applications
@pytest.mark.parametrize("kwargs", [{"alpha": 0.25, "classes": 7},
                                    {"alpha": 0.5, "depth_multiplier": 2, "include_top": False, "pooling": "avg"}])
def test_mobilenet(tmp_path, kwargs):
    result = check_application("MobileNet", tmp_path, **kwargs, **SMALL)
    assert result["kerasx"].name == result["keras"].name


@pytest.mark.applications
@pytest.mark.parametrize("kwargs", [{"alpha": 0.35, "classes": 7}, {"alpha": 1.3, "include_top": False}])
def test_mobilenet_v2(tmp_path, kwargs):
    result = check_application("MobileNetV2", tmp_path, **kwargs, **SMALL)
    assert result["kerasx"].name == result["keras"].name


@pytest.mark.applications
@pytest.mark.parametrize("name, kwargs", [
    ("MobileNetV3Large", {"include_top": False, "pooling": "avg"}),
    ("MobileNetV3Large", {"minimalistic": True, "alpha": 0.75, "classes": 3, "dropout_rate": 0.0}),
    ("MobileNetV3Small", {"minimalistic": True, "include_preprocessing": False, "include_top": False,
                          "pooling": "max"}),
])
def test_mobilenet_v3(tmp_path, name, kwargs):
    check_application(name, tmp_path, **kwargs, **SMALL)


@pytest.mark.parametrize("name, kwargs, match", [
    ("MobileNet", {"depth_multiplier": 2}, "depth_multiplier"),
    ("MobileNet", {"alpha": 0.3}, "alpha"),
    ("MobileNetV2", {"alpha": 0.3}, "alpha"),
    ("MobileNetV3Small", {"alpha": 0.5}, "alpha"),
    ("MobileNetV3Large", {"alpha": 0.75, "minimalistic": True}, "alpha"),
])
def test_pretrained_widths_that_do_not_exist_are_refused(name, kwargs, match):
    # Raised before anything is downloaded.
    arguments = {"weights": "imagenet", "include_top": False, "input_shape": (224, 224, 3), **kwargs}
    with pytest.raises(ValueError):
        getattr(keras.applications, name)(**arguments)
    with pytest.raises(ValueError, match=match):
        getattr(kerasx.applications, name)(**arguments)


def test_mobilenet_v3_input_size_is_checked():
    with pytest.raises(ValueError):
        keras.applications.MobileNetV3Small(weights=None, input_shape=(31, 40, 3))
    with pytest.raises(ValueError, match="at least 32x32"):
        kerasx.applications.MobileNetV3Small(weights=None, input_shape=(31, 40, 3))


@pytest.mark.applications
def test_mobilenet_v3_imagenet_weights_come_from_keras_file_name(tmp_path, monkeypatch):
    """weights="imagenet" asks for Keras's file (`weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5`, hash
    checked) in $KERASX_HOME/models; served here from a file:// folder standing in for Keras's URL, with Keras's
    weights at 224x224 and a warning-free square 224 input."""
    kwargs = {"include_top": False, "input_shape": (224, 224, 3), "pooling": "avg"}
    keras_model = keras.applications.MobileNetV3Small(weights=None, **kwargs)
    served = tmp_path / "served" / "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5"
    served.parent.mkdir()
    applications_oracle.write_imagenet_layout(keras_model, served)
    hashes = dict(_mobilenet_v3.WEIGHTS_HASHES)
    hashes["small_224_1.0_float"] = (hashes["small_224_1.0_float"][0], hashlib.md5(served.read_bytes()).hexdigest())
    monkeypatch.setattr(_mobilenet_v3, "WEIGHTS_URL", served.parent.as_uri() + "/")
    monkeypatch.setattr(_mobilenet_v3, "WEIGHTS_HASHES", hashes)
    monkeypatch.setenv("KERASX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))

    model = kerasx.applications.MobileNetV3Small(weights="imagenet", **kwargs)
    assert (tmp_path / "home" / "models" / served.name).is_file()
    images = np.random.RandomState(0).uniform(0, 255, (1, 224, 224, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(keras_model(images))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(model(images)), expected, rtol=1e-4, atol=1e-4)
