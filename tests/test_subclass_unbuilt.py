"""Models that have never been called train and run like Keras 3's: a subclassed model (layers created in
`__init__`, a `call`) and a Sequential model without an input shape are built from the first batch, then the
optimizer, by `fit`, `evaluate`, `predict` and the `*_on_batch` methods, on every engine.

Both libraries build the same weights because every kernel comes from a deterministic initializer of its shape;
the results are compared with Keras 3.15.1 (1e-5).
"""

import numpy as np
import pytest

import kerasx
from kerasx import ops

BACKEND = kerasx.backend.backend()
TOLERANCE = 1e-5

if BACKEND == "numpy":
    pytest.skip("the numpy backend is inference only", allow_module_level=True)


def _initializer(shape, dtype=None):
    rng = np.random.default_rng(int(np.prod(shape)) * 3 + len(shape))
    return (rng.normal(size=shape) * 0.3).astype("float32")


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((40, 4)).astype("float32")
    y = rng.random((40, 1)).astype("float32")
    return x, y


def subclassed(lib, initializer=_initializer):
    class TwoLayers(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = lib.layers.Dense(8, activation="relu", kernel_initializer=initializer)
            self.head = lib.layers.Dense(1, kernel_initializer=initializer)

        def call(self, inputs):
            return self.head(self.hidden(inputs))

    return TwoLayers()


def sequential(lib, initializer=_initializer):
    return lib.Sequential([
        lib.layers.Dense(8, activation="relu", kernel_initializer=initializer),
        lib.layers.Dense(1, kernel_initializer=initializer),
    ])


def with_add_loss(lib):
    """A subclassed model whose only loss is the one its `call` adds."""

    class Penalized(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = lib.layers.Dense(2, kernel_initializer=_initializer)

        def call(self, inputs):
            outputs = self.dense(inputs)
            self.add_loss(lib.ops.mean(lib.ops.square(outputs - 0.5)))
            return outputs

    return Penalized()


MODELS = {"subclassed": subclassed, "sequential": sequential}


def _numbers(value):
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_numbers(item) for item in value]
    return np.asarray(value, dtype=np.float64)


def assert_same(actual, expected, what):
    if isinstance(expected, dict):
        assert list(actual) == list(expected), f"{what}: keys {list(actual)} != Keras {list(expected)}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{what}[{key!r}]")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{what}: {len(actual)} entries != Keras {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{what}[{index}]")
    else:
        np.testing.assert_allclose(actual, expected, rtol=TOLERANCE, atol=TOLERANCE, err_msg=what)


def fit_program(lib, make, **options):
    x, y = _data()
    model = make(lib, **options)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return model, {
        "history": history.history,
        "weights": model.get_weights(),
        "predict": model.predict(x, verbose=0),
        "evaluate": model.evaluate(x, y, verbose=0),
    }


def on_batch_program(lib, make):
    x, y = _data()
    model = make(lib)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    first = model.train_on_batch(x, y, return_dict=True)
    second = model.train_on_batch(x, y)
    return {
        "train_on_batch": [first, second],
        "test_on_batch": model.test_on_batch(x, y),
        "weights": model.get_weights(),
    }


def one_method(lib, make, method):
    """Only `method` on a never-called model."""
    x, y = _data()
    model = make(lib)
    model.compile(optimizer="adam", loss="mse")
    if method == "evaluate":
        return model.evaluate(x, y, verbose=0)
    if method == "predict":
        return model.predict(x, verbose=0)
    if method == "predict_on_batch":
        return model.predict_on_batch(x)
    if method == "test_on_batch":
        return model.test_on_batch(x, y)
    return model.train_on_batch(x, y)


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("kind", MODELS)
def test_fit_of_a_never_called_model_equals_keras(kind, keras):
    _, expected = fit_program(keras, MODELS[kind])
    model, actual = fit_program(kerasx, MODELS[kind])
    assert_same(_numbers(actual), _numbers(expected), kind)
    assert model.built and model.optimizer.built
    # Every variable is trained: the optimizer was built for the model's variables, not for an empty list.
    assert len(model.optimizer.variables) == len(keras_optimizer_variables(keras, kind))
    assert actual["history"]["loss"][-1] < actual["history"]["loss"][0]


def keras_optimizer_variables(keras, kind):
    x, y = _data()
    model = MODELS[kind](keras)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x[:16], y[:16], verbose=0)
    return model.optimizer.variables


@pytest.mark.parametrize("kind", MODELS)
def test_on_batch_methods_of_a_never_called_model_equal_keras(kind, keras):
    expected = on_batch_program(keras, MODELS[kind])
    actual = on_batch_program(kerasx, MODELS[kind])
    assert_same(_numbers(actual), _numbers(expected), kind)


@pytest.mark.parametrize("method", ["evaluate", "predict", "predict_on_batch", "test_on_batch", "train_on_batch"])
@pytest.mark.parametrize("kind", MODELS)
def test_each_method_alone_on_a_never_called_model(kind, method, keras):
    expected = one_method(keras, MODELS[kind], method)
    actual = one_method(kerasx, MODELS[kind], method)
    assert_same(_numbers(actual), _numbers(expected), f"{kind}.{method}")


def test_add_loss_of_a_never_called_subclassed_model_equals_keras(keras):
    x, _ = _data()
    results = []
    for lib in (keras, kerasx):
        model = with_add_loss(lib)
        model.compile(optimizer="sgd")
        history = model.fit(x, epochs=3, batch_size=16, shuffle=False, verbose=0)
        results.append({"history": history.history, "weights": model.get_weights()})
    assert_same(_numbers(results[1]), _numbers(results[0]), "add_loss")


@pytest.mark.parametrize("kind", MODELS)
def test_save_after_training_a_never_called_model(kind, tmp_path):
    x, y = _data()
    # Built-in initializers: the file then names nothing but the subclass.
    model, result = fit_program(kerasx, MODELS[kind], initializer="glorot_uniform")
    path = tmp_path / f"{kind}.keras"
    model.save(path)
    loaded = kerasx.saving.load_model(path, custom_objects={type(model).__name__: type(model)})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), result["predict"], rtol=1e-6, atol=1e-6)
    # The optimizer state came along: one more step from the loaded model equals one from the original.
    np.testing.assert_allclose(loaded.train_on_batch(x, y), model.train_on_batch(x, y), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("kind", MODELS)
def test_save_and_load_a_never_called_model(kind, tmp_path):
    """As in Keras: the file holds no weights, the loaded model is unbuilt too and builds (here to the same
    weights, from the same initializer) and trains from its first batch."""
    x, y = _data()
    model = MODELS[kind](kerasx, initializer="ones")
    model.compile(optimizer="adam", loss="mse")
    path = tmp_path / f"{kind}.keras"
    model.save(path)
    loaded = kerasx.saving.load_model(path, custom_objects={type(model).__name__: type(model)})
    assert not loaded.built
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    history = loaded.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_a_call_that_cannot_run_symbolically_builds_eagerly():
    """A `call` reading values on the host has no symbolic form: the model is built by one eager call instead."""

    class HostSide(kerasx.Model):
        def __init__(self):
            super().__init__()
            self.dense = kerasx.layers.Dense(1, kernel_initializer=_initializer)

        def call(self, inputs):
            scale = 2.0 if float(ops.convert_to_numpy(ops.max(inputs))) > 10.0 else 1.0
            return self.dense(inputs) * scale

    x, y = _data()
    model = HostSide()
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    assert model.built and len(model.trainable_variables) == 2
    assert history.history["loss"][-1] < history.history["loss"][0]
