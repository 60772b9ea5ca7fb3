"""Normalization, Discretization and CategoryEncoding against Keras 3 on the selected backend: outputs after the
same `adapt`, configs, symbolic shapes and `.keras` files both ways; and a model holding them trains with `fit`."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras, compare_configs

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 3)).astype("float32") * np.array([1.0, 10.0, 0.1], "float32") + 5.0
X3 = RNG.normal(size=(8, 4, 3)).astype("float32")


def _keras_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


# CategoryEncoding ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "init_kwargs, inputs",
    [
        ({"num_tokens": 5, "output_mode": "one_hot"}, np.array([[1], [4], [0]], "int32")),
        ({"num_tokens": 5, "output_mode": "one_hot"}, np.array([[1, 2], [4, 0]], "int64")),
        ({"num_tokens": 6, "output_mode": "multi_hot"}, np.array([[1, 2, 2], [5, 0, 5]], "int32")),
        ({"num_tokens": 6, "output_mode": "count"}, np.array([[1, 2, 2], [5, 0, 5]], "int32")),
    ],
)
def test_category_encoding_matches_keras(init_kwargs, inputs, tmp_path):
    check_layer_against_keras("CategoryEncoding", init_kwargs, inputs, tmp_path=tmp_path)


def test_category_encoding_count_weights_and_rank_one():
    ours = kerasx.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    theirs = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    indices = np.array([[0, 1, 1], [3, 3, 2]])
    weights = np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 4.0]], "float32")
    support.assert_close(ours(indices, count_weights=weights), _keras_numpy(theirs(indices, count_weights=weights)))
    multi = kerasx.layers.CategoryEncoding(num_tokens=4)
    support.assert_close(multi(np.array([3, 0, 3])), _keras_numpy(keras.layers.CategoryEncoding(4)(np.array([3, 0, 3]))))


def test_category_encoding_errors():
    with pytest.raises(ValueError, match="positive integer num_tokens"):
        kerasx.layers.CategoryEncoding(num_tokens=0)
    with pytest.raises(ValueError, match="output_mode"):
        kerasx.layers.CategoryEncoding(num_tokens=3, output_mode="int")
    with pytest.raises(ValueError, match="uses count_weights only"):
        kerasx.layers.CategoryEncoding(num_tokens=3)(np.array([[1]]), count_weights=np.array([[1.0]]))


# Normalization ----------------------------------------------------------------------------------------------------
def test_normalization_given_moments_matches_keras(tmp_path):
    check_layer_against_keras(
        "Normalization", {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 0.25]}, X[:4], tmp_path=tmp_path
    )
    check_layer_against_keras("Normalization", {"axis": None, "mean": 2.0, "variance": 9.0, "invert": True}, X3)


def _adapted(library, kwargs, data):
    layer = library.layers.Normalization(**kwargs)
    layer.adapt(data)
    return layer


@pytest.mark.parametrize(
    "kwargs, data",
    [
        ({}, X),
        ({"axis": (1, 2)}, X3),
        ({"axis": None}, X3),
        ({"axis": 1, "invert": True}, X3),
    ],
)
def test_normalization_adapt_matches_keras(kwargs, data):
    ours, theirs = _adapted(kerasx, kwargs, data), _adapted(keras, kwargs, data)
    support.assert_close(ours(data), _keras_numpy(theirs(data)), rtol=1e-5, atol=1e-5)
    assert [w.path.split("/")[-1] for w in ours.weights] == [w.path.split("/")[-1] for w in theirs.weights]
    for got, expected in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(got, _keras_numpy(expected), rtol=1e-6, atol=1e-6)
    compare_configs(ours, theirs)


def test_normalization_adapt_on_batches_matches_keras():
    # A list of batches (and a generator of (x, y) pairs): moments merged batch by batch, as Keras 3 merges them.
    batches = [X[:20], X[20:50], X[50:]]
    ours, theirs = _adapted(kerasx, {}, batches), _adapted(keras, {}, batches)
    support.assert_close(ours(X), _keras_numpy(theirs(X)), rtol=1e-5, atol=1e-5)
    from_pairs = _adapted(kerasx, {}, ((b, b[:, 0]) for b in batches))
    support.assert_close(from_pairs(X), _keras_numpy(theirs(X)), rtol=1e-5, atol=1e-5)


def test_normalization_errors():
    with pytest.raises(ValueError, match="both mean and variance"):
        kerasx.layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="cannot adapt"):
        kerasx.layers.Normalization(mean=1.0, variance=1.0).adapt(X)
    with pytest.raises(ValueError, match="keeps axis"):
        kerasx.layers.Normalization(axis=4)(X)
    layer = _adapted(kerasx, {}, X)
    with pytest.raises(ValueError, match="but adapt received a batch"):
        layer.adapt(X3)


# Discretization ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "init_kwargs",
    [
        {"bin_boundaries": [-1.0, 0.0, 0.5]},
        {"bin_boundaries": [-1.0, 0.0, 0.5], "output_mode": "one_hot"},
        {"bin_boundaries": [0.0, 1.0], "output_mode": "count"},
    ],
)
def test_discretization_boundaries_match_keras(init_kwargs, tmp_path):
    inputs = np.array([[-1.5], [0.0], [0.2], [3.0]], "float32") if init_kwargs.get("output_mode") == "one_hot" else X3[0]
    check_layer_against_keras("Discretization", init_kwargs, inputs, tmp_path=tmp_path, gradients=False)


@pytest.mark.parametrize("kwargs", [{"num_bins": 5}, {"num_bins": 4, "epsilon": 0.001, "output_mode": "multi_hot"}])
def test_discretization_adapt_matches_keras(kwargs, tmp_path):
    ours, theirs = kerasx.layers.Discretization(**kwargs), keras.layers.Discretization(**kwargs)
    batches = [X[:10], X[10:]]
    ours.adapt(batches)
    theirs.adapt(batches)
    assert ours.bin_boundaries == theirs.bin_boundaries
    ours.adapt(X)
    theirs.adapt(X)
    assert ours.bin_boundaries == theirs.bin_boundaries
    expected = _keras_numpy(theirs(X))
    got = ours(X)
    np.testing.assert_array_equal(support.to_numpy(got), expected)
    support.assert_dtype(got, str(expected.dtype))
    compare_configs(ours, theirs)
    # Adapted boundaries travel in the config: files both ways.
    keras_input = keras.Input(shape=(3,))
    keras.Model(keras_input, theirs(keras_input)).save(tmp_path / "keras.keras")
    np.testing.assert_array_equal(support.to_numpy(kerasx.saving.load_model(tmp_path / "keras.keras")(X)), expected)
    model_input = kerasx.Input(shape=(3,))
    kerasx.Model(model_input, ours(model_input)).save(tmp_path / "kerasx.keras")
    np.testing.assert_array_equal(_keras_numpy(keras.saving.load_model(tmp_path / "kerasx.keras")(X)), expected)


def test_discretization_errors():
    with pytest.raises(ValueError, match="not both"):
        kerasx.layers.Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="needs num_bins"):
        kerasx.layers.Discretization()
    with pytest.raises(ValueError, match="cannot adapt"):
        kerasx.layers.Discretization(bin_boundaries=[0.0]).adapt(X)
    with pytest.raises(ValueError, match="no bin boundaries yet"):
        kerasx.layers.Discretization(num_bins=3)(X)


# Files and training -----------------------------------------------------------------------------------------------
def _numeric_model(library, normalization, discretization):
    inputs = library.Input(shape=(3,))
    normalized = normalization(inputs)
    bins = library.layers.CategoryEncoding(num_tokens=4, output_mode="count")(discretization(inputs))
    features = library.layers.Concatenate()([normalized, bins])
    return library.Model(inputs, library.layers.Dense(1, kernel_initializer="ones")(features))


def test_adapted_layers_in_files_both_ways(tmp_path):
    theirs = _numeric_model(keras, _adapted(keras, {}, X), keras.layers.Discretization(num_bins=4))
    for layer in theirs.layers:
        if isinstance(layer, keras.layers.Discretization):
            layer.adapt(X)
    expected = _keras_numpy(theirs(X))
    theirs.save(tmp_path / "keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "keras.keras")
    support.assert_close(loaded(X), expected, rtol=1e-5, atol=1e-4)
    loaded.save(tmp_path / "kerasx.keras")
    support.assert_close(_keras_numpy(keras.saving.load_model(tmp_path / "kerasx.keras")(X)), expected, atol=1e-4)


@support.needs_gradients
def test_model_with_preprocessing_trains_and_reloads(tmp_path):
    discretization = kerasx.layers.Discretization(num_bins=4)
    discretization.adapt(X)
    model = _numeric_model(kerasx, _adapted(kerasx, {}, X), discretization)
    model.compile(optimizer="sgd", loss="mse")
    targets = (X[:, :1] - 5.0).astype("float32")
    history = model.fit(X, targets, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "trained.keras")
    support.assert_close(kerasx.saving.load_model(tmp_path / "trained.keras").predict(X, verbose=0),
                         support.to_numpy(model.predict(X, verbose=0)), atol=1e-5)


def test_adapt_on_tf_data_matches_keras():
    tf = pytest.importorskip("tensorflow")
    # Batched, unbatched (Keras batches vectors by 128) and (x, y) datasets, on any engine.
    for dataset in (
        tf.data.Dataset.from_tensor_slices(X).batch(16),
        tf.data.Dataset.from_tensor_slices(X),
        tf.data.Dataset.from_tensor_slices((X, X[:, 0])).batch(20),
    ):
        support.assert_close(_adapted(kerasx, {}, dataset)(X), _keras_numpy(_adapted(keras, {}, dataset)(X)))
    ours, theirs = kerasx.layers.Discretization(num_bins=4), keras.layers.Discretization(num_bins=4)
    ours.adapt(tf.data.Dataset.from_tensor_slices(X).batch(16))
    theirs.adapt(tf.data.Dataset.from_tensor_slices(X).batch(16))
    assert ours.bin_boundaries == theirs.bin_boundaries
