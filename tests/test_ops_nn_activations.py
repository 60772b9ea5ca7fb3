"""Activation ops against independent NumPy formulas: values, dtypes, symbolic shapes, gradients, errors."""

import math

import numpy as np
import pytest
from scipy import special

import nn_support
import support
from kerasx import backend, ops

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def np_sigmoid(x):
    return special.expit(x)


def np_gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def np_softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def np_sparsemax(x, axis=-1):
    """Sparsemax by bisection on the threshold tau with sum(max(x - tau, 0)) = 1 (a different method than sorting)."""
    moved = np.moveaxis(np.asarray(x, np.float64), axis, -1)
    low = np.min(moved, axis=-1, keepdims=True) - 1.0
    high = np.max(moved, axis=-1, keepdims=True)
    for _ in range(200):
        tau = 0.5 * (low + high)
        too_much = np.sum(np.maximum(moved - tau, 0), axis=-1, keepdims=True) > 1
        low, high = np.where(too_much, tau, low), np.where(too_much, high, tau)
    return np.moveaxis(np.maximum(moved - 0.5 * (low + high), 0), -1, axis)


# name -> (op call, NumPy formula, points where the function has a kink / jump, to keep inputs away from)
ACTIVATIONS = {
    "relu": (ops.relu, lambda x: np.maximum(x, 0), (0,)),
    "relu6": (ops.relu6, lambda x: np.minimum(np.maximum(x, 0), 6), (0, 6)),
    "sigmoid": (ops.sigmoid, np_sigmoid, ()),
    "sparse_sigmoid": (ops.sparse_sigmoid, lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)), (-1, 1)),
    "softplus": (ops.softplus, lambda x: np.log1p(np.exp(x)), ()),
    "softsign": (ops.softsign, lambda x: x / (1 + np.abs(x)), ()),
    "soft_shrink": (ops.soft_shrink, lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0), (-0.5, 0.5)),
    "sparse_plus": (ops.sparse_plus, lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)), (-1, 1)),
    "silu": (ops.silu, lambda x: x * np_sigmoid(x), ()),
    "swish": (ops.swish, lambda x: x * np_sigmoid(x), ()),
    "squareplus": (ops.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2, ()),
    "log_sigmoid": (ops.log_sigmoid, lambda x: np.log(np_sigmoid(x)), ()),
    "leaky_relu": (ops.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x), (0,)),
    "hard_sigmoid": (ops.hard_sigmoid, lambda x: np.minimum(np.maximum(x + 3, 0), 6) / 6, (-3, 3)),
    "hard_silu": (ops.hard_silu, lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6, (-3, 3)),
    "hard_swish": (ops.hard_swish, lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6, (-3, 3)),
    "elu": (ops.elu, lambda x: np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1), (0,)),
    "selu": (ops.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(np.minimum(x, 0)) - 1)), (0,)),
    "gelu": (ops.gelu, np_gelu_tanh, ()),
    "celu": (ops.celu, lambda x: np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1), (0,)),
    "tanh_shrink": (ops.tanh_shrink, lambda x: x - np.tanh(x), ()),
    "hard_tanh": (ops.hard_tanh, lambda x: np.minimum(np.maximum(x, -1), 1), (-1, 1)),
    "hard_shrink": (ops.hard_shrink, lambda x: np.where(np.abs(x) > 0.5, x, 0), (-0.5, 0.5)),
    "softmax": (ops.softmax, np_softmax, ()),
    "log_softmax": (ops.log_softmax, lambda x: np.log(np_softmax(x)), ()),
    "sparsemax": (ops.sparsemax, np_sparsemax, ()),
}

# Keyword arguments that change the formula, with the matching reference.
WITH_ARGUMENTS = [
    pytest.param(
        ops.leaky_relu, {"negative_slope": 0.05}, lambda x: np.where(x >= 0, x, 0.05 * x), id="leaky_relu-slope"
    ),
    pytest.param(
        ops.elu, {"alpha": 0.3}, lambda x: np.where(x > 0, x, 0.3 * np.expm1(np.minimum(x, 0))), id="elu-alpha"
    ),
    pytest.param(
        ops.celu, {"alpha": 2.0}, lambda x: np.maximum(x, 0) + np.minimum(2 * np.expm1(x / 2), 0), id="celu-alpha"
    ),
    pytest.param(
        ops.gelu, {"approximate": False}, lambda x: 0.5 * x * (1 + special.erf(x / math.sqrt(2))), id="gelu-exact"
    ),
    pytest.param(
        ops.soft_shrink,
        {"threshold": 1.0},
        lambda x: np.sign(x) * np.maximum(np.abs(x) - 1, 0),
        id="soft_shrink-threshold",
    ),
    pytest.param(
        ops.hard_shrink, {"threshold": 1.0}, lambda x: np.where(np.abs(x) > 1, x, 0), id="hard_shrink-threshold"
    ),
    pytest.param(ops.squareplus, {"b": 1.0}, lambda x: (x + np.sqrt(x * x + 1)) / 2, id="squareplus-b"),
    pytest.param(
        ops.threshold, {"threshold": 0.3, "default_value": -2.0}, lambda x: np.where(x > 0.3, x, -2.0), id="threshold"
    ),
    pytest.param(ops.softmax, {"axis": 0}, lambda x: np_softmax(x, 0), id="softmax-axis0"),
    pytest.param(ops.softmax, {"axis": (0, 2)}, lambda x: np_softmax(x, (0, 2)), id="softmax-axis_tuple"),
    pytest.param(ops.log_softmax, {"axis": 1}, lambda x: np.log(np_softmax(x, 1)), id="log_softmax-axis1"),
    pytest.param(
        ops.log_softmax, {"axis": (1, 2)}, lambda x: np.log(np_softmax(x, (1, 2))), id="log_softmax-axis_tuple"
    ),
    pytest.param(ops.sparsemax, {"axis": 1}, lambda x: np_sparsemax(x, 1), id="sparsemax-axis1"),
    pytest.param(ops.glu, {"axis": -1}, lambda x: x[..., :2] * np_sigmoid(x[..., 2:]), id="glu-last"),
    pytest.param(ops.glu, {"axis": 0}, lambda x: x[:1] * np_sigmoid(x[1:]), id="glu-axis0"),
]

# Aliases share their target's code; their gradients are checked through the target.
ALIASES = ("swish", "hard_swish")
# Argument variants whose gradient differs from the default's in more than a constant.
SMOOTH_ARGUMENTS = (
    "leaky_relu-slope",
    "elu-alpha",
    "celu-alpha",
    "gelu-exact",
    "squareplus-b",
    "softmax-axis_tuple",
    "log_softmax-axis_tuple",
    "sparsemax-axis1",
    "glu-axis0",
)


def away_from(x, kinks, margin=0.02):
    """Moves values within `margin` of a kink to the kink + 3 * margin, so finite differences stay on one side."""
    x = np.array(x, np.float64)
    for kink in kinks:
        near = np.abs(x - kink) < margin
        x[near] = kink + 3 * margin
    return x.astype(np.float32)


def inputs(shape=(2, 3, 4), low=-4.0, high=4.0, seed=0):
    return support.random_array(shape, "float32", low, high, np.random.default_rng(seed))


def activation_params():
    return [pytest.param(name, id=name) for name in ACTIVATIONS]


@pytest.mark.parametrize("name", activation_params())
def test_activation_float32_values(name):
    fn, reference, kinks = ACTIVATIONS[name]
    x = away_from(inputs(), kinks)
    out = support.check_symbolic(fn, x)
    support.assert_dtype(out, "float32")
    support.assert_close(out, reference(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", activation_params())
def test_activation_int_inputs_give_floatx(name):
    fn, reference, _ = ACTIVATIONS[name]
    x = np.arange(-12, 12, dtype="int32").reshape(2, 3, 4)
    out = support.check_symbolic(fn, x)
    support.assert_dtype(out, backend.floatx())
    support.assert_close(out, reference(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn, kwargs, reference", WITH_ARGUMENTS)
def test_activation_arguments(fn, kwargs, reference):
    x = inputs((2, 3, 4), seed=1)
    out = support.check_symbolic(fn, x, **kwargs)
    support.assert_dtype(out, "float32")
    support.assert_close(out, reference(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "name", [pytest.param(n, id=f"{n}-float16") for n in ("relu", "sigmoid", "gelu", "softmax", "hard_silu")]
)
def test_activation_keeps_half_precision(name):
    fn, reference, _ = ACTIVATIONS[name]
    x = inputs().astype("float16")
    out = fn(x)
    support.assert_dtype(out, "float16")
    support.assert_close(out, reference(x.astype(np.float64)), rtol=1e-2, atol=1e-2)


@support.needs_gradients
@pytest.mark.parametrize("name", [p for p in activation_params() if p.id not in ALIASES])
def test_activation_gradient(name):
    fn, reference, kinks = ACTIVATIONS[name]
    x = away_from(inputs(low=-5.0, high=5.0, seed=2), kinks)
    nn_support.check_gradients(fn, reference, x)


@support.needs_gradients
@pytest.mark.parametrize("fn, kwargs, reference", [p for p in WITH_ARGUMENTS if p.id in SMOOTH_ARGUMENTS])
def test_activation_arguments_gradient(fn, kwargs, reference):
    x = away_from(inputs((2, 3, 4), seed=3), (-1.0, -0.5, 0.0, 0.3, 0.5, 1.0))
    nn_support.check_gradients(lambda t: fn(t, **kwargs), reference, x)


def test_softmax_sums_to_one_and_is_stable_for_large_logits():
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]], np.float32)
    out = ops.softmax(x)
    support.assert_close(out, np_softmax(x.astype(np.float64)))
    support.assert_close(ops.log_softmax(x), np_log_softmax(x.astype(np.float64)), atol=1e-4)


def test_aliases():
    assert ops.swish is ops.silu and ops.hard_swish is ops.hard_silu


def test_sparsemax_gives_exact_zeros():
    x = np.array([[3.0, 1.0, -2.0], [0.2, 0.1, 0.0]], np.float32)
    out = support.to_numpy(ops.sparsemax(x))
    support.assert_close(out, np_sparsemax(x))
    assert out[0, 1] == 0.0 and out[0, 2] == 0.0


@pytest.mark.parametrize(
    "fn, kwargs, match",
    [
        pytest.param(ops.glu, {"axis": 1}, "even size", id="glu-odd_axis"),
        pytest.param(ops.softmax, {"axis": 5}, "Axis out of range", id="softmax-bad_axis"),
        pytest.param(ops.sparsemax, {"axis": (0, 1)}, "single integer axis", id="sparsemax-axis_tuple"),
    ],
)
def test_activation_errors(fn, kwargs, match):
    x = inputs((2, 3))
    with pytest.raises(ValueError, match=match):
        fn(x, **kwargs)
    with pytest.raises(ValueError, match=match):
        fn(ops.KerasTensor((None, 3)), **kwargs)
