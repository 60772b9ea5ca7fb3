"""ReLU, LeakyReLU, PReLU, ELU and Softmax against Keras 3 (the shared oracle: outputs, symbolic shapes, masks,
configs and `.keras` files both ways, gradients), plus what the oracle cannot see: argument errors, LeakyReLU's old
`alpha` spelling and Softmax's mask."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import support
from kerasx import backend, layers, ops
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(2, 5)).astype("float32")
X3 = (2 * RNG.normal(size=(2, 4, 3))).astype("float32")
X4 = RNG.normal(size=(2, 3, 4, 2)).astype("float32")

CASES = [
    ("ReLU", {}, X3),
    ("ReLU", {"max_value": 1.5}, X3),
    ("ReLU", {"negative_slope": 0.2, "threshold": 0.5}, X3),
    ("ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.3}, X2),
    ("LeakyReLU", {}, X3),
    ("LeakyReLU", {"negative_slope": 0.05}, X2),
    ("PReLU", {}, X3),
    ("PReLU", {"alpha_initializer": "random_uniform"}, X3),
    ("PReLU", {"alpha_initializer": "ones", "shared_axes": [1, 2]}, X4),
    ("PReLU", {"alpha_initializer": "random_normal", "shared_axes": 1, "alpha_regularizer": "l2"}, X3),
    ("PReLU", {"alpha_constraint": "non_neg"}, X2),
    ("ELU", {}, X3),
    ("ELU", {"alpha": 0.5}, X2),
    ("Softmax", {}, X3),
    ("Softmax", {"axis": 1}, X3),
    ("Softmax", {"axis": [1, 2]}, X4),
    ("Softmax", {"axis": [2]}, X4),
]


@pytest.mark.parametrize(("name", "kwargs", "inputs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_activation_layer_matches_keras(name, kwargs, inputs, tmp_path):
    if name == "Softmax" and len(np.atleast_1d(kwargs.get("axis", -1))) > 1 and backend.backend() == "numpy":
        pytest.skip("Keras 3.15.1's numpy logsumexp cannot take the layer's list of axes (a TrackedList)")
    check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path)


@pytest.mark.parametrize(
    "mask",
    [
        np.array([[True, True, False, True], [False, True, True, True]]).reshape(2, 4, 1),
        (RNG.uniform(size=(2, 4, 3)) > 0.3),
        np.array([1.0, 0.0, 1.0], "float32"),
    ],
    ids=["broadcast", "full", "float"],
)
def test_softmax_mask_matches_keras(mask):
    ours, _ = check_layer_against_keras("Softmax", {}, X3, mask=mask)
    outputs = support.to_numpy(ours(X3, mask=ops.convert_to_tensor(mask)))
    np.testing.assert_array_equal(outputs[np.broadcast_to(mask, X3.shape) <= 0.5], 0.0)


def test_softmax_fully_masked_row_is_zero():
    mask = np.array([[False, False, False, False, False], [True, True, False, True, True]])
    outputs = support.to_numpy(layers.Softmax()(X2, mask=ops.convert_to_tensor(mask)))
    expected = keras.ops.convert_to_numpy(keras.layers.Softmax()(X2, mask=mask))
    np.testing.assert_allclose(outputs, expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(outputs[0], 0.0)


def test_softmax_mask_that_does_not_broadcast_is_refused():
    with pytest.raises(ValueError, match=r"Softmax.*must broadcast.*mask.shape=\(2, 3\)"):
        layers.Softmax(name="probs")(X2, mask=ops.convert_to_tensor(np.ones((2, 3), bool)))


def test_leaky_relu_reads_the_old_alpha_spelling_with_a_warning():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.1)
    with pytest.warns(UserWarning):
        keras_layer = keras.layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == keras_layer.negative_slope == 0.1
    assert layer.get_config()["negative_slope"] == 0.1 and "alpha" not in layer.get_config()
    support.assert_close(layer(X2), keras.ops.convert_to_numpy(keras_layer(X2)))


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("ReLU", {"max_value": -1.0}, r"ReLU.*max_value.*Received: max_value=-1.0"),
        ("ReLU", {"negative_slope": -0.1}, r"ReLU.*negative_slope.*Received: negative_slope=-0.1"),
        ("ReLU", {"negative_slope": None}, r"Received: negative_slope=None"),
        ("ReLU", {"threshold": -2}, r"ReLU.*threshold.*Received: threshold=-2"),
        ("LeakyReLU", {"negative_slope": -0.3}, r"LeakyReLU.*Received: negative_slope=-0.3"),
        ("LeakyReLU", {"negative_slope": None}, r"LeakyReLU.*Received: negative_slope=None"),
    ],
)
def test_bad_arguments_are_refused_like_keras(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(layers, name)(**kwargs)
    with pytest.raises(ValueError):
        getattr(keras.layers, name)(**kwargs)


def test_prelu_refuses_the_batch_axis_as_shared():
    with pytest.raises(ValueError, match=r"'slopes' \(PReLU\).*axes 1 to 2.*Received: shared_axes=\[0\]"):
        layers.PReLU(shared_axes=[0], name="slopes")(X3)


def test_prelu_alpha_trains_like_keras():
    """One SGD step on a model with a PReLU moves `alpha` as Keras 3 does."""
    if not support.TRAINS:
        pytest.skip("the numpy backend is inference only")
    import kerasx

    y = RNG.normal(size=X3.shape).astype("float32")
    weights = None
    results = []
    for library in (kerasx, keras):
        inputs = library.Input(shape=X3.shape[1:])
        model = library.Model(inputs, library.layers.PReLU(alpha_initializer="random_uniform")(inputs))
        if weights is None:
            weights = [np.asarray(keras.ops.convert_to_numpy(w)) for w in model.get_weights()]
        model.set_weights(weights)
        model.compile(optimizer=library.optimizers.SGD(0.5), loss="mse")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.train_on_batch(X3, y)
        results.append(np.asarray(keras.ops.convert_to_numpy(model.get_weights()[0])))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-6)
    assert not np.allclose(results[0], weights[0])
