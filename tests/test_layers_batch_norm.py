"""BatchNormalization: inference with moving statistics, training with batch statistics and the moving-average
update (eager, in a StatelessScope, through stateless_call), frozen layers, channels_first, masks, gradients,
errors."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, layers, ops
from kerasx.backend import StatelessScope, active
from layer_support import run_layer_test

RANDOM_INIT = {
    "beta_initializer": "random_normal",
    "gamma_initializer": "random_normal",
    "moving_mean_initializer": "random_normal",
}


def _normalize(x, mean, variance, gamma, beta, epsilon, axis):
    shape = [1] * x.ndim
    shape[axis] = -1
    reshape = lambda v: np.reshape(v, shape)  # noqa: E731
    return (x - reshape(mean)) / np.sqrt(reshape(variance) + epsilon) * reshape(gamma) + reshape(beta)


@pytest.mark.parametrize(
    "init_kwargs, input_shape, axis",
    [
        pytest.param({}, (4, 3), -1, id="BatchNormalization-dense"),
        pytest.param({"epsilon": 0.1}, (2, 3, 4, 5), -1, id="BatchNormalization-images"),
        pytest.param({"axis": 1}, (2, 3, 4, 2), 1, id="BatchNormalization-channels_first"),
    ],
)
def test_BatchNormalization_inference_against_numpy(init_kwargs, input_shape, axis):
    init_kwargs = {**RANDOM_INIT, **init_kwargs}
    epsilon = init_kwargs.get("epsilon", 1e-3)
    layer = run_layer_test(
        layers.BatchNormalization,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=input_shape,
        reference=lambda x, w: _normalize(x, w[2], w[3], w[0], w[1], epsilon, axis),
        rtol=1e-5,
        atol=1e-5,
    )
    assert [v.name for v in layer.trainable_weights] == ["gamma", "beta"]
    assert [v.name for v in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]


@pytest.mark.parametrize(
    "axis", [pytest.param(-1, id="BatchNormalization-last"), pytest.param(1, id="BatchNormalization-axis1")]
)
def test_BatchNormalization_training_uses_batch_statistics_and_updates_moving_ones(axis):
    x = support.random_array((6, 3, 4), rng=np.random.default_rng(4)) * 3 + 1
    layer = layers.BatchNormalization(axis=axis, momentum=0.8, **RANDOM_INIT)
    layer.build(x.shape)
    gamma, beta, moving_mean, moving_variance = layer.get_weights()
    reduce = tuple(a for a in range(3) if a != axis % 3)
    mean, variance = x.mean(axis=reduce), x.var(axis=reduce)

    y = layer(x, training=True)
    support.assert_close(y, _normalize(x, mean, variance, gamma, beta, 1e-3, axis), rtol=1e-4, atol=1e-5)
    support.assert_close(layer.moving_mean, moving_mean * 0.8 + mean * 0.2, rtol=1e-5, atol=1e-6)
    support.assert_close(layer.moving_variance, moving_variance * 0.8 + variance * 0.2, rtol=1e-5, atol=1e-6)

    updated_mean, updated_variance = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    inference = layer(x)
    support.assert_close(
        inference, _normalize(x, updated_mean, updated_variance, gamma, beta, 1e-3, axis), rtol=1e-4, atol=1e-5
    )
    support.assert_close(layer.moving_mean, updated_mean)


def test_BatchNormalization_frozen_layer_uses_moving_statistics_even_when_training():
    x = support.random_array((5, 3))
    layer = layers.BatchNormalization(**RANDOM_INIT)
    layer.build(x.shape)
    layer.trainable = False
    before = layer.get_weights()
    y = layer(x, training=True)
    support.assert_close(y, _normalize(x, before[2], before[3], before[0], before[1], 1e-3, -1), rtol=1e-5)
    for weight, value in zip(layer.get_weights(), before):
        np.testing.assert_array_equal(weight, value)


def test_BatchNormalization_update_is_captured_by_a_stateless_scope():
    x = support.random_array((8, 2))
    layer = layers.BatchNormalization(momentum=0.5)
    layer.build(x.shape)
    with StatelessScope() as scope:
        layer(x, training=True)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(2, "float32"))
    support.assert_close(scope.get_current_value(layer.moving_mean), 0.5 * x.mean(axis=0), rtol=1e-5, atol=1e-6)
    support.assert_close(scope.get_current_value(layer.moving_variance), 0.5 + 0.5 * x.var(axis=0), rtol=1e-5)


def test_BatchNormalization_stateless_call_returns_new_moving_statistics():
    x = support.random_array((8, 2))
    layer = layers.BatchNormalization(momentum=0.9)
    layer.build(x.shape)
    trainable = [v.numpy() for v in layer.trainable_variables]
    non_trainable = [v.numpy() for v in layer.non_trainable_variables]
    out, (new_mean, new_variance) = layer.stateless_call(trainable, non_trainable, x, training=True)
    support.assert_close(out, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), rtol=1e-4, atol=1e-5)
    support.assert_close(new_mean, 0.1 * x.mean(axis=0), rtol=1e-5, atol=1e-6)
    support.assert_close(new_variance, 0.9 + 0.1 * x.var(axis=0), rtol=1e-5)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(2, "float32"))
    _, unchanged = layer.stateless_call(trainable, non_trainable, x, training=False)
    support.assert_close(unchanged[0], non_trainable[0])


def test_BatchNormalization_masked_statistics():
    x = support.random_array((2, 4, 3))
    mask = np.array([[1, 1, 0, 1], [0, 1, 1, 0]], bool)
    layer = layers.BatchNormalization(momentum=0.0)
    layer(x, training=True, mask=mask)
    valid = x[mask]
    support.assert_close(layer.moving_mean, valid.mean(axis=0), rtol=1e-5, atol=1e-6)
    support.assert_close(layer.moving_variance, valid.var(axis=0), rtol=1e-5, atol=1e-6)


def test_BatchNormalization_symbolic_call_leaves_the_statistics_alone():
    layer = layers.BatchNormalization(center=False, scale=False)
    y = layer(KerasTensor((None, 5, 3)), training=True)
    assert y.shape == (None, 5, 3) and y.dtype == "float32"
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(3, "float32"))
    ints = support.check_symbolic(layers.BatchNormalization(), np.arange(6, dtype="int32").reshape(3, 2))
    support.assert_dtype(ints, "float32")


@support.needs_gradients
def test_BatchNormalization_training_gradient_matches_finite_differences():
    x = support.random_array((4, 2), rng=np.random.default_rng(8))
    layer = layers.BatchNormalization()
    layer.build(x.shape)
    weights = np.random.default_rng(9).normal(size=x.shape)
    non_trainable = [v.numpy() for v in layer.non_trainable_variables]
    trainable = [v.numpy() for v in layer.trainable_variables]

    def loss(inputs):
        out, _ = layer.stateless_call(trainable, non_trainable, inputs, training=True)
        return ops.sum(ops.multiply(out, weights.astype("float32")))

    (grad,) = support.grad_of(loss, x)

    def numeric(value):
        out = (value - value.mean(0)) / np.sqrt(value.var(0) + 1e-3)
        return float(np.sum(out * weights))

    support.assert_close(grad, support.numeric_grad(numeric, x), rtol=1e-3, atol=1e-4)


def test_BatchNormalization_errors():
    with pytest.raises(ValueError, match="BatchNormalization: `axis` must be an int"):
        layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="`momentum` must be a number in"):
        layers.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match=r"Layer 'bn_axis' \(BatchNormalization\) normalizes along axis=3"):
        layers.BatchNormalization(axis=3, name="bn_axis")(support.random_array((2, 3)))
    with pytest.raises(ValueError, match=r"needs the size of the feature axis -1"):
        layers.BatchNormalization()(KerasTensor((None, None)))
    layer = layers.BatchNormalization(name="bn_shape")
    layer(support.random_array((2, 3)))
    with pytest.raises(ValueError, match='layer "bn_shape" is incompatible'):
        layer(support.random_array((2, 4)))


def test_BatchNormalization_config():
    config = layers.BatchNormalization().get_config()
    assert config["axis"] == -1 and config["momentum"] == 0.99 and config["epsilon"] == 1e-3
    assert config["center"] and config["scale"] and config["synchronized"] is False
    assert config["moving_variance_initializer"]["class_name"] == "Ones"


def test_BatchNormalization_update_in_a_compiled_step():
    x = support.random_array((8, 3), rng=np.random.default_rng(10))
    layer = layers.BatchNormalization(momentum=0.5)
    layer.build(x.shape)
    step = active.trainer.make_step(lambda data: layer(data, training=True), layer.variables, jit_compile=False)
    out = step(ops.convert_to_tensor(x))
    support.assert_close(out, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), rtol=1e-4, atol=1e-5)
    support.assert_close(layer.moving_mean, 0.5 * x.mean(axis=0), rtol=1e-5, atol=1e-6)
    step(ops.convert_to_tensor(x))
    support.assert_close(layer.moving_mean, 0.75 * x.mean(axis=0), rtol=1e-5, atol=1e-6)
    support.assert_close(layer.moving_variance, 0.25 + 0.75 * x.var(axis=0), rtol=1e-5, atol=1e-6)
