"""Preprocessing layers inside `tf.data.Dataset.map` on TensorFlow (the colour, intensity and mixing layers):
the batch a seed gives in the graph of a `map` equals the eager one, whose fingerprints `test_preprocessing_color.py`
checks against every engine."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from preprocessing_color_cases import CASES, FINGERPRINTS, IMAGES, fingerprint

pytestmark = pytest.mark.skipif(support.BACKEND != "tensorflow", reason="tf.data runs TensorFlow graphs")

# Colour, intensity and mixing layers that Keras 3 documents as safe inside tf.data (CLAHE is not).
IN_TF_DATA = sorted(name for name in CASES if name != "ContrastLimitedAdaptiveHistogramEqualization")


# These build pixel grids or mixing partners from the batch size, so they need batches of a known size in a graph
# (`batch(..., drop_remainder=True)`); with `batch(n)` alone the size is None and they fail.
NEED_KNOWN_BATCH = {"AugMix", "CutMix", "MixUp", "RandAugment"}


@pytest.mark.parametrize("name", IN_TF_DATA)
def test_colour_layer_in_dataset_map_gives_the_eager_batch(name):
    import tensorflow as tf

    layer = getattr(kerasx.layers, name)(**CASES[name])
    batches = tf.data.Dataset.from_tensor_slices(IMAGES).batch(len(IMAGES), drop_remainder=name in NEED_KNOWN_BATCH)
    dataset = batches.map(lambda x: layer(x, training=True))
    (batch,) = [b.numpy() for b in dataset]
    np.testing.assert_allclose(fingerprint(batch), FINGERPRINTS[name], rtol=2e-5)

