"""LayerNormalization against NumPy: one or several axes, center/scale off, RMS scaling, int inputs, gradients,
errors."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, layers, ops
from layer_support import run_layer_test

RANDOM_INIT = {"beta_initializer": "random_normal", "gamma_initializer": "random_normal"}


def np_layer_norm(x, axes, gamma=None, beta=None, epsilon=1e-3, rms=False):
    x = np.asarray(x, np.float64)
    if rms:
        # Keras 3's deprecated rms_scaling: the standard deviation, without centring x.
        out = x / np.sqrt(x.var(axis=axes, keepdims=True) + epsilon)
    else:
        mean = x.mean(axis=axes, keepdims=True)
        out = (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + epsilon)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    if gamma is not None:
        out = out * np.reshape(gamma, shape)
    if beta is not None:
        out = out + np.reshape(beta, shape)
    return out


CASES = [
    pytest.param({}, (3, 5), (1,), id="LayerNormalization-last"),
    pytest.param({"axis": [1, 2], "epsilon": 0.01}, (2, 3, 4), (1, 2), id="LayerNormalization-two-axes"),
    pytest.param({"axis": 1}, (2, 3, 4), (1,), id="LayerNormalization-middle-axis"),
    pytest.param({"center": False}, (2, 4), (1,), id="LayerNormalization-no-center"),
    pytest.param({"rms_scaling": True}, (2, 3, 4), (2,), id="LayerNormalization-rms"),
]


@pytest.mark.parametrize("init_kwargs, input_shape, axes", CASES)
def test_LayerNormalization_against_numpy(init_kwargs, input_shape, axes):
    init_kwargs = {**RANDOM_INIT, **init_kwargs}
    epsilon = init_kwargs.get("epsilon", 1e-3)
    rms = init_kwargs.get("rms_scaling", False)
    has_beta = init_kwargs.get("center", True) and not rms

    def reference(x, weights):
        return np_layer_norm(x, axes, weights[0], weights[1] if has_beta else None, epsilon, rms)

    layer = run_layer_test(
        layers.LayerNormalization,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=input_shape,
        reference=reference,
        rtol=1e-4,
        atol=1e-5,
    )
    assert layer.gamma.shape == tuple(input_shape[a] for a in axes)
    assert (layer.beta is not None) == has_beta


def test_LayerNormalization_without_weights():
    layer = layers.LayerNormalization(center=False, scale=False)
    x = support.random_array((3, 4))
    support.assert_close(layer(x), np_layer_norm(x, (1,)), rtol=1e-4, atol=1e-5)
    assert layer.weights == []


def test_LayerNormalization_int_inputs_and_symbolic():
    x = np.arange(12, dtype="int32").reshape(3, 4)
    y = support.check_symbolic(layers.LayerNormalization(), x)
    support.assert_dtype(y, "float32")
    support.assert_close(y, np_layer_norm(x, (1,)), rtol=1e-4, atol=1e-5)
    assert layers.LayerNormalization()(KerasTensor((None, None, 6))).shape == (None, None, 6)


@support.needs_gradients
def test_LayerNormalization_gradient_matches_finite_differences():
    x = support.random_array((2, 5), rng=np.random.default_rng(6))
    weights = np.random.default_rng(7).normal(size=x.shape)
    layer = layers.LayerNormalization(**RANDOM_INIT)
    layer(x)
    gamma, beta = layer.get_weights()
    (grad,) = support.grad_of(lambda t: ops.sum(ops.multiply(layer(t), weights.astype("float32"))), x)
    expected = support.numeric_grad(lambda v: float(np.sum(np_layer_norm(v, (1,), gamma, beta) * weights)), x)
    support.assert_close(grad, expected, rtol=1e-3, atol=1e-4)


def test_LayerNormalization_errors():
    with pytest.raises(ValueError, match="LayerNormalization: `axis` must be an int or a list"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match=r"Layer 'ln_batch' \(LayerNormalization\) normalizes over axis=0"):
        layers.LayerNormalization(axis=0, name="ln_batch")(support.random_array((2, 3)))
    with pytest.raises(ValueError, match=r"normalizes over axis=\[1, 3\]"):
        layers.LayerNormalization(axis=[1, 3])(support.random_array((2, 3, 4)))
    with pytest.raises(ValueError, match="needs the sizes of the normalized axes"):
        layers.LayerNormalization()(KerasTensor((None, None)))


def test_LayerNormalization_config():
    config = layers.LayerNormalization(axis=[1, 2]).get_config()
    assert config["axis"] == [1, 2] and config["epsilon"] == 1e-3 and config["rms_scaling"] is False
    assert config["gamma_initializer"]["class_name"] == "Ones" and config["beta_initializer"]["class_name"] == "Zeros"
