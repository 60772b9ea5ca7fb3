"""The colour, intensity and mixing augmentation layers against Keras 3.

- inference: the layer's output (identity, or Keras's inference transform for AutoContrast and CLAHE), symbolic
  shapes, configs and deserialization both ways, through the shared oracle;
- the deterministic arithmetic: kerasx's `transform_images` and Keras 3's, given the same drawn transformation,
  agree to 1e-5;
- training: shape, dtype and value range of the augmented batch as Keras's;
- the same batch on every engine for a seed: fingerprints of the augmented batch recorded on the numpy backend
  (the draws are bit-identical everywhere, see `kerasx.random`), checked on each engine and, on jax and torch, in a
  process where TensorFlow cannot be imported;
- .keras files both ways, and training inside a model with save and reload.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops
from keras_layer_oracle import check_layer_against_keras, compare_configs
from preprocessing_color_cases import CASES, FINGERPRINTS, IMAGES, LABELS, fingerprint, to_numpy_tree, augmented

keras = pytest.importorskip("keras")

POLICIES = ("RandAugment", "AugMix")
# Layers whose drawn transformation Keras 3's `transform_images` reads in the same structure.
SAME_TRANSFORMATION = [
    "RandomContrast", "RandomBrightness", "RandomHue", "RandomSaturation", "RandomColorDegeneration",
    "RandomGrayscale", "RandomInvert", "RandomPosterization", "Solarization", "RandomSharpness",
    "RandomGaussianBlur", "RandomErasing", "MixUp", "CutMix", "AutoContrast", "Equalization",
    "ContrastLimitedAdaptiveHistogramEqualization",
]
CHANNELS_FIRST = {
    "RandomContrast": {"factor": 0.5, "seed": 3}, "RandomHue": {"factor": 0.3, "seed": 3},
    "RandomSaturation": {"factor": 0.4, "seed": 3}, "RandomSharpness": {"factor": 0.4, "seed": 3},
    "RandomErasing": {"seed": 3}, "Equalization": {"bins": 16},
}

def keras_tensors(tree):
    """Arrays as Keras 3 tensors (copies: some Keras 3 layers work in place, and Keras on torch cannot mix NumPy
    arrays with its tensors)."""
    if tree is None:
        return None
    return kerasx.tree.map_structure(lambda v: keras.ops.convert_to_tensor(np.array(v)), tree)


# On torch, Keras 3's own image layers fail when handed a transformation (a TypeError mixing NumPy and torch inside
# Keras) and its CLAHE gives other numbers than on jax, numpy and tensorflow; there kerasx's arithmetic (the same
# `kerasx.ops` code on every engine) is checked by the fingerprints, which equal the numpy backend's.
KERAS_TORCH_TRANSFORMS = pytest.mark.skipif(
    support.BACKEND == "torch", reason="Keras 3's transform_images on torch fails with a given transformation"
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_inference_matches_keras(name):
    if name == "ContrastLimitedAdaptiveHistogramEqualization" and support.BACKEND == "torch":
        pytest.skip("Keras 3's CLAHE on torch gives other numbers than on its other engines")
    check_layer_against_keras(name, CASES[name], IMAGES.copy(), gradients=False)


@KERAS_TORCH_TRANSFORMS
@pytest.mark.parametrize("name", sorted(CHANNELS_FIRST))
def test_channels_first_matches_keras(name):
    kwargs = {**CHANNELS_FIRST[name], "data_format": "channels_first"}
    images = np.transpose(IMAGES, (0, 3, 1, 2))
    ours = getattr(kerasx.layers, name)(**kwargs)
    transformation = to_numpy_tree(ours.get_random_transformation(images, training=True))
    keras_layer = getattr(keras.layers, name)(**kwargs)
    expected = keras_layer.transform_images(keras_tensors(images), keras_tensors(transformation), training=True)
    expected = keras.ops.convert_to_numpy(expected)
    support.assert_close(ours.transform_images(images, transformation, training=True), expected, 1e-5, 1e-3)


@KERAS_TORCH_TRANSFORMS
@pytest.mark.parametrize("name", SAME_TRANSFORMATION)
def test_transform_matches_keras(name):
    ours = getattr(kerasx.layers, name)(**CASES[name])
    theirs = getattr(keras.layers, name)(**CASES[name])
    transformation = to_numpy_tree(ours.get_random_transformation(IMAGES, training=True))
    expected = theirs.transform_images(keras_tensors(IMAGES), keras_tensors(transformation), training=True)
    expected = np.asarray(keras.ops.convert_to_numpy(expected))
    got = ours.transform_images(IMAGES, transformation, training=True)
    # Values are on the 0-255 scale: 1e-5 relative, and float32 rounding of 255 in absolute terms.
    support.assert_close(got, expected, rtol=1e-5, atol=1e-3)
    assert ops.dtype(got) == str(expected.dtype)
    if name in ("MixUp", "CutMix"):
        labels = ours.transform_labels(LABELS, transformation, training=True)
        expected_labels = theirs.transform_labels(keras_tensors(LABELS), keras_tensors(transformation))
        support.assert_close(labels, keras.ops.convert_to_numpy(expected_labels))


@pytest.mark.parametrize("name", sorted(CASES))
def test_training_output_like_keras(name):
    got = augmented(name)
    if name in POLICIES:
        # Keras 3's policies run every operation eagerly (a minute on jax): their output's shape and dtype instead.
        expected_shape, expected_dtype = IMAGES.shape, np.dtype("float32")
    else:
        expected = getattr(keras.layers, name)(**CASES[name])(keras_tensors(IMAGES), training=True)
        expected = np.asarray(keras.ops.convert_to_numpy(expected))
        expected_shape, expected_dtype = expected.shape, expected.dtype
    assert got.shape == expected_shape and got.dtype == expected_dtype
    assert got.min() >= -1e-3 and got.max() <= 255.0 + 1e-3, (got.min(), got.max())
    single = getattr(kerasx.layers, name)(**CASES[name])(IMAGES[0], training=True)
    assert tuple(ops.shape(single)) == IMAGES.shape[1:]


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_batch_on_every_engine(name):
    np.testing.assert_allclose(fingerprint(augmented(name)), FINGERPRINTS[name], rtol=2e-5)


def test_mixing_layers_mix_labels_of_dict_inputs():
    for name in ("MixUp", "CutMix"):
        out = getattr(kerasx.layers, name)(**CASES[name])({"images": IMAGES, "labels": LABELS}, training=True)
        np.testing.assert_allclose(support.to_numpy(out["labels"]).sum(axis=1), 1.0, rtol=1e-6)
        # The images of a dict input get the transformation of a plain images input (the same draws).
        support.assert_close(out["images"], augmented(name))


def test_argument_errors():
    with pytest.raises(ValueError, match="Received: factor=2"):
        kerasx.layers.RandomGrayscale(factor=2)
    with pytest.raises(ValueError, match="kernel_size"):
        kerasx.layers.RandomGaussianBlur(kernel_size=4)
    with pytest.raises(ValueError, match="addition_factor"):
        kerasx.layers.Solarization(addition_factor=1.5)
    with pytest.raises(ValueError, match="value_range"):
        kerasx.layers.RandomBrightness(0.2, value_range=(0, 1, 2))
    with pytest.raises(ValueError, match="tile_grid_size"):
        kerasx.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(0, 2))


FILE_LAYERS = ("RandomContrast", "Solarization", "RandomErasing", "AutoContrast", "RandomColorJitter", "RandAugment")


def _model(library):
    inputs = library.Input(shape=IMAGES.shape[1:])
    outputs = inputs
    for name in FILE_LAYERS:
        outputs = getattr(library.layers, name)(**CASES[name])(outputs)
    return library.Model(inputs, outputs)


def test_files_both_ways(tmp_path):
    keras_model = _model(keras)
    expected = keras_model.predict(IMAGES, verbose=0)
    keras_model.save(tmp_path / "from_keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "from_keras.keras")
    support.assert_close(loaded.predict(IMAGES, verbose=0), expected, rtol=1e-5, atol=1e-3)
    for ours, theirs in zip(loaded.layers[1:], keras_model.layers[1:]):
        compare_configs(ours, theirs)

    model = _model(kerasx)
    support.assert_close(model.predict(IMAGES, verbose=0), expected, rtol=1e-5, atol=1e-3)
    model.save(tmp_path / "from_kerasx.keras")
    reloaded = keras.saving.load_model(tmp_path / "from_kerasx.keras")
    np.testing.assert_allclose(reloaded.predict(IMAGES, verbose=0), expected, rtol=1e-5, atol=1e-3)


@support.needs_gradients
def test_fit_save_and_reload(tmp_path):
    kerasx.utils.set_random_seed(0)
    inputs = kerasx.Input(shape=IMAGES.shape[1:])
    x = kerasx.layers.RandomColorJitter(brightness_factor=0.1, contrast_factor=0.2, value_range=(0, 255), seed=1)(inputs)
    x = kerasx.layers.RandomSharpness(0.3, seed=2)(x)
    x = kerasx.layers.Rescaling(1 / 255.0)(x)
    outputs = kerasx.layers.Dense(2)(kerasx.layers.Flatten()(x))
    model = kerasx.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(IMAGES, LABELS, epochs=2, batch_size=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    model.save(tmp_path / "model.keras")
    reloaded = kerasx.saving.load_model(tmp_path / "model.keras")
    support.assert_close(reloaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0))


HIDE_TENSORFLOW = support.HIDE_TENSORFLOW + """
import json
sys.path.insert(0, {tests!r})
import preprocessing_color_cases as cases
print(json.dumps({{name: cases.fingerprint(cases.augmented(name)) for name in {names!r}}}))
assert "tensorflow" not in sys.modules
"""


@pytest.mark.skipif(support.BACKEND not in ("jax", "torch"), reason="the engines that run without TensorFlow")
def test_without_tensorflow(tmp_path):
    names = ["RandomHue", "RandomPosterization", "RandomErasing", "CutMix", "Equalization"]
    code = HIDE_TENSORFLOW.format(tests=str(support.REPO_ROOT / "tests"), names=names)
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr[-3000:]
    fingerprints = json.loads(result.stdout.strip().splitlines()[-1])
    for name in names:
        np.testing.assert_allclose(fingerprints[name], FINGERPRINTS[name], rtol=2e-5, err_msg=name)
