"""Mixed precision end to end: `kerasx.mixed_precision`, loss scaling in `fit` and in a custom step, and a tiny CNN
and LSTM trained 50 steps in mixed_float16 and mixed_bfloat16 against the same model in float32 (same initial
weights, same data): finite, decreasing losses, the policies' dtypes, and results within 1e-2 of float32.

Keras 3 runs in-process on the same backend for the names and configs compared with it."""

import functools

import numpy as np
import pytest

import kerasx
import support
from kerasx.dtype_policies import _dtype_policy
from kerasx import backend, ops

keras = pytest.importorskip("keras")
trains = pytest.mark.skipif(not support.TRAINS, reason="the numpy backend is inference only: nothing to train")

STEPS = 50


@pytest.fixture(autouse=True)
def _float32_global_policy():
    # Restored as it was (usually unset: new layers follow floatx), not pinned to "float32", which would keep later
    # tests' set_floatx("float64") from reaching new layers.
    saved = _dtype_policy.GLOBAL_POLICY[0]
    yield
    _dtype_policy.GLOBAL_POLICY[0] = saved
    keras.mixed_precision.set_global_policy("float32")


def test_namespace_matches_keras():
    assert kerasx.mixed_precision.LossScaleOptimizer is kerasx.optimizers.LossScaleOptimizer
    assert kerasx.mixed_precision.Policy is kerasx.mixed_precision.DTypePolicy is kerasx.dtype_policies.DTypePolicy
    for module in (kerasx, keras):
        module.mixed_precision.set_dtype_policy("mixed_float16")
    assert kerasx.mixed_precision.dtype_policy().name == keras.mixed_precision.dtype_policy().name
    ours = kerasx.mixed_precision.LossScaleOptimizer(kerasx.optimizers.SGD(0.5), initial_scale=64.0)
    theirs = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD(0.5), initial_scale=64.0)
    config, keras_config = ours.get_config(), theirs.get_config()
    assert {k: v for k, v in config.items() if k != "inner_optimizer"} == {
        k: v for k, v in keras_config.items() if k != "inner_optimizer"
    }


def _dense_model(module, policy=None):
    inputs = module.Input((3,))
    outputs = module.layers.Dense(2, dtype=policy)(inputs)
    return module.Model(inputs, outputs)


@pytest.mark.parametrize(
    "policy, auto_scale_loss", [("mixed_float16", True), ("mixed_float16", False), ("mixed_bfloat16", True)]
)
def test_compile_wraps_the_optimizer_for_float16_as_keras_does(policy, auto_scale_loss):
    kinds = []
    for module in (kerasx, keras):
        module.mixed_precision.set_global_policy(policy)
        model = _dense_model(module)
        model.compile(module.optimizers.SGD(0.1), "mse", auto_scale_loss=auto_scale_loss)
        kinds.append(type(model.optimizer).__name__)
    assert kinds[0] == kinds[1] == (
        "LossScaleOptimizer" if policy == "mixed_float16" and auto_scale_loss else "SGD"
    )


def _cnn(policy):
    inputs = kerasx.layers.Input((4, 4, 1))
    x = kerasx.layers.Conv2D(3, 3, activation="relu", dtype=policy, name="conv")(inputs)
    x = kerasx.layers.GlobalAveragePooling2D(dtype=policy)(x)
    outputs = kerasx.layers.Dense(3, activation="softmax", dtype="float32", name="head")(x)
    return kerasx.models.Model(inputs, outputs)


def _lstm(policy):
    inputs = kerasx.layers.Input((3, 2))
    x = kerasx.layers.LSTM(3, dtype=policy, name="lstm")(inputs)
    outputs = kerasx.layers.Dense(3, activation="softmax", dtype="float32", name="head")(x)
    return kerasx.models.Model(inputs, outputs)


MODELS = {"cnn": (_cnn, (4, 4, 1), "conv"), "lstm": (_lstm, (3, 2), "lstm")}


@functools.cache
def _data(kind):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, *MODELS[kind][1])).astype("float32")
    y = rng.integers(0, 3, size=(8,))
    return x, y


@functools.cache
def _trained(kind, policy):
    """(model, per-step losses) after STEPS full-batch steps of SGD from the same initial weights."""
    build, _, _ = MODELS[kind]
    kerasx.utils.set_random_seed(1)
    weights = build("float32").get_weights()
    # The model's own policy (the global one when it is made) decides whether compile scales the loss.
    kerasx.mixed_precision.set_global_policy("mixed_float16" if policy == "mixed_float16" else "float32")
    model = build(policy)
    kerasx.mixed_precision.set_global_policy("float32")
    model.set_weights(weights)
    model.compile(kerasx.optimizers.SGD(0.5), "sparse_categorical_crossentropy")
    x, y = _data(kind)
    history = model.fit(x, y, batch_size=len(x), epochs=STEPS, shuffle=False, verbose=0)
    return model, np.array(history.history["loss"])


@trains
@pytest.mark.parametrize("kind", sorted(MODELS))
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_models_train_like_float32(kind, policy):
    model, losses = _trained(kind, policy)
    reference, reference_losses = _trained(kind, "float32")
    compute = policy.removeprefix("mixed_")
    layer = model.get_layer(MODELS[kind][2])
    assert (layer.compute_dtype, layer.variable_dtype) == (compute, "float32")
    assert all(w.dtype == "float32" for w in model.weights)
    assert model.get_layer("head").compute_dtype == "float32"
    x, _ = _data(kind)
    predictions = model.predict(x, verbose=0)
    assert predictions.dtype == np.float32
    assert np.isfinite(losses).all() and losses[-1] < 0.95 * losses[0] and (np.diff(losses) < 1e-3).all()
    if policy == "mixed_float16":
        assert type(model.optimizer).__name__ == "LossScaleOptimizer"
        assert int(model.optimizer.iterations) == STEPS  # no step was skipped
    # The same training in float32: every step's loss and the final predictions agree to 1e-2.
    np.testing.assert_allclose(losses, reference_losses, atol=1e-2)
    np.testing.assert_allclose(predictions, reference.predict(x, verbose=0), atol=1e-2)


@trains
def test_fit_skips_overflowing_steps_and_lowers_the_scale():
    kerasx.mixed_precision.set_global_policy("mixed_float16")
    model = _dense_model(kerasx)
    # A scale of 2**40 makes float16 gradients overflow: each such step is skipped and the scale halves.
    optimizer = kerasx.mixed_precision.LossScaleOptimizer(kerasx.optimizers.SGD(0.1), initial_scale=2.0**40)
    model.compile(optimizer, "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, batch_size=4, epochs=30, verbose=0)
    scale = float(optimizer.dynamic_scale)
    skipped = 30 - int(optimizer.iterations)
    assert scale == 2.0 ** (40 - skipped) and 0 < skipped < 30
    assert all(np.isfinite(w).all() for w in model.get_weights())


@trains
def test_custom_step_with_value_and_grad_scales_and_skips():
    kerasx.mixed_precision.set_global_policy("mixed_float16")
    model = _dense_model(kerasx)
    optimizer = kerasx.mixed_precision.LossScaleOptimizer(
        kerasx.optimizers.SGD(0.1), initial_scale=8.0, dynamic_growth_steps=2
    )
    optimizer.build(model.trainable_variables)
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")

    def loss_fn(values, x, y):
        y_pred, _ = model.stateless_call(values, [], x)
        assert ops.dtype(y_pred) == "float16"
        loss = ops.mean(ops.square(ops.subtract(ops.cast(y_pred, "float32"), y)))
        return optimizer.scale_loss(loss), loss

    def step(overflow=False):
        values = [v.value for v in model.trainable_variables]
        (scaled, loss), grads = backend.value_and_grad(loss_fn, has_aux=True)(values, x, y)
        assert abs(float(scaled) - float(optimizer.dynamic_scale) * float(loss)) < 1e-3 * float(scaled)
        if overflow:
            grads = [ops.multiply(grads[0], np.inf)] + list(grads[1:])
        optimizer.apply(grads, model.trainable_variables)
        return float(loss)

    before = [w.copy() for w in model.get_weights()]
    step(overflow=True)
    assert float(optimizer.dynamic_scale) == 4.0 and int(optimizer.iterations) == 0
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    first = step()
    step()
    assert float(optimizer.dynamic_scale) == 8.0 and int(optimizer.iterations) == 2  # two finite steps: doubled
    assert step() < first


def test_losses_and_a_float32_softmax_compute_in_float32_as_keras():
    x = np.full((2, 3), 0.5, "float16")
    labels = np.zeros((2,), "int64")
    for module in (kerasx, keras):
        logits = module.ops.convert_to_tensor(x)
        probabilities = module.layers.Activation("softmax")(logits)
        mixed = module.layers.Activation("softmax", dtype="mixed_float16")(logits)
        loss = module.losses.SparseCategoricalCrossentropy()(labels, mixed)
        dtypes = [module.ops.dtype(t) for t in (probabilities, mixed, loss)]
        assert dtypes == ["float32", "float16", "float32"], module.__name__
        np.testing.assert_allclose(module.ops.convert_to_numpy(loss), np.log(3.0), rtol=1e-3)
