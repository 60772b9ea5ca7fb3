"""StringLookup, IntegerLookup and TextVectorization against Keras 3 on the selected backend: vocabularies after
`adapt` (ties included), outputs (exactly for indices and counts, 1e-6 for TF-IDF), configs both ways, `.keras`
files both ways (vocabularies in `assets/`), a text classifier trained with `fit`, tf.data, and no TensorFlow."""

from __future__ import annotations

import json
import sys
import zipfile

import numpy as np
import pytest

import kerasx
import support

keras = pytest.importorskip("keras")

# Frequencies with ties (b/d twice, a/e once) and punctuation, case and non-ASCII text.
WORDS = np.array([["a", "b", "b", "c"], ["c", "c", "d", "d"], ["e", "a", "c", ""]])
DOCS = np.array(["The cat sat.", "the dog SAT on the mat!", "A cat, a dog; a bird?", "Émile's café  naïve\tTAB"])
QUERIES = np.array(["the bird sat", "a cat the the", "", "Émile CAFÉ? zebra"])


def _ours(x) -> np.ndarray:
    return np.asarray(kerasx.ops.convert_to_numpy(x))


def _theirs(x) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(x))


def _keras_call(layer, inputs):
    # Keras 3's numpy backend refuses string inputs in `Layer.__call__` ("Invalid dtype: str32"), though the layer's
    # own `call` runs (on TensorFlow inside): the oracle there is `call`, whose integers come back as int32.
    return layer.call(inputs) if support.BACKEND == "numpy" else layer(inputs)


def _compare(ours, theirs, inputs) -> None:
    got, expected = _ours(ours(inputs)), _theirs(_keras_call(theirs, inputs))
    assert got.shape == expected.shape and got.dtype.kind == expected.dtype.kind, (got.shape, got.dtype, expected.dtype)
    assert support.BACKEND == "numpy" or got.dtype == expected.dtype, (got.dtype, expected.dtype)
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(got, expected)


def _plain(config: dict) -> dict:
    return {k: v for k, v in config.items() if k not in ("name", "dtype", "trainable")}


STRING_CASES = [
    {},
    {"mask_token": "", "max_tokens": 5},
    {"num_oov_indices": 3},
    {"output_mode": "one_hot"},
    {"output_mode": "multi_hot", "max_tokens": 9, "pad_to_max_tokens": True},
    {"output_mode": "count"},
    {"output_mode": "tf_idf"},
]


@pytest.mark.parametrize("kwargs", STRING_CASES, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "default")
def test_string_lookup_matches_keras(kwargs):
    ours, theirs = kerasx.layers.StringLookup(**kwargs), keras.layers.StringLookup(**kwargs)
    ours.adapt(WORDS)
    theirs.adapt(WORDS)
    assert ours.get_vocabulary() == [str(v) for v in theirs.get_vocabulary()]
    assert ours.vocabulary_size() == theirs.vocabulary_size()
    inputs = np.array(["a", "zz", "e", "b"]) if kwargs.get("output_mode") == "one_hot" else WORDS[:, ::-1]
    _compare(ours, theirs, np.concatenate([inputs, [["q", "r", "s", "t"]]]) if inputs.ndim == 2 else inputs)
    assert _plain(ours.get_config()) == _plain(theirs.get_config())


@pytest.mark.parametrize(
    "kwargs", [{}, {"mask_token": 0}, {"num_oov_indices": 2}, {"output_mode": "count", "max_tokens": 4}],
    ids=["default", "mask", "oov2", "count"],
)
def test_integer_lookup_matches_keras(kwargs):
    data = np.array([[3, 5, 5, 7], [7, 7, 1, 3], [0, 9, 9, 9]])
    ours, theirs = kerasx.layers.IntegerLookup(**kwargs), keras.layers.IntegerLookup(**kwargs)
    ours.adapt(data)
    theirs.adapt(data)
    assert ours.get_vocabulary() == [int(v) for v in theirs.get_vocabulary()]
    _compare(ours, theirs, np.array([[3, 0, 11, -4, 7], [9, 9, 1, 2, 5]]))
    assert _plain(ours.get_config()) == _plain(theirs.get_config())


TEXT_CASES = [
    {},
    {"output_sequence_length": 3, "max_tokens": 6},
    {"ngrams": 2},
    {"ngrams": (1, 3), "standardize": "lower"},
    {"standardize": None, "split": "character"},
    {"standardize": "strip_punctuation", "split": None},
    {"output_mode": "multi_hot"},
    {"output_mode": "count", "ngrams": 2},
    {"output_mode": "tf_idf", "max_tokens": 12, "pad_to_max_tokens": True},
]


@pytest.mark.parametrize("kwargs", TEXT_CASES, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "default")
def test_text_vectorization_matches_keras(kwargs):
    ours, theirs = kerasx.layers.TextVectorization(**kwargs), keras.layers.TextVectorization(**kwargs)
    ours.adapt(DOCS)
    theirs.adapt(DOCS)
    assert ours.get_vocabulary() == [str(v) for v in theirs.get_vocabulary()]
    _compare(ours, theirs, QUERIES)
    assert _plain(ours.get_config()) == _plain(theirs.get_config())
    # Keras's config makes the same layer in kerasx, given the vocabulary afterwards (as loading a file does).
    rebuilt = kerasx.layers.deserialize(keras.layers.serialize(theirs))
    vocabulary = [str(v) for v in theirs.get_vocabulary()]
    idf = None
    if kwargs.get("output_mode") == "tf_idf":
        idf = _theirs(theirs._lookup_layer.idf_weights)[: len(vocabulary)]
    rebuilt.set_vocabulary(vocabulary, idf_weights=idf)
    _compare(rebuilt, theirs, QUERIES)


def test_lists_vocabulary_files_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocabulary.txt"
    path.write_text("cat\ndog\nbird\n", encoding="utf-8")
    from_file = kerasx.layers.StringLookup(vocabulary=str(path))
    from_list = keras.layers.StringLookup(vocabulary=["cat", "dog", "bird"])
    _compare(from_file, from_list, np.array(["bird", "cow", "cat"]))
    assert from_file.get_config()["vocabulary"] is None
    layer = kerasx.layers.TextVectorization()
    layer.set_vocabulary(["cat", "dog"])
    np.testing.assert_array_equal(_ours(layer(["dog cat fish", "cat"])), [[3, 2, 1], [2, 0, 0]])
    np.testing.assert_array_equal(_ours(from_file(["dog", "cat"])), [2, 1])


def test_invert_gives_tokens_back():
    # Keras 3 on TensorFlow: [b'[UNK]' b'a' b'c' b'[UNK]'] and [[0 -1 5 7 9 -1]].
    strings = kerasx.layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
    tokens = strings(np.array([0, 1, 3, 7]))
    # Text stays a NumPy array where the engine has no string tensors (a tf.string tensor of bytes on TensorFlow).
    tokens = tokens if isinstance(tokens, np.ndarray) else _ours(tokens)
    assert [t.decode() if isinstance(t, bytes) else str(t) for t in tokens.tolist()] == ["[UNK]", "a", "c", "[UNK]"]
    integers = kerasx.layers.IntegerLookup(vocabulary=[5, 7, 9], invert=True, mask_token=0)
    np.testing.assert_array_equal(_ours(integers(np.array([[0, 1, 2, 3, 4, 5]]))), [[0, -1, 5, 7, 9, -1]])


def test_callables_standardize_and_split():
    layer = kerasx.layers.TextVectorization(
        standardize=lambda texts: np.char.upper(texts.astype(str)), split=lambda texts: [t.split("-") for t in texts]
    )
    layer.adapt(["a-b-b", "b-c"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "C", "A"]
    np.testing.assert_array_equal(_ours(layer(["c-a", "b-zz-b"])), [[3, 4, 0], [2, 1, 2]])


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match="`sparse=True` is not supported"):
        kerasx.layers.StringLookup(output_mode="multi_hot", sparse=True)
    with pytest.raises(ValueError, match="`ragged=True` is not supported"):
        kerasx.layers.TextVectorization(ragged=True)
    with pytest.raises(ValueError, match="consider setting `num_oov_indices=1`"):
        kerasx.layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="repeated"):
        kerasx.layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary"):
        kerasx.layers.StringLookup(output_mode="count")(np.array([["a"]]))


def _text_model(library, output_mode):
    vectorize = library.layers.TextVectorization(
        output_mode=output_mode, **({"output_sequence_length": 5} if output_mode == "int" else {})
    )
    vectorize.adapt(DOCS)
    lookup = library.layers.StringLookup(name="words")
    lookup.adapt(WORDS[:, :3])  # no "": a last empty line of vocabulary.txt is dropped on loading (Keras 3 too)
    inputs = library.Input(shape=(), dtype="string")
    return library.Model(inputs, [vectorize(inputs), lookup(inputs)])


@pytest.mark.parametrize("output_mode", ["int", "tf_idf"])
def test_keras_files_both_ways(tmp_path, output_mode):
    theirs, ours = _text_model(keras, output_mode), _text_model(kerasx, output_mode)
    theirs.save(tmp_path / "keras.keras")
    ours.save(tmp_path / "kerasx.keras")
    names = sorted(zipfile.ZipFile(tmp_path / "kerasx.keras").namelist())
    assert names == sorted(zipfile.ZipFile(tmp_path / "keras.keras").namelist())
    assert "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt" in names
    # Keras 3's functional models refuse string inputs on jax: its layers are called one by one.
    expected = [_theirs(_keras_call(layer, QUERIES)) for layer in theirs.layers[1:]]
    for got, value in zip(kerasx.saving.load_model(tmp_path / "keras.keras")(QUERIES), expected):
        np.testing.assert_allclose(_ours(got), value, rtol=1e-6)
    for got, value in zip(ours(QUERIES), expected):
        np.testing.assert_allclose(_ours(got), value, rtol=1e-6)
    reloaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    for layer, value in zip(reloaded.layers[1:], expected):
        np.testing.assert_allclose(_theirs(_keras_call(layer, QUERIES)), value, rtol=1e-6)


POSITIVE = ["good great fine", "great movie", "fine good", "really good film", "great great"]
NEGATIVE = ["bad awful", "terrible bad film", "awful movie", "bad bad", "really terrible"]


@support.needs_gradients
def test_text_classifier_trains_saves_and_reloads(tmp_path):
    kerasx.utils.set_random_seed(1)
    x = np.array((POSITIVE + NEGATIVE) * 4)
    y = np.array(([1] * 5 + [0] * 5) * 4, dtype="float32")
    vectorize = kerasx.layers.TextVectorization(output_sequence_length=4)
    vectorize.adapt(x)
    inputs = kerasx.Input(shape=(), dtype="string")
    hidden = kerasx.layers.Embedding(vectorize.vocabulary_size(), 8)(vectorize(inputs))
    hidden = kerasx.layers.GlobalAveragePooling1D()(hidden)
    model = kerasx.Model(inputs, kerasx.layers.Dense(1, activation="sigmoid")(hidden))
    model.compile(optimizer=kerasx.optimizers.Adam(0.05), loss="binary_crossentropy")
    losses = model.fit(x, y, epochs=4, batch_size=8, verbose=0).history["loss"]
    assert losses[-1] < losses[0] - 0.05, losses
    predictions = model.predict(x, verbose=0)
    model.save(tmp_path / "classifier.keras")
    reloaded = kerasx.saving.load_model(tmp_path / "classifier.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), predictions, rtol=1e-6, atol=1e-6)


@pytest.mark.skipif(support.BACKEND != "tensorflow", reason="tf.data is TensorFlow's")
def test_inside_tf_data_map():
    tf = pytest.importorskip("tensorflow")
    layer = kerasx.layers.TextVectorization(output_sequence_length=5)
    layer.adapt(DOCS)
    lookup = kerasx.layers.StringLookup(vocabulary=["cat", "dog"], output_mode="count")
    dataset = tf.data.Dataset.from_tensor_slices(QUERIES).batch(2).map(lambda t: (layer(t), lookup(t)))
    sequences = np.concatenate([s.numpy() for s, _ in dataset])
    np.testing.assert_array_equal(sequences, _ours(layer(QUERIES)))


WITHOUT_TENSORFLOW = support.HIDE_TENSORFLOW + """
import json
import numpy as np
import kerasx
docs, queries, words = (np.array(json.loads(a)) for a in sys.argv[1:4])
def host(v):
    return np.asarray(kerasx.ops.convert_to_numpy(v)).tolist()
text = kerasx.layers.TextVectorization(ngrams=2)
text.adapt(docs)
tf_idf = kerasx.layers.TextVectorization(output_mode="tf_idf")
tf_idf.adapt(docs)
strings = kerasx.layers.StringLookup(num_oov_indices=2)
strings.adapt(words)
integers = kerasx.layers.IntegerLookup()
integers.adapt(np.array([[3, 5, 5], [7, 7, 7]]))
print("RESULT" + json.dumps({
    "text": host(text(queries)), "tf_idf": host(tf_idf(queries)), "strings": host(strings(words[:, ::-1])),
    "integers": host(integers(np.array([7, 5, 4]))), "tensorflow_loaded": "tensorflow" in sys.modules,
}))
"""


@pytest.mark.skipif(support.BACKEND not in ("jax", "torch"), reason="the no-TensorFlow promise is jax's and torch's")
def test_runs_without_tensorflow(tmp_path):
    arguments = [json.dumps(a.tolist()) for a in (DOCS, QUERIES, WORDS)]
    process = support.subprocess.run(
        [sys.executable, "-c", WITHOUT_TENSORFLOW, *arguments], capture_output=True, timeout=300,
        **support._python_process(tmp_path, {"KERAS_BACKEND": support.BACKEND}, None),
    )
    assert process.returncode == 0, process.stderr[-3000:]
    result = json.loads(process.stdout.split("RESULT", 1)[1])
    assert not result["tensorflow_loaded"]
    text, tf_idf = keras.layers.TextVectorization(ngrams=2), keras.layers.TextVectorization(output_mode="tf_idf")
    text.adapt(DOCS)
    tf_idf.adapt(DOCS)
    strings, integers = keras.layers.StringLookup(num_oov_indices=2), keras.layers.IntegerLookup()
    strings.adapt(WORDS)
    integers.adapt(np.array([[3, 5, 5], [7, 7, 7]]))
    np.testing.assert_array_equal(result["text"], _theirs(text(QUERIES)))
    np.testing.assert_allclose(result["tf_idf"], _theirs(tf_idf(QUERIES)), rtol=1e-6)
    np.testing.assert_array_equal(result["strings"], _theirs(strings(WORDS[:, ::-1])))
    np.testing.assert_array_equal(result["integers"], _theirs(integers(np.array([7, 5, 4]))))


def test_archive_assets_are_checked(tmp_path, monkeypatch):
    model = _text_model(kerasx, "int")
    model.save(tmp_path / "model.keras")
    with zipfile.ZipFile(tmp_path / "model.keras") as source:
        members = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(tmp_path / "escaping.keras", "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
        target.writestr("assets/../../outside.txt", b"x")
    with pytest.raises(ValueError, match="outside.txt"):
        kerasx.saving.load_model(tmp_path / "escaping.keras")
    monkeypatch.setattr(kerasx.saving.limits, "MAX_ASSETS_BYTES", 10)
    with pytest.raises(ValueError, match="MAX_ASSETS_BYTES"):
        kerasx.saving.load_model(tmp_path / "model.keras")
