"""The helpers every application shares, against Keras 3's: `preprocess_input` of every module (NumPy arrays, in place
as Keras documents; tensors; symbolic tensors), `decode_predictions` (class index through get_file from a local
origin), `obtain_input_shape`'s shapes and errors, `correct_pad`, and legacy `.h5` weights loaded by layer order."""

import hashlib
import json

import h5py
import numpy as np
import pytest

import applications_oracle
import kerasx
from applications_oracle import keras
from kerasx.applications import _imagenet_utils

keras_imagenet_utils = pytest.importorskip("keras.src.applications.imagenet_utils")

MODULES = ("convnext", "densenet", "efficientnet", "efficientnet_v2", "inception_resnet_v2", "inception_v3",
           "mobilenet", "mobilenet_v2", "mobilenet_v3", "nasnet", "resnet", "resnet50", "resnet_v2", "vgg16", "vgg19",
           "xception")


def _images(shape, dtype):
    return np.random.RandomState(0).uniform(0, 255, shape).astype(dtype)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_numpy_in_place_as_keras(mode):
    for data_format, shape in (("channels_last", (2, 3, 4, 3)), ("channels_first", (2, 3, 4, 5)),
                               ("channels_first", (3, 4, 5)), ("channels_last", (4, 5, 3))):
        for dtype in ("uint8", "float32", "float64"):
            ours, theirs = _images(shape, dtype), _images(shape, dtype)
            result = kerasx.applications.imagenet_utils.preprocess_input(ours, data_format=data_format, mode=mode)
            expected = keras.applications.imagenet_utils.preprocess_input(theirs, data_format=data_format, mode=mode)
            assert result.dtype == expected.dtype and result.shape == expected.shape
            np.testing.assert_allclose(result, expected, rtol=1e-6)
            np.testing.assert_array_equal(ours, theirs)  # the input changed (or not) as Keras changes it


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_tensors_and_symbolic(mode):
    for data_format, shape in (("channels_last", (2, 3, 4, 3)), ("channels_first", (2, 3, 4, 5))):
        images = _images(shape, "float32")
        result = kerasx.applications.imagenet_utils.preprocess_input(
            kerasx.ops.convert_to_tensor(images.copy()), data_format=data_format, mode=mode)
        expected = keras.applications.imagenet_utils.preprocess_input(
            keras.ops.convert_to_tensor(images.copy()), data_format=data_format, mode=mode)
        np.testing.assert_allclose(kerasx.ops.convert_to_numpy(result), keras.ops.convert_to_numpy(expected),
                                   rtol=1e-5, atol=1e-5)
        symbolic = kerasx.applications.imagenet_utils.preprocess_input(
            kerasx.Input(shape=shape[1:]), data_format=data_format, mode=mode)
        assert tuple(symbolic.shape) == (None, *shape[1:])


def test_every_module_preprocesses_as_keras():
    for module in MODULES:
        images = _images((1, 2, 2, 3), "float32")
        result = getattr(kerasx.applications, module).preprocess_input(images.copy())
        expected = getattr(keras.applications, module).preprocess_input(images.copy())
        np.testing.assert_allclose(result, expected, rtol=1e-6, err_msg=module)


def test_preprocess_input_errors():
    with pytest.raises(ValueError, match="mode"):
        kerasx.applications.imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="jax")
    with pytest.raises(ValueError, match="data_format"):
        kerasx.applications.imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), data_format="channels_middle")


def test_decode_predictions_as_keras(tmp_path, monkeypatch):
    names = {str(i): [f"n{i:08d}", f"class {i}"] for i in range(1000)}
    index_file = tmp_path / "served" / "imagenet_class_index.json"
    index_file.parent.mkdir()
    index_file.write_text(json.dumps(names))
    monkeypatch.setattr(_imagenet_utils, "CLASS_INDEX_URL", index_file.as_uri())
    monkeypatch.setattr(_imagenet_utils, "CLASS_INDEX_HASH", hashlib.md5(index_file.read_bytes()).hexdigest())
    monkeypatch.setattr(_imagenet_utils, "_class_index", None)
    monkeypatch.setenv("KERASX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(keras_imagenet_utils, "CLASS_INDEX", names)  # Keras's own cache of the same file

    preds = np.random.RandomState(0).rand(3, 1000).astype("float32")
    for top in (1, 5):
        assert kerasx.applications.vgg16.decode_predictions(preds, top=top) == \
            keras.applications.vgg16.decode_predictions(preds, top=top)
    assert (tmp_path / "home" / "models" / "imagenet_class_index.json").is_file()
    tensor_result = kerasx.applications.resnet.decode_predictions(kerasx.ops.convert_to_tensor(preds), top=2)
    assert tensor_result == keras.applications.resnet.decode_predictions(preds, top=2)
    for bad in (np.zeros((2, 10)), np.zeros((1000,))):
        with pytest.raises(ValueError):
            keras.applications.imagenet_utils.decode_predictions(bad)
        with pytest.raises(ValueError, match="1000"):
            kerasx.applications.imagenet_utils.decode_predictions(bad)


OBTAIN_CASES = [
    (None, 224, 32, "channels_last", True, "imagenet"),
    ((224, 224, 3), 224, 32, "channels_last", True, "imagenet"),
    ((64, 64, 3), 224, 32, "channels_last", True, "imagenet"),
    ((64, 64, 3), 224, 32, "channels_last", False, "imagenet"),
    ((64, 64, 1), 224, 32, "channels_last", False, "imagenet"),
    ((64, 64, 1), 224, 32, "channels_last", False, None),
    ((3, 64, 64), 224, 32, "channels_first", False, None),
    ((3, 16, 64), 224, 32, "channels_first", False, None),
    ((16, 16, 3), 224, 32, "channels_last", False, None),
    ((None, None, 3), 224, 32, "channels_last", True, None),
    ((None, None, 3), 224, 32, "channels_last", False, None),
    (None, 299, 75, "channels_first", False, None),
    (None, 299, 75, "channels_last", True, None),
    ((64, 64), 224, 32, "channels_last", False, None),
]


@pytest.mark.parametrize("case", OBTAIN_CASES)
def test_obtain_input_shape_as_keras(case):
    input_shape, default_size, min_size, data_format, require_flatten, weights = case
    arguments = {"default_size": default_size, "min_size": min_size, "data_format": data_format,
                 "require_flatten": require_flatten, "weights": weights}
    try:
        expected = tuple(keras_imagenet_utils.obtain_input_shape(input_shape, **arguments))
    except ValueError:
        with pytest.raises(ValueError):
            _imagenet_utils.obtain_input_shape(input_shape, **arguments)
        return
    assert _imagenet_utils.obtain_input_shape(input_shape, **arguments) == expected


def test_correct_pad_as_keras():
    for shape in ((None, 7, 8, 3), (None, 8, 8, 3), (None, None, None, 3)):
        for kernel_size in (3, (5, 3)):
            expected = keras_imagenet_utils.correct_pad(keras.Input(batch_shape=shape), kernel_size)
            assert _imagenet_utils.correct_pad(kerasx.Input(batch_shape=shape), kernel_size) == tuple(expected)


def _small_model(library, names=("first", "norm", "last")):
    inputs = library.Input(shape=(4,))
    x = library.layers.Dense(3, name=names[0])(inputs)
    x = library.layers.BatchNormalization(name=names[1])(x)
    return library.Model(inputs, library.layers.Dense(2, name=names[2])(x))


def test_legacy_h5_weights_load_by_layer_order(tmp_path):
    keras_model = _small_model(keras)
    path = tmp_path / "weights.h5"
    applications_oracle.write_imagenet_layout(keras_model, path)
    with h5py.File(path, "r") as file:
        assert [name.decode() for name in file.attrs["layer_names"]][1:] == ["first", "norm", "last"]
        assert file.attrs["layer_names"].dtype.kind == "S"
    model = _small_model(kerasx, names=("a", "b", "c"))  # other names: the order decides, as in Keras 3
    model.load_weights(str(path))
    x = np.random.RandomState(0).rand(2, 4).astype("float32")
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(model(x)), keras.ops.convert_to_numpy(keras_model(x)),
                               rtol=1e-5, atol=1e-6)

    other = kerasx.Sequential([kerasx.Input(shape=(4,)), kerasx.layers.Dense(2, name="only")])
    with pytest.raises(ValueError, match="3 layers"):
        other.load_weights(str(path))
