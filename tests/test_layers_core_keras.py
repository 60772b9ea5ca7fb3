"""`Identity` and `Masking` against Keras 3: through the shared oracle (`keras_layer_oracle`), then the masks they
hand to the layers downstream (a masked LSTM after `Masking` gives Keras's outputs), nested inputs, and
serialization of the Identity layer, whose bare name the Identity initializer also has."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers
from kerasx.ops._masking import get_mask
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")
# Keras's reader of a tensor's mask (NumPy arrays carry theirs in a side table, as kerasx's do).
keras_mask = pytest.importorskip("keras.src.backend.common.masking").get_keras_mask

RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(2, 5, 3)).astype("float32")
X3[0, 1] = 0.0
X3[0, 4] = 0.0
X3[1, 0] = 0.0
X3[1, 2, 0] = 0.0  # one zero feature alone does not mask its step
X_ONES = X3.copy()
X_ONES[1, 3] = 1.0
X2 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]], "float32")
MASK = np.array([[True, True, False, True, False], [False, True, True, True, True]])

CASES = [
    ("Masking", {}, X3),
    ("Masking", {"mask_value": 1.0}, X_ONES),
    ("Masking", {}, X2),
    ("Identity", {}, X3),
    ("Identity", {}, [X3, X2]),
]


@pytest.mark.parametrize(("name", "kwargs", "inputs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_keras(name, kwargs, inputs):
    # Masking's output jumps where a step's last nonzero feature reaches zero, so the oracle's finite difference
    # does not apply to it; its gradient is checked against Keras's below.
    check_layer_against_keras(name, kwargs, inputs, gradients=name != "Masking")


def test_masking_gradient_matches_keras():
    if not support.TRAINS:
        pytest.skip("the numpy backend has no gradients")
    projection = RNG.normal(size=X3.shape).astype("float32")
    kept = np.any(X3 != 0.0, axis=-1, keepdims=True)

    def gradient(library):
        layer = library.layers.Masking()
        layer(X3)

        def value(params):
            outputs, _ = layer.stateless_call([], [], params[0])
            return library.ops.sum(library.ops.multiply(outputs, projection))

        _, grads = kerasx.backend.value_and_grad(value)([library.ops.convert_to_tensor(X3)])
        return support.to_numpy(grads[0])

    ours = gradient(kerasx)
    np.testing.assert_allclose(ours, gradient(keras), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(ours, projection * kept, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["Masking", "Identity"])
def test_mask_given_with_the_input_matches_keras(name):
    """Identity hands an incoming mask on; Masking replaces it with its own (Keras's `compute_mask`)."""
    ours, theirs = getattr(layers, name)(), getattr(keras.layers, name)()
    expected = keras.ops.convert_to_numpy(theirs.compute_mask(X3, keras.ops.convert_to_tensor(MASK)))
    got = support.to_numpy(ours.compute_mask(kerasx.ops.convert_to_tensor(X3), kerasx.ops.convert_to_tensor(MASK)))
    np.testing.assert_array_equal(got, expected)
    # Eagerly, after an Embedding(mask_zero=True): the output carries the mask Keras's does.
    tokens = np.array([[3, 1, 0, 2, 0], [0, 2, 2, 0, 1]], "int32")
    embedding = keras.layers.Embedding(4, 3, mask_zero=True, embeddings_initializer="ones")
    expected = keras.ops.convert_to_numpy(keras_mask(getattr(keras.layers, name)()(embedding(tokens))))
    ours_embedding = layers.Embedding(4, 3, mask_zero=True, embeddings_initializer="ones")
    got = support.to_numpy(get_mask(getattr(layers, name)()(ours_embedding(tokens))))
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", ["Masking", "Identity"])
def test_files_match_keras(name, tmp_path):
    check_layer_against_keras(name, {}, X3, tmp_path=tmp_path, gradients=name != "Masking")


def _masked_lstm(library, return_sequences):
    inputs = library.Input(shape=(5, 3))
    hidden = library.layers.Masking(mask_value=0.0)(inputs)
    outputs = library.layers.LSTM(4, return_sequences=return_sequences)(hidden)
    return library.Model(inputs, outputs)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_masked_lstm_after_masking_matches_keras(return_sequences):
    theirs = _masked_lstm(keras, return_sequences)
    ours = _masked_lstm(kerasx, return_sequences)
    ours.set_weights(theirs.get_weights())
    support.assert_close(ours(X3), keras.ops.convert_to_numpy(theirs(X3)), rtol=1e-5, atol=1e-5)
    # Sample 1's first step is masked: the LSTM's output is that of the four kept steps alone.
    if not return_sequences:
        kept_only = ours.layers[-1](X3[1:2, 1:])
        support.assert_close(ours(X3)[1:2], support.to_numpy(kept_only), rtol=1e-5, atol=1e-5)


def test_masking_output_carries_keras_mask():
    ours = layers.Masking()(X3)
    theirs = keras.layers.Masking()(X3)
    np.testing.assert_array_equal(support.to_numpy(get_mask(ours)), keras.ops.convert_to_numpy(keras_mask(theirs)))
    symbolic = layers.Masking()(kerasx.Input(shape=(5, 3)))
    assert tuple(symbolic._keras_mask.shape) == (None, 5)


def test_identity_passes_a_dict_through():
    x = {"a": X3, "b": X2}
    out = layers.Identity()(x)
    assert sorted(out) == ["a", "b"]
    np.testing.assert_array_equal(support.to_numpy(out["b"]), X2)
    symbolic = layers.Identity()({"a": kerasx.Input(shape=(5, 3)), "b": kerasx.Input(shape=(2,))})
    assert symbolic["a"].shape == (None, 5, 3) and symbolic["b"].shape == (None, 2)


def test_identity_layer_and_initializer_keep_their_names_apart():
    layer_config = kerasx.layers.serialize(layers.Identity(name="skip"))
    assert layer_config["class_name"] == "Identity"
    assert type(kerasx.layers.deserialize(layer_config)) is layers.Identity
    initializer = kerasx.initializers.get({"class_name": "Identity", "config": {"gain": 2.0}})
    assert type(initializer) is kerasx.initializers.Identity and initializer.gain == 2.0
    # Inside a model's config, and in a Sequential's.
    model = kerasx.Sequential([kerasx.Input(shape=(3,)), layers.Identity(), layers.Dense(2, kernel_initializer="identity")])
    clone = kerasx.Sequential.from_config(model.get_config())
    assert [type(layer) for layer in clone.layers] == [layers.Identity, layers.Dense]
    assert type(clone.layers[1].kernel_initializer) is kerasx.initializers.Identity


def test_identity_in_sequential_file_loads_in_keras(tmp_path):
    model = kerasx.Sequential([kerasx.Input(shape=(3,)), layers.Identity(), layers.Dense(2)])
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert type(loaded.layers[0]) is keras.layers.Identity
    x = RNG.normal(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x)), support.to_numpy(model(x)), rtol=1e-5, atol=1e-5)
