"""Dropout: identity at inference, drop rate and 1/(1-rate) scaling while training, the same bits as
`kerasx.random.dropout` with the layer's SeedGenerator, noise_shape, seed state through stateless_call, errors."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import KerasTensor, layers, ops, random
from kerasx.backend import active
from layer_support import run_layer_test


def test_Dropout_is_identity_at_inference():
    run_layer_test(
        layers.Dropout,
        {"rate": 0.5, "noise_shape": (None, 1), "seed": 3},
        input_shape=(4, 3),
        expected_output_shape=(4, 3),
        reference=lambda x, w: x,
    )


@pytest.mark.parametrize("rate", [pytest.param(0.2, id="Dropout-0.2"), pytest.param(0.6, id="Dropout-0.6")])
def test_Dropout_training_rate_and_scaling(rate):
    x = np.ones((100, 80), "float32")
    y = support.to_numpy(layers.Dropout(rate, seed=11)(x, training=True))
    kept = y != 0
    assert abs(1 - kept.mean() - rate) < 0.02, f"dropped fraction {1 - kept.mean()} vs rate {rate}"
    support.assert_close(y[kept], np.full(kept.sum(), 1 / (1 - rate), "float32"), rtol=1e-6)


def test_Dropout_matches_random_dropout_with_a_seed_generator():
    x = support.random_array((6, 5))
    layer = layers.Dropout(0.4, seed=7)
    first = support.to_numpy(layer(x, training=True))
    generator = random.SeedGenerator(7)
    support.assert_close(first, random.dropout(x, 0.4, seed=generator))
    second = support.to_numpy(layer(x, training=True))
    support.assert_close(second, random.dropout(x, 0.4, seed=generator))
    assert not np.array_equal(first != 0, second != 0), "the generator must advance between calls"


def test_Dropout_noise_shape_drops_whole_slices():
    x = np.ones((4, 6, 5), "float32")
    y = support.to_numpy(layers.Dropout(0.5, noise_shape=(None, 1, 5), seed=2)(x, training=True))
    assert np.all(y == y[:, :1, :]), "the mask must be the same along the axis of noise size 1"
    assert 0 < np.count_nonzero(y) < y.size


def test_Dropout_inherits_training_from_the_outer_call():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dropout = layers.Dropout(0.5, seed=1)

        def call(self, inputs):
            return self.dropout(inputs)

    x = np.ones((8, 8), "float32")
    block = Block()
    support.assert_close(block(x), x)
    assert np.count_nonzero(support.to_numpy(block(x, training=True)) == 0) > 0


def test_Dropout_stateless_call_returns_the_new_seed_state():
    layer = layers.Dropout(0.5, seed=5)
    x = np.ones((4, 4), "float32")
    layer(x)
    state_before = layer.non_trainable_variables[0].numpy().copy()
    out, (new_state,) = layer.stateless_call([], [state_before], x, training=True)
    assert not np.array_equal(support.to_numpy(new_state), state_before)
    np.testing.assert_array_equal(layer.non_trainable_variables[0].numpy(), state_before)
    again, _ = layer.stateless_call([], [state_before], x, training=True)
    support.assert_close(again, support.to_numpy(out))


def test_Dropout_symbolic_and_dtypes():
    layer = layers.Dropout(0.3)
    assert layer(KerasTensor((None, 3))).shape == (None, 3)
    x = np.arange(6, dtype="int32").reshape(2, 3)
    support.assert_dtype(layer(x), "int32")
    support.assert_dtype(layer(KerasTensor((None, 3), "int32"), training=True), "float32")
    support.assert_dtype(layer(x, training=True), "float32")


def test_Dropout_rate_zero_and_one():
    x = support.random_array((3, 4))
    support.assert_close(layers.Dropout(0.0)(x, training=True), x)
    support.assert_close(layers.Dropout(1.0)(x, training=True), np.zeros_like(x))


@support.needs_gradients
def test_Dropout_gradient_is_the_scaled_mask():
    x = support.random_array((5, 4), low=0.5, high=1.5)
    mask = support.to_numpy(layers.Dropout(0.5, seed=9)(x, training=True)) != 0
    layer = layers.Dropout(0.5, seed=9)
    (grad,) = support.grad_of(lambda t: ops.sum(layer(t, training=True)), x)
    support.assert_close(grad, mask * 2.0)


@pytest.mark.parametrize("rate", [-0.1, 1.5, "0.5", None])
def test_Dropout_bad_rate(rate):
    with pytest.raises(ValueError, match="Dropout: `rate` must be a number between 0"):
        layers.Dropout(rate)


def test_Dropout_bad_noise_shape():
    with pytest.raises(ValueError, match="Dropout: `noise_shape` must be None or a tuple"):
        layers.Dropout(0.5, noise_shape=(2, -1))


def test_Dropout_config():
    config = layers.Dropout(0.25, noise_shape=(None, 1), seed=4, name="drop").get_config()
    assert config["rate"] == 0.25 and config["noise_shape"] == (None, 1) and config["seed"] == 4
    assert kerasx.layers.deserialize(kerasx.layers.serialize(layers.Dropout(0.1))).rate == 0.1


def test_Dropout_in_a_compiled_step_advances_its_seed_state():
    x = support.random_array((6, 5))
    layer = layers.Dropout(0.5, seed=21)
    layer(x)
    step = active.trainer.make_step(lambda data: layer(data, training=True), layer.variables, jit_compile=False)
    first = support.to_numpy(step(ops.convert_to_tensor(x)))
    second = support.to_numpy(step(ops.convert_to_tensor(x)))
    generator = random.SeedGenerator(21)
    support.assert_close(first, random.dropout(x, 0.5, seed=generator))
    support.assert_close(second, random.dropout(x, 0.5, seed=generator))
    np.testing.assert_array_equal(layer.seed_generator.state.numpy(), generator.state.numpy())
