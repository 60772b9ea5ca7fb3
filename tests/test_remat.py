"""Rematerialization: `kerasx.remat(f)` gives f's values and gradients while the engine recomputes f in the backward
pass; `RematScope` picks the same layers as Keras 3's for each mode, and training under it is the training without
it, step for step (dropout masks, batch statistics and losses included)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import kerasx
from kerasx.backend import _remat
from kerasx.layers import _remat_call

keras = pytest.importorskip("keras")
keras_remat = pytest.importorskip("keras.src.backend.common.remat")  # the oracle's hook, to see what it picks

BACKEND = kerasx.config.backend()
TRAINS = BACKEND != "numpy"


def _cubic_sum(calls):
    def f(x):
        calls.append(1)
        return kerasx.ops.sum(x * x * x)

    return f


@pytest.mark.skipif(not TRAINS, reason="the numpy backend computes no gradients")
def test_remat_keeps_values_and_gradients():
    x = kerasx.ops.convert_to_tensor(np.array([1.0, 2.0, -3.0], "float32"))
    plain_calls, remat_calls = [], []
    plain = kerasx.backend.value_and_grad(lambda params: _cubic_sum(plain_calls)(params[0]))
    rematerialized = kerasx.backend.value_and_grad(lambda params: kerasx.remat(_cubic_sum(remat_calls))(params[0]))
    (value, _), (remat_value, (remat_grad,)) = plain([x]), rematerialized([x])
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(remat_value), kerasx.ops.convert_to_numpy(value))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(remat_grad), [3.0, 12.0, 27.0], rtol=1e-6)
    if BACKEND in ("torch", "tensorflow"):
        # The backward pass ran f again (jax recomputes from the traced jaxpr instead, without calling Python).
        assert len(remat_calls) == 2 * len(plain_calls)


@pytest.mark.skipif(BACKEND != "jax", reason="the checkpoint is visible in jax's trace")
def test_remat_is_a_jax_checkpoint():
    jax = pytest.importorskip("jax")
    jaxpr = jax.make_jaxpr(jax.grad(kerasx.remat(lambda x: (x * x * x).sum())))(np.ones(3, "float32"))
    assert "checkpoint" in str(jaxpr) or "remat" in str(jaxpr)


@pytest.mark.skipif(BACKEND != "numpy", reason="only the numpy backend has nothing to rematerialize")
def test_remat_on_numpy_runs_the_function_and_warns():
    with pytest.warns(UserWarning, match="inference only"):
        f = kerasx.remat(lambda x: x + 1)
    assert f(1) == 2


def test_remat_scope_refuses_an_unknown_mode_as_keras():
    with pytest.raises(ValueError):
        keras.RematScope(mode="some")
    with pytest.raises(ValueError, match=r"Received: mode='some'"):
        kerasx.RematScope(mode="some")


MODES = [("full", {}), ("list_of_layers", {"layer_names": ["big"]}), ("larger_than", {"output_size_threshold": 100}),
         ("activations", {}), (None, {})]


def _picked(lib, mode, keywords, monkeypatch):
    picked = []
    if lib is keras:
        original = keras_remat.remat

        def recording(f):
            owner = getattr(f, "__self__", None)
            picked.append(owner.name if owner is not None else f.__name__)
            return original(f)

        monkeypatch.setattr(keras_remat, "remat", recording)
    else:
        stateful, activation = _remat_call._stateful_remat, _remat_call._with_rematerialized_activation

        def recording_layer(layer, call, *args, **kwargs):
            picked.append(layer.name)
            return stateful(layer, call, *args, **kwargs)

        def recording_activation(layer, call):
            if getattr(layer, "activation", None) is not None:
                picked.append(layer.activation.__name__)
            return activation(layer, call)

        monkeypatch.setattr(_remat_call, "_stateful_remat", recording_layer)
        monkeypatch.setattr(_remat_call, "_with_rematerialized_activation", recording_activation)
    with lib.RematScope(mode=mode, **keywords):
        model = lib.Sequential([
            lib.Input((8,)), lib.layers.Dense(64, activation="relu", name="big"), lib.layers.Dense(4, name="small"),
        ], name="sequential")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the numpy backend warns that it rematerializes nothing
        model(np.ones((4, 8), "float32"))
    return picked


@pytest.mark.parametrize(("mode", "keywords"), MODES, ids=[str(m) for m, _ in MODES])
def test_remat_scope_picks_the_layers_keras_picks(mode, keywords, monkeypatch):
    ours = _picked(kerasx, mode, keywords, monkeypatch)
    monkeypatch.undo()
    assert ours == _picked(keras, mode, keywords, monkeypatch)


def test_a_layer_keeps_the_scope_of_its_creation():
    with kerasx.RematScope(mode="full"):
        inside = kerasx.layers.Dense(2)
        with kerasx.RematScope(mode=None):
            switched_off = kerasx.layers.Dense(2)
    assert inside._remat_mode.mode == "full" and switched_off._remat_mode is None
    assert kerasx.layers.Dense(2)._remat_mode is None


def _trained(remat_mode, extra):
    with kerasx.RematScope(mode=remat_mode):
        stack = [kerasx.Input((8,)), kerasx.layers.Dense(16, activation="relu", kernel_initializer="glorot_uniform")]
        if extra == "dropout":
            stack.append(kerasx.layers.Dropout(0.5, seed=3))
        if extra == "batch_norm":
            stack.append(kerasx.layers.BatchNormalization())
        if extra == "activity_loss":
            stack.append(kerasx.layers.Dense(8, activity_regularizer="l2"))
        stack.append(kerasx.layers.Dense(1))
        model = kerasx.Sequential(stack)
    return model


@pytest.mark.skipif(not TRAINS, reason="the numpy backend does not train")
@pytest.mark.parametrize("extra", ["plain", "dropout", "batch_norm", "activity_loss"])
def test_training_under_remat_scope_is_training_without_it(extra):
    rng = np.random.RandomState(0)
    x = rng.rand(32, 8).astype("float32")
    _assert_same_fit(_trained(None, extra), _trained("full", extra), x, x.sum(axis=1, keepdims=True))


def _assert_same_fit(plain, rematerialized, x, y, optimizer="sgd", jit_compile="auto"):
    """Both models, from the same weights, fit the same batches to the same losses and weights."""
    initial = plain.get_weights()
    rematerialized.set_weights(initial)
    runs = []
    for model in (plain, rematerialized):
        model.compile(optimizer=optimizer, loss="mse", jit_compile=jit_compile)
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
        runs.append((history.history["loss"], model.get_weights()))
    (losses, weights), (remat_losses, remat_weights) = runs
    np.testing.assert_allclose(remat_losses, losses, rtol=1e-5)
    for remat_weight, weight in zip(remat_weights, weights):
        np.testing.assert_allclose(remat_weight, weight, rtol=1e-4, atol=1e-6)
    _assert_trained(initial, weights)


def _assert_trained(initial, weights):
    # Both runs are equal; this shows that they trained (a few noisy steps need not lower the loss).
    assert all(weight.shape == start.shape for weight, start in zip(weights, initial))
    assert any(np.abs(weight - start).max() > 1e-4 for weight, start in zip(weights, initial))


def test_current_mode_is_none_outside_and_in_a_disabled_scope():
    assert _remat.current_mode() is None
    with kerasx.RematScope(mode="full") as scope:
        assert _remat.current_mode() is scope
        with kerasx.RematScope(mode=None):
            assert _remat.current_mode() is None


def _two_layer_model(remat_mode, keywords):
    with kerasx.RematScope(mode=remat_mode, **keywords):
        return kerasx.Sequential([
            kerasx.Input((8,)), kerasx.layers.Dense(64, activation="tanh", name="big"), kerasx.layers.Dense(4, name="small"),
        ])


def _loss_and_gradients(model, x):
    def loss(params):
        outputs, _ = model.stateless_call(params, model.non_trainable_variables, x)
        return kerasx.ops.sum(outputs * outputs)

    value, grads = kerasx.backend.value_and_grad(loss)([v.value for v in model.trainable_variables])
    return kerasx.ops.convert_to_numpy(value), [kerasx.ops.convert_to_numpy(g) for g in grads]


@pytest.mark.skipif(not TRAINS, reason="the numpy backend computes no gradients")
@pytest.mark.parametrize(("mode", "keywords"), MODES[:-1], ids=[str(m) for m, _ in MODES[:-1]])
def test_every_mode_keeps_the_gradients(mode, keywords):
    x = kerasx.ops.convert_to_tensor(np.random.RandomState(1).rand(4, 8).astype("float32"))
    plain = _two_layer_model(None, {})
    rematerialized = _two_layer_model(mode, keywords)
    rematerialized.set_weights(plain.get_weights())
    value, grads = _loss_and_gradients(plain, x)
    remat_value, remat_grads = _loss_and_gradients(rematerialized, x)
    np.testing.assert_allclose(remat_value, value, rtol=1e-6)
    assert len(remat_grads) == len(grads) == 4
    for remat_grad, grad in zip(remat_grads, grads):
        np.testing.assert_allclose(remat_grad, grad, rtol=1e-5, atol=1e-7)
    assert all(np.abs(g).sum() > 0 for g in grads)


class _RematProjection(kerasx.layers.Layer):
    """Keras's documented use: a layer whose call runs a rematerialized function that reads the layer's kernel."""

    def __init__(self, rematerialize, **kwargs):
        super().__init__(**kwargs)
        self.rematerialize = rematerialize

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 4), initializer="glorot_uniform")

    def project(self, x):
        return kerasx.ops.tanh(kerasx.ops.matmul(x, self.kernel)) * 2.0

    def call(self, x):
        return kerasx.remat(self.project)(x) if self.rematerialize else self.project(x)


@pytest.mark.skipif(not TRAINS, reason="the numpy backend does not train")
@pytest.mark.parametrize("jit_compile", [False, "auto"])
def test_fit_with_remat_inside_a_layer_is_fit_without(jit_compile, monkeypatch):
    rng = np.random.RandomState(2)
    x, y = rng.rand(32, 8).astype("float32"), rng.rand(32, 1).astype("float32")
    engine_calls = []
    engine_remat = _remat.ACTIVE.core.remat

    def counting(f):
        engine_calls.append(f)
        return engine_remat(f)

    monkeypatch.setattr(_remat.ACTIVE.core, "remat", counting)

    def model(rematerialize):
        return kerasx.Sequential([kerasx.Input((8,)), _RematProjection(rematerialize), kerasx.layers.Dense(1)])

    _assert_same_fit(model(False), model(True), x, y, optimizer="adam", jit_compile=jit_compile)
    assert engine_calls, "the engine's remat never ran"


@pytest.mark.skipif(not TRAINS, reason="the numpy backend computes no gradients")
def test_remat_passes_non_tensor_arguments_unchanged():
    def f(x, scale, shift=False):
        y = x * x * scale
        return y + 1.0 if shift else y  # a Python branch on a Python argument, as layers do on `training`

    x = kerasx.ops.convert_to_tensor(np.array([1.0, 2.0], "float32"))
    for shift in (True, False):
        loss = kerasx.backend.value_and_grad(
            lambda p, shift=shift: kerasx.ops.sum(kerasx.remat(f)(p[0], 3.0, shift=shift))
        )
        value, (grad,) = loss([x])
        assert float(kerasx.ops.convert_to_numpy(value)) == (17.0 if shift else 15.0)
        np.testing.assert_allclose(kerasx.ops.convert_to_numpy(grad), [6.0, 12.0])


@pytest.mark.skipif(not TRAINS, reason="the numpy backend computes no gradients")
def test_remat_inside_stateless_call_differentiates_the_scope_values():
    # The kernel is a StatelessScope value that `project` closes over: tf.recompute_grad alone would give it no
    # gradient.
    x = np.random.RandomState(0).rand(4, 8).astype("float32")
    plain, rematerialized = (kerasx.Sequential([kerasx.Input((8,)), _RematProjection(r)]) for r in (False, True))
    rematerialized.set_weights(plain.get_weights())
    (value, (grad,)), (remat_value, (remat_grad,)) = _loss_and_gradients(plain, x), _loss_and_gradients(rematerialized, x)
    np.testing.assert_allclose(remat_value, value, rtol=1e-6)
    np.testing.assert_allclose(remat_grad, grad, rtol=1e-5, atol=1e-7)
    assert np.abs(grad).sum() > 0


class _RematBlock(kerasx.layers.Layer):
    """Dense then Dropout, run through `remat` by hand: the recomputation must draw the forward pass's mask."""

    def __init__(self, rematerialize, **kwargs):
        super().__init__(**kwargs)
        self.rematerialize = rematerialize
        self.dense = kerasx.layers.Dense(16, activation="relu")
        self.dropout = kerasx.layers.Dropout(0.5, seed=1)

    def block(self, x, training=None):
        return self.dropout(self.dense(x), training=training)

    def call(self, x, training=None):
        block = kerasx.remat(self.block) if self.rematerialize else self.block
        return block(x, training=training)


@pytest.mark.skipif(not TRAINS, reason="the numpy backend does not train")
@pytest.mark.parametrize("jit_compile", [False, "auto"])
def test_fit_with_random_state_inside_remat_is_fit_without(jit_compile):
    rng = np.random.RandomState(3)
    x, y = rng.rand(32, 8).astype("float32"), rng.rand(32, 1).astype("float32")

    def model(rematerialize):
        return kerasx.Sequential([kerasx.Input((8,)), _RematBlock(rematerialize), kerasx.layers.Dense(1)])

    _assert_same_fit(model(False), model(True), x, y, jit_compile=jit_compile)
