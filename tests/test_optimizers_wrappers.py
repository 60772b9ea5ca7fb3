"""LossScaleOptimizer and MultiOptimizer (with OptimizerMap) against Keras 3's, step by step.

LossScaleOptimizer: gradients of a scaled loss, with steps whose gradients hold inf or nan: the step is skipped
(no variable moves, the inner optimizer's iterations stay), the scale halves, and it doubles after
`dynamic_growth_steps` finite steps; every variable and optimizer variable (the wrapper's counter and scale, then
the inner optimizer's) equals Keras 3's after each step, eagerly and in the compiled step. MultiOptimizer: variables
routed by path patterns or by a function, each inner optimizer's state equal to Keras 3's. Both also inside `fit`.
"""

from __future__ import annotations

import io
import zipfile

import h5py
import keras
import numpy as np
import pytest

import kerasx
import support
from kerasx import optimizers
from optimizer_oracle import BACKEND, assert_same_states, gradient_steps, initial_weights, keras_run, kerasx_run


def fresh_names():
    keras.backend.clear_session(free_memory=False)
    kerasx.backend.clear_session(free_memory=False)


def scaled_steps(scale_schedule):
    """Gradients of a loss scaled by the wrapper's scale at each step; `None` entries are steps with an inf and a
    nan in two of the gradients."""
    steps = gradient_steps(num_steps=len(scale_schedule))
    result = []
    for grads, scale in zip(steps, scale_schedule):
        if scale is None:
            grads = [g.copy() for g in grads]
            grads[0][0, 0] = np.inf
            grads[3][0, 0, 0, 0] = np.nan
        else:
            grads = [g * np.float32(scale) for g in grads]
        result.append(grads)
    return result


# initial_scale 8, growth every 2 finite steps: scales 8, 8 -> 16, skip -> 8, 8, 8 -> 16, skip -> 8, 8.
SCALES = [8.0, 8.0, 16.0, None, 8.0, 8.0, None, 8.0]


def _loss_scale(inner):
    def make(lib):
        return lib.optimizers.LossScaleOptimizer(inner(lib), initial_scale=8.0, dynamic_growth_steps=2)

    return make


LOSS_SCALE_CASES = {
    "adam": lambda lib: lib.optimizers.Adam(learning_rate=0.01),
    "sgd-momentum-ema": lambda lib: lib.optimizers.SGD(momentum=0.9, use_ema=True),
    "lamb-accumulation": lambda lib: lib.optimizers.Lamb(learning_rate=0.01, gradient_accumulation_steps=2),
}


@support.needs_gradients
@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
@pytest.mark.parametrize("inner", sorted(LOSS_SCALE_CASES))
def test_loss_scale_optimizer_matches_keras3(inner, compiled):
    weights, steps = initial_weights(), scaled_steps(SCALES)
    fresh_names()
    make = _loss_scale(LOSS_SCALE_CASES[inner])
    # Keras 3's LossScaleOptimizer cannot apply eagerly on JAX (its skip branch assigns variables inside a traced
    # `cond`); its JAX trainer applies it with `stateless_apply`, which is what the oracle does there.
    expected = keras_run(make, weights, steps, stateless=BACKEND == "jax")
    actual = kerasx_run(make, weights, steps, compiled=compiled)
    assert_same_states(expected, actual)
    keras_optimizer, kerasx_optimizer = expected[1], actual[1]
    assert int(kerasx_optimizer.iterations) == int(keras_optimizer.iterations)
    assert float(kerasx_optimizer.dynamic_scale) == float(keras_optimizer.dynamic_scale) == 8.0
    assert float(kerasx_optimizer.scale_loss(1.5)) == float(keras_optimizer.scale_loss(1.5)) == 12.0


def test_loss_scale_optimizer_skips_non_finite_steps():
    fresh_names()
    variables = [kerasx.Variable(np.ones(3, "float32"), name="w")]
    inner = optimizers.SGD(learning_rate=0.5)
    optimizer = optimizers.LossScaleOptimizer(inner, initial_scale=4.0, dynamic_growth_steps=3)
    assert float(optimizer.scale_loss(2.0)) == 8.0  # the initial scale before it is built
    optimizer.apply([np.full(3, 4.0, "float32")], variables)
    support.assert_close(variables[0], np.full(3, 0.5))
    optimizer.apply([np.array([1.0, np.nan, 1.0], "float32")], variables)
    support.assert_close(variables[0], np.full(3, 0.5))
    assert (int(optimizer.iterations), float(optimizer.dynamic_scale), int(optimizer.step_counter)) == (1, 2.0, 0)
    for _ in range(3):
        optimizer.apply([np.zeros(3, "float32")], variables)
    assert (int(optimizer.iterations), float(optimizer.dynamic_scale), int(optimizer.step_counter)) == (4, 4.0, 0)
    assert [v.path for v in optimizer.variables[:4]] == [
        "loss_scale_optimizer/iteration", "loss_scale_optimizer/learning_rate",
        "loss_scale_optimizer/step_counter", "loss_scale_optimizer/dynamic_scale",
    ]
    assert optimizer.variables[4:] == inner.variables
    optimizer.learning_rate = 0.25
    assert float(inner.learning_rate) == 0.25 and float(optimizer.learning_rate) == 0.25


def test_loss_scale_optimizer_arguments():
    adam = optimizers.Adam(loss_scale_factor=4.0)
    optimizer = optimizers.LossScaleOptimizer(adam, weight_decay=None, use_ema=False)  # Keras's old configs
    assert adam.loss_scale_factor is None and optimizer.inner_optimizer is adam
    with pytest.raises(ValueError, match="LossScaleOptimizer is always dynamic"):
        optimizers.LossScaleOptimizer(optimizers.Adam(), dynamic=False)
    with pytest.raises(ValueError, match="does not take `clipnorm`.*Set it on the inner optimizer"):
        optimizers.LossScaleOptimizer(optimizers.Adam(), clipnorm=1.0)
    with pytest.raises(TypeError, match="`inner_optimizer` must be a kerasx Optimizer instance"):
        optimizers.LossScaleOptimizer("adam")
    # Keras 3 accepts dynamic_growth_steps=None when created and fails with a TypeError at the first step.
    no_growth = optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic_growth_steps=None)
    assert no_growth.dynamic_growth_steps is None
    variable = kerasx.Variable(np.ones((2,), "float32"))
    with pytest.raises(TypeError, match="cannot update its loss scale without `dynamic_growth_steps`"):
        no_growth.apply([np.ones((2,), "float32")], [variable])


def _multi(selector):
    def make(lib):
        adam, lamb = lib.optimizers.Adam(learning_rate=0.01), lib.optimizers.Lamb(learning_rate=0.01)
        default = lib.optimizers.SGD(learning_rate=0.1, momentum=0.9)
        if selector == "map":
            mapping = lib.optimizers.OptimizerMap(default, {".*_kernel": adam, "embedding.*": lamb})
        else:
            def mapping(variable):
                return adam if len(variable.shape) == 2 else default

        return lib.optimizers.MultiOptimizer(mapping, loss_scale_factor=2.0 if selector == "function" else None)

    return make


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
@pytest.mark.parametrize("selector", ["map", "function"])
def test_multi_optimizer_matches_keras3(selector, compiled):
    weights, steps = initial_weights(), gradient_steps()
    fresh_names()
    expected = keras_run(_multi(selector), weights, steps)
    actual = kerasx_run(_multi(selector), weights, steps, compiled=compiled)
    assert_same_states(expected, actual)
    names = [[o.name for o in opt.optimizers] for opt in (expected[1], actual[1])]
    assert names[0] == names[1]
    assert int(actual[1].iterations) == len(steps)


def test_optimizer_map_lookup_and_errors():
    adam, sgd, rmsprop = optimizers.Adam(name="adam"), optimizers.SGD(name="sgd"), optimizers.RMSprop(name="rms")
    optimizer_map = optimizers.OptimizerMap(rmsprop)
    optimizer_map["encoder/layer_0/dense"] = adam
    optimizer_map["encoder/.*"] = sgd
    optimizer_map["decoder"] = adam
    assert [optimizer_map[key].name for key in (
        "decoder", "encoder/layer_0/dense", "encoder/layer_0/attention/query", "decoder/layer_0/dense"
    )] == ["adam", "adam", "sgd", "rms"]
    assert len(optimizer_map) == 3 and list(optimizer_map) == ["encoder/layer_0/dense", "encoder/.*", "decoder"]
    with pytest.raises(ValueError, match="'decoder' is already mapped"):
        optimizer_map["decoder"] = sgd
    del optimizer_map["decoder"]
    optimizer_map["dec.*"] = sgd
    optimizer_map["de.*"] = adam
    with pytest.raises(ValueError, match="matches several patterns"):
        optimizer_map["decoder"]
    with pytest.raises(ValueError, match="cannot be used inside a MultiOptimizer"):
        optimizer_map["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(TypeError, match="`default_optimizer` must be a kerasx Optimizer instance"):
        optimizers.OptimizerMap("sgd")
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(sgd))
    with pytest.raises(AttributeError, match="no single learning rate"):
        multi.learning_rate  # noqa: B018
    with pytest.raises(ValueError, match="cannot be used inside a MultiOptimizer"):
        optimizers.MultiOptimizer(lambda v: multi).build([kerasx.Variable(np.ones(2, "float32"))])


@pytest.mark.parametrize("case", ["plain", "loss-scale", "multi"])
def test_finalize_variable_values_sets_trained_variables_to_their_averages(case):
    """`fit` finalizes `model.trainable_weights`, which may hold variables the optimizer never trained (made
    trainable after compiling, or no step ran): those are left as they are."""
    trained = kerasx.Variable(np.ones(2, "float32"), name="trained")
    other = kerasx.Variable(np.full(2, 5.0, "float32"), name="other")
    inner = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    optimizer = {
        "plain": inner,
        "loss-scale": optimizers.LossScaleOptimizer(inner, initial_scale=1.0),
        "multi": optimizers.MultiOptimizer(optimizers.OptimizerMap(inner)),
    }[case]
    for _ in range(2):
        optimizer.apply([np.ones(2, "float32")], [trained])
    support.assert_close(trained, np.full(2, -1.0))
    optimizer.finalize_variable_values([trained, other])
    # The average after the steps 1 -> 0 -> -1: 0 (the first update copies the variable), then 0.5 * 0 + 0.5 * -1.
    support.assert_close(trained, np.full(2, -0.5))
    support.assert_close(other, np.full(2, 5.0))


def _model(lib, optimizer):
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="hidden"), lib.layers.Dense(1, name="head")])
    rng = np.random.default_rng(3)
    model.set_weights([(0.3 * rng.normal(size=w.shape)).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=optimizer, loss="mse")
    return model


FIT_CASES = {
    "loss-scale": lambda lib: lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(0.05), initial_scale=2.0**20,
                                                                dynamic_growth_steps=3),
    "multi": lambda lib: lib.optimizers.MultiOptimizer(
        # ".*": Keras 3's paths start with the Sequential's name ("sequential/hidden/kernel"), kerasx's do not.
        lib.optimizers.OptimizerMap(lib.optimizers.SGD(0.05), {".*hidden/.*": lib.optimizers.Adam(0.05)})
    ),
    "ema": lambda lib: lib.optimizers.Adam(0.05, use_ema=True, ema_momentum=0.5),
    "loss-scale-factor": lambda lib: lib.optimizers.SGD(0.05, loss_scale_factor=64.0),
    "accumulation": lambda lib: lib.optimizers.Adam(0.05, gradient_accumulation_steps=3),
}


@support.needs_gradients
@pytest.mark.parametrize("case", sorted(FIT_CASES))
def test_fit_matches_keras3(case):
    """`fit` scales the loss for the optimizer, applies the wrappers, and finalizes the moving averages at the end,
    as Keras 3's `fit` does."""
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(24, 4)).astype("float32"), rng.normal(size=(24, 1)).astype("float32")
    fresh_names()
    results = []
    for lib in (keras, kerasx):
        model = _model(lib, FIT_CASES[case](lib))
        history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        results.append((history.history["loss"], [np.asarray(w) for w in model.get_weights()],
                        [np.asarray(v.numpy()) for v in model.optimizer.variables]))
    (keras_loss, keras_weights, keras_state), (loss, weights, state) = results
    # Twelve Adam steps turn float32 rounding differences (1e-7) into ~1e-5: the step-by-step equality to 1e-6 is
    # what the oracle tests above check; here the semantics of fit are.
    np.testing.assert_allclose(loss, keras_loss, rtol=1e-4)
    assert len(state) == len(keras_state)
    for actual, expected in zip(weights + state, keras_weights + keras_state):
        support.assert_close(actual, expected.astype(actual.dtype), rtol=1e-4, atol=1e-5)


def _without_modules(config):
    """A config with Keras's `module`/`registered_name` keys dropped (kerasx's in-memory configs have none; its
    files add them, as the file test below checks)."""
    if isinstance(config, dict):
        return {k: _without_modules(v) for k, v in config.items() if k not in ("module", "registered_name")}
    return config


WRAPPERS = {
    "loss-scale": lambda lib: lib.optimizers.LossScaleOptimizer(
        lib.optimizers.Adam(0.01, name="adam"), initial_scale=8.0, dynamic_growth_steps=3, name="wrapper"
    ),
    "multi": lambda lib: lib.optimizers.MultiOptimizer(
        lib.optimizers.OptimizerMap(
            lib.optimizers.SGD(0.1, momentum=0.9, name="sgd"),
            {
                ".*kernel": lib.optimizers.Adam(0.01, name="adam"),
                ".*hidden/bias": lib.optimizers.Lamb(0.02, name="lamb"),
            },
        ),
        loss_scale_factor=4.0, name="wrapper",
    ),
}


@pytest.mark.parametrize("case", sorted(WRAPPERS))
def test_wrapper_config_matches_keras3(case):
    expected = _without_modules(keras.optimizers.serialize(WRAPPERS[case](keras)))
    actual = optimizers.serialize(WRAPPERS[case](kerasx))
    assert actual == expected
    rebuilt = optimizers.deserialize(keras.optimizers.serialize(WRAPPERS[case](keras)))
    assert optimizers.serialize(rebuilt) == expected


def _weights_layout(path):
    with zipfile.ZipFile(path) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as file:
        layout = []

        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                layout.append((name, item.shape))

        file.visititems(visit)
    return sorted(layout)


@pytest.mark.parametrize("case", sorted(WRAPPERS))
def test_wrapper_state_moves_between_keras3_and_kerasx_files(case, tmp_path):
    """A compiled model's `.keras` file holds the wrapper's state in Keras 3's layout (all of it in
    `optimizer/vars`, each wrapped optimizer's again in its own group): written by either library, read by the
    other with every optimizer variable restored."""
    fresh_names()
    layouts = []
    for source, target in ((kerasx, keras), (keras, kerasx)):
        model = _model(source, WRAPPERS[case](source))
        model.optimizer.build(model.trainable_variables)
        rng = np.random.default_rng(6)
        state = [np.asarray(rng.integers(1, 9, size=v.shape)).astype(np.asarray(v.numpy()).dtype)
                 for v in model.optimizer.variables]
        for variable, value in zip(model.optimizer.variables, state):
            variable.assign(value)
        path = tmp_path / f"{source.__name__}.keras"
        model.save(path)
        layouts.append(_weights_layout(path))
        loaded = target.saving.load_model(path)
        assert type(loaded.optimizer).__name__ == type(model.optimizer).__name__
        restored = [np.asarray(v.numpy()) for v in loaded.optimizer.variables]
        assert len(restored) == len(state)
        for actual, expected in zip(restored, state):
            np.testing.assert_array_equal(actual, expected)
    assert layouts[0] == layouts[1]
