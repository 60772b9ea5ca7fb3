"""kerasx.utils' small helpers against Keras 3's: to_categorical, normalize, pad_sequences, Config, Progbar,
get_source_inputs, is_keras_tensor, and the registry functions re-exported under Keras's names."""

from __future__ import annotations

import json

import numpy as np
import pytest

import kerasx
from kerasx import ops, utils

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("labels, num_classes", [
    ([0, 1, 2, 3], None),
    ([[1], [0], [2]], 4),
    (np.array([[0, 1], [2, 1]]), None),
    (np.array(2), 3),
])
def test_to_categorical_matches_keras_on_arrays(labels, num_classes):
    ours = utils.to_categorical(labels, num_classes)
    theirs = keras.utils.to_categorical(labels, num_classes)
    assert isinstance(ours, np.ndarray) and ours.shape == theirs.shape
    # Keras on its numpy backend takes NumPy arrays for backend tensors (one_hot: float32); kerasx gives every
    # array-like the float64 of Keras's array path.
    if not (isinstance(labels, np.ndarray) and keras.backend.backend() == "numpy"):
        assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_to_categorical_keeps_engine_tensors():
    labels = ops.convert_to_tensor(np.array([[2], [0]], dtype="int32"))
    encoded = utils.to_categorical(labels, 3)
    assert ops.is_tensor(encoded) and tuple(encoded.shape) == (2, 3)
    np.testing.assert_array_equal(ops.convert_to_numpy(encoded), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize("axis, order", [(-1, 2), (0, 2), (1, 1), (-1, 3)])
def test_normalize_matches_keras(axis, order):
    x = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -2.0, 2.0]])
    ours = utils.normalize(x, axis=axis, order=order)
    np.testing.assert_allclose(ours, keras.utils.normalize(x, axis=axis, order=order))
    # Engine tensors go through ops.normalize. (Keras's NumPy path divides along the last axis when axis=0, as
    # kerasx's does, to give the same arrays; the tensor path normalizes along the axis asked for.)
    tensor = ops.convert_to_tensor(x.astype("float32"))
    if isinstance(tensor, np.ndarray):
        return  # the numpy backend: its tensors are the NumPy arrays checked above
    tensor = utils.normalize(tensor, axis=axis, order=order)
    assert ops.is_tensor(tensor)
    norm = np.linalg.norm(x, order, axis, keepdims=True)
    np.testing.assert_allclose(ops.convert_to_numpy(tensor), x / np.where(norm == 0, 1, norm), rtol=1e-6, atol=1e-6)


SEQUENCES = [[1, 2, 3, 4], [5], [], [6, 7]]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 2, 6])
def test_pad_sequences_matches_keras(padding, truncating, maxlen):
    kwargs = dict(maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    ours = utils.pad_sequences(SEQUENCES, **kwargs)
    theirs = keras.utils.pad_sequences(SEQUENCES, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_dtypes_and_step_shapes_match_keras():
    words = [["a", "bb"], ["ccc"]]
    for kwargs in (dict(dtype=object, value="<pad>"), dict(dtype="<U5", value="-"), dict(dtype="float64", value=0.5)):
        if kwargs["dtype"] == "float64":
            data = [[1.5, 2.5], [3.5]]
        else:
            data = words
        ours = utils.pad_sequences(data, **kwargs)
        theirs = keras.utils.pad_sequences(data, **kwargs)
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
    steps = [np.ones((3, 2)), np.zeros((1, 2))]
    np.testing.assert_array_equal(utils.pad_sequences(steps, padding="post"),
                                  keras.utils.pad_sequences(steps, padding="post"))


def test_pad_sequences_errors_match_keras():
    cases = [
        (dict(sequences=[[1], 5]), "must be a list of iterables"),
        (dict(sequences=5), "must be iterable"),
        (dict(sequences=[["a"]], value="x"), "is not compatible with `value`'s type"),
        (dict(sequences=[[1, 2]], maxlen=1, truncating="middle"), 'Truncating type "middle" not understood'),
        (dict(sequences=[[1, 2]], padding="middle"), 'Padding type "middle" not understood'),
        (dict(sequences=[np.ones((2, 2)), np.ones((1, 3))]), "Shape of sample"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            utils.pad_sequences(**kwargs)
        with pytest.raises(ValueError):
            keras.utils.pad_sequences(**kwargs)


def test_config_behaves_as_keras_config():
    ours, theirs = utils.Config(learning_rate=0.1, b=2), keras.utils.Config(learning_rate=0.1, b=2)
    for config in (ours, theirs):
        config.momentum = 0.9
        config["seed"] = 123
        config.update(extra=1)
        assert config.pop("extra") == 1
        del config["b"]
    assert list(ours) == list(theirs) == ["learning_rate", "momentum", "seed"]
    assert ours.as_dict() == theirs.as_dict() and json.loads(ours.to_json()) == json.loads(theirs.to_json())
    assert len(ours) == len(theirs) == 3 and "seed" in ours and ours.get("missing", 7) == 7
    assert ours.learning_rate == 0.1
    with pytest.raises(AttributeError, match="Unknown attribute: 'learning_rat'. Did you mean 'learning_rate'"):
        ours.learning_rat
    ours.freeze()
    assert ours.frozen
    for mutate in (lambda c: setattr(c, "x", 1), lambda c: c.__setitem__("x", 1), lambda c: c.pop("seed")):
        with pytest.raises(ValueError, match="frozen"):
            mutate(ours)
    ours.unfreeze()
    ours.x = 1
    assert ours["x"] == 1


def test_progbar_averages_and_prints_as_keras(capsys):
    def run(progbar_class, **kwargs):
        bar = progbar_class(4, verbose=2, **kwargs)
        bar.update(1, [("loss", 4.0), ("acc", 0.5)])
        bar.add(1, [("loss", 2.0), ("acc", 0.7)])
        bar.update(3, [("loss", 1.0), ("acc", 0.9)], finalize=False)
        bar.update(4, [("loss", 0.001), ("acc", 1.0)])
        return capsys.readouterr().out

    def metrics(line):
        return line.split("step")[-1].strip()

    for kwargs in ({}, {"stateful_metrics": ["acc"]}, {"stateless_metrics": ["loss"]}):
        ours, theirs = run(utils.Progbar, **kwargs), run(keras.utils.Progbar, **kwargs)
        assert ours.startswith("4/4 - ") and theirs.startswith("4/4 - ")
        assert metrics(ours) == metrics(theirs), kwargs
    assert metrics(run(utils.Progbar)) == "- loss: 1.0000e-03 - acc: 1.0000"


def test_progbar_averages_values_over_steps(capsys):
    bar = utils.Progbar(10, verbose=2, stateful_metrics=["lr"])
    bar.update(2, [("loss", 1.0), ("lr", 0.5)])
    bar.update(6, [("loss", 4.0), ("lr", 0.25)])
    bar.update(10, finalize=True)
    assert capsys.readouterr().out.strip().endswith("- loss: 3.0000 - lr: 0.2500")  # (1*2 + 4*4) / 6
    with pytest.raises(ValueError, match="Only one of `stateful_metrics` or `stateless_metrics`"):
        utils.Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


def test_source_inputs_and_keras_tensors():
    a, b = kerasx.Input((3,), name="a"), kerasx.Input((3,), name="b")
    hidden = kerasx.layers.Dense(3)(b)
    c = kerasx.layers.Add()([a, hidden])
    d = kerasx.layers.Add()([c, hidden])
    sources = utils.get_source_inputs(d)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a)[0] is a
    assert utils.get_source_inputs(5) == 5
    assert utils.is_keras_tensor(c) and not utils.is_keras_tensor(np.ones(2))
    assert not utils.is_keras_tensor(ops.convert_to_tensor(np.ones(2)))


def test_registry_names_and_sequence_alias():
    assert utils.Sequence is utils.PyDataset
    for dtype in (float, "float32", np.int64, "bool"):
        assert utils.standardize_dtype(dtype) == keras.utils.standardize_dtype(dtype)

    @utils.register_keras_serializable(package="TestUtils")
    class Scaled(kerasx.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    assert utils.get_registered_name(Scaled) == "TestUtils>Scaled"
    assert utils.get_registered_object("TestUtils>Scaled") is Scaled
    restored = utils.deserialize_keras_object(utils.serialize_keras_object(Scaled(factor=3.0)))
    assert isinstance(restored, Scaled) and restored.factor == 3.0
    with utils.custom_object_scope({"Alias": Scaled}):
        assert utils.get_registered_object("Alias") is Scaled
    assert utils.get_registered_object("Alias") is None
    with utils.CustomObjectScope({"Other": Scaled}):
        assert utils.deserialize_keras_object("Other", safe_mode=True) is Scaled
    assert utils.get_custom_objects() is kerasx.saving.get_custom_objects()
    assert utils.get_custom_objects()["TestUtils>Scaled"] is Scaled


def test_interactive_logging_switches_are_kerasx_config_s(capsys, caplog):
    assert utils.enable_interactive_logging is kerasx.config.enable_interactive_logging
    assert utils.is_interactive_logging_enabled is kerasx.config.is_interactive_logging_enabled
    utils.disable_interactive_logging()
    try:
        assert not utils.is_interactive_logging_enabled()
        with caplog.at_level("INFO", logger="kerasx"):
            utils.Progbar(2, verbose=2).update(2, [("loss", 0.5)])
        assert capsys.readouterr().out == ""
        assert "2/2" in caplog.text and "loss: 0.5000" in caplog.text
    finally:
        utils.enable_interactive_logging()
    assert utils.is_interactive_logging_enabled()
