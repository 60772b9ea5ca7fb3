"""compile / fit / evaluate / predict on every training engine (the numpy backend refuses to train)."""

import numpy as np
import pytest

import kerasx
from kerasx import layers, ops
import support

needs_gradients = support.needs_gradients


def _data(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int32")
    return x, y


def _mlp(units=3):
    inputs = layers.Input((6,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    return kerasx.Model(inputs, layers.Dense(units, activation="softmax")(hidden))


@needs_gradients
def test_fit_lowers_the_loss_and_reports_history():
    x, y = _data()
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=6, verbose=0, validation_split=0.25)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    losses = history.history["loss"]
    assert len(losses) == 6 and losses[-1] < losses[0] * 0.9
    loss, accuracy = model.evaluate(x, y, verbose=0)
    logits = model.predict(x, verbose=0)
    expected = -np.mean(np.log(logits[np.arange(len(y)), y]))
    np.testing.assert_allclose(loss, expected, rtol=1e-4)
    np.testing.assert_allclose(accuracy, np.mean(np.argmax(logits, -1) == y), rtol=1e-6)


@needs_gradients
def test_sgd_step_matches_numpy():
    """One full-batch SGD step through fit equals W - lr * dL/dW computed by hand."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    model = kerasx.Sequential([layers.Input((3,)), layers.Dense(2)])
    kernel, bias = [w.copy() for w in model.get_weights()]
    model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=0.1), loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    error = x @ kernel + bias - y
    grad_kernel = x.T @ (2 * error / error.size)
    grad_bias = (2 * error / error.size).sum(0)
    new_kernel, new_bias = model.get_weights()
    np.testing.assert_allclose(new_kernel, kernel - 0.1 * grad_kernel, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new_bias, bias - 0.1 * grad_bias, rtol=1e-5, atol=1e-6)


@needs_gradients
def test_two_outputs_with_loss_weights_and_dict_losses():
    x, y = _data()
    inputs = layers.Input((6,), name="features")
    hidden = layers.Dense(8, activation="relu")(inputs)
    main = layers.Dense(1, activation="sigmoid", name="main_output")(hidden)
    aux = layers.Dense(1, activation="sigmoid", name="aux_output")(inputs)
    model = kerasx.Model(inputs, [main, aux])
    labels = y.reshape(-1, 1).astype("float32")
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2])
    logs = model.evaluate(x, [labels, labels], verbose=0, return_dict=True)
    main_pred, aux_pred = model.predict(x, verbose=0)

    def bce(p):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))

    np.testing.assert_allclose(logs["main_output_loss"], bce(main_pred), rtol=1e-4)
    np.testing.assert_allclose(logs["aux_output_loss"], bce(aux_pred), rtol=1e-4)
    np.testing.assert_allclose(logs["loss"], bce(main_pred) + 0.2 * bce(aux_pred), rtol=1e-4)
    model.compile(
        optimizer="rmsprop",
        loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
        loss_weights={"main_output": 1.0, "aux_output": 0.2},
    )
    history = model.fit({"features": x}, {"main_output": labels, "aux_output": labels}, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@needs_gradients
def test_custom_train_step_written_once():
    class HalfStep(kerasx.Model):
        def train_step(self, data):
            x, y = data[0], data[1]

            def loss_fn():
                y_pred = self(x, training=True)
                return ops.mean(ops.square(y_pred - y)), y_pred

            loss, _, grads = self.compute_gradients(loss_fn, self.trainable_variables)
            self.optimizer.apply([g * 0.5 for g in grads], self.trainable_variables)
            return {"half_loss": loss}

    rng = np.random.default_rng(2)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")
    inputs = layers.Input((3,))
    model = HalfStep(inputs, layers.Dense(1)(inputs))
    kernel, bias = [w.copy() for w in model.get_weights()]
    model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=0.2))
    logs = model.train_on_batch(x, y, return_dict=True)
    error = x @ kernel + bias - y
    np.testing.assert_allclose(logs["half_loss"], np.mean(error**2), rtol=1e-5)
    grad_kernel = x.T @ (2 * error / error.size)
    np.testing.assert_allclose(model.get_weights()[0], kernel - 0.2 * 0.5 * grad_kernel, rtol=1e-5, atol=1e-6)


def test_predict_matches_direct_call_and_batches():
    x, _ = _data(n=50)
    model = _mlp()
    direct = support.to_numpy(model(x))
    np.testing.assert_allclose(model.predict(x, batch_size=7, verbose=0), direct, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(model.predict_on_batch(x[:3]), direct[:3], rtol=1e-6, atol=1e-7)


def test_errors_name_the_problem():
    x, y = _data(n=8)
    model = _mlp()
    with pytest.raises(RuntimeError, match="must call `compile\\(\\)` before `fit\\(\\)`"):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 'not_a_loss'"):
        model.compile(optimizer="sgd", loss="not_a_loss")
        model.evaluate(x, y, verbose=0)
    with pytest.raises(TypeError, match="unexpected keyword arguments \\['epochz'\\]"):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, epochz=3, verbose=0)


def test_numpy_backend_refuses_to_train():
    if support.TRAINS:
        pytest.skip("only the numpy backend refuses")
    x, y = _data(n=8)
    model = _mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(RuntimeError, match="inference only"):
        model.fit(x, y, verbose=0)


def test_predict_with_changing_batch_sizes_matches_direct_calls():
    # On TensorFlow the compiled predict step retraces with an unknown batch size: Flatten, Reshape and the
    # LSTM's zero states must then work from run-time shapes.
    image = kerasx.Sequential(
        [kerasx.Input((6, 6, 1)), layers.Conv2D(2, 3), layers.Flatten(), layers.Reshape((-1, 4)), layers.Flatten(),
         layers.Dense(3)]
    )
    sequence = kerasx.Sequential([kerasx.Input((5,)), layers.Embedding(10, 3), layers.LSTM(4), layers.Dense(1)])
    rng = np.random.default_rng(0)
    for size in (1, 5, 7):
        x = rng.random((size, 6, 6, 1), dtype=np.float32)
        support.assert_close(image.predict(x, verbose=0), support.to_numpy(image(x)), rtol=1e-5, atol=1e-6)
        tokens = rng.integers(0, 10, (size, 5)).astype("int32")
        expected = support.to_numpy(sequence(tokens))
        support.assert_close(sequence.predict(tokens, verbose=0), expected, rtol=1e-5, atol=1e-6)


def _conv_model():
    inputs = layers.Input((8, 8, 1))
    features = layers.Flatten()(layers.Conv2D(2, 3)(inputs))
    return kerasx.Model(inputs, layers.Dense(2)(features))


# What jit_compile="auto" resolves to on a CPU-only machine, per engine: (MLP, model with a convolution).
_AUTO_JIT_ON_CPU = {"jax": (True, True), "tensorflow": (True, False), "torch": (False, False), "numpy": (False, False)}


def test_auto_jit_compile_resolves_per_engine_and_model(tmp_path):
    expected = _AUTO_JIT_ON_CPU[kerasx.backend.backend()]
    if kerasx.backend.backend() == "tensorflow":
        import tensorflow as tf

        if any(d.device_type != "CPU" for d in tf.config.list_physical_devices()):
            expected = (True, True)
    resolved = []
    for model in (_mlp(), _conv_model()):
        model.compile(optimizer="sgd", loss="mse")
        resolved.append(model.jit_compile)
    assert tuple(resolved) == expected
    explicit = _mlp()
    explicit.compile(optimizer="sgd", loss="mse", jit_compile=False)
    assert explicit.jit_compile is False
    # The file keeps "auto", so the loading engine makes its own choice.
    model = _conv_model()
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "conv.keras")
    reloaded = kerasx.saving.load_model(tmp_path / "conv.keras")
    assert reloaded.jit_compile == expected[1]
    assert model.loss == "mse"
