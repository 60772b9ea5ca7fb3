"""Bad input gets a clear error before any step runs: class labels outside the model's classes, and strings or
Python objects where numbers are needed. Keras 3 fails later and differently per engine (torch: "Target 5 is out of
bounds", TensorFlow: an InvalidArgumentError from the kernel, jax: no error, a meaningless loss).
"""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops
from kerasx.trainers.data import _checks

RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 4)).astype("float32")
LABELS = np.arange(20) % 3

METHODS = ["evaluate", "fit"]


def _classifier(num_classes=3, **compile_args):
    model = kerasx.Sequential([layers.Input((4,)), layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer="sgd", **{"loss": "sparse_categorical_crossentropy", **compile_args})
    return model


def _run(model, method, x, y, **kwargs):
    if method == "fit":
        if not support.TRAINS:
            pytest.skip("the numpy backend is inference only")
        return model.fit(x, y, batch_size=8, epochs=1, verbose=0, **kwargs)
    return model.evaluate(x, y, batch_size=8, verbose=0, **kwargs)


def _with(labels, position, value):
    labels = labels.copy()
    labels[position] = value
    return labels


# Class labels --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_label_above_the_classes_names_value_position_and_classes(method):
    y = _with(LABELS, 7, 5)
    with pytest.raises(ValueError, match=rf"{method}\(\) received the class label y\[7\] = 5, outside \[0, 3\)") as err:
        _run(_classifier(), method, X, y)
    message = str(err.value)
    assert "model 'sequential" in message and "has 3 classes" in message
    assert "the loss 'sparse_categorical_crossentropy'" in message
    assert "Out of range: 1 of 20 labels (smallest 0, largest 5)" in message
    assert "pass `y - 1`" in message and "6 units" in message and "ignore_class=" in message


@pytest.mark.parametrize("method", METHODS)
def test_negative_label(method):
    with pytest.raises(ValueError, match=r"class label y\[3\] = -1, outside \[0, 3\)"):
        _run(_classifier(), method, X, _with(LABELS, 3, -1))


@pytest.mark.parametrize("method", METHODS)
def test_float_labels_and_a_trailing_axis_of_one(method):
    y = _with(LABELS, 11, 3).astype("float32").reshape(20, 1)
    with pytest.raises(ValueError, match=r"class label y\[11, 0\] = 3.0, outside \[0, 3\)"):
        _run(_classifier(), method, X, y)


@pytest.mark.parametrize("method", METHODS)
def test_ignore_class_is_allowed_and_other_labels_still_checked(method):
    loss = kerasx.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    _run(_classifier(loss=loss), method, X, _with(LABELS, 2, -1))
    with pytest.raises(ValueError, match=r"class label y\[4\] = 9, outside \[0, 3\)"):
        _run(_classifier(loss=loss), method, X, _with(_with(LABELS, 2, -1), 4, 9))


@pytest.mark.parametrize("method", METHODS)
def test_sparse_metrics_are_checked_too(method):
    model = _classifier(loss=lambda y_true, y_pred: ops.mean(y_pred), metrics=["sparse_categorical_accuracy"])
    with pytest.raises(ValueError, match=r"the metric 'sparse_categorical_accuracy' read integer targets"):
        _run(model, method, X, _with(LABELS, 0, 3))
    top_k = _classifier(loss="mse", metrics=[kerasx.metrics.SparseTopKCategoricalAccuracy(k=2)])
    with pytest.raises(ValueError, match=r"the metric 'sparse_top_k_categorical_accuracy' read integer targets"):
        _run(top_k, method, X, _with(LABELS, 0, 3).reshape(20, 1).astype("float32"))


@pytest.mark.parametrize("method", METHODS)
def test_accuracy_resolved_to_sparse_is_checked(method):
    model = _classifier(loss=lambda y_true, y_pred: ops.mean(y_pred), metrics=["accuracy"])
    with pytest.raises(ValueError, match=r"the metric 'accuracy' read integer targets"):
        _run(model, method, X, _with(LABELS, 5, 4).reshape(20, 1))


@pytest.mark.parametrize("method", METHODS)
def test_sequence_labels_report_a_two_dimensional_position(method):
    inputs = layers.Input((6, 4))
    model = kerasx.Model(inputs, layers.Dense(5, activation="softmax")(inputs), name="tagger")
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = RNG.normal(size=(8, 6, 4)).astype("float32")
    y = _with(np.zeros((8, 6), "int64"), (3, 4), 5)
    with pytest.raises(ValueError, match=r"class label y\[3, 4\] = 5, outside \[0, 5\): model 'tagger' has 5"):
        _run(model, method, x, y)


@pytest.mark.parametrize("method", METHODS)
def test_several_outputs_name_the_output(method):
    inputs = layers.Input((4,))
    model = kerasx.Model(
        inputs, {"kind": layers.Dense(4, name="kind")(inputs), "size": layers.Dense(1, name="size")(inputs)}
    )
    model.compile(optimizer="sgd", loss={"kind": "sparse_categorical_crossentropy", "size": "mse"})
    y = {"kind": _with(LABELS, 13, 4), "size": np.zeros((20, 1), "float32")}
    with pytest.raises(ValueError, match=r"class label y\['kind'\]\[13\] = 4, outside \[0, 4\): the model's output"):
        _run(model, method, X, y)


class _Subclassed(kerasx.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.head = layers.Dense(3)

    def call(self, x):
        return self.head(self.hidden(x))


@pytest.mark.parametrize("method", METHODS)
def test_subclassed_model(method):
    model = _Subclassed()
    model.compile(optimizer="sgd", loss=kerasx.losses.SparseCategoricalCrossentropy(from_logits=True))
    with pytest.raises(ValueError, match=r"class label y\[19\] = 3, outside \[0, 3\): model '__subclassed(_\d+)?' has 3 classes"):
        _run(model, method, X, _with(LABELS, 19, 3))


@support.needs_gradients
def test_validation_data_labels():
    model = _classifier()
    with pytest.raises(ValueError, match=r"validation_data y\[1\] = 7, outside \[0, 3\)"):
        model.fit(X, LABELS, validation_data=(X[:4], _with(LABELS[:4], 1, 7)), verbose=0)


@support.needs_gradients
def test_valid_labels_train(monkeypatch):
    calls = []
    original = _checks._first_bad_label
    monkeypatch.setattr(_checks, "_first_bad_label", lambda *a: calls.append(1) or original(*a))
    kerasx.utils.set_random_seed(3)
    model = _classifier()
    history = model.fit(X, LABELS, batch_size=4, epochs=3, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert len(calls) == 1  # once per fit call, not per step (5 steps x 3 epochs)
    predictions = model.predict(X, verbose=0)
    expected = -np.mean(np.log(predictions[np.arange(20), LABELS]))
    np.testing.assert_allclose(model.evaluate(X, LABELS, verbose=0), expected, rtol=1e-4)


# Strings and objects -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["evaluate", "fit", "predict"])
def test_string_x_says_to_encode_first(method):
    x = np.array([["a", "b", "c", "d"]] * 20)
    model = _classifier()
    with pytest.raises(ValueError, match=rf"{method}\(\) received x holding strings \(dtype <U1, e.g. 'a'\)") as err:
        if method == "predict":
            model.predict(x, verbose=0)
        else:
            _run(model, method, x, LABELS)
    assert "keras.layers.StringLookup" in str(err.value) and "TextVectorization" in str(err.value)


@pytest.mark.parametrize("method", METHODS)
def test_string_y(method):
    y = np.array(["cat", "dog"] * 10, dtype=object)
    with pytest.raises(ValueError, match=rf"{method}\(\) received y holding strings \(dtype object, e.g. 'cat'\)"):
        _run(_classifier(), method, X, y)


def test_string_leaf_of_a_dict_is_named():
    inputs = {"text": layers.Input((1,), name="text"), "size": layers.Input((1,), name="size")}
    model = kerasx.Model(inputs, layers.Dense(1)(layers.Concatenate()([inputs["text"], inputs["size"]])))
    x = {"text": np.array([[b"hello"], [b"world"]]), "size": np.ones((2, 1), "float32")}
    with pytest.raises(ValueError, match=r"predict\(\) received x\['text'\] holding strings \(dtype \|S5, e.g. b'hello'\)"):
        model.predict(x, verbose=0)


def test_object_array_of_numbers():
    x = np.empty(20, dtype=object)
    x[:] = [list(range(i % 3 + 1)) for i in range(20)]
    with pytest.raises(ValueError, match=r"received x as a NumPy array of Python objects \(dtype object, e.g. \[0\]\)"):
        _classifier().predict(x, verbose=0)
