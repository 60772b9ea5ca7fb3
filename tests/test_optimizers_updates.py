"""Optimizers' updates against NumPy implementations of their rules: every optimizer and option, gradients that
are None, constraints, weight decay, moving averages, gradient accumulation and loss scaling.

None of these tests needs autodiff (gradients are given as arrays), so they run on the numpy backend too.
"""

import numpy as np
import pytest

import support
from kerasx import ops, optimizers
from optimizer_reference import NUM_STEPS, REFERENCES, compiled_step, make_variables, problem, reference_run

# Update rules -------------------------------------------------------------------------------------------------


CASES = [
    pytest.param("SGD", {"learning_rate": 0.1}, id="SGD-plain"),
    pytest.param("SGD", {"learning_rate": 0.1, "momentum": 0.9}, id="SGD-momentum"),
    pytest.param("SGD", {"learning_rate": 0.1, "momentum": 0.8, "nesterov": True}, id="SGD-nesterov"),
    pytest.param("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}, id="SGD-clipvalue"),
    pytest.param("SGD", {"learning_rate": 0.1, "weight_decay": 0.05}, id="SGD-weight_decay"),
    pytest.param("RMSprop", {"learning_rate": 0.05}, id="RMSprop-plain"),
    pytest.param(
        "RMSprop",
        {"learning_rate": 0.05, "momentum": 0.5, "centered": True, "rho": 0.8},
        id="RMSprop-centered-momentum",
    ),
    pytest.param("RMSprop", {"learning_rate": 0.05, "centered": True}, id="RMSprop-centered"),
    pytest.param("Adam", {"learning_rate": 0.05}, id="Adam-plain"),
    pytest.param("Adam", {"learning_rate": 0.05, "amsgrad": True, "beta_2": 0.9}, id="Adam-amsgrad"),
    pytest.param("Adam", {"learning_rate": 0.05, "clipnorm": 1.0}, id="Adam-clipnorm"),
    pytest.param("Adam", {"learning_rate": 0.05, "global_clipnorm": 2.0}, id="Adam-global_clipnorm"),
    pytest.param("AdamW", {"learning_rate": 0.05}, id="AdamW-default-decay"),
    pytest.param("AdamW", {"learning_rate": 0.05, "weight_decay": 0.1, "amsgrad": True}, id="AdamW-amsgrad"),
    pytest.param("Adagrad", {"learning_rate": 0.1}, id="Adagrad-plain"),
    pytest.param(
        "Adagrad",
        {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 1e-3},
        id="Adagrad-options",
    ),
    pytest.param("Adadelta", {"learning_rate": 1.0}, id="Adadelta-plain"),
    pytest.param("Adadelta", {"learning_rate": 1.0, "rho": 0.5, "epsilon": 1e-3}, id="Adadelta-options"),
    pytest.param("Adamax", {"learning_rate": 0.05}, id="Adamax-plain"),
    pytest.param("Nadam", {"learning_rate": 0.05}, id="Nadam-plain"),
    pytest.param("Nadam", {"learning_rate": 0.05, "beta_1": 0.8, "clipvalue": 0.7}, id="Nadam-options"),
    pytest.param("Lion", {"learning_rate": 0.02}, id="Lion-plain"),
    pytest.param("Lion", {"learning_rate": 0.02, "beta_1": 0.5, "beta_2": 0.9, "weight_decay": 0.1}, id="Lion-options"),
]


@pytest.mark.parametrize("name, config", CASES)
def test_matches_numpy_reference(name, config):
    weights, grad_steps = problem()
    variables = make_variables(weights)
    optimizer = getattr(optimizers, name)(**config)
    expected = reference_run(name, config, weights, grad_steps, [config["learning_rate"]] * NUM_STEPS)
    for step, grads in enumerate(grad_steps):
        optimizer.apply(grads, variables)
        for variable, want in zip(variables, expected[step]):
            support.assert_close(variable, want, rtol=1e-6, atol=1e-6)
    assert int(ops.convert_to_numpy(optimizer.iterations)) == NUM_STEPS
    assert all(v.dtype == "float32" for v in variables)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_apply_gradients_pairs_equal_apply(name):
    weights, grad_steps = problem(seed=1)
    first, second = make_variables(weights), make_variables(weights)
    a, b = getattr(optimizers, name)(learning_rate=0.05), getattr(optimizers, name)(learning_rate=0.05)
    for grads in grad_steps[:2]:
        a.apply(grads, first)
        assert b.apply_gradients(zip(grads, second)) is b.iterations
    for x, y in zip(first, second):
        support.assert_close(x, y.numpy(), rtol=0, atol=0)


def test_mixed_dtypes_use_each_variables_dtype():
    weights, grad_steps = problem(seed=2, shapes=[(2, 3), (3,)])
    weights[1] = weights[1].astype("float64")
    variables = make_variables(weights)
    optimizer = optimizers.Adam(learning_rate=0.05)
    for grads in grad_steps:
        optimizer.apply([grads[0], grads[1].astype("float64")], variables)
    expected = reference_run("Adam", {}, weights, grad_steps, [0.05] * NUM_STEPS)[-1]
    assert [v.dtype for v in variables] == ["float32", "float64"]
    support.assert_close(variables[0], expected[0], rtol=1e-6, atol=1e-6)
    # float64 precision except for the float32-held learning rate.
    support.assert_close(variables[1], expected[1], rtol=1e-6, atol=1e-7)


# Gradients: None, constraints, weight-decay exclusion ---------------------------------------------------------------


def test_none_gradients_leave_their_variable_unchanged():
    weights, grad_steps = problem(seed=8)
    variables = make_variables(weights)
    optimizer = optimizers.Adam(learning_rate=0.05)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['layer/w1'\]"):
        optimizer.apply([grad_steps[0][0], None, grad_steps[0][2]], variables)
    support.assert_close(variables[1], weights[1], rtol=0, atol=0)
    expected = reference_run("Adam", {}, [weights[0], weights[2]], [[grad_steps[0][0], grad_steps[0][2]]], [0.05])[0]
    support.assert_close(variables[0], expected[0], rtol=1e-6, atol=1e-6)
    support.assert_close(variables[2], expected[1], rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="no gradients provided for any variable"):
        optimizer.apply([None, None, None], variables)


def test_constraint_is_applied_after_the_update():
    variables = make_variables([np.array([0.5, -0.5, 0.05], "float32")])
    variables[0].constraint = lambda v: ops.clip(v, -0.2, 0.2)
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.apply([np.array([-1.0, 1.0, 1.0], "float32")], variables)
    support.assert_close(variables[0], np.array([0.2, -0.2, -0.05]), rtol=1e-6, atol=1e-7)


def test_exclude_from_weight_decay_by_variable_and_by_name():
    weights, grad_steps = problem(seed=9)
    variables = make_variables(weights, names=["dense/kernel", "dense/bias", "norm/gamma"])
    optimizer = optimizers.AdamW(learning_rate=0.05, weight_decay=0.2)
    optimizer.exclude_from_weight_decay(var_list=[variables[2]], var_names=["bias"])
    for grads in grad_steps:
        optimizer.apply(grads, variables)
    expected = reference_run(
        "AdamW", {"weight_decay": 0.2}, weights, grad_steps, [0.05] * NUM_STEPS, decayed=[True, False, False]
    )[-1]
    for variable, want in zip(variables, expected):
        support.assert_close(variable, want, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="must be called before the optimizer is built"):
        optimizer.exclude_from_weight_decay(var_names=["kernel"])


def test_apply_checks_grads_and_variables():
    variables = make_variables([np.ones(2, "float32"), np.ones(3, "float32")])
    optimizer = optimizers.Adam()
    with pytest.raises(ValueError, match="has not been built"):
        optimizer.apply([np.ones(2, "float32"), np.ones(3, "float32")])
    with pytest.raises(ValueError, match="received 1 gradients but expected 2"):
        optimizer.apply([np.ones(2, "float32")], variables)
    optimizer.apply([np.ones(2, "float32"), np.ones(3, "float32")], variables)
    optimizer.apply([np.ones(2, "float32"), np.ones(3, "float32")])
    assert int(optimizer.iterations.numpy()) == 2
    stranger = make_variables([np.ones(2, "float32")], names=["other/w"])
    with pytest.raises(ValueError, match="does not track variable 'other/w'"):
        optimizer.apply([np.ones(2, "float32")], stranger)


# Moving averages, gradient accumulation, loss scaling ---------------------------------------------------------------


@pytest.mark.parametrize("overwrite_frequency", [None, 2])
def test_ema_tracks_and_overwrites_with_moving_averages(overwrite_frequency):
    weights, grad_steps = problem(seed=12)
    variables = make_variables(weights)
    optimizer = optimizers.SGD(
        learning_rate=0.1, momentum=0.5, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=overwrite_frequency,
        name="SGD",
    )
    for grads in grad_steps:
        optimizer.apply(grads, variables)
    # Reference: SGD with momentum, then the averages (the first step copies), then the periodic overwrite.
    expected = [w.astype(np.float64) for w in weights]
    velocities = [np.zeros_like(w) for w in expected]
    averages = None
    for t, grads in enumerate(grad_steps, start=1):
        velocities = [0.5 * v - 0.1 * g for v, g in zip(velocities, grads)]
        expected = [w + v for w, v in zip(expected, velocities)]
        averages = expected if averages is None else [0.8 * a + 0.2 * w for a, w in zip(averages, expected)]
        if overwrite_frequency and t % overwrite_frequency == 0:
            expected = list(averages)
    paths = [v.path for v in optimizer.variables]
    assert paths[2:5] == ["SGD/layer_w0_average", "SGD/layer_w1_average", "SGD/layer_w2_average"]
    for variable, average, want, want_average in zip(variables, optimizer.variables[2:5], expected, averages):
        support.assert_close(variable, want, rtol=1e-6, atol=1e-6)
        support.assert_close(average, want_average, rtol=1e-6, atol=1e-6)
    optimizer.finalize_variable_values(variables)
    for variable, want_average in zip(variables, averages):
        support.assert_close(variable, want_average, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
def test_gradient_accumulation_updates_with_the_mean_every_k_calls(compiled):
    weights, grad_steps = problem(seed=13)
    grad_steps = grad_steps + problem(seed=14)[1][:1]  # 6 calls: 3 updates of 2 accumulated gradients
    variables = make_variables(weights)
    optimizer = optimizers.Adam(learning_rate=0.05, gradient_accumulation_steps=2)
    optimizer.build(variables)
    apply = compiled_step(optimizer, variables) if compiled else (lambda grads: optimizer.apply(grads, variables))
    means = [[(a + b) / 2 for a, b in zip(grad_steps[i], grad_steps[i + 1])] for i in (0, 2, 4)]
    expected = reference_run("Adam", {}, weights, means, [0.05] * 3)
    for call, grads in enumerate(grad_steps):
        apply(grads)
        want = weights if call == 0 else expected[(call - 1) // 2]
        for variable, value in zip(variables, want):
            support.assert_close(variable, value, rtol=1e-6, atol=1e-6)
    assert int(ops.convert_to_numpy(optimizer.iterations)) == 3
    assert int(optimizer._iterations.numpy()) == 6
    accumulators = [v for v in optimizer.variables if v.path.endswith("_gradient_accumulator")]
    assert len(accumulators) == 3 and not any(np.any(a.numpy()) for a in accumulators)


def test_loss_scale_factor_scales_the_loss_and_unscales_gradients():
    weights, grad_steps = problem(seed=15)
    scaled_vars, plain_vars = make_variables(weights), make_variables(weights)
    scaled = optimizers.Adam(learning_rate=0.05, loss_scale_factor=128.0)
    plain = optimizers.Adam(learning_rate=0.05)
    support.assert_close(scaled.scale_loss(np.float32(0.5)), np.float32(64.0))
    assert plain.scale_loss(0.5) == 0.5
    for grads in grad_steps:
        scaled.apply([g * 128 for g in grads], scaled_vars)
        plain.apply(grads, plain_vars)
    for a, b in zip(scaled_vars, plain_vars):
        support.assert_close(a, b.numpy(), rtol=1e-6, atol=1e-7)
