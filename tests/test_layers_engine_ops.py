"""Layers whose `call` uses the engine's own ops (as Keras's engine guides write them) build functional models:
their symbolic call runs on engine placeholders, unknown dimensions stay unknown, placeholder losses are dropped."""

import importlib

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers

BACKEND = kerasx.backend.backend()


ENGINE = importlib.import_module(
    {"jax": "jax.numpy", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}[BACKEND]
)


def _engine_ops():
    """(concatenate, sum) of the selected engine, spelled as a user of that engine would."""
    if BACKEND == "torch":
        return (lambda xs: ENGINE.cat(xs, dim=-1)), (lambda x: ENGINE.sum(x, dim=-1, keepdim=True))
    if BACKEND == "tensorflow":
        return (lambda xs: ENGINE.concat(xs, axis=-1)), (lambda x: ENGINE.reduce_sum(x, axis=-1, keepdims=True))
    return (lambda xs: ENGINE.concatenate(xs, axis=-1)), (lambda x: ENGINE.sum(x, axis=-1, keepdims=True))


CONCATENATE, ROW_SUM = _engine_ops()


class RowSumFeature(layers.Layer):
    """Appends each row's sum as a feature and adds 0.01 * the mean of that sum as an activity loss."""

    def call(self, inputs):
        total = ROW_SUM(inputs)
        self.add_loss(0.01 * kerasx.ops.mean(total))
        return CONCATENATE([inputs, total])


def test_engine_ops_in_call_build_a_functional_model():
    inputs = kerasx.Input((5,))
    features = RowSumFeature()(inputs)
    assert features.shape == (None, 6) and features.dtype == "float32"
    model = kerasx.Model(inputs, layers.Dense(2, use_bias=False, kernel_initializer="ones")(features))
    assert model.output.shape == (None, 2)
    assert model.losses == []  # the placeholder run's loss is not a loss of the model
    x = support.random_array((3, 5))
    expected_features = np.concatenate([x, x.sum(-1, keepdims=True)], axis=-1)
    support.assert_close(model(x), np.repeat(expected_features.sum(-1, keepdims=True), 2, axis=1), rtol=1e-5)
    assert len(model.losses) == 1
    support.assert_close(model.losses[0], 0.01 * x.sum(-1).mean(), rtol=1e-5)


def test_engine_ops_keep_known_and_unknown_dimensions():
    inputs = kerasx.Input((None, 4), batch_size=2)
    assert RowSumFeature()(inputs).shape == (2, None, 5)


def test_a_genuine_type_error_in_call_is_raised_as_it_is():
    class Broken(layers.Layer):
        def call(self, inputs):
            return kerasx.ops.add(inputs, "not a number")

    with pytest.raises(TypeError):
        Broken()(kerasx.Input((3,)))
