"""InceptionResNetV2 against Keras 3 (tests/applications_oracle.py) at its smallest input, 75x75: layers,
parameter counts, output shapes, Keras-written weights and the ImageNet file layout; its scaled-residual layer;
the errors Keras raises before building."""

import numpy as np
import pytest

import kerasx
from applications_oracle import check_application, keras

SMALL: dict = {"input_shape": (75, 75, 3)}


def _fresh_names():
    # Most of this network's layers are named automatically ("conv2d_57"), and the weight files match them by
    # name: both libraries count from zero again.
    keras.backend.clear_session(free_memory=False)
    kerasx.backend.clear_session(free_memory=False)


def test_inception_resnet_v2_without_top(tmp_path):
    _fresh_names()
    result = check_application("InceptionResNetV2", tmp_path, include_top=False, pooling="avg",
                               imagenet_layout=False, **SMALL)
    assert tuple(result["kerasx"].output.shape) == (None, 1536)
    scales = [layer.get_config()["scale"] for layer in result["kerasx"].layers if type(layer).__name__ ==
              "CustomScaleLayer"]
    assert scales == [layer.get_config()["scale"] for layer in result["keras"].layers
                      if type(layer).__name__ == "CustomScaleLayer"]
    assert sorted(set(scales)) == [0.1, 0.17, 0.2, 1.0]


@pytest.mark.applications
def test_inception_resnet_v2_with_top(tmp_path):
    _fresh_names()
    check_application("InceptionResNetV2", tmp_path, classes=5, classifier_activation=None, **SMALL)


def test_custom_scale_layer_adds_the_scaled_residual():
    layer = kerasx.applications._inception_resnet_v2.CustomScaleLayer(0.17)
    out = kerasx.ops.convert_to_numpy(layer([np.ones((1, 2)), np.array([[1.0, -2.0]])]))
    np.testing.assert_allclose(out, [[1.17, 0.66]], rtol=1e-6)
    assert layer.get_config()["scale"] == 0.17


@pytest.mark.parametrize("kwargs", [{"weights": "imagenet", "classes": 10}, {"weights": "/no/such/file.h5"},
                                    {"weights": None, "include_top": False, "input_shape": (74, 74, 3)}])
def test_bad_arguments_are_refused_as_keras_does(kwargs):
    with pytest.raises(ValueError):
        keras.applications.InceptionResNetV2(**kwargs)
    with pytest.raises(ValueError):
        kerasx.applications.InceptionResNetV2(**kwargs)
