"""Errors of compile / fit / evaluate / predict: each names what was received and what was expected.

Shape and count errors are raised while the first batch is traced, so `evaluate` shows them on every backend,
the numpy one included; `fit` raises the same ones on the training engines.
"""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers

X = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")


def _two_outputs():
    inputs = layers.Input((4,), name="features")
    return kerasx.Model(inputs, [layers.Dense(2, name="first")(inputs), layers.Dense(1, name="second")(inputs)])


def _one_output(units=2):
    inputs = layers.Input((4,))
    return kerasx.Model(inputs, layers.Dense(units)(inputs))


TARGETS = [np.zeros((8, 2), "float32"), np.zeros((8, 1), "float32")]


def _run(model, method, x, y):
    if method == "fit":
        if not support.TRAINS:
            pytest.skip("the numpy backend is inference only")
        return model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    return model.evaluate(x, y, batch_size=4, verbose=0)


METHODS = ["evaluate", "fit"]


@pytest.mark.parametrize("method", METHODS)
def test_more_losses_than_outputs(method):
    model = _two_outputs()
    model.compile(optimizer="sgd", loss=["mse", "mse", "mse"])
    with pytest.raises(ValueError, match=r"`loss` has 3 entries but the model has 2 outputs \(\['first', 'second'\]\)"):
        _run(model, method, X, TARGETS)


@pytest.mark.parametrize("method", METHODS)
def test_loss_dict_key_that_is_no_output(method):
    model = _two_outputs()
    model.compile(optimizer="sgd", loss={"first": "mse", "third": "mse"})
    with pytest.raises(ValueError, match=r"`loss` has keys \['third'\] that are not output names"):
        _run(model, method, X, TARGETS)


@pytest.mark.parametrize("method", METHODS)
def test_fewer_targets_than_outputs(method):
    model = _two_outputs()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"The model has 2 outputs \(\['first', 'second'\]\) but 1 targets were given"):
        _run(model, method, X, TARGETS[:1])


@pytest.mark.parametrize("method", METHODS)
def test_target_dict_missing_an_output(method):
    model = _two_outputs()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"keys \['second'\] are missing"):
        _run(model, method, X, {"first": TARGETS[0]})


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "loss, target, message",
    [
        pytest.param("mse", np.zeros((8, 3), "float32"),
                     r"`mean_squared_error`: `y_true` and `y_pred` have incompatible shapes. "
                     r"Received: y_true.shape=\(\w+, 3\), y_pred.shape=\(\w+, 2\)", id="mse-wide"),
        pytest.param("mse", np.zeros((8,), "float32"), r"incompatible shapes. Received: y_true.shape=\(\w+,\)",
                     id="mse-flat"),
        pytest.param("sparse_categorical_crossentropy", np.zeros((8, 3), "int32"),
                     r"`sparse_categorical_crossentropy`: `target` must have the shape of `output` without the class "
                     r"axis", id="sparse_categorical_crossentropy-one_hot"),
    ],
)
def test_wrong_target_shape(method, loss, target, message):
    model = _one_output()
    model.compile(optimizer="sgd", loss=loss)
    with pytest.raises(ValueError, match=message):
        _run(model, method, X, target)


def test_unknown_loss_and_optimizer_names_fail_in_compile():
    model = _one_output()
    with pytest.raises(ValueError, match=r"Could not interpret loss identifier: 'mean_squared_eror'"):
        model.compile(optimizer="sgd", loss="mean_squared_eror")
    with pytest.raises(ValueError, match=r"Could not interpret loss identifier: 'nope'"):
        model.compile(optimizer="sgd", loss={"dense": "mse", "other": "nope"})
    with pytest.raises(ValueError, match=r"Could not interpret optimizer identifier: 'adamm'.*Adam"):
        model.compile(optimizer="adamm", loss="mse")
    assert not model.compiled


def test_fit_on_the_numpy_backend_explains_inference_only():
    if support.TRAINS:
        pytest.skip("only the numpy backend is inference only")
    model = _one_output()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(RuntimeError, match=r"The numpy backend is for inference only.*KERAS_BACKEND=jax"):
        model.fit(X, np.zeros((8, 2), "float32"), verbose=0)
    with pytest.raises(RuntimeError, match=r"The numpy backend is for inference only"):
        model.train_on_batch(X, np.zeros((8, 2), "float32"))
    # Inference still works there.
    assert model.predict(X, verbose=0).shape == (8, 2)


def test_data_errors():
    model = _one_output()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"same number of samples.*Received: \[6, 8\]"):
        model.evaluate(X, np.zeros((6, 2), "float32"), verbose=0)
    with pytest.raises(TypeError, match=r"Unrecognized data type for evaluate. Received: x of type str"):
        model.evaluate("data.csv", verbose=0)

    def batches():
        yield X, np.zeros((8, 2), "float32")

    with pytest.raises(ValueError, match=r"`y` is only supported with array inputs; with a generator"):
        model.evaluate(batches(), np.zeros((8, 2), "float32"), verbose=0)

    def four_tuples():
        yield X, X, X, X

    with pytest.raises(ValueError, match=r"A batch must be `x`, `\(x,\)`, `\(x, y\)` or `\(x, y, sample_weight\)`"):
        model.evaluate(four_tuples(), verbose=0)


@support.needs_gradients
def test_fit_argument_errors():
    model = _one_output(units=3)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1], "int32")
    message = r"validation_split must be a float in \[0, 1\). Received: validation_split=1.5"
    with pytest.raises(ValueError, match=message):
        model.fit(X, labels, validation_split=1.5, verbose=0)
    with pytest.raises(ValueError, match=r"class_weight has no entry for classes \[2\]"):
        model.fit(X, labels, class_weight={0: 1.0, 1: 2.0}, verbose=0)
    with pytest.raises(RuntimeError, match=r"must call `compile\(\)` before `fit\(\)`"):
        _one_output().fit(X, labels, verbose=0)
