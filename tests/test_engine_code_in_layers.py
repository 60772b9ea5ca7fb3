"""Engine code inside layers, as Keras 3 allows on its own engine: a `call` written with `tf.*`, `torch.*` or `jnp.*`
(and tensor methods) builds functional models with the batch axis unknown, sublayers built while that code is traced
hold real weights, and layers that update a metric or add a loss in `call` build and train with `fit`. Each program
runs with `keras` (the oracle) and `kerasx` on the same engine, from the same weights and data."""

import numpy as np
import pytest

import kerasx
import support
from kerasx.layers import _placeholder_call

keras = pytest.importorskip("keras")
BACKEND = kerasx.backend.backend()
TRAINS = pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend does not train")


def _engine():
    """The selected engine's own spelling of a few ops, as a user of that engine writes them."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return {
            "pairs": lambda x: tf.reshape(x, (tf.shape(x)[0], -1, 2)) * 2.0,
            "flatten": lambda x: tf.reshape(x, (-1, 8)),
            "relu": tf.nn.relu,
            "matmul": lambda x, kernel: tf.matmul(x, kernel),
            "row_mean": lambda x: tf.reduce_mean(x, axis=-1, keepdims=True),
        }
    if BACKEND == "torch":
        import torch

        return {
            "pairs": lambda x: x.view(x.shape[0], -1, 2) * 2.0,  # a tensor method: AttributeError on a KerasTensor
            "flatten": lambda x: torch.reshape(x, (x.shape[0], -1)),
            "relu": torch.relu,
            "matmul": lambda x, kernel: torch.matmul(x, kernel),
            "row_mean": lambda x: torch.mean(x, dim=-1, keepdim=True),
        }
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        return {
            "pairs": lambda x: jnp.reshape(x, (x.shape[0], -1, 2)) * 2.0,
            "flatten": lambda x: jnp.reshape(x, (x.shape[0], -1)),
            "relu": jax.nn.relu,
            # `.value`: Keras's jax Variable is refused by jitted jax functions (kerasx's is accepted).
            "matmul": lambda x, kernel: jnp.matmul(x, kernel.value),
            "row_mean": lambda x: jnp.mean(x, axis=-1, keepdims=True),
        }
    return {
        "pairs": lambda x: np.reshape(x, (x.shape[0], -1, 2)) * 2.0,
        "flatten": lambda x: np.reshape(x, (x.shape[0], -1)),
        "relu": lambda x: np.maximum(x, 0.0),
        "matmul": lambda x, kernel: np.matmul(x, np.asarray(kernel)),
        "row_mean": lambda x: np.mean(x, axis=-1, keepdims=True),
    }


ENGINE = _engine()


def _seeded(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([(rng.normal(size=w.shape) * 0.3).astype(w.dtype) for w in model.get_weights()])


def _data(seed=1, shape=(16, 2, 4)):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape).astype("float32")
    return x, x.reshape(shape[0], -1)[:, :3].sum(axis=-1, keepdims=True).repeat(3, axis=1)


def test_engine_ops_in_call_give_the_output_spec_keras_gives():
    results = []
    for lib in (keras, kerasx):

        class Pairs(lib.layers.Layer):
            def call(self, x):
                return ENGINE["pairs"](x)

        inputs = lib.Input((6,))
        outputs = Pairs()(inputs)
        model = lib.Model(inputs, outputs)
        x = np.arange(18, dtype="float32").reshape(3, 6)
        results.append((tuple(outputs.shape), outputs.dtype, support.to_numpy(model(x))))
    (shape, dtype, values), (keras_shape, keras_dtype, keras_values) = results[1], results[0]
    assert shape == keras_shape and shape[0] is None and shape[-1] == 2
    assert dtype == keras_dtype == "float32"
    support.assert_close(values, np.arange(18, dtype="float32").reshape(3, 3, 2) * 2.0)
    support.assert_close(values, keras_values)


def _engine_dense_model(lib):
    class EngineDense(lib.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 3), initializer="ones", name="kernel")

        def call(self, x):
            return ENGINE["relu"](ENGINE["matmul"](x, self.kernel))

    inputs = lib.Input((8,))
    model = lib.Model(inputs, lib.layers.Dense(3)(EngineDense()(inputs)))
    _seeded(model)
    return model


def test_a_layer_with_weights_and_engine_ops_computes_as_in_keras():
    x = _data(shape=(16, 8))[0]
    model = _engine_dense_model(kerasx)
    assert model.output.shape == (None, 3) and [tuple(w.shape) for w in model.weights] == [(8, 3), (3, 3), (3,)]
    kernel, dense_kernel, dense_bias = (support.to_numpy(w) for w in model.weights)
    support.assert_close(model(x), np.maximum(x @ kernel, 0) @ dense_kernel + dense_bias, rtol=1e-5, atol=1e-5)
    support.assert_close(model(x), support.to_numpy(_engine_dense_model(keras)(x)), rtol=1e-5, atol=1e-5)


@TRAINS
def test_a_layer_with_weights_and_engine_ops_trains_as_in_keras():
    x, y = _data(shape=(16, 8))
    histories = []
    for lib in (keras, kerasx):
        model = _engine_dense_model(lib)
        model.compile(optimizer=lib.optimizers.SGD(0.01), loss="mse")
        histories.append(model.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False).history["loss"])
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-4, atol=1e-6)
    assert histories[1][-1] < histories[1][0]


def _block_model(lib):
    """Engine ops run before a sublayer that is not built yet: it is built while `call` is traced."""

    class Block(lib.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(3)

        def call(self, x):
            return self.dense(ENGINE["flatten"](ENGINE["relu"](x)))

    inputs = lib.Input((2, 4))
    block = Block()
    model = lib.Model(inputs, block(inputs))
    return model, block


def test_a_sublayer_built_while_call_is_traced_holds_real_weights():
    model, block = _block_model(kerasx)
    assert model.output.shape == (None, 3) and block.dense.built
    kernel, bias = (support.to_numpy(w) for w in block.dense.weights)  # concrete values, not trace placeholders
    assert kernel.shape == (8, 3) and np.all(np.isfinite(kernel)) and np.any(kernel != 0)
    x = _data()[0]
    support.assert_close(model(x), np.maximum(x, 0).reshape(16, 8) @ kernel + bias, rtol=1e-5, atol=1e-5)


@TRAINS
def test_a_sublayer_built_while_call_is_traced_trains_as_in_keras():
    x, y = _data()
    histories = []
    for lib in (keras, kerasx):
        model = _block_model(lib)[0]
        _seeded(model)
        model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse")
        histories.append(model.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False).history["loss"])
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-4, atol=1e-6)


def _metric_model(lib):
    class TrackMean(lib.layers.Layer):
        def __init__(self):
            super().__init__()
            self.tracker = lib.metrics.Mean(name="activation_mean")

        def call(self, x):
            self.tracker.update_state(ENGINE["row_mean"](x))
            return x

    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(3)(inputs)
    model = lib.Model(inputs, lib.layers.Dense(1)(TrackMean()(hidden)))
    _seeded(model)
    model.compile(optimizer=lib.optimizers.SGD(0.01), loss="mse")
    return model


@TRAINS
def test_a_layer_updating_a_metric_builds_and_reports_it_in_fit():
    x = np.random.default_rng(3).normal(size=(16, 4)).astype("float32")
    y = x[:, :1] * 2.0
    model = _metric_model(kerasx)
    assert [m.name for m in model.metrics] == ["loss", "activation_mean"]
    kernel, bias = (support.to_numpy(w) for w in model.layers[1].weights)
    logs = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    # Equal batches: the mean of the per-batch means is the mean over all samples of the first Dense's output.
    support.assert_close(logs["activation_mean"], np.mean(x @ kernel + bias), rtol=1e-5, atol=1e-6)
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False).history
    assert sorted(history) == ["activation_mean", "loss"] and history["loss"][-1] < history["loss"][0]
    if BACKEND != "jax":  # Keras on jax cannot run this program (its step refuses the layer's metric)
        expected = _metric_model(keras).fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False).history
        assert sorted(expected) == sorted(history)
        for key in expected:
            np.testing.assert_allclose(history[key], expected[key], rtol=1e-4, atol=1e-6)


def _loss_model(lib):
    class ActivityPenalty(lib.layers.Layer):
        def call(self, x):
            self.add_loss(0.1 * lib.ops.mean(ENGINE["row_mean"](x) ** 2))
            return ENGINE["relu"](x)

    inputs = lib.Input((4,))
    model = lib.Model(inputs, lib.layers.Dense(1)(ActivityPenalty()(lib.layers.Dense(3)(inputs))))
    _seeded(model)
    model.compile(optimizer=lib.optimizers.SGD(0.01), loss="mse")
    return model


def test_a_layer_adding_a_loss_keeps_no_placeholder_loss_and_counts_its_real_one():
    x = np.random.default_rng(4).normal(size=(8, 4)).astype("float32")
    model = _loss_model(kerasx)
    assert model.losses == []
    model(x)
    kernel, bias = (support.to_numpy(w) for w in model.layers[1].weights)
    hidden = x @ kernel + bias
    assert len(model.losses) == 1
    support.assert_close(model.losses[0], 0.1 * np.mean(hidden.mean(axis=-1) ** 2), rtol=1e-5, atol=1e-7)


@TRAINS
def test_a_layer_adding_a_loss_trains_as_in_keras():
    x = np.random.default_rng(4).normal(size=(16, 4)).astype("float32")
    y = x[:, :1] - x[:, 1:2]
    histories = [
        _loss_model(lib).fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False).history["loss"]
        for lib in (keras, kerasx)
    ]
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-4, atol=1e-6)


def test_a_call_that_fails_on_engine_tensors_too_says_how_to_fix_it():
    class Broken(kerasx.layers.Layer):
        def call(self, x):
            return ENGINE["matmul"](x, kerasx.Variable(np.ones((5, 2), "float32")))  # 4 features, not 5

    with pytest.raises(TypeError) as info:
        Broken(name="broken")(kerasx.Input((4,)))
    message = str(info.value)
    assert f"Layer 'broken' (Broken) could not compute its outputs for symbolic inputs of shapes (None, 4) " \
        f"(backend: {BACKEND})" in message
    assert "kerasx's symbolic call raised the error above" in message and "on {} placeholders raised".format(
        BACKEND
    ) in message
    assert "implement `compute_output_shape`" in message
    assert "compute_output_shape" in _placeholder_call.CANNOT_TRACE


def test_a_failing_sublayer_is_explained_once():
    class Broken(kerasx.layers.Layer):
        def call(self, x):
            return ENGINE["matmul"](x, kerasx.Variable(np.ones((5, 2), "float32")))

    class Outer(kerasx.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Broken(name="inner")

        def call(self, x):
            return self.inner(x)

    with pytest.raises(TypeError) as info:
        Outer()(kerasx.Input((4,)))
    assert str(info.value).count("could not compute its outputs") == 1 and "Layer 'inner'" in str(info.value)


def test_compute_output_shape_makes_an_untraceable_call_usable():
    class OnlyEager(kerasx.layers.Layer):
        def call(self, x):
            return ENGINE["row_mean"](np.asarray(x) if BACKEND == "numpy" else x) + float(
                np.asarray(support.to_numpy(x)).sum() * 0.0
            )

        def compute_output_shape(self, input_shape):
            return input_shape[:-1] + (1,)

    inputs = kerasx.Input((4,))
    model = kerasx.Model(inputs, OnlyEager()(inputs))
    assert model.output.shape == (None, 1)
    x = np.arange(8, dtype="float32").reshape(2, 4)
    support.assert_close(model(x), x.mean(axis=-1, keepdims=True))
