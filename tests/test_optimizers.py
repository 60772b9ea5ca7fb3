"""Optimizers against NumPy implementations of their update rules, state handling, compiled steps, config, errors.

The update math needs no autodiff, so everything except the small training test also runs on the numpy backend
(gradients are given as arrays).
"""

import math

import numpy as np
import pytest

import kerasx
import support
from kerasx import backend, ops, optimizers, saving
from kerasx.optimizers import schedules

BACKEND = backend.backend()
NUM_STEPS = 5
SHAPES = [(3, 4), (4,), ()]


# NumPy reference: one function per update rule, on float64 arrays. `state` holds the variable's slots, `shared`
# the state common to all variables, `t` is the 1-based step. ---------------------------------------------------------


def ref_sgd(w, g, state, t, lr, c, shared):
    momentum = c.get("momentum", 0.0)
    if momentum == 0:
        return w - lr * g
    v = momentum * state.get("v", np.zeros_like(w)) - lr * g
    state["v"] = v
    return w + momentum * v - lr * g if c.get("nesterov") else w + v


def ref_rmsprop(w, g, state, t, lr, c, shared):
    rho, momentum, eps = c.get("rho", 0.9), c.get("momentum", 0.0), c.get("epsilon", 1e-7)
    v = state["v"] = rho * state.get("v", np.zeros_like(w)) + (1 - rho) * g * g
    if c.get("centered"):
        a = state["a"] = rho * state.get("a", np.zeros_like(w)) + (1 - rho) * g
        increment = lr * g / np.sqrt(v - a * a + eps)
    else:
        increment = lr * g / np.sqrt(v + eps)
    if momentum > 0:
        m = state["m"] = momentum * state.get("m", np.zeros_like(w)) + increment
        return w - m
    return w - increment


def ref_adam(w, g, state, t, lr, c, shared):
    b1, b2, eps = c.get("beta_1", 0.9), c.get("beta_2", 0.999), c.get("epsilon", 1e-7)
    m = state["m"] = state.get("m", np.zeros_like(w)) + (g - state.get("m", np.zeros_like(w))) * (1 - b1)
    v = state["v"] = state.get("v", np.zeros_like(w)) + (g * g - state.get("v", np.zeros_like(w))) * (1 - b2)
    if c.get("amsgrad"):
        v = state["v_hat"] = np.maximum(state.get("v_hat", np.zeros_like(w)), v)
    alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
    return w - alpha * m / (np.sqrt(v) + eps)


def ref_adagrad(w, g, state, t, lr, c, shared):
    acc = state["acc"] = state.get("acc", np.full_like(w, c.get("initial_accumulator_value", 0.1))) + g * g
    return w - lr * g / np.sqrt(acc + c.get("epsilon", 1e-7))


def ref_adadelta(w, g, state, t, lr, c, shared):
    rho, eps = c.get("rho", 0.95), c.get("epsilon", 1e-7)
    eg = state["eg"] = rho * state.get("eg", np.zeros_like(w)) + (1 - rho) * g * g
    ed = state.get("ed", np.zeros_like(w))
    delta = -np.sqrt(ed + eps) / np.sqrt(eg + eps) * g
    state["ed"] = rho * ed + (1 - rho) * delta * delta
    return w + lr * delta


def ref_adamax(w, g, state, t, lr, c, shared):
    b1, b2, eps = c.get("beta_1", 0.9), c.get("beta_2", 0.999), c.get("epsilon", 1e-7)
    m = state["m"] = b1 * state.get("m", np.zeros_like(w)) + (1 - b1) * g
    u = state["u"] = np.maximum(b2 * state.get("u", np.zeros_like(w)), np.abs(g))
    return w - lr * m / ((1 - b1**t) * (u + eps))


def ref_nadam(w, g, state, t, lr, c, shared):
    b1, b2, eps = c.get("beta_1", 0.9), c.get("beta_2", 0.999), c.get("epsilon", 1e-7)
    mu_t = b1 * (1 - 0.5 * 0.96**t)
    mu_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
    product = shared["u_product"]  # already includes mu_t
    m = state["m"] = b1 * state.get("m", np.zeros_like(w)) + (1 - b1) * g
    v = state["v"] = b2 * state.get("v", np.zeros_like(w)) + (1 - b2) * g * g
    m_hat = mu_next * m / (1 - product * mu_next) + (1 - mu_t) * g / (1 - product)
    v_hat = v / (1 - b2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps)


def ref_lion(w, g, state, t, lr, c, shared):
    b1, b2 = c.get("beta_1", 0.9), c.get("beta_2", 0.99)
    m = state.get("m", np.zeros_like(w))
    w = w - lr * np.sign(b1 * m + (1 - b1) * g)
    state["m"] = b2 * m + (1 - b2) * g
    return w


REFERENCES = {
    "SGD": ref_sgd,
    "RMSprop": ref_rmsprop,
    "Adam": ref_adam,
    "AdamW": ref_adam,
    "Adagrad": ref_adagrad,
    "Adadelta": ref_adadelta,
    "Adamax": ref_adamax,
    "Nadam": ref_nadam,
    "Lion": ref_lion,
}
DEFAULT_WEIGHT_DECAY = {"AdamW": 0.004}


def ref_clip(grads, c):
    if c.get("clipnorm") is not None:
        return [g * min(1.0, c["clipnorm"] / max(np.linalg.norm(g), 1e-30)) for g in grads]
    if c.get("clipvalue") is not None:
        return [np.clip(g, -c["clipvalue"], c["clipvalue"]) for g in grads]
    if c.get("global_clipnorm") is not None:
        norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        return [g * min(1.0, c["global_clipnorm"] / norm) for g in grads]
    return grads


def reference_run(name, config, weights, grad_steps, rates, decayed=None):
    """Weights after each step of the NumPy reference; `rates[t-1]` is the learning rate of step t."""
    weights = [w.astype(np.float64) for w in weights]
    states = [{} for _ in weights]
    shared = {"u_product": 1.0}
    decay = config.get("weight_decay", DEFAULT_WEIGHT_DECAY.get(name))
    decayed = decayed or [True] * len(weights)
    history = []
    for t, grads in enumerate(grad_steps, start=1):
        lr = rates[t - 1]
        grads = ref_clip([g.astype(np.float64) for g in grads], config)
        if decay:
            weights = [w - w * decay * lr if d else w for w, d in zip(weights, decayed)]
        shared["u_product"] *= config.get("beta_1", 0.9) * (1 - 0.5 * 0.96**t)
        weights = [REFERENCES[name](w, g, s, t, lr, config, shared) for w, g, s in zip(weights, grads, states)]
        history.append(weights)
    return history


def problem(seed=0, shapes=SHAPES):
    rng = np.random.default_rng(seed)
    weights = [rng.uniform(-1, 1, size=s).astype("float32") for s in shapes]
    # Gradients of varied scale per step, away from 0 so that Lion's sign is well defined.
    grad_steps = [
        [(rng.uniform(0.2, 1.5, size=s) * rng.choice([-1, 1], size=s) * (t + 1) / 2).astype("float32") for s in shapes]
        for t in range(NUM_STEPS)
    ]
    return weights, grad_steps


def make_variables(weights, names=None):
    names = names or [f"layer/w{i}" for i in range(len(weights))]
    variables = []
    for w, name in zip(weights, names):
        variable = kerasx.Variable(w, name=name.split("/")[-1])
        variable.path = name
        variables.append(variable)
    return variables


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


def compiled_step(optimizer, variables):
    """`optimizer.apply(grads, variables)` compiled by the engine (jax.jit, tf.function; eager torch/numpy)."""
    optimizer.build(variables)

    def step(grads):
        optimizer.apply(grads, variables)
        return ops.convert_to_tensor(optimizer.iterations)

    jit_compile = BACKEND in ("jax", "tensorflow")
    return backend.active.trainer.make_step(step, variables + optimizer.variables, jit_compile=jit_compile)


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


# State variables, saving, config ------------------------------------------------------------------------------------


def test_variables_paths_order_and_dtypes():
    weights = [np.ones((2, 3), "float32"), np.ones(3, "float32")]
    variables = make_variables(weights, names=["dense/kernel", "dense/bias"])
    optimizer = optimizers.Adam(amsgrad=True, name="opt")
    optimizer.build(variables)
    optimizer.build(variables)  # building twice creates nothing new
    paths = [v.path for v in optimizer.variables]
    assert paths == [
        "opt/iteration",
        "opt/learning_rate",
        "opt/dense_kernel_momentum",
        "opt/dense_kernel_velocity",
        "opt/dense_bias_momentum",
        "opt/dense_bias_velocity",
        "opt/dense_kernel_velocity_hat",
        "opt/dense_bias_velocity_hat",
    ]
    # Keras 3's step counter is int64 on TensorFlow, int32 elsewhere.
    counter = "int64" if kerasx.backend.backend() == "tensorflow" else "int32"
    assert [v.dtype for v in optimizer.variables[:2]] == [counter, "float32"]
    assert all(not v.trainable for v in optimizer.variables)
    assert [v.shape for v in optimizer.variables[2:4]] == [(2, 3), (2, 3)]
    # Default names as Keras 3 gives them: the snake-case class name, numbered from the second one on.
    kerasx.backend.clear_session()
    assert [optimizers.SGD().name, optimizers.SGD().name, optimizers.RMSprop().name, optimizers.AdamW().name] == [
        "sgd", "sgd_1", "rm_sprop", "adam_w"
    ]
    assert optimizers.Nadam().name == "nadam"
    nadam = optimizers.Nadam(name="nadam")
    nadam.build(variables)
    assert nadam.variables[-1].path.startswith("nadam/variable")
    support.assert_close(nadam.variables[-1], np.float32(1.0))


def test_adagrad_accumulators_start_at_initial_value():
    variables = make_variables([np.zeros((2, 2), "float32")])
    optimizer = optimizers.Adagrad(initial_accumulator_value=0.25)
    optimizer.build(variables)
    support.assert_close(optimizer.variables[2], np.full((2, 2), 0.25, "float32"))


def test_save_and_load_own_variables():
    weights, grad_steps = problem(seed=10)
    source_vars, target_vars = make_variables(weights), make_variables(weights)
    source = optimizers.Adam(learning_rate=0.05)
    for grads in grad_steps[:3]:
        source.apply(grads, source_vars)
    store = {}
    source.save_own_variables(store)
    target = optimizers.Adam(learning_rate=0.05)
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        target.load_own_variables(store)
    target.build(target_vars)
    target.load_own_variables(store)
    for source_var, target_var in zip(source_vars, target_vars):
        target_var.assign(source_var.numpy())
    source.apply(grad_steps[3], source_vars)
    target.apply(grad_steps[3], target_vars)
    for a, b in zip(source_vars, target_vars):
        support.assert_close(a, b.numpy(), rtol=0, atol=0)
    assert int(target.iterations.numpy()) == 4


@pytest.mark.parametrize(
    "optimizer",
    [
        pytest.param(optimizers.SGD(learning_rate=0.3, momentum=0.2, nesterov=True, clipnorm=1.5), id="SGD"),
        pytest.param(optimizers.RMSprop(rho=0.8, centered=True, global_clipnorm=2.0), id="RMSprop"),
        pytest.param(optimizers.Adam(amsgrad=True, clipvalue=0.5, name="a"), id="Adam"),
        pytest.param(optimizers.AdamW(weight_decay=0.01), id="AdamW"),
        pytest.param(optimizers.Adagrad(initial_accumulator_value=0.3), id="Adagrad"),
        pytest.param(optimizers.Adadelta(rho=0.5), id="Adadelta"),
        pytest.param(optimizers.Adamax(beta_2=0.9), id="Adamax"),
        pytest.param(optimizers.Nadam(epsilon=1e-5), id="Nadam"),
        pytest.param(optimizers.Lion(beta_1=0.5), id="Lion"),
        pytest.param(optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 100, alpha=0.1)), id="Adam-schedule"),
    ],
)
def test_config_round_trip(optimizer):
    config = optimizers.serialize(optimizer)
    assert config["class_name"] == type(optimizer).__name__
    clone = optimizers.deserialize(config)
    assert type(clone) is type(optimizer)
    assert clone.get_config() == optimizer.get_config()
    again = optimizers.get(config)
    assert again.get_config() == optimizer.get_config() and again is not optimizer


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("adam", optimizers.Adam),
        ("Adam", optimizers.Adam),
        ("sgd", optimizers.SGD),
        ("SGD", optimizers.SGD),
        ("rmsprop", optimizers.RMSprop),
        ("adamw", optimizers.AdamW),
        ("adagrad", optimizers.Adagrad),
        ("adadelta", optimizers.Adadelta),
        ("adamax", optimizers.Adamax),
        ("nadam", optimizers.Nadam),
        ("lion", optimizers.Lion),
    ],
)
def test_get_by_name(identifier, cls):
    optimizer = optimizers.get(identifier)
    assert type(optimizer) is cls
    assert {**optimizer.get_config(), "name": None} == {**cls().get_config(), "name": None}


def test_get_instance_and_errors():
    adam = optimizers.Adam()
    assert optimizers.get(adam) is adam
    with pytest.raises(
        ValueError, match=r"Could not interpret optimizer identifier: 'adamm'.*Adadelta, Adafactor, Adagrad, Adam"
    ):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 3"):
        optimizers.get(3)
    with pytest.raises(ValueError, match="Could not deserialize optimizer 'Mine'.*custom_objects"):
        optimizers.deserialize({"class_name": "Mine", "config": {}})
    with pytest.raises(ValueError, match="Expected a dict with keys 'class_name' and 'config'"):
        optimizers.deserialize({"config": {}})


def test_custom_optimizer_subclass_and_custom_objects():
    class SignSGD(optimizers.Optimizer):
        def update_step(self, gradient, variable, learning_rate):
            variable.assign(ops.subtract(variable, ops.multiply(ops.sign(gradient), learning_rate)))

    variables = make_variables([np.zeros(3, "float32")])
    optimizer = SignSGD(learning_rate=0.5)
    assert optimizer.name == "sign_sgd"
    optimizer.apply([np.array([2.0, -3.0, 0.5], "float32")], variables)
    support.assert_close(variables[0], np.array([-0.5, 0.5, -0.5]))
    clone = optimizers.deserialize(optimizers.serialize(optimizer), custom_objects={"SignSGD": SignSGD})
    assert isinstance(clone, SignSGD) and float(clone.learning_rate) == 0.5
    with pytest.raises(TypeError, match="abstract"):
        optimizers.Optimizer()


@pytest.mark.parametrize(
    "cls, kwargs, error, match",
    [
        pytest.param(
            optimizers.SGD,
            {"momentum": 1.5},
            ValueError,
            r"SGD: argument `momentum` must be in \[0.0, 1.0\]. Received: momentum=1.5",
            id="SGD-momentum",
        ),
        pytest.param(
            optimizers.SGD,
            {"momentum": "high"},
            TypeError,
            "must be a real number. Received: momentum='high'",
            id="SGD-momentum-type",
        ),
        pytest.param(
            optimizers.Adam,
            {"beta_1": 1.0},
            ValueError,
            r"`beta_1` must be in \[0.0, 1.0\)",
            id="Adam-beta_1",
        ),
        pytest.param(optimizers.Adam, {"epsilon": -1.0}, ValueError, "`epsilon` must be >= 0.0", id="Adam-epsilon"),
        pytest.param(
            optimizers.Lion,
            {"beta_1": 0.0},
            ValueError,
            r"`beta_1` must be in \(0.0, 1.0\]",
            id="Lion-beta_1",
        ),
        pytest.param(optimizers.RMSprop, {"rho": -0.1}, ValueError, "`rho` must be in", id="RMSprop-rho"),
        pytest.param(
            optimizers.Adagrad,
            {"initial_accumulator_value": -1},
            ValueError,
            "`initial_accumulator_value` must be >= 0.0",
            id="Adagrad-initial",
        ),
        pytest.param(
            optimizers.AdamW,
            {"weight_decay": None},
            ValueError,
            "AdamW: argument `weight_decay` must be a float",
            id="AdamW-weight_decay",
        ),
        pytest.param(
            optimizers.Adam,
            {"weight_decay": -0.1},
            ValueError,
            "`weight_decay` must be >= 0.0",
            id="Adam-weight_decay",
        ),
        pytest.param(
            optimizers.Adam,
            {"clipnorm": 1.0, "clipvalue": 1.0},
            ValueError,
            r"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            r"Received: clipnorm=1.0, clipvalue=1.0, global_clipnorm=None",
            id="Adam-two-clips",
        ),
        pytest.param(optimizers.Adam, {"clipnorm": 0.0}, ValueError, "`clipnorm` must be > 0.0", id="Adam-clipnorm"),
        pytest.param(
            optimizers.Adam,
            {"learning_rate": -0.1},
            ValueError,
            "`learning_rate` must be a non-negative float",
            id="Adam-learning_rate",
        ),
        pytest.param(
            optimizers.Adam,
            {"learning_rate": "fast"},
            ValueError,
            "Received: learning_rate='fast'",
            id="Adam-learning_rate-str",
        ),
        pytest.param(
            optimizers.Adam,
            {"lr": 0.1},
            ValueError,
            r"`lr` is not an argument. Received: lr=0.1. Use `learning_rate=0.1`",
            id="Adam-lr",
        ),
        pytest.param(
            optimizers.SGD,
            {"decay": 0.1},
            ValueError,
            "`decay` is not an argument.*InverseTimeDecay",
            id="SGD-decay",
        ),
        pytest.param(
            optimizers.Nadam,
            {"betas": (0.9, 0.99)},
            ValueError,
            "Nadam: argument.s. not recognized: betas",
            id="Nadam-unknown",
        ),
        pytest.param(
            optimizers.SGD,
            {"gradient_accumulation_steps": 1},
            ValueError,
            "`gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps=1",
            id="SGD-gradient_accumulation_steps",
        ),
        pytest.param(
            optimizers.Adam,
            {"use_ema": True, "ema_overwrite_frequency": 2.5},
            ValueError,
            "`ema_overwrite_frequency` must be an integer >= 1",
            id="Adam-ema_overwrite_frequency",
        ),
        pytest.param(
            optimizers.Adam, {"ema_momentum": 1.5}, ValueError, "`ema_momentum` must be in", id="Adam-ema_momentum"
        ),
        pytest.param(
            optimizers.Adam, {"loss_scale_factor": 0}, ValueError, "`loss_scale_factor` must be > 0.0", id="Adam-scale"
        ),
    ],
)
def test_bad_arguments(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)


def test_add_variable_rejects_bad_initializer():
    optimizer = optimizers.SGD(name="SGD")
    with pytest.raises(ValueError, match="cannot initialize variable 'slot' with initializer='glorot'"):
        optimizer.add_variable((2,), initializer="glorot", name="slot")
    slot = optimizer.add_variable((2,), initializer=lambda shape, dtype: np.full(shape, 3.0), name="three")
    support.assert_close(slot, np.full(2, 3.0, "float32"))
    assert slot.path == "SGD/three" and optimizer.variables[-1] is slot


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


def test_registered_custom_optimizer_and_saving_registry():
    @saving.register_keras_serializable(package="OptimizerTests")
    class HalfSGD(optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient, variable, ops.multiply(learning_rate, 0.5))

    config = optimizers.serialize(HalfSGD(learning_rate=0.2))
    assert config["class_name"] == "OptimizerTests>HalfSGD"
    assert type(optimizers.deserialize(config)) is HalfSGD
    assert type(optimizers.get("OptimizerTests>HalfSGD")) is HalfSGD
    # The generic registry rebuilds built-in optimizers and schedules too (used when saving compiled models).
    adam = optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5), amsgrad=True)
    clone = saving.deserialize_keras_object(saving.serialize_keras_object(adam))
    assert type(clone) is optimizers.Adam and clone.get_config() == adam.get_config()
    assert isinstance(clone._learning_rate, schedules.ExponentialDecay)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'OptimizerTests>Missing'"):
        optimizers.get("OptimizerTests>Missing")


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
