"""Preprocessing layers inside `tf.data.Dataset.map` on every engine (TensorFlow needed for tf.data itself): the
colour, intensity and mixing layers give in the graph of a `map` the batch a seed gives eagerly, whose fingerprints
`test_preprocessing_color.py` checks against every engine; the layers that draw per image (AugMix, CutMix, MixUp,
RandAugment, RandomPerspective) also take batches of unknown size (a dataset batched without `drop_remainder`)."""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import pytest

import kerasx
import support
from preprocessing_color_cases import CASES, FINGERPRINTS, IMAGES, fingerprint

pytestmark = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="tf.data is TensorFlow's")

# Colour, intensity and mixing layers that Keras 3 documents as safe inside tf.data (CLAHE is not).
IN_TF_DATA = sorted(name for name in CASES if name != "ContrastLimitedAdaptiveHistogramEqualization")


# With `drop_remainder=True` the batch size is known in the graph and TensorFlow runs these layers' own ops; the
# test of unknown batch sizes below covers the host path they take otherwise.
KNOWN_BATCH = {"AugMix", "CutMix", "MixUp", "RandAugment"}


@pytest.mark.parametrize("name", IN_TF_DATA)
def test_colour_layer_in_dataset_map_gives_the_eager_batch(name):
    import tensorflow as tf

    layer = getattr(kerasx.layers, name)(**CASES[name])
    batches = tf.data.Dataset.from_tensor_slices(IMAGES).batch(len(IMAGES), drop_remainder=name in KNOWN_BATCH)
    dataset = batches.map(lambda x: layer(x, training=True))
    (batch,) = [b.numpy() for b in dataset]
    np.testing.assert_allclose(fingerprint(batch), FINGERPRINTS[name], rtol=2e-5)


SAMPLES = np.random.default_rng(1).uniform(0, 255, (5, 8, 8, 3)).astype("float32")
SIZES = [2, 2, 1]  # `batch(2)` of 5 samples: the last batch is smaller
PER_IMAGE_CASES = {
    **{name: CASES[name] for name in ("AugMix", "MixUp", "RandAugment")},
    # A seed whose draws pair each of the two full batches' images with the other one (a batch of 2 is left as it is
    # when its shuffle keeps the order).
    "CutMix": {"seed": 21},
    "RandomPerspective": {"scale": 0.5, "seed": 18},
}
# `fingerprint` of the 5 augmented SAMPLES (the 3 batches, one layer), recorded on the numpy backend.
PER_IMAGE_FINGERPRINTS = {
    "AugMix": (112331.29376983643, 57289.19962260671),
    "CutMix": (125938.57603180408, 63677.7762993604),
    "MixUp": (124597.76550841331, 62902.07215434369),
    "RandAugment": (94228.63751220703, 43976.55691978606),
    "RandomPerspective": (119630.53516715765, 60617.04480250275),
}


def _eager_batches(name: str, data) -> list:
    """The layer's outputs on `data` (an array or a dict of arrays) cut into batches of SIZES, called eagerly."""
    layer = getattr(kerasx.layers, name)(**PER_IMAGE_CASES[name])
    ends = np.cumsum(SIZES)
    pieces = kerasx.tree.map_structure(lambda v: np.split(v, ends[:-1]), data)
    if isinstance(data, dict):
        pieces = [{key: pieces[key][i] for key in data} for i in range(len(SIZES))]
    return [kerasx.tree.map_structure(support.to_numpy, layer(piece)) for piece in pieces]


@pytest.mark.parametrize("name", sorted(PER_IMAGE_CASES))
def test_per_image_layers_take_batches_of_unknown_size(name):
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices(SAMPLES).batch(2)
    spec: Any = dataset.element_spec  # a tf.TensorSpec (TensorFlow's annotations allow any structure)
    assert spec.shape[0] is None
    layer = getattr(kerasx.layers, name)(**PER_IMAGE_CASES[name])
    mapped = dataset.map(lambda x: layer(x, training=True))
    spec = mapped.element_spec
    assert tuple(spec.shape) == (None, 8, 8, 3) and spec.dtype == tf.float32
    batches = [b.numpy() for b in mapped]
    # Keras 3 gives the same shapes, float32 and values in the input's range [0, 255] (its draws are its own).
    assert [b.shape for b in batches] == [(size, 8, 8, 3) for size in SIZES]
    assert all(b.dtype == np.float32 and b.min() >= 0 and b.max() <= 255 for b in batches)
    for got, expected in zip(batches, _eager_batches(name, SAMPLES)):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-4)
    outputs = np.concatenate(batches)
    assert not np.allclose(outputs, SAMPLES)
    np.testing.assert_allclose(fingerprint(outputs), PER_IMAGE_FINGERPRINTS[name], rtol=2e-5)


@pytest.mark.parametrize("name", ["CutMix", "MixUp"])
def test_mixing_layers_mix_labels_in_batches_of_unknown_size(name):
    import tensorflow as tf

    labels = np.eye(5, dtype="float32")
    features: Any = {"images": SAMPLES, "labels": labels}
    dataset = tf.data.Dataset.from_tensor_slices(features).batch(2)
    layer = getattr(kerasx.layers, name)(**PER_IMAGE_CASES[name])
    batches = [{key: value.numpy() for key, value in b.items()} for b in dataset.map(lambda d: layer(d))]
    for got, expected in zip(batches, _eager_batches(name, {"images": SAMPLES, "labels": labels})):
        np.testing.assert_allclose(got["images"], expected["images"], rtol=1e-6, atol=1e-4)
        np.testing.assert_allclose(got["labels"], expected["labels"], rtol=1e-6, atol=1e-6)
    # Each row of mixed labels still sums to 1, and some rows mix two samples.
    mixed = np.concatenate([b["labels"] for b in batches])
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0, rtol=1e-6)
    assert (np.count_nonzero(mixed, axis=1) == 2).any()
