"""Activation functions by name: values against NumPy formulas, dtypes, symbolic shapes, gradients, lookup and
serialization, and the Activation layer."""

import math

import numpy as np
import pytest

import support
from kerasx import activations, layers, ops
from layer_support import run_layer_test

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _sparsemax(x):
    z = np.sort(x, axis=-1)[..., ::-1]
    cumulative = np.cumsum(z, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    support_size = (1 + k * z > cumulative).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support_size - 1, axis=-1) - 1) / support_size
    return np.maximum(x - tau, 0)


def _relu_general(x, negative_slope=0.0, max_value=None, threshold=0.0):
    positive = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        positive = np.minimum(positive, max_value)
    return positive + negative_slope * np.minimum(x - threshold, 0.0)


_erf = np.vectorize(math.erf)

# (case id, activation name, kwargs, NumPy reference)
CASES = [
    ("relu", "relu", {}, lambda x: np.maximum(x, 0)),
    ("relu-leaky-capped-shifted", "relu", {"negative_slope": 0.1, "max_value": 1.5, "threshold": 0.3},
     lambda x: _relu_general(x, 0.1, 1.5, 0.3)),
    ("relu-max-value", "relu", {"max_value": 1.0}, lambda x: np.clip(x, 0, 1.0)),
    ("leaky_relu", "leaky_relu", {}, lambda x: np.where(x >= 0, x, 0.2 * x)),
    ("relu6", "relu6", {}, lambda x: np.clip(3 * x, 0, 6) if False else np.clip(x, 0, 6)),
    ("elu", "elu", {"alpha": 0.5}, lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    ("selu", "selu", {}, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))),
    ("softplus", "softplus", {}, lambda x: np.log1p(np.exp(x))),
    ("softsign", "softsign", {}, lambda x: x / (1 + np.abs(x))),
    ("soft_shrink", "soft_shrink", {}, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0))),
    ("sparse_plus", "sparse_plus", {}, lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    ("silu", "silu", {}, lambda x: x * _sigmoid(x)),
    ("swish", "swish", {}, lambda x: x * _sigmoid(x)),
    ("squareplus", "squareplus", {"b": 2}, lambda x: (x + np.sqrt(x**2 + 2)) / 2),
    ("gelu-exact", "gelu", {}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    ("gelu-approximate", "gelu", {"approximate": True},
     lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    ("celu", "celu", {"alpha": 2.0}, lambda x: np.maximum(x, 0) + np.minimum(2.0 * (np.exp(x / 2.0) - 1), 0)),
    ("glu", "glu", {}, lambda x: x[..., :2] * _sigmoid(x[..., 2:])),
    ("tanh", "tanh", {}, np.tanh),
    ("tanh_shrink", "tanh_shrink", {}, lambda x: x - np.tanh(x)),
    ("hard_tanh", "hard_tanh", {}, lambda x: np.clip(x, -1, 1)),
    ("hard_shrink", "hard_shrink", {}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    ("threshold", "threshold", {"threshold": 0.5, "default_value": -1.0}, lambda x: np.where(x > 0.5, x, -1.0)),
    ("sigmoid", "sigmoid", {}, _sigmoid),
    ("sparse_sigmoid", "sparse_sigmoid", {}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    ("hard_sigmoid", "hard_sigmoid", {}, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    ("hard_silu", "hard_silu", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("hard_swish", "hard_swish", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("log_sigmoid", "log_sigmoid", {}, lambda x: -np.log1p(np.exp(-x))),
    ("exponential", "exponential", {}, np.exp),
    ("mish", "mish", {}, lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    ("softmax", "softmax", {}, _softmax),
    ("softmax-axis0", "softmax", {"axis": 0}, lambda x: _softmax(x, axis=0)),
    ("log_softmax", "log_softmax", {}, lambda x: np.log(_softmax(x))),
    ("sparsemax", "sparsemax", {}, _sparsemax),
    ("linear", "linear", {}, lambda x: x),
]
PARAMS = [pytest.param(name, kwargs, ref, id=case) for case, name, kwargs, ref in CASES]


def _apply(name, kwargs):
    fn = activations.get(name)
    return lambda x: fn(x, **kwargs)


@pytest.mark.parametrize("name, kwargs, reference", PARAMS)
def test_values_dtype_and_symbolic_float32(name, kwargs, reference):
    x = support.random_array((3, 4), "float32", low=-3, high=3)
    y = support.check_symbolic(_apply(name, kwargs), x)
    support.assert_dtype(y, "float32")
    support.assert_close(y, reference(x.astype("float64")), rtol=1e-5, atol=1e-6)


# Integer inputs of the ops-backed activations are the ops' concern (tested with the ops); these cases have their
# own conversion.
OWN_CONVERSION = ["relu", "relu-leaky-capped-shifted", "relu-max-value", "tanh", "exponential", "mish", "softmax"]


@pytest.mark.parametrize("name, kwargs, reference", [p for p in PARAMS if p.id in OWN_CONVERSION])
def test_int_inputs_give_floatx(name, kwargs, reference):
    x = support.random_array((2, 4), "int32", low=-3, high=3)
    y = support.check_symbolic(_apply(name, kwargs), x)
    support.assert_dtype(y, "float32")
    support.assert_close(y, reference(x.astype("float64")), rtol=1e-5, atol=1e-6)


SMOOTH = ["relu-leaky-capped-shifted", "elu", "selu", "softplus", "silu", "gelu-exact", "gelu-approximate", "celu",
          "glu", "tanh", "sigmoid", "log_sigmoid", "exponential", "mish", "softmax", "log_softmax", "squareplus"]


@support.needs_gradients
@pytest.mark.parametrize("name, kwargs, reference", [p for p in PARAMS if p.id in SMOOTH])
def test_gradients_match_finite_differences(name, kwargs, reference):
    # Values away from the kinks of the piecewise activations (0.3 and 1.5 for the shifted relu).
    x = np.array([[-1.7, -0.6, 0.8, 1.1], [2.2, -2.4, 0.55, -0.2]], "float32")
    weights = support.random_array(reference(x.astype("float64")).shape, "float32")
    fn = _apply(name, kwargs)
    (grad,) = support.grad_of(lambda t: ops.sum(ops.multiply(fn(t), weights)), x)
    expected = support.numeric_grad(lambda v: float(np.sum(reference(v) * weights)), x, eps=1e-4)
    support.assert_close(grad, expected, rtol=1e-4, atol=1e-4)


def test_get_accepts_names_aliases_callables_and_none():
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get(None) is activations.linear
    custom = lambda x: x  # noqa: E731
    assert activations.get(custom) is custom
    assert activations.get({"class_name": "tanh", "config": None}) is activations.tanh


def test_serialize_round_trips_every_name():
    for name in activations._functions.ALL_FUNCTIONS:
        assert activations.serialize(activations.get(name)) == name
        assert activations.deserialize(name) is activations.get(name)


def test_unknown_activation_lists_known_names():
    with pytest.raises(ValueError, match=r"Could not interpret activation function identifier: 'relux'.*gelu.*sigmoid"):
        activations.get("relux")
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        activations.get(3)


def test_activation_layer_with_run_layer_test():
    run_layer_test(
        layers.Activation,
        {"activation": "tanh"},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        reference=lambda x, w: np.tanh(x),
    )


def test_activation_layer_config_and_mask_passthrough():
    layer = layers.Activation("gelu", name="act")
    # Keras 3.15 writes a layer's dtype as its serialized policy, a plain float32 included.
    float32 = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    assert layer.get_config() == {"name": "act", "trainable": True, "dtype": float32, "activation": "gelu"}
    assert layer.supports_masking
