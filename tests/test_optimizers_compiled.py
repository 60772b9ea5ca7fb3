"""Optimizers in compiled and stateless steps, learning rates and schedules, training through the engine's
autodiff, torch's fused Adam.

The update math needs no autodiff, so everything except the training through autodiff also runs on the numpy
backend (gradients are given as arrays).
"""

import math

import numpy as np
import pytest

import kerasx
import support
from kerasx import backend, ops, optimizers
from kerasx.optimizers import schedules
from optimizer_reference import BACKEND, NUM_STEPS, compiled_step, make_variables, problem, reference_run

# Stateless and compiled application -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SGD", "Adam", "Nadam", "RMSprop", "Lion"])
def test_stateless_apply_equals_apply_and_does_not_mutate(name):
    weights, grad_steps = problem(seed=3)
    eager_vars, stateless_vars = make_variables(weights), make_variables(weights)
    config = {"learning_rate": 0.05, "momentum": 0.5} if name in ("SGD", "RMSprop") else {"learning_rate": 0.05}
    eager, stateless = getattr(optimizers, name)(**config), getattr(optimizers, name)(**config)
    stateless.build(stateless_vars)
    trainable_values = [v.value for v in stateless_vars]
    optimizer_values = [v.value for v in stateless.variables]
    initial_state = [v.numpy() for v in stateless.variables]
    for grads in grad_steps:
        eager.apply(grads, eager_vars)
        trainable_values, optimizer_values = stateless.stateless_apply(optimizer_values, grads, trainable_values)
    for variable, value in zip(eager_vars, trainable_values):
        support.assert_close(value, variable.numpy(), rtol=1e-6, atol=1e-7)
    for variable, value in zip(eager.variables, optimizer_values):
        support.assert_close(value, variable.numpy(), rtol=1e-6, atol=1e-7)
    # Nothing was assigned: the stateless optimizer and its variables still hold their initial values.
    for variable, w in zip(stateless_vars, weights):
        support.assert_close(variable, w, rtol=0, atol=0)
    for variable, value in zip(stateless.variables, initial_state):
        support.assert_close(variable, value, rtol=0, atol=0)
    assert int(stateless.iterations.numpy()) == 0


def test_stateless_apply_compiles_as_a_pure_function():
    # jax.jit / tf.function of stateless_apply itself: state goes in and comes out as values, nothing is assigned.
    weights, grad_steps = problem(seed=16)
    eager_vars, stateless_vars = make_variables(weights), make_variables(weights)
    eager = optimizers.Adam(learning_rate=0.05, amsgrad=True)
    stateless = optimizers.Adam(learning_rate=0.05, amsgrad=True)
    stateless.build(stateless_vars)
    jit_compile = BACKEND in ("jax", "tensorflow")
    compiled = backend.active.trainer.make_step(
        lambda data: stateless.stateless_apply(*data), [], jit_compile=jit_compile
    )
    trainable_values = [ops.convert_to_tensor(w) for w in weights]
    optimizer_values = [v.value for v in stateless.variables]
    for grads in grad_steps[:3]:
        eager.apply(grads, eager_vars)
        grads = [ops.convert_to_tensor(g) for g in grads]
        trainable_values, optimizer_values = compiled((optimizer_values, grads, trainable_values))
    for variable, value in zip(eager_vars, trainable_values):
        support.assert_close(value, variable.numpy(), rtol=1e-6, atol=1e-7)
    for variable, value in zip(eager.variables, optimizer_values):
        support.assert_close(value, variable.numpy(), rtol=1e-6, atol=1e-7)
    assert int(stateless.iterations.numpy()) == 0


def test_stateless_apply_checks_its_arguments():
    optimizer = optimizers.SGD()
    with pytest.raises(ValueError, match="must be built before `stateless_apply`"):
        optimizer.stateless_apply([], [np.ones(2, "float32")], [np.ones(2, "float32")])
    variables = make_variables([np.ones(2, "float32")])
    optimizer.build(variables)
    with pytest.raises(ValueError, match="received 1 optimizer variable values but expected 2"):
        optimizer.stateless_apply([0], [np.ones(2, "float32")], [np.ones(2, "float32")])
    with pytest.raises(ValueError, match="received 0 trainable variable values but expected 1"):
        optimizer.stateless_apply([v.value for v in optimizer.variables], [np.ones(2, "float32")], [])


# Learning rates and schedules ---------------------------------------------------------------------------------


def test_learning_rate_change_takes_effect_in_compiled_step():
    weights, grad_steps = problem(seed=4)
    variables = make_variables(weights)
    optimizer = optimizers.Adam(learning_rate=0.05)
    step = compiled_step(optimizer, variables)
    rates = [0.05, 0.05, 0.0, 0.01, 0.01]
    for grads, rate in zip(grad_steps, rates):
        optimizer.learning_rate = rate
        step(grads)
        assert float(optimizer.learning_rate) == pytest.approx(rate)
    expected = reference_run("Adam", {}, weights, grad_steps, rates)[-1]
    for variable, want in zip(variables, expected):
        support.assert_close(variable, want, rtol=1e-6, atol=1e-6)
    assert int(optimizer.iterations.numpy()) == NUM_STEPS


def test_schedule_is_evaluated_at_iterations_in_compiled_step():
    weights, grad_steps = problem(seed=5)
    variables = make_variables(weights)
    schedule = schedules.PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01])
    optimizer = optimizers.SGD(learning_rate=schedule, momentum=0.5, name="SGD")
    step = compiled_step(optimizer, variables)
    for grads in grad_steps:
        step(grads)
    # Step t (1-based) uses the schedule at iterations = t - 1.
    rates = [0.1, 0.1, 0.05, 0.05, 0.01]
    expected = reference_run("SGD", {"momentum": 0.5}, weights, grad_steps, rates)[-1]
    for variable, want in zip(variables, expected):
        support.assert_close(variable, want, rtol=1e-6, atol=1e-6)
    support.assert_close(optimizer.learning_rate, np.float32(0.01))
    assert [v.path for v in optimizer.variables[:2]] == ["SGD/iteration", "SGD/layer_w0_momentum"]


@pytest.mark.parametrize(
    "schedule, rates",
    [
        pytest.param(
            schedules.ExponentialDecay(0.1, 2, 0.5),
            [0.1 * 0.5 ** (t / 2) for t in range(5)],
            id="ExponentialDecay",
        ),
        pytest.param(
            schedules.InverseTimeDecay(0.1, 1, 0.5, staircase=True),
            [0.1 / (1 + 0.5 * t) for t in range(5)],
            id="InverseTimeDecay",
        ),
        pytest.param(
            schedules.CosineDecay(0.05, 3, warmup_target=0.1, warmup_steps=2),
            [0.05, 0.075] + [0.1 * 0.5 * (1 + math.cos(math.pi * k / 3)) for k in range(3)],
            id="CosineDecay-warmup",
        ),
    ],
)
def test_schedule_learning_rate_in_apply(schedule, rates):
    weights, grad_steps = problem(seed=6)
    variables = make_variables(weights)
    optimizer = optimizers.Adam(learning_rate=schedule)
    for grads in grad_steps:
        optimizer.apply(grads, variables)
    expected = reference_run("Adam", {}, weights, grad_steps, rates)[-1]
    for variable, want in zip(variables, expected):
        support.assert_close(variable, want, rtol=1e-6, atol=1e-6)


def test_callable_learning_rate_is_called_each_step():
    rates = iter([0.1, 0.2, 0.3])
    weights, grad_steps = problem(seed=7)
    variables = make_variables(weights)
    optimizer = optimizers.SGD(learning_rate=lambda: next(rates))
    for grads in grad_steps[:3]:
        optimizer.apply(grads, variables)
    expected = reference_run("SGD", {}, weights, grad_steps[:3], [0.1, 0.2, 0.3])[-1]
    for variable, want in zip(variables, expected):
        support.assert_close(variable, want, rtol=1e-6, atol=1e-6)


def test_learning_rate_property_and_setter():
    optimizer = optimizers.RMSprop(learning_rate=0.01)
    assert float(optimizer.learning_rate) == pytest.approx(0.01)
    assert ops.dtype(optimizer.learning_rate) == "float32"
    optimizer.learning_rate = 0.5
    assert float(optimizer.learning_rate) == 0.5
    assert optimizer.get_config()["learning_rate"] == 0.5
    scheduled = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5))
    support.assert_close(scheduled.learning_rate, np.float32(0.1))
    with pytest.raises(TypeError, match="cannot be set to a number"):
        scheduled.learning_rate = 0.01
    with pytest.raises(ValueError, match="must be a non-negative float"):
        optimizer.learning_rate = -1.0
    # A schedule may replace a float rate; the rate variable stays in `variables` so compiled steps keep their state.
    optimizer.learning_rate = schedules.ExponentialDecay(0.2, 10, 0.5)
    support.assert_close(optimizer.learning_rate, np.float32(0.2))
    assert len(optimizer.variables) == 2


# Training through the engine's autodiff -----------------------------------------------------------------------------


@support.needs_gradients
@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_minimizes_a_least_squares_loss_in_compiled_steps(name):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3
    variables = make_variables([np.zeros((3, 1), "float32"), np.zeros((1,), "float32")], ["dense/kernel", "dense/bias"])
    optimizer = getattr(optimizers, name)(learning_rate=0.05)

    def loss_fn():
        residual = ops.subtract(ops.add(ops.matmul(x, variables[0]), variables[1]), y)
        return ops.mean(ops.square(residual)), None

    def train_step(data):
        loss, _, grads = backend.active.trainer.compute_gradients(loss_fn, variables)
        optimizer.apply(grads, variables)
        return loss

    optimizer.build(variables)
    jit_compile = BACKEND in ("jax", "tensorflow")
    step = backend.active.trainer.make_step(train_step, variables + optimizer.variables, jit_compile=jit_compile)
    losses = [float(ops.convert_to_numpy(step(None))) for _ in range(60)]
    assert losses[-1] < 0.1 * losses[0]
    assert int(optimizer.iterations.numpy()) == 60


@pytest.mark.skipif(kerasx.backend.backend() != "torch", reason="only eager torch fuses Adam's update")
@pytest.mark.parametrize("path", ["cpu_kernel", "foreach"])
def test_fused_torch_adam_equals_the_engine_free_update(path, monkeypatch):
    from kerasx.backend.torch import trainer as torch_trainer

    if path == "foreach":  # the accelerator path, run on CPU tensors
        monkeypatch.setattr(torch_trainer, "_adam_cpu_kernel", torch_trainer._adam_foreach)
    rng = np.random.default_rng(3)
    values = [rng.standard_normal(shape).astype("float32") for shape in ((4, 3), (3,), (2, 5))]
    grads = [[rng.standard_normal(v.shape).astype("float32") for v in values] for _ in range(4)]
    results = []
    for fused in (True, False):
        variables = [kerasx.Variable(v) for v in values]
        optimizer = kerasx.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1)
        optimizer.build(variables)
        for step_grads in grads:
            if fused:
                optimizer.apply(step_grads, variables)
            else:
                # Inside a stateless scope the engine-free per-variable update runs; assign its results after.
                with kerasx.backend.StatelessScope() as scope:
                    optimizer.apply(step_grads, variables)
                for variable, value in scope.assignments():
                    variable.assign(value)
        results.append([support.to_numpy(v) for v in variables + optimizer.variables])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-7)
