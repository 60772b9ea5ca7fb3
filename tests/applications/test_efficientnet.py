"""EfficientNetB0 to B7 against Keras 3 (tests/applications_oracle.py) at 32x32: layers, parameter counts, output
shapes, Keras-written weights and the ImageNet file layout; the drop-connect rates of the blocks; the extra
rescaling for the ImageNet weights; the errors Keras raises before building."""

import math

import pytest

import kerasx
from applications_oracle import check_application, keras

SMALL: dict = {"input_shape": (32, 32, 3)}


def _dropout_configs(model) -> list:
    return [(layer.name, round(float(layer.rate), 6), tuple(layer.noise_shape or ())) for layer in model.layers
            if type(layer).__name__ == "Dropout"]


def test_efficientnet_b0_without_top(tmp_path):
    result = check_application("EfficientNetB0", tmp_path, include_top=False, pooling="avg", imagenet_layout=False,
                               **SMALL)
    # Drop-connect grows linearly over the 16 blocks to 0.2 (times 15/16 at the last one).
    dropouts = _dropout_configs(result["kerasx"])
    assert dropouts == _dropout_configs(result["keras"])
    assert dropouts[-1] == ("block6d_drop", round(0.2 * 14 / 16, 6), (None, 1, 1, 1))


@pytest.mark.applications
def test_efficientnet_b1_with_top(tmp_path):
    result = check_application("EfficientNetB1", tmp_path, classes=3, classifier_activation=None, **SMALL)
    assert _dropout_configs(result["kerasx"]) == _dropout_configs(result["keras"])


@pytest.mark.applications
@pytest.mark.parametrize("name", [f"EfficientNetB{i}" for i in range(2, 8)])
def test_efficientnet_without_top(tmp_path, name):
    check_application(name, tmp_path, include_top=False, imagenet_layout=False, **SMALL)


@pytest.mark.applications
def test_imagenet_weights_add_the_standard_deviation_rescaling(monkeypatch):
    # What weights="imagenet" builds, without the download: Keras 3 divides by sqrt(stddev) after the
    # Normalization (whose variance the weight file holds).
    monkeypatch.setattr(kerasx.applications._efficientnet._weights, "load_weights", lambda *args, **kwargs: None)
    model = kerasx.applications.EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    kinds = [type(layer).__name__ for layer in model.layers[1:4]]
    assert kinds == ["Rescaling", "Normalization", "Rescaling"]
    scale = model.layers[3].get_config()["scale"]
    assert [round(s, 6) for s in scale] == [round(1 / math.sqrt(s), 6) for s in (0.229, 0.224, 0.225)]


@pytest.mark.parametrize("kwargs", [{"weights": "imagenet", "classes": 10}, {"weights": "/no/such/file.h5"},
                                    {"weights": None, "include_top": False, "input_shape": (31, 31, 3)}])
def test_bad_arguments_are_refused_as_keras_does(kwargs):
    with pytest.raises(ValueError):
        keras.applications.EfficientNetB7(**kwargs)
    with pytest.raises(ValueError):
        kerasx.applications.EfficientNetB7(**kwargs)
