"""Hashing and HashedCrossing against Keras 3 (TensorFlow's FarmHash / SipHash / cross fingerprints) on the selected
backend, on strings, bytes, Python lists and integers; files both ways; tf.data on TensorFlow; and the numeric and
hashing layers on jax and torch with TensorFlow hidden."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras, compare_configs
from kerasx.layers._preprocessing import _fingerprints

keras = pytest.importorskip("keras")

WORDS = np.array([["a"], ["b"], ["hello"], [""], ["ünïcode"], ["a much longer string, past sixty-four bytes " * 2]])
INTS = np.array([[1], [2], [300], [-7], [2**40], [0]], "int64")


def _keras_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


# Keras 3's Hashing hands back TensorFlow tensors converted to the backend's, which its numpy backend refuses for
# strings: there, kerasx is compared with TensorFlow's hash ops directly (test_hashing_equals_tensorflow_ops).
keras_hashing = pytest.mark.skipif(support.BACKEND == "numpy", reason="Keras 3's Hashing fails on its numpy backend")


def test_fingerprints_equal_tensorflow_on_all_lengths():
    tf = pytest.importorskip("tensorflow")
    rng = random.Random(0)
    data = [bytes(rng.randrange(256) for _ in range(n)) for n in [*range(0, 140), 200, 513]]
    big = 2**62
    fast = tf.strings.to_hash_bucket_fast(tf.constant(data), big).numpy()
    strong = tf.strings.to_hash_bucket_strong(tf.constant(data), big, key=[7, -5]).numpy()
    assert [_fingerprints.fingerprint64(d) % big for d in data] == fast.tolist()
    assert [_fingerprints.siphash(d, (7, -5)) % big for d in data] == strong.tolist()


@keras_hashing
@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_bins": 10},
        {"num_bins": 1000, "salt": 133},
        {"num_bins": 7, "salt": [1, 2], "mask_value": "b"},
        {"num_bins": 5, "output_mode": "one_hot"},
        {"num_bins": 5, "output_mode": "count", "mask_value": "a"},
    ],
)
def test_hashing_strings_match_keras(kwargs):
    ours, theirs = kerasx.layers.Hashing(**kwargs), keras.layers.Hashing(**kwargs)
    expected = _keras_numpy(theirs(WORDS))
    for inputs in (WORDS, WORDS.tolist(), np.char.encode(WORDS, "utf-8")):
        got = ours(inputs)
        np.testing.assert_array_equal(support.to_numpy(got), expected)
        support.assert_dtype(got, str(expected.dtype))
    compare_configs(ours, theirs)


@keras_hashing
@pytest.mark.parametrize(
    "kwargs", [{"num_bins": 10}, {"num_bins": 10, "salt": 5, "mask_value": 0}, {"num_bins": 4, "output_mode": "multi_hot"}]
)
def test_hashing_integers_match_keras(kwargs, tmp_path):
    check_layer_against_keras("Hashing", kwargs, INTS, tmp_path=tmp_path)


@keras_hashing
def test_hashing_string_model_files_both_ways(tmp_path):
    # Keras 3 calls models on strings only on TensorFlow: its loaded layer is called directly.
    theirs = keras.Sequential([keras.Input(shape=(1,), dtype="string"), keras.layers.Hashing(num_bins=16, salt=3)])
    expected = _keras_numpy(theirs.layers[-1](WORDS))
    theirs.save(tmp_path / "keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "keras.keras")
    np.testing.assert_array_equal(support.to_numpy(loaded(WORDS)), expected)
    loaded.save(tmp_path / "kerasx.keras")
    reloaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    np.testing.assert_array_equal(_keras_numpy(reloaded.layers[-1](WORDS)), expected)


def test_hashing_equals_tensorflow_ops():
    tf = pytest.importorskip("tensorflow")
    words = np.char.encode(WORDS, "utf-8")
    fast = tf.strings.to_hash_bucket_fast(tf.constant(words), 10).numpy()
    strong = tf.strings.to_hash_bucket_strong(tf.constant(words), 9, key=[3, 4]).numpy()
    numbers = tf.strings.to_hash_bucket_fast(tf.strings.as_string(tf.constant(INTS)), 10).numpy()
    np.testing.assert_array_equal(support.to_numpy(kerasx.layers.Hashing(num_bins=10)(WORDS)), fast)
    np.testing.assert_array_equal(support.to_numpy(kerasx.layers.Hashing(num_bins=10)(INTS)), numbers)
    masked = kerasx.layers.Hashing(num_bins=10, salt=[3, 4], mask_value="b")(WORDS)
    np.testing.assert_array_equal(support.to_numpy(masked), np.where(WORDS == "b", 0, strong + 1))


def test_hashing_errors():
    with pytest.raises(ValueError, match="positive integer num_bins"):
        kerasx.layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="salt"):
        kerasx.layers.Hashing(num_bins=3, salt="x")
    with pytest.raises(ValueError, match="output_mode"):
        kerasx.layers.Hashing(num_bins=3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="dense tensors"):
        kerasx.layers.Hashing(num_bins=3, output_mode="count", sparse=True)


CROSS_A = np.array([1, 2, -3, 2**40], "int64")
CROSS_B = np.array(["a", "b", "hello", ""])
CROSS_C = np.array([5, 7, 8, 9], "int32")


@pytest.mark.parametrize(
    "features", [(CROSS_A, CROSS_B), (CROSS_B, CROSS_A, CROSS_C), (CROSS_A[:, None], CROSS_C[:, None])]
)
@pytest.mark.parametrize("output_mode", ["int", "one_hot"])
def test_hashed_crossing_matches_keras(features, output_mode):
    ours = kerasx.layers.HashedCrossing(num_bins=20, output_mode=output_mode)
    theirs = keras.layers.HashedCrossing(num_bins=20, output_mode=output_mode)
    expected = _keras_numpy(theirs(features))
    got = ours(features)
    np.testing.assert_array_equal(support.to_numpy(got), expected)
    support.assert_dtype(got, str(expected.dtype))
    compare_configs(ours, theirs)
    if all(f.dtype.kind == "i" for f in features):
        # Integer tensors on the engine cross the same way.
        np.testing.assert_array_equal(support.to_numpy(ours([kerasx.ops.convert_to_tensor(f) for f in features])),
                                      expected)


def test_hashed_crossing_symbolic_and_errors():
    inputs = [kerasx.Input(shape=(1,), dtype="int64"), kerasx.Input(shape=(1,), dtype="int64")]
    assert kerasx.layers.HashedCrossing(num_bins=4, output_mode="one_hot")(inputs).shape == (None, 4)
    with pytest.raises(ValueError, match="at least two inputs"):
        kerasx.layers.HashedCrossing(num_bins=4)([CROSS_A])
    with pytest.raises(ValueError, match="one shape"):
        kerasx.layers.HashedCrossing(num_bins=4)([CROSS_A, CROSS_A[:2]])
    with pytest.raises(ValueError, match="integer or string"):
        kerasx.layers.HashedCrossing(num_bins=4)([CROSS_A, CROSS_A.astype("float32")])


@pytest.mark.skipif(support.BACKEND != "tensorflow", reason="tf.data pipelines run kerasx layers on TensorFlow")
def test_hashing_in_tf_data_map():
    tf = pytest.importorskip("tensorflow")
    hashing = kerasx.layers.Hashing(num_bins=10, salt=[3, 4])
    crossing = kerasx.layers.HashedCrossing(num_bins=10)
    expected = support.to_numpy(hashing(WORDS))
    crossed = support.to_numpy(crossing((CROSS_A, CROSS_B)))
    dataset = tf.data.Dataset.from_tensor_slices(WORDS).batch(4).map(hashing)
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in dataset]), expected)
    pairs = tf.data.Dataset.from_tensor_slices((CROSS_A, CROSS_B)).batch(3).map(lambda a, b: crossing((a, b)))
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in pairs]), crossed)


WITHOUT_TENSORFLOW = support.HIDE_TENSORFLOW + """
import json
import numpy as np
import kerasx
words = np.array(json.loads(sys.argv[1]))
x = np.array(json.loads(sys.argv[2]), "float32")
layers = kerasx.layers
normalization = layers.Normalization()
normalization.adapt(x)
discretization = layers.Discretization(num_bins=3)
discretization.adapt(x)
def host(v):
    return np.asarray(kerasx.ops.convert_to_numpy(v)).tolist()
out = {
    "hashing": host(layers.Hashing(num_bins=10)(words)),
    "salted": host(layers.Hashing(num_bins=10, salt=133)(words)),
    "crossing": host(layers.HashedCrossing(num_bins=10)((words[:, 0], np.arange(len(words))))),
    "normalization": host(normalization(x)),
    "discretization": host(discretization(x)),
    "encoding": host(layers.CategoryEncoding(num_tokens=3)(host(discretization(x)))),
    "tensorflow_loaded": "tensorflow" in sys.modules,
}
print("RESULT" + json.dumps(out))
"""


@pytest.mark.skipif(support.BACKEND not in ("jax", "torch"), reason="jax and torch must not need TensorFlow")
def test_layers_work_without_tensorflow(tmp_path):
    words = WORDS[:4]
    x = np.random.default_rng(0).normal(size=(20, 2)).astype("float32")
    normalization = keras.layers.Normalization()
    normalization.adapt(x)
    discretization = keras.layers.Discretization(num_bins=3)
    discretization.adapt(x)
    code = WITHOUT_TENSORFLOW.replace("sys.argv[1]", repr(json.dumps(words.tolist()))).replace(
        "sys.argv[2]", repr(json.dumps(x.tolist()))
    )
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND, "JAX_ENABLE_X64": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.split("RESULT", 1)[1])
    assert not out["tensorflow_loaded"]
    bins = _keras_numpy(discretization(x))
    expected = {
        "hashing": _keras_numpy(keras.layers.Hashing(num_bins=10)(words)),
        "salted": _keras_numpy(keras.layers.Hashing(num_bins=10, salt=133)(words)),
        "crossing": _keras_numpy(keras.layers.HashedCrossing(num_bins=10)((words[:, 0], np.arange(len(words))))),
        "discretization": bins,
        "encoding": _keras_numpy(keras.layers.CategoryEncoding(num_tokens=3)(bins)),
    }
    for key, value in expected.items():
        np.testing.assert_array_equal(np.asarray(out[key]), value, err_msg=key)
    np.testing.assert_allclose(np.asarray(out["normalization"]), _keras_numpy(normalization(x)), rtol=1e-5, atol=1e-5)


@support.needs_gradients
def test_model_hashing_integers_trains_and_reloads(tmp_path):
    # Inside the compiled step the hashing runs on the host (jax.pure_callback, tf.numpy_function, eager torch).
    ids = np.random.default_rng(1).integers(0, 50, size=(64, 1)).astype("int64")
    targets = (ids % 2).astype("float32")
    inputs = kerasx.Input(shape=(1,), dtype="int64")
    encoded = kerasx.layers.Hashing(num_bins=16, salt=7, output_mode="one_hot")(inputs)
    model = kerasx.Model(inputs, kerasx.layers.Dense(1, kernel_initializer="zeros")(encoded))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(ids, targets, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "hashing.keras")
    reloaded = kerasx.saving.load_model(tmp_path / "hashing.keras")
    support.assert_close(reloaded.predict(ids, verbose=0), support.to_numpy(model.predict(ids, verbose=0)))
