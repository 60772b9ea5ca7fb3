"""NASNetMobile and NASNetLarge against Keras 3 (tests/applications_oracle.py) at 32x32: layers, parameter counts,
output shapes, Keras-written weights and the ImageNet file layout; the errors Keras raises. Keras 3 refuses
NASNetMobile on its torch backend ("outstanding bug"); kerasx builds it there, checked against Keras's parameter
count."""

import numpy as np
import pytest

import kerasx
from applications_oracle import check_application, check_structure, keras

SMALL: dict = {"input_shape": (32, 32, 3)}
# keras.applications.NASNetMobile(weights=None, input_shape=(32, 32, 3), classes=10).count_params()
MOBILE_PARAMS_10_CLASSES = 4280286


def _fresh_names():
    # The cells' activations, paddings and concatenations are named automatically: count from zero in both.
    keras.backend.clear_session(free_memory=False)
    kerasx.backend.clear_session(free_memory=False)


def test_a_small_nasnet_against_keras(tmp_path):
    # Every cell kind (reductions with both adjustments, normal cells, skip_reduction off) at a few channels: the
    # cheap check of the cells' wiring and names in the normal run.
    kwargs = {"input_shape": (32, 32, 3), "penultimate_filters": 96, "num_blocks": 1, "stem_block_filters": 8,
              "skip_reduction": False, "weights": None, "classes": 3, "classifier_activation": None}
    _fresh_names()
    keras_model = keras.src.applications.nasnet.NASNet(**kwargs)
    kerasx_model = kerasx.applications._nasnet.NASNet(**kwargs)
    check_structure(keras_model, kerasx_model)
    path = str(tmp_path / "small_nasnet.weights.h5")
    keras_model.save_weights(path)
    kerasx_model.load_weights(path)
    images = np.random.RandomState(0).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(keras_model(images, training=False))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(kerasx_model(images, training=False)), expected,
                               rtol=1e-4, atol=1e-4)


@pytest.mark.applications
def test_nasnet_mobile_with_top(tmp_path):
    if kerasx.backend.backend() == "torch":
        model = kerasx.applications.NASNetMobile(weights=None, classes=10, **SMALL)
        assert model.count_params() == MOBILE_PARAMS_10_CLASSES
        assert tuple(model.output.shape) == (None, 10)
        return
    _fresh_names()
    check_application("NASNetMobile", tmp_path, classes=10, classifier_activation=None, **SMALL)


@pytest.mark.applications
def test_nasnet_large_without_top(tmp_path):
    _fresh_names()
    result = check_application("NASNetLarge", tmp_path, include_top=False, pooling="max", **SMALL)
    assert tuple(result["kerasx"].output.shape) == (None, 4032)


@pytest.mark.applications
def test_nasnet_mobile_without_top_defaults_to_224(tmp_path):
    if kerasx.backend.backend() == "torch":
        pytest.skip("Keras 3 refuses NASNetMobile on torch (the kerasx build is checked in the test above)")
    _fresh_names()
    result = check_application("NASNetMobile", tmp_path, include_top=False, imagenet_layout=False)
    assert tuple(result["kerasx"].input.shape) == (None, 224, 224, 3)


@pytest.mark.parametrize("kwargs", [{"weights": "imagenet", "classes": 10},
                                    {"weights": "imagenet", "include_top": False, "input_shape": (None, None, 3)},
                                    {"weights": None, "include_top": False, "input_shape": (31, 31, 3)}])
def test_bad_arguments_are_refused_as_keras_does(kwargs):
    with pytest.raises(ValueError):
        keras.applications.NASNetLarge(**kwargs)
    with pytest.raises(ValueError):
        kerasx.applications.NASNetLarge(**kwargs)


def test_penultimate_filters_must_divide_evenly():
    with pytest.raises(ValueError, match="penultimate_filters=1000"):
        kerasx.applications._nasnet.NASNet(input_shape=(32, 32, 3), penultimate_filters=1000, weights=None,
                                           include_top=False)


def test_channels_first_is_refused():
    kerasx.config.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="channels-last"):
            kerasx.applications.NASNetMobile(weights=None)
    finally:
        kerasx.config.set_image_data_format("channels_last")
