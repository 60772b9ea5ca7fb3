"""`kerasx.backend.compile_step`: a hand-written training step (value_and_grad, then the optimizer's update) compiled
once for the engine gives the numbers of the same step run eagerly, is traced once per data shape on jax and
TensorFlow, and says which variable it lacks. Also the eager Adam update that a hand-written loop runs without it:
on jax and torch a fused update, which must give the engine-free update's numbers."""

import numpy as np
import pytest

import kerasx as keras
import support
from kerasx.backend import _unfused, active


def _model():
    keras.utils.set_random_seed(1)
    layers = [keras.layers.Dense(4, activation="tanh"), keras.layers.BatchNormalization(), keras.layers.Dense(1)]
    return keras.models.Sequential([keras.layers.Input((3,)), *layers])


def _hand_written_step(model, optimizer, traces):
    def loss_fn(trainable, non_trainable, x, y):
        outputs, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
        return keras.ops.mean(keras.ops.square(keras.ops.subtract(outputs, y))), non_trainable

    grad_fn = keras.backend.value_and_grad(loss_fn, has_aux=True)

    def step(batch):
        traces.append(1)
        x, y = batch
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, x, y)
        optimizer.apply(grads, model.trainable_variables)
        for variable, value in zip(model.non_trainable_variables, non_trainable):
            variable.assign(value)
        return loss

    return step


def _train(compiled):
    model, optimizer, traces = _model(), keras.optimizers.Adam(0.05), []
    step = _hand_written_step(model, optimizer, traces)
    if compiled:
        optimizer.build(model.trainable_variables)
        step = keras.backend.compile_step(step, model.variables + optimizer.variables)
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(4):
        x = rng.standard_normal((8, 3)).astype("float32")
        losses.append(float(keras.ops.convert_to_numpy(step((x, x[:, :1] * 2.0)))))
    weights = [support.to_numpy(v) for v in model.variables + optimizer.variables]
    return losses, weights, len(traces)


@support.needs_gradients
def test_compiled_hand_written_step_matches_eager_and_traces_once():
    eager_losses, eager_weights, eager_traces = _train(compiled=False)
    losses, weights, traces = _train(compiled=True)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5, atol=1e-6)
    assert losses[-1] < losses[0]
    for got, expected in zip(weights, eager_weights):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert eager_traces == 4
    # jax.jit and tf.function trace the step on its first batch only (same shapes); torch runs it eagerly.
    assert traces == (4 if support.BACKEND == "torch" else 1)


def test_compile_step_without_gradients():
    total = keras.Variable(np.zeros(2, "float32"))

    def add(batch):
        total.assign(keras.ops.add(total, keras.ops.sum(batch, axis=0)))
        return keras.ops.sum(total)

    step = keras.backend.compile_step(add, [total])
    results = [float(keras.ops.convert_to_numpy(step(np.full((3, 2), k, "float32")))) for k in (1.0, 2.0)]
    assert results == [6.0, 18.0]
    support.assert_close(total, np.array([9.0, 9.0], "float32"))


@pytest.mark.skipif(support.BACKEND != "jax", reason="only jax refuses assignments outside the compiled state")
def test_compile_step_names_a_variable_left_out_of_its_state():
    counted, forgotten = keras.Variable(0.0, name="counted"), keras.Variable(0.0, name="forgotten")

    def step(batch):
        counted.assign(keras.ops.add(counted, 1.0))
        forgotten.assign(keras.ops.add(forgotten, 1.0))
        return counted

    with pytest.raises(ValueError, match="forgotten"):
        keras.backend.compile_step(step, [counted])(np.zeros(1, "float32"))


def _adam_steps(monkeypatch, engine_free, dtype):
    if engine_free:
        monkeypatch.setattr(active.trainer, "fused_adam_update", _unfused.fused_adam_update)
    rng = np.random.default_rng(2)
    shapes = [(3, 4), (4,), (2, 2, 3)]
    variables = [keras.Variable(rng.standard_normal(shape).astype(dtype)) for shape in shapes]
    optimizer = keras.optimizers.Adam(0.05, beta_1=0.5)
    for _ in range(3):
        optimizer.apply([rng.standard_normal(shape).astype(dtype) for shape in shapes], variables)
    return [support.to_numpy(v) for v in variables + optimizer.variables]


@support.needs_gradients
def test_eager_adam_update_matches_the_engine_free_update(monkeypatch):
    fused = _adam_steps(monkeypatch, False, "float32")
    with monkeypatch.context() as patch:
        reference = _adam_steps(patch, True, "float32")
    assert len(fused) == 3 + 2 + 6  # the variables, the iteration count and rate, two slots per variable
    for got, expected in zip(fused, reference):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=0)
