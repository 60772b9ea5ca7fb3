"""Regularizers (penalties added to losses) and constraints (projections of weights): values against NumPy,
gradients, lookup, serialization, errors, and their use in Dense."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import constraints, layers, ops, regularizers
from kerasx.saving import register_keras_serializable

EPSILON = 1e-7


def _orthogonal_np(x, factor, mode):
    if mode == "columns":
        x = x.T
    x = x / np.sqrt(np.square(x).sum(axis=1, keepdims=True))
    product = x @ x.T
    size = x.shape[0]
    off_diagonal = np.abs(product * (1 - np.eye(size))).sum()
    return factor * 0.5 * off_diagonal / (size * (size - 1) / 2)


REGULARIZER_CASES = [
    pytest.param(regularizers.L1(0.3), lambda x: 0.3 * np.abs(x).sum(), id="L1"),
    pytest.param(regularizers.L2(0.2), lambda x: 0.2 * np.square(x).sum(), id="L2"),
    pytest.param(regularizers.L1L2(l1=0.1, l2=0.05), lambda x: 0.1 * np.abs(x).sum() + 0.05 * np.square(x).sum(),
                 id="L1L2"),
    pytest.param(regularizers.OrthogonalRegularizer(0.5, "rows"), lambda x: _orthogonal_np(x, 0.5, "rows"),
                 id="OrthogonalRegularizer-rows"),
    pytest.param(regularizers.OrthogonalRegularizer(0.5, "columns"), lambda x: _orthogonal_np(x, 0.5, "columns"),
                 id="OrthogonalRegularizer-columns"),
]


@pytest.mark.parametrize("regularizer, reference", REGULARIZER_CASES)
def test_regularizer_values(regularizer, reference):
    x = support.random_array((4, 3))
    value = regularizer(x)
    support.assert_dtype(value, "float32")
    support.assert_close(value, np.asarray(reference(x.astype("float64"))), rtol=1e-5)


@support.needs_gradients
def test_l1l2_gradient_matches_formula():
    x = np.array([[0.5, -1.5], [2.0, -0.25]], "float32")
    (grad,) = support.grad_of(regularizers.L1L2(l1=0.1, l2=0.05), x)
    support.assert_close(grad, 0.1 * np.sign(x) + 2 * 0.05 * x, rtol=1e-5)


@pytest.mark.parametrize("name, cls", [("l1", regularizers.L1), ("l2", regularizers.L2), ("l1_l2", regularizers.L1L2),
                                       ("orthogonal_regularizer", regularizers.OrthogonalRegularizer),
                                       ("L2", regularizers.L2)])
def test_regularizer_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_regularizer_serialize_round_trip():
    original = regularizers.L1L2(l1=0.25, l2=0.5)
    config = regularizers.serialize(original)
    # Keras 3's form: the public module and no registered name for a built-in class.
    assert config == {"module": "keras.regularizers", "class_name": "L1L2", "config": {"l1": 0.25, "l2": 0.5},
                      "registered_name": None}
    restored = regularizers.get(config)
    assert isinstance(restored, regularizers.L1L2) and restored.get_config() == original.get_config()
    assert regularizers.get(None) is None and regularizers.get(original) is original


def test_regularizer_errors():
    with pytest.raises(ValueError, match=r"Invalid value for argument l2: expected a non-negative number. Received: l2=-1"):
        regularizers.L2(-1)
    with pytest.raises(ValueError, match="expected 'rows' or 'columns'. Received: mode='diag'"):
        regularizers.OrthogonalRegularizer(mode="diag")
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match=r"applies to rank-2 weights.*\(3,\)"):
        regularizers.OrthogonalRegularizer()(np.ones(3, "float32"))


def _norms(w, axis):
    return np.sqrt(np.square(w).sum(axis=axis, keepdims=True))


CONSTRAINT_CASES = [
    pytest.param(constraints.MaxNorm(1.5), lambda w: w * np.clip(_norms(w, 0), 0, 1.5) / (EPSILON + _norms(w, 0)),
                 id="MaxNorm"),
    pytest.param(constraints.MaxNorm(1.0, axis=1),
                 lambda w: w * np.clip(_norms(w, 1), 0, 1.0) / (EPSILON + _norms(w, 1)), id="MaxNorm-axis1"),
    pytest.param(constraints.NonNeg(), lambda w: w * (w >= 0), id="NonNeg"),
    pytest.param(constraints.UnitNorm(), lambda w: w / (EPSILON + _norms(w, 0)), id="UnitNorm"),
    pytest.param(constraints.MinMaxNorm(0.5, 2.0, rate=0.7, axis=0),
                 lambda w: w * (0.7 * np.clip(_norms(w, 0), 0.5, 2.0) + 0.3 * _norms(w, 0)) / (EPSILON + _norms(w, 0)),
                 id="MinMaxNorm"),
]


@pytest.mark.parametrize("constraint, reference", CONSTRAINT_CASES)
def test_constraint_values(constraint, reference):
    w = support.random_array((4, 3), low=-3, high=3)
    projected = constraint(w)
    support.assert_dtype(projected, "float32")
    support.assert_close(projected, reference(w.astype("float64")), rtol=1e-5)


def test_max_norm_caps_norms():
    w = support.random_array((5, 4), low=-3, high=3)
    norms = _norms(support.to_numpy(constraints.MaxNorm(1.0)(w)), 0)
    assert np.all(norms <= 1.0 + 1e-5)


@pytest.mark.parametrize("name, cls", [("max_norm", constraints.MaxNorm), ("non_neg", constraints.NonNeg),
                                       ("unit_norm", constraints.UnitNorm), ("min_max_norm", constraints.MinMaxNorm),
                                       ("MaxNorm", constraints.MaxNorm)])
def test_constraint_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls


def test_constraint_serialize_round_trip_and_errors():
    config = constraints.serialize(constraints.MinMaxNorm(0.1, 0.9, rate=0.5, axis=1))
    assert config == {"module": "keras.constraints", "class_name": "MinMaxNorm",
                      "config": {"min_value": 0.1, "max_value": 0.9, "rate": 0.5, "axis": 1}, "registered_name": None}
    assert constraints.get(config).get_config() == config["config"]
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: 'positive'"):
        constraints.get("positive")
    with pytest.raises(ValueError, match="no object with that name is registered"):
        constraints.get({"class_name": "Nope", "config": {}})


def test_dense_attaches_regularizers_and_constraints_to_its_weights():
    layer = layers.Dense(2, kernel_regularizer="l2", bias_regularizer=regularizers.L1(0.5),
                         kernel_constraint="max_norm", bias_constraint=constraints.NonNeg())
    x = support.random_array((3, 4))
    layer(x)
    assert isinstance(layer.kernel.constraint, constraints.MaxNorm)
    assert isinstance(layer.bias.constraint, constraints.NonNeg)
    bias = np.array([0.5, -1.0], "float32")
    layer.bias.assign(bias)
    kernel = layer.kernel.numpy()
    expected = [0.01 * np.square(kernel).sum(), 0.5 * np.abs(bias).sum()]
    for loss, value in zip(layer.losses, expected):
        support.assert_close(loss, np.asarray(value, "float32"), rtol=1e-5)
    config = layer.get_config()
    assert config["kernel_regularizer"] == {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01},
                                            "registered_name": None}
    assert config["bias_constraint"] == {"module": "keras.constraints", "class_name": "NonNeg", "config": {},
                                         "registered_name": None}
    clone = layers.Dense.from_config(config)
    clone(x)
    assert isinstance(clone.kernel.regularizer, regularizers.L2) and isinstance(clone.bias.constraint, constraints.NonNeg)


def test_custom_registered_regularizer_round_trips():
    @register_keras_serializable(package="Tests")
    class Scaled(regularizers.Regularizer):
        def __init__(self, scale=1.0):
            self.scale = scale

        def __call__(self, x):
            return ops.multiply(self.scale, ops.sum(x))

        def get_config(self):
            return {"scale": self.scale}

    config = regularizers.serialize(Scaled(2.0))
    # As Keras 3 writes a registered class: its Python module, its class name and its registered name.
    assert config == {"module": __name__, "class_name": "Scaled", "config": {"scale": 2.0},
                      "registered_name": "Tests>Scaled"}
    restored = regularizers.get(config)
    support.assert_close(restored(np.ones((2, 2), "float32")), np.asarray(8.0, "float32"))


def test_regularizer_configs_equal_keras_3s():
    keras = pytest.importorskip("keras")
    for name, kwargs in [("L1", {"l1": 0.01}), ("L2", {"l2": 0.03}), ("L1L2", {"l1": 0.01, "l2": 0.02}),
                         ("OrthogonalRegularizer", {"factor": 0.01, "mode": "columns"})]:
        ours = getattr(kerasx.regularizers, name)(**kwargs).get_config()
        theirs = getattr(keras.regularizers, name)(**kwargs).get_config()
        assert set(ours) == set(theirs), name
        # Keras keeps L1's factor as a float32 tensor: 0.009999999776482582, or 0.01 under jax with 64-bit enabled.
        assert all(np.float32(ours[k]) == np.float32(theirs[k]) if isinstance(ours[k], float) else ours[k] == theirs[k]
                   for k in ours), name
