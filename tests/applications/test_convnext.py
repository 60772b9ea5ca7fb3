"""ConvNeXt Tiny to XLarge against Keras 3 (tests/applications_oracle.py) at 32x32: layers, parameter counts,
output shapes, Keras-written weights and the ImageNet file layout; stochastic depth and layer scale in a small
ConvNeXt; the errors Keras raises."""

import hashlib

import numpy as np
import pytest

import applications_oracle
import kerasx
from applications_oracle import check_application, check_structure, keras
from kerasx.applications import _convnext

SMALL: dict = {"input_shape": (32, 32, 3)}
TINY_ARCHITECTURE = {"depths": [1, 1, 2, 1], "projection_dims": [8, 16, 24, 32]}


def test_convnext_tiny_without_top(tmp_path):
    result = check_application("ConvNeXtTiny", tmp_path, include_top=False, pooling="avg", imagenet_layout=False,
                               **SMALL)
    assert tuple(result["kerasx"].output.shape) == (None, 768)


@pytest.mark.applications
def test_convnext_small_with_top(tmp_path):
    check_application("ConvNeXtSmall", tmp_path, classes=3, classifier_activation=None, **SMALL)


@pytest.mark.applications
@pytest.mark.parametrize("name", ["ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"])
def test_convnext_without_top(tmp_path, name):
    check_application(name, tmp_path, include_top=False, include_preprocessing=False, imagenet_layout=False,
                      **SMALL)


def test_stochastic_depth_and_layer_scale_of_a_small_convnext(tmp_path):
    kwargs = dict(TINY_ARCHITECTURE, drop_path_rate=0.3, layer_scale_init_value=0.5, weights=None,
                  include_top=False, pooling="avg", name="small", **SMALL)
    keras_model = keras.src.applications.convnext.ConvNeXt(**kwargs)
    kerasx_model = kerasx.applications._convnext.ConvNeXt(**kwargs)
    check_structure(keras_model, kerasx_model)

    def rates(model):
        return [round(layer.drop_path_rate, 6) for layer in model.layers if hasattr(layer, "drop_path_rate")]

    assert rates(kerasx_model) == rates(keras_model) == [0.075, 0.15, 0.225, 0.3]  # the first block has none
    path = str(tmp_path / "small.weights.h5")
    keras_model.save_weights(path)
    kerasx_model.load_weights(path)
    images = np.random.RandomState(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(keras_model(images, training=False))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(kerasx_model(images, training=False)), expected,
                               rtol=1e-4, atol=1e-4)


def test_stochastic_depth_drops_whole_samples_while_training():
    layer = kerasx.applications._convnext.StochasticDepth(0.5)
    x = np.ones((64, 2, 3), "float32")
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(layer(x)), x)
    kept = kerasx.ops.convert_to_numpy(layer(x, training=True))
    per_sample = kept.reshape(64, -1)
    assert set(np.unique(per_sample)) <= {0.0, 2.0}
    assert (per_sample.min(axis=1) == per_sample.max(axis=1)).all()  # a sample is dropped or kept as a whole


@pytest.mark.parametrize("kwargs", [{"weights": "imagenet", "classes": 10}, {"weights": "/no/such/file.h5"},
                                    {"weights": None, "include_top": False, "input_shape": (31, 31, 3)}])
def test_bad_arguments_are_refused_as_keras_does(kwargs):
    with pytest.raises(ValueError):
        keras.applications.ConvNeXtXLarge(**kwargs)
    with pytest.raises(ValueError):
        kerasx.applications.ConvNeXtXLarge(**kwargs)


@pytest.mark.applications
def test_imagenet_weights_need_the_variant_in_the_name():
    with pytest.raises(ValueError, match="convnext_tiny"):
        kerasx.applications.ConvNeXtTiny(weights="imagenet", include_top=False, name="backbone", **SMALL)


def test_channels_first_is_refused():
    kerasx.config.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="channels-last"):
            kerasx.applications.ConvNeXtTiny(weights=None)
    finally:
        kerasx.config.set_image_data_format("channels_last")


@pytest.mark.applications
def test_imagenet_weights_come_from_keras_file_name(tmp_path, monkeypatch):
    """weights="imagenet" asks for Keras's file (`convnext_tiny_notop.h5`, sha256 checked) in $KERASX_HOME/models;
    served here from a file:// folder standing in for Keras's URL, with Keras's weights."""
    kwargs = {"include_top": False, "input_shape": (32, 32, 3), "pooling": "avg"}
    keras_model = keras.applications.ConvNeXtTiny(weights=None, **kwargs)
    served = tmp_path / "served" / "convnext_tiny_notop.h5"
    served.parent.mkdir()
    applications_oracle.write_imagenet_layout(keras_model, served)
    hashes = dict(_convnext.WEIGHTS_HASHES)
    hashes["convnext_tiny"] = (hashes["convnext_tiny"][0], hashlib.sha256(served.read_bytes()).hexdigest())
    monkeypatch.setattr(_convnext, "WEIGHTS_URL", served.parent.as_uri() + "/")
    monkeypatch.setattr(_convnext, "WEIGHTS_HASHES", hashes)
    monkeypatch.setenv("KERASX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))

    model = kerasx.applications.ConvNeXtTiny(weights="imagenet", **kwargs)
    assert (tmp_path / "home" / "models" / served.name).is_file()
    images = np.random.RandomState(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(keras_model(images, training=False))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(model(images, training=False)), expected, rtol=1e-4,
                               atol=1e-4)
