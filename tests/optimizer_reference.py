"""NumPy implementations of the optimizers' update rules, and the small problems tests/test_optimizers_*.py run.

The update math needs no autodiff: gradients are given as arrays, so these references serve every backend, numpy's too.
"""

import math

import numpy as np

import kerasx
from kerasx import backend, ops

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


def compiled_step(optimizer, variables):
    """`optimizer.apply(grads, variables)` compiled by the engine (jax.jit, tf.function; eager torch/numpy)."""
    optimizer.build(variables)

    def step(grads):
        optimizer.apply(grads, variables)
        return ops.convert_to_tensor(optimizer.iterations)

    jit_compile = BACKEND in ("jax", "tensorflow")
    return backend.active.trainer.make_step(step, variables + optimizer.variables, jit_compile=jit_compile)
