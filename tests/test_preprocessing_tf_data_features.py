"""The numeric, categorical, text and audio preprocessing layers inside `tf.data.Dataset.map` on every engine, as
Keras 3 allows: the batch a map gives equals the layer's eager output and Keras 3's output of the same map (on jax,
torch and numpy the layer runs on the host when the graph runs; on TensorFlow, in the graph)."""

from __future__ import annotations

import importlib.util

import keras
import numpy as np
import pytest

import kerasx
import support

pytestmark = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="tf.data is TensorFlow's")

_RNG = np.random.default_rng(3)
FLOATS = _RNG.normal(size=(6, 3)).astype("float32")
INTEGERS = np.array([[0, 1], [2, 3], [1, 1], [7, 2], [3, 0], [2, 2]], dtype="int64")
WORDS = np.array([["cat"], ["dog"], ["bird"], ["cat"], ["fish"], ["dog"]])
SENTENCES = np.array(["the cat sat", "a dog ran far", "the bird", "cat and dog", "fish", "the end of it"])
AUDIO = _RNG.normal(size=(6, 400)).astype("float32")
VOCABULARY = ["cat", "dog", "the", "a"]

# name -> (constructor arguments, the dataset's elements)
CASES = {
    "Normalization": ({"mean": [0.5, -1.0, 2.0], "variance": [4.0, 1.0, 0.25]}, FLOATS),
    "Rescaling": ({"scale": 0.5, "offset": 1.0}, FLOATS),
    "Discretization": ({"bin_boundaries": [-0.5, 0.0, 0.5]}, FLOATS),
    "CategoryEncoding": ({"num_tokens": 8, "output_mode": "multi_hot"}, INTEGERS),
    "Hashing": ({"num_bins": 5}, WORDS),
    "StringLookup": ({"vocabulary": VOCABULARY}, WORDS),
    "IntegerLookup": ({"vocabulary": [1, 2, 3], "output_mode": "one_hot"}, INTEGERS[:, :1]),
    "TextVectorization": ({"vocabulary": VOCABULARY, "output_sequence_length": 4}, SENTENCES),
    "STFTSpectrogram": ({"frame_length": 64, "frame_step": 32, "fft_length": 64}, AUDIO[..., None]),
    "MelSpectrogram": ({"fft_length": 64, "sequence_stride": 32, "num_mel_bins": 8, "sampling_rate": 8000}, AUDIO),
}

# Where Keras 3's own layer fails in a map (kerasx's is still compared with its eager output): its STFTSpectrogram
# calls the engine on graph tensors, and its numpy backend takes no string tensors.
KERAS_CANNOT_MAP = {("STFTSpectrogram", backend) for backend in ("jax", "torch", "numpy")} | {
    (name, "numpy") for name in ("Hashing", "StringLookup", "TextVectorization")
}


def _mapped(layer, elements):
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices(elements).batch(4).map(layer)
    return np.concatenate([batch.numpy() for batch in dataset])


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_in_dataset_map_gives_its_eager_output_and_keras3s(name):
    kwargs, elements = CASES[name]
    ours = getattr(kerasx.layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    # Built by an eager call first: Keras 3's Normalization with a given mean cannot build inside a graph.
    eager = np.asarray(kerasx.ops.convert_to_numpy(ours(elements)))
    mapped = _mapped(ours, elements)
    np.testing.assert_allclose(mapped, eager, rtol=1e-5, atol=1e-5)
    if (name, support.BACKEND) not in KERAS_CANNOT_MAP:
        theirs(elements)
        np.testing.assert_allclose(mapped, _mapped(theirs, elements), rtol=1e-4, atol=1e-4)


def test_inverted_lookup_gives_strings_in_dataset_map():
    layer = kerasx.layers.StringLookup(vocabulary=VOCABULARY, invert=True)
    mapped = _mapped(layer, INTEGERS)
    assert mapped.tolist() == [[b"[UNK]", b"cat"], [b"dog", b"the"], [b"cat", b"cat"], [b"[UNK]", b"dog"],
                               [b"the", b"[UNK]"], [b"dog", b"dog"]]


def test_pipeline_and_crossing_in_dataset_map():
    import tensorflow as tf

    pipeline = kerasx.layers.Pipeline([kerasx.layers.Rescaling(2.0), kerasx.layers.Normalization(mean=1.0, variance=4.0)])
    np.testing.assert_allclose(_mapped(pipeline, FLOATS), (FLOATS * 2.0 - 1.0) / 2.0, rtol=1e-6)
    crossing = kerasx.layers.HashedCrossing(num_bins=7)
    keras_crossing = keras.layers.HashedCrossing(num_bins=7)
    pairs = (WORDS[:, 0], INTEGERS[:, 0])
    results = []
    for layer in (crossing, keras_crossing):
        dataset = tf.data.Dataset.from_tensor_slices(pairs).batch(4).map(lambda a, b, layer=layer: layer((a, b)))
        results.append(np.concatenate([batch.numpy() for batch in dataset]))
    np.testing.assert_array_equal(results[0], results[1])
    np.testing.assert_array_equal(results[0], np.asarray(kerasx.ops.convert_to_numpy(crossing(pairs))))
