"""`Wrapper` (the wrappers' base class) and `ReversibleEmbedding` against Keras 3: class hierarchy, configs both
ways, outputs with the same weights, masks, files, gradients (through the shared oracle), and errors."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras, compare_configs
from kerasx import layers, ops

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(2, 3, 4)).astype("float32")
HIDDEN = RNG.normal(size=(2, 3, 4)).astype("float32")
TOKENS = np.array([[3, 1, 4, 0], [2, 5, 0, 0]], "int32")


# Wrapper ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["TimeDistributed", "Bidirectional"])
def test_wrapper_subclasses_are_those_of_keras(name):
    keras_is_wrapper = issubclass(getattr(keras.layers, name), keras.layers.Wrapper)
    assert issubclass(getattr(layers, name), layers.Wrapper) == keras_is_wrapper


def test_Wrapper_config_round_trips_with_keras():
    ours = layers.Wrapper(layers.Conv1D(2, 3, activation="relu"), name="w")
    theirs = keras.layers.Wrapper(keras.layers.Conv1D(2, 3, activation="relu"), name="w")
    compare_configs(ours, theirs)
    from_keras = layers.deserialize(keras.layers.serialize(theirs))
    assert type(from_keras) is layers.Wrapper and type(from_keras.layer) is layers.Conv1D
    assert from_keras.layer.filters == 2 and from_keras.name == "w"
    # kerasx's in-memory configs name no module, which Keras's deserializer needs: with it, Keras reads them.
    config = ours.get_config()
    config["layer"] = {**config["layer"], "module": "keras.layers"}
    from_kerasx = keras.layers.Wrapper.from_config(config)
    assert type(from_kerasx.layer) is keras.layers.Conv1D and from_kerasx.layer.get_config()["activation"] == "relu"


def test_Wrapper_builds_the_wrapped_layer_as_keras_does():
    ours, theirs = layers.Wrapper(layers.Dense(2)), keras.layers.Wrapper(keras.layers.Dense(2))
    ours.build((None, 5))
    theirs.build((None, 5))
    assert ours.built and ours.layer.built
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights] == [(5, 2), (2,)]


class Scaled(layers.Wrapper):
    """A wrapper of one's own: the wrapped layer's output times a constant."""

    def __init__(self, layer, factor=2.0, **kwargs):
        super().__init__(layer, **kwargs)
        self.factor = factor

    def call(self, inputs):
        return ops.multiply(self.layer(inputs), self.factor)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_a_Wrapper_subclass_calls_trains_and_round_trips():
    layer = Scaled(layers.Dense(3, kernel_initializer="ones", bias_initializer="zeros"), factor=3.0)
    x = support.random_array((2, 4))
    support.assert_close(layer(x), 3.0 * x.sum(axis=1, keepdims=True).repeat(3, axis=1), rtol=1e-5)
    assert len(layer.trainable_weights) == 2
    clone = layers.deserialize(layers.serialize(layer), custom_objects={"Scaled": Scaled})
    assert type(clone) is Scaled and clone.factor == 3.0 and type(clone.layer) is layers.Dense
    clone(x)
    clone.set_weights(layer.get_weights())
    support.assert_close(clone(x), support.to_numpy(layer(x)))


def test_the_base_Wrapper_applies_the_wrapped_layer():
    layer = layers.Wrapper(layers.Dense(2, kernel_initializer="ones"))
    support.assert_close(layer(np.ones((1, 3), "float32")), np.full((1, 2), 3.0, "float32"))
    assert layer(kerasx.Input((3,))).shape == (None, 2)


@pytest.mark.parametrize("wrapper", ["Wrapper", "TimeDistributed"])
def test_wrapping_a_non_layer_is_a_clear_error(wrapper):
    with pytest.raises(ValueError, match=rf"{wrapper} wraps a layer or a model\. Received: layer=3 of type int"):
        getattr(layers, wrapper)(3)


def _keras_weights(layer) -> list:
    return [np.asarray(keras.ops.convert_to_numpy(w)) for w in layer.get_weights()]


def test_TimeDistributed_as_a_Wrapper_matches_keras_and_its_files(tmp_path):
    x = RNG.normal(size=(2, 3, 4, 2)).astype("float32")

    def model_of(library):
        inputs = library.Input((3, 4, 2))
        wrapped = library.layers.TimeDistributed(library.layers.Conv1D(2, 2, padding="same"))
        return library.Model(inputs, wrapped(inputs))

    theirs, ours = model_of(keras), model_of(kerasx)
    ours.set_weights(_keras_weights(theirs))
    expected = np.asarray(keras.ops.convert_to_numpy(theirs(x)))
    support.assert_close(ours(x), expected, rtol=1e-5, atol=1e-6)
    theirs.save(tmp_path / "keras.keras")
    support.assert_close(kerasx.saving.load_model(tmp_path / "keras.keras")(x), expected, rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "kerasx.keras")
    loaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    assert isinstance(loaded.layers[-1], keras.layers.TimeDistributed)
    np.testing.assert_allclose(np.asarray(keras.ops.convert_to_numpy(loaded(x))), expected, rtol=1e-5, atol=1e-6)


# ReversibleEmbedding ---------------------------------------------------------------------------------------------
FORWARD_CASES = [
    {"input_dim": 6, "output_dim": 4},
    {"input_dim": 6, "output_dim": 4, "tie_weights": False},
    {"input_dim": 6, "output_dim": 4, "mask_zero": True, "embeddings_initializer": "random_normal"},
]


@pytest.mark.parametrize("kwargs", FORWARD_CASES, ids=["tied", "untied", "mask_zero"])
def test_ReversibleEmbedding_forward_matches_keras(kwargs, tmp_path):
    check_layer_against_keras("ReversibleEmbedding", kwargs, TOKENS, tmp_path=tmp_path)


REVERSE_CASES = [
    {"input_dim": 6, "output_dim": 4},
    {"input_dim": 6, "output_dim": 4, "tie_weights": False},
    {"input_dim": 6, "output_dim": 4, "logit_soft_cap": 0.5},
    {"input_dim": 6, "output_dim": 4, "tie_weights": False, "logit_soft_cap": 2.0, "reverse_dtype": "float32"},
    {"input_dim": 6, "output_dim": 4, "lora_rank": 2},
]


@pytest.mark.parametrize(
    "kwargs", REVERSE_CASES, ids=["tied", "untied", "soft_cap", "untied-soft_cap-dtype", "tied-lora"]
)
def test_ReversibleEmbedding_reverse_matches_keras(kwargs):
    check_layer_against_keras("ReversibleEmbedding", kwargs, HIDDEN, call_kwargs={"reverse": True})


def test_ReversibleEmbedding_reverse_dtype_casts_the_logits_like_keras():
    kwargs = {"input_dim": 6, "output_dim": 4, "reverse_dtype": "float16", "embeddings_initializer": "ones"}
    ours, theirs = layers.ReversibleEmbedding(**kwargs), keras.layers.ReversibleEmbedding(**kwargs)
    got, expected = ours(HIDDEN, reverse=True), theirs(HIDDEN, reverse=True)
    assert ops.dtype(got) == "float16"
    support.assert_close(got, np.asarray(keras.ops.convert_to_numpy(expected)), rtol=1e-3, atol=1e-3)
    assert ours(kerasx.Input((3, 4)), reverse=True).shape == (None, 3, 6)


def test_ReversibleEmbedding_soft_cap_bounds_the_logits():
    layer = layers.ReversibleEmbedding(3, 2, logit_soft_cap=1.5, embeddings_initializer="ones")
    logits = support.to_numpy(layer(np.full((1, 2), 100.0, "float32"), reverse=True))
    support.assert_close(logits, np.full((1, 3), 1.5 * np.tanh(200.0 / 1.5), "float32"))
    assert np.all(np.abs(logits) <= 1.5)


@support.needs_gradients
def test_ReversibleEmbedding_mask_reaches_the_next_layer_of_a_model_as_in_keras():
    def model_of(library):
        tokens = library.Input((4,), dtype="int32")
        embedded = library.layers.ReversibleEmbedding(6, 3, mask_zero=True)(tokens)
        return library.Model(tokens, library.layers.LSTM(2, return_sequences=True)(embedded))

    theirs, ours = model_of(keras), model_of(kerasx)
    ours.set_weights(_keras_weights(theirs))
    expected = np.asarray(keras.ops.convert_to_numpy(theirs(TOKENS)))
    support.assert_close(ours(TOKENS), expected, rtol=1e-5, atol=1e-6)
    # The padded steps repeat the last unmasked output: the LSTM saw the mask.
    np.testing.assert_array_equal(expected[1, 2], expected[1, 1])
    assert ours.layers[1].compute_mask(TOKENS) is None


def test_ReversibleEmbedding_weights_argument_and_tied_reverse():
    table = RNG.normal(size=(5, 3)).astype("float32")
    layer = layers.ReversibleEmbedding(5, 3, weights=[table])
    support.assert_close(layer(np.array([[4, 0]])), table[[4, 0]][None])
    support.assert_close(layer(HIDDEN[..., :3], reverse=True), HIDDEN[..., :3] @ table.T, rtol=1e-5)
    untied = layers.ReversibleEmbedding(5, 3, tie_weights=False, weights=[table, table.T * 2])
    support.assert_close(untied(HIDDEN[..., :3], reverse=True), HIDDEN[..., :3] @ table.T * 2, rtol=1e-5)
    assert [w.path.split("/")[-1] for w in untied.weights] == ["embeddings", "reverse_embeddings"]


@pytest.mark.parametrize("tie_weights", [True, False], ids=["tied", "untied"])
def test_ReversibleEmbedding_int8_matches_keras_and_its_files(tie_weights, tmp_path):
    def model_of(library):
        hidden = library.Input((3, 4))
        layer = library.layers.ReversibleEmbedding(6, 4, tie_weights=tie_weights, logit_soft_cap=3.0)
        model = library.Model(hidden, layer(hidden, reverse=True))
        return model, layer

    (theirs, keras_layer), (ours, layer) = model_of(keras), model_of(kerasx)
    ours.set_weights(_keras_weights(theirs))
    keras_layer.quantize("int8")
    layer.quantize("int8")
    assert [w.path.split("/")[-1] for w in layer.weights] == [w.path.split("/")[-1] for w in keras_layer.weights]
    for got, expected in zip(layer.get_weights(), _keras_weights(keras_layer)):
        np.testing.assert_array_equal(support.to_numpy(got), expected)
    expected = np.asarray(keras.ops.convert_to_numpy(theirs(HIDDEN)))
    support.assert_close(ours(HIDDEN), expected, rtol=1e-5, atol=1e-6)
    support.assert_close(layer(TOKENS), np.asarray(keras.ops.convert_to_numpy(keras_layer(TOKENS))))
    theirs.save(tmp_path / "keras.keras")
    support.assert_close(kerasx.saving.load_model(tmp_path / "keras.keras")(HIDDEN), expected, rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "kerasx.keras")
    loaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    np.testing.assert_allclose(np.asarray(keras.ops.convert_to_numpy(loaded(HIDDEN))), expected, rtol=1e-5, atol=1e-6)


def test_ReversibleEmbedding_bad_soft_cap():
    with pytest.raises(ValueError, match=r"ReversibleEmbedding: `logit_soft_cap` .* Received: logit_soft_cap=0"):
        layers.ReversibleEmbedding(5, 3, logit_soft_cap=0)
