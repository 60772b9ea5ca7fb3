"""Every optimizer of `kerasx.optimizers` against Keras 3.15.1's (`import keras`) on the same backend.

The same variables (a dense kernel, a tall and a wide matrix, a bias, a 4-D convolution kernel, an embedding
matrix) and the same sequence of gradients go through Keras 3's optimizer and kerasx's; after every step each
variable and each optimizer variable (same count, order, paths, dtypes and shapes) agree to 1e-6. Each case runs
eagerly and inside the engine's compiled step (jax.jit, tf.function; torch and numpy run it eagerly), and the base
keywords (clipping, weight decay, EMA, gradient accumulation, loss scale factor, schedules) are covered on several
optimizers. Configs: kerasx's equals Keras 3's for the same arguments, and each library rebuilds the other's.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

import kerasx
import support
from kerasx import backend, optimizers

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


def _schedule(lib):
    return lib.optimizers.schedules.ExponentialDecay(0.05, decay_steps=2, decay_rate=0.5)


# (id, class name, constructor arguments; a callable value is called with the library to make it).
CASES = [
    ("sgd", "SGD", {}),
    ("sgd-momentum", "SGD", {"momentum": 0.9}),
    ("sgd-nesterov", "SGD", {"momentum": 0.9, "nesterov": True}),
    ("rmsprop", "RMSprop", {}),
    ("rmsprop-centered-momentum", "RMSprop", {"centered": True, "momentum": 0.5}),
    ("adam", "Adam", {"learning_rate": 0.01}),
    ("adam-amsgrad", "Adam", {"amsgrad": True}),
    ("adamw", "AdamW", {"learning_rate": 0.01, "weight_decay": 0.1}),
    ("adagrad", "Adagrad", {"learning_rate": 0.1}),
    ("adadelta", "Adadelta", {"learning_rate": 1.0}),
    ("adamax", "Adamax", {"learning_rate": 0.01}),
    ("nadam", "Nadam", {"learning_rate": 0.01}),
    ("lion", "Lion", {"learning_rate": 0.01}),
    # Base keywords.
    ("adam-clipnorm", "Adam", {"clipnorm": 0.5}),
    ("sgd-clipvalue", "SGD", {"clipvalue": 0.3}),
    ("rmsprop-global-clipnorm", "RMSprop", {"global_clipnorm": 1.0}),
    ("sgd-weight-decay", "SGD", {"weight_decay": 0.2, "momentum": 0.5}),
    ("adam-ema", "Adam", {"use_ema": True, "ema_momentum": 0.9}),
    ("sgd-ema-overwrite", "SGD", {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 2}),
    ("adam-accumulation", "Adam", {"learning_rate": 0.01, "gradient_accumulation_steps": 2}),
    ("sgd-accumulation-ema", "SGD", {"gradient_accumulation_steps": 2, "use_ema": True, "momentum": 0.9}),
    ("adamw-accumulation-clipnorm", "AdamW", {"gradient_accumulation_steps": 3, "clipnorm": 0.3}),
    ("sgd-loss-scale-factor", "SGD", {"loss_scale_factor": 8.0}),
    ("adam-schedule", "Adam", {"learning_rate": _schedule}),
    ("adam-accumulation-schedule", "Adam", {"learning_rate": _schedule, "gradient_accumulation_steps": 2}),
]


def arguments(config, lib):
    return {key: value(lib) if callable(value) else value for key, value in config.items()}


def initial_weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape).astype("float32") for _, shape in SHAPES]


def gradient_steps(seed=1, num_steps=NUM_STEPS):
    rng = np.random.default_rng(seed)
    return [[rng.normal(size=shape).astype("float32") for _, shape in SHAPES] for _ in range(num_steps)]


def make_variables(lib, weights):
    return [lib.Variable(w, name=name) for (name, _), w in zip(SHAPES, weights)]


def keras_run(class_name, config, weights, steps):
    """Keras 3's states after each step: [(variables, optimizer variables)] as NumPy, plus its optimizer."""
    variables = make_variables(keras, weights)
    optimizer = getattr(keras.optimizers, class_name)(**arguments(config, keras))
    states = []
    for grads in steps:
        optimizer.apply([keras.ops.convert_to_tensor(g) for g in grads], variables)
        states.append(([np.asarray(v.numpy()) for v in variables], [np.asarray(v.numpy()) for v in optimizer.variables]))
    return states, optimizer


def kerasx_run(class_name, config, weights, steps, compiled=False):
    variables = make_variables(kerasx, weights)
    optimizer = getattr(optimizers, class_name)(**arguments(config, kerasx))
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


def assert_same_states(expected_run, actual_run):
    (expected_states, keras_optimizer), (actual_states, kerasx_optimizer) = expected_run, actual_run
    expected_slots = [(v.path, backend.standardize_dtype(str(v.dtype)), tuple(v.shape)) for v in keras_optimizer.variables]
    actual_slots = [(v.path, v.dtype, tuple(v.shape)) for v in kerasx_optimizer.variables]
    assert actual_slots == expected_slots
    for step, ((expected_vars, expected_opt), (actual_vars, actual_opt)) in enumerate(
        zip(expected_states, actual_states)
    ):
        for name, expected, actual in zip([n for n, _ in SHAPES], expected_vars, actual_vars):
            assert actual.shape == expected.shape
            np.testing.assert_allclose(
                actual, expected, rtol=TOLERANCE, atol=TOLERANCE, err_msg=f"variable {name} after step {step + 1}"
            )
            support.record_comparison(actual, expected)
        for (path, _, _), expected, actual in zip(actual_slots, expected_opt, actual_opt):
            np.testing.assert_allclose(
                actual.astype("float64"), expected.astype("float64"), rtol=TOLERANCE, atol=TOLERANCE,
                err_msg=f"optimizer variable {path} after step {step + 1}",
            )
            support.record_comparison(actual, expected)


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
@pytest.mark.parametrize("case_id, class_name, config", CASES, ids=[c[0] for c in CASES])
def test_optimizer_matches_keras3(case_id, class_name, config, compiled):
    weights, steps = initial_weights(), gradient_steps()
    keras.backend.clear_session()
    kerasx.backend.clear_session()
    expected = keras_run(class_name, config, weights, steps)
    actual = kerasx_run(class_name, config, weights, steps, compiled=compiled)
    assert_same_states(expected, actual)
