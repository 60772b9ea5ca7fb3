"""EfficientNetV2 B0 to B3, S, M and L against Keras 3 (tests/applications_oracle.py) at 32x32: layers, parameter
counts, output shapes, Keras-written weights and the ImageNet file layout; the blocks' drop rates; the two
preprocessings (B: ImageNet statistics, S/M/L: [-1, 1]); the errors Keras raises before building."""

import pytest

import kerasx
from applications_oracle import check_application, keras

SMALL: dict = {"input_shape": (32, 32, 3)}


def _preprocessing_configs(model) -> list:
    kinds = ("Rescaling", "Normalization")
    return [(type(layer).__name__, layer.get_config().get("scale"), layer.get_config().get("offset"))
            for layer in model.layers if type(layer).__name__ in kinds]


def _dropout_configs(model) -> list:
    return [(layer.name, round(float(layer.rate), 6)) for layer in model.layers if type(layer).__name__ == "Dropout"]


def test_efficientnet_v2_b0_without_top(tmp_path):
    result = check_application("EfficientNetV2B0", tmp_path, include_top=False, pooling="avg",
                               imagenet_layout=False, **SMALL)
    assert _preprocessing_configs(result["kerasx"]) == _preprocessing_configs(result["keras"])
    dropouts = _dropout_configs(result["kerasx"])
    assert dropouts == _dropout_configs(result["keras"])
    # The first block has rate 0 and no Dropout layer; the rate grows over the 21 blocks to 0.2.
    assert dropouts[0] == ("block2b_drop", round(0.2 * 2 / 21, 6))


@pytest.mark.applications
def test_efficientnet_v2_b1_with_top(tmp_path):
    check_application("EfficientNetV2B1", tmp_path, classes=3, classifier_activation=None, **SMALL)


@pytest.mark.applications
@pytest.mark.parametrize("name", ["EfficientNetV2B2", "EfficientNetV2B3", "EfficientNetV2S", "EfficientNetV2M",
                                  "EfficientNetV2L"])
def test_efficientnet_v2_without_top(tmp_path, name):
    # The three deepest, on numpy: see calm_statistics (M, 700 layers, failed with one draw of random weights in 3).
    calm = name in ("EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L") and kerasx.config.backend() == "numpy"
    result = check_application(name, tmp_path, include_top=False, imagenet_layout=False, calm=calm, **SMALL)
    assert _preprocessing_configs(result["kerasx"]) == _preprocessing_configs(result["keras"])


@pytest.mark.applications
def test_efficientnet_v2_s_without_preprocessing(tmp_path):
    result = check_application("EfficientNetV2S", tmp_path, include_preprocessing=False, include_top=False,
                               pooling="max", imagenet_layout=False, **SMALL)
    assert _preprocessing_configs(result["kerasx"]) == []


@pytest.mark.applications
def test_a_renamed_model_keeps_its_architecture():
    # Keras 3 looks the blocks up by the model's name, so another name raises a KeyError there.
    renamed = kerasx.applications.EfficientNetV2B0(weights=None, include_top=False, name="backbone", **SMALL)
    assert renamed.name == "backbone"
    assert renamed.count_params() == 5919312


@pytest.mark.parametrize("kwargs", [{"weights": "imagenet", "classes": 10}, {"weights": "/no/such/file.h5"},
                                    {"weights": None, "include_top": False, "input_shape": (31, 31, 3)}])
def test_bad_arguments_are_refused_as_keras_does(kwargs):
    with pytest.raises(ValueError):
        keras.applications.EfficientNetV2L(**kwargs)
    with pytest.raises(ValueError):
        kerasx.applications.EfficientNetV2L(**kwargs)
