"""`kerasx.utils.FeatureSpace` against Keras 3's on the same data: concat and dict outputs (normalized floats,
one-hot and multi-hot encodings, hashed and crossed features), adapt on tf.data datasets and dicts, config round trip,
`.keras` files both ways, a tf.data pipeline and a model's `fit`, on the selected backend."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from kerasx.utils import FeatureSpace

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

RNG = np.random.default_rng(7)
NUM_SAMPLES = 80
DATA = {
    "plain": RNG.normal(size=NUM_SAMPLES).astype("float32"),
    "price": RNG.gamma(2.0, 10.0, size=NUM_SAMPLES).astype("float32"),
    "scaled": RNG.uniform(0, 255, size=NUM_SAMPLES).astype("float32"),
    "age": RNG.uniform(18, 90, size=NUM_SAMPLES).astype("float32"),
    "color": RNG.choice(["red", "green", "blue", "black"], NUM_SAMPLES),
    "rooms": RNG.integers(1, 7, NUM_SAMPLES),
    "city": RNG.choice(["paris", "lima", "oslo", "kyoto", "quito"], NUM_SAMPLES),
    "zip": RNG.integers(10000, 99999, NUM_SAMPLES),
}
# Values never seen by adapt: out-of-vocabulary indices, hashed and crossed all the same.
QUERY = {
    "plain": np.array([0.5, -1.0, 2.0], "float32"),
    "price": np.array([1.0, 20.0, 300.0], "float32"),
    "scaled": np.array([0.0, 128.0, 255.0], "float32"),
    "age": np.array([17.0, 45.0, 95.0], "float32"),
    "color": np.array(["red", "white", "blue"]),
    "rooms": np.array([1, 9, 3]),
    "city": np.array(["lima", "rome", "oslo"]),
    "zip": np.array([12345, 99998, 10000]),
}


def _features(space_class):
    return {
        "plain": "float",
        "price": "float_normalized",
        "scaled": space_class.float_rescaled(scale=1 / 255.0, offset=-0.5),
        "age": space_class.float_discretized(num_bins=4),
        "color": "string_categorical",
        "rooms": space_class.integer_categorical(max_tokens=5),
        "city": space_class.string_hashed(num_bins=8),
        "zip": space_class.integer_hashed(num_bins=16),
    }


def _crosses(space_class, output_mode="one_hot"):
    return [("color", "rooms"), space_class.cross(("city", "rooms"), crossing_dim=12, output_mode=output_mode)]


def _pair(output_mode="concat", **kwargs):
    """kerasx's and Keras 3's spaces of the same features, adapted on the same tf.data dataset."""
    spaces = []
    for space_class in (FeatureSpace, keras.utils.FeatureSpace):
        space = space_class(_features(space_class), output_mode=output_mode, crosses=_crosses(space_class), **kwargs)
        space.adapt(tf.data.Dataset.from_tensor_slices(DATA))
        spaces.append(space)
    return spaces


@pytest.fixture(scope="module")
def concat_pair():
    return _pair()


def _keras_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_concat_matches_keras(concat_pair):
    ours, theirs = concat_pair
    for data in (DATA, QUERY):
        expected = _keras_numpy(theirs(data))
        support.assert_close(ours(data), expected, atol=1e-6)
    # 1 + 1 + 1 + 4 (bins) + 5 (colors) + 5 (rooms) + 8 + 16 + 32 + 12 (crosses), features in sorted name order.
    assert tuple(ours.get_encoded_features().shape) == (None, 85)
    assert support.to_numpy(ours(DATA)).dtype == np.float32


def test_one_sample_of_scalars_matches_keras(concat_pair):
    ours, theirs = concat_pair
    sample = {key: value[1] for key, value in QUERY.items()}
    support.assert_close(ours(sample), _keras_numpy(theirs(sample)), atol=1e-6)
    assert tuple(support.to_numpy(ours(sample)).shape) == (85,)


def test_inputs_of_shape_batch_by_one_and_lists(concat_pair):
    ours, theirs = concat_pair
    columns = {key: value[:, None] for key, value in QUERY.items()}
    expected = _keras_numpy(theirs(QUERY))
    support.assert_close(ours(columns), expected, atol=1e-6)
    support.assert_close(ours({key: value.tolist() for key, value in QUERY.items()}), expected, atol=1e-6)
    tensors = {key: tf.constant(value) for key, value in QUERY.items()}
    support.assert_close(ours(tensors), expected, atol=1e-6)


def test_dict_mode_matches_keras():
    spaces = []
    for space_class in (FeatureSpace, keras.utils.FeatureSpace):
        features = {
            "price": "float_normalized",
            "color": space_class.string_categorical(output_mode="int"),
            "rooms": space_class.integer_categorical(output_mode="one_hot"),
            "city": space_class.string_hashed(num_bins=8, output_mode="int"),
            "age": space_class.float_discretized(num_bins=3, output_mode="int"),
        }
        crosses = [space_class.cross(("color", "rooms"), crossing_dim=16, output_mode="int"), ("city", "rooms")]
        space = space_class(features, output_mode="dict", crosses=crosses, crossing_dim=10)
        space.adapt(tf.data.Dataset.from_tensor_slices(DATA).batch(16))
        spaces.append(space)
    ours, theirs = spaces
    for data in (DATA, QUERY):
        data = {key: data[key] for key in ours.features}  # Keras 3's space takes its own features only
        got, expected = ours(data), theirs(data)
        assert sorted(got) == sorted(expected) == sorted(ours.get_encoded_features())
        for key in expected:
            want = _keras_numpy(expected[key])
            support.assert_close(got[key], want, atol=1e-6)
            assert support.to_numpy(got[key]).dtype.kind == want.dtype.kind, key


def test_adapt_on_a_dict_matches_keras():
    spaces = []
    for space_class in (FeatureSpace, keras.utils.FeatureSpace):
        space = space_class(_features(space_class), crosses=_crosses(space_class))
        space.adapt(DATA)
        spaces.append(space)
    ours, theirs = spaces
    support.assert_close(ours(QUERY), _keras_numpy(theirs(QUERY)), atol=1e-6)
    preprocessor = ours.preprocessors["color"]
    assert preprocessor.get_vocabulary() == theirs.preprocessors["color"].get_vocabulary()
    np.testing.assert_allclose(
        ours.preprocessors["age"].bin_boundaries, theirs.preprocessors["age"].bin_boundaries, rtol=1e-6
    )


def test_custom_feature_matches_keras():
    texts = {"text": np.array(["the cat sat", "the dog", "a cat and a dog", "the end"])}
    spaces = []
    for space_class, layers in ((FeatureSpace, kerasx.layers), (keras.utils.FeatureSpace, keras.layers)):
        feature = space_class.feature(
            dtype="string", preprocessor=layers.TextVectorization(output_mode="multi_hot"), output_mode="float"
        )
        space = space_class({"text": feature})
        space.adapt(tf.data.Dataset.from_tensor_slices(texts))
        spaces.append(space)
    ours, theirs = spaces
    support.assert_close(ours(texts), _keras_numpy(theirs(texts)))


def test_config_matches_keras_and_round_trips(concat_pair):
    ours, theirs = concat_pair
    config, keras_config = ours.get_config(), theirs.get_config()
    assert sorted(config) == sorted(keras_config)
    assert config["features"]["rooms"]["class_name"] == "Feature"
    assert config["features"]["rooms"]["config"]["preprocessor"]["class_name"] == "IntegerLookup"
    assert [cross["config"]["feature_names"] for cross in config["crosses"]] == [("color", "rooms"), ("city", "rooms")]
    copy = FeatureSpace.from_config(config)
    assert copy.output_mode == "concat" and [c.name for c in copy.crosses] == ["color_X_rooms", "city_X_rooms"]
    with pytest.raises(ValueError, match="adapt"):
        copy(QUERY)
    copy.adapt(tf.data.Dataset.from_tensor_slices(DATA))
    support.assert_close(copy(QUERY), support.to_numpy(ours(QUERY)))


def test_save_and_load_both_ways(concat_pair, tmp_path):
    ours, theirs = concat_pair
    expected = _keras_numpy(theirs(QUERY))
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    for path in ("ours.keras", "theirs.keras"):
        reloaded = kerasx.saving.load_model(tmp_path / path)
        assert isinstance(reloaded, FeatureSpace)
        support.assert_close(reloaded(QUERY), expected, atol=1e-6)
    by_keras = keras.models.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(_keras_numpy(by_keras(QUERY)), expected, atol=1e-6)


def test_in_a_tf_data_pipeline(concat_pair):
    ours, theirs = concat_pair
    expected = _keras_numpy(theirs(DATA))
    batched = tf.data.Dataset.from_tensor_slices(DATA).batch(32).map(ours)
    got = np.concatenate([np.asarray(batch) for batch in batched])
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert batched.element_spec.shape.as_list() == [None, 85]
    labeled = tf.data.Dataset.from_tensor_slices((DATA, np.arange(NUM_SAMPLES))).map(lambda x, y: (ours(x), y))
    first, label = next(iter(labeled))
    np.testing.assert_allclose(np.asarray(first), expected[0], atol=1e-6)
    assert first.shape == (85,) and int(label) == 0


def test_dict_mode_in_a_tf_data_pipeline():
    space = FeatureSpace({"color": "string_categorical", "price": "float_normalized"}, output_mode="dict")
    space.adapt(tf.data.Dataset.from_tensor_slices(DATA))
    dataset = tf.data.Dataset.from_tensor_slices(DATA).batch(40).map(space)
    batch = next(iter(dataset))
    eager = space({key: value[:40] for key, value in DATA.items()})
    assert sorted(batch) == ["color", "price"]
    for key in batch:
        np.testing.assert_allclose(np.asarray(batch[key]), support.to_numpy(eager[key]), atol=1e-6)


@support.needs_gradients
def test_fit_on_tf_data_and_as_a_functional_model():
    labels = (DATA["price"] > np.median(DATA["price"])).astype("float32")
    space = FeatureSpace({"price": "float_normalized", "color": "string_categorical", "rooms": "integer_categorical"})
    space.adapt(DATA)
    dataset = tf.data.Dataset.from_tensor_slices((DATA, labels)).batch(16).map(lambda x, y: (space(x), y))
    model = kerasx.models.Sequential(
        [kerasx.layers.Input((space.get_encoded_features().shape[-1],)), kerasx.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=kerasx.optimizers.SGD(0.5), loss="binary_crossentropy")
    history = model.fit(dataset, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]

    inputs = space.get_inputs()
    outputs = kerasx.layers.Dense(1, activation="sigmoid")(space.get_encoded_features())
    end_to_end = kerasx.models.Model(inputs, outputs)
    end_to_end.compile(optimizer=kerasx.optimizers.SGD(0.5), loss="binary_crossentropy")
    columns = {key: DATA[key][:, None] for key in inputs}
    history = end_to_end.fit(columns, labels, batch_size=16, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    dense = end_to_end.layers[-1]
    expected = support.to_numpy(space(columns)) @ support.to_numpy(dense.kernel) + support.to_numpy(dense.bias)
    support.assert_close(end_to_end.predict(columns, verbose=0), 1 / (1 + np.exp(-expected)), atol=1e-5)


def test_spaces_without_adaptable_features_need_no_adapt():
    space = FeatureSpace({"a": "float", "b": FeatureSpace.float_rescaled(scale=2.0)}, output_mode="dict")
    got = space({"a": np.array([1.0, 2.0]), "b": np.array([3.0, 4.0])})
    support.assert_close(got["b"], np.array([[6.0], [8.0]]))
    support.assert_close(got["a"], np.array([[1.0], [2.0]]))


def test_errors_name_what_was_received():
    with pytest.raises(ValueError, match="output_mode='sum'"):
        FeatureSpace({"a": "float"}, output_mode="sum")
    with pytest.raises(ValueError, match="unknown features: \\('a', 'z'\\)"):
        FeatureSpace({"a": "string_categorical"}, crosses=[("a", "z")])
    with pytest.raises(ValueError, match="Invalid feature type for feature 'a'"):
        FeatureSpace({"a": "categorical"})
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FeatureSpace({})
    space = FeatureSpace({"a": "string_categorical"})
    with pytest.raises(ValueError, match="call `.adapt\\(dataset\\)`"):
        space({"a": np.array(["x"])})
    with pytest.raises(ValueError, match="tf.data.Dataset or a dict"):
        space.adapt(np.array(["x"]))
    space.adapt({"a": np.array(["x", "y"])})
    with pytest.raises(ValueError, match="only be called with a dict"):
        space(np.array(["x"]))
    with pytest.raises(ValueError, match="feature 'a', missing from the data"):
        space({"b": np.array(["x"])})
    unencoded = FeatureSpace({"a": FeatureSpace.string_categorical(output_mode="int")}, output_mode="concat")
    with pytest.raises(ValueError, match="Cannot concatenate features because feature 'a'"):
        unencoded.adapt({"a": np.array(["x", "y"])})
