"""VGG16 and VGG19 against Keras 3 (tests/applications_oracle.py), their errors, and `weights="imagenet"` through
the download path (a file:// origin standing in for Keras's URL)."""

import hashlib

import numpy as np
import pytest

import applications_oracle
import kerasx
from applications_oracle import check_application, keras
from kerasx.applications import _vgg

TRAINS = kerasx.backend.backend() != "numpy"


def test_vgg16_without_top_pooled(tmp_path):
    check_application("VGG16", tmp_path, include_top=False, input_shape=(32, 32, 3), pooling="avg")


@pytest.mark.applications
def test_vgg16_with_top(tmp_path):
    check_application("VGG16", tmp_path, input_shape=(32, 32, 3), classes=10, classifier_activation=None)


@pytest.mark.applications
@pytest.mark.parametrize("kwargs", [{"include_top": False, "input_shape": (32, 32, 3), "pooling": "max"},
                                    {"input_shape": (32, 32, 3), "classes": 3}])
def test_vgg19(tmp_path, kwargs):
    check_application("VGG19", tmp_path, **kwargs)


@pytest.mark.applications
def test_vgg16_input_tensor_and_feature_map():
    keras_model = keras.applications.VGG16(weights=None, include_top=False,
                                           input_tensor=keras.Input(shape=(40, 48, 3)))
    inputs = kerasx.Input(shape=(40, 48, 3))
    model = kerasx.applications.VGG16(weights=None, include_top=False, input_tensor=inputs)
    assert model.inputs[0] is inputs
    applications_oracle.check_structure(keras_model, model)
    assert tuple(model.output.shape) == (None, 1, 1, 512)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"weights": "nowhere.h5"}, "`weights` must be None"),
        ({"weights": "imagenet", "classes": 10}, "1000"),
        ({"weights": None, "input_shape": (31, 31, 3), "include_top": False}, "at least 32x32"),
        ({"weights": None, "input_shape": (None, None, 3)}, "fixed image size"),
        ({"weights": "imagenet", "input_shape": (64, 64, 3)}, r"should be \(224, 224, 3\)"),
        ({"weights": None, "input_shape": (32, 32)}, "three integers"),
    ],
)
def test_errors_where_keras_raises(kwargs, match):
    with pytest.raises(ValueError):
        keras.applications.VGG16(**kwargs)
    with pytest.raises(ValueError, match=match):
        kerasx.applications.VGG16(**kwargs)


@pytest.mark.applications
def test_pretrained_classifier_activation_is_checked(tmp_path):
    path = tmp_path / "w.h5"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="classifier_activation"):
        kerasx.applications.VGG16(weights=str(path), input_shape=(32, 32, 3), classes=2, classifier_activation="relu")


def test_imagenet_weights_download_into_the_models_cache(tmp_path, monkeypatch):
    """weights="imagenet" fetches the file once through get_file (hash checked) into $KERASX_HOME/models."""
    # The file is written from a kerasx model (building Keras's VGG16 again would cost seconds; the oracle tests
    # already load Keras-written files).
    source = kerasx.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    served = tmp_path / "served" / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    served.parent.mkdir()
    applications_oracle.write_imagenet_layout(source, served)
    md5 = hashlib.md5(served.read_bytes()).hexdigest()
    origin_folder = served.parent.as_uri() + "/"
    monkeypatch.setattr(_vgg, "_WEIGHTS_FOLDER", origin_folder)
    monkeypatch.setattr(_vgg, "_VGG16_FILES", (_vgg._VGG16_FILES[0], (served.name, md5)))
    monkeypatch.setenv("KERASX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))

    model = kerasx.applications.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    assert (tmp_path / "home" / "models" / served.name).is_file()
    images = np.random.RandomState(0).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    expected = kerasx.ops.convert_to_numpy(source(images))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(model(images)), expected, rtol=1e-4, atol=1e-4)

    # A wrong hash: the download is refused and nothing is left in the cache.
    (tmp_path / "home" / "models" / served.name).unlink()
    monkeypatch.setattr(_vgg, "_VGG16_FILES", (_vgg._VGG16_FILES[0], (served.name, "0" * 32)))
    with pytest.raises(ValueError, match="hash"):
        kerasx.applications.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    assert list((tmp_path / "home" / "models").iterdir()) == []
