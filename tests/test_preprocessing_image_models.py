"""Image preprocessing layers in use: RandomCrop, MaxNumBoundingBoxes and Pipeline against Keras 3, a classifier with
augmentation inside the model (fit, save, load, predict), `tf.data.Dataset.map` on tensorflow, and jax/torch without
TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import compare_configs

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(1)
IMAGES = RNG.uniform(0, 255, (2, 8, 10, 3)).astype("float32")


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_random_crop_matches_keras_for_the_same_window():
    ours = kerasx.layers.RandomCrop(4, 5, seed=2)
    top, left = ours.get_random_transformation(kerasx.ops.convert_to_tensor(IMAGES))
    expected = keras.layers.RandomCrop(4, 5).transform_images(IMAGES, (int(top), int(left)))
    np.testing.assert_array_equal(support.to_numpy(ours(IMAGES, training=False)), IMAGES)
    actual = ours.transform_images(kerasx.ops.convert_to_tensor(IMAGES), (top, left))
    np.testing.assert_array_equal(support.to_numpy(actual), _numpy(expected))
    # Images smaller than the window: the centred aspect-ratio crop, resized (no randomness).
    small = IMAGES[:, :3]
    support.assert_close(support.to_numpy(ours(small)), _numpy(keras.layers.RandomCrop(4, 5)(small)), atol=1e-4)
    assert ours(kerasx.Input((8, 10, 3))).shape == (None, 4, 5, 3)
    compare_configs(ours, keras.layers.RandomCrop(4, 5, seed=2))


def test_max_num_bounding_boxes_matches_keras():
    boxes = {"boxes": RNG.uniform(0, 8, (2, 5, 4)).astype("float32"), "labels": np.arange(10).reshape(2, 5)}
    for max_number in (3, 7):
        ours = kerasx.layers.MaxNumBoundingBoxes(max_number, bounding_box_format="xyxy")
        theirs = keras.layers.MaxNumBoundingBoxes(max_number, bounding_box_format="xyxy")
        actual = ours({"images": IMAGES, "bounding_boxes": dict(boxes)})["bounding_boxes"]
        expected = theirs({"images": IMAGES, "bounding_boxes": dict(boxes)})["bounding_boxes"]
        for key in ("boxes", "labels"):
            np.testing.assert_array_equal(support.to_numpy(actual[key]), _numpy(expected[key]))
        compare_configs(ours, theirs)


def test_pipeline_matches_keras_and_configs_go_both_ways():
    def layers(library):
        return [library.layers.Rescaling(1 / 255), library.layers.CenterCrop(6, 6), library.layers.Resizing(3, 4)]

    ours, theirs = kerasx.layers.Pipeline(layers(kerasx)), keras.layers.Pipeline(layers(keras))
    support.assert_close(support.to_numpy(ours(IMAGES)), _numpy(theirs(IMAGES)))
    from_keras = kerasx.layers.Pipeline.from_config(theirs.get_config())
    support.assert_close(support.to_numpy(from_keras(IMAGES)), _numpy(theirs(IMAGES)))
    from_ours = keras.layers.Pipeline.from_config(ours.get_config())
    support.assert_close(_numpy(from_ours(IMAGES)), _numpy(theirs(IMAGES)))


@support.needs_gradients
def test_classifier_with_augmentation_trains_saves_and_reloads(tmp_path):
    kerasx.utils.set_random_seed(0)
    rotation = kerasx.layers.RandomRotation(0.1, seed=2)
    model = kerasx.Sequential(
        [
            kerasx.Input((8, 8, 3)),
            kerasx.layers.RandomFlip("horizontal", seed=1),
            rotation,
            kerasx.layers.Conv2D(4, 3, activation="relu"),
            kerasx.layers.GlobalAveragePooling2D(),
            kerasx.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x = RNG.uniform(0, 1, (16, 8, 8, 3)).astype("float32")
    y = RNG.integers(0, 3, 16)
    state_before = support.to_numpy(rotation.generator.state).copy()
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # Each training step drew new rotations: the generator's state moved on.
    assert not np.array_equal(support.to_numpy(rotation.generator.state), state_before)
    predicted = model.predict(x, verbose=0)
    model.save(tmp_path / "augmented.keras")
    loaded = kerasx.saving.load_model(tmp_path / "augmented.keras")
    support.assert_close(loaded.predict(x, verbose=0), predicted)
    # Keras 3 reads the same file and predicts the same (its augmentation is off at inference too).
    support.assert_close(keras.saving.load_model(tmp_path / "augmented.keras").predict(x, verbose=0), predicted,
                         atol=1e-5)


@pytest.mark.skipif(support.BACKEND != "tensorflow", reason="tf.data pipelines run TensorFlow graphs")
def test_inside_tf_data_map():
    import tensorflow as tf

    pipeline = kerasx.layers.Pipeline([kerasx.layers.RandomFlip(seed=3), kerasx.layers.Resizing(4, 5)])
    resizing = kerasx.layers.Resizing(4, 5)
    dataset = tf.data.Dataset.from_tensor_slices(np.concatenate([IMAGES, IMAGES])).batch(2)
    augmented = np.concatenate([b.numpy() for b in dataset.map(lambda batch: pipeline(batch, training=True))])
    resized = np.concatenate([b.numpy() for b in dataset.map(resizing)])
    expected = support.to_numpy(resizing(IMAGES))
    support.assert_close(resized, np.concatenate([expected, expected]))
    assert augmented.shape == (4, 4, 5, 3)
    # Each image comes out resized as it is or flipped both ways.
    for image, reference in zip(augmented, np.concatenate([expected, expected])):
        assert np.allclose(image, reference, atol=1e-3) or np.allclose(image, reference[::-1, ::-1], atol=1e-3)


NO_TENSORFLOW = support.HIDE_TENSORFLOW + """
import numpy as np
import kerasx

x = np.arange(2 * 6 * 6, dtype="float32").reshape(2, 6, 6, 1)
layers = kerasx.layers
pipeline = layers.Pipeline([layers.RandomFlip(seed=7), layers.RandomRotation(0.2, seed=7), layers.Resizing(3, 3)])
print(repr(float(np.asarray(kerasx.ops.convert_to_numpy(pipeline(x))).sum())))
assert not any(name.startswith("tensorflow") for name in sys.modules)
"""


@pytest.mark.skipif(support.BACKEND not in ("jax", "torch"), reason="the TensorFlow-free engines")
def test_works_without_tensorflow(tmp_path):
    result = support.run_python(NO_TENSORFLOW, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr[-2000:]
    layers = kerasx.layers
    pipeline = layers.Pipeline([layers.RandomFlip(seed=7), layers.RandomRotation(0.2, seed=7), layers.Resizing(3, 3)])
    x = np.arange(2 * 6 * 6, dtype="float32").reshape(2, 6, 6, 1)
    np.testing.assert_allclose(float(result.stdout.strip().splitlines()[-1]), support.to_numpy(pipeline(x)).sum(),
                               rtol=1e-6)


def test_random_perspective_matches_keras_for_the_same_draw():
    images = kerasx.ops.convert_to_tensor(IMAGES)
    ours = kerasx.layers.RandomPerspective(factor=(0.5, 1.0), scale=0.6, seed=3)
    theirs = keras.layers.RandomPerspective(factor=(0.5, 1.0), scale=0.6)
    transformation = ours.get_random_transformation(images)
    expected = theirs.transform_images(
        IMAGES, {k: keras.ops.convert_to_tensor(support.to_numpy(v)) for k, v in transformation.items()}
    )
    support.assert_close(support.to_numpy(ours.transform_images(images, transformation)), _numpy(expected),
                         atol=1e-4)
    compare_configs(ours, keras.layers.RandomPerspective(factor=(0.5, 1.0), scale=0.6, seed=3))


def test_random_elastic_transform_shape_range_inference_and_config():
    ours = kerasx.layers.RandomElasticTransform(scale=0.5, seed=2)
    theirs = keras.layers.RandomElasticTransform(scale=0.5, seed=2)
    out, expected = support.to_numpy(ours(IMAGES)), _numpy(theirs(IMAGES))
    assert out.shape == expected.shape and out.dtype == expected.dtype
    assert 0 <= out.min() and out.max() <= 255 and not np.allclose(out, IMAGES)
    np.testing.assert_array_equal(support.to_numpy(ours(IMAGES, training=False)), IMAGES)
    compare_configs(ours, theirs)


# Per-image sums of `output * ramp` for seed 7 on a fixed batch: computed once, equal on every kerasx engine.
@pytest.mark.parametrize(
    "name, kwargs, expected",
    [
        ("RandomPerspective", {"scale": 0.5}, [78.5143, 71.7256, 87.6, 87.4167]),
        ("RandomElasticTransform", {}, [87.0064, 90.5904, 87.6, 87.4167]),
    ],
)
def test_warps_give_the_same_batch_on_every_engine(name, kwargs, expected):
    x = np.arange(4 * 5 * 6 * 2, dtype="float32").reshape(4, 5, 6, 2) % 7
    ramp = np.arange(5 * 6 * 2, dtype="float32").reshape(5, 6, 2) / 60
    out = support.to_numpy(getattr(kerasx.layers, name)(**kwargs, seed=7)(x))
    np.testing.assert_allclose((out * ramp).sum(axis=(1, 2, 3)), expected, rtol=1e-5)
