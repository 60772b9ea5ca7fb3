"""Lambda: wraps registered functions (config stores the name), output_shape forms, masks, training, arguments,
and the errors for unserializable functions."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, activations, layers, ops
from kerasx.ops import _masking
from kerasx.saving import register_keras_serializable
from layer_support import run_layer_test


@register_keras_serializable(package="TestLayersLambda")
def scaled_square(x, factor=2.0):
    return ops.multiply(ops.square(x), factor)


@register_keras_serializable(package="TestLayersLambda")
def flatten_pairs_shape(input_shape):
    return (input_shape[0], input_shape[1] * input_shape[2])


@register_keras_serializable(package="TestLayersLambda")
def first_feature_mask(inputs, mask):
    return ops.greater(inputs[..., 0], 0)


def test_Lambda_registered_function_with_arguments():
    layer = run_layer_test(
        layers.Lambda,
        {"function": scaled_square, "arguments": {"factor": 3.0}},
        input_shape=(3, 4),
        expected_output_shape=(3, 4),
        reference=lambda x, w: 3.0 * x**2,
    )
    assert layer.get_config()["function"] == "TestLayersLambda>scaled_square"


def test_Lambda_kerasx_activation_is_stored_by_name():
    layer = run_layer_test(
        layers.Lambda, {"function": activations.relu}, input_shape=(2, 5), reference=lambda x, w: np.maximum(x, 0)
    )
    assert layer.get_config()["function"] == "relu"


def test_Lambda_output_shape_forms():
    data = support.random_array((2, 3, 4))

    def pairs(x):
        return ops.reshape(x, (-1, 12))

    for output_shape in ((12,), flatten_pairs_shape):
        layer = layers.Lambda(pairs, output_shape=output_shape)
        assert layer(KerasTensor((None, 3, 4))).shape == (None, 12)
        support.assert_close(layer(data), data.reshape(2, 12))
    inferred = layers.Lambda(lambda x: ops.sum(x, axis=-1))
    y = support.check_symbolic(inferred, data)
    support.assert_close(y, data.sum(axis=-1), rtol=1e-5)
    ints = support.check_symbolic(layers.Lambda(lambda x: x + 1), np.arange(6, dtype="int32").reshape(2, 3))
    support.assert_dtype(ints, "int32")


def test_Lambda_mask_function_and_mask_argument():
    data = support.random_array((2, 3, 4))
    layer = layers.Lambda(scaled_square, mask=first_feature_mask)
    y = layer(data)
    support.assert_close(_masking.get_mask(y), data[..., 0] > 0)
    assert layer.get_config()["mask"] == "TestLayersLambda>first_feature_mask"
    received = {}

    def keep_mask(x, mask=None):
        received["mask"] = mask
        return x

    mask = np.array([[True, False, True], [False, False, True]])
    layers.Lambda(keep_mask)(data, mask=mask)
    support.assert_close(received["mask"], mask)


def test_Lambda_passes_training_when_the_function_takes_it():
    def noisy(x, training=None):
        return x + 1.0 if training else x

    layer = layers.Lambda(noisy)
    x = support.random_array((2, 2))
    support.assert_close(layer(x), x)
    support.assert_close(layer(x, training=True), x + 1.0)


@support.needs_gradients
def test_Lambda_gradient():
    layer = layers.Lambda(scaled_square)
    x = support.random_array((3, 2))
    (grad,) = support.grad_of(lambda t: ops.sum(layer(t)), x)
    support.assert_close(grad, 4.0 * x, rtol=1e-5)


def test_Lambda_unregistered_function_cannot_be_serialized():
    layer = layers.Lambda(lambda x: x + 1.0, name="anonymous")
    support.assert_close(layer(np.zeros((1, 2), "float32")), np.ones((1, 2)))
    with pytest.raises(TypeError, match=r"Layer 'anonymous' \(Lambda\) cannot be serialized: its function .* is not "
                       r"a registered function"):
        layer.get_config()
    with pytest.raises(TypeError, match="its output_shape function"):
        layers.Lambda(scaled_square, output_shape=lambda s: s).get_config()


def test_Lambda_argument_errors():
    with pytest.raises(TypeError, match="Lambda: `function` must be callable"):
        layers.Lambda(3)
    with pytest.raises(ValueError, match="Lambda: `output_shape` must be None"):
        layers.Lambda(scaled_square, output_shape="12")
    with pytest.raises(ValueError, match="Lambda: `arguments` must be None or a dict"):
        layers.Lambda(scaled_square, arguments=[1])
    with pytest.raises(ValueError, match="Lambda.from_config: no registered function is named 'missing_fn'"):
        layers.Lambda.from_config({"function": "missing_fn"})
