"""The oracle harness of the optimizer tests: the same variables and gradients through Keras 3 (`import keras`)
and kerasx, states compared after every step."""

from __future__ import annotations

import keras
import numpy as np

import kerasx
import support
from kerasx import backend

BACKEND = backend.backend()
NUM_STEPS = 5
TOLERANCE = 1e-6

# (name, shape): the names put "embedding" in the path of the embedding matrix (Muon updates it with AdamW).
SHAPES = (
    ("dense_kernel", (5, 3)),
    ("wide_kernel", (3, 6)),
    ("dense_bias", (3,)),
    ("conv_kernel", (3, 3, 2, 4)),
    ("embedding_table", (10, 4)),
)


def initial_weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape).astype("float32") for _, shape in SHAPES]


def gradient_steps(seed=1, num_steps=NUM_STEPS):
    rng = np.random.default_rng(seed)
    return [[rng.normal(size=shape).astype("float32") for _, shape in SHAPES] for _ in range(num_steps)]


def make_variables(lib, weights):
    return [lib.Variable(w, name=name) for (name, _), w in zip(SHAPES, weights)]


def keras_run(make, weights, steps, stateless=False):
    """Keras 3's states after each step: [(variables, optimizer variables)] as NumPy, plus its optimizer.

    `make(lib)` builds the optimizer with `lib` (keras or kerasx). `stateless=True` applies the gradients with
    `stateless_apply`, as Keras's JAX trainer does, and writes the results back into the variables."""
    variables = make_variables(keras, weights)
    optimizer = make(keras)
    if stateless:
        optimizer.build(variables)
    states = []
    for grads in steps:
        grads = [keras.ops.convert_to_tensor(g) for g in grads]
        if stateless:
            values, optimizer_values = optimizer.stateless_apply(
                [v.value for v in optimizer.variables], grads, [v.value for v in variables]
            )
            for variable, value in zip(variables + optimizer.variables, list(values) + list(optimizer_values)):
                variable.assign(value)
        else:
            optimizer.apply(grads, variables)
        states.append(
            ([np.asarray(v.numpy()) for v in variables], [np.asarray(v.numpy()) for v in optimizer.variables])
        )
    return states, optimizer


def kerasx_run(make, weights, steps, compiled=False):
    """kerasx's states after each step, applied eagerly or in the engine's compiled step (jax.jit, tf.function;
    torch and numpy run it eagerly), plus its optimizer."""
    variables = make_variables(kerasx, weights)
    optimizer = make(kerasx)
    apply = optimizer.apply
    if compiled:
        optimizer.build(variables)

        def step(grads):
            optimizer.apply(grads, variables)
            return kerasx.ops.convert_to_tensor(optimizer.iterations)

        apply_step = backend.active.trainer.make_step(
            step, variables + optimizer.variables, jit_compile=BACKEND in ("jax", "tensorflow")
        )

        def apply(grads, _):
            apply_step([kerasx.ops.convert_to_tensor(g) for g in grads])

    states = []
    for grads in steps:
        apply(grads, variables)
        states.append(([v.numpy() for v in variables], [v.numpy() for v in optimizer.variables]))
    return states, optimizer


def _atol(expected) -> float:
    # 1e-6 of the array's scale (at least 1e-6): float32 slots such as Ftrl's linear terms reach ~20, where the
    # engines' pow kernels (and XLA's fusion of them) differ in the last bits.
    scale = float(np.max(np.abs(expected))) if np.size(expected) else 0.0
    return TOLERANCE * max(1.0, scale)


def _expected_dtype(keras_variable) -> str:
    dtype = backend.standardize_dtype(str(keras_variable.dtype))
    placeholder = tuple(keras_variable.shape) == () and "iteration" not in keras_variable.path
    if BACKEND == "jax" and dtype == "int64" and placeholder:
        # Keras 3 makes some scalar slots from a Python 0 (Adafactor's unused placeholders), which JAX with
        # JAX_ENABLE_X64 types int64; kerasx types a Python int int32 on every engine.
        return "int32"
    return dtype


def assert_same_states(expected_run, actual_run):
    (expected_states, keras_optimizer), (actual_states, kerasx_optimizer) = expected_run, actual_run
    actual_slots = [(v.path, v.dtype, tuple(v.shape)) for v in kerasx_optimizer.variables] if kerasx_optimizer else []
    if keras_optimizer is not None and kerasx_optimizer is not None:
        # Keras 3 nests name scopes when a wrapper builds its inner optimizer in `apply`
        # ("loss_scale_optimizer/adam/w_momentum"); the owner's name and the slot's are what both share.
        expected_slots = [
            ("/".join(v.path.split("/")[-2:]), _expected_dtype(v), tuple(v.shape)) for v in keras_optimizer.variables
        ]
        assert actual_slots == expected_slots, f"optimizer variables {actual_slots} != Keras 3's {expected_slots}"
    for step, ((expected_vars, expected_opt), (actual_vars, actual_opt)) in enumerate(
        zip(expected_states, actual_states)
    ):
        for name, expected, actual in zip([n for n, _ in SHAPES], expected_vars, actual_vars):
            assert actual.shape == expected.shape
            np.testing.assert_allclose(
                actual, expected, rtol=TOLERANCE, atol=_atol(expected), err_msg=f"variable {name} after step {step + 1}"
            )
            support.record_comparison(actual, expected)
        if expected_opt is None or actual_opt is None:
            continue
        for (path, _, _), expected, actual in zip(actual_slots, expected_opt, actual_opt):
            np.testing.assert_allclose(
                actual.astype("float64"), expected.astype("float64"), rtol=TOLERANCE, atol=_atol(expected),
                err_msg=f"optimizer variable {path} after step {step + 1}",
            )
            support.record_comparison(actual, expected)
