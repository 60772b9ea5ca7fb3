"""Image preprocessing layers (resizing, cropping, geometric augmentation) against Keras 3 on the selected backend.

Deterministic layers: outputs, configs, symbolic shapes and .keras files both ways (`check_layer_against_keras`).
Random layers: Keras draws its own numbers, so the transform of one drawn transformation is compared (kerasx's
draw handed to Keras's `transform_images`), inference is the identity (and the configs and files match Keras's), a
seed gives the same batch on every kerasx engine (fingerprints below, equal on jax, torch, tensorflow and numpy),
and training outputs have Keras's shapes, dtypes and value range.
"""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras, compare_configs

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (3, 7, 9, 2)).astype("float32")
BOXES = {
    "boxes": np.array([[[1, 2, 5, 6]], [[2, 1, 8, 7]], [[0, 0, 3, 3]]], "float32"),
    "labels": np.array([[1], [3], [2]], "int32"),
}


def _keras_tensor(x):
    return keras.ops.convert_to_tensor(support.to_numpy(x))


def _close(ours, theirs, atol=1e-5):
    # Pixel values up to 255: 1e-5 relative to the value range.
    support.assert_close(support.to_numpy(ours), np.asarray(keras.ops.convert_to_numpy(theirs)), rtol=1e-5, atol=atol)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("Rescaling", {"scale": [0.5, 1.0], "offset": -1.0}),
        ("Resizing", {"height": 4, "width": 5}),
        ("Resizing", {"height": 4, "width": 5, "crop_to_aspect_ratio": True, "interpolation": "nearest"}),
        ("Resizing", {"height": 6, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 3.0, "antialias": True}),
        ("CenterCrop", {"height": 4, "width": 5}),
        ("CenterCrop", {"height": 9, "width": 5}),
    ],
)
def test_deterministic_layers_match_keras(name, kwargs, tmp_path):
    files = tmp_path if kwargs.get("height") in (None, 4) else None
    check_layer_against_keras(name, kwargs, IMAGES, tmp_path=files, gradients=name == "Rescaling", atol=3e-5)


@pytest.mark.parametrize("dtype", ["uint8", "int32"])
def test_resizing_keeps_integer_dtypes_as_keras(dtype):
    images = IMAGES.astype(dtype)
    ours = kerasx.layers.Resizing(4, 4, interpolation="bicubic")(images)
    theirs = keras.layers.Resizing(4, 4, interpolation="bicubic")(images)
    assert kerasx.ops.dtype(ours) == dtype
    np.testing.assert_array_equal(support.to_numpy(ours), keras.ops.convert_to_numpy(theirs))


@pytest.mark.parametrize("kwargs", [{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True}])
def test_resizing_bounding_boxes_match_keras(kwargs):
    data = {"images": IMAGES, "bounding_boxes": BOXES}
    ours = kerasx.layers.Resizing(4, 5, bounding_box_format="xyxy", **kwargs)(dict(data))
    theirs = keras.layers.Resizing(4, 5, bounding_box_format="xyxy", **kwargs)(
        {"images": IMAGES, "bounding_boxes": {k: v.copy() for k, v in BOXES.items()}}
    )
    _close(ours["bounding_boxes"]["boxes"], theirs["bounding_boxes"]["boxes"])
    np.testing.assert_array_equal(
        support.to_numpy(ours["bounding_boxes"]["labels"]), keras.ops.convert_to_numpy(theirs["bounding_boxes"]["labels"])
    )


# name -> (constructor arguments, Keras's transformation dict made from kerasx's)
RANDOM_CASES = {
    "RandomFlip": ({"mode": "horizontal_and_vertical"}, lambda t: {"flips": _keras_tensor(t["flips"])}),
    "RandomRotation": (
        {"factor": 0.3, "fill_mode": "constant", "fill_value": 2.0},
        lambda t: {"rotation_matrix": _keras_tensor(t["matrix"])},
    ),
    "RandomZoom": (
        # "wrap" with "nearest" is left out: ops.image.affine_transform differs from Keras's on tensorflow there.
        {"height_factor": 0.3, "width_factor": (-0.2, 0.4), "fill_mode": "constant", "interpolation": "nearest"},
        lambda t: {
            "height_zoom": _keras_tensor(t["height_zoom"])[:, None],
            "width_zoom": _keras_tensor(t["width_zoom"])[:, None],
        },
    ),
    "RandomTranslation": (
        {"height_factor": 0.3, "width_factor": (-0.2, 0.4), "fill_mode": "nearest"},
        lambda t: {"translations": _keras_tensor(t["translations"])},
    ),
    "RandomShear": ({"x_factor": 0.3, "y_factor": 0.2}, lambda t: {"shear_factor": _keras_tensor(t["shear_factor"])}),
}


@pytest.mark.parametrize("name", sorted(RANDOM_CASES))
def test_random_transform_matches_keras_for_the_same_draw(name):
    kwargs, keras_transformation = RANDOM_CASES[name]
    ours = getattr(kerasx.layers, name)(**kwargs, seed=3)
    theirs = getattr(keras.layers, name)(**kwargs)
    transformation = ours.get_random_transformation(kerasx.ops.convert_to_tensor(IMAGES))
    expected = theirs.transform_images(IMAGES, keras_transformation(transformation))
    _close(ours.transform_images(kerasx.ops.convert_to_tensor(IMAGES), transformation), expected, atol=5e-5)


@pytest.mark.parametrize("name", ["RandomFlip", "RandomRotation"])
def test_random_bounding_boxes_match_keras_for_the_same_draw(name):
    kwargs, keras_transformation = RANDOM_CASES[name]
    ours = getattr(kerasx.layers, name)(**kwargs, seed=3, bounding_box_format="xyxy")
    theirs = getattr(keras.layers, name)(**kwargs, bounding_box_format="xyxy")
    transformation = ours.get_random_transformation(kerasx.ops.convert_to_tensor(IMAGES))
    keras_t = {**keras_transformation(transformation), "input_shape": IMAGES.shape, "angle": None}
    if name == "RandomRotation":
        keras_t.update(angle=_keras_tensor(transformation["angle"]), image_height=7, image_width=9, batch_size=3)
    boxes = {k: kerasx.ops.convert_to_tensor(v) for k, v in BOXES.items()}
    expected = theirs.transform_bounding_boxes({k: keras.ops.convert_to_tensor(v) for k, v in BOXES.items()}, keras_t)
    actual = ours.transform_bounding_boxes(boxes, transformation)
    _close(actual["boxes"], expected["boxes"], atol=1e-4)


# Per-image sums of `output * ramp` for seed 7 on a fixed batch: computed once, equal on every kerasx engine.
SEEDED = {
    "RandomFlip": [86.5667, 89.4167, 87.6, 89.6167],
    "RandomRotation": [98.1166, 87.3898, 91.4134, 87.6861],
    "RandomZoom": [86.0222, 89.5345, 86.1734, 86.2631],
    "RandomTranslation": [88.9919, 87.524, 86.159, 94.7813],
    "RandomShear": [84.8938, 87.314, 83.7577, 92.6241],
}
SEEDED_KWARGS = {
    "RandomFlip": {},
    "RandomRotation": {"factor": 0.2},
    "RandomZoom": {"height_factor": 0.3, "width_factor": (-0.2, 0.3)},
    "RandomTranslation": {"height_factor": 0.2, "width_factor": 0.3},
    "RandomShear": {"x_factor": 0.3, "y_factor": 0.2},
}


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_a_seed_gives_the_same_batch_on_every_engine(name):
    x = np.arange(4 * 5 * 6 * 2, dtype="float32").reshape(4, 5, 6, 2) % 7
    ramp = np.arange(5 * 6 * 2, dtype="float32").reshape(5, 6, 2) / 60
    out = support.to_numpy(getattr(kerasx.layers, name)(**SEEDED_KWARGS[name], seed=7)(x))
    np.testing.assert_allclose((out * ramp).sum(axis=(1, 2, 3)), SEEDED[name], rtol=1e-5)


@pytest.mark.parametrize("name", sorted(RANDOM_CASES))
def test_random_layers_are_the_identity_at_inference_and_match_keras(name):
    kwargs = {**RANDOM_CASES[name][0], "seed": 5}
    if name == "RandomShear":
        # Keras 3 cannot read back a config holding a negative shear (its own `(-f, f)`): non-negative ranges here.
        kwargs.update(x_factor=(0.0, 0.3), y_factor=(0.1, 0.2))
    check_layer_against_keras(name, kwargs, IMAGES, gradients=False)
    np.testing.assert_array_equal(support.to_numpy(getattr(kerasx.layers, name)(**kwargs)(IMAGES, training=False)),
                                  IMAGES)


def _image_model(library, layers):
    inputs = library.Input((7, 9, 2))
    outputs = inputs
    for layer in layers:
        outputs = layer(outputs)
    return library.Model(inputs, outputs)


def test_files_both_ways(tmp_path):
    """Keras's .keras file of a model with augmentation layers loads in kerasx and the reverse; `predict` runs the
    layers at inference (identity for the random ones)."""
    def layers(library):
        return [
            library.layers.RandomFlip("horizontal", seed=1),
            library.layers.RandomTranslation(0.1, 0.2, fill_mode="constant", seed=1),
            library.layers.Resizing(4, 6, interpolation="nearest"),
        ]

    expected = keras.layers.Resizing(4, 6, interpolation="nearest")(IMAGES)
    _image_model(keras, layers(keras)).save(tmp_path / "keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "keras.keras")
    _close(loaded.predict(IMAGES, verbose=0), expected)
    for ours, theirs in zip(loaded.layers[1:], layers(keras)):
        compare_configs(ours, theirs)
    _image_model(kerasx, layers(kerasx)).save(tmp_path / "kerasx.keras")
    _close(keras.saving.load_model(tmp_path / "kerasx.keras").predict(IMAGES, verbose=0), expected)


@pytest.mark.parametrize("name", sorted(RANDOM_CASES))
def test_training_outputs_have_keras_shapes_dtypes_and_range(name):
    kwargs = RANDOM_CASES[name][0]
    images = IMAGES.astype("uint8")
    ours = support.to_numpy(getattr(kerasx.layers, name)(**kwargs, seed=1)(images[0]))
    theirs = np.asarray(keras.ops.convert_to_numpy(getattr(keras.layers, name)(**kwargs)(images[0])))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    low = min(float(images.min()), kwargs.get("fill_value", 0.0))
    assert low <= ours.min() and ours.max() <= images.max()
    compare_configs(getattr(kerasx.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs))


def test_dict_inputs_carry_labels_masks_and_boxes():
    layer = kerasx.layers.RandomFlip("horizontal", seed=2, bounding_box_format="xyxy")
    masks = (IMAGES[..., :1] > 128).astype("float32")
    out = layer({"images": IMAGES, "labels": np.eye(3, dtype="float32"), "segmentation_masks": masks,
                 "bounding_boxes": BOXES})
    flipped = support.to_numpy(out["images"])[..., :1] != IMAGES[..., :1]
    np.testing.assert_array_equal(support.to_numpy(out["labels"]), np.eye(3))
    # The masks flipped with their images: a mask pixel matches the thresholded output image.
    np.testing.assert_array_equal(support.to_numpy(out["segmentation_masks"]),
                                  (support.to_numpy(out["images"])[..., :1] > 128).astype("float32"))
    assert flipped.any()
    single = kerasx.layers.Resizing(4, 4, bounding_box_format="xyxy")(
        {"images": IMAGES[0], "bounding_boxes": {"boxes": BOXES["boxes"][0], "labels": BOXES["labels"][0]}}
    )
    assert tuple(single["images"].shape) == (4, 4, 2) and tuple(single["bounding_boxes"]["boxes"].shape) == (1, 4)


def test_argument_errors():
    with pytest.raises(NotImplementedError, match="fill_mode"):
        kerasx.layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="height_factor"):
        kerasx.layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match="mode"):
        kerasx.layers.RandomFlip("diagonal")
    with pytest.raises(ValueError, match="bounding box format"):
        kerasx.layers.RandomFlip()({"images": IMAGES, "bounding_boxes": BOXES})
